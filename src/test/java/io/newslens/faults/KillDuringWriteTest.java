package io.newslens.faults;

import static io.newslens.SharedSpark.spark;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.newslens.cli.NewsLens;
import io.newslens.common.TableStore;
import io.newslens.common.Tables;
import io.newslens.common.Tables.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults 2 and 3: the job is killed with SIGKILL in the middle of a table write, over a complete
 * earlier output; then it is run again.
 *
 * <p>Guards: the staged write (a table is written under {@code _staging/}, marked last, renamed
 * into place), the readers' marker check, and the next run's clean-up of what the dead run left.
 * Without staging, the killed write would leave a partial {@code articles} in place (its
 * previous rows gone); without the marker check a reader could take a half-written folder.
 */
class KillDuringWriteTest {

  @Test
  @Timeout(value = 40, unit = TimeUnit.MINUTES) // a hang guard only
  void aRunKilledWhileWritingLeavesCompleteTablesAndARerunGivesTheCleanRows() throws Exception {
    Path reference = FaultFixtures.reference();
    Path out = FaultFixtures.root().resolve("killed");
    copyTree(reference, out);

    // The killed run reads other input (ten of the records), so that what it replaced can be told
    // from what it did not reach.
    Path other = FaultFixtures.root().resolve("other.jsonl");
    Files.write(other, Files.readAllLines(FaultFixtures.corpus().resolve("news.jsonl")).subList(0, 10));
    Process child = FaultFixtures.child(List.of(
            "-Dspark.master=local[2]", "-Dspark.sql.shuffle.partitions=4",
            "-Dspark.hadoop.fs.file.impl=" + FaultInjectingFileSystem.class.getName(),
            "-Dspark.hadoop." + FaultInjectingFileSystem.MODE + "=slow-writes",
            "-Dspark.hadoop." + FaultInjectingFileSystem.DELAY_MS + "=300"),
        FaultFixtures.root().resolve("killed.log"), FaultFixtures.runArgs(other, out)).start();
    Path halfWritten;
    try {
      halfWritten = waitForAFileBeingWritten(out, Tables.ARTICLES.name(), child);
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs in the child
      assertTrue(child.waitFor(1, TimeUnit.MINUTES));
    } finally {
      child.destroyForcibly();
    }
    assertEquals(137, child.exitValue(), "killed by SIGKILL");

    // The write was in progress: its folder is there, with no marker.
    assertTrue(Files.isDirectory(halfWritten));
    assertFalse(Files.exists(halfWritten.resolve(TableStore.MARKER)), "killed before the write completed");
    // Every table is complete and readable: ingest's two are the killed run's, the others the earlier run's.
    for (Table table : Tables.ALL) {
      assertTrue(FaultFixtures.complete(out, table), table.name());
      long rows = FaultFixtures.table(out, table.name()).count();
      if (table == Tables.INGESTED) {
        assertEquals(10, rows, "ingest completed in the killed run");
      } else if (table != Tables.REJECTS) {
        assertEquals(FaultFixtures.table(reference, table.name()).count(), rows, table.name() + " is the earlier one");
      }
    }
    FaultFixtures.assertSameRowsOf(reference, out, Tables.ARTICLES.name());
    // Readers (a stage, score, the report) see the earlier articles, not the half-written ones.
    TableStore reader = new TableStore(spark(), out.toString());
    assertEquals(FaultFixtures.table(reference, Tables.ARTICLES.name()).count(), reader.read(Tables.ARTICLES).count());
    JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertEquals("running", manifest.get("run").get("status").asText(), "the manifest says the run never ended");
    assertEquals(List.of("ingest"), textsOf(manifest.get("stages_completed")));

    // The next run redoes the work cleanly: the same rows as a clean run, none twice, no leftovers.
    assertEquals(0, NewsLens.execute(FaultFixtures.runArgs(FaultFixtures.corpus(), out)));
    FaultFixtures.assertSameRows(reference, out);
    assertFalse(Files.exists(halfWritten), "the half-written table was cleaned up");
    List<Row> ids = FaultFixtures.table(out, Tables.ARTICLES.name()).groupBy("doc_id").count().filter("count > 1")
        .collectAsList();
    assertEquals(List.of(), ids, "no article twice");
  }

  /**
   * Polls until a Parquet file appears in a folder being written for the table: a staging
   * folder, or the table's own folder should a write ever go there directly.
   */
  static Path waitForAFileBeingWritten(Path output, String table, Process child) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
    Path staging = output.resolve("_staging");
    while (System.nanoTime() < deadline) {
      assertTrue(child.isAlive(), "the run ended before writing the table");
      List<Path> candidates = new java.util.ArrayList<>();
      if (Files.isDirectory(output.resolve(table).resolve("_temporary"))) {
        candidates.add(output.resolve(table));
      }
      if (Files.isDirectory(staging)) {
        try (var dirs = Files.list(staging)) {
          dirs.filter(d -> d.getFileName().toString().startsWith(table + "-")).forEach(candidates::add);
        } catch (java.io.UncheckedIOException | java.io.IOException raced) {
          // a folder moved while listed: look again
        }
      }
      for (Path dir : candidates) {
        try (var files = Files.walk(dir)) {
          if (files.anyMatch(f -> f.getFileName().toString().endsWith(".parquet"))) {
            return dir;
          }
        } catch (java.io.UncheckedIOException | java.io.IOException raced) {
          // a file moved while listed: look again
        }
      }
      Thread.sleep(5);
    }
    throw new AssertionError("no write of " + table + " seen");
  }

  static List<String> textsOf(JsonNode array) {
    List<String> texts = new java.util.ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }

  static void copyTree(Path from, Path to) throws java.io.IOException {
    try (var paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
  }
}
