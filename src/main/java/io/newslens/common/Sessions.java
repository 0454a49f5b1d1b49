package io.newslens.common;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The one place a SparkSession is configured. */
public final class Sessions {
  private Sessions() {}

  /**
   * Under spark-submit the master comes from the launcher; otherwise this is a local run on all
   * cores of this machine.
   */
  public static SparkSession getOrCreate() {
    SparkConf launcherConf = new SparkConf();
    SparkSession.Builder builder = SparkSession.builder().appName("newslens");
    if (!launcherConf.contains("spark.master")) {
      builder.master("local[*]")
          // Binding only the address made task results over 1 MB fail with TaskResultLost.
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.ui.showConsoleProgress", "false");
      if (!launcherConf.contains(PARALLEL_LISTING_THRESHOLD)) {
        // Above 32 folders Spark lists a table's files with a job of its own, a task per folder:
        // a job of 240 tasks to read a table of 20 years by month, on the same local disk the
        // driver lists in milliseconds. The event log of a 100,000-article run showed each
        // such job costing 1-5 s, several times per stage.
        builder.config(PARALLEL_LISTING_THRESHOLD, String.valueOf(Integer.MAX_VALUE));
      }
      if (!launcherConf.contains("spark.sql.shuffle.partitions")) {
        builder.config("spark.sql.shuffle.partitions",
            String.valueOf(4 * Runtime.getRuntime().availableProcessors()));
      }
    }
    SparkSession spark = builder
        // Parquet that pandas, pyarrow and DuckDB read without surprises.
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
        // Dates as written, in the proleptic Gregorian calendar those readers use. Spark's default
        // refuses to write a date before 1582-10-15 (a valid ISO date, e.g. a historical text's),
        // which failed the whole ingest.
        .config("spark.sql.parquet.datetimeRebaseModeInWrite", "CORRECTED")
        .config("spark.sql.parquet.int96RebaseModeInWrite", "CORRECTED")
        .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .config("spark.kryoserializer.buffer.max", "512m")
        // Spark NLP's plans are wide; the default of 25 fields only produces truncation warnings.
        .config("spark.sql.debug.maxToStringFields", "500")
        // No chmod process per written file on local disks (see NioLocalFileSystem).
        .config("spark.hadoop.fs.file.impl", launcherConf.get("spark.hadoop.fs.file.impl",
            NioLocalFileSystem.class.getName()))
        .getOrCreate();
    if (!launcherConf.contains(MIN_FILE_PARTITIONS)) {
      // Spark packs the files of a table into one split per core (their total size over the
      // core count), so a table of a few large files, as the writer makes them, is read as one
      // partition per core and Partitioning.spread must shuffle every text to use all cores.
      // Splits of half that size give it enough partitions from the files themselves.
      spark.conf().set(MIN_FILE_PARTITIONS, String.valueOf(Partitioning.wanted(spark)));
    }
    return spark;
  }

  private static final String MIN_FILE_PARTITIONS = "spark.sql.files.minPartitionNum";
  private static final String PARALLEL_LISTING_THRESHOLD = "spark.sql.sources.parallelPartitionDiscovery.threshold";
}
