package io.newslens.cli;

import static io.newslens.SharedSpark.spark;
import static org.junit.jupiter.api.Assertions.*;

import io.newslens.common.Tables;
import io.newslens.common.Tables.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's local run, on the sample corpus in data/, through the real command line. That a
 * second run gives the same rows is checked on a smaller corpus, where it costs less: in this
 * JVM by KillDuringWriteTest's rerun, in another JVM by TaskRetriesTest, with other partition
 * counts by PartitioningDeterminismTest.
 */
class EndToEndTest {
  @TempDir static Path dir;
  static Path first;

  @BeforeAll
  static void runOnSampleData() {
    first = SampleRun.output(); // shared with the other classes that read the sample run
  }

  static String[] runOn(Path output) {
    return SampleRun.args(output);
  }

  static Dataset<Row> table(Path output, Table table) {
    return spark().read().parquet(output.resolve(table.name()).toString());
  }

  @Test
  void producesEveryTableFromTheSampleCorpus() throws Exception {
    for (Table table : Tables.ALL) {
      assertTrue(Files.exists(first.resolve(table.name()).resolve("_SUCCESS")), table.name());
      assertEquals(List.of(table.columns()).stream().sorted().toList(),
          List.of(table(first, table).columns()).stream().sorted().toList(), table.name());
    }
    assertEquals(405, table(first, Tables.ARTICLES).count());
    assertEquals(0, table(first, Tables.REJECTS).count());
    assertTrue(table(first, Tables.TOKENS_TABLE).count() > 10_000);
    assertTrue(table(first, Tables.PHRASES_TABLE).filter("term = 'united states'").count() == 1);
    String manifest = Files.readString(first.resolve("manifest.json"));
    for (String stage : List.of("\"ingest\"", "\"clean\"", "\"tokenize\"", "\"topics\"", "\"log_perplexity\"",
        "\"entities\"", "\"spark_nlp\" : \"5.5.3\"")) {
      assertTrue(manifest.contains(stage), stage);
    }
  }

  @Test
  void entitiesOfTheSampleArticleAndTheCorpus() {
    Dataset<Row> mentions = table(first, Tables.ENTITY_MENTIONS).filter("doc_id = 'ap-2007-07-24-us-iran-talks'");
    assertEquals(4, mentions.filter("entity = 'Ryan Crocker' and type = 'PERSON'").count());
    assertEquals(0, mentions.filter("entity = 'Crocker' or entity = 'U.S.'").count());
    assertEquals(1, table(first, Tables.ENTITY_PAIRS).filter("period = '2007-07' and window = 'document'"
        + " and entity_a = 'Hassan Kazemi Qomi' and entity_b = 'Ryan Crocker'").count());
    Row us = table(first, Tables.ENTITIES).filter("entity = 'United States' and type = 'LOCATION'").first();
    assertTrue((long) us.getAs("docs") > 30, "the State of the Union speeches name it: " + us);
    assertTrue(table(first, Tables.ENTITY_TRENDS).filter("period = '2007-07' and entity = 'Iran'").count() == 1);
  }

  /** The report of the sample run: every section drawn from the tables, and small. */
  @Test
  void reportOfTheSampleRunDrawsEveryChart() throws Exception {
    Path page = first.resolve("report").resolve("index.html");
    assertTrue(Files.isRegularFile(first.resolve("report").resolve("_NEWSLENS")));
    assertTrue(Files.size(page) < 2_000_000, "aggregates only: " + Files.size(page));
    org.jsoup.nodes.Document html = org.jsoup.Jsoup.parse(page.toFile(), "UTF-8");
    long topics = table(first, Tables.TOPIC_METRICS).count();
    assertEquals(topics, html.select("svg.stacked-area path.area").size());
    assertEquals(3 * io.newslens.report.ReportData.TOP_ENTITIES, html.select("svg.spark").size());
    assertEquals(io.newslens.report.ReportData.PERIOD_PAGES, html.select("article.period").size());
    assertFalse(html.select("svg.network line.edge").isEmpty());
    assertTrue(html.select("table.topics").text().contains("State of the Union"), "titles of top articles");
    assertEquals("ok", CliTestSupport.manifest(first).get("stages").get("report").get("status").asText());
  }

  @Test
  void sampleArticleComesOutWithoutBoilerplate() {
    Row article = table(first, Tables.ARTICLES).filter("doc_id = 'ap-2007-07-24-us-iran-talks'").first();
    String text = article.getAs("text");
    assertTrue(text.startsWith("U.S. and Iran agree on security panel for Iraq"), text);
    assertFalse(text.contains("subscribing"));
    assertFalse(text.contains("Archive"));
    assertTrue(text.endsWith("could not independently confirm the casualty figures in Hillah."));
    assertEquals("2007-07", article.getAs("period"));
    assertEquals("en", article.getAs("lang"));
  }

  @Test
  void topicTablesAnswerTheAnalystsQuestions() {
    assertEquals(20 * 30, table(first, Tables.TOPIC_TERMS).count());
    assertEquals(20, table(first, Tables.TOPIC_METRICS).count());
    for (Row period : table(first, Tables.TOPIC_TRENDS).groupBy("period").sum("share").collectAsList()) {
      assertEquals(1.0, period.getDouble(1), 1e-6, period.getString(0));
    }
    // every displayed term is a word of the corpus, not a stem
    Dataset<Row> words = table(first, Tables.TOKENS_TABLE).selectExpr("explode(tokens) as w").distinct();
    Dataset<Row> shown = table(first, Tables.TOPIC_TERMS).selectExpr("explode(split(term, ' ')) as w").distinct();
    assertEquals(0, shown.join(words, shown.col("w").equalTo(words.col("w")), "left_anti").count());
  }

  @Test
  void scoreGivesNewArticlesTheirTopicsWithoutRetraining() {
    Path scored = dir.resolve("scored");
    assertEquals(0, NewsLens.execute("score", "--model", first.resolve("model").toString(),
        "--input", "data/sample-article", "--output", scored.toString()));
    Dataset<Row> topics = table(scored, Tables.DOC_TOPICS);
    assertEquals(1, topics.select("doc_id").distinct().count());
    assertEquals(1.0, topics.agg(org.apache.spark.sql.functions.sum("weight")).first().getDouble(0), 0.3);
  }

  @Test
  void badRecordsAreRejectedNotFatalUnlessTooMany() throws Exception {
    Path input = dir.resolve("bad.jsonl");
    Files.writeString(input, "{\"id\":\"1\",\"date\":\"2001-01-01\",\"text\":\"Fine article text here.\"}\n"
        + "{broken\n{\"id\":\"2\",\"text\":\"no date\"}\n");
    Path out = dir.resolve("bad-out");
    assertEquals(0, NewsLens.execute("ingest", "--input", input.toString(), "--output", out.toString()));
    assertEquals(2, table(out, Tables.REJECTS).count());
    assertEquals(3, NewsLens.execute("ingest", "--input", input.toString(), "--output", out.toString(),
        "--max-reject-ratio", "0.5"));
    assertEquals(2, NewsLens.execute("ingest", "--output", out.toString()), "--input is required");
    assertEquals(1, NewsLens.execute("ingest", "--input", dir.resolve("missing").toString(), "--output", out.toString()));
  }
}
