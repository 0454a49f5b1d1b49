package io.newslens.entities;

import static io.newslens.common.Tables.*;
import static org.apache.spark.sql.functions.*;

import io.newslens.common.Partitioning;
import io.newslens.tokenize.Tokenize;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.collection.Seq;

/**
 * Stage 4: kept {@code articles} in; {@code entity_mentions}, {@code entities},
 * {@code entity_pairs} and {@code entity_trends} out.
 *
 * <ol>
 *   <li>SplitSentences: Spark NLP's DocumentAssembler and SentenceDetector, the same as
 *       tokenize, so {@code sentence} numbers agree with the {@code tokens} table.
 *   <li>RecognizeEntities: one {@link Recognizer} call per article ({@code --ner rules} by
 *       default, see {@link RuleRecognizer}); canonical names are resolved within the article.
 *   <li>SummarizeEntities: docs, mentions, first and last date, aliases per (entity, type).
 *   <li>PairEntities: self-join of each unit's entities (a sentence, or a whole article), capped
 *       at {@code maxEntitiesPerSentence} / {@code maxEntitiesPerDocument} distinct entities per
 *       unit (the first ones in a sentence; the most mentioned ones in an article), so one huge
 *       article yields at most cap*(cap-1)/2 rows and the join's memory does not grow with it.
 *       Scores from the 2x2 table of the period's units: see {@link Association}.
 *   <li>TrendEntities: share of the period's articles, z-score against the trailing periods.
 * </ol>
 */
public final class Entities {
  private Entities() {}

  public static final String SENTENCE_WINDOW = "sentence";
  public static final String DOCUMENT_WINDOW = "document";

  public record Options(String ner, int maxEntitiesPerSentence, int maxEntitiesPerDocument, long minPairCount,
      double burstThreshold, int trendWindow) {
    public static Options defaults() {
      return new Options("rules", 20, 50, 1, 3.0, 6);
    }

    public Options {
      if (maxEntitiesPerSentence < 2 || maxEntitiesPerDocument < 2) {
        throw new IllegalArgumentException("entity caps per sentence and per document must be at least 2");
      }
      if (minPairCount < 1 || trendWindow < 1) {
        throw new IllegalArgumentException("--min-pair-count and --trend-window must be at least 1");
      }
    }
  }

  /** The four outputs; they share one cached recognition pass, released by {@link #release()}. */
  public record Result(Dataset<Row> mentions, Dataset<Row> entities, Dataset<Row> pairs, Dataset<Row> trends,
      Dataset<Row> cached) {
    public void release() {
      cached.unpersist();
    }
  }

  static final StructType MENTION = DataTypes.createStructType(List.of(
      DataTypes.createStructField(SENTENCE, DataTypes.IntegerType, false),
      DataTypes.createStructField(BEGIN, DataTypes.IntegerType, false),
      DataTypes.createStructField(END, DataTypes.IntegerType, false),
      DataTypes.createStructField(TEXT, DataTypes.StringType, false),
      DataTypes.createStructField(ENTITY, DataTypes.StringType, false),
      DataTypes.createStructField(TYPE, DataTypes.StringType, false)));

  static Pipeline sentencePipeline() {
    return new Pipeline().setStages(Tokenize.sentenceStages());
  }

  public static Result apply(Dataset<Row> keptArticles, Options options) {
    Recognizer recognizer = Recognizer.named(options.ner());
    Dataset<Row> input = Partitioning.spread(keptArticles.select(DOC_ID, DATE, PERIOD, TEXT), DOC_ID);
    Dataset<Row> recognized = recognize(splitSentences(input), recognizer).persist(StorageLevel.MEMORY_AND_DISK());

    Dataset<Row> mentions = recognized
        .select(col(DOC_ID), col(DATE), col(PERIOD), explode(col("found")).as("m"))
        .select(col(DOC_ID), col(DATE), col(PERIOD), col("m.*"));
    Dataset<Row> articlesOfPeriod = recognized.groupBy(PERIOD)
        .agg(count(lit(1)).as("articles"), sum(col("sentences")).as("sentences"));

    return new Result(mentions.drop(DATE), summarize(mentions),
        pairs(mentions, articlesOfPeriod, options), trends(mentions, articlesOfPeriod, options), recognized);
  }

  /** Adds {@code sentence}: Spark NLP sentence annotations (begin, end inclusive, result). */
  public static Dataset<Row> splitSentences(Dataset<Row> articles) {
    return sentencePipeline().fit(articles).transform(articles);
  }

  /**
   * Articles with {@code sentence} annotations in; the other columns but text, plus
   * {@code sentences} (how many) and {@code found} (array of mentions), out.
   */
  public static Dataset<Row> recognize(Dataset<Row> sentences, Recognizer recognizer) {
    UDF3<String, Seq<Integer>, Seq<Integer>, List<Row>> recognize = (text, begins, ends) -> {
      List<Row> rows = new ArrayList<>();
      for (RuleRecognizer.Mention m : recognizer.recognize(text, ints(begins), ints(ends))) {
        rows.add(RowFactory.create(m.sentence(), m.begin(), m.end(), m.text(), m.entity(), m.type()));
      }
      return rows;
    };
    List<Column> kept = new ArrayList<>();
    for (String column : sentences.columns()) {
      if (!List.of(TEXT, "document", "sentence").contains(column)) {
        kept.add(col(column));
      }
    }
    kept.add(size(col("sentence")).as("sentences"));
    kept.add(udf(recognize, DataTypes.createArrayType(MENTION, false))
        .apply(col(TEXT), col("sentence.begin"), col("sentence.end")).as("found"));
    return sentences.select(kept.toArray(Column[]::new));
  }

  private static int[] ints(Seq<Integer> values) {
    int[] out = new int[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.apply(i);
    }
    return out;
  }

  static Dataset<Row> summarize(Dataset<Row> mentions) {
    return mentions.groupBy(ENTITY, TYPE).agg(
        countDistinct(DOC_ID).as(DOCS),
        count(lit(1)).as(MENTIONS),
        min(DATE).as(FIRST_DATE),
        max(DATE).as(LAST_DATE),
        array_sort(collect_set(TEXT)).as(ALIASES));
  }

  /**
   * {@code mentions} needs doc_id, period, sentence, begin, entity, type; {@code periods} needs
   * period, articles, sentences (the units of each window, with or without entities).
   */
  static Dataset<Row> pairs(Dataset<Row> mentions, Dataset<Row> periods, Options options) {
    Dataset<Row> inSentence = mentions.groupBy(PERIOD, DOC_ID, SENTENCE, ENTITY, TYPE).agg(min(BEGIN).as("first"))
        .withColumn("rank", row_number().over(Window.partitionBy(DOC_ID, SENTENCE).orderBy("first", ENTITY, TYPE)))
        .filter(col("rank").leq(options.maxEntitiesPerSentence()))
        .select(col(PERIOD), lit(SENTENCE_WINDOW).as(WINDOW), col(DOC_ID), col(SENTENCE).as("unit"), col(ENTITY), col(TYPE));
    Dataset<Row> inDocument = mentions.groupBy(PERIOD, DOC_ID, ENTITY, TYPE)
        .agg(count(lit(1)).as("n"), min(BEGIN).as("first"))
        .withColumn("rank", row_number().over(Window.partitionBy(DOC_ID)
            .orderBy(col("n").desc(), col("first"), col(ENTITY), col(TYPE))))
        .filter(col("rank").leq(options.maxEntitiesPerDocument()))
        .select(col(PERIOD), lit(DOCUMENT_WINDOW).as(WINDOW), col(DOC_ID), lit(-1).as("unit"), col(ENTITY), col(TYPE));
    Dataset<Row> units = inSentence.unionByName(inDocument);

    Dataset<Row> a = units.toDF(PERIOD, WINDOW, DOC_ID, "unit", ENTITY_A, TYPE_A);
    Dataset<Row> b = units.toDF(PERIOD, WINDOW, DOC_ID, "unit", ENTITY_B, TYPE_B);
    Dataset<Row> together = a.join(b, scala.collection.JavaConverters.asScalaBuffer(
            List.of(PERIOD, WINDOW, DOC_ID, "unit")).toSeq())
        .filter(col(ENTITY_A).lt(col(ENTITY_B)).or(col(ENTITY_A).equalTo(col(ENTITY_B)).and(col(TYPE_A).lt(col(TYPE_B)))))
        .groupBy(PERIOD, WINDOW, ENTITY_A, TYPE_A, ENTITY_B, TYPE_B)
        .agg(count(lit(1)).as(COUNT), countDistinct(DOC_ID).as(DOCS))
        .filter(col(COUNT).geq(options.minPairCount()));

    Dataset<Row> single = units.groupBy(PERIOD, WINDOW, ENTITY, TYPE).agg(count(lit(1)).as("n"));
    Dataset<Row> total = periods.select(col(PERIOD), lit(SENTENCE_WINDOW).as(WINDOW), col("sentences").as("n_units"))
        .unionByName(periods.select(col(PERIOD), lit(DOCUMENT_WINDOW).as(WINDOW), col("articles").as("n_units")));
    Dataset<Row> scored = together
        .join(single.toDF(PERIOD, WINDOW, ENTITY_A, TYPE_A, "n_a"), scala.collection.JavaConverters.asScalaBuffer(
            List.of(PERIOD, WINDOW, ENTITY_A, TYPE_A)).toSeq())
        .join(single.toDF(PERIOD, WINDOW, ENTITY_B, TYPE_B, "n_b"), scala.collection.JavaConverters.asScalaBuffer(
            List.of(PERIOD, WINDOW, ENTITY_B, TYPE_B)).toSeq())
        .join(total, scala.collection.JavaConverters.asScalaBuffer(List.of(PERIOD, WINDOW)).toSeq());
    Column[] table = {col(COUNT), col("n_a"), col("n_b"), col("n_units").cast("long")};
    return scored
        .withColumn(PMI, udf((UDF4<Long, Long, Long, Long, Double>) Association::pmi, DataTypes.DoubleType).apply(table))
        .withColumn(NPMI, udf((UDF4<Long, Long, Long, Long, Double>) Association::npmi, DataTypes.DoubleType).apply(table))
        .withColumn(LLR, udf((UDF4<Long, Long, Long, Long, Double>) Association::llr, DataTypes.DoubleType).apply(table))
        .select(PERIOD, WINDOW, ENTITY_A, ENTITY_B, TYPE_A, TYPE_B, COUNT, DOCS, PMI, NPMI, LLR);
  }

  /**
   * z = (share - mean) / sd over the entity's previous {@code trendWindow} periods of the corpus
   * (periods without a mention count as share 0; periods with no articles at all are skipped).
   * A window over period numbers sums share and share² of the rows that exist, so the zeros
   * need no rows. sd is floored at sqrt(p(1-p)/n), the binomial sd of a share of n articles at
   * p = max(mean, 1/n), so a quiet history does not turn one article into an infinite z-score.
   */
  static Dataset<Row> trends(Dataset<Row> mentions, Dataset<Row> periods, Options options) {
    Dataset<Row> numbered = periods.select(PERIOD, "articles")
        .withColumn("index", dense_rank().over(Window.orderBy(PERIOD)).minus(1));
    WindowSpec trailing = Window.partitionBy(ENTITY, TYPE).orderBy("index").rangeBetween(-options.trendWindow(), -1);
    Column history = least(col("index"), lit(options.trendWindow()));
    Column mean = coalesce(sum("share").over(trailing), lit(0.0)).divide(history);
    Column meanOfSquares = coalesce(sum(col("share").multiply(col("share"))).over(trailing), lit(0.0)).divide(history);
    Column p = greatest(col("mean"), lit(1.0).divide(col("articles")));
    Column floor = sqrt(p.multiply(lit(1.0).minus(p)).divide(col("articles")));
    Column sd = greatest(sqrt(greatest(col("mean_sq").minus(col("mean").multiply(col("mean"))), lit(0.0))), floor);
    return mentions.groupBy(PERIOD, ENTITY, TYPE).agg(countDistinct(DOC_ID).as(DOCS), count(lit(1)).as(MENTIONS))
        .join(numbered, PERIOD)
        .withColumn(SHARE, col(DOCS).divide(col("articles")))
        .withColumn("mean", mean)
        .withColumn("mean_sq", meanOfSquares)
        .withColumn(ZSCORE, when(col("index").gt(0), col(SHARE).minus(col("mean")).divide(sd)))
        .withColumn(BURST, coalesce(col(ZSCORE).geq(options.burstThreshold()), lit(false)).and(col(DOCS).geq(2)))
        .select(PERIOD, ENTITY, TYPE, DOCS, MENTIONS, SHARE, ZSCORE, BURST);
  }
}
