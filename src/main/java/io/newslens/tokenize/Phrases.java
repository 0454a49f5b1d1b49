package io.newslens.tokenize;

import static io.newslens.common.Tables.*;
import static org.apache.spark.sql.functions.*;

import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Two-word phrases by normalised pointwise mutual information over adjacent words (as in
 * gensim's Phrases with the "npmi" scorer): npmi = ln(p(ab) / (p(a) p(b))) / -ln p(ab), with
 * probabilities over all word positions. Only pairs of content words qualify, so "of the" never
 * does and "bank of america" is not glued into "bank america".
 */
public final class Phrases {
  private Phrases() {}

  /** Sentences need {@code words} (all normalised words) and {@code pairs} (adjacent "a b"). */
  public static Dataset<Row> score(Dataset<Row> sentences, Set<String> stopWords, int minCount,
      double threshold, int maxPhrases) {
    long totalWords = sentences.agg(sum(size(col("words")))).first().getLong(0);
    Dataset<Row> wordCounts = sentences.select(explode(col("words")).as("word")).groupBy("word").count();
    Column first = element_at(split(col("pair"), " "), 1);
    Column second = element_at(split(col("pair"), " "), 2);
    Dataset<Row> pairCounts = sentences.select(explode(col("pairs")).as("pair"))
        .filter(isContentWord(first, stopWords).and(isContentWord(second, stopWords)))
        .groupBy("pair").count()
        .filter(col(COUNT).geq(minCount))
        .withColumn("a", first).withColumn("b", second);
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

  private static Column isContentWord(Column word, Set<String> stopWords) {
    return word.rlike("\\p{L}").and(length(word).geq(2)).and(not(word.isin(stopWords.toArray())));
  }
}
