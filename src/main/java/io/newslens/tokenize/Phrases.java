package io.newslens.tokenize;

import static io.newslens.common.Tables.*;
import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Two-word phrases by normalised pointwise mutual information over adjacent words (as in
 * gensim's Phrases with the "npmi" scorer): npmi = ln(p(ab) / (p(a) p(b))) / -ln p(ab), with
 * probabilities over all word positions. Only pairs of content words qualify, so "of the" never
 * does and "bank of america" is not glued into "bank america"; {@link TermPass} picks those
 * pairs while it reads the tokens.
 */
public final class Phrases {
  private Phrases() {}

  /**
   * Sentences need {@code words} (how many normalised words), {@code tokens} (the content
   * words) and {@code pairs} (adjacent phrase words "a b", see {@link TermPass#phraseWord}).
   * Word counts come from {@code tokens}: both words of a pair are content words, and a
   * content word is counted there at every position it has among all words.
   */
  public static Dataset<Row> score(Dataset<Row> sentences, int minCount, double threshold, int maxPhrases) {
    Row total = sentences.agg(sum(col("words"))).first();
    long totalWords = total.isNullAt(0) ? 0 : total.getLong(0);
    Dataset<Row> wordCounts = sentences.select(explode(col(TOKENS)).as("word")).groupBy("word").count();
    Dataset<Row> pairCounts = sentences.select(explode(col("pairs")).as("pair"))
        .groupBy("pair").count()
        .filter(col(COUNT).geq(minCount))
        .withColumn("a", element_at(split(col("pair"), " "), 1))
        .withColumn("b", element_at(split(col("pair"), " "), 2));
    Dataset<Row> a = wordCounts.toDF("a", "count_a");
    Dataset<Row> b = wordCounts.toDF("b", "count_b");
    Column pAb = col(COUNT).divide(totalWords);
    Column pmi = log(pAb.divide(col("count_a").divide(totalWords).multiply(col("count_b").divide(totalWords))));
    return pairCounts.join(a, "a").join(b, "b")
        .withColumn(NPMI, when(pAb.lt(1.0), pmi.divide(log(pAb).multiply(-1))).otherwise(1.0))
        .filter(col(NPMI).geq(threshold))
        .orderBy(col(COUNT).desc(), col("pair"))
        .limit(maxPhrases)
        .select(col("pair").as(TERM), col("pair").as(SURFACE), col(COUNT), col(NPMI));
  }
}
