package io.newslens.common;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.plans.physical.HashPartitioning;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import scala.collection.JavaConverters;

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

  /**
   * Hash-partitioned by {@code keys} into {@link #wanted} partitions, for a grouping by those keys
   * that feeds per-row work (a UDF): adaptive execution merges the partitions of an ordinary
   * shuffle by bytes, and a few MB of mentions became 3 tasks of heavy per-article work on 2
   * cores; a repartition to a set number is left as it is.
   */
  public static Dataset<Row> byKeys(Dataset<Row> data, String... keys) {
    org.apache.spark.sql.Column[] columns = java.util.Arrays.stream(keys).map(k -> col(k))
        .toArray(org.apache.spark.sql.Column[]::new);
    return data.repartition(wanted(data.sparkSession()), columns);
  }

  /**
   * {@code data} as it is when its rows are already hash-partitioned by some of {@code keys} into
   * at least {@link #wanted} partitions (each group of the keys then lies in one partition, so a
   * grouping by them needs no shuffle), otherwise {@link #byKeys}.
   */
  public static Dataset<Row> clusteredBy(Dataset<Row> data, String... keys) {
    SparkPlan plan = data.queryExecution().executedPlan();
    if (plan instanceof AdaptiveSparkPlanExec adaptive) {
      plan = adaptive.inputPlan();
    }
    List<String> names = List.of(keys);
    if (plan.outputPartitioning() instanceof HashPartitioning hash && hash.numPartitions() >= wanted(data.sparkSession())
        && JavaConverters.seqAsJavaList(hash.expressions()).stream()
            .allMatch(e -> e instanceof AttributeReference a && names.contains(a.name()))) {
      return data;
    }
    return byKeys(data, keys);
  }

  /** Two partitions per core, so a slow partition does not leave a core idle at the end. */
  static int wanted(org.apache.spark.sql.SparkSession spark) {
    return 2 * spark.sparkContext().defaultParallelism();
  }
}
