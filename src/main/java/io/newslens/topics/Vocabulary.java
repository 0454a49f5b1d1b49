package io.newslens.topics;

import static io.newslens.common.Tables.*;
import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.types.DataTypes;

/**
 * The words a topic model counts, one array per document. Built from the {@code tokens} table:
 * stems (numbers out), with a detected phrase ("saudi arabia") replacing its two words. The
 * vocabulary keeps terms in at least {@code minDf} documents and at most {@code maxDf} of them,
 * the {@code size} most frequent, in a fixed order (document frequency, then term), so the same
 * input always gives the same ids.
 */
public final class Vocabulary {
  private Vocabulary() {}

  /** A document's terms as vocabulary ids, in order; terms outside the vocabulary left out. */
  static int[] idsOf(List<String> terms, java.util.Map<String, Integer> ids) {
    int[] words = new int[terms.size()];
    int n = 0;
    for (String term : terms) {
      Integer id = ids.get(term);
      if (id != null) {
        words[n++] = id;
      }
    }
    return java.util.Arrays.copyOf(words, n);
  }

  /**
   * (doc_id, period, terms): each document's terms in reading order. Each sentence's terms are
   * made where the sentence is read, and only they are shuffled to meet their document: shuffling
   * the sentences' words, stems and phrases to merge them per document moved twice the bytes.
   */
  public static Dataset<Row> documentTerms(Dataset<Row> tokens) {
    UDF3<scala.collection.Seq<String>, scala.collection.Seq<String>, scala.collection.Seq<String>, List<String>>
        sentenceTerms = (wordSeq, stemSeq, phraseSeq) -> {
          List<String> words = scala.collection.JavaConverters.seqAsJavaList(wordSeq);
          List<String> stems = scala.collection.JavaConverters.seqAsJavaList(stemSeq);
          Set<String> phrases = new HashSet<>(scala.collection.JavaConverters.seqAsJavaList(phraseSeq));
          List<String> out = new ArrayList<>();
          for (int i = 0; i < words.size(); i++) {
            String pair = i + 1 < words.size() ? words.get(i) + " " + words.get(i + 1) : null;
            if (pair != null && phrases.contains(pair)) {
              out.add(pair);
              i++;
            } else if (stems.get(i).codePoints().anyMatch(Character::isLetter)) {
              out.add(stems.get(i));
            }
          }
          return out;
        };
    Column terms = udf(sentenceTerms, DataTypes.createArrayType(DataTypes.StringType))
        .apply(col(TOKENS), col(TERMS), col(PHRASES));
    return tokens
        .select(col(DOC_ID), col(PERIOD), struct(col(SENTENCE), terms.as(TERMS)).as("s"))
        .groupBy(DOC_ID, PERIOD)
        .agg(sort_array(collect_list(col("s"))).as("s"))
        .select(col(DOC_ID), col(PERIOD), flatten(col("s").getField(TERMS)).as(TERMS));
  }

  /**
   * (term, id, df): the vocabulary in id order. {@code maxDf} is a fraction of documents. The
   * vocabulary passes through the driver to number it; {@code size} bounds it.
   */
  public static Dataset<Row> build(Dataset<Row> documentTerms, int minDf, double maxDf, int size) {
    long documents = documentTerms.count();
    List<Row> ranked = documentTerms.select(explode(array_distinct(col(TERMS))).as(TERM))
        .groupBy(TERM).agg(count(lit(1)).as("df"))
        .filter(col("df").geq(minDf).and(col("df").leq(Math.max(1, maxDf * documents))))
        .orderBy(col("df").desc(), col(TERM))
        .limit(size)
        .collectAsList();
    List<Row> numbered = new ArrayList<>(ranked.size());
    for (int id = 0; id < ranked.size(); id++) {
      numbered.add(RowFactory.create(ranked.get(id).getString(0), id, ranked.get(id).getLong(1)));
    }
    return documentTerms.sparkSession().createDataFrame(numbered, DataTypes.createStructType(List.of(
        DataTypes.createStructField(TERM, DataTypes.StringType, false),
        DataTypes.createStructField("id", DataTypes.IntegerType, false),
        DataTypes.createStructField("df", DataTypes.LongType, false))));
  }
}
