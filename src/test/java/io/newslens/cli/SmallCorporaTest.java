package io.newslens.cli;

import static io.newslens.SharedSpark.spark;
import static io.newslens.cli.CliTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.newslens.common.Tables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corpora too small for a stage's work complete anyway: the stage writes its tables empty, says
 * why in the manifest, and the run goes on to exit 0.
 */
class SmallCorporaTest {
  static final List<String> STAGES = List.of("ingest", "clean", "tokenize", "topics", "entities", "link", "report");

  /** The report page's text, as a reader sees it. */
  static String reportText(Path out) throws Exception {
    return org.jsoup.Jsoup.parse(out.resolve("report").resolve("index.html").toFile(), "UTF-8").body().text();
  }
  @TempDir Path dir;

  @Test
  void oneArticleCompletesWithEveryEntityTableFilled() throws Exception {
    spark();
    Path out = dir.resolve("one");
    assertEquals(0, NewsLens.execute("run", "--input", "data/sample-article", "--output", out.toString()));
    assertEveryTableHasItsSchema(out);
    assertEquals(STAGES, stagesCompleted(out));
    JsonNode topics = manifest(out).get("stages").get("topics");
    assertEquals("skipped", topics.get("status").asText());
    assertTrue(topics.get("reason").asText().contains("too few documents"), topics.toString());
    assertEquals("ok", manifest(out).get("stages").get("entities").get("status").asText());
    assertEquals("ok", manifest(out).get("run").get("status").asText());
    assertEquals(0, table(out, Tables.TOPIC_TERMS).count());
    assertFalse(Files.exists(out.resolve("model")), "no model from one article");
    String report = reportText(out);
    assertTrue(report.contains("no topics: skipped: too few documents"), report);
    assertTrue(report.contains("Ryan Crocker"), "the entities are in the report");
    JsonNode link = manifest(out).get("stages").get("link");
    assertEquals("skipped", link.get("status").asText(), "no topics to link entities to");
    assertTrue(link.get("reason").asText().contains("no document topics"), link.toString());

    assertEquals(4, table(out, Tables.ENTITY_MENTIONS).filter("entity = 'Ryan Crocker' and type = 'PERSON'").count());
    assertEquals(1, table(out, Tables.ENTITIES).filter("entity = 'Iran' and type = 'LOCATION'").count());
    assertEquals(1, table(out, Tables.ENTITY_PAIRS).filter("window = 'document'"
        + " and entity_a = 'Hassan Kazemi Qomi' and entity_b = 'Ryan Crocker'").count());
    assertTrue(table(out, Tables.ENTITY_TRENDS).filter("period = '2007-07' and entity = 'Iran' and zscore is null").count() == 1);
  }

  @Test
  void tenArticlesGetAsManyTopicsAsTheySupport() throws Exception {
    spark();
    Path input = dir.resolve("ten.jsonl");
    Files.write(input, Files.readAllLines(Path.of("data/sotu-sample.jsonl")).subList(0, 10));
    Path out = dir.resolve("ten");
    assertEquals(0, NewsLens.execute("run", "--input", input.toString(), "--output", out.toString(),
        "--topics", "20", "--iterations", "50"));
    assertEveryTableHasItsSchema(out);
    assertEquals(STAGES, stagesCompleted(out));
    JsonNode topics = manifest(out).get("stages").get("topics");
    assertEquals("ok", topics.get("status").asText());
    int k = topics.get("k").asInt();
    assertTrue(k >= 2 && k <= 10, "at most one topic per document: " + k);
    assertEquals(20, topics.get("k_requested").asInt());
    assertTrue(topics.get("notes").get(0).asText().startsWith("--topics 20 lowered to " + k), topics.toString());
    assertEquals(k, table(out, Tables.TOPIC_METRICS).count());
    assertEquals(10, table(out, Tables.DOC_TOPICS).select("doc_id").distinct().count());
    assertTrue(table(out, Tables.TOPIC_ENTITIES).filter("period = 'all'").count() > 0, "ten articles link topics and entities");
    assertTrue(table(out, Tables.ENTITY_TOPICS).filter("period = '1982-01'").count() > 0, "per period too");
    assertTrue(Files.isRegularFile(out.resolve("model").resolve("_NEWSLENS")));
    assertTrue(table(out, Tables.ENTITY_PAIRS).count() > 0);

    // Topics again with a vocabulary too strict for ten documents: skipped, and the earlier model,
    // which no longer matches the (empty) topic tables, is gone so that `score` cannot use it.
    assertEquals(0, NewsLens.execute("topics", "--output", out.toString(), "--min-df", "11"));
    JsonNode again = manifest(out).get("stages").get("topics");
    assertEquals("skipped", again.get("status").asText());
    assertTrue(again.get("reason").asText().contains("--min-df 11"), again.toString());
    assertFalse(Files.exists(out.resolve("model")));
    assertEquals(0, table(out, Tables.TOPIC_METRICS).count());
    assertEquals(List.of("topics"), stagesCompleted(out));
  }

  @Test
  void inputWithEveryRecordRejectedCompletesWithEmptyTables() throws Exception {
    spark();
    Path input = dir.resolve("bad.jsonl");
    Files.writeString(input, "{broken\n{\"id\":\"2\",\"text\":\"no date\"}\n{\"id\":\"3\",\"date\":\"2001-01-01\"}\n");
    Path out = dir.resolve("bad");
    assertEquals(0, NewsLens.execute("run", "--input", input.toString(), "--output", out.toString()));
    assertEveryTableHasItsSchema(out);
    assertEquals(STAGES, stagesCompleted(out));
    assertEquals(3, table(out, Tables.REJECTS).count());
    for (Tables.Table table : Tables.ALL) {
      if (table != Tables.REJECTS) {
        assertEquals(0, table(out, table).count(), table.name());
      }
    }
    JsonNode stages = manifest(out).get("stages");
    assertTrue(stages.get("ingest").get("notes").get(0).asText().contains("every record was rejected"));
    for (String stage : STAGES.subList(1, STAGES.indexOf("report"))) {
      assertEquals("skipped", stages.get(stage).get("status").asText(), stage);
      assertFalse(stages.get(stage).get("reason").asText().isBlank(), stage);
    }
    assertTrue(stages.get("clean").get("reason").asText().contains("every record was rejected"));
    // The report is written all the same: it is where a reader sees why.
    assertEquals("ok", stages.get("report").get("status").asText());
    String report = reportText(out);
    for (String expected : List.of("malformed_record 1", "missing_date 1", "missing_text 1", "no topics: skipped:",
        "no entities: skipped:", "no periods: no kept articles")) {
      assertTrue(report.contains(expected), expected + " in: " + report);
    }
  }
}
