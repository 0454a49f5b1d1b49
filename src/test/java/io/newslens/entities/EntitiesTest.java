package io.newslens.entities;

import static io.newslens.SharedSpark.rows;
import static org.apache.spark.sql.types.DataTypes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import io.newslens.SharedSpark;
import io.newslens.tokenize.Tokenize;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class EntitiesTest {
  static final StructType ARTICLES = createStructType(List.of(
      createStructField("doc_id", StringType, false),
      createStructField("date", DateType, false),
      createStructField("period", StringType, false),
      createStructField("text", StringType, false)));
  static final StructType MENTIONS = createStructType(List.of(
      createStructField("doc_id", StringType, false),
      createStructField("period", StringType, false),
      createStructField("sentence", IntegerType, false),
      createStructField("begin", IntegerType, false),
      createStructField("entity", StringType, false),
      createStructField("type", StringType, false)));
  static final StructType TOKENS = createStructType(List.of(
      createStructField("doc_id", StringType, false),
      createStructField("sentence", IntegerType, false),
      createStructField("begin", IntegerType, false),
      createStructField("end", IntegerType, false)));
  static final StructType PERIODS = createStructType(List.of(
      createStructField("period", StringType, false),
      createStructField("articles", LongType, false),
      createStructField("sentences", LongType, false)));

  /** The sample article as clean leaves it: the two lines of web furniture on top are gone. */
  static String sampleArticle() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("data/sample-article/us-iran-talks-baghdad.txt"));
    return String.join("\n", lines.subList(2, lines.size()));
  }

  @Test
  void sampleArticleHasTheNamesOfTheIssue() throws Exception {
    Dataset<Row> article = rows(ARTICLES, List.<Object[]>of(
        new Object[] {"ap", Date.valueOf("2007-07-24"), "2007-07", sampleArticle()}));
    Tokenize.Result tokenized = Tokenize.apply(article, Tokenize.Options.defaults());
    Dataset<Row> tokens = tokenized.tokens().persist();
    Entities.Result result = Entities.apply(article, tokens, new Entities.Options("rules", 20, 50, 1, 3.0, 6));
    try {
      assertEquals(1L, result.minPairCount());
      Map<String, String> typeOf = result.entities().collectAsList().stream()
          .collect(Collectors.toMap(r -> r.getAs("entity"), r -> r.getAs("type"), (x, y) -> x + "," + y));
      Map<String, String> expected = Map.ofEntries(
          Map.entry("Ryan Crocker", "PERSON"), Map.entry("Hassan Kazemi Qomi", "PERSON"),
          Map.entry("Muthana Ahmed", "PERSON"), Map.entry("United States", "LOCATION"),
          Map.entry("Iran", "LOCATION"), Map.entry("Iraq", "LOCATION"), Map.entry("Baghdad", "LOCATION"),
          Map.entry("Hillah", "LOCATION"), Map.entry("Tehran", "LOCATION"), Map.entry("Middle East", "LOCATION"),
          Map.entry("Hezbollah", "ORGANIZATION"), Map.entry("Hamas", "ORGANIZATION"),
          Map.entry("Associated Press", "ORGANIZATION"), Map.entry("Iranian Revolutionary Guard", "ORGANIZATION"),
          Map.entry("al-Quds Force", "ORGANIZATION"));
      List<String> missed = new ArrayList<>();
      expected.forEach((name, type) -> {
        if (!type.equals(typeOf.get(name))) {
          missed.add(name + " (" + typeOf.get(name) + ")");
        }
      });
      System.out.println("sample article: " + (15 - missed.size()) + "/15 found; missed " + missed
          + "; all entities " + typeOf);
      assertTrue(missed.size() <= 2, "missed " + missed + " among " + typeOf);
      for (String alias : List.of("U.S.", "US", "Crocker", "Qomi", "Kazemi Qomi", "Ahmed", "AP", "America")) {
        assertFalse(typeOf.containsKey(alias), alias + " is an alias, not an entity");
      }
      Row us = result.entities().filter("entity = 'United States'").first();
      assertTrue(us.getList(us.fieldIndex("aliases")).containsAll(List.of("U.S.", "United States")), us.toString());
      Row crocker = result.entities().filter("entity = 'Ryan Crocker'").first();
      assertEquals(List.of("Crocker", "Ryan Crocker"), crocker.getList(crocker.fieldIndex("aliases")));
      assertEquals(4L, (long) crocker.getAs("mentions"), "Ryan Crocker, Crocker told, Crocker said (twice)");

      assertEquals(1, result.pairs().filter("window = 'sentence' and entity_a = 'Hassan Kazemi Qomi'"
          + " and entity_b = 'Ryan Crocker' and count = 1").count(), "same sentence");
      assertEquals(1, result.pairs().filter("window = 'document' and entity_a = 'Hassan Kazemi Qomi'"
          + " and entity_b = 'Ryan Crocker'").count());

      Row mention = result.mentions().filter("entity = 'Ryan Crocker'").orderBy("begin").first();
      String text = sampleArticle();
      assertEquals("Ryan Crocker", text.substring(mention.getAs("begin"), mention.getAs("end")));
      assertEquals("Ryan Crocker", mention.getAs("text"));
      assertEquals(2, (int) mention.getAs("sentence"), "headline, dateline paragraph, then this one");
      Row sentence = tokens.filter("sentence = 2").first();
      assertTrue(text.substring(sentence.getAs("begin"), sentence.getAs("end")).contains("Ryan Crocker"),
          "the tokens table's span of sentence 2 holds the mention");
      assertEquals(tokens.count(), result.periods().first().getLong(result.periods().first().fieldIndex("sentences")),
          "the sentence units are the tokens table's sentences");
    } finally {
      result.release();
      tokenized.release();
      tokens.unpersist();
    }
  }

  @Test
  void articlesWithoutTokensStillCountAndGapsKeepSentenceNumbers() {
    Dataset<Row> articles = rows(ARTICLES, List.<Object[]>of(
        new Object[] {"a", Date.valueOf("2020-01-02"), "2020-01", "--- ... Ryan Crocker met Hassan Kazemi Qomi."},
        new Object[] {"b", Date.valueOf("2020-01-03"), "2020-01", "..."}));
    // Sentence 0 of "a" ("--- ...") has no word, so tokenize left it out.
    Dataset<Row> tokens = rows(TOKENS, List.<Object[]>of(new Object[] {"a", 1, 8, 44}));
    Entities.Result result = Entities.apply(articles, tokens, Entities.Options.defaults());
    try {
      Row period = result.periods().first();
      assertEquals(2L, period.getLong(period.fieldIndex("articles")));
      assertEquals(1L, period.getLong(period.fieldIndex("sentences")));
      List<Row> mentions = result.mentions().orderBy("begin").collectAsList();
      assertEquals(List.of("Ryan Crocker", "Hassan Kazemi Qomi"), mentions.stream().map(r -> r.getAs("entity")).toList());
      assertTrue(mentions.stream().allMatch(r -> (int) r.getAs("sentence") == 1));
      assertEquals(1L, result.minPairCount(), "auto: a small corpus keeps pairs seen once");
      assertEquals(1L, result.pairs().filter("window = 'sentence'").count());
    } finally {
      result.release();
    }
    assertEquals(1L, Entities.autoMinPairCount(999));
    assertEquals(2L, Entities.autoMinPairCount(1_000));
  }

  @Test
  void entityFiguresSumTheirPeriods() {
    String twice = "Troops left Iraq on Monday, and the U.S. said Iraq was calm.";
    String once = "Troops left Iraq.";
    Dataset<Row> articles = rows(ARTICLES, List.<Object[]>of(
        new Object[] {"a", Date.valueOf("2007-07-01"), "2007-07", twice},
        new Object[] {"b", Date.valueOf("2007-07-20"), "2007-07", once},
        new Object[] {"c", Date.valueOf("2007-09-03"), "2007-09", once}));
    Dataset<Row> tokens = rows(TOKENS, List.<Object[]>of(new Object[] {"a", 0, 0, twice.length()},
        new Object[] {"b", 0, 0, once.length()}, new Object[] {"c", 0, 0, once.length()}));
    Entities.Result result = Entities.apply(articles, tokens, Entities.Options.defaults());
    try {
      Row iraq = result.entities().filter("entity = 'Iraq'").first();
      assertEquals(3L, (long) iraq.getAs("docs"), "two articles in July, one in September");
      assertEquals(4L, (long) iraq.getAs("mentions"));
      assertEquals(Date.valueOf("2007-07-01"), iraq.getAs("first_date"));
      assertEquals(Date.valueOf("2007-09-03"), iraq.getAs("last_date"));
      Row us = result.entities().filter("entity = 'United States'").first();
      assertEquals(List.of("U.S."), us.getList(us.fieldIndex("aliases")));
      assertEquals(1L, (long) us.getAs("docs"));
      assertEquals(List.of(2L, 1L), result.trends().filter("entity = 'Iraq'").orderBy("period")
          .collectAsList().stream().map(r -> (long) r.getAs("docs")).toList());
    } finally {
      result.release();
    }
  }

  @Test
  void columnMeasuresAreAssociations() {
    long[][] tables = {{2, 4, 3, 10}, {25, 50, 50, 100}, {7, 7, 7, 7}, {5, 5, 5, 100}, {1, 1, 40, 123456}, {3, 90, 17, 1000}};
    List<Object[]> values = new ArrayList<>();
    for (long[] t : tables) {
      values.add(new Object[] {t[0], t[1], t[2], t[3]});
    }
    StructType schema = createStructType(List.of(createStructField("both", LongType, false),
        createStructField("a", LongType, false), createStructField("b", LongType, false),
        createStructField("n", LongType, false)));
    org.apache.spark.sql.Column[] c = {org.apache.spark.sql.functions.col("both"), org.apache.spark.sql.functions.col("a"),
        org.apache.spark.sql.functions.col("b"), org.apache.spark.sql.functions.col("n")};
    List<Row> scored = rows(schema, values).select(c[0], c[1], c[2], c[3], Entities.pmi(c[0], c[1], c[2], c[3]),
        Entities.npmi(c[0], c[1], c[2], c[3]), Entities.llr(c[0], c[1], c[2], c[3])).collectAsList();
    for (Row r : scored) {
      long both = r.getLong(0);
      long a = r.getLong(1);
      long b = r.getLong(2);
      long n = r.getLong(3);
      assertEquals(Association.pmi(both, a, b, n), r.getDouble(4), 1e-12, r.toString());
      assertEquals(Association.npmi(both, a, b, n), r.getDouble(5), 1e-12, r.toString());
      assertEquals(Association.llr(both, a, b, n), r.getDouble(6), 1e-9, r.toString());
    }
  }

  static Object[] mention(String doc, int sentence, int begin, String entity) {
    return new Object[] {doc, "2020-01", sentence, begin, entity, "PERSON"};
  }

  @Test
  void pairsAreCappedPerSentenceAndDocumentAndScoredFromThePeriodTable() {
    List<Object[]> mentions = new ArrayList<>();
    // One sentence naming 30 people (p00..p29), each twice: the caps keep the first 4 of the
    // sentence (6 pairs) and 5 of the article (10 pairs), not 435 pairs.
    for (int i = 0; i < 30; i++) {
      mentions.add(mention("big", 0, 10 * i, String.format("p%02d", i)));
      mentions.add(mention("big", 0, 1000 + 10 * i, String.format("p%02d", i)));
    }
    Dataset<Row> periods = rows(PERIODS, List.<Object[]>of(new Object[] {"2020-01", 1L, 10L}));
    Entities.Options capped = new Entities.Options("rules", 4, 5, 1, 3.0, 6);
    List<Row> pairs = Entities.pairs(rows(MENTIONS, mentions), periods, capped).collectAsList();
    assertEquals(6, pairs.stream().filter(r -> r.getAs("window").equals("sentence")).count());
    assertEquals(10, pairs.stream().filter(r -> r.getAs("window").equals("document")).count());
    assertTrue(pairs.stream().allMatch(r -> ((String) r.getAs("entity_a")).compareTo(r.getAs("entity_b")) < 0));
    assertTrue(pairs.stream().allMatch(r -> ((String) r.getAs("entity_b")).compareTo("p05") < 0), pairs.toString());

    // The hand-computed table of AssociationTest: 10 sentences, a in 4, b in 3, both in 2.
    List<Object[]> toy = new ArrayList<>();
    int[][] sentencesOf = {{0, 1, 2, 3}, {0, 1, 4}};
    for (int s : sentencesOf[0]) {
      toy.add(mention("d", s, 0, "a"));
    }
    for (int s : sentencesOf[1]) {
      toy.add(mention("d", s, 5, "b"));
    }
    Row ab = Entities.pairs(rows(MENTIONS, toy), periods, Entities.Options.defaults())
        .filter("window = 'sentence'").first();
    assertEquals("a", ab.getAs("entity_a"));
    assertEquals(2L, (long) ab.getAs("count"));
    assertEquals(1L, (long) ab.getAs("docs"));
    assertEquals(0.510826, ab.getAs("pmi"), 1e-6);
    assertEquals(0.317394, ab.getAs("npmi"), 1e-6);
    assertEquals(1.265374, ab.getAs("llr"), 1e-6);
    assertEquals(0, Entities.pairs(rows(MENTIONS, toy), periods, new Entities.Options("rules", 20, 50, 3, 3.0, 6))
        .count(), "--min-pair-count 3 prunes a pair seen twice");
  }

  /**
   * Entities in too few sentences or articles of a period are left out of the pairs before they
   * are counted: the table must be the one of minimum 1, cut at the minimum, row for row.
   */
  @Test
  void aMinimumPairCountDropsOnlyPairsUnderIt() {
    java.util.Random random = new java.util.Random(7);
    List<Object[]> mentions = new ArrayList<>();
    String[] periods = {"2020-01", "2020-02"};
    for (int d = 0; d < 60; d++) {
      String period = periods[d % 2];
      int sentences = 1 + random.nextInt(6);
      for (int s = 0; s < sentences; s++) {
        for (int m = random.nextInt(5); m > 0; m--) {
          // A few common names and many rare ones, as in news.
          int e = random.nextInt(3) == 0 ? random.nextInt(4) : 4 + random.nextInt(400);
          mentions.add(new Object[] {"d" + d, period, s, 10 * m, "e" + e, e % 3 == 0 ? "PERSON" : "LOCATION"});
        }
      }
    }
    Dataset<Row> table = rows(MENTIONS, mentions);
    Dataset<Row> totals = rows(PERIODS, List.<Object[]>of(new Object[] {"2020-01", 30L, 100L},
        new Object[] {"2020-02", 30L, 110L}));
    Dataset<Row> unpruned = Entities.pairs(table, totals, Entities.Options.defaults().withMinPairCount(1));
    List<String> all = unpruned.collectAsList().stream().map(Row::toString).sorted().toList();
    for (long minimum : new long[] {2, 3}) {
      List<String> kept = Entities.pairs(table, totals, Entities.Options.defaults().withMinPairCount(minimum))
          .collectAsList().stream().map(Row::toString).sorted().toList();
      List<String> expected = unpruned.filter(org.apache.spark.sql.functions.col("count").geq(minimum))
          .collectAsList().stream().map(Row::toString).sorted().toList();
      assertFalse(expected.isEmpty());
      assertTrue(expected.size() < all.size());
      assertEquals(expected, kept, "minimum " + minimum);
    }
  }

  @Test
  void trendsScoreEachPeriodAgainstTheEntitysOwnPast() {
    // 10 articles a month; x is in 1, 1, 0 and 5 of them.
    List<Object[]> mentions = new ArrayList<>();
    String[] periods = {"2020-01", "2020-02", "2020-03", "2020-04"};
    int[] docs = {1, 1, 0, 5};
    for (int p = 0; p < 4; p++) {
      for (int d = 0; d < docs[p]; d++) {
        mentions.add(new Object[] {periods[p] + "-" + d, periods[p], 0, 0, "x", "PERSON"});
      }
    }
    List<Object[]> totals = new ArrayList<>();
    for (String p : periods) {
      totals.add(new Object[] {p, 10L, 100L});
    }
    Map<String, Row> byPeriod = Entities.trends(Entities.perPeriod(rows(MENTIONS, mentions)), rows(PERIODS, totals), Entities.Options.defaults())
        .collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("period"), r -> r));
    assertEquals(3, byPeriod.size(), "no row where x is absent");
    assertTrue(byPeriod.get("2020-01").isNullAt(byPeriod.get("2020-01").fieldIndex("zscore")), "no history yet");
    // 2020-02: history {0.1}, sd 0 floored at sqrt(0.1*0.9/10) = 0.0949: z = 0.
    assertEquals(0.0, byPeriod.get("2020-02").getAs("zscore"), 1e-9);
    // 2020-04: history {0.1, 0.1, 0}: mean 1/15, sd 0.0471 floored at 0.0949: z = (0.5 - 1/15) / 0.0949 = 4.5677.
    Row april = byPeriod.get("2020-04");
    assertEquals(0.5, april.getAs("share"), 1e-12);
    assertEquals(5L, (long) april.getAs("mentions"));
    assertEquals(4.567734, april.getAs("zscore"), 1e-6);
    assertTrue((boolean) april.getAs("burst"));
    assertFalse((boolean) byPeriod.get("2020-02").getAs("burst"));
  }

  @Test
  void trendsOfOneArticlePeriodsAreDefinedUnderAnsiMode() {
    // 2020-01: one article, with x (no history). 2020-02: one article, with y only (history of
    // zeros: sd 0). 2020-03: ten articles, x in 8 (history {1, 0}: mean 0.5, sd 0.5, z 0.6).
    List<Object[]> mentions = new ArrayList<>();
    mentions.add(new Object[] {"a", "2020-01", 0, 0, "x", "PERSON"});
    mentions.add(new Object[] {"b", "2020-02", 0, 0, "y", "PERSON"});
    for (int d = 0; d < 8; d++) {
      mentions.add(new Object[] {"c" + d, "2020-03", 0, 0, "x", "PERSON"});
    }
    List<Object[]> totals = List.of(new Object[] {"2020-01", 1L, 5L}, new Object[] {"2020-02", 1L, 5L},
        new Object[] {"2020-03", 10L, 50L});
    var conf = SharedSpark.spark().conf();
    String before = conf.get("spark.sql.ansi.enabled");
    List<Row> rows;
    conf.set("spark.sql.ansi.enabled", "true");
    try {
      rows = Entities.trends(Entities.perPeriod(rows(MENTIONS, mentions)), rows(PERIODS, totals), Entities.Options.defaults())
          .orderBy("period", "entity").collectAsList();
    } finally {
      conf.set("spark.sql.ansi.enabled", before);
    }
    assertEquals(3, rows.size());
    for (Row noMeasure : rows.subList(0, 2)) {
      assertTrue(noMeasure.isNullAt(noMeasure.fieldIndex("zscore")), "nothing to measure against: " + noMeasure);
      assertFalse((boolean) noMeasure.getAs("burst"));
      assertEquals(1.0, noMeasure.getAs("share"), 1e-12);
    }
    assertEquals("x", rows.get(2).getAs("entity"));
    assertEquals(0.6, rows.get(2).getAs("zscore"), 1e-9);
  }

}
