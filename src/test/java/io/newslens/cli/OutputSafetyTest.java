package io.newslens.cli;

import static io.newslens.SharedSpark.spark;
import static io.newslens.cli.CliTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.newslens.common.TableStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** newslens only replaces what it wrote, and its manifest says what a failed run completed. */
class OutputSafetyTest {
  @TempDir Path dir;

  /** Runs the command line and returns its exit code and what it printed on stderr. */
  static String[] execute(String... args) {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      int code = NewsLens.execute(args);
      return new String[] {String.valueOf(code), captured.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setErr(err);
    }
  }

  @Test
  void refusesAnOutputFolderOfUnrelatedFilesAndChangesNothing() throws Exception {
    spark();
    Path home = Files.createDirectories(dir.resolve("home"));
    Files.writeString(home.resolve("notes.txt"), "my notes");
    Files.createDirectories(home.resolve("model"));
    Files.writeString(home.resolve("model").resolve("weights.bin"), "my model");
    Files.createDirectories(home.resolve("articles"));
    Files.writeString(home.resolve("articles").resolve("draft.md"), "my draft");
    Map<String, String> before = snapshot(home);

    String[] result = execute("run", "--input", "data/sample-article", "--output", home.toString());
    assertEquals("2", result[0], result[1]);
    assertTrue(result[1].contains("is not empty and holds no newslens manifest.json"), result[1]);
    assertEquals(before, snapshot(home), "nothing in the folder changed");
    assertEquals(List.of("articles", "model", "notes.txt"), Files.list(home).map(p -> p.getFileName().toString()).sorted().toList());
  }

  @Test
  void aStageRefusesAnUnmarkedInputTableAndTheManifestSaysWhichStagesCompleted() throws Exception {
    spark();
    Path out = dir.resolve("out");
    assertEquals(0, NewsLens.execute("ingest", "--input", "data/sample-article", "--output", out.toString()));
    assertEquals(List.of("ingest"), stagesCompleted(out));

    Files.delete(out.resolve("ingested").resolve(TableStore.MARKER)); // as a write cut short on an object store
    String[] result = execute("clean", "--output", out.toString());
    assertEquals("1", result[0], result[1]);
    assertTrue(result[1].contains("table 'ingested' under") && result[1].contains(
        "is incomplete or was not written by newslens: rerun the stage that writes it"), result[1]);
    JsonNode manifest = manifest(out);
    assertEquals("failed", manifest.get("run").get("status").asText());
    assertEquals("failed", manifest.get("stages").get("clean").get("status").asText());
    assertTrue(manifest.get("stages").get("clean").get("error").asText().contains("incomplete"));
    assertEquals(List.of(), stagesCompleted(out), "the clean command completed nothing");
    assertFalse(Files.exists(out.resolve("articles")));
  }

  @Test
  void aRunThatFailsInALaterStageRecordsTheEarlierOnesAsCompleted() throws Exception {
    spark();
    Path out = dir.resolve("out");
    // An unknown recogniser is only found out when entities starts, after four stages.
    String[] result = execute("run", "--input", "data/sample-article", "--output", out.toString(), "--ner", "nosuch");
    assertEquals("1", result[0], result[1]);
    assertEquals(List.of("ingest", "clean", "tokenize", "topics"), stagesCompleted(out));
    JsonNode stages = manifest(out).get("stages");
    assertEquals("ok", stages.get("tokenize").get("status").asText());
    assertEquals("failed", stages.get("entities").get("status").asText());
    assertTrue(stages.get("entities").get("error").asText().contains("--ner"), stages.toString());
    assertEquals(manifest(out).get("run").get("id"), stages.get("entities").get("run_id"));
    assertEquals("failed", manifest(out).get("run").get("status").asText());

    // The folder is newslens's: the failed stage alone runs again on the tables already there.
    assertEquals(0, NewsLens.execute("entities", "--output", out.toString()));
    assertEquals(List.of("entities"), stagesCompleted(out));
    assertEquals("ok", manifest(out).get("stages").get("entities").get("status").asText());
    assertEquals("ok", manifest(out).get("stages").get("tokenize").get("status").asText(), "kept from the first run");
    assertEquals(0, NewsLens.execute("link", "--output", out.toString())); // the stage after it, which run never reached
    assertEveryTableHasItsSchema(out);
  }

  @Test
  void scoreRefusesAModelFolderWithoutTheMarker() throws Exception {
    spark();
    Path model = Files.createDirectories(dir.resolve("model"));
    Files.writeString(model.resolve("params.json"), "{\"k\": 2, \"alpha\": 0.5}");
    String[] result = execute("score", "--model", model.toString(), "--input", "data/sample-article",
        "--output", dir.resolve("scored").toString());
    assertEquals("1", result[0], result[1]);
    assertTrue(result[1].contains("the model 'model' under") && result[1].contains(
        "is incomplete or was not written by newslens"), result[1]);
    assertFalse(Files.exists(dir.resolve("scored").resolve("ingested")), "nothing scored with a doubtful model");
  }
}
