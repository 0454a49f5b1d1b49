package io.newslens.cli;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The sample run's output folder and an in-memory DuckDB, for tests that read it as analysts do. */
abstract class DuckDbOnSampleRun {
  static Path out;
  static Connection duckdb;

  @BeforeAll
  static void sampleRun() throws SQLException {
    out = SampleRun.output();
    duckdb = DriverManager.getConnection("jdbc:duckdb:");
  }

  @AfterAll
  static void close() throws SQLException {
    duckdb.close();
  }
}
