package io.newslens.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.newslens.common.Tables;
import io.newslens.common.Tables.Table;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * notebooks/explore.ipynb cannot run here (Python has no Parquet engine on the build machine), so
 * its SQL runs instead: every {@code -- query: name} string of its code cells, through DuckDB's
 * JDBC driver, on the outputs of the sample run, with the columns the notebook's Python expects.
 */
class NotebookQueriesTest extends DuckDbOnSampleRun {
  static final Path NOTEBOOK = Path.of("notebooks", "explore.ipynb");
  private static final Pattern QUERY = Pattern.compile("\"\"\"\\s*-- query: (\\w+)\\n(.*?)\"\"\"", Pattern.DOTALL);
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{[a-z_]+\\}");
  private static final Pattern TABLES_LIST = Pattern.compile("TABLES = \\[(.*?)\\]", Pattern.DOTALL);

  /** The columns each query gives, in order: what the notebook's charts and tables read. */
  private static final Map<String, List<String>> COLUMNS = Map.ofEntries(
      Map.entry("table_rows", List.of("table", "rows")),
      Map.entry("run", List.of("command", "status", "updated", "versions", "parameters")),
      Map.entry("stages", List.of("stage", "status", "seconds", "details")),
      Map.entry("articles_per_period", List.of("period", "articles", "duplicates", "empty", "languages")),
      Map.entry("topics", List.of("topic", "top_terms", "coherence", "umass", "share")),
      Map.entry("topic_trend", List.of("period", "topic", "share")),
      Map.entry("topic_top_docs", List.of("topic", "rank", "date", "source", "title", "doc_id")),
      Map.entry("topic_entities", List.of("topic", "rank", "entity", "type", "lift", "npmi", "docs", "weighted_docs",
          "expected_docs")),
      Map.entry("top_entities", List.of("type", "entity", "docs", "mentions", "first_date", "last_date", "aliases")),
      Map.entry("entity_trend", List.of("period", "entity", "type", "docs", "share", "zscore", "burst")),
      Map.entry("bursts", List.of("period", "entity", "type", "docs", "mentions", "share", "zscore")),
      Map.entry("entity_articles", List.of("date", "source", "title", "mentions", "doc_id")),
      Map.entry("latest_period", List.of("period")),
      Map.entry("top_pairs", List.of("entity_a", "type_a", "entity_b", "type_b", "count", "docs", "npmi", "llr")),
      Map.entry("top_pairs_overall",
          List.of("entity_a", "type_a", "entity_b", "type_b", "periods", "count", "docs", "max_llr")));

  static JsonNode notebook() throws Exception {
    return new ObjectMapper().readTree(NOTEBOOK.toFile());
  }

  static String source(JsonNode cell) {
    JsonNode source = cell.get("source");
    if (source.isTextual()) {
      return source.asText();
    }
    StringBuilder text = new StringBuilder();
    source.forEach(line -> text.append(line.asText()));
    return text.toString();
  }

  /** All code cells, in order, as one text. */
  static String code() throws Exception {
    StringBuilder code = new StringBuilder();
    for (JsonNode cell : notebook().get("cells")) {
      if (cell.get("cell_type").asText().equals("code")) {
        code.append(source(cell)).append('\n');
      }
    }
    return code.toString();
  }

  /** The notebook's queries by name, in the order they appear. */
  static Map<String, String> queries() throws Exception {
    Map<String, String> queries = new LinkedHashMap<>();
    Matcher m = QUERY.matcher(code());
    while (m.find()) {
      assertNull(queries.put(m.group(1), m.group(2)), "two queries named " + m.group(1));
    }
    return queries;
  }

  /** Fills in the placeholders as the notebook's sql() does; a placeholder left over fails. */
  static String fill(String query, Map<String, String> params) {
    String sql = query;
    for (Map.Entry<String, String> p : params.entrySet()) {
      sql = sql.replace("{" + p.getKey() + "}", p.getValue().replace("'", "''"));
    }
    Matcher left = PLACEHOLDER.matcher(sql);
    assertFalse(left.find(), () -> "no value for " + left.group() + " in " + query);
    return sql;
  }

  static Map<String, String> params(String... more) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("out", out.toString());
    params.put("top", "10");
    params.put("window", "sentence");
    for (int i = 0; i < more.length; i += 2) {
      params.put(more[i], more[i + 1]);
    }
    return params;
  }

  record Result(List<String> columns, List<List<Object>> rows) {}

  static Result run(String sql) throws SQLException {
    try (Statement statement = duckdb.createStatement()) {
      if (!statement.execute(sql)) {
        return new Result(List.of(), List.of());
      }
      try (ResultSet rs = statement.getResultSet()) {
        ResultSetMetaData meta = rs.getMetaData();
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          columns.add(meta.getColumnLabel(i));
        }
        List<List<Object>> rows = new ArrayList<>();
        while (rs.next()) {
          List<Object> row = new ArrayList<>();
          for (int i = 1; i <= columns.size(); i++) {
            row.add(rs.getObject(i));
          }
          rows.add(row);
        }
        return new Result(columns, rows);
      }
    }
  }

  static List<String> notebookTables() throws Exception {
    Matcher m = TABLES_LIST.matcher(code());
    assertTrue(m.find(), "the notebook lists its tables in TABLES = [...]");
    List<String> names = new ArrayList<>();
    Matcher name = Pattern.compile("\"(\\w+)\"").matcher(m.group(1));
    while (name.find()) {
      names.add(name.group(1));
    }
    return names;
  }

  /** Creates the notebook's views, one per table, as its loading cell does. */
  static void loadTables() throws Exception {
    String load = queries().get("load_table");
    assertNotNull(load, "the notebook has a load_table query");
    for (String table : notebookTables()) {
      run(fill(load, params("table", table)));
    }
  }

  @Test
  void isAValidNotebookWithItsOutputsCleared() throws Exception {
    JsonNode nb = notebook();
    assertEquals(4, nb.get("nbformat").asInt());
    assertTrue(nb.get("nbformat_minor").asInt() >= 4);
    assertEquals("python", nb.at("/metadata/kernelspec/language").asText());
    assertEquals("python3", nb.at("/metadata/kernelspec/name").asText());
    int code = 0;
    for (JsonNode cell : nb.get("cells")) {
      String type = cell.get("cell_type").asText();
      assertTrue(List.of("code", "markdown", "raw").contains(type), type);
      assertTrue(cell.has("metadata") && cell.has("source"), cell.toString());
      if (nb.get("nbformat_minor").asInt() >= 5) {
        assertTrue(cell.path("id").asText().matches("[a-zA-Z0-9_-]{1,64}"), "cell id: " + cell);
      }
      if (type.equals("code")) {
        code++;
        assertTrue(cell.get("outputs").isArray() && cell.get("outputs").isEmpty(), "outputs left in " + source(cell));
        assertTrue(cell.get("execution_count").isNull(), "execution_count left in " + source(cell));
      }
    }
    assertTrue(code >= 10, "code cells: " + code);
  }

  @Test
  void everyDataAccessIsATaggedQuery() throws Exception {
    String rest = QUERY.matcher(code()).replaceAll("\"\"\"\"\"\"");
    for (String access : List.of("parquet", "manifest.json", "read_", "open(", "glob")) {
      assertFalse(rest.contains(access), "data access outside a tagged query: " + access);
    }
    assertEquals(COLUMNS.keySet().stream().sorted().toList(),
        queries().keySet().stream().filter(name -> !name.equals("load_table")).sorted().toList(),
        "the queries of the notebook and the columns this test expects of them");
  }

  @Test
  void loadsEveryTableWithItsColumns() throws Exception {
    assertEquals(Tables.ALL.stream().map(Table::name).toList(), notebookTables());
    loadTables();
    for (Table table : Tables.ALL) {
      Result described = run("DESCRIBE " + table.name());
      assertEquals(List.of(table.columns()).stream().sorted().toList(),
          described.rows().stream().map(row -> (String) row.get(0)).sorted().toList(), table.name());
    }
  }

  @Test
  void everyQueryRunsOnTheSampleRunAndGivesRows() throws Exception {
    loadTables();
    Map<String, String> queries = queries();
    String period = (String) run(fill(queries.get("latest_period"), params())).rows().get(0).get(0);
    String entity = (String) run("SELECT entity FROM entities ORDER BY docs DESC, mentions DESC, entity LIMIT 1")
        .rows().get(0).get(0);
    for (Map.Entry<String, String> query : queries.entrySet()) {
      if (query.getKey().equals("load_table")) {
        continue;
      }
      Result result;
      try {
        result = run(fill(query.getValue(), params("table", "articles", "period", period, "entity", entity)));
      } catch (SQLException e) {
        throw new AssertionError("query " + query.getKey() + " failed: " + e.getMessage(), e);
      }
      assertEquals(COLUMNS.get(query.getKey()), result.columns(), query.getKey());
      assertFalse(result.rows().isEmpty(), "no rows from query " + query.getKey());
      assertTrue(result.rows().size() <= 10 || !query.getValue().contains("{top}")
          || query.getKey().equals("top_entities") || query.getKey().equals("entity_trend"), query.getKey());
    }
  }

  @Test
  void theQueriesHaveTeeth() throws Exception {
    loadTables();
    Map<String, String> queries = queries();
    // a table renamed in Tables (or missing from the run) fails the loading query
    assertThrows(SQLException.class, () -> run(fill(queries.get("load_table"), params("table", "topic_trend"))));
    // a column that does not exist fails a query
    assertThrows(SQLException.class,
        () -> run(fill(queries.get("topic_trend").replace("share", "weight"), params())));
    // a period without pairs gives no rows, so the non-empty check means something
    assertTrue(run(fill(queries.get("top_pairs"), params("period", "1066-10"))).rows().isEmpty());
  }
}
