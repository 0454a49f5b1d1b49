package io.newslens;

import io.newslens.common.Sessions;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** One local SparkSession for the whole test JVM: starting Spark costs seconds, tests don't. */
public final class SharedSpark {
  private SharedSpark() {}

  private static SparkSession session;

  public static synchronized SparkSession spark() {
    if (session == null) {
      System.setProperty("spark.master", "local[2]");
      System.setProperty("spark.sql.shuffle.partitions", "4");
      System.setProperty("spark.ui.enabled", "false");
      session = Sessions.getOrCreate();
      session.sparkContext().setLogLevel("WARN");
    }
    return session;
  }

  public static Dataset<Row> rows(StructType schema, List<Object[]> values) {
    return spark().createDataFrame(values.stream().map(RowFactory::create).toList(), schema);
  }
}
