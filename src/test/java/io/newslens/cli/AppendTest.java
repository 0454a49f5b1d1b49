package io.newslens.cli;

import static io.newslens.SharedSpark.spark;
import static io.newslens.cli.CliTestSupport.*;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.newslens.common.Tables;
import io.newslens.common.Tables.Table;
import io.newslens.topics.GibbsLDAModel;
import io.newslens.topics.Topics;
import io.newslens.topics.Vocabulary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --append}: day 1, then day 2 appended, gives the tables one run over days 1-2
 * gives; appending the same input again changes nothing.
 *
 * <p>The corpus: 34 Europarl speeches of 1996-04 to 1997-07, by month. Day 2 falls in the middle
 * (1996-10, a month day 1 does not have, so every later period moves by one), shares 1997-03
 * with day 1, and brings the last months, an exact and a near copy of day-1 speeches dated
 * later, and a 1996-10 article naming entities of 1996-11. The trend window is 2 periods, so trends beyond the window after a touched period
 * must stay as they were, and those inside it must change. Day 2 also names again a MISC name
 * day 1 named once, so the entity resolution of all articles together changes an earlier,
 * untouched period's mentions, which the append rewrites too.
 *
 * <p>Topics: the model is day 1's in both cases being compared. What is equal: after the
 * append, doc_topics and topic_trends of the touched periods are the saved model's fold-in of
 * every document of those periods ({@link GibbsLDAModel#transform}), and the model, topic_terms,
 * topic_metrics and the other periods' rows are day 1's. What is not: a run over days 1-2 fits
 * another model, so its topics are not compared with the append's.
 */
class AppendTest {
  @TempDir static Path dir;
  static Path appended;
  static Path oneRun;
  /** The appended output's tables as day 1 left them, before the append. */
  static final Map<String, List<String>> DAY1 = new TreeMap<>();
  static int failedAppendExit;
  static final Map<String, List<String>> AFTER_FAILED = new TreeMap<>();
  static boolean AFTER_FAILED_STAGING;
  /** Files of partitions the append must not touch, before it. */
  static final Map<String, Map<String, String>> DAY1_FILES = new TreeMap<>();

  static final List<String> DAY2_MONTHS = List.of("1996-10", "1997-05", "1997-06", "1997-07");

  @BeforeAll
  static void runBoth() throws Exception {
    spark();
    ObjectMapper json = new ObjectMapper();
    List<String> day1 = new ArrayList<>();
    List<String> day2 = new ArrayList<>();
    Map<String, ObjectNode> byId = new TreeMap<>();
    for (String line : Files.readAllLines(Path.of("data/europarl-sample.jsonl"))) {
      ObjectNode record = (ObjectNode) json.readTree(line);
      String date = record.get("date").asText();
      if (date.compareTo("1996-04") < 0 || date.compareTo("1997-08") >= 0) {
        continue;
      }
      byId.put(record.get("id").asText(), record);
      boolean second = DAY2_MONTHS.contains(date.substring(0, 7)) || date.compareTo("1997-03-12") >= 0
          && date.startsWith("1997-03");
      (second ? day2 : day1).add(line);
    }
    ObjectNode exact = byId.get("europarl-013622").deepCopy();
    exact.put("id", "copy-exact").put("date", "1997-07-20");
    day2.add(json.writeValueAsString(exact));
    ObjectNode near = byId.get("europarl-010868").deepCopy();
    near.put("id", "copy-near").put("date", "1997-06-20")
        .put("text", near.get("text").asText().replaceFirst("\\.\\s*$", ", as we said before."));
    day2.add(json.writeValueAsString(near));
    // Names 1996-11 has too, so that its trends, which look back at 1996-10, change.
    ObjectNode october = json.createObjectNode().put("id", "october-france").put("date", "1996-10-25")
        .put("title", "France").put("source", "europarl").put("text", "Mr President, the French Government has"
            + " written to the Committee on Research about the Fifth Framework Programme. France believes that the"
            + " European Community should give more money to research and technological development, and that"
            + " the programme must be agreed before the end of the year. We support the report of the committee.");
    day2.add(json.writeValueAsString(october));

    Path inA = Files.createDirectories(dir.resolve("a-in"));
    Path inB = Files.createDirectories(dir.resolve("b-in"));
    Files.write(inA.resolve("day1.jsonl"), day1);
    Files.write(inB.resolve("day1.jsonl"), day1);
    Files.write(inB.resolve("day2.jsonl"), day2);
    appended = dir.resolve("appended");
    oneRun = dir.resolve("one-run");
    assertEquals(0, NewsLens.execute(args(inA, appended)));
    for (Table table : Tables.ALL) {
      DAY1.put(table.name(), rows(appended, table));
    }
    table(appended, Tables.ENTITY_MENTIONS).write().parquet(dir.resolve("day1-mentions").toString());
    for (Table table : List.of(Tables.ARTICLES, Tables.TOKENS_TABLE, Tables.ENTITY_MENTIONS, Tables.ENTITY_TRENDS)) {
      try (var partitions = Files.list(appended.resolve(table.name()))) {
        for (Path partition : partitions.filter(Files::isDirectory).toList()) {
          DAY1_FILES.put(table.name() + "/" + partition.getFileName(), snapshot(partition));
        }
      }
    }
    Files.write(inA.resolve("day2.jsonl"), day2);
    // An append that fails half-way (the saved model is unreadable when topics come, after the
    // new articles and tokens are staged) changes nothing; the next append reads day 2 again.
    Path topicWord = appended.resolve("model").resolve("topic_word");
    Path aside = dir.resolve("topic_word-aside");
    Files.move(topicWord, aside);
    failedAppendExit = NewsLens.execute(append(args(inA, appended)));
    for (Table table : Tables.ALL) {
      AFTER_FAILED.put(table.name(), rows(appended, table));
    }
    try (var staged = Files.exists(appended.resolve("_staging")) ? Files.list(appended.resolve("_staging"))
        : java.util.stream.Stream.<Path>empty()) {
      AFTER_FAILED_STAGING = staged.anyMatch(p -> p.getFileName().toString().startsWith("batch-"));
    }
    Files.move(aside, topicWord);
    assertEquals(0, NewsLens.execute(append(args(inA, appended))));
    assertEquals(0, NewsLens.execute(args(inB, oneRun)));
  }

  static String[] args(Path input, Path output) {
    return new String[] {"run", "--input", input.toString(), "--output", output.toString(), "--period", "month",
        "--trend-window", "2", "--topics", "3", "--iterations", "60"};
  }

  static String[] append(String[] args) {
    List<String> list = new ArrayList<>(List.of(args));
    list.add("--append");
    return list.toArray(String[]::new);
  }

  /** Every row as text, sorted: equal lists are equal tables. */
  static List<String> rows(Dataset<Row> data) {
    String[] columns = data.columns();
    java.util.Arrays.sort(columns);
    return data.selectExpr(columns).collectAsList().stream().map(Row::toString).sorted().toList();
  }

  /** Rows with doubles to 12 digits: sums over the same numbers in another order differ in the last bits. */
  static List<String> rounded(Dataset<Row> data) {
    for (var field : data.schema().fields()) {
      if (field.dataType().equals(org.apache.spark.sql.types.DataTypes.DoubleType)) {
        data = data.withColumn(field.name(), org.apache.spark.sql.functions.round(col(field.name()), 12));
      }
    }
    return rows(data);
  }

  static List<String> day1Rows(Table table, String filter) {
    return DAY1.get(table.name()).stream().filter(row -> row.contains(filter)).toList();
  }

  static List<String> rows(Path output, Table table) {
    return rows(table(output, table));
  }

  @Test
  void articlesAndEntityTablesEqualOneRun() {
    for (Table table : List.of(Tables.ARTICLES, Tables.ENTITY_MENTIONS, Tables.ENTITIES, Tables.ENTITY_PAIRS,
        Tables.ENTITY_TRENDS)) {
      List<String> expected = rows(oneRun, table);
      assertFalse(expected.isEmpty(), table.name());
      assertEquals(expected, rows(appended, table), table.name());
    }
    assertFalse(rows(table(appended, Tables.ENTITY_MENTIONS).filter("type = 'MISC'")).isEmpty());
    // Tokens and term forms without the phrases, which an append takes from day 1.
    assertEquals(rows(table(oneRun, Tables.TOKENS_TABLE).drop(Tables.PHRASES)),
        rows(table(appended, Tables.TOKENS_TABLE).drop(Tables.PHRASES)));
    assertEquals(rows(table(oneRun, Tables.TERM_FORMS).filter("term not like '% %'")),
        rows(table(appended, Tables.TERM_FORMS).filter("term not like '% %'")));
    assertEquals(table(oneRun, Tables.INGESTED).count(), table(appended, Tables.INGESTED).count());
  }

  @Test
  void aFailedAppendLeavesTheOutputAsItWas() {
    assertEquals(1, failedAppendExit);
    assertEquals(DAY1, AFTER_FAILED);
    assertFalse(AFTER_FAILED_STAGING, "the failed append's staged tables are deleted");
  }

  @Test
  void copiesOfDay1ArticlesAreMarkedAgainstThem() {
    Map<String, String> duplicateOf = new TreeMap<>();
    table(appended, Tables.ARTICLES).filter(col(Tables.DUPLICATE_OF).isNotNull()).collectAsList()
        .forEach(r -> duplicateOf.put(r.getAs(Tables.DOC_ID), r.getAs(Tables.DUPLICATE_OF)));
    assertEquals("europarl-013622", duplicateOf.get("copy-exact"));
    assertEquals("europarl-010868", duplicateOf.get("copy-near"));
  }

  @Test
  void onlyTouchedPeriodsAndTheTrendWindowAfterThemAreRewritten() throws Exception {
    JsonNode appendEntry = manifest(appended).get("appends").get(0);
    List<String> touched = List.of("1996-10", "1997-03", "1997-05", "1997-06", "1997-07");
    assertEquals(touched, texts(appendEntry.get("periods_rewritten").get("articles")));
    assertEquals(touched, texts(appendEntry.get("periods_rewritten").get("tokens")));
    // Entity mentions: the touched periods, and the day-1 periods whose resolved mentions the
    // new articles changed (a MISC name that now recurs); here there is at least one such period.
    Dataset<Row> before = spark().read().parquet(dir.resolve("day1-mentions").toString());
    Dataset<Row> after = table(appended, Tables.ENTITY_MENTIONS);
    java.util.TreeSet<String> changedByDay2 = new java.util.TreeSet<>();
    before.exceptAll(after).union(after.exceptAll(before)).select("period").distinct().collectAsList()
        .forEach(r -> changedByDay2.add(r.getString(0)));
    changedByDay2.removeAll(touched);
    assertFalse(changedByDay2.isEmpty(), "day 2 changes the resolved mentions of an earlier period");
    java.util.TreeSet<String> mentionPeriods = new java.util.TreeSet<>(touched);
    mentionPeriods.addAll(changedByDay2);
    assertEquals(List.copyOf(mentionPeriods), texts(appendEntry.get("periods_rewritten").get("entity_mentions")));
    // Trends: those periods and the two after each (the trend window), whose z-scores look back at them.
    List<String> allPeriods = table(appended, Tables.ARTICLES).select("period").distinct().collectAsList().stream()
        .map(r -> r.getString(0)).sorted().toList();
    java.util.TreeSet<String> trendPeriods = new java.util.TreeSet<>();
    for (String period : mentionPeriods) {
      int at = allPeriods.indexOf(period);
      trendPeriods.addAll(allPeriods.subList(at, Math.min(at + 3, allPeriods.size())));
    }
    assertEquals(List.copyOf(trendPeriods), texts(appendEntry.get("periods_rewritten").get("entity_trends")));
    assertTrue(trendPeriods.size() < allPeriods.size(), "some trend periods are beyond every window");
    assertTrue(appendEntry.get("inputs").toString().contains("day2.jsonl"), appendEntry.toString());
    assertFalse(appendEntry.get("inputs").toString().contains("day1.jsonl"), "day 1 is not read again");
    // Every partition outside those periods holds the files day 1 wrote, not copies.
    Map<String, List<String>> rewritten = Map.of(Tables.ARTICLES.name(), touched, Tables.TOKENS_TABLE.name(), touched,
        Tables.ENTITY_MENTIONS.name(), List.copyOf(mentionPeriods), Tables.ENTITY_TRENDS.name(), List.copyOf(trendPeriods));
    int untouched = 0;
    for (var partition : DAY1_FILES.entrySet()) {
      String[] tableAndFolder = partition.getKey().split("/");
      if (!rewritten.get(tableAndFolder[0]).contains(tableAndFolder[1].substring("period=".length()))) {
        assertEquals(partition.getValue(), snapshot(appended.resolve(partition.getKey())), partition.getKey());
        untouched++;
      }
    }
    assertTrue(untouched > 20, "partitions left as they were: " + untouched);
    // A period beyond every window keeps day 1's trends; 1996-11's z-scores now look back at 1996-10.
    String beyond = allPeriods.stream().filter(p -> !trendPeriods.contains(p)).reduce((a, b) -> b).orElseThrow();
    assertEquals(day1Rows(Tables.ENTITY_TRENDS, "," + beyond + ","),
        rows(table(appended, Tables.ENTITY_TRENDS).filter("period = '" + beyond + "'")));
    assertFalse(day1Rows(Tables.ENTITY_TRENDS, "," + beyond + ",").isEmpty(), beyond);
    assertNotEquals(day1Rows(Tables.ENTITY_TRENDS, ",1996-11,"), rows(table(appended, Tables.ENTITY_TRENDS).filter("period = '1996-11'")));
  }

  static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }

  @Test
  void topicsOfTouchedPeriodsAreTheSavedModelsFoldIn() {
    for (Table table : List.of(Tables.TOPIC_TERMS, Tables.TOPIC_METRICS)) {
      assertEquals(DAY1.get(table.name()), rows(appended, table), table.name());
    }
    List<String> touched = List.of("1996-10", "1997-03", "1997-05", "1997-06", "1997-07");
    String inTouched = "period in ('" + String.join("', '", touched) + "')";
    for (Table table : List.of(Tables.DOC_TOPICS, Tables.TOPIC_TRENDS)) {
      List<String> untouchedDay1 = DAY1.get(table.name()).stream()
          .filter(row -> touched.stream().noneMatch(p -> row.contains("," + p + ","))).toList();
      assertFalse(untouchedDay1.isEmpty());
      assertEquals(untouchedDay1, rows(table(appended, table).filter("not " + inTouched)), table.name());
    }

    GibbsLDAModel model = Topics.loadModel(spark(), appended.resolve("model").toString())
        .setFeaturesCol("terms").setIdCol("doc_id").setLogLikelihoodCol("ll");
    Dataset<Row> documents = Vocabulary.documentTerms(table(appended, Tables.TOKENS_TABLE).filter(inTouched));
    Dataset<Row> weights = model.transform(documents).filter("ll < 0").select(col("doc_id"), col("period"),
        org.apache.spark.sql.functions.posexplode(org.apache.spark.ml.functions.vector_to_array(
            col(model.getTopicDistributionCol()), "float64")).as(new String[] {"topic", "weight"}));
    assertEquals(rounded(weights.filter(col("weight").geq(Topics.MIN_DOC_WEIGHT))),
        rounded(table(appended, Tables.DOC_TOPICS).filter(inTouched)));
    assertEquals(rounded(Topics.trends(weights)), rounded(table(appended, Tables.TOPIC_TRENDS).filter(inTouched)));
    assertEquals(touched.size(), table(appended, Tables.TOPIC_TRENDS).filter(inTouched).select("period").distinct().count());
  }

  @Test
  void appendingTheSameInputAgainChangesNoRow() throws Exception {
    Map<String, List<String>> before = new TreeMap<>();
    for (Table table : Tables.ALL) {
      before.put(table.name(), rows(appended, table));
    }
    Map<String, String> files = snapshot(appended.resolve("articles"));
    String[] again = append(args(dir.resolve("a-in"), appended));
    assertEquals(0, NewsLens.execute(again));
    List<String> sinceArgs = new ArrayList<>(List.of(again));
    sinceArgs.add("--since");
    sinceArgs.add("1996-01-01");
    assertEquals(0, NewsLens.execute(sinceArgs.toArray(String[]::new)), "every record read again");
    for (Table table : Tables.ALL) {
      assertEquals(before.get(table.name()), rows(appended, table), table.name());
    }
    assertEquals(files, snapshot(appended.resolve("articles")), "no partition rewritten");
    JsonNode appends = manifest(appended).get("appends");
    assertEquals(2, appends.size(), appends.toString()); // the first found no new file at all
    assertEquals(0, appends.get(1).get("ingested").asLong());
    assertTrue(appends.get(1).get("already_in_output").asLong() > 30, appends.toString());
  }
}
