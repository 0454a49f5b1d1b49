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
}
