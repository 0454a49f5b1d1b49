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
}
