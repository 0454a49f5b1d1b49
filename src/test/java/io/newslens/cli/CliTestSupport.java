package io.newslens.cli;

import static io.newslens.SharedSpark.spark;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.newslens.common.TableStore;
import io.newslens.common.Tables;
import io.newslens.common.Tables.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;

/** What the command-line tests check on an output folder. */
final class CliTestSupport {
  private CliTestSupport() {}

  static Dataset<Row> table(Path output, Table table) {
    return spark().read().parquet(output.resolve(table.name()).toString());
  }

  static JsonNode manifest(Path output) throws Exception {
    return new ObjectMapper().readTree(output.resolve("manifest.json").toFile());
  }

  static List<String> stagesCompleted(Path output) throws Exception {
    List<String> stages = new ArrayList<>();
    manifest(output).get("stages_completed").forEach(stage -> stages.add(stage.asText()));
    return stages;
  }

  /** Every table is there, marked as newslens's, readable, with exactly the columns and types of Tables. */
  static void assertEveryTableHasItsSchema(Path output) {
    for (Table table : Tables.ALL) {
      assertTrue(Files.isRegularFile(output.resolve(table.name()).resolve(TableStore.MARKER)), table.name());
      Map<String, String> expected = new TreeMap<>();
      for (StructField field : table.schema().fields()) {
        expected.put(field.name(), field.dataType().simpleString());
      }
      Map<String, String> actual = new TreeMap<>();
      for (StructField field : table(output, table).schema().fields()) {
        actual.put(field.name(), field.dataType().simpleString());
      }
      assertEquals(expected, actual, table.name());
    }
  }

  /** Every file under {@code dir}, by relative path, with its bytes and modification time. */
  static Map<String, String> snapshot(Path dir) throws Exception {
    Map<String, String> files = new TreeMap<>();
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.toList()) {
        String key = dir.relativize(path).toString();
        files.put(key, Files.isDirectory(path) ? "dir " + Files.getLastModifiedTime(path)
            : Files.getLastModifiedTime(path) + " " + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path))));
      }
    }
    return files;
  }
}
