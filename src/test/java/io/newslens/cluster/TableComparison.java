package io.newslens.cluster;

import static io.newslens.SharedSpark.spark;

import io.newslens.common.Tables;
import io.newslens.common.Tables.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;

/**
 * Compares two outputs table by table, row for row and cell for cell: the same schema, and the
 * same rows as a multiset (a row twice in one and once in the other is a difference), whatever
 * the files, partitions and row order. Cells are compared exactly, doubles included: the run is
 * deterministic, so a difference in the last bit is a difference in how it computed, not noise.
 * Where a column must be compared within a tolerance, it goes in {@link #TOLERANT} (none today).
 *
 * <p>Rows are put in a canonical order by their canonical text (every column, nested arrays,
 * maps and structs included, strings quoted, doubles in Java's shortest exact form); a row of one
 * side missing from the other is reported with the columns in which it differs from the closest
 * unmatched row of the other side, so a one-cell change reads as that cell.
 */
final class TableComparison {
  private TableComparison() {}

  /** Differences shown per table; the count of the rest is given. */
  static final int SHOWN = 5;

  /**
   * Columns compared within a relative tolerance, by table: only where a value is known to
   * depend on how rows were spread over partitions. None today: {@code topic_trends.share} was
   * such a column (a sum of doubles grouped by partition; 7 of 455 shares one ulp away between
   * the cluster's 3 partitions and the local run's 4) until Topics.trends summed decimals.
   */
  static final Map<String, Map<String, Double>> TOLERANT = Map.of();

  /** The tables of an output that are compared: every table of {@link Tables}, and the model's. */
  static List<String> tableNames() {
    List<String> names = new ArrayList<>(Tables.ALL.stream().map(Table::name).toList());
    names.add("model/topic_word");
    return names;
  }

  /** Every difference between the tables of two outputs; empty when they hold the same rows. */
  static List<String> compareOutputs(Path expected, Path actual) {
    List<String> differences = new ArrayList<>();
    for (String name : tableNames()) {
      boolean inExpected = Files.isDirectory(expected.resolve(name));
      boolean inActual = Files.isDirectory(actual.resolve(name));
      if (inExpected != inActual) {
        differences.add(name + ": only in " + (inExpected ? expected : actual));
      } else if (inExpected) {
        differences.addAll(compare(name, read(expected, name), read(actual, name), TOLERANT.getOrDefault(name, Map.of())));
      }
    }
    return differences;
  }

  static Dataset<Row> read(Path output, String name) {
    return spark().read().parquet(output.resolve(name).toString());
  }

  /** The differences between two tables, each prefixed with the table's name; every cell exact. */
  static List<String> compare(String name, Dataset<Row> expected, Dataset<Row> actual) {
    return compare(name, expected, actual, Map.of());
  }

  /**
   * The differences between two tables, each prefixed with the table's name; the columns of
   * {@code tolerances} (double columns) may differ by that much relative to the larger value.
   */
  static List<String> compare(String name, Dataset<Row> expected, Dataset<Row> actual, Map<String, Double> tolerances) {
    Map<String, String> expectedSchema = schema(expected);
    Map<String, String> actualSchema = schema(actual);
    if (!expectedSchema.equals(actualSchema)) {
      return List.of(name + ": schemas differ: expected " + expectedSchema + ", actual " + actualSchema);
    }
    // columns by name, so that only names and types matter, not their order in the files; the
    // tolerant ones last, so that rows sort by the exact ones first
    List<String> columns = new ArrayList<>(expectedSchema.keySet());
    for (String column : tolerances.keySet()) {
      if (!"double".equals(expectedSchema.get(column))) {
        throw new IllegalArgumentException(name + "." + column + " is not a double column");
      }
    }
    columns.removeAll(tolerances.keySet());
    int exact = columns.size();
    columns.addAll(new java.util.TreeSet<>(tolerances.keySet()));
    double[] tolerance = columns.stream().mapToDouble(c -> tolerances.getOrDefault(c, 0.0)).toArray();
    List<List<String>> a = canonicalRows(expected, columns);
    List<List<String>> b = canonicalRows(actual, columns);

    // merge the two sorted lists: equal rows pair off, the rest are the differences
    List<List<String>> onlyExpected = new ArrayList<>();
    List<List<String>> onlyActual = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.size() || j < b.size()) {
      int order = i == a.size() ? 1 : j == b.size() ? -1 : key(a.get(i)).compareTo(key(b.get(j)));
      if (order != 0 && i < a.size() && j < b.size() && exact < columns.size()
          && key(a.get(i).subList(0, exact)).equals(key(b.get(j).subList(0, exact)))
          && withinTolerance(a.get(i), b.get(j), exact, tolerance)) {
        order = 0;
      }
      if (order == 0) {
        i++;
        j++;
      } else if (order < 0) {
        onlyExpected.add(a.get(i++));
      } else {
        onlyActual.add(b.get(j++));
      }
    }
    if (onlyExpected.isEmpty() && onlyActual.isEmpty()) {
      return List.of();
    }
    List<String> differences = new ArrayList<>();
    differences.add(name + ": " + a.size() + " rows expected, " + b.size() + " actual; "
        + onlyExpected.size() + " expected rows not in actual, " + onlyActual.size() + " actual rows not in expected");
    List<List<String>> unmatched = new ArrayList<>(onlyActual);
    int shown = 0;
    for (List<String> row : onlyExpected) {
      if (shown++ == SHOWN) {
        break;
      }
      int closest = closest(row, unmatched);
      if (closest < 0) {
        differences.add(name + ": expected row missing: " + describe(columns, row));
        continue;
      }
      List<String> other = unmatched.remove(closest);
      List<String> cells = new ArrayList<>();
      for (int c = 0; c < columns.size(); c++) {
        if (!row.get(c).equals(other.get(c))) {
          cells.add(columns.get(c) + ": expected " + row.get(c) + ", actual " + other.get(c));
        }
      }
      differences.add(name + ": row differs in " + String.join("; ", cells) + " (expected row "
          + describe(columns, row) + ")");
    }
    for (List<String> row : unmatched) {
      if (shown++ >= SHOWN) {
        break;
      }
      differences.add(name + ": unexpected row: " + describe(columns, row));
    }
    return differences;
  }

  /** Whether the tolerant cells (from {@code from} on) of two rows are within their tolerance. */
  private static boolean withinTolerance(List<String> x, List<String> y, int from, double[] tolerance) {
    for (int c = from; c < x.size(); c++) {
      if (x.get(c).equals(y.get(c))) {
        continue;
      }
      if (x.get(c).equals("null") || y.get(c).equals("null")) {
        return false;
      }
      double p = Double.parseDouble(x.get(c).substring(1));
      double q = Double.parseDouble(y.get(c).substring(1));
      if (!(Math.abs(p - q) <= tolerance[c] * Math.max(Math.abs(p), Math.abs(q)))) {
        return false;
      }
    }
    return true;
  }

  /** Column name to type, by name. */
  private static Map<String, String> schema(Dataset<Row> table) {
    Map<String, String> types = new TreeMap<>();
    for (StructField field : table.schema().fields()) {
      types.put(field.name(), field.dataType().simpleString());
    }
    return types;
  }

  private static List<List<String>> canonicalRows(Dataset<Row> table, List<String> columns) {
    Column[] selected = columns.stream().map(functions::col).toArray(Column[]::new);
    List<List<String>> rows = new ArrayList<>();
    for (Row row : table.select(selected).collectAsList()) {
      List<String> cells = new ArrayList<>(row.size());
      for (int c = 0; c < row.size(); c++) {
        cells.add(canonical(row.get(c)));
      }
      rows.add(cells);
    }
    rows.sort((x, y) -> key(x).compareTo(key(y)));
    return rows;
  }

  /** The sort key of a row: its cells, separated by a character no canonical cell contains bare. */
  private static String key(List<String> cells) {
    return String.join("\u0000", cells);
  }

  /** The index of the row of {@code candidates} with the fewest cells unlike {@code row}; -1 if none. */
  private static int closest(List<String> row, List<List<String>> candidates) {
    int best = -1;
    int bestDiffering = Integer.MAX_VALUE;
    for (int k = 0; k < candidates.size(); k++) {
      int differing = 0;
      for (int c = 0; c < row.size(); c++) {
        if (!row.get(c).equals(candidates.get(k).get(c))) {
          differing++;
        }
      }
      if (differing < bestDiffering) {
        best = k;
        bestDiffering = differing;
      }
    }
    return best;
  }

  private static String describe(List<String> columns, List<String> row) {
    StringBuilder text = new StringBuilder("{");
    for (int c = 0; c < columns.size(); c++) {
      String cell = row.get(c);
      text.append(c == 0 ? "" : ", ").append(columns.get(c)).append('=')
          .append(cell.length() > 80 ? cell.substring(0, 77) + "..." : cell);
    }
    return text.append('}').toString();
  }

  /**
   * A cell as text that is equal for equal values only: strings quoted and escaped, doubles and
   * floats in Java's shortest form that reads back exactly (so one ulp shows), arrays in order,
   * maps by key, structs with their field names, binaries in hex.
   */
  static String canonical(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String s) {
      return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\u0000", "\\0") + '"';
    }
    if (value instanceof Double || value instanceof Float || value instanceof Number
        || value instanceof Boolean) {
      return value.getClass().getSimpleName().charAt(0) + value.toString();
    }
    if (value instanceof byte[] bytes) {
      return "0x" + HexFormat.of().formatHex(bytes);
    }
    if (value instanceof Row row) {
      StringBuilder text = new StringBuilder("{");
      String[] names = row.schema() == null ? null : row.schema().fieldNames();
      for (int f = 0; f < row.size(); f++) {
        text.append(f == 0 ? "" : ", ").append(names == null ? String.valueOf(f) : names[f]).append(": ")
            .append(canonical(row.get(f)));
      }
      return text.append('}').toString();
    }
    if (value instanceof scala.collection.Map<?, ?> map) {
      TreeSet<String> entries = new TreeSet<>();
      scala.collection.Iterator<? extends scala.Tuple2<?, ?>> it = map.iterator();
      while (it.hasNext()) {
        scala.Tuple2<?, ?> entry = it.next();
        entries.add(canonical(entry._1()) + " -> " + canonical(entry._2()));
      }
      return "map" + entries;
    }
    if (value instanceof scala.collection.Seq<?> seq) {
      List<String> items = new ArrayList<>();
      scala.collection.Iterator<?> it = seq.iterator();
      while (it.hasNext()) {
        items.add(canonical(it.next()));
      }
      return items.toString();
    }
    if (value instanceof Object[] array) {
      return Arrays.stream(array).map(TableComparison::canonical).toList().toString();
    }
    return value.getClass().getSimpleName() + ":" + value;
  }
}
