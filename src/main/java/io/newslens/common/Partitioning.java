package io.newslens.common;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Keeps every core busy without reshuffling data that is already spread out. */
public final class Partitioning {
  private Partitioning() {}

  /**
   * A small Parquet or JSON input arrives as one partition, so one core would do all the work of
   * an expensive stage. Hash-partitioning by a key (deterministic, unlike round-robin) fixes that.
   */
  public static Dataset<Row> spread(Dataset<Row> data, String key) {
    int wanted = wanted(data.sparkSession());
    return data.rdd().getNumPartitions() >= wanted ? data : data.repartition(wanted, col(key));
  }

  /** Two partitions per core, so a slow partition does not leave a core idle at the end. */
  static int wanted(org.apache.spark.sql.SparkSession spark) {
    return 2 * spark.sparkContext().defaultParallelism();
  }
}
