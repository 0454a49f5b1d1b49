package io.newslens.tokenize;

import static io.newslens.common.Tables.*;
import static io.newslens.tokenize.TokenCounts.*;
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
   * {@code counts}: {@link TokenCounts} of the sentences with
   * {@link TokenCounts.Counted#WORDS_AND_PAIRS}. Word counts come from the content words: both
   * words of a pair are content words, and a content word is counted there at every position it
   * has among all words.
   */
  static Dataset<Row> score(Dataset<Row> counts, int minCount, double threshold, int maxPhrases) {
    Row total = counts.filter(col(KIND).equalTo(ALL_WORDS)).agg(sum(COUNT)).first();
    long totalWords = total.isNullAt(0) ? 0 : total.getLong(0);
    Dataset<Row> wordCounts = counts.filter(col(KIND).equalTo(WORD)).select(col(KEY).as("word"), col(COUNT));
    Dataset<Row> pairCounts = counts.filter(col(KIND).equalTo(PAIR).and(col(COUNT).geq(minCount)))
        .select(col(KEY).as("pair"), col(COUNT));
    return scorePairs(pairCounts, wordCounts, totalWords, threshold, maxPhrases);
  }

  /**
   * The phrases among {@code pairCounts} (pair "a b", count; already at least the minimum count),
   * given {@code wordCounts} (word, count) and the number of word positions.
   */
  static Dataset<Row> scorePairs(Dataset<Row> pairCounts, Dataset<Row> wordCounts, long totalWords, double threshold,
      int maxPhrases) {
    Dataset<Row> a = wordCounts.toDF("a", "count_a");
    Dataset<Row> b = wordCounts.toDF("b", "count_b");
    Column pAb = col(COUNT).divide(totalWords);
    Column pmi = log(pAb.divide(col("count_a").divide(totalWords).multiply(col("count_b").divide(totalWords))));
    return pairCounts
        .withColumn("a", element_at(split(col("pair"), " "), 1))
        .withColumn("b", element_at(split(col("pair"), " "), 2))
        .join(a, "a").join(b, "b")
        .withColumn(NPMI, when(pAb.lt(1.0), pmi.divide(log(pAb).multiply(-1))).otherwise(1.0))
        .filter(col(NPMI).geq(threshold))
        .orderBy(col(COUNT).desc(), col("pair"))
        .limit(maxPhrases)
        .select(col("pair").as(TERM), col("pair").as(SURFACE), col(COUNT), col(NPMI));
  }
}
