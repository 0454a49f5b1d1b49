package io.newslens.topics;

import static io.newslens.common.Tables.*;
import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
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
 * <p>Optimizers: {@code gibbs} (default, {@link GibbsSampler}: collapsed Gibbs sampling as in
 * MALLET, distributed AD-LDA style, on a bounded sample of the documents, then every document
 * folded in with {@link FoldIn}), or MLlib's {@code em} and {@code online}. All three hold the
 * K x V topic matrix on the driver, bounded by --vocab-size; nothing that grows with the corpus
 * is collected.
 */
public final class Topics {
  private Topics() {}

  public static final int TOP_TERMS = 30;
  public static final int COHERENCE_TERMS = 10;
  public static final double MIN_DOC_WEIGHT = 0.05;
  public static final int TOP_DOCS = 5;
  /**
   * Topic-word prior: MALLET's, and where the learnt beta starts (by default it is learnt). With
   * it learnt, starting at 0.01 rather than 0.05 gave more coherent topics on both corpora of
   * bench/topics (RESULTS.md, run 12); with fixed priors ({@code --optimize-interval 0}) 0.05 did
   * better on Europarl (run 9), so pass {@code --beta 0.05} there.
   */
  public static final double DEFAULT_BETA = 0.01;
  /** Below this many training words, sampling on one partition beats paying for synchronisation. */
  public static final long TOKENS_PER_PARTITION = 2_000_000L;
  /** Default of --train-sample: words of the documents the sampler trains on (see Options). */
  public static final long DEFAULT_TRAIN_SAMPLE = 2_000_000L;
  /** Default of --optimize-interval: MALLET's setting in the benchmark reference. */
  public static final int DEFAULT_OPTIMIZE_INTERVAL = 10;
  /** Default of --optimize-burn-in (MALLET's), never more than half the sweeps ({@link GibbsLDA#fit}). */
  public static final int DEFAULT_OPTIMIZE_BURN_IN = 200;
  /** Fold-in: sweeps before a document's counts are averaged, then sweeps averaged. */
  public static final int FOLD_IN_BURN_IN = 5;
  public static final int FOLD_IN_SAMPLES = 5;

  public record Options(
      List<Integer> topicCounts, // one K, or the candidates of --topics auto
      int iterations, // 0 (gibbs only): defaultSweeps of the training sample
      long seed,
      String optimizer,
      int minDf,
      double maxDf,
      int vocabSize,
      Double alpha, // null: 5 / K, MALLET's starting value
      double beta,
      int partitions, // 0: one per TOKENS_PER_PARTITION training words, at most the session's parallelism
      int sweepsPerSync, // 0: 5 with several partitions, iterations / 20 with one (see GibbsLDA)
      long trainSample, // gibbs: train on documents of about this many words (0: all), fold in the rest
      int optimizeInterval, // gibbs: learn alpha and beta every this many sweeps; 0: keep them fixed
      int optimizeBurnIn) { // gibbs: sweeps before they are first learnt; negative: 200, at most half the sweeps

    /** The default hyperparameter optimisation. */
    public Options(List<Integer> topicCounts, int iterations, long seed, String optimizer, int minDf, double maxDf,
        int vocabSize, Double alpha, double beta, int partitions, int sweepsPerSync, long trainSample) {
      this(topicCounts, iterations, seed, optimizer, minDf, maxDf, vocabSize, alpha, beta, partitions, sweepsPerSync,
          trainSample, DEFAULT_OPTIMIZE_INTERVAL, -1);
    }

    public static Options defaults(int k) {
      return new Options(List.of(k), 0, 42L, "gibbs", 5, 0.5, 50_000, null, DEFAULT_BETA, 0, 0,
          DEFAULT_TRAIN_SAMPLE);
    }

    double alphaFor(int k) {
      return alpha != null ? alpha : 5.0 / k;
    }
  }

  /**
   * Default of --iterations for gibbs, from the training sample's size: on a small sample
   * MALLET's 1000 sweeps (with the priors learnt, 500 fell short of MALLET's coherence on short
   * texts; RESULTS.md, run 12); on a sample of {@link #LARGE_TRAINING_SAMPLE} words or more 200,
   * where coherence stopped improving on the benchmark corpus (run 10) and each sweep costs most.
   */
  public static int defaultSweeps(long trainingWords) {
    return trainingWords < LARGE_TRAINING_SAMPLE ? 1000 : 200;
  }

  /** From this many training words on, {@link #defaultSweeps} is the smaller number. */
  public static final long LARGE_TRAINING_SAMPLE = 1_000_000L;

  /**
   * Everything the stage produces; {@code metrics} goes to the run manifest. {@code skipped}: why
   * no model could be fitted (then the tables and the model are null), or null. {@code notes}:
   * what the stage changed on its own, e.g. a K lowered to what the corpus supports.
   */
  public record Result(Dataset<Row> topicTerms, Dataset<Row> docTopics, Dataset<Row> topicTrends,
      Dataset<Row> topicMetrics, GibbsLDAModel model, Map<String, Object> metrics, Runnable releaseCaches,
      String skipped, List<String> notes) {
    Result(Dataset<Row> topicTerms, Dataset<Row> docTopics, Dataset<Row> topicTrends, Dataset<Row> topicMetrics,
        GibbsLDAModel model, Map<String, Object> metrics, Runnable releaseCaches) {
      this(topicTerms, docTopics, topicTrends, topicMetrics, model, metrics, releaseCaches, null, List.of());
    }

    static Result skipped(String reason, Map<String, Object> metrics, Runnable releaseCaches) {
      return new Result(null, null, null, null, null, metrics, releaseCaches, reason, List.of());
    }

    /** Frees what training cached; the output Datasets must have been written before. */
    public void release() {
      releaseCaches.run();
    }
  }

  /** Fewer topics than this, or documents or terms to hold them, and no model is fitted. */
  public static final int MIN_TOPICS = 2;

  public static Result apply(Dataset<Row> tokens, Dataset<Row> termForms, Options options) {
    return apply(tokens, termForms, options, null);
  }

  /**
   * @param workDir a folder for temporary files (the sampler's checkpoints), deleted before the
   *     method returns; null: the SparkContext's checkpoint folder or the local temporary folder
   */
  public static Result apply(Dataset<Row> tokens, Dataset<Row> termForms, Options options, String workDir) {
    Dataset<Row> documents = Vocabulary.documentTerms(tokens).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> vocabulary = Vocabulary.build(documents, options.minDf(), options.maxDf(), options.vocabSize())
        .persist(StorageLevel.MEMORY_AND_DISK());
    long vocabularySize = vocabulary.count();
    if (vocabularySize < MIN_TOPICS) {
      Map<String, Object> metrics = new LinkedHashMap<>();
      long allDocuments = documents.count();
      metrics.put("documents", allDocuments);
      metrics.put("vocabulary_size", vocabularySize);
      documents.unpersist();
      vocabulary.unpersist();
      return Result.skipped(allDocuments < MIN_TOPICS
          ? String.format("too few documents for a topic model: %d (at least %d needed)", allDocuments, MIN_TOPICS)
          : String.format("too little text for a topic model: the vocabulary of the %d documents has %d term(s)"
              + " (terms in at least --min-df %d and at most --max-df %s of them; at least %d needed): lower --min-df",
              allDocuments, vocabularySize, options.minDf(), options.maxDf(), MIN_TOPICS), metrics, () -> {});
    }
    Corpus corpus = Corpus.of(documents, vocabulary);
    // K topics need K documents and K terms at least: more topics than that are empty or copies.
    long supported = Math.min(corpus.documents(), vocabularySize);
    if (supported < MIN_TOPICS) {
      Map<String, Object> metrics = new LinkedHashMap<>();
      metrics.put("documents", corpus.documents());
      metrics.put("vocabulary_size", vocabularySize);
      corpus.release().run();
      documents.unpersist();
      vocabulary.unpersist();
      return Result.skipped(String.format("too few documents for a topic model: %d hold vocabulary terms (at least %d"
          + " needed)", corpus.documents(), MIN_TOPICS), metrics, () -> {});
    }
    List<Integer> topicCounts = options.topicCounts().stream().map(k -> (int) Math.min(k, supported)).distinct().toList();
    List<String> notes = new ArrayList<>();
    if (!topicCounts.equals(options.topicCounts())) {
      notes.add(String.format("--topics %s lowered to %s: %d documents and %d vocabulary terms support at most %d topics",
          join(options.topicCounts()), join(topicCounts), corpus.documents(), vocabularySize, supported));
    }
    Result best = null;
    Map<Integer, Double> tried = new LinkedHashMap<>();
    for (int k : topicCounts) {
      Result result = train(documents, corpus, termForms, options, k, workDir);
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
    if (!notes.isEmpty()) {
      best.metrics().put("k_requested", options.topicCounts().size() == 1 ? options.topicCounts().get(0)
          : options.topicCounts());
    }
    Result chosen = best;
    return new Result(chosen.topicTerms(), chosen.docTopics(), chosen.topicTrends(), chosen.topicMetrics(),
        chosen.model(), chosen.metrics(), () -> {
          chosen.release();
          corpus.release().run();
          documents.unpersist();
          vocabulary.unpersist();
        }, null, notes);
  }

  private static List<Double> filledList(int k, double value) {
    return java.util.Collections.nCopies(k, value);
  }

  private static String join(List<Integer> ks) {
    return String.join(",", ks.stream().map(String::valueOf).toList());
  }

  /**
   * A document as vocabulary ids, with its period; documents without any are left out. A class,
   * not a record: the RDD of these is cached, and a cache that spills to disk serialises with
   * Kryo, whose field serializer cannot read a record's fields (the 1,000,000-article benchmark
   * failed there; 100,000 fit in memory).
   */
  public static final class IdDoc implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final String id;
    private final String period;
    private final int[] words;

    public IdDoc(String id, String period, int[] words) {
      this.id = id;
      this.period = period;
      this.words = words;
    }

    public String id() {
      return id;
    }

    public String period() {
      return period;
    }

    public int[] words() {
      return words;
    }
  }

  /**
   * The documents as vocabulary ids (persisted), the vocabulary in id order (on the driver: bounded
   * by --vocab-size), and counts.
   */
  record Corpus(JavaRDD<IdDoc> docs, String[] vocab, long allDocuments, long documents, long tokens,
      Runnable release) {
    static Corpus of(Dataset<Row> documents, Dataset<Row> vocabulary) {
      SparkSession spark = documents.sparkSession();
      List<Row> rows = vocabulary.select(TERM, "id").collectAsList();
      String[] vocab = new String[rows.size()];
      Map<String, Integer> ids = new HashMap<>();
      rows.forEach(r -> {
        vocab[r.getInt(1)] = r.getString(0);
        ids.put(r.getString(0), r.getInt(1));
      });
      Broadcast<Map<String, Integer>> termIds = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(ids);
      JavaRDD<IdDoc> docs = documents.select(DOC_ID, PERIOD, TERMS).javaRDD()
          .map(row -> new IdDoc(row.getString(0), row.getString(1), Vocabulary.idsOf(row.getList(2), termIds.value()))).filter(doc -> doc.words().length > 0).persist(StorageLevel.MEMORY_AND_DISK());
      long[] counts = docs.map(d -> new long[] {1, d.words().length})
          .fold(new long[2], (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
      return new Corpus(docs, vocab, documents.count(), counts[0], counts[1], () -> {
        docs.unpersist(false);
        termIds.destroy(false);
      });
    }
  }

  /** The column of a document's term ids, in reading order, that the stage fits on. */
  static final String WORD_IDS = "words";

  /**
   * The estimator the stage fits with for these options: K, sweeps (0: from the training
   * sample), seed, starting priors, training sample, partitions, synchronisation, hyperparameter
   * optimisation, and the vocabulary.
   *
   * @param workDir a folder for the sampler's checkpoints, or null
   */
  public static GibbsLDA estimator(Options options, int k, String[] vocab, String workDir) {
    GibbsLDA lda = new GibbsLDA().setK(k).setMaxIter(Math.max(0, options.iterations())).setSeed(options.seed())
        .setDocConcentration(options.alphaFor(k)).setTopicConcentration(options.beta())
        .setTrainSampleWords(Math.max(0, options.trainSample())).setNumPartitions(Math.max(0, options.partitions()))
        .setSweepsPerSync(Math.max(0, options.sweepsPerSync())).setOptimizeInterval(Math.max(0, options.optimizeInterval()))
        .setOptimizeBurnIn(Math.max(-1, options.optimizeBurnIn()));
    if (vocab != null) {
      lda.setVocabulary(vocab);
    }
    if (workDir != null) {
      lda.setCheckpointDir(workDir);
    }
    return lda;
  }

  /** The phrases a model knows, so new articles are tokenized the way training ones were. */
  public static List<String> phrases(GibbsLDAModel model) {
    String[] vocab = model.getVocabulary();
    return vocab == null ? List.of() : java.util.Arrays.stream(vocab).filter(t -> t.contains(" ")).toList();
  }

  /**
   * The model a topics run saved under {@code dir}, after the check every reader of the output
   * makes (the folder is complete and newslens wrote it). Reads the earlier layout too.
   */
  public static GibbsLDAModel loadModel(SparkSession spark, String dir) {
    try {
      org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(dir);
      org.apache.hadoop.fs.FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(new org.apache.hadoop.fs.Path(path, ModelFiles.METADATA))
          && !fs.exists(new org.apache.hadoop.fs.Path(path, LegacyModel.PARAMS))) {
        throw new IllegalArgumentException("no topic model in " + dir + " (no " + ModelFiles.METADATA + "/ and no "
            + LegacyModel.PARAMS + "): pass the model/ folder a topics run wrote");
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("could not read " + dir, e);
    }
    io.newslens.common.TableStore.requireWritten(spark, new org.apache.hadoop.fs.Path(dir),
        "the model '" + new org.apache.hadoop.fs.Path(dir).getName() + "'");
    return GibbsLDAModel.load(dir);
  }

  static Result train(Dataset<Row> documents, Corpus corpus, Dataset<Row> termForms, Options options, int k,
      String workDir) {
    SparkSession spark = documents.sparkSession();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    long started = System.nanoTime();
    List<Runnable> toRelease = new ArrayList<>();
    String[] vocab = corpus.vocab();
    int vocabSize = vocab.length;
    double alpha = options.alphaFor(k);
    double beta = options.beta();

    Map<String, Object> params = new LinkedHashMap<>();
    params.put("k", k);
    params.put("optimizer", options.optimizer());
    params.put("iterations", options.iterations());
    params.put("seed", options.seed());
    params.put("alpha", filledList(k, alpha));
    params.put("beta", beta);
    params.put("vocabulary_size", vocabSize);
    params.put("min_df", options.minDf());
    params.put("max_df", options.maxDf());
    Map<String, Object> trainingMetrics = new LinkedHashMap<>();
    double[] phi; // word-major V x K, on the driver: bounded by --vocab-size
    Dataset<Row> mixtures; // (doc_id, period, theta, log_likelihood, words)
    GibbsLDAModel model;
    if (options.optimizer().equals("gibbs")) {
      // The documents as term ids in reading order (the sampler and the fold-in follow it), seeded
      // by their ids: the estimator a notebook user fits, with the stage's options.
      Dataset<Row> idDocs = spark.createDataFrame(corpus.docs().map(d -> RowFactory.create(d.id(), d.period(),
          d.words())), DataTypes.createStructType(List.of(
              DataTypes.createStructField(DOC_ID, DataTypes.StringType, false),
              DataTypes.createStructField(PERIOD, DataTypes.StringType, false),
              DataTypes.createStructField(WORD_IDS, DataTypes.createArrayType(DataTypes.IntegerType, false), false))));
      GibbsLDA lda = estimator(options, k, vocab, workDir).setIdCol(DOC_ID).setFeaturesCol(WORD_IDS);
      model = lda.fit(idDocs);
      GibbsLDAModel.Summary summary = model.summary();
      params.put("iterations", summary.iterations());
      params.put("train_sample", options.trainSample());
      params.put("partitions", summary.partitions());
      params.put("sweeps_per_sync", summary.sweepsPerSync());
      params.put("fold_in_sweeps", FOLD_IN_BURN_IN + FOLD_IN_SAMPLES);
      params.put("optimize_interval", options.optimizeInterval());
      params.put("optimize_burn_in", summary.optimizeBurnIn());
      double[] learntAlpha = model.alpha();
      double learntBeta = model.estimatedTopicConcentration();
      if (summary.hyperparameterUpdates() > 0) {
        params.put("alpha_start", alpha);
        params.put("beta_start", beta);
        params.put("alpha", java.util.Arrays.stream(learntAlpha).boxed().toList());
        params.put("beta", learntBeta);
      }
      trainingMetrics.put("hyperparameter_updates", summary.hyperparameterUpdates());
      trainingMetrics.put("alpha_sum", java.util.Arrays.stream(learntAlpha).sum());
      trainingMetrics.put("beta", learntBeta);
      trainingMetrics.put("train_tokens", summary.trainTokens());
      trainingMetrics.put("train_fraction", summary.trainFraction());
      trainingMetrics.put("sync_rounds", summary.syncRounds());
      trainingMetrics.put("sample_seconds", Math.round(summary.sampleSeconds() * 10) / 10.0);
      phi = model.phi();
      mixtures = model.copy(org.apache.spark.ml.param.ParamMap.empty()).setLogLikelihoodCol("log_likelihood")
          .transform(idDocs)
          .select(col(DOC_ID), col(PERIOD),
              org.apache.spark.ml.functions.vector_to_array(col(model.getTopicDistributionCol()), "float64").as("theta"),
              col("log_likelihood"), size(col(WORD_IDS)).as(WORD_IDS));
    } else {
      Dataset<Row> features = new CountVectorizerModel(vocab).setInputCol(TERMS).setOutputCol("features")
          .transform(documents.join(spark.createDataFrame(corpus.docs().map(d -> RowFactory.create(d.id())),
              DataTypes.createStructType(List.of(DataTypes.createStructField(DOC_ID, DataTypes.StringType, false)))), DOC_ID));
      LDA lda = new LDA().setK(k).setMaxIter(options.iterations()).setSeed(options.seed())
          .setOptimizer(options.optimizer()).setDocConcentration(alpha + (options.optimizer().equals("em") ? 1 : 0))
          .setTopicConcentration(beta + (options.optimizer().equals("em") ? 1 : 0));
      if (options.optimizer().equals("online")) {
        lda.setSubsamplingRate(Math.min(1.0, Math.max(0.05, 2000.0 / Math.max(1, corpus.documents()))));
      }
      LDAModel mllibModel = lda.fit(features);
      Matrix topics = mllibModel.topicsMatrix(); // V x K on the driver: MLlib's design
      double[] columnSums = new double[k];
      for (int w = 0; w < vocabSize; w++) {
        for (int t = 0; t < k; t++) {
          columnSums[t] += topics.apply(w, t);
        }
      }
      phi = new double[vocabSize * k];
      for (int w = 0; w < vocabSize; w++) {
        for (int t = 0; t < k; t++) {
          phi[w * k + t] = topics.apply(w, t) / columnSums[t];
        }
      }
      model = new GibbsLDAModel(lda.uid(), k, vocab, phi, null, GibbsSampler.filled(k, alpha), beta);
      estimator(options, k, vocab, workDir).copyValues(model, org.apache.spark.ml.param.ParamMap.empty());
      mixtures = mllibModel.transform(features).select(col(DOC_ID), col(PERIOD),
          org.apache.spark.ml.functions.vector_to_array(col("topicDistribution"), "float64").as("theta"),
          lit(null).cast("double").as("log_likelihood"), lit(null).cast("int").as("words"));
    }
    model.trainingInfo().putAll(params);
    Dataset<Row> persistedMixtures = mixtures.persist(StorageLevel.MEMORY_AND_DISK());
    long documentCount = persistedMixtures.count();
    double trainSeconds = (System.nanoTime() - started) / 1e9;

    // Top terms on the driver from phi (V x K, already there): ranking V x K rows in Spark
    // would shuffle them all for a few hundred rows of output.
    List<int[]> top = topTerms(phi, vocab, k, TOP_TERMS);
    Set<String> topStems = new HashSet<>();
    top.forEach(ids -> java.util.Arrays.stream(ids).forEach(id -> topStems.add(vocab[id])));
    Map<String, String> surface = new HashMap<>();
    termForms.select(TERM, SURFACE).filter(col(TERM).isin(topStems.toArray())).collectAsList()
        .forEach(r -> surface.merge(r.getString(0), r.getString(1), (a, b) -> a.compareTo(b) <= 0 ? a : b));
    List<Row> termRows = new ArrayList<>();
    Map<Integer, List<Integer>> coherenceTerms = new HashMap<>();
    for (int t = 0; t < k; t++) {
      int[] ids = top.get(t);
      for (int r = 0; r < ids.length; r++) {
        String stem = vocab[ids[r]];
        termRows.add(RowFactory.create(t, r + 1, surface.getOrDefault(stem, stem), phi[ids[r] * k + t]));
        if (r < COHERENCE_TERMS) {
          coherenceTerms.computeIfAbsent(t, x -> new ArrayList<>()).add(ids[r]);
        }
      }
    }
    Dataset<Row> topicTerms = spark.createDataFrame(termRows, DataTypes.createStructType(List.of(
        DataTypes.createStructField("topic", DataTypes.IntegerType, false),
        DataTypes.createStructField("rank", DataTypes.IntegerType, false),
        DataTypes.createStructField(TERM, DataTypes.StringType, false),
        DataTypes.createStructField("weight", DataTypes.DoubleType, false))));
    Map<Integer, Coherence.Scores> coherence = Coherence.ofIds(corpus.docs().map(IdDoc::words), corpus.allDocuments(),
        coherenceTerms, vocabSize);

    Dataset<Row> topicWeights = persistedMixtures.select(col(DOC_ID), col(PERIOD),
        posexplode(col("theta")).as(new String[] {"topic", "weight"}));
    Dataset<Row> docTopics = topicWeights.filter(col("weight").geq(MIN_DOC_WEIGHT));
    Dataset<Row> topicTrends = trends(topicWeights);
    List<Row> metricRows = new ArrayList<>();
    coherence.forEach((topic, sc) -> metricRows.add(RowFactory.create(topic, sc.npmi(), sc.umass())));
    Dataset<Row> topDocs = topicWeights
        .withColumn("r", row_number().over(Window.partitionBy("topic").orderBy(col("weight").desc(), col(DOC_ID))))
        .filter(col("r").leq(TOP_DOCS))
        .groupBy("topic").agg(sort_array(collect_list(struct(col("r"), col(DOC_ID)))).getField(DOC_ID).as("top_docs"));
    Dataset<Row> topicMetrics = spark.createDataFrame(metricRows, DataTypes.createStructType(List.of(
            DataTypes.createStructField("topic", DataTypes.IntegerType, false),
            DataTypes.createStructField("coherence", DataTypes.DoubleType, false),
            DataTypes.createStructField("umass", DataTypes.DoubleType, false))))
        .join(topDocs, "topic");

    double logLikelihood;
    long words;
    if (options.optimizer().equals("gibbs")) {
      Row total = persistedMixtures.agg(sum("log_likelihood"), sum("words")).first();
      logLikelihood = total.getDouble(0);
      words = total.getLong(1);
    } else {
      double[] folded = model.copy(org.apache.spark.ml.param.ParamMap.empty()).setFeaturesCol(TERMS)
          .setIdCol(DOC_ID).logLikelihoodAndWords(documents);
      logLikelihood = folded[0];
      words = (long) folded[1];
    }
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("k", k);
    metrics.put("optimizer", options.optimizer());
    metrics.put("documents", documentCount);
    metrics.put("vocabulary_size", vocabSize);
    metrics.put("train_seconds", Math.round(trainSeconds * 10) / 10.0);
    metrics.putAll(trainingMetrics);
    metrics.put("mean_npmi", coherence.values().stream().mapToDouble(Coherence.Scores::npmi).average().orElse(0));
    metrics.put("mean_umass", coherence.values().stream().mapToDouble(Coherence.Scores::umass).average().orElse(0));
    metrics.put("log_likelihood", logLikelihood);
    metrics.put("log_perplexity", words == 0 ? 0 : -logLikelihood / words);
    toRelease.add(persistedMixtures::unpersist);
    return new Result(topicTerms, docTopics.select(col(DOC_ID), col(PERIOD), col("topic"), col("weight")), topicTrends,
        topicMetrics, model, metrics, () -> toRelease.forEach(Runnable::run));
  }

  /** Each topic's {@code n} most probable word ids, ties by term, as MLlib's and Spark's ranking. */
  static List<int[]> topTerms(double[] phi, String[] vocab, int k, int n) {
    List<int[]> out = new ArrayList<>(k);
    for (int t = 0; t < k; t++) {
      int topic = t;
      java.util.Comparator<Integer> better = (a, b) -> {
        int c = Double.compare(phi[b * k + topic], phi[a * k + topic]);
        return c != 0 ? c : vocab[a].compareTo(vocab[b]);
      };
      java.util.PriorityQueue<Integer> kept = new java.util.PriorityQueue<>(better.reversed());
      for (int w = 0; w < vocab.length; w++) {
        kept.add(w);
        if (kept.size() > n) {
          kept.poll();
        }
      }
      List<Integer> ranked = new ArrayList<>(kept);
      ranked.sort(better);
      out.add(ranked.stream().mapToInt(Integer::intValue).toArray());
    }
    return out;
  }

  /**
   * Per period and topic: documents where the topic has at least {@link #MIN_DOC_WEIGHT}, and
   * its share, the topic's weight summed over the period's documents divided by their number
   * (so the shares of a period sum to 1). The weights are summed as decimals: a sum of doubles
   * depends on how rows are spread over partitions (addition of doubles is not associative), and
   * a cluster run must give the same shares as a local one, to the bit.
   */
  public static Dataset<Row> trends(Dataset<Row> topicWeights) {
    Dataset<Row> perPeriod = topicWeights.groupBy(PERIOD).agg(countDistinct(DOC_ID).as("period_docs"));
    return topicWeights.groupBy(PERIOD, "topic")
        .agg(sum(when(col("weight").geq(MIN_DOC_WEIGHT), 1).otherwise(0)).as(DOCS), sum(col("weight").cast("decimal(38,18)")).as("weight_sum"))
        .join(perPeriod, PERIOD)
        .select(col(PERIOD), col("topic"), col(DOCS).cast("long").as(DOCS),
            col("weight_sum").cast("double").divide(col("period_docs")).as("share"));
  }
}
