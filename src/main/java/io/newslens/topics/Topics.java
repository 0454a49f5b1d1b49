package io.newslens.topics;

import static io.newslens.common.Tables.*;
import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.clustering.LDA;
import org.apache.spark.ml.clustering.LDAModel;
import org.apache.spark.ml.feature.CountVectorizerModel;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Stage 4: {@code tokens} and {@code term_forms} in; {@code topic_terms}, {@code doc_topics},
 * {@code topic_trends}, {@code topic_metrics} and a reusable model out.
 *
 * <p>Optimizers: {@code gibbs} (default, {@link GibbsLda}: collapsed Gibbs sampling as in
 * MALLET, distributed AD-LDA style), or MLlib's {@code em} and {@code online}. Those two keep
 * the K x V topic matrix on the driver, as MLlib does; gibbs never collects it.
 */
public final class Topics {
  private Topics() {}

  public static final int TOP_TERMS = 30;
  public static final int COHERENCE_TERMS = 10;
  public static final double MIN_DOC_WEIGHT = 0.05;
  public static final int TOP_DOCS = 5;
  /**
   * Topic-word prior. bench/topics (English Europarl, K = 20, seeds 42/7/13): mean NPMI
   * 0.0802/0.0807/0.0785 with 0.05 against 0.0763 with 0.01 (seed 42) and 0.0787 with 0.1;
   * MALLET's own optimisation ends near 0.06-0.10 on the same corpus.
   */
  public static final double DEFAULT_BETA = 0.05;
  /** Below this many words, sampling on one partition beats paying for synchronisation. */
  public static final long TOKENS_PER_PARTITION = 2_000_000L;

  public record Options(
      List<Integer> topicCounts, // one K, or the candidates of --topics auto
      int iterations,
      long seed,
      String optimizer,
      int minDf,
      double maxDf,
      int vocabSize,
      Double alpha, // null: 5 / K, MALLET's starting value
      double beta,
      int partitions, // 0: one per TOKENS_PER_PARTITION words, at most the session's parallelism
      int sweepsPerSync) { // 0: see syncEvery

    public static Options defaults(int k) {
      return new Options(List.of(k), 1000, 42L, "gibbs", 5, 0.5, 50_000, null, DEFAULT_BETA, 0, 0);
    }

    /**
     * Measured on English Europarl, K = 20, 2 partitions: synchronising every 50 sweeps gave
     * mean NPMI 0.045, every 5 sweeps 0.072, one partition 0.075 (MALLET: 0.072 to 0.091). Stale
     * counts blur topics, so several partitions synchronise often; one partition only needs to
     * cut its lineage now and then.
     */
    int syncEvery(int partitionCount) {
      if (sweepsPerSync > 0) {
        return sweepsPerSync;
      }
      return partitionCount == 1 ? Math.max(1, (iterations + 19) / 20) : 5;
    }

    double alphaFor(int k) {
      return alpha != null ? alpha : 5.0 / k;
    }
  }

  /** Everything the stage produces; {@code metrics} goes to the run manifest. */
  public record Result(Dataset<Row> topicTerms, Dataset<Row> docTopics, Dataset<Row> topicTrends,
      Dataset<Row> topicMetrics, TopicModel model, Map<String, Object> metrics, Runnable releaseCaches) {
    /** Frees what training cached; the output Datasets must have been written before. */
    public void release() {
      releaseCaches.run();
    }
  }

  public static Result apply(Dataset<Row> tokens, Dataset<Row> termForms, Options options) {
    Dataset<Row> documents = Vocabulary.documentTerms(tokens).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> vocabulary = Vocabulary.build(documents, options.minDf(), options.maxDf(), options.vocabSize())
        .persist(StorageLevel.MEMORY_AND_DISK());
    if (vocabulary.isEmpty()) {
      throw new IllegalStateException("the vocabulary is empty: lower --min-df or raise --max-df (documents: "
          + documents.count() + ")");
    }
    Result best = null;
    Map<Integer, Double> tried = new LinkedHashMap<>();
    for (int k : options.topicCounts()) {
      Result result = train(documents, vocabulary, termForms, options, k);
      double meanNpmi = (Double) result.metrics().get("mean_npmi");
      tried.put(k, meanNpmi);
      if (best == null || meanNpmi > (Double) best.metrics().get("mean_npmi")) {
        if (best != null) {
          best.release();
        }
        best = result;
      } else {
        result.release();
      }
    }
    if (options.topicCounts().size() > 1) {
      best.metrics().put("auto_k_mean_npmi", tried);
    }
    Result chosen = best;
    return new Result(chosen.topicTerms(), chosen.docTopics(), chosen.topicTrends(), chosen.topicMetrics(),
        chosen.model(), chosen.metrics(), () -> {
          chosen.release();
          documents.unpersist();
          vocabulary.unpersist();
        });
  }

  static Result train(Dataset<Row> documents, Dataset<Row> vocabulary, Dataset<Row> termForms, Options options, int k) {
    SparkSession spark = documents.sparkSession();
    long started = System.nanoTime();
    List<Runnable> toRelease = new ArrayList<>();
    int vocabSize = (int) vocabulary.count();
    double alpha = options.alphaFor(k);
    Map<String, Integer> ids = new HashMap<>();
    vocabulary.collectAsList().forEach(r -> ids.put(r.getString(0), r.getInt(1)));
    Broadcast<Map<String, Integer>> termIds = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(ids);
    JavaPairRDD<String, int[]> corpus = documents.select(DOC_ID, TERMS).javaRDD().mapToPair(row -> {
      List<String> terms = row.getList(1);
      int[] words = terms.stream().filter(termIds.value()::containsKey).mapToInt(termIds.value()::get).toArray();
      return new Tuple2<>(row.getString(0), words);
    }).filter(doc -> doc._2().length > 0);

    Map<String, Object> params = new LinkedHashMap<>();
    params.put("k", k);
    params.put("optimizer", options.optimizer());
    params.put("iterations", options.iterations());
    params.put("seed", options.seed());
    params.put("alpha", alpha);
    params.put("beta", options.beta());
    params.put("vocabulary_size", vocabSize);
    params.put("min_df", options.minDf());
    params.put("max_df", options.maxDf());
    double[] likelihood = null; // (log-likelihood, words), when the optimizer gives it cheaply
    Dataset<Row> phi; // (id, weights)
    Dataset<Row> theta; // (doc_id, theta)
    StructType thetaSchema = DataTypes.createStructType(List.of(
        DataTypes.createStructField(DOC_ID, DataTypes.StringType, false),
        DataTypes.createStructField("theta", DataTypes.createArrayType(DataTypes.DoubleType), false)));
    StructType phiSchema = DataTypes.createStructType(List.of(
        DataTypes.createStructField("id", DataTypes.IntegerType, false),
        DataTypes.createStructField(TopicModel.WEIGHTS, DataTypes.createArrayType(DataTypes.DoubleType), false)));
    if (options.optimizer().equals("gibbs")) {
      int partitions = options.partitions() > 0 ? options.partitions() : (int) Math.min(
          spark.sparkContext().defaultParallelism(),
          1 + corpus.values().map(w -> (long) w.length).fold(0L, Long::sum) / TOKENS_PER_PARTITION);
      params.put("partitions", partitions);
      params.put("sweeps_per_sync", options.syncEvery(partitions));
      GibbsLda lda = new GibbsLda(k, vocabSize, alpha, options.beta(), options.seed());
      JavaRDD<GibbsLda.Doc> trained = lda.train(corpus, partitions, options.iterations(), options.syncEvery(partitions));
      JavaPairRDD<Integer, int[]> counts = lda.wordTopicCounts(trained).persist(StorageLevel.MEMORY_AND_DISK());
      toRelease.add(() -> {
        counts.unpersist(false);
        trained.unpersist(false);
      });
      long[] totals = counts.values().map(c -> java.util.Arrays.stream(c).asLongStream().toArray())
          .reduce((a, b) -> {
            long[] s = a.clone();
            for (int t = 0; t < s.length; t++) {
              s[t] += b[t];
            }
            return s;
          });
      double vocabBeta = vocabSize * options.beta();
      double beta = options.beta();
      phi = spark.createDataFrame(counts.map(c -> {
        double[] weights = new double[k];
        for (int t = 0; t < k; t++) {
          weights[t] = (c._2()[t] + beta) / (totals[t] + vocabBeta);
        }
        return RowFactory.create(c._1(), weights);
      }), phiSchema);
      theta = spark.createDataFrame(trained.map(d -> RowFactory.create(d.id, lda.mixture(d))), thetaSchema);
      likelihood = lda.logLikelihood(trained, partitions);
    } else {
      String[] vocab = new String[vocabSize];
      ids.forEach((term, id) -> vocab[id] = term);
      Dataset<Row> features = new CountVectorizerModel(vocab).setInputCol(TERMS).setOutputCol("features")
          .transform(documents.join(spark.createDataFrame(corpus.keys().map(RowFactory::create),
              DataTypes.createStructType(List.of(DataTypes.createStructField(DOC_ID, DataTypes.StringType, false)))), DOC_ID));
      LDA lda = new LDA().setK(k).setMaxIter(options.iterations()).setSeed(options.seed())
          .setOptimizer(options.optimizer()).setDocConcentration(alpha + (options.optimizer().equals("em") ? 1 : 0))
          .setTopicConcentration(options.beta() + (options.optimizer().equals("em") ? 1 : 0));
      if (options.optimizer().equals("online")) {
        lda.setSubsamplingRate(Math.min(1.0, Math.max(0.05, 2000.0 / Math.max(1, corpus.count()))));
      }
      LDAModel model = lda.fit(features);
      Matrix topics = model.topicsMatrix(); // V x K on the driver: MLlib's design
      double[] columnSums = new double[k];
      for (int w = 0; w < vocabSize; w++) {
        for (int t = 0; t < k; t++) {
          columnSums[t] += topics.apply(w, t);
        }
      }
      List<Row> phiRows = new ArrayList<>(vocabSize);
      for (int w = 0; w < vocabSize; w++) {
        double[] weights = new double[k];
        for (int t = 0; t < k; t++) {
          weights[t] = topics.apply(w, t) / columnSums[t];
        }
        phiRows.add(RowFactory.create(w, weights));
      }
      phi = spark.createDataFrame(phiRows, phiSchema);
      theta = model.transform(features).select(col(DOC_ID),
          org.apache.spark.ml.functions.vector_to_array(col("topicDistribution"), "float64").as("theta"));
    }
    Dataset<Row> topicWord = phi.join(vocabulary, "id").select(col(TERM), col("id"), col(TopicModel.WEIGHTS))
        .persist(StorageLevel.MEMORY_AND_DISK());
    TopicModel model = new TopicModel(topicWord, params);
    Dataset<Row> mixtures = theta.join(documents.select(DOC_ID, PERIOD), DOC_ID).persist(StorageLevel.MEMORY_AND_DISK());
    double trainSeconds = (System.nanoTime() - started) / 1e9;

    Dataset<Row> ranked = topicWord
        .select(col(TERM), posexplode(col(TopicModel.WEIGHTS)).as(new String[] {"topic", "weight"}))
        .withColumn("rank", row_number().over(Window.partitionBy("topic").orderBy(col("weight").desc(), col(TERM))))
        .filter(col("rank").leq(TOP_TERMS));
    Dataset<Row> topicTerms = ranked.join(termForms.select(TERM, SURFACE),
            scala.collection.JavaConverters.asScalaBuffer(List.of(TERM)).toSeq(), "left")
        .select(col("topic"), col("rank"), coalesce(col(SURFACE), col(TERM)).as(TERM), col(TERM).as("stem"), col("weight"))
        .persist(StorageLevel.MEMORY_AND_DISK());

    Map<Integer, List<String>> coherenceTerms = new HashMap<>();
    topicTerms.filter(col("rank").leq(COHERENCE_TERMS)).orderBy("topic", "rank").collectAsList()
        .forEach(r -> coherenceTerms.computeIfAbsent(r.getInt(0), t -> new ArrayList<>()).add(r.getString(3)));
    Map<Integer, Coherence.Scores> coherence = Coherence.of(documents, coherenceTerms);

    Dataset<Row> topicWeights = mixtures.select(col(DOC_ID), col(PERIOD), posexplode(col("theta")).as(new String[] {"topic", "weight"}));
    Dataset<Row> docTopics = topicWeights.filter(col("weight").geq(MIN_DOC_WEIGHT));
    Dataset<Row> topicTrends = trends(topicWeights);
    List<Row> metricRows = new ArrayList<>();
    coherence.forEach((topic, s) -> metricRows.add(RowFactory.create(topic, s.npmi(), s.umass())));
    Dataset<Row> topDocs = topicWeights
        .withColumn("r", row_number().over(Window.partitionBy("topic").orderBy(col("weight").desc(), col(DOC_ID))))
        .filter(col("r").leq(TOP_DOCS))
        .groupBy("topic").agg(sort_array(collect_list(struct(col("r"), col(DOC_ID)))).getField(DOC_ID).as("top_docs"));
    Dataset<Row> topicMetrics = spark.createDataFrame(metricRows, DataTypes.createStructType(List.of(
            DataTypes.createStructField("topic", DataTypes.IntegerType, false),
            DataTypes.createStructField("coherence", DataTypes.DoubleType, false),
            DataTypes.createStructField("umass", DataTypes.DoubleType, false))))
        .join(topDocs, "topic");

    if (likelihood == null) {
      Row folded = model.score(documents).agg(sum("log_likelihood"), sum("words")).first();
      likelihood = new double[] {folded.getDouble(0), folded.getLong(1)};
    }
    double logLikelihood = likelihood[0];
    long words = (long) likelihood[1];
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("k", k);
    metrics.put("optimizer", options.optimizer());
    metrics.put("documents", mixtures.count());
    metrics.put("vocabulary_size", vocabSize);
    metrics.put("train_seconds", Math.round(trainSeconds * 10) / 10.0);
    metrics.put("mean_npmi", coherence.values().stream().mapToDouble(Coherence.Scores::npmi).average().orElse(0));
    metrics.put("mean_umass", coherence.values().stream().mapToDouble(Coherence.Scores::umass).average().orElse(0));
    metrics.put("log_likelihood", logLikelihood);
    metrics.put("log_perplexity", words == 0 ? 0 : -logLikelihood / words);
    toRelease.add(() -> {
      mixtures.unpersist();
      topicTerms.unpersist();
      topicWord.unpersist();
    });
    return new Result(topicTerms.select("topic", "rank", TERM, "weight"), docTopics, topicTrends, topicMetrics,
        model, metrics, () -> toRelease.forEach(Runnable::run));
  }

  /**
   * Per period and topic: documents where the topic has at least {@link #MIN_DOC_WEIGHT}, and
   * its share, the topic's weight summed over the period's documents divided by their number
   * (so the shares of a period sum to 1).
   */
  public static Dataset<Row> trends(Dataset<Row> topicWeights) {
    Dataset<Row> perPeriod = topicWeights.groupBy(PERIOD).agg(countDistinct(DOC_ID).as("period_docs"));
    return topicWeights.groupBy(PERIOD, "topic")
        .agg(sum(when(col("weight").geq(MIN_DOC_WEIGHT), 1).otherwise(0)).as(DOCS), sum("weight").as("weight_sum"))
        .join(perPeriod, PERIOD)
        .select(col(PERIOD), col("topic"), col(DOCS).cast("long").as(DOCS),
            col("weight_sum").divide(col("period_docs")).as("share"));
  }
}
