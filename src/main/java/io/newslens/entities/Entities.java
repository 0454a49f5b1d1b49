package io.newslens.entities;

import static io.newslens.common.Tables.*;
import static org.apache.spark.sql.functions.*;

import io.newslens.common.Partitioning;
import io.newslens.tokenize.Tokenize;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.collection.Seq;

/**
 * Stage 4: kept {@code articles} and their {@code tokens} in; {@code entity_mentions}, {@code entities},
 * {@code entity_pairs} and {@code entity_trends} out.
 *
 * <ol>
 *   <li>Sentences: taken from the {@code tokens} table (tokenize's Spark NLP SentenceDetector
 *       pass, with each sentence's character span), so {@code sentence} numbers agree with it.
 *   <li>RecognizeEntities: one {@link Recognizer} call per article ({@code --ner rules} by
 *       default, see {@link RuleRecognizer}); canonical names are resolved within the article.
 *   <li>SummarizeEntities: docs, mentions, first and last date, aliases per (entity, type).
 *   <li>PairEntities: each article's units (a sentence, or the whole article) counted by
 *       {@link ArticlePairs}, capped at {@code maxEntitiesPerSentence} /
 *       {@code maxEntitiesPerDocument} distinct entities per unit (the first ones in a sentence;
 *       the most mentioned ones in an article), so one huge article yields at most
 *       cap*(cap-1)/2 pairs per unit; then one aggregate by pair and period.
 *       Scores from the 2x2 table of the period's units: see {@link Association}.
 *   <li>TrendEntities: share of the period's articles, z-score against the trailing periods.
 * </ol>
 */
public final class Entities {
  private Entities() {}

  public static final String SENTENCE_WINDOW = "sentence";
  public static final String DOCUMENT_WINDOW = "document";

  /** {@code minPairCount} meaning "decide by corpus size", see {@link #autoMinPairCount}. */
  public static final long AUTO = 0;
  /** From this many kept articles on, the automatic minimum pair count is 2. */
  public static final long AUTO_MIN_PAIR_ARTICLES = 1_000;

  public record Options(String ner, int maxEntitiesPerSentence, int maxEntitiesPerDocument, long minPairCount,
      double burstThreshold, int trendWindow) {
    public static Options defaults() {
      return new Options("rules", 20, 50, AUTO, 3.0, 6);
    }

    public Options withMinPairCount(long count) {
      return new Options(ner, maxEntitiesPerSentence, maxEntitiesPerDocument, count, burstThreshold, trendWindow);
    }

    public Options {
      if (maxEntitiesPerSentence < 2 || maxEntitiesPerDocument < 2) {
        throw new IllegalArgumentException("entity caps per sentence and per document must be at least 2");
      }
      if (minPairCount < 0 || trendWindow < 1) {
        throw new IllegalArgumentException("--min-pair-count (auto or N) and --trend-window must be at least 1");
      }
    }
  }

  /**
   * The four outputs; they share one cached recognition pass, released by {@link #release()}.
   * {@code minPairCount}: the one applied (the option's, or the automatic one).
   */
  public record Result(Dataset<Row> mentions, Dataset<Row> entities, Dataset<Row> pairs, Dataset<Row> trends,
      Dataset<Row> periods, long minPairCount, Resolution.Result resolution, List<Dataset<Row>> caches) {
    public void release() {
      resolution.release();
      caches.forEach(Dataset::unpersist);
    }

    /** For the manifest: mentions whose entity the corpus-level pass changed, per rule, and those it left out. */
    public java.util.Map<String, Long> resolutionReport() {
      return resolution.report();
    }
  }

  /**
   * Pairs seen once are most of the pairs of a large corpus and grow with every article read,
   * while pairs seen twice grow with the distinct relations in it: above
   * {@link #AUTO_MIN_PAIR_ARTICLES} kept articles the automatic minimum is 2, below it 1 (small
   * corpora, where a single co-occurrence is still news).
   */
  public static long autoMinPairCount(long articles) {
    return articles < AUTO_MIN_PAIR_ARTICLES ? 1 : 2;
  }

  /**
   * What {@link ArticlePairs} counts in one article, an entity alone (entity_b null) or a pair:
   * the sentences holding it, and 1 if the article's capped set holds it (else 0).
   */
  static final StructType ARTICLE_COUNT = DataTypes.createStructType(List.of(
      DataTypes.createStructField(ENTITY_A, DataTypes.StringType, false),
      DataTypes.createStructField(TYPE_A, DataTypes.StringType, false),
      DataTypes.createStructField(ENTITY_B, DataTypes.StringType, true),
      DataTypes.createStructField(TYPE_B, DataTypes.StringType, true),
      DataTypes.createStructField("sentence_units", DataTypes.LongType, false),
      DataTypes.createStructField("document_units", DataTypes.LongType, false)));

  static final StructType MENTION = DataTypes.createStructType(List.of(
      DataTypes.createStructField(SENTENCE, DataTypes.IntegerType, false),
      DataTypes.createStructField(BEGIN, DataTypes.IntegerType, false),
      DataTypes.createStructField(END, DataTypes.IntegerType, false),
      DataTypes.createStructField(TEXT, DataTypes.StringType, false),
      DataTypes.createStructField(ENTITY, DataTypes.StringType, false),
      DataTypes.createStructField(TYPE, DataTypes.StringType, false)));

  /** What an article names, each (entity, type) once, with its mentions {@code n}. */
  static final StructType NAMED_COUNT = DataTypes.createStructType(List.of(
      DataTypes.createStructField(ENTITY, DataTypes.StringType, false),
      DataTypes.createStructField(TYPE, DataTypes.StringType, false),
      DataTypes.createStructField("n", DataTypes.LongType, false)));

  /** The columns {@link #recognize} adds: the mentions, and the per-article counts of {@link #NAMED_COUNT}. */
  public static final String FOUND = "found";
  static final String NAMED = "named";

  static final StructType RECOGNIZED = DataTypes.createStructType(List.of(
      DataTypes.createStructField(FOUND, DataTypes.createArrayType(MENTION, false), false),
      DataTypes.createStructField(NAMED, DataTypes.createArrayType(NAMED_COUNT, false), false)));

  /** Sentence spans of an article: number, begin, end (exclusive), as in the tokens table. */
  static final String BOUNDS = "bounds";

  /**
   * Kept articles plus {@code tokens} in: the sentences come from the tokens table, where
   * tokenize's SentenceDetector pass left them, so they are not detected a second time and
   * sentence numbers agree between {@code tokens} and {@code entity_mentions}. Articles without a
   * tokens row (nothing to tokenize) still count in their period.
   */
  public static Result apply(Dataset<Row> keptArticles, Dataset<Row> tokens, Options options) {
    Recognizer recognizer = Recognizer.named(options.ner());
    if (recognizer instanceof RuleRecognizer rules) {
      recognizer = rules.keepingLoneWords();
    }
    Dataset<Row> bounds = tokens.groupBy(DOC_ID)
        .agg(sort_array(collect_list(struct(col(SENTENCE), col(BEGIN), col(END)))).as(BOUNDS));
    Dataset<Row> input = keptArticles.select(DOC_ID, DATE, PERIOD, TEXT).join(bounds, DOC_ID, "left_outer");
    Dataset<Row> recognized = recognize(input, recognizer).persist(StorageLevel.MEMORY_AND_DISK());

    Resolution.Result resolution = Resolution.resolve(
        recognized.select(col(DOC_ID), col(DATE), col(PERIOD), explode(col(FOUND)).as("m"))
            .select(col(DOC_ID), col(DATE), col(PERIOD), col("m.*")),
        recognized.select(col(PERIOD), col(DOC_ID), explode(col(NAMED)).as("m"))
            .select(col(PERIOD), col(DOC_ID), col("m.*")));
    Dataset<Row> mentions = resolution.mentions();
    Dataset<Row> articlesOfPeriod = recognized.groupBy(PERIOD)
        .agg(count(lit(1)).as("articles"), sum(col("sentences")).as("sentences"))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Row articleCount = articlesOfPeriod.agg(sum("articles")).first();
    long minPairCount = options.minPairCount() != AUTO ? options.minPairCount()
        : autoMinPairCount(articleCount.isNullAt(0) ? 0 : articleCount.getLong(0));
    Options resolved = options.withMinPairCount(minPairCount);
    // Read by the entity figures, the pair pruning and the trends.
    Dataset<Row> perPeriod = perPeriodDated(mentions).persist(StorageLevel.MEMORY_AND_DISK());
    // The pruning needs only the entities named at least minPairCount times in the period (a
    // fraction of them): filled now, so that its join is planned with its measured size, and
    // broadcast under Spark's threshold. The mentions then keep their partitioning by article
    // from recognition to the per-article pair pass, instead of being shuffled twice.
    Dataset<Row> reaching = perPeriod.filter(col(MENTIONS).geq(minPairCount)).select(PERIOD, ENTITY, TYPE, MENTIONS, DOCS)
        .persist(StorageLevel.MEMORY_AND_DISK());
    if (minPairCount > 1) {
      reaching.count();
    }

    return new Result(mentions.drop(DATE), summarize(perPeriod, mentions),
        pairs(mentions, reaching, articlesOfPeriod, resolved), trends(perPeriod, articlesOfPeriod, resolved),
        articlesOfPeriod, minPairCount, resolution, List.of(recognized, articlesOfPeriod, perPeriod, reaching));
  }

  /**
   * Articles with Spark NLP sentence detection run on them, as {@code bounds}: for recognisers
   * benchmarked on raw text (the stage itself takes the sentences from {@code tokens}).
   */
  public static Dataset<Row> splitSentences(Dataset<Row> articles) {
    return new Pipeline().setStages(Tokenize.sentenceStages()).fit(articles).transform(articles)
        .withColumn(BOUNDS, transform(col("sentence"), s -> struct(
            s.getField("metadata").getItem("sentence").cast("int").as(SENTENCE), s.getField(BEGIN).as(BEGIN),
            s.getField(END).plus(1).as(END))))
        .drop("document", "sentence");
  }

  /**
   * Articles with {@code bounds} (sentence number, begin, end exclusive; sorted; null for none)
   * in; the other columns but text, plus {@code sentences} (how many), {@code found} (array of
   * mentions) and {@code named} (each entity and type with its mentions in the article), out.
   * Sentence numbers missing from the bounds (sentences without a word) are passed to the
   * recogniser as empty spans, so its numbering stays that of the tokens table.
   *
   * <p>The per-article counts come out of the same call because resolution reads them five
   * times: counted here, they need no aggregation of every mention.
   */
  public static Dataset<Row> recognize(Dataset<Row> articles, Recognizer recognizer) {
    UDF2<String, Seq<Row>, Row> recognize = (text, spans) -> {
      int n = spans == null || spans.isEmpty() ? 0 : spans.apply(spans.size() - 1).getInt(0) + 1;
      int[] begins = new int[n];
      int[] ends = new int[n];
      java.util.Arrays.fill(ends, -1);
      for (int i = 0; spans != null && i < spans.size(); i++) {
        Row span = spans.apply(i);
        begins[span.getInt(0)] = span.getInt(1);
        ends[span.getInt(0)] = span.getInt(2) - 1;
      }
      List<Row> rows = new ArrayList<>();
      Map<List<String>, long[]> named = new LinkedHashMap<>();
      for (RuleRecognizer.Mention m : recognizer.recognize(text, begins, ends)) {
        rows.add(RowFactory.create(m.sentence(), m.begin(), m.end(), m.text(), m.entity(), m.type()));
        named.computeIfAbsent(List.of(m.entity(), m.type()), k -> new long[1])[0]++;
      }
      List<Row> counts = new ArrayList<>(named.size());
      named.forEach((name, mentions) -> counts.add(RowFactory.create(name.get(0), name.get(1), mentions[0])));
      return RowFactory.create(rows, counts);
    };
    List<Column> kept = new ArrayList<>();
    for (String column : articles.columns()) {
      if (!List.of(TEXT, BOUNDS).contains(column)) {
        kept.add(col(column));
      }
    }
    // size(null) is -1 in Spark, not 0.
    kept.add(when(col(BOUNDS).isNull(), lit(0)).otherwise(size(col(BOUNDS))).as("sentences"));
    kept.add(udf(recognize, RECOGNIZED).apply(col(TEXT), col(BOUNDS)).as("r"));
    return articles.select(kept.toArray(Column[]::new)).select(col("*"), col("r." + FOUND), col("r." + NAMED)).drop("r");
  }

  /**
   * {@link #perPeriodDated} and the mentions (with their alias {@code text}) in; the
   * {@code entities} table out. An article is in one period, so an entity's articles are the sum
   * of its periods': the figures need no pass over the mentions.
   */
  static Dataset<Row> summarize(Dataset<Row> perPeriod, Dataset<Row> mentions) {
    Dataset<Row> figures = perPeriod.groupBy(ENTITY, TYPE).agg(
        sum(DOCS).as(DOCS),
        sum(MENTIONS).as(MENTIONS),
        min(FIRST_DATE).as(FIRST_DATE),
        max(LAST_DATE).as(LAST_DATE));
    Dataset<Row> aliases = aliasCounts(mentions.groupBy(ENTITY, TYPE, TEXT).agg(count(lit(1)).as("n")))
        .withColumn(ALIASES, array_sort(transform(col(ALIAS_COUNTS), a -> a.getField("alias"))))
        .select(ENTITY, TYPE, ALIASES, ALIAS_COUNTS);
    return figures.join(aliases, joinKeys(ENTITY, TYPE));
  }

  /**
   * (entity, type, text, n: its mentions) in; each alias of an entity with its mentions, the
   * most mentioned first (then by alias), out.
   */
  static Dataset<Row> aliasCounts(Dataset<Row> aliasMentions) {
    return aliasMentions
        .groupBy(ENTITY, TYPE).agg(sort_array(collect_list(struct(col("n").multiply(-1).as("order"), col(TEXT).as("alias"),
            col("n").as(MENTIONS)))).as("sorted"))
        .select(col(ENTITY), col(TYPE), transform(col("sorted"), a -> struct(a.getField("alias").as("alias"),
            a.getField(MENTIONS).as(MENTIONS))).as(ALIAS_COUNTS));
  }

  /**
   * {@code mentions} needs doc_id, period, sentence, begin, entity, type; {@code periods} needs
   * period, articles, sentences (the units of each window, with or without entities).
   */
  static Dataset<Row> pairs(Dataset<Row> mentions, Dataset<Row> periods, Options options) {
    return pairs(mentions, perPeriod(mentions), periods, options);
  }

  /**
   * {@code perPeriod}: {@link #perPeriod} of the mentions, or only its rows of entities with at
   * least {@code minPairCount} mentions (the others cannot reach it in either window).
   */
  static Dataset<Row> pairs(Dataset<Row> mentions, Dataset<Row> perPeriod, Dataset<Row> periods, Options options) {
    int maxPerSentence = options.maxEntitiesPerSentence();
    int maxPerDocument = options.maxEntitiesPerDocument();
    UDF1<Seq<Row>, List<Row>> perArticle = found -> {
      List<ArticlePairs.Mention> list = new ArrayList<>(found.size());
      for (int i = 0; i < found.size(); i++) {
        Row m = found.apply(i);
        list.add(new ArticlePairs.Mention(m.getInt(0), m.getInt(1), new ArticlePairs.Entity(m.getString(2), m.getString(3)),
            m.getBoolean(4), m.getBoolean(5)));
      }
      List<Row> rows = new ArrayList<>();
      for (ArticlePairs.Count c : ArticlePairs.of(list, maxPerSentence, maxPerDocument)) {
        rows.add(RowFactory.create(c.a().name(), c.a().type(),
            c.b() == null ? null : c.b().name(), c.b() == null ? null : c.b().type(), c.sentences(), c.document()));
      }
      return rows;
    };
    // A pair is in at most as many sentences as either entity has mentions, and in at most as
    // many articles as either is named in. Entities of the period under the minimum there are
    // most entities of a large corpus, and most of its pairs are theirs: they are not emitted.
    long minimum = options.minPairCount();
    Dataset<Row> found = minimum <= 1
        ? mentions.withColumn(MENTIONS, lit(Long.MAX_VALUE)).withColumn(DOCS, lit(Long.MAX_VALUE))
        : mentions.join(perPeriod, joinKeys(PERIOD, ENTITY, TYPE), "left_outer")
            .withColumn(MENTIONS, coalesce(col(MENTIONS), lit(0L))).withColumn(DOCS, coalesce(col(DOCS), lit(0L)));
    Dataset<Row> counts = Partitioning.clusteredBy(found, PERIOD, DOC_ID)
        .groupBy(PERIOD, DOC_ID).agg(collect_list(struct(col(SENTENCE), col(BEGIN), col(ENTITY), col(TYPE),
            col(MENTIONS).geq(minimum), col(DOCS).geq(minimum))).as("found"))
        .select(col(PERIOD), explode(udf(perArticle, DataTypes.createArrayType(ARTICLE_COUNT, false))
            .apply(col("found"))).as("c"))
        .select(col(PERIOD), col("c.*"));
    // Each single entity is counted as the pair (e, e), so that one aggregate holds pairs and
    // singles, and windows over the entity at either end bring its single count to each pair:
    // no join of the pairs with the singles, which read the per-article pass once per side.
    // Both co-occurrence windows are summed in the same row, and split into a row each last.
    Column single = col(ENTITY_B).isNull();
    Dataset<Row> summed = counts
        .select(col(PERIOD), col(ENTITY_A), col(TYPE_A),
            coalesce(col(ENTITY_B), col(ENTITY_A)).as(ENTITY_B), coalesce(col(TYPE_B), col(TYPE_A)).as(TYPE_B),
            single.as("single"), col("sentence_units"), col("document_units"))
        .groupBy(PERIOD, ENTITY_A, TYPE_A, ENTITY_B, TYPE_B, "single")
        .agg(sum("sentence_units").as("sentence_count"),
            sum(when(col("sentence_units").gt(0), 1L).otherwise(0L)).as("sentence_docs"),
            sum("document_units").as("document_count"));
    Column singleSentences = max(when(col("single"), col("sentence_count")));
    Column singleDocuments = max(when(col("single"), col("document_count")));
    Dataset<Row> total = periods.select(col(PERIOD), lit(SENTENCE_WINDOW).as(WINDOW), col("sentences").as("n_units"))
        .unionByName(periods.select(col(PERIOD), lit(DOCUMENT_WINDOW).as(WINDOW), col("articles").as("n_units")));
    // A window reports a pair in at least one of its units (and at least the minimum).
    long reported = Math.max(1, minimum);
    WindowSpec byA = Window.partitionBy(PERIOD, ENTITY_A, TYPE_A);
    WindowSpec byB = Window.partitionBy(PERIOD, ENTITY_B, TYPE_B);
    // Pairs under the minimum in both windows go before the first window: they are most rows,
    // and a window sorts every row it is given (Spark cannot push this filter below it, as it is
    // not on the window's keys). The singles stay, as the windows read their counts.
    Dataset<Row> scored = summed
        .filter(col("single").or(col("sentence_count").geq(reported)).or(col("document_count").geq(reported)))
        .withColumn("sentence_a", singleSentences.over(byA))
        .withColumn("document_a", singleDocuments.over(byA))
        .withColumn("sentence_b", singleSentences.over(byB))
        .withColumn("document_b", singleDocuments.over(byB))
        .filter(not(col("single")))
        .select(col(PERIOD), col(ENTITY_A), col(TYPE_A), col(ENTITY_B), col(TYPE_B), explode(array(
            struct(lit(SENTENCE_WINDOW).as(WINDOW), col("sentence_count").as(COUNT), col("sentence_docs").as(DOCS),
                col("sentence_a").as("n_a"), col("sentence_b").as("n_b")),
            struct(lit(DOCUMENT_WINDOW).as(WINDOW), col("document_count").as(COUNT), col("document_count").as(DOCS),
                col("document_a").as("n_a"), col("document_b").as("n_b")))).as("w"))
        .select(col(PERIOD), col(ENTITY_A), col(TYPE_A), col(ENTITY_B), col(TYPE_B), col("w.*"))
        .filter(col(COUNT).geq(reported))
        .join(total, joinKeys(PERIOD, WINDOW));
    Column both = col(COUNT);
    Column na = col("n_a");
    Column nb = col("n_b");
    Column n = col("n_units").cast("long");
    return scored
        .withColumn(PMI, pmi(both, na, nb, n))
        .withColumn(NPMI, npmi(both, na, nb, n))
        .withColumn(LLR, llr(both, na, nb, n))
        .select(PERIOD, WINDOW, ENTITY_A, ENTITY_B, TYPE_A, TYPE_B, COUNT, DOCS, PMI, NPMI, LLR);
  }

  /** Per (period, entity, type): the articles naming it ({@code docs}) and its {@code mentions}. */
  static Dataset<Row> perPeriod(Dataset<Row> mentions) {
    return perPeriodDated(mentions.withColumn(DATE, lit(null).cast(DataTypes.DateType))).drop(FIRST_DATE, LAST_DATE);
  }

  /**
   * {@link #perPeriod}, with the first and last date named, of mentions with their article's
   * date. Per article first, so that articles are counted as rows, not by a distinct count: the
   * mentions of the stage come partitioned by article, so that step needs no shuffle.
   */
  static Dataset<Row> perPeriodDated(Dataset<Row> mentions) {
    return mentions.groupBy(PERIOD, ENTITY, TYPE, DOC_ID, DATE).agg(count(lit(1)).as("n"))
        .groupBy(PERIOD, ENTITY, TYPE).agg(count(lit(1)).as(DOCS), sum("n").as(MENTIONS),
            min(DATE).as(FIRST_DATE), max(DATE).as(LAST_DATE));
  }

  /*
   * Association's measures as Column expressions, the same arithmetic in the same order, so
   * Spark evaluates them in generated code instead of boxing four longs per row into a UDF
   * (Association stays the readable definition, and the tests compare the two).
   */
  static Column pmi(Column both, Column a, Column b, Column n) {
    return log(both.cast("double").multiply(n).divide(a.cast("double").multiply(b)));
  }

  static Column npmi(Column both, Column a, Column b, Column n) {
    Column pAb = both.cast("double").divide(n);
    return when(pAb.geq(1.0), lit(1.0)).otherwise(pmi(both, a, b, n).divide(log(pAb).multiply(-1)));
  }

  static Column llr(Column both, Column a, Column b, Column n) {
    Column k12 = a.minus(both);
    Column k21 = b.minus(both);
    Column k22 = n.minus(a).minus(b).plus(both);
    return lit(2.0).multiply(
        llrTerm(both, a.cast("double").multiply(b).divide(n))
            .plus(llrTerm(k12, a.cast("double").multiply(n.minus(b)).divide(n)))
            .plus(llrTerm(k21, n.minus(a).cast("double").multiply(b).divide(n)))
            .plus(llrTerm(k22, n.minus(a).cast("double").multiply(n.minus(b)).divide(n))));
  }

  private static Column llrTerm(Column observed, Column expected) {
    return when(observed.equalTo(0), lit(0.0)).otherwise(observed.multiply(log(observed.divide(expected))));
  }

  /**
   * z = (share - mean) / sd over the entity's previous {@code trendWindow} periods of the corpus
   * (periods without a mention count as share 0; periods with no articles at all are skipped).
   * A window over period numbers sums share and share² of the rows that exist, so the zeros
   * need no rows. sd is floored at sqrt(p(1-p)/n), the binomial sd of a share of n articles at
   * p = max(mean, 1/n), so a quiet history does not turn one article into an infinite z-score.
   *
   * <p>z is null when there is nothing to measure against: in the corpus's first period (no
   * history), and when sd is 0 (the floor is 0 only at p = 1: a period of a single article, or
   * an entity in every article before, with no spread in its history). Every division is guarded
   * instead of left to return null, so the trends also compute under spark.sql.ansi.enabled,
   * where a division by zero is an error. {@code perPeriod}: {@link #perPeriod} of the mentions.
   */
  static Dataset<Row> trends(Dataset<Row> perPeriod, Dataset<Row> periods, Options options) {
    Dataset<Row> numbered = periods.select(PERIOD, "articles")
        .withColumn("index", dense_rank().over(Window.orderBy(PERIOD)).minus(1));
    WindowSpec trailing = Window.partitionBy(ENTITY, TYPE).orderBy("index").rangeBetween(-options.trendWindow(), -1);
    Column history = least(col("index"), lit(options.trendWindow()));
    Column mean = when(history.gt(0), coalesce(sum("share").over(trailing), lit(0.0)).divide(history));
    Column meanOfSquares = when(history.gt(0),
        coalesce(sum(col("share").multiply(col("share"))).over(trailing), lit(0.0)).divide(history));
    Column p = greatest(col("mean"), lit(1.0).divide(col("articles")));
    Column floor = sqrt(p.multiply(lit(1.0).minus(p)).divide(col("articles")));
    Column sd = greatest(sqrt(greatest(col("mean_sq").minus(col("mean").multiply(col("mean"))), lit(0.0))), floor);
    return perPeriod
        .join(numbered, PERIOD)
        .withColumn(SHARE, col(DOCS).divide(col("articles")))
        .withColumn("mean", mean)
        .withColumn("mean_sq", meanOfSquares)
        .withColumn("sd", sd)
        .withColumn(ZSCORE, when(col("mean").isNotNull().and(col("sd").gt(0)),
            col(SHARE).minus(col("mean")).divide(col("sd"))))
        .withColumn(BURST, coalesce(col(ZSCORE).geq(options.burstThreshold()), lit(false)).and(col(DOCS).geq(2)))
        .select(PERIOD, ENTITY, TYPE, DOCS, MENTIONS, SHARE, ZSCORE, BURST);
  }
}
