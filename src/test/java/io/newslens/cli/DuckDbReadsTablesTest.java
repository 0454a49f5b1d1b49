package io.newslens.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.newslens.SharedSpark;
import io.newslens.common.Tables;
import io.newslens.common.Tables.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Analysts read the tables with DuckDB (and pandas/pyarrow, which see the same Parquet types):
 * every table of the sample run reads with the types its schema promises, dates as DATE, no INT96,
 * arrays as lists and {@code period} from the Hive partition folders.
 */
class DuckDbReadsTablesTest extends DuckDbOnSampleRun {
  static String files(Path dir) {
    return "'" + dir.toString().replace("'", "''") + "/**/*.parquet'";
  }

  static List<List<String>> rows(String sql) throws SQLException {
    try (Statement statement = duckdb.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      List<List<String>> rows = new ArrayList<>();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.add(rs.getString(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  /** The DuckDB type an analyst should see for a column of a newslens schema. */
  static String duckDbType(DataType type) {
    if (type instanceof ArrayType array) {
      return duckDbType(array.elementType()) + "[]";
    }
    if (type instanceof org.apache.spark.sql.types.StructType struct) {
      return java.util.Arrays.stream(struct.fields()).map(f -> f.name() + " " + duckDbType(f.dataType()))
          .collect(java.util.stream.Collectors.joining(", ", "STRUCT(", ")"));
    }
    Map<DataType, String> types = Map.of(DataTypes.StringType, "VARCHAR", DataTypes.DateType, "DATE",
        DataTypes.IntegerType, "INTEGER", DataTypes.LongType, "BIGINT", DataTypes.DoubleType, "DOUBLE",
        DataTypes.BooleanType, "BOOLEAN");
    assertTrue(types.containsKey(type), "a type the tables did not use before: " + type + "; add its DuckDB name here");
    return types.get(type);
  }

  /** Column name to DuckDB type, as DESCRIBE gives them for the table read with Hive partitioning. */
  static Map<String, String> described(Path dir) throws SQLException {
    Map<String, String> columns = new TreeMap<>();
    for (List<String> row : rows("DESCRIBE SELECT * FROM read_parquet(" + files(dir) + ", hive_partitioning = true)")) {
      columns.put(row.get(0), row.get(1));
    }
    return columns;
  }

  /** Leaf columns stored as INT96 (Spark's legacy timestamps, which readers misread or refuse). */
  static List<String> int96Columns(Path dir) throws SQLException {
    return rows("SELECT DISTINCT name FROM parquet_schema(" + files(dir) + ") WHERE type = 'INT96' ORDER BY name")
        .stream().map(row -> row.get(0)).toList();
  }

  @Test
  void everyTableReadsWithTheTypesOfItsSchema() throws Exception {
    for (Table table : Tables.ALL) {
      Map<String, String> expected = new TreeMap<>();
      for (StructField field : table.schema().fields()) {
        expected.put(field.name(), duckDbType(field.dataType()));
      }
      assertEquals(expected, described(out.resolve(table.name())), table.name());
      assertEquals(List.of(), int96Columns(out.resolve(table.name())), table.name());
    }
  }

  @Test
  void datesAreParquetDatesNotTimestamps() throws Exception {
    int dates = 0;
    for (Table table : Tables.ALL) {
      for (StructField field : table.schema().fields()) {
        if (field.dataType().equals(DataTypes.DateType)) {
          dates++;
          List<List<String>> stored = rows("SELECT DISTINCT type, converted_type FROM parquet_schema("
              + files(out.resolve(table.name())) + ") WHERE name = '" + field.name() + "'");
          assertEquals(List.of(List.of("INT32", "DATE")), stored, table.name() + "." + field.name());
        }
      }
    }
    assertEquals(4, dates, "ingested.date, articles.date, entities.first_date and last_date");
  }

  @Test
  void arraysAreLists() throws Exception {
    List<List<String>> aliases = rows("SELECT len(aliases), aliases[1] FROM read_parquet("
        + files(out.resolve(Tables.ENTITIES.name())) + ") WHERE entity = 'United States' AND type = 'LOCATION'");
    assertEquals(1, aliases.size());
    assertTrue(Integer.parseInt(aliases.get(0).get(0)) >= 2, "United States has several spellings: " + aliases);
    List<List<String>> tokens = rows("SELECT count(*) FROM read_parquet(" + files(out.resolve("tokens"))
        + ", hive_partitioning = true) WHERE len(tokens) <> len(terms)");
    assertEquals("0", tokens.get(0).get(0), "terms are the stems of tokens, one each");
  }

  @Test
  void periodComesFromTheHivePartitionsAndRowsMatchTheManifest() throws Exception {
    JsonNode manifest = CliTestSupport.manifest(out);
    for (Table table : Tables.ALL) {
      Path dir = out.resolve(table.name());
      String read = "read_parquet(" + files(dir) + ", hive_partitioning = true)";
      assertEquals(manifest.at("/tables/" + table.name() + "/rows").asText(),
          rows("SELECT count(*) FROM " + read).get(0).get(0), table.name() + ": rows DuckDB reads");
      if (Tables.PERIOD.equals(table.partitionBy())) {
        List<String> inFiles = rows("SELECT DISTINCT name FROM parquet_schema(" + files(dir) + ")")
            .stream().map(row -> row.get(0)).toList();
        assertFalse(inFiles.contains(Tables.PERIOD), table.name() + ": period is a folder, not a column of the files");
        try (var folders = Files.list(dir)) {
          assertTrue(folders.anyMatch(f -> f.getFileName().toString().matches("period=\\d{4}-\\d{2}")), table.name());
        }
        assertEquals(List.of(List.of("0", "VARCHAR")), rows("SELECT count(*) FILTER (WHERE period IS NULL), "
            + "typeof(any_value(period)) FROM " + read), table.name());
      }
    }
    // the same periods whichever table they come from
    assertEquals(rows("SELECT DISTINCT period FROM read_parquet(" + files(out.resolve("articles"))
            + ", hive_partitioning = true) WHERE duplicate_of IS NULL AND lang = 'en' AND n_tokens > 0 ORDER BY 1"),
        rows("SELECT DISTINCT period FROM read_parquet(" + files(out.resolve("tokens"))
            + ", hive_partitioning = true) ORDER BY 1"));
  }

  /** The INT96 check finds what Spark writes when nobody sets outputTimestampType. */
  @Test
  void theInt96CheckHasTeeth(@TempDir Path dir) throws Exception {
    var spark = SharedSpark.spark();
    String key = "spark.sql.parquet.outputTimestampType";
    String before = spark.conf().get(key);
    try {
      spark.conf().set(key, "INT96");
      spark.sql("SELECT timestamp'2007-07-24 10:00:00' AS published").write().parquet(dir.resolve("t").toString());
    } finally {
      spark.conf().set(key, before);
    }
    assertEquals(List.of("published"), int96Columns(dir.resolve("t")));
  }
}
