package io.newslens.common;

import static org.apache.spark.sql.functions.col;

import io.newslens.common.Tables.Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
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
 * folders starting with "_"), gets the marker file {@link #MARKER} last, and only then is renamed
 * into place, so a run that fails half-way leaves the previous complete table or none, never a
 * partial one that looks complete. Renames are atomic on local disks and HDFS; on object stores
 * they are copies (see README), which is why readers check the marker, not just the folder.
 *
 * <p>The store only replaces what newslens wrote: a folder named like a table is replaced when it
 * carries the marker or the output folder holds a newslens {@code manifest.json}.
 */
public final class TableStore {
  private static final String STAGING = "_staging";
  /** Prefix of a replaced table moved aside under {@code _staging} until its replacement is in place. */
  private static final String OLD = "old-";
  /**
   * Written last into a staged table folder (table name, run id, time): its presence means
   * newslens wrote the folder and the write completed. Spark's own _SUCCESS is not enough: any
   * Spark job writes one, and the table would not be ours.
   */
  public static final String MARKER = "_NEWSLENS";
  /** Rows per Parquet file at most: files of tens of MB for the widest tables. */
  static final long MAX_RECORDS_PER_FILE = 1_000_000L;
  private final SparkSession spark;
  private final Path root;
  private final String runId;

  public TableStore(SparkSession spark, String outputDir) {
    this(spark, outputDir, UUID.randomUUID().toString());
  }

  /** @param runId written into every marker, so a table can be traced to the run that wrote it */
  public TableStore(SparkSession spark, String outputDir, String runId) {
    this.spark = spark;
    this.root = new Path(outputDir);
    this.runId = runId;
  }

  /** Refusal to use an output folder that holds things newslens did not write. */
  public static final class ForeignOutput extends RuntimeException {
    ForeignOutput(String message) {
      super(message);
    }
  }

  /**
   * Checks that the output folder is new, empty, or a newslens output (it holds
   * {@code manifest.json}); otherwise throws {@link ForeignOutput} before anything is written.
   */
  public void checkOutputIsOurs() {
    try {
      FileSystem fs = fs();
      if (!fs.exists(root)) {
        return;
      }
      if (!fs.getFileStatus(root).isDirectory()) {
        throw new ForeignOutput("--output " + qualifiedRoot() + " is a file, not a folder: choose a new or empty folder");
      }
      if (fs.listStatus(root).length > 0 && !isNewslensOutput(fs)) {
        throw new ForeignOutput("--output " + qualifiedRoot() + " is not empty and holds no newslens "
            + Manifest.FILE + ": newslens only writes into a new or empty folder or one it wrote before;"
            + " nothing was changed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not check the output folder " + root, e);
    }
  }

  private boolean isNewslensOutput(FileSystem fs) throws IOException {
    return fs.isFile(new Path(root, Manifest.FILE));
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

  /** Whether the table is there, complete and written by newslens. */
  public boolean exists(Table table) {
    try {
      FileSystem fs = fs();
      return hasMarker(fs, pathOf(table))
          || (!fs.exists(pathOf(table)) && restoreMovedAside(fs, root, table.name()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Dataset<Row> read(Table table) {
    requireWritten(spark, pathOf(table), "table '" + table.name() + "'");
    return spark.read().parquet(pathOf(table).toString());
  }

  /**
   * Throws unless {@code dir} is a complete folder newslens wrote (a table, or the model): the
   * check every reader makes before trusting a folder of the output.
   */
  public static void requireWritten(SparkSession spark, Path dir, String what) {
    try {
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(dir) && !restoreMovedAside(fs, dir.getParent(), dir.getName())) {
        throw new IllegalStateException(what + " not found under " + dir.getParent()
            + ": run the stage that writes it first (or `run` for all stages)");
      }
      if (!hasMarker(fs, dir)) {
        throw new IllegalStateException(what + " under " + dir.getParent()
            + " is incomplete or was not written by newslens: rerun the stage that writes it (it has no " + MARKER
            + " file, which newslens writes last)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not check " + dir, e);
    }
  }

  /**
   * Puts back a table a run moved aside to replace it and then died before renaming the new one
   * in (the one moment of {@link #replace} when the table is missing): that run's new table never
   * completed, so the previous one is what the output holds. Returns whether it restored one.
   */
  private static boolean restoreMovedAside(FileSystem fs, Path root, String name) throws IOException {
    Path target = new Path(root, name);
    FileStatus[] aside = fs.globStatus(new Path(new Path(root, STAGING), OLD + name + "-*"));
    if (aside == null || fs.exists(target)) {
      return false;
    }
    for (FileStatus old : aside) {
      String uuid = old.getPath().getName().substring(OLD.length() + name.length() + 1);
      if (uuid.length() == 36 && !uuid.contains("_") && hasMarker(fs, old.getPath())
          && fs.rename(old.getPath(), target)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Makes good what a run killed in the middle left under {@code _staging}: a table moved aside
   * whose replacement never arrived is put back, and the rest (half-written tables, tables
   * already replaced, checkpoints) is deleted. Called before a command writes anything; a
   * command running at the same time on the same output is not supported anyway.
   */
  public List<String> recoverInterrupted() {
    List<String> done = new java.util.ArrayList<>();
    try {
      FileSystem fs = fs();
      Path staging = new Path(root, STAGING);
      if (!fs.isDirectory(staging)) {
        return done;
      }
      for (FileStatus entry : fs.listStatus(staging)) {
        String name = entry.getPath().getName();
        if (name.startsWith(OLD) && name.length() > OLD.length() + 37) {
          String table = name.substring(OLD.length(), name.length() - 37);
          if (restoreMovedAside(fs, root, table)) {
            done.add("restored " + table + " (a run died while replacing it)");
          }
        }
      }
      for (FileStatus entry : fs.listStatus(staging)) {
        fs.delete(entry.getPath(), true);
      }
      fs.delete(staging, true);
    } catch (IOException e) {
      throw new UncheckedIOException("could not recover " + new Path(root, STAGING), e);
    }
    return done;
  }

  private static boolean hasMarker(FileSystem fs, Path dir) throws IOException {
    return fs.isFile(new Path(dir, MARKER));
  }

  /** Deletes the folder {@code name} if newslens wrote it (a stale output); returns whether it did. */
  public boolean deleteIfOurs(String name) {
    try {
      FileSystem fs = fs();
      Path dir = new Path(root, name);
      return fs.exists(dir) && (hasMarker(fs, dir) || isNewslensOutput(fs)) && fs.delete(dir, true);
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + name, e);
    }
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
      if (!hasParquetFile(new Path(staging))) {
        // Spark writes no file at all for an empty partitioned table, and then nothing can read
        // its schema; one empty file of the whole schema (partition column included) can be read
        // by Spark, pyarrow and DuckDB alike.
        spark.createDataFrame(java.util.List.of(), table.schema()).coalesce(1)
            .write().mode(SaveMode.Overwrite).parquet(staging);
      }
      rows[0] = spark.read().parquet(staging).count();
    });
    return rows[0];
  }

  private boolean hasParquetFile(Path dir) {
    try {
      var files = fs().listFiles(dir, true);
      while (files.hasNext()) {
        if (files.next().getPath().getName().endsWith(".parquet")) {
          return true;
        }
      }
      return false;
    } catch (java.io.FileNotFoundException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Replaces the folder {@code name} under the output with what {@code writer} puts into the
   * staging folder it is given, all or nothing; the folder gets the {@link #MARKER} last.
   */
  public void replace(String name, java.util.function.Consumer<String> writer) {
    Path target = new Path(root, name);
    Path staging = new Path(new Path(root, STAGING), name + "-" + UUID.randomUUID());
    try {
      refuseForeign(target);
      writer.accept(staging.toString());
      writeMarker(staging, name);
      swap(staging, target);
    } catch (RuntimeException e) {
      deleteQuietly(staging);
      throw e;
    }
  }

  /** A folder named like a table that newslens did not write is left alone: the user's, not ours. */
  private void refuseForeign(Path target) {
    try {
      FileSystem fs = fs();
      if (fs.exists(target) && !hasMarker(fs, target) && !isNewslensOutput(fs)) {
        throw new ForeignOutput("will not replace " + fs.makeQualified(target) + ": it was not written by newslens"
            + " (no " + MARKER + " file) and " + root + " holds no newslens " + Manifest.FILE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not check " + target, e);
    }
  }

  private void writeMarker(Path staging, String name) {
    try (var out = fs().create(new Path(staging, MARKER), true)) {
      out.write(("table=" + name + "\nrun_id=" + runId + "\nwritten=" + java.time.Instant.now() + "\n")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the marker of " + name, e);
    }
  }

  private void swap(Path staging, Path target) {
    try {
      FileSystem fs = fs();
      Path old = new Path(new Path(root, STAGING), OLD + target.getName() + "-" + UUID.randomUUID());
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
