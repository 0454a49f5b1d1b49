package io.newslens.bench;

import static org.apache.spark.sql.functions.*;

import io.newslens.common.Sessions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The floor of bench/run.sh: about the least a Spark job over the corpus can do. Reads the JSON
 * Lines, splits the lower-cased text into words with a regex, counts the words and writes the
 * counts as Parquet, in a session configured as newslens configures its own.
 *
 * <pre>Floor INPUT.jsonl OUTPUT_DIR</pre>
 */
public final class Floor {
  private Floor() {}

  /** Given, not inferred: inference would read the whole file a second time. */
  static final StructType SCHEMA = new StructType()
      .add("id", "string").add("date", "string").add("source", "string")
      .add("title", "string").add("text", "string").add("url", "string");

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: Floor INPUT.jsonl OUTPUT_DIR");
      System.exit(2);
    }
    long started = System.nanoTime();
    SparkSession spark = Sessions.getOrCreate();
    Dataset<Row> articles = spark.read().schema(SCHEMA).json(args[0]);
    Dataset<Row> counts = articles
        .select(explode(split(lower(col("text")), "[^\\p{L}\\p{N}']+")).as("word"))
        .filter(length(col("word")).gt(0))
        .groupBy("word")
        .count();
    counts.write().mode("overwrite").parquet(args[1]);
    System.out.printf(java.util.Locale.ROOT, "floor: wrote word counts to %s in %.1f s (in-process)%n",
        args[1], (System.nanoTime() - started) / 1e9);
    spark.stop();
  }
}
