package io.newslens.entities.corenlp;

import static org.apache.spark.sql.functions.*;

import io.newslens.common.Sessions;
import io.newslens.entities.Entities;
import io.newslens.entities.Recognizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Benchmark, not a test: {@code --ner rules} against {@code --ner corenlp} on the same sentences
 * (Spark NLP's SentenceDetector, run once and cached, so only recognition is timed), in local
 * mode on all cores. Prints sentences per second for each and their agreement on the distinct
 * (article, entity, type) triples, per type, with CoreNLP as the reference.
 *
 * <pre>bench/entities [corpus.jsonl ...]     # default: data/sotu-sample.jsonl</pre>
 */
public final class EntitiesBench {
  private EntitiesBench() {}

  public static void main(String[] args) {
    List<String> inputs = args.length == 0 ? List.of("data/sotu-sample.jsonl") : Arrays.asList(args);
    SparkSession spark = Sessions.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    int partitions = 2 * spark.sparkContext().defaultParallelism();
    Dataset<Row> articles = spark.read().json(inputs.toArray(String[]::new))
        .select(col("id").as("doc_id"), col("text")).filter(col("text").isNotNull())
        .repartition(partitions, col("doc_id"));
    Dataset<Row> sentences = Entities.splitSentences(articles).persist(StorageLevel.MEMORY_AND_DISK());
    long docs = sentences.count();
    long sentenceCount = sentences.agg(sum(size(col("bounds")))).first().getLong(0);
    System.out.printf("corpus: %s, %d articles, %d sentences, %d cores%n", inputs, docs, sentenceCount,
        spark.sparkContext().defaultParallelism());

    // What reading the cached sentences costs without any recogniser: subtracted from nothing
    // below, printed so the recognisers' own share can be seen.
    long baselineStart = System.nanoTime();
    sentences.select(col("doc_id"), size(col("bounds")).as("n")).agg(sum("n")).first();
    System.out.printf("%-8s %8.1f s  (reading the cached sentences, no recogniser)%n", "baseline",
        (System.nanoTime() - baselineStart) / 1e9);

    List<Dataset<Row>> found = new ArrayList<>();
    for (String ner : List.of("rules", "corenlp")) {
      Recognizer recognizer = Recognizer.named(ner);
      recognizer.recognize("Warm-up with Ryan Crocker in Baghdad.", new int[] {0}, new int[] {36});
      long start = System.nanoTime();
      Dataset<Row> recognized = Entities.recognize(sentences, recognizer).persist(StorageLevel.MEMORY_AND_DISK());
      long mentions = recognized.agg(sum(size(col("found")))).first().getLong(0);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("%-8s %8.1f s  %8.0f sentences/s  mentions=%d%n", ner, seconds, sentenceCount / seconds, mentions);
      found.add(recognized.select(col("doc_id"), explode(col("found")).as("m"))
          .select(col("doc_id"), col("m.entity").as("entity"), col("m.type").as("type")).distinct()
          .persist(StorageLevel.MEMORY_AND_DISK()));
    }
    Dataset<Row> rules = found.get(0);
    Dataset<Row> corenlp = found.get(1);
    System.out.println("agreement on distinct (article, entity, type), CoreNLP as reference:");
    for (String type : List.of("PERSON", "LOCATION", "ORGANIZATION", "ALL")) {
      Dataset<Row> r = type.equals("ALL") ? rules.filter("type != 'MISC'") : rules.filter(col("type").equalTo(type));
      Dataset<Row> c = type.equals("ALL") ? corenlp : corenlp.filter(col("type").equalTo(type));
      long both = r.intersect(c).count();
      long nr = r.count();
      long nc = c.count();
      double precision = nr == 0 ? 0 : (double) both / nr;
      double recall = nc == 0 ? 0 : (double) both / nc;
      double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
      System.out.printf("  %-12s rules=%6d corenlp=%6d both=%6d  precision=%.3f recall=%.3f F1=%.3f%n",
          type, nr, nc, both, precision, recall, f1);
    }
    spark.stop();
  }
}
