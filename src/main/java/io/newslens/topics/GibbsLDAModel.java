package io.newslens.topics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.DenseMatrix;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted {@link GibbsLDA}: the topic-word probabilities and the priors training ended with.
 * {@code transform} gives each document its topic mixture by {@link FoldIn} (a few Gibbs sweeps
 * with the topics fixed, seeded by the document), the estimate training gives its own documents.
 *
 * <p>Saved as Spark ML stages are ({@code write().save(path)}, {@code GibbsLDAModel.load(path)}):
 * {@code metadata/} (Spark's format, with what training recorded), {@code data/} (one Parquet row:
 * k, vocabulary size, alpha, beta) and {@code topic_word/} (Parquet, one row per term: term, id,
 * its probability under each topic and, when sampled, its count per topic). A model saved by a
 * newslens version before this class ({@code params.json} and {@code topic_word/}) loads too.
 *
 * <p>The topics are held on the driver, V x K, as MLlib's local LDA model holds them.
 */
public class GibbsLDAModel extends Model<GibbsLDAModel> implements GibbsLDAParams, MLWritable {
  private static final long serialVersionUID = 1L;
  public static final String TOPIC_WORD = "topic_word";
  public static final String DATA = "data";
  public static final String WEIGHTS = "weights";
  public static final String COUNTS = "counts";

  /** What fitting did, as MLlib models keep a training summary; not saved with the model. */
  public record Summary(long documents, long tokens, double trainFraction, long trainTokens, int iterations,
      int partitions, int sweepsPerSync, int optimizeBurnIn, double[] startingAlpha, double startingBeta,
      int hyperparameterUpdates, int syncRounds, double sampleSeconds) implements java.io.Serializable {}

  private final String uid;
  private final Declared declared;
  private final int k;
  private final int vocabSize;
  private final double[] phi; // word-major V x K
  private final int[] wordTopic; // word-major V x K counts, or null (not sampled)
  private final double[] alpha;
  private final double beta;
  private final Map<String, Object> training = new LinkedHashMap<>();
  private Summary summary;

  /**
   * @param vocabulary the terms of the ids, or null
   * @param phi word-major V x K topic-word probabilities (each topic's column sums to 1)
   * @param wordTopic word-major V x K counts, or null
   */
  public GibbsLDAModel(String uid, int k, String[] vocabulary, double[] phi, int[] wordTopic, double[] alpha,
      double beta) {
    this.uid = uid;
    this.declared = new Declared(this);
    declared.setDefaults(this);
    if (alpha.length != k || phi.length % k != 0) {
      throw new IllegalArgumentException("a model of " + k + " topics needs " + k + " alphas and V x " + k
          + " probabilities, got " + alpha.length + " and " + phi.length);
    }
    this.k = k;
    this.vocabSize = phi.length / k;
    if (vocabulary != null && vocabulary.length != vocabSize) {
      throw new IllegalArgumentException("vocabulary of " + vocabulary.length + " terms for " + vocabSize
          + " term ids");
    }
    this.phi = phi;
    this.wordTopic = wordTopic;
    this.alpha = alpha.clone();
    this.beta = beta;
    if (vocabulary != null) {
      set(vocabulary(), vocabulary.clone());
    }
    setDefault(k(), k);
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public Declared declared() {
    return declared;
  }

  public GibbsLDAModel setFeaturesCol(String value) {
    set(featuresCol(), value);
    return this;
  }

  public GibbsLDAModel setTopicDistributionCol(String value) {
    set(topicDistributionCol(), value);
    return this;
  }

  public GibbsLDAModel setIdCol(String value) {
    set(idCol(), value);
    return this;
  }

  public GibbsLDAModel setLogLikelihoodCol(String value) {
    set(logLikelihoodCol(), value);
    return this;
  }

  public GibbsLDAModel setSeed(long value) {
    set(seed(), value);
    return this;
  }

  public GibbsLDAModel setFoldInBurnIn(int value) {
    set(foldInBurnIn(), value);
    return this;
  }

  public GibbsLDAModel setFoldInSamples(int value) {
    set(foldInSamples(), value);
    return this;
  }

  public int vocabSize() {
    return vocabSize;
  }

  /** The learnt document-topic prior, one value per topic (MLlib's name). */
  public Vector estimatedDocConcentration() {
    return Vectors.dense(alpha.clone());
  }

  /** The learnt topic-word prior. */
  public double estimatedTopicConcentration() {
    return beta;
  }

  /** The topic-word probabilities, V x K: column t is topic t (sums to 1). */
  public Matrix topicsMatrix() {
    return new DenseMatrix(vocabSize, k, phi.clone(), true);
  }

  /** The sampler's final topic-word counts, word-major V x K, or null (a model not sampled here). */
  public int[] topicWordCounts() {
    return wordTopic == null ? null : wordTopic.clone();
  }

  /** What fitting did, or null for a loaded model. */
  public Summary summary() {
    return summary;
  }

  void setSummary(Summary summary) {
    this.summary = summary;
  }

  /**
   * What the run that trained the model recorded about it (newslens' topics stage: the corpus
   * options, the starting and learnt priors...), saved with the model.
   */
  public Map<String, Object> trainingInfo() {
    return training;
  }

  /** word-major probabilities, not copied: for this package. */
  double[] phi() {
    return phi;
  }

  double[] alpha() {
    return alpha.clone();
  }

  /**
   * Each topic's {@code maxTermsPerTopic} most probable terms, as MLlib's
   * {@code LDAModel.describeTopics}: (topic, termIndices, termWeights), plus {@code terms} when
   * the model has a vocabulary. Ties go to the smaller term (or id).
   */
  public Dataset<Row> describeTopics(int maxTermsPerTopic) {
    String[] vocab = getVocabulary();
    String[] names = vocab;
    if (names == null) {
      names = new String[vocabSize];
      for (int w = 0; w < vocabSize; w++) {
        names[w] = String.format("%010d", w);
      }
    }
    List<int[]> top = Topics.topTerms(phi, names, k, Math.min(maxTermsPerTopic, vocabSize));
    List<Row> rows = new ArrayList<>();
    for (int t = 0; t < k; t++) {
      int[] ids = top.get(t);
      double[] weights = new double[ids.length];
      String[] terms = new String[ids.length];
      for (int r = 0; r < ids.length; r++) {
        weights[r] = phi[ids[r] * k + t];
        terms[r] = vocab == null ? null : vocab[ids[r]];
      }
      rows.add(vocab == null ? RowFactory.create(t, ids, weights) : RowFactory.create(t, ids, weights, terms));
    }
    StructType schema = DataTypes.createStructType(List.of(
        DataTypes.createStructField("topic", DataTypes.IntegerType, false),
        DataTypes.createStructField("termIndices", DataTypes.createArrayType(DataTypes.IntegerType, false), false),
        DataTypes.createStructField("termWeights", DataTypes.createArrayType(DataTypes.DoubleType, false), false)));
    if (vocab != null) {
      schema = schema.add("terms", DataTypes.createArrayType(DataTypes.StringType, false), false);
    }
    return SparkSession.active().createDataFrame(rows, schema);
  }

  public Dataset<Row> describeTopics() {
    return describeTopics(10);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    validateInput(schema, true, getVocabulary());
    return outputSchema(schema);
  }

  private DocumentWords reader(StructType schema) {
    String[] vocab = getVocabulary();
    Input input = validateInput(schema, true, vocab);
    Map<String, Integer> termIds = null;
    if (input == Input.TERMS) {
      termIds = new HashMap<>();
      for (int i = 0; i < vocab.length; i++) {
        termIds.putIfAbsent(vocab[i], i);
      }
    }
    return new DocumentWords(input, vocabSize, termIds);
  }

  private FoldIn foldIn() {
    return new FoldIn(k, alpha, phi, getFoldInBurnIn(), getFoldInSamples(), getSeed());
  }

  /**
   * Appends topicDistributionCol (and logLikelihoodCol when set). Words outside the model's
   * vocabulary are ignored; a document without any gets the prior's mean, alpha_t / sum(alpha).
   */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    DocumentWords reader = reader(dataset.schema());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
    Broadcast<FoldIn> model = jsc.broadcast(foldIn());
    Broadcast<DocumentWords> words = jsc.broadcast(reader);
    String id = getIdCol();
    Column idColumn = id == null ? lit(null).cast("string") : col(id);
    Column features = col(getFeaturesCol());
    String ll = getLogLikelihoodCol();
    if (ll == null) {
      UserDefinedFunction mixture = org.apache.spark.sql.functions.udf((UDF2<String, Object, Vector>) (doc, f) -> {
        int[] w = words.value().of(f);
        return Vectors.dense(model.value().infer(DocumentWords.seedId(doc, w), w).theta());
      }, SQLDataTypes.VectorType());
      return dataset.withColumn(getTopicDistributionCol(), mixture.apply(idColumn, features));
    }
    StructType both = new StructType().add("theta", SQLDataTypes.VectorType(), false)
        .add("ll", DataTypes.DoubleType, false);
    UserDefinedFunction mixture = org.apache.spark.sql.functions.udf((UDF2<String, Object, Row>) (doc, f) -> {
      int[] w = words.value().of(f);
      FoldIn.Mixture m = model.value().infer(DocumentWords.seedId(doc, w), w);
      return RowFactory.create(Vectors.dense(m.theta()), m.logLikelihood());
    }, both);
    String tmp = "_gibbsLDA_" + uid;
    return dataset.withColumn(tmp, mixture.apply(idColumn, features))
        .withColumn(getTopicDistributionCol(), col(tmp).getField("theta"))
        .withColumn(ll, col(tmp).getField("ll"))
        .drop(tmp);
  }

  /**
   * The log-likelihood of the documents' known words under their fold-in mixtures, and the
   * number of those words: log-perplexity is -first / second.
   */
  public double[] logLikelihoodAndWords(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    DocumentWords reader = reader(dataset.schema());
    FoldIn foldIn = foldIn();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
    Broadcast<FoldIn> model = jsc.broadcast(foldIn);
    String id = getIdCol();
    JavaRDD<Row> rows = dataset.select(id == null ? lit(null).cast("string") : col(id), col(getFeaturesCol()))
        .javaRDD();
    double[] sums = rows.map(row -> {
      int[] w = reader.of(row.get(1));
      FoldIn.Mixture m = model.value().infer(DocumentWords.seedId(row.isNullAt(0) ? null : row.getString(0), w), w);
      return new double[] {m.logLikelihood(), m.words()};
    }).fold(new double[2], (a, b) -> new double[] {a[0] + b[0], a[1] + b[1]});
    model.destroy(false);
    return sums;
  }

  /** MLlib's name: the log-likelihood of the documents' words under their mixtures. */
  public double logLikelihood(Dataset<?> dataset) {
    return logLikelihoodAndWords(dataset)[0];
  }

  /** MLlib's name: minus the log-likelihood per word (0 without any known word). */
  public double logPerplexity(Dataset<?> dataset) {
    double[] sums = logLikelihoodAndWords(dataset);
    return sums[1] == 0 ? 0 : -sums[0] / sums[1];
  }

  @Override
  public GibbsLDAModel copy(ParamMap extra) {
    GibbsLDAModel copied = new GibbsLDAModel(uid, k, getVocabulary(), phi, wordTopic, alpha, beta);
    copyValues(copied, extra);
    copied.training.putAll(training);
    copied.summary = summary;
    return copied.setParent(parent());
  }

  // ---- persistence --------------------------------------------------------------------------

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  @Override
  public void save(String path) throws java.io.IOException {
    write().save(path);
  }

  public static MLReader<GibbsLDAModel> read() {
    return new Reader();
  }

  public static GibbsLDAModel load(String path) {
    return read().load(path);
  }

  private static final class Writer extends MLWriter {
    private final GibbsLDAModel model;

    Writer(GibbsLDAModel model) {
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      SparkSession spark = sparkSession();
      ModelFiles.saveMetadata(model, path, sc(), model.training, java.util.Set.of("vocabulary"));
      Row data = RowFactory.create(model.k, model.vocabSize, model.alpha.clone(), model.beta);
      spark.createDataFrame(List.of(data), DataTypes.createStructType(List.of(
              DataTypes.createStructField("k", DataTypes.IntegerType, false),
              DataTypes.createStructField("vocab_size", DataTypes.IntegerType, false),
              DataTypes.createStructField("alpha", DataTypes.createArrayType(DataTypes.DoubleType, false), false),
              DataTypes.createStructField("beta", DataTypes.DoubleType, false))))
          .repartition(1).write().mode(SaveMode.Overwrite).parquet(new Path(path, DATA).toString());
      topicWord(JavaSparkContext.fromSparkContext(sc()), model.getVocabulary(), model.phi, model.wordTopic, model.k)
          .write().mode(SaveMode.Overwrite).parquet(new Path(path, TOPIC_WORD).toString());
    }
  }

  /** (term, id, weights, counts): every term's topic probabilities (and counts), built on the executors. */
  static Dataset<Row> topicWord(JavaSparkContext jsc, String[] vocab, double[] phi, int[] counts, int k) {
    int vocabSize = phi.length / k;
    Broadcast<String[]> terms = jsc.broadcast(vocab);
    Broadcast<double[]> weights = jsc.broadcast(phi);
    Broadcast<int[]> topicCounts = jsc.broadcast(counts);
    List<Integer> ids = java.util.stream.IntStream.range(0, vocabSize).boxed().toList();
    int slices = Math.max(1, Math.min(jsc.defaultParallelism(), 1 + vocabSize * k / 1_000_000));
    JavaRDD<Row> rows = jsc.parallelize(ids, slices).map(w -> RowFactory.create(
        terms.value() == null ? null : terms.value()[w], w,
        Arrays.copyOfRange(weights.value(), w * k, w * k + k),
        topicCounts.value() == null ? null : Arrays.copyOfRange(topicCounts.value(), w * k, w * k + k)));
    return SparkSession.active().createDataFrame(rows, DataTypes.createStructType(List.of(
        DataTypes.createStructField(io.newslens.common.Tables.TERM, DataTypes.StringType, vocab == null),
        DataTypes.createStructField("id", DataTypes.IntegerType, false),
        DataTypes.createStructField(WEIGHTS, DataTypes.createArrayType(DataTypes.DoubleType), false),
        DataTypes.createStructField(COUNTS, DataTypes.createArrayType(DataTypes.IntegerType), counts == null))));
  }

  private static final class Reader extends MLReader<GibbsLDAModel> {
    @Override
    public GibbsLDAModel load(String path) {
      SparkSession spark = sparkSession();
      if (!ModelFiles.hasMetadata(path, sc())) {
        return LegacyModel.load(spark, path);
      }
      ModelFiles.Metadata metadata = ModelFiles.loadMetadata(path, sc(), GibbsLDAModel.class);
      Row data = spark.read().parquet(new Path(path, DATA).toString()).first();
      int k = data.getInt(data.fieldIndex("k"));
      int vocabSize = data.getInt(data.fieldIndex("vocab_size"));
      double[] alpha = data.<Double>getList(data.fieldIndex("alpha")).stream().mapToDouble(Double::doubleValue)
          .toArray();
      double beta = data.getDouble(data.fieldIndex("beta"));
      TopicWord topicWord = TopicWord.read(spark, new Path(path, TOPIC_WORD).toString(), k, vocabSize);
      GibbsLDAModel model = new GibbsLDAModel(metadata.uid(), k, topicWord.terms(), topicWord.phi(),
          topicWord.counts(), alpha, beta);
      metadata.applyTo(model);
      model.training.putAll(metadata.training());
      return model;
    }
  }

  /** A topic_word table on the driver. */
  record TopicWord(String[] terms, double[] phi, int[] counts) {
    static TopicWord read(SparkSession spark, String path, int k, int vocabSize) {
      Dataset<Row> table = spark.read().parquet(path);
      boolean withCounts = Arrays.asList(table.columns()).contains(COUNTS);
      List<Row> rows = table.select(col(io.newslens.common.Tables.TERM), col("id"), col(WEIGHTS),
          withCounts ? col(COUNTS) : lit(null).cast("array<int>")).collectAsList();
      if (vocabSize < 0) {
        vocabSize = rows.size();
      }
      String[] terms = new String[vocabSize];
      double[] phi = new double[vocabSize * k];
      int[] counts = null;
      for (Row row : rows) {
        int id = row.getInt(1);
        terms[id] = row.isNullAt(0) ? null : row.getString(0);
        List<Double> weights = row.getList(2);
        for (int t = 0; t < k; t++) {
          phi[id * k + t] = weights.get(t);
        }
        if (!row.isNullAt(3)) {
          if (counts == null) {
            counts = new int[vocabSize * k];
          }
          List<Integer> c = row.getList(3);
          for (int t = 0; t < k; t++) {
            counts[id * k + t] = c.get(t);
          }
        }
      }
      return new TopicWord(Arrays.stream(terms).allMatch(java.util.Objects::nonNull) ? terms : null, phi, counts);
    }
  }
}
