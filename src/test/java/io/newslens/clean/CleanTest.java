package io.newslens.clean;

import static io.newslens.SharedSpark.rows;
import static org.junit.jupiter.api.Assertions.*;
import static org.apache.spark.sql.types.DataTypes.*;

import io.newslens.common.Period;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class CleanTest {
  static final StructType INGESTED = io.newslens.common.Tables.INGESTED.schema();

  static Object[] article(String id, String date, String source, String text) {
    return new Object[] {id, Date.valueOf(date), source, null, text, null, "test", id};
  }

  static final String OIL = "Oil prices rose sharply on Tuesday after producers agreed to cut output by a million "
      + "barrels a day, traders said, and analysts expected further gains in the coming weeks.";
  static final String DEAL = "The company agreed to buy its smaller rival for four billion dollars in cash, "
      + "creating the largest maker of industrial pumps in Europe, the two firms said in a statement.";

  static Map<String, Row> byId(Dataset<Row> articles) {
    return articles.collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("doc_id"), r -> r));
  }

  @Test
  void marksExactAndNearDuplicatesOfTheEarliestArticle() {
    String story = OIL + " " + DEAL + " " + OIL.replace("Oil", "Gas");
    List<Object[]> input = List.of(
        article("b", "2020-01-02", "x", story),
        article("a", "2020-01-01", "y", story.toUpperCase()),                   // exact: case differs
        article("c", "2020-01-03", "z", story.replace("Tuesday", "Wednesday")), // near: one word
        article("d", "2020-01-01", "x", DEAL));
    Map<String, Row> out = byId(Clean.apply(rows(INGESTED, input), Clean.Options.defaults(Period.MONTH)).articles());
    assertNull(out.get("a").getAs("duplicate_of"));
    assertEquals("a", out.get("b").getAs("duplicate_of"));
    assertEquals("a", out.get("c").getAs("duplicate_of"));
    assertNull(out.get("d").getAs("duplicate_of"));
    assertEquals("2020-01", out.get("d").getAs("period"));
    assertEquals("en", out.get("d").getAs("lang"));
    assertEquals(30, (int) out.get("d").getAs("n_tokens"));
  }

  @Test
  void removesLinesASourceRepeatsAcrossArticlesAndDays() {
    String footer = "Follow our live coverage at example.com/live";
    List<Object[]> input = new ArrayList<>();
    String[] bodies = {OIL, DEAL, "Rain is expected across the north of the country on Friday and Saturday.",
        "The central bank kept interest rates unchanged for the third meeting in a row."};
    for (int i = 0; i < bodies.length; i++) {
      input.add(article("s" + i, "2020-01-0" + (i + 1), "site", bodies[i] + "\n" + footer));
    }
    // The same line from another source, on one day only, is not that source's boilerplate.
    input.add(article("o1", "2020-02-01", "other", DEAL.replace("four", "five") + "\n" + footer));
    Clean.Result result = Clean.apply(rows(INGESTED, input), Clean.Options.defaults(Period.DAY));
    Map<String, Row> out = byId(result.articles());
    assertEquals(1, result.boilerplateLines());
    for (int i = 0; i < bodies.length; i++) {
      assertEquals(bodies[i], out.get("s" + i).getAs("text"));
    }
    assertTrue(out.get("o1").<String>getAs("text").endsWith(footer));
  }

  @Test
  void keptDropsDuplicatesOtherLanguagesAndEmptyArticles() {
    List<Object[]> input = List.of(
        article("en1", "2020-01-01", "x", OIL),
        article("en2", "2020-01-02", "x", OIL),
        article("de1", "2020-01-01", "x", "Die Ölpreise sind am Dienstag stark gestiegen, nachdem sich die Produzenten geeinigt hatten."),
        article("empty", "2020-01-01", "x", "Subscribe now"));
    Dataset<Row> articles = Clean.apply(rows(INGESTED, input), Clean.Options.defaults(Period.YEAR)).articles();
    assertEquals(List.of("en1"), Clean.kept(articles, List.of("en")).select("doc_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    assertEquals(2, Clean.kept(articles, List.of()).count());
  }

  /** A paragraph of 40 words drawn from {@code words}: distinct per seed, under 300 characters. */
  static String paragraph(long seed) {
    String[] words = ("market minister council river harbour budget election village factory court "
        + "teacher doctor winter summer bridge station farmer police museum festival airport "
        + "hospital school company union energy water forest island mountain coast league "
        + "report plan vote price trade board city region ship train").split(" ");
    java.util.Random random = new java.util.Random(seed);
    StringBuilder out = new StringBuilder("The");
    for (int i = 0; i < 39; i++) {
      out.append(' ').append(words[random.nextInt(words.length)]);
    }
    return out.append('.').toString();
  }

  static String story(long... seeds) {
    List<String> paragraphs = new ArrayList<>();
    for (long seed : seeds) {
      paragraphs.add(paragraph(seed));
    }
    return String.join("\n\n", paragraphs);
  }

  /**
   * A wire story issued four times on three dates, each version changing one more paragraph, so
   * the last is no longer similar to the first (a chain of near duplicates, one story), beside a
   * newsletter banner the same source prints under fifty different stories. The story's
   * paragraphs are not its source's boilerplate; the banner is.
   */
  @Test
  void aStoryReissuedManyTimesKeepsItsParagraphsWhileABannerInManyStoriesGoes() {
    String banner = "Sign up for the Morning Briefing newsletter for the day's top stories.";
    long[] v1 = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    long[] v2 = v1.clone();
    v2[11] = 112;
    long[] v3 = v2.clone();
    v3[10] = 111;
    long[] v4 = v3.clone();
    v4[9] = 110;
    List<Object[]> input = new ArrayList<>();
    input.add(article("v1", "2021-03-01", "wire", story(v1) + "\n\n" + banner));
    input.add(article("v2", "2021-03-01", "wire", story(v2) + "\n\n" + banner));
    input.add(article("v3", "2021-03-02", "wire", story(v3)));
    input.add(article("v4", "2021-03-04", "wire", story(v4) + "\n\n" + banner));
    for (int i = 0; i < 50; i++) {
      input.add(article("n" + i, "2021-02-" + String.format("%02d", 1 + i % 28), "wire",
          story(1000 + 3 * i, 1001 + 3 * i, 1002 + 3 * i) + "\n\n" + banner));
    }
    Clean.Result result = Clean.apply(rows(INGESTED, input), Clean.Options.defaults(Period.MONTH));
    Map<String, Row> out = byId(result.articles());
    assertEquals(1, result.boilerplateLines(), "the banner, and nothing of the story");
    assertNull(out.get("v1").getAs("duplicate_of"));
    assertEquals("v1", out.get("v2").getAs("duplicate_of"));
    assertEquals("v2", out.get("v3").getAs("duplicate_of"), "v3 is similar to v2, not to v1");
    assertEquals("v3", out.get("v4").getAs("duplicate_of"), "v4 is similar to v3 only");
    assertEquals(story(v1), out.get("v1").getAs("text"), "every paragraph of the kept version survives");
    assertEquals(story(v4), out.get("v4").getAs("text"));
    for (int i = 0; i < 50; i++) {
      String text = out.get("n" + i).getAs("text");
      assertFalse(text.contains("Morning Briefing"), text);
      assertEquals(story(1000 + 3 * i, 1001 + 3 * i, 1002 + 3 * i), text);
      assertNull(out.get("n" + i).getAs("duplicate_of"));
    }
    result.release();
  }

  /** Copies that differ only in their sources' footers are exact duplicates once the footers go. */
  @Test
  void copiesThatDifferOnlyInDroppedFootersAreDuplicates() {
    List<Object[]> input = new ArrayList<>();
    String[] footers = {"Follow Alpha News on social media for updates.", "Beta Daily is published by the Beta Media Group."};
    String[] sources = {"alpha", "beta"};
    for (int s = 0; s < 2; s++) {
      for (int i = 0; i < 3; i++) {
        input.add(article(sources[s] + i, "2021-01-0" + (1 + i + s), sources[s],
            story(200 + 10 * i + s) + "\n\n" + footers[s]));
      }
    }
    // The same short wire brief in both: with the footers its near-duplicate similarity is low.
    input.add(article("a-brief", "2021-01-10", "alpha", paragraph(999) + "\n\n" + footers[0]));
    input.add(article("b-brief", "2021-01-11", "beta", paragraph(999) + "\n\n" + footers[1]));
    Clean.Result result = Clean.apply(rows(INGESTED, input), Clean.Options.defaults(Period.MONTH));
    Map<String, Row> out = byId(result.articles());
    assertEquals(2, result.boilerplateLines());
    assertEquals(paragraph(999), out.get("b-brief").getAs("text"));
    assertEquals("a-brief", out.get("b-brief").getAs("duplicate_of"));
    result.release();
  }
}
