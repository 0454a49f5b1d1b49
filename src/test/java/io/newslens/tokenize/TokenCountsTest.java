package io.newslens.tokenize;

import static io.newslens.common.Tables.*;
import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import io.newslens.SampleTexts;
import io.newslens.SharedSpark;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one-scan counts give the phrases and term_forms tables that one Spark aggregation per
 * count gave (the code before {@link TokenCounts}, kept here as the reference), on every sample
 * text, with a map small enough to be written out many times per task, and in any row order.
 */
class TokenCountsTest {
  static Tokenize.Result result;

  @BeforeAll
  static void tokenizeSamples() throws Exception {
    List<Object[]> docs = new ArrayList<>();
    List<String> texts = SampleTexts.all();
    for (int i = 0; i < texts.size(); i++) {
      docs.add(new Object[] {"d" + i, "2020-0" + (1 + i % 9), texts.get(i)});
    }
    result = Tokenize.apply(SharedSpark.rows(TokenizeTest.ARTICLES, docs), new Tokenize.Options(3, 0.3, 1_000, null));
  }

  @AfterAll
  static void release() {
    result.release();
  }

  /** Phrases as scored before: word and pair counts each by exploding the sentences. */
  static Dataset<Row> phrasesByExplode(Dataset<Row> sentences, int minCount, double threshold, int maxPhrases) {
    Row total = sentences.agg(sum(col("words"))).first();
    long totalWords = total.isNullAt(0) ? 0 : total.getLong(0);
    Dataset<Row> wordCounts = sentences.select(explode(col(TOKENS)).as("word")).groupBy("word").count();
    Dataset<Row> pairCounts = sentences.select(explode(col("pairs")).as("pair"))
        .groupBy("pair").count()
        .filter(col(COUNT).geq(minCount));
    return Phrases.scorePairs(pairCounts, wordCounts, totalWords, threshold, maxPhrases);
  }

  /** term_forms as built before: term forms, distinct (article, term) pairs and phrases, each by exploding. */
  static Dataset<Row> termFormsByExplode(Dataset<Row> tokens) {
    Dataset<Row> words = tokens
        .select(col(DOC_ID), explode(arrays_zip(col(TOKENS), col(TERMS))).as("z"))
        .select(col(DOC_ID), col("z." + TERMS).as(TERM), col("z." + TOKENS).as(SURFACE));
    Dataset<Row> stems = words.groupBy(TERM, SURFACE).agg(count(lit(1)).as("n"))
        .groupBy(TERM)
        .agg(max(struct(col("n"), col(SURFACE))).getField(SURFACE).as(SURFACE), sum("n").as(COUNT));
    Dataset<Row> stemDocs = words.select(DOC_ID, TERM).distinct().groupBy(TERM).agg(count(lit(1)).as(DOCS));
    Dataset<Row> phrases = tokens.select(col(DOC_ID), explode(col(PHRASES)).as(TERM))
        .groupBy(TERM).agg(count(lit(1)).as(COUNT), countDistinct(DOC_ID).as(DOCS))
        .withColumn(SURFACE, col(TERM));
    return stems.join(stemDocs, TERM).select(TERM, SURFACE, COUNT, DOCS)
        .unionByName(phrases.select(TERM, SURFACE, COUNT, DOCS));
  }

  static List<String> sorted(Dataset<Row> table) {
    return table.collectAsList().stream().map(Row::toString).sorted().collect(Collectors.toList());
  }

  @Test
  void phrasesAsScoredByExplodingEverySentence() {
    List<String> phrases = sorted(result.phrases());
    assertTrue(phrases.size() > 20, "the sample texts have phrases: " + phrases.size());
    assertEquals(sorted(phrasesByExplode(result.tokens(), 3, 0.3, 1_000)), phrases);
  }

  @Test
  void termFormsAsCountedByExplodingEveryToken() {
    List<String> forms = sorted(result.termForms());
    assertTrue(forms.size() > 1_000, "terms of the sample texts: " + forms.size());
    assertEquals(sorted(termFormsByExplode(result.tokens())), forms);
  }

  @Test
  void aMapWrittenOutManyTimesPerTaskGivesTheSameCounts() {
    EnumSet<TokenCounts.Counted> all = EnumSet.allOf(TokenCounts.Counted.class);
    assertEquals(sorted(TokenCounts.of(result.tokens(), all)), sorted(TokenCounts.of(result.tokens(), all, 7)));
  }

  @Test
  void tokensReadBackInAnyOrderGiveTheSameTermForms() {
    Dataset<Row> shuffled = result.tokens().repartition(5).orderBy(rand(11));
    EnumSet<TokenCounts.Counted> terms = EnumSet.of(TokenCounts.Counted.TERMS, TokenCounts.Counted.PHRASES);
    assertNotEquals(sorted(TermForms.from(TokenCounts.of(result.tokens(), terms))),
        sorted(TermForms.from(TokenCounts.of(shuffled, terms))), "articles split over rows and tasks are counted more than once");
    assertEquals(sorted(termFormsByExplode(result.tokens())), sorted(TermForms.of(shuffled)));
  }
}
