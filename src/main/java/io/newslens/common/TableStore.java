package io.newslens.common;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

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
import org.apache.spark.sql.Observation;
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
      boolean empty = java.util.Arrays.stream(fs.listStatus(root))
          .allMatch(s -> s.getPath().getName().equals(OutputLock.FILE));
      if (!empty && !isNewslensOutput(fs)) {
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

  /** Whether the folder {@code name} of the output (the model) is there, complete and newslens's. */
  public boolean isWritten(String name) {
    try {
      return hasMarker(fs(), new Path(root, name));
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
        if (entry.getPath().getName().startsWith(BATCH) && fs.isFile(new Path(entry.getPath(), COMMIT))) {
          completeBatch(fs, entry.getPath());
          done.add("completed an append that was interrupted after it committed");
        }
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
   * Writes the table atomically and returns its row count.
   *
   * <p>Rows are rebalanced by the partition column first: without it every task writes one file
   * per period it holds, so tasks x periods files (millions with {@code --period day} over years).
   * Spark's REBALANCE hint sends each period to one task, and adaptive execution splits a period
   * too big for one file and merges small tasks; {@link #MAX_RECORDS_PER_FILE} bounds a file.
   */
  public long write(Table table, Dataset<Row> data) {
    long[] rows = new long[1];
    replace(table.name(), staging -> rows[0] = writeFolder(table, data, staging));
    return rows[0];
  }

  /**
   * Writes {@code data} as the table into {@code dir} (no marker) and returns its row count,
   * observed on the rows the write tasks receive: Spark takes one successful attempt's metrics
   * per task of the final stage, so retried tasks do not count twice, and the count costs no
   * job of its own (reading the table back cost two per table, a schema job and the count).
   */
  private long writeFolder(Table table, Dataset<Row> data, String dir) {
    Dataset<Row> conformed = conform(table, data);
    Observation written = new Observation();
    var writer = (table.partitionBy() != null
            ? conformed.hint("rebalance", col(table.partitionBy()).expr()) : conformed.hint("rebalance"))
        .observe(written, count(lit(1)).as("rows"))
        .write().mode(SaveMode.Overwrite).option("maxRecordsPerFile", MAX_RECORDS_PER_FILE);
    if (table.partitionBy() != null) {
      writer = writer.partitionBy(table.partitionBy());
    }
    writer.parquet(dir);
    if (!hasParquetFile(new Path(dir))) {
      // Spark writes no file at all for an empty partitioned table, and then nothing can read
      // its schema; one empty file of the whole schema (partition column included) can be read
      // by Spark, pyarrow and DuckDB alike.
      spark.createDataFrame(java.util.List.of(), table.schema()).coalesce(1)
          .write().mode(SaveMode.Overwrite).parquet(dir);
    }
    try {
      return ((Number) written.getAsJava().get("rows")).longValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the row count of " + table.name() + " arrived", e);
    }
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
    } catch (Throwable e) { // also Spark's AnalysisException, a checked exception thrown unchecked from Scala
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

  // ---- batches: partitions and tables replaced together (incremental runs) ----------------

  /** Prefix of a batch's folder under {@code _staging}. */
  private static final String BATCH = "batch-";
  /** The journal of a batch: once it exists the batch is committed and is completed, never undone. */
  private static final String COMMIT = "_COMMIT";

  /** A new batch of replacements, staged under {@code _staging} until {@link Batch#commit()}. */
  public Batch batch() {
    return new Batch(new Path(new Path(root, STAGING), BATCH + UUID.randomUUID()));
  }

  /**
   * Partitions, tables and files replaced all together or not at all: everything is written
   * under the batch's staging folder first (the live output is only read), then
   * {@link #commit()} writes a journal of renames and carries them out. A run killed before the
   * journal exists leaves the output as it was (the staging folder is deleted by the next
   * command's {@link #recoverInterrupted()}); killed after, the next command completes the
   * renames from the journal. A table's partitions are swapped one folder at a time, so the
   * untouched partitions are never copied.
   */
  public final class Batch {
    private final Path dir;
    /** Renames in order: {source, target}; an empty source deletes the target (a period left without rows). */
    private final List<String[]> moves = new java.util.ArrayList<>();
    private int scratchCount;
    private boolean committed;

    private Batch(Path dir) {
      this.dir = dir;
    }

    /**
     * Writes {@code data} under the batch's folder and returns it read back, so rows computed
     * once (new articles, their tokens) are not computed again by every table that uses them.
     */
    public Dataset<Row> scratch(Dataset<Row> data) {
      String path = new Path(new Path(dir, "_scratch"), String.valueOf(scratchCount++)).toString();
      data.write().mode(SaveMode.Overwrite).parquet(path);
      return spark.read().parquet(path);
    }

    /**
     * The partitions {@code periods} of a partitioned table become {@code rows} (which must hold
     * every row of those periods, old and new); a period without rows is removed. A table that
     * is missing or has no partition folders yet (an empty table is one schema file) is
     * replaced whole: its rows of other periods are kept.
     */
    public void replacePartitions(Table table, Dataset<Row> rows, java.util.Collection<String> periods) {
      if (table.partitionBy() == null) {
        throw new IllegalArgumentException(table.name() + " is not partitioned");
      }
      try {
        FileSystem fs = fs();
        Path live = pathOf(table);
        boolean partitioned = hasMarker(fs, live) && java.util.Arrays.stream(fs.listStatus(live))
            .anyMatch(s -> s.isDirectory() && s.getPath().getName().startsWith(table.partitionBy() + "="));
        boolean rootFiles = hasMarker(fs, live) && java.util.Arrays.stream(fs.listStatus(live))
            .anyMatch(s -> s.isFile() && s.getPath().getName().endsWith(".parquet"));
        if (!partitioned || rootFiles) {
          Dataset<Row> others = hasMarker(fs, live)
              ? read(table).filter(not(col(table.partitionBy()).isin(periods.toArray()))) : null;
          replaceTable(table, others == null ? rows : conform(table, others).unionByName(conform(table, rows)));
          return;
        }
        Path staged = new Path(dir, table.name());
        Dataset<Row> conformed = conform(table, rows);
        conformed.hint("rebalance", col(table.partitionBy()).expr())
            .write().mode(SaveMode.Overwrite).option("maxRecordsPerFile", MAX_RECORDS_PER_FILE)
            .partitionBy(table.partitionBy()).parquet(staged.toString());
        for (String period : new java.util.TreeSet<>(periods)) {
          String folder = table.partitionBy() + "=" + period;
          Path source = new Path(staged, folder);
          moves.add(new String[] {fs.exists(source) ? source.toString() : "", new Path(live, folder).toString()});
        }
      } catch (IOException e) {
        throw new UncheckedIOException("could not stage partitions of " + table.name(), e);
      }
    }

    /** The whole table becomes {@code rows}. */
    public void replaceTable(Table table, Dataset<Row> rows) {
      Path staged = new Path(dir, table.name() + "-whole");
      refuseForeign(pathOf(table));
      writeFolder(table, rows, staged.toString());
      writeMarker(staged, table.name());
      moves.add(new String[] {staged.toString(), pathOf(table).toString()});
    }

    /** {@code rows} are added to an unpartitioned table as new files beside its files. */
    public void appendRows(Table table, Dataset<Row> rows) {
      try {
        FileSystem fs = fs();
        if (!hasMarker(fs, pathOf(table))) {
          replaceTable(table, rows);
          return;
        }
        Path staged = new Path(dir, table.name() + "-added");
        conform(table, rows).coalesce(1).write().mode(SaveMode.Overwrite).parquet(staged.toString());
        for (FileStatus file : fs.listStatus(staged)) {
          String name = file.getPath().getName();
          if (name.endsWith(".parquet")) {
            moves.add(new String[] {file.getPath().toString(), new Path(pathOf(table), name).toString()});
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("could not stage rows of " + table.name(), e);
      }
    }

    /** The file {@code name} of the output folder (manifest.json) becomes {@code content}, last. */
    public void putFile(String name, byte[] content) {
      Path staged = new Path(new Path(dir, "_files"), name);
      try (var out = fs().create(staged, true)) {
        out.write(content);
      } catch (IOException e) {
        throw new UncheckedIOException("could not stage " + name, e);
      }
      moves.add(new String[] {staged.toString(), new Path(root, name).toString()});
    }

    /** Writes the journal (the commit point) and carries it out. */
    public void commit() {
      writeJournal();
      try {
        completeBatch(fs(), dir);
        fs().delete(dir, true);
      } catch (IOException e) {
        throw new UncheckedIOException("could not complete the batch " + dir + " (the next command will)", e);
      }
    }

    /** The commit point alone: what a run killed right after it leaves. */
    void writeJournal() {
      try {
        FileSystem fs = fs();
        Path tmp = new Path(dir, COMMIT + ".tmp");
        try (var out = fs.create(tmp, true)) {
          StringBuilder journal = new StringBuilder();
          for (String[] move : moves) {
            journal.append(move[0]).append('\t').append(move[1]).append('\n');
          }
          out.write(journal.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (!fs.rename(tmp, new Path(dir, COMMIT))) {
          throw new IOException("could not commit " + dir);
        }
        committed = true;
      } catch (IOException e) {
        throw new UncheckedIOException("could not commit the batch " + dir, e);
      }
    }

    /**
     * Deletes what the batch staged, the live output never having changed; once committed, the
     * batch is left for the next command to complete instead.
     */
    public void abandon() {
      if (!committed) {
        deleteQuietly(dir);
      }
    }
  }

  /**
   * Carries out a committed batch's journal. Each rename is skipped once done (its source is
   * gone), so completing a batch interrupted at any point gives the same output.
   */
  private static void completeBatch(FileSystem fs, Path dir) throws IOException {
    List<String> lines;
    try (var in = fs.open(new Path(dir, COMMIT))) {
      lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    }
    for (int i = 0; i < lines.size(); i++) {
      String[] move = lines.get(i).split("\t", 2);
      Path target = new Path(move[1]);
      Path aside = new Path(new Path(dir, "_replaced"), String.valueOf(i));
      if (move[0].isEmpty()) {
        if (fs.exists(target)) {
          fs.mkdirs(aside.getParent());
          fs.rename(target, aside);
        }
        continue;
      }
      Path source = new Path(move[0]);
      if (!fs.exists(source)) {
        continue; // done before the interruption
      }
      if (fs.exists(target)) {
        fs.mkdirs(aside.getParent());
        if (!fs.rename(target, aside)) {
          throw new IOException("could not move aside " + target);
        }
      }
      fs.mkdirs(target.getParent());
      if (!fs.rename(source, target)) {
        throw new IOException("could not move " + source + " to " + target);
      }
    }
  }

  public FileSystem fs() throws IOException {
    return root.getFileSystem(spark.sparkContext().hadoopConfiguration());
  }
}
