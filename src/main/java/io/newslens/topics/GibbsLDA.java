package io.newslens.topics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * LDA by collapsed Gibbs sampling ({@link GibbsSampler}) as a Spark ML estimator, with the
 * parameters of {@link org.apache.spark.ml.clustering.LDA}: a drop-in for MLlib's LDA on a
 * CountVectorizer's output, giving a {@link GibbsLDAModel} whose {@code transform} folds each
 * document in.
 *
 * <pre>{@code
 * GibbsLDAModel model = new GibbsLDA().setK(20).setMaxIter(500).setFeaturesCol("features").fit(counts);
 * }</pre>
 *
 * <p>Training reads the features twice (to size the training sample, then to sample): cache the
 * input if it is costly to compute. The topics stage ({@link Topics}) fits through this class.
 */
public class GibbsLDA extends Estimator<GibbsLDAModel> implements GibbsLDAParams, MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final Declared declared;

  public GibbsLDA() {
    this(Identifiable$.MODULE$.randomUID("gibbsLDA"));
  }

  /** Spark ML copies and loads stages through this constructor. */
  public GibbsLDA(String uid) {
    this.uid = uid;
    this.declared = new Declared(this);
    declared.setDefaults(this);
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public Declared declared() {
    return declared;
  }

  public GibbsLDA setK(int value) {
    set(k(), value);
    return this;
  }

  public GibbsLDA setMaxIter(int value) {
    set(maxIter(), value);
    return this;
  }

  /** One value (symmetric) or k values. */
  public GibbsLDA setDocConcentration(double... value) {
    set(docConcentration(), value.clone());
    return this;
  }

  public GibbsLDA setTopicConcentration(double value) {
    set(topicConcentration(), value);
    return this;
  }

  public GibbsLDA setSeed(long value) {
    set(seed(), value);
    return this;
  }

  public GibbsLDA setFeaturesCol(String value) {
    set(featuresCol(), value);
    return this;
  }

  public GibbsLDA setTopicDistributionCol(String value) {
    set(topicDistributionCol(), value);
    return this;
  }

  public GibbsLDA setIdCol(String value) {
    set(idCol(), value);
    return this;
  }

  public GibbsLDA setLogLikelihoodCol(String value) {
    set(logLikelihoodCol(), value);
    return this;
  }

  public GibbsLDA setVocabulary(String[] value) {
    set(vocabulary(), value.clone());
    return this;
  }

  public GibbsLDA setOptimizeInterval(int value) {
    set(optimizeInterval(), value);
    return this;
  }

  public GibbsLDA setOptimizeBurnIn(int value) {
    set(optimizeBurnIn(), value);
    return this;
  }

  public GibbsLDA setTrainSampleWords(long value) {
    set(trainSampleWords(), value);
    return this;
  }

  public GibbsLDA setNumPartitions(int value) {
    set(numPartitions(), value);
    return this;
  }

  public GibbsLDA setSweepsPerSync(int value) {
    set(sweepsPerSync(), value);
    return this;
  }

  public GibbsLDA setFoldInBurnIn(int value) {
    set(foldInBurnIn(), value);
    return this;
  }

  public GibbsLDA setFoldInSamples(int value) {
    set(foldInSamples(), value);
    return this;
  }

  public GibbsLDA setCheckpointDir(String value) {
    set(checkpointDir(), value);
    return this;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    validateInput(schema, true, getVocabulary());
    return outputSchema(schema);
  }

  @Override
  public GibbsLDA copy(ParamMap extra) {
    return (GibbsLDA) defaultCopy(extra);
  }

  /** The sweeps when maxIter is 0, from the training sample's words. */
  int sweepsFor(long trainingWords) {
    return getMaxIter() > 0 ? getMaxIter() : Topics.defaultSweeps(trainingWords);
  }

  @Override
  public GibbsLDAModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    int k = getK();
    String[] vocab = getVocabulary();
    Input input = validateInput(dataset.schema(), true, vocab);
    Map<String, Integer> termIds = null;
    if (vocab != null) {
      termIds = new HashMap<>();
      for (int i = 0; i < vocab.length; i++) {
        termIds.putIfAbsent(vocab[i], i);
      }
    }
    DocumentWords reader = new DocumentWords(input, vocab == null ? -1 : vocab.length, termIds);
    String id = getIdCol();
    JavaPairRDD<String, int[]> docs = dataset
        .select(id == null ? lit(null).cast("string") : col(id), col(getFeaturesCol()))
        .javaRDD()
        .mapToPair(row -> {
          int[] words = reader.of(row.get(1));
          return new Tuple2<>(DocumentWords.seedId(row.isNullAt(0) ? null : row.getString(0), words), words);
        })
        .filter(doc -> doc._2().length > 0);
    // documents, words, largest id + 1
    long[] stats = docs.map(d -> {
      int max = -1;
      for (int w : d._2()) {
        max = Math.max(max, w);
      }
      return new long[] {1, d._2().length, max + 1};
    }).fold(new long[3], (a, b) -> new long[] {a[0] + b[0], a[1] + b[1], Math.max(a[2], b[2])});
    if (stats[0] == 0) {
      throw new IllegalArgumentException("GibbsLDA: no document in column '" + getFeaturesCol()
          + "' has any word" + (vocab != null ? " of the vocabulary" : "") + ": nothing to fit");
    }
    int vocabSize = vocab != null ? vocab.length : (int) stats[2];
    if (input == Input.COUNTS && vocab == null) {
      // Every count vector of a CountVectorizer has the vocabulary's size, used or not.
      vocabSize = Math.max(vocabSize, ((org.apache.spark.ml.linalg.Vector) dataset.select(getFeaturesCol())
          .where(col(getFeaturesCol()).isNotNull()).first().get(0)).size());
    }
    long tokens = stats[1];
    long cap = getTrainSampleWords();
    double fraction = cap <= 0 || tokens <= cap ? 1.0 : (double) cap / tokens;
    long seed = getSeed();
    JavaPairRDD<String, int[]> sample = fraction >= 1.0 ? docs
        : docs.filter(d -> GibbsSampler.sampleKey(seed, d._1()) < fraction);
    long expectedTokens = Math.round(fraction * tokens);
    int iterations = sweepsFor(expectedTokens);
    JavaRDD<?> any = docs.values();
    int partitions = getNumPartitions() > 0 ? getNumPartitions() : (int) Math.min(
        any.context().defaultParallelism(), 1 + expectedTokens / Topics.TOKENS_PER_PARTITION);
    int sweepsPerSync = getSweepsPerSync() > 0 ? getSweepsPerSync()
        // Measured on English Europarl, K = 20, 2 partitions: synchronising every 50 sweeps gave
        // clearly less coherent topics than every 5, and one partition as good as every 5. Stale
        // counts blur topics, so several partitions synchronise often; one partition only needs
        // to cut its lineage now and then (see bench/topics).
        : partitions == 1 ? Math.max(1, (iterations + 19) / 20) : 5;
    int burnIn = getOptimizeBurnIn() >= 0 ? getOptimizeBurnIn()
        // MALLET's burn-in, but never more than half the sweeps, so that a short run still
        // learns the priors.
        : Math.min(Topics.DEFAULT_OPTIMIZE_BURN_IN, iterations / 2);
    double[] alpha = startingAlpha(k);
    double beta = getTopicConcentration();
    GibbsSampler sampler = new GibbsSampler(k, vocabSize, alpha, beta, seed, getOptimizeInterval(), burnIn);
    GibbsSampler.Trained trained = sampler.train(sample, partitions, iterations, sweepsPerSync, getCheckpointDir());
    GibbsLDAModel model;
    try {
      double[] phi = FoldIn.phiOf(k, vocabSize, trained.beta, trained.wordTopic, trained.topicTotals);
      model = new GibbsLDAModel(uid, k, vocab, phi, trained.wordTopic, trained.alpha, trained.beta);
      GibbsLDAModel.Summary summary = new GibbsLDAModel.Summary(stats[0], tokens, fraction, trained.tokens,
          iterations, partitions, sweepsPerSync, getOptimizeInterval() > 0 ? burnIn : 0, alpha, beta,
          trained.hyperparameterUpdates, trained.roundSeconds.size(),
          trained.roundSeconds.stream().mapToDouble(d -> d).sum());
      model.setSummary(summary);
    } finally {
      trained.release();
    }
    copyValues(model, ParamMap.empty());
    return model.setParent(this);
  }

  // ---- persistence: the parameters only, in Spark's metadata format ----------------------

  @Override
  public MLWriter write() {
    return new MLWriter() {
      @Override
      public void saveImpl(String path) {
        ModelFiles.saveMetadata(GibbsLDA.this, path, sc(), null, java.util.Set.of());
      }
    };
  }

  @Override
  public void save(String path) throws java.io.IOException {
    write().save(path);
  }

  public static MLReader<GibbsLDA> read() {
    return new MLReader<>() {
      @Override
      public GibbsLDA load(String path) {
        ModelFiles.Metadata metadata = ModelFiles.loadMetadata(path, sc(), GibbsLDA.class);
        GibbsLDA estimator = new GibbsLDA(metadata.uid());
        metadata.applyTo(estimator);
        return estimator;
      }
    };
  }

  public static GibbsLDA load(String path) {
    return read().load(path);
  }
}
