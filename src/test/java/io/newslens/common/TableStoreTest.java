package io.newslens.common;

import static io.newslens.SharedSpark.spark;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableStoreTest {
  @TempDir Path dir;

  Dataset<Row> rejects(String reason, int n) {
    return spark().range(n).selectExpr("'in' as input", "cast(id as string) as record",
        "'" + reason + "' as reason", "null as raw", "'ignored' as extra");
  }

  @Test
  void replacesATableWholeAndKeepsTheOldOneWhenAWriteFails() throws Exception {
    TableStore store = new TableStore(spark(), dir.toString());
    assertEquals(3, store.write(Tables.REJECTS, rejects("first", 3)));
    assertEquals(2, store.write(Tables.REJECTS, rejects("second", 2)));
    assertEquals(2, store.read(Tables.REJECTS).filter("reason = 'second'").count());
    assertArrayEquals(Tables.REJECTS.columns(), store.read(Tables.REJECTS).columns(), "extra columns dropped");

    Dataset<Row> failing = rejects("third", 5).selectExpr("input", "record",
        "case when record = '4' then raise_error('boom') else reason end as reason", "raw");
    assertThrows(Exception.class, () -> store.write(Tables.REJECTS, failing));
    assertEquals(2, store.read(Tables.REJECTS).count(), "the complete previous table is still there");
    try (var files = Files.list(dir)) {
      assertEquals(java.util.List.of("_staging", "rejects"), files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void writesAFewFilesPerPeriodAndSetsPermissionsWithoutForkingChmod() throws Exception {
    org.apache.hadoop.fs.FileSystem local = org.apache.hadoop.fs.FileSystem.get(
        java.net.URI.create("file:///"), spark().sparkContext().hadoopConfiguration());
    assertInstanceOf(NioLocalFileSystem.class, local);
    Path file = Files.writeString(dir.resolve("f"), "x");
    local.setPermission(new org.apache.hadoop.fs.Path(file.toUri()),
        new org.apache.hadoop.fs.permission.FsPermission((short) 0640));
    assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

    TableStore store = new TableStore(spark(), dir.toString());
    Dataset<Row> sentences = spark().range(2000).repartition(8).selectExpr(
        "cast(id as string) as doc_id", "concat('2020-0', cast(id % 3 + 1 as string)) as period",
        "0 as sentence", "0 as begin", "1 as end", "array('w') as tokens", "array('w') as terms", "array() as phrases");
    assertEquals(2000, store.write(Tables.TOKENS_TABLE, sentences));
    try (var periods = Files.list(dir.resolve("tokens"))) {
      for (Path period : periods.filter(Files::isDirectory).toList()) {
        try (var files = Files.list(period)) {
          assertEquals(1, files.filter(f -> f.toString().endsWith(".parquet")).count(),
              "one file per period, not one per task: " + period);
        }
      }
    }
  }

  @Test
  void readersRefuseATableFolderWithoutTheMarker() throws Exception {
    TableStore store = new TableStore(spark(), dir.toString(), "run-1");
    store.write(Tables.REJECTS, rejects("first", 3));
    assertTrue(Files.readString(dir.resolve("rejects").resolve(TableStore.MARKER)).contains("run_id=run-1"));
    assertEquals(3, store.read(Tables.REJECTS).count());

    Files.delete(dir.resolve("rejects").resolve(TableStore.MARKER));
    assertFalse(store.exists(Tables.REJECTS));
    IllegalStateException refused = assertThrows(IllegalStateException.class, () -> store.read(Tables.REJECTS));
    assertTrue(refused.getMessage().contains("table 'rejects' under")
        && refused.getMessage().contains("is incomplete or was not written by newslens: rerun the stage that writes it"),
        refused.getMessage());

    // A complete Parquet folder that some other Spark job wrote (with its _SUCCESS) is not ours either.
    rejects("other", 2).drop("raw").write().parquet(dir.resolve("articles").toString());
    assertTrue(Files.exists(dir.resolve("articles").resolve("_SUCCESS")));
    assertThrows(IllegalStateException.class, () -> store.read(Tables.ARTICLES));
  }

  @Test
  void neverReplacesAFolderItDidNotWriteOutsideANewslensOutput() throws Exception {
    Path model = Files.createDirectories(dir.resolve("model"));
    Files.writeString(model.resolve("weights.bin"), "the user's own");
    TableStore store = new TableStore(spark(), dir.toString());
    assertThrows(TableStore.ForeignOutput.class, store::checkOutputIsOurs);
    assertThrows(TableStore.ForeignOutput.class, () -> store.replace("model", staging -> {
      throw new AssertionError("nothing is written for a folder that will not be replaced");
    }));
    assertFalse(store.deleteIfOurs("model"));
    assertEquals("the user's own", Files.readString(model.resolve("weights.bin")));

    // New or empty folders are fine, and so is a folder holding a newslens manifest.
    new TableStore(spark(), dir.resolve("new").toString()).checkOutputIsOurs();
    new TableStore(spark(), Files.createDirectories(dir.resolve("empty")).toString()).checkOutputIsOurs();
    Files.writeString(dir.resolve("manifest.json"), "{}");
    store.checkOutputIsOurs();
  }

  @Test
  void writesEveryTableEmptyWithItsSchema() {
    TableStore store = new TableStore(spark(), dir.toString());
    for (Tables.Table table : Tables.ALL) {
      assertEquals(0, store.write(table, spark().createDataFrame(java.util.List.of(), table.schema())), table.name());
      var read = store.read(table).schema();
      for (var field : table.schema().fields()) {
        assertEquals(field.dataType(), read.apply(field.name()).dataType(), table.name() + "." + field.name());
      }
      assertEquals(table.schema().size(), read.size(), table.name());
    }
  }

  /**
   * A run killed between moving the old table aside and renaming the new one into place leaves
   * no table at all. Guards: the restore of the moved-aside copy by readers
   * ({@code requireWritten}, {@code exists}) and by the next command ({@code recoverInterrupted}).
   */
  @Test
  void aTableMovedAsideByARunThatDiedIsPutBackForReadersAndTheNextRun() throws Exception {
    TableStore store = new TableStore(spark(), dir.toString());
    store.write(Tables.REJECTS, rejects("first", 3));
    Path staging = Files.createDirectories(dir.resolve("_staging"));
    java.util.function.Supplier<Path> dieMidSwap = () -> {
      try {
        Path aside = staging.resolve("old-rejects-" + java.util.UUID.randomUUID());
        Files.move(dir.resolve("rejects"), aside);
        Path half = Files.createDirectories(staging.resolve("rejects-" + java.util.UUID.randomUUID()));
        Files.writeString(half.resolve("part-00000.parquet"), "half written");
        return half;
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };

    dieMidSwap.get();
    assertFalse(Files.exists(dir.resolve("rejects")));
    TableStore reader = new TableStore(spark(), dir.toString());
    assertEquals(3, reader.read(Tables.REJECTS).filter("reason = 'first'").count(), "a reader puts it back");

    Path half = dieMidSwap.get();
    assertTrue(new TableStore(spark(), dir.toString()).exists(Tables.REJECTS));
    assertTrue(Files.exists(half), "readers leave the half-written table alone");

    dieMidSwap.get();
    TableStore next = new TableStore(spark(), dir.toString());
    assertEquals(java.util.List.of("restored rejects (a run died while replacing it)"), next.recoverInterrupted());
    assertEquals(3, next.read(Tables.REJECTS).count());
    assertFalse(Files.exists(staging), "half-written tables and leftovers are gone");

    // Killed after the new table was in place: the old copy is a leftover, the new table stays.
    store.write(Tables.REJECTS, rejects("second", 2));
    Path leftover = Files.createDirectories(staging.resolve("old-rejects-" + java.util.UUID.randomUUID()));
    Files.writeString(leftover.resolve(TableStore.MARKER), "table=rejects");
    assertEquals(java.util.List.of(), next.recoverInterrupted());
    assertEquals(2, next.read(Tables.REJECTS).filter("reason = 'second'").count());
    assertFalse(Files.exists(staging));
  }
}
