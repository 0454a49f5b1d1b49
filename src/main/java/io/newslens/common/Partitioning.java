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
    int wanted = 2 * data.sparkSession().sparkContext().defaultParallelism();
    return data.rdd().getNumPartitions() >= wanted ? data : data.repartition(wanted, col(key));
  }
}
