package io.newslens.common;

import static io.newslens.SharedSpark.spark;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batches: the touched partitions replaced all together, or nothing, however the run ends. */
class TableStoreBatchTest {
  @TempDir Path dir;

  static Dataset<Row> sentences(String period, int n, String word) {
    return spark().range(n).selectExpr("concat('" + period + "-', cast(id as string)) as doc_id",
        "'" + period + "' as period", "0 as sentence", "0 as begin", "1 as end",
        "array('" + word + "') as tokens", "array('" + word + "') as terms", "array() as phrases");
  }

  /** (period -> sorted doc_id:word) of the tokens table. */
  static Map<String, List<String>> content(TableStore store) {
    Map<String, List<String>> byPeriod = new TreeMap<>();
    for (Row row : store.read(Tables.TOKENS_TABLE).selectExpr("period", "concat(doc_id, ':', tokens[0])").collectAsList()) {
      byPeriod.computeIfAbsent(row.getString(0), p -> new java.util.ArrayList<>()).add(row.getString(1));
    }
    byPeriod.values().forEach(java.util.Collections::sort);
    return byPeriod;
  }

  static List<String> files(Path folder) throws Exception {
    try (var files = Files.list(folder)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  TableStore filled() {
    TableStore store = new TableStore(spark(), dir.toString());
    store.write(Tables.TOKENS_TABLE, sentences("2020-01", 2, "old").unionByName(sentences("2020-02", 2, "old"))
        .unionByName(sentences("2020-03", 1, "old")));
    return store;
  }

  /** 2020-02 rewritten, 2020-03 emptied, 2020-04 new; 2020-01 untouched. */
  static void stage(TableStore.Batch batch) {
    batch.replacePartitions(Tables.TOKENS_TABLE, sentences("2020-02", 3, "new").unionByName(sentences("2020-04", 1, "new")),
        List.of("2020-02", "2020-03", "2020-04"));
  }

  static Map<String, List<String>> expectedAfter() {
    return new TreeMap<>(Map.of("2020-01", List.of("2020-01-0:old", "2020-01-1:old"),
        "2020-02", List.of("2020-02-0:new", "2020-02-1:new", "2020-02-2:new"), "2020-04", List.of("2020-04-0:new")));
  }

  @Test
  void aCommittedBatchReplacesOnlyItsPartitions() throws Exception {
    TableStore store = filled();
    List<String> untouched = files(dir.resolve("tokens/period=2020-01"));
    TableStore.Batch batch = store.batch();
    stage(batch);
    batch.commit();
    assertEquals(expectedAfter(), content(store));
    assertEquals(untouched, files(dir.resolve("tokens/period=2020-01")), "the untouched partition's files stay");
    assertFalse(Files.exists(dir.resolve("tokens/period=2020-03")));
    assertEquals(List.of(), files(dir.resolve("_staging")));
  }

  @Test
  void aBatchThatFailsOrIsKilledBeforeItsCommitChangesNothing() throws Exception {
    TableStore store = filled();
    Map<String, List<String>> before = content(store);
    TableStore.Batch failing = store.batch();
    Dataset<Row> boom = sentences("2020-02", 3, "new").selectExpr("doc_id", "period", "sentence", "begin", "end",
        "case when doc_id = '2020-02-2' then raise_error('boom') else tokens end as tokens", "terms", "phrases");
    assertThrows(Exception.class, () -> failing.replacePartitions(Tables.TOKENS_TABLE, boom, List.of("2020-02")));
    failing.abandon();
    assertEquals(before, content(store));

    stage(store.batch()); // staged, then "killed": never committed
    assertEquals(before, content(store), "readers see the old table meanwhile");
    store.recoverInterrupted();
    assertEquals(before, content(store));
    assertFalse(Files.exists(dir.resolve("_staging")), "the uncommitted batch is deleted");
  }

  @Test
  void aBatchKilledAfterItsCommitIsCompletedByTheNextCommand() throws Exception {
    TableStore store = filled();
    TableStore.Batch batch = store.batch();
    stage(batch);
    batch.writeJournal(); // the commit point; then killed between the two renames of the first partition
    Path batchDir = Files.list(dir.resolve("_staging")).filter(p -> p.getFileName().toString().startsWith("batch-"))
        .findFirst().orElseThrow();
    Files.createDirectories(batchDir.resolve("_replaced"));
    Files.move(dir.resolve("tokens/period=2020-02"), batchDir.resolve("_replaced/0"));
    assertEquals(List.of("completed an append that was interrupted after it committed"), store.recoverInterrupted());
    assertEquals(expectedAfter(), content(store));
    assertEquals(List.of(), store.recoverInterrupted(), "nothing left to do");
    assertEquals(expectedAfter(), content(store));
  }
}
