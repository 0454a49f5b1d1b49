package io.newslens.common;

import static org.apache.spark.sql.functions.col;

import io.newslens.common.Tables.Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/**
 * Reads and writes the tables of one output folder.
 *
 * <p>A table is written into {@code _staging/<name>-<uuid>} (Spark, pyarrow and DuckDB skip
 * folders starting with "_") and only then renamed into place, so a run that fails
 * half-way leaves the previous complete table or none, never a partial one that looks complete.
 * Renames are atomic on local disks and HDFS; on object stores they are copies (see README).
 */
public final class TableStore {
  private static final String STAGING = "_staging";
  /** Rows per Parquet file at most: files of tens of MB for the widest tables. */
  static final long MAX_RECORDS_PER_FILE = 1_000_000L;
  private final SparkSession spark;
  private final Path root;

  public TableStore(SparkSession spark, String outputDir) {
    this.spark = spark;
    this.root = new Path(outputDir);
  }

  public Path root() {
    return root;
  }

  /** The output folder as a full URI (file:/..., hdfs://...), for messages. */
  public String qualifiedRoot() {
    try {
      return fs().makeQualified(root).toString();
    } catch (IOException e) {
      return root.toString();
    }
  }

  public Path pathOf(Table table) {
    return new Path(root, table.name());
  }

  public boolean exists(Table table) {
    try {
      return fs().exists(new Path(pathOf(table), "_SUCCESS"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Dataset<Row> read(Table table) {
    if (!exists(table)) {
      throw new IllegalStateException("table '" + table.name() + "' not found under " + root
          + ": run the stage that writes it first (or `run` for all stages)");
    }
    return spark.read().parquet(pathOf(table).toString());
  }

  /** Selects and casts the table's columns in schema order, so every writer agrees on them. */
  public static Dataset<Row> conform(Table table, Dataset<Row> data) {
    StructField[] fields = table.schema().fields();
    Column[] columns = new Column[fields.length];
    for (int i = 0; i < fields.length; i++) {
      columns[i] = data.col(fields[i].name()).cast(fields[i].dataType()).as(fields[i].name());
    }
    return data.select(columns);
  }

  /**
   * Writes the table atomically and returns its row count (read back from Parquet metadata).
   *
   * <p>Rows are rebalanced by the partition column first: without it every task writes one file
   * per period it holds, so tasks x periods files (millions with {@code --period day} over years).
   * Spark's REBALANCE hint sends each period to one task, and adaptive execution splits a period
   * too big for one file and merges small tasks; {@link #MAX_RECORDS_PER_FILE} bounds a file.
   */
  public long write(Table table, Dataset<Row> data) {
    long[] rows = new long[1];
    replace(table.name(), staging -> {
      Dataset<Row> conformed = conform(table, data);
      var writer = (table.partitionBy() != null
              ? conformed.hint("rebalance", col(table.partitionBy()).expr()) : conformed.hint("rebalance"))
          .write().mode(SaveMode.Overwrite).option("maxRecordsPerFile", MAX_RECORDS_PER_FILE);
      if (table.partitionBy() != null) {
        writer = writer.partitionBy(table.partitionBy());
      }
      writer.parquet(staging);
      rows[0] = spark.read().parquet(staging).count();
    });
    return rows[0];
  }

  /**
   * Replaces the folder {@code name} under the output with what {@code writer} puts into the
   * staging folder it is given, all or nothing.
   */
  public void replace(String name, java.util.function.Consumer<String> writer) {
    Path target = new Path(root, name);
    Path staging = new Path(new Path(root, STAGING), name + "-" + UUID.randomUUID());
    try {
      writer.accept(staging.toString());
      swap(staging, target);
    } catch (RuntimeException e) {
      deleteQuietly(staging);
      throw e;
    }
  }

  private void swap(Path staging, Path target) {
    try {
      FileSystem fs = fs();
      Path old = new Path(new Path(root, STAGING), "old-" + target.getName() + "-" + UUID.randomUUID());
      boolean hadOld = fs.exists(target);
      if (hadOld && !fs.rename(target, old)) {
        throw new IOException("could not move aside " + target);
      }
      if (!fs.rename(staging, target)) {
        if (hadOld) {
          fs.rename(old, target);
        }
        throw new IOException("could not move " + staging + " to " + target);
      }
      if (hadOld) {
        fs.delete(old, true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing table " + target.getName() + " failed", e);
    }
  }

  private void deleteQuietly(Path path) {
    try {
      fs().delete(path, true);
    } catch (IOException ignored) {
      // the failure being reported matters more than a leftover staging folder
    }
  }

  public FileSystem fs() throws IOException {
    return root.getFileSystem(spark.sparkContext().hadoopConfiguration());
  }
}
