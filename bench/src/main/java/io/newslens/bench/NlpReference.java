package io.newslens.bench;

import static org.apache.spark.sql.functions.*;

import com.johnsnowlabs.nlp.DocumentAssembler;
import com.johnsnowlabs.nlp.annotators.Tokenizer;
import com.johnsnowlabs.nlp.annotators.sbd.pragmatic.SentenceDetector;
import io.newslens.common.Sessions;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The second reference of bench/run.sh: Spark NLP's DocumentAssembler, SentenceDetector and
 * Tokenizer with their defaults, alone, over the texts of the corpus, counting the tokens.
 * This is the least that a tokenize stage built on Spark NLP can cost.
 *
 * <pre>NlpReference INPUT.jsonl</pre>
 */
public final class NlpReference {
  private NlpReference() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: NlpReference INPUT.jsonl");
      System.exit(2);
    }
    long started = System.nanoTime();
    SparkSession spark = Sessions.getOrCreate();
    Dataset<Row> texts = spark.read().schema(Floor.SCHEMA).json(args[0]).select("text")
        .filter(col("text").isNotNull());

    DocumentAssembler document = new DocumentAssembler();
    document.setInputCol("text");
    document.setOutputCol("document");
    SentenceDetector sentences = new SentenceDetector();
    sentences.setInputCols(new String[] {"document"});
    sentences.setOutputCol("sentence");
    Tokenizer tokenizer = new Tokenizer();
    tokenizer.setInputCols(new String[] {"sentence"});
    tokenizer.setOutputCol("token");
    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {document, sentences, tokenizer}).fit(texts);

    Row totals = model.transform(texts)
        .agg(count(lit(1)).as("texts"), sum(size(col("sentence"))).as("sentences"), sum(size(col("token"))).as("tokens"))
        .first();
    System.out.printf(java.util.Locale.ROOT, "reference: %d texts, %d sentences, %d tokens in %.1f s (in-process)%n",
        totals.getLong(0), totals.getLong(1), totals.getLong(2), (System.nanoTime() - started) / 1e9);
    spark.stop();
  }
}
