package io.newslens.common;

import static io.newslens.SharedSpark.spark;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class PartitioningTest {
  static Dataset<Row> articles() {
    return spark().sql("select id % 7 as doc_id, id % 3 as period, id as mention from range(100)");
  }

  static int exchanges(Dataset<Row> data) {
    return data.queryExecution().executedPlan().treeString().split("Exchange hashpartitioning", -1).length - 1;
  }

  @Test
  void dataAlreadyHashPartitionedBySomeOfTheKeysIsLeftAsItIs() {
    Dataset<Row> byDoc = articles().repartition(Partitioning.wanted(spark()), col("doc_id"));
    Dataset<Row> clustered = Partitioning.clusteredBy(byDoc, "period", "doc_id");
    assertSame(byDoc, clustered);
    // The grouping by both keys adds no shuffle of its own.
    Dataset<Row> grouped = clustered.groupBy("period", "doc_id").count();
    spark().conf().set("spark.sql.adaptive.enabled", "false");
    try {
      assertEquals(1, exchanges(grouped));
    } finally {
      spark().conf().unset("spark.sql.adaptive.enabled");
    }
    assertEquals(100, grouped.agg(org.apache.spark.sql.functions.sum("count")).first().getLong(0));
  }

  @Test
  void otherDataIsHashPartitionedByTheKeys() {
    Dataset<Row> byOther = articles().repartition(Partitioning.wanted(spark()), col("mention"));
    Dataset<Row> clustered = Partitioning.clusteredBy(byOther, "period", "doc_id");
    assertTrue(clustered != byOther);
    assertEquals(Partitioning.wanted(spark()), clustered.rdd().getNumPartitions());
    Dataset<Row> tooFew = articles().repartition(1, col("doc_id"));
    assertEquals(Partitioning.wanted(spark()), Partitioning.clusteredBy(tooFew, "doc_id").rdd().getNumPartitions());
  }
}
