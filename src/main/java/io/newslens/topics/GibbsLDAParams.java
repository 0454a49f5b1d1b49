package io.newslens.topics;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Function1;
import scala.runtime.AbstractFunction1;

/**
 * The parameters {@link GibbsLDA} and {@link GibbsLDAModel} share, as Spark's {@code LDAParams}
 * trait: MLlib's names ({@code k}, {@code maxIter}, {@code docConcentration},
 * {@code topicConcentration}, {@code seed}, {@code featuresCol}, {@code topicDistributionCol})
 * and newslens' own.
 *
 * <p>Why an interface with a holder: Java has no traits, and Spark finds a stage's parameters by
 * reflection over its public no-argument methods returning a {@link Param}; default methods of an
 * interface are such methods, while the Param objects themselves must belong to each instance
 * (their parent is the instance's uid), so each class keeps a {@link Declared} built in its
 * constructor.
 */
public interface GibbsLDAParams extends Params {

  /** The Param objects of one instance. */
  final class Declared implements Serializable {
    private static final long serialVersionUID = 1L;
    final IntParam k;
    final IntParam maxIter;
    final DoubleArrayParam docConcentration;
    final DoubleParam topicConcentration;
    final LongParam seed;
    final Param<String> featuresCol;
    final Param<String> topicDistributionCol;
    final Param<String> idCol;
    final Param<String> logLikelihoodCol;
    final StringArrayParam vocabulary;
    final IntParam optimizeInterval;
    final IntParam optimizeBurnIn;
    final LongParam trainSampleWords;
    final IntParam numPartitions;
    final IntParam sweepsPerSync;
    final IntParam foldInBurnIn;
    final IntParam foldInSamples;
    final Param<String> checkpointDir;

    Declared(GibbsLDAParams owner) {
      k = new IntParam(owner, "k", "number of topics (at least 2)",
          check(v -> (Integer) v >= Topics.MIN_TOPICS,
              v -> "k must be at least " + Topics.MIN_TOPICS + " (a topic model needs two topics or more), got " + v));
      maxIter = new IntParam(owner, "maxIter", "Gibbs sweeps over the training documents; 0: from the training"
          + " sample's size (" + Topics.defaultSweeps(0) + " below " + Topics.LARGE_TRAINING_SAMPLE + " words, "
          + Topics.defaultSweeps(Topics.LARGE_TRAINING_SAMPLE) + " from there on)",
          check(v -> (Integer) v >= 0, v -> "maxIter must be 0 (automatic) or more, got " + v));
      docConcentration = new DoubleArrayParam(owner, "docConcentration", "the document-topic prior alpha where"
          + " sampling starts: one value (symmetric) or k values; unset: 5 / k, as MALLET",
          check(v -> Arrays.stream((double[]) v).allMatch(a -> a > 0),
              v -> "docConcentration must be positive, got " + Arrays.toString((double[]) v)));
      topicConcentration = new DoubleParam(owner, "topicConcentration", "the topic-word prior beta where"
          + " sampling starts", check(v -> (Double) v > 0, v -> "topicConcentration must be positive, got " + v));
      seed = new LongParam(owner, "seed", "random seed");
      featuresCol = new Param<>(owner, "featuresCol", "the documents' words: a Vector of term counts (as"
          + " CountVectorizer writes), or the term ids (array<int>) or terms (array<string>, with vocabulary) in"
          + " reading order");
      topicDistributionCol = new Param<>(owner, "topicDistributionCol", "output column: each document's topic"
          + " mixture (a Vector summing to 1), by fold-in with the topics fixed");
      idCol = new Param<>(owner, "idCol", "a column of unique document ids (string) that seeds each document's"
          + " random stream; unset: the document's words seed it, so equal documents get equal mixtures");
      logLikelihoodCol = new Param<>(owner, "logLikelihoodCol", "optional output column: the log-likelihood of"
          + " each document's known words under its mixture");
      vocabulary = new StringArrayParam(owner, "vocabulary", "the terms of the term ids, in id order (e.g."
          + " CountVectorizerModel.vocabulary()); needed for array<string> features, kept by the model");
      optimizeInterval = new IntParam(owner, "optimizeInterval", "learn alpha and beta every this many sweeps"
          + " (0: keep them fixed), as MALLET's --optimize-interval",
          check(v -> (Integer) v >= 0, v -> "optimizeInterval must be 0 or more, got " + v));
      optimizeBurnIn = new IntParam(owner, "optimizeBurnIn", "sweeps before alpha and beta are first learnt;"
          + " -1: " + Topics.DEFAULT_OPTIMIZE_BURN_IN + ", at most half of maxIter",
          check(v -> (Integer) v >= -1, v -> "optimizeBurnIn must be -1 (automatic) or more, got " + v));
      trainSampleWords = new LongParam(owner, "trainSampleWords", "sample about this many words' worth of"
          + " documents to train on (0: all documents); every document is folded in by transform",
          check(v -> (Long) v >= 0, v -> "trainSampleWords must be 0 (all) or more, got " + v));
      numPartitions = new IntParam(owner, "numPartitions", "partitions the sampler runs on; 0: one per "
          + Topics.TOKENS_PER_PARTITION + " training words, at most the session's parallelism",
          check(v -> (Integer) v >= 0, v -> "numPartitions must be 0 (automatic) or more, got " + v));
      sweepsPerSync = new IntParam(owner, "sweepsPerSync", "sweeps between synchronisations of the partitions'"
          + " counts; 0: 5 with several partitions, maxIter / 20 with one",
          check(v -> (Integer) v >= 0, v -> "sweepsPerSync must be 0 (automatic) or more, got " + v));
      foldInBurnIn = new IntParam(owner, "foldInBurnIn", "fold-in sweeps before a document's counts are averaged",
          check(v -> (Integer) v >= 0, v -> "foldInBurnIn must be 0 or more, got " + v));
      foldInSamples = new IntParam(owner, "foldInSamples", "fold-in sweeps whose counts are averaged",
          check(v -> (Integer) v >= 1, v -> "foldInSamples must be at least 1, got " + v));
      checkpointDir = new Param<>(owner, "checkpointDir", "folder for the sampler's temporary checkpoints;"
          + " unset: the SparkContext's checkpoint folder, else the local temporary folder");
    }

    /**
     * A validator that throws its own message: Spark's generic one ("parameter k given invalid
     * value 1") does not say what is allowed.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> Function1<T, Object> check(SerializablePredicate ok, SerializableMessage message) {
      return (Function1) new Validator(ok, message);
    }

    private static final class Validator extends AbstractFunction1<Object, Object> implements Serializable {
      private static final long serialVersionUID = 1L;
      private final SerializablePredicate ok;
      private final SerializableMessage message;

      Validator(SerializablePredicate ok, SerializableMessage message) {
        this.ok = ok;
        this.message = message;
      }

      @Override
      public Object apply(Object value) {
        if (!ok.test(value)) {
          throw new IllegalArgumentException(message.apply(value));
        }
        return Boolean.TRUE;
      }
    }

    private interface SerializablePredicate extends java.util.function.Predicate<Object>, Serializable {}

    private interface SerializableMessage extends java.util.function.Function<Object, String>, Serializable {}

    void setDefaults(GibbsLDAParams owner) {
      owner.setDefault(k, 10);
      owner.setDefault(maxIter, 0);
      owner.setDefault(topicConcentration, Topics.DEFAULT_BETA);
      owner.setDefault(seed, 42L);
      owner.setDefault(featuresCol, "features");
      owner.setDefault(topicDistributionCol, "topicDistribution");
      owner.setDefault(optimizeInterval, Topics.DEFAULT_OPTIMIZE_INTERVAL);
      owner.setDefault(optimizeBurnIn, -1);
      owner.setDefault(trainSampleWords, Topics.DEFAULT_TRAIN_SAMPLE);
      owner.setDefault(numPartitions, 0);
      owner.setDefault(sweepsPerSync, 0);
      owner.setDefault(foldInBurnIn, Topics.FOLD_IN_BURN_IN);
      owner.setDefault(foldInSamples, Topics.FOLD_IN_SAMPLES);
    }
  }

  /** This instance's Param objects. */
  Declared declared();

  default IntParam k() {
    return declared().k;
  }

  default IntParam maxIter() {
    return declared().maxIter;
  }

  default DoubleArrayParam docConcentration() {
    return declared().docConcentration;
  }

  default DoubleParam topicConcentration() {
    return declared().topicConcentration;
  }

  default LongParam seed() {
    return declared().seed;
  }

  default Param<String> featuresCol() {
    return declared().featuresCol;
  }

  default Param<String> topicDistributionCol() {
    return declared().topicDistributionCol;
  }

  default Param<String> idCol() {
    return declared().idCol;
  }

  default Param<String> logLikelihoodCol() {
    return declared().logLikelihoodCol;
  }

  default StringArrayParam vocabulary() {
    return declared().vocabulary;
  }

  default IntParam optimizeInterval() {
    return declared().optimizeInterval;
  }

  default IntParam optimizeBurnIn() {
    return declared().optimizeBurnIn;
  }

  default LongParam trainSampleWords() {
    return declared().trainSampleWords;
  }

  default IntParam numPartitions() {
    return declared().numPartitions;
  }

  default IntParam sweepsPerSync() {
    return declared().sweepsPerSync;
  }

  default IntParam foldInBurnIn() {
    return declared().foldInBurnIn;
  }

  default IntParam foldInSamples() {
    return declared().foldInSamples;
  }

  default Param<String> checkpointDir() {
    return declared().checkpointDir;
  }

  default int getK() {
    return (Integer) getOrDefault(k());
  }

  default int getMaxIter() {
    return (Integer) getOrDefault(maxIter());
  }

  /** alpha where sampling starts: one value per topic (unset: 5 / k). */
  default double[] startingAlpha(int topics) {
    if (!isDefined(docConcentration())) {
      return GibbsSampler.filled(topics, 5.0 / topics);
    }
    double[] given = (double[]) getOrDefault(docConcentration());
    if (given.length == 1) {
      return GibbsSampler.filled(topics, given[0]);
    }
    if (given.length != topics) {
      throw new IllegalArgumentException("docConcentration has " + given.length + " values for k = " + topics
          + " topics: give one value (symmetric) or k values");
    }
    return given.clone();
  }

  default double[] getDocConcentration() {
    return isDefined(docConcentration()) ? ((double[]) getOrDefault(docConcentration())).clone() : null;
  }

  default double getTopicConcentration() {
    return (Double) getOrDefault(topicConcentration());
  }

  default long getSeed() {
    return (Long) getOrDefault(seed());
  }

  default String getFeaturesCol() {
    return getOrDefault(featuresCol());
  }

  default String getTopicDistributionCol() {
    return getOrDefault(topicDistributionCol());
  }

  /** The id column, or null. */
  default String getIdCol() {
    return isDefined(idCol()) ? getOrDefault(idCol()) : null;
  }

  /** The log-likelihood column, or null. */
  default String getLogLikelihoodCol() {
    return isDefined(logLikelihoodCol()) ? getOrDefault(logLikelihoodCol()) : null;
  }

  /** The vocabulary, or null. */
  default String[] getVocabulary() {
    return isDefined(vocabulary()) ? getOrDefault(vocabulary()) : null;
  }

  default int getOptimizeInterval() {
    return (Integer) getOrDefault(optimizeInterval());
  }

  default int getOptimizeBurnIn() {
    return (Integer) getOrDefault(optimizeBurnIn());
  }

  default long getTrainSampleWords() {
    return (Long) getOrDefault(trainSampleWords());
  }

  default int getNumPartitions() {
    return (Integer) getOrDefault(numPartitions());
  }

  default int getSweepsPerSync() {
    return (Integer) getOrDefault(sweepsPerSync());
  }

  default int getFoldInBurnIn() {
    return (Integer) getOrDefault(foldInBurnIn());
  }

  default int getFoldInSamples() {
    return (Integer) getOrDefault(foldInSamples());
  }

  /** The checkpoint folder, or null. */
  default String getCheckpointDir() {
    return isDefined(checkpointDir()) ? getOrDefault(checkpointDir()) : null;
  }

  /** How the features column holds a document's words. */
  enum Input { COUNTS, IDS, TERMS }

  /**
   * Checks the input columns and returns how the words are given; the messages name the column
   * and what it should be.
   */
  default Input validateInput(StructType schema, boolean needVocabularyForTerms, String[] vocabulary) {
    String features = getFeaturesCol();
    String owner = getClass().getSimpleName();
    if (!Arrays.asList(schema.fieldNames()).contains(features)) {
      throw new IllegalArgumentException(owner + ": no column '" + features + "' in the input (columns: "
          + String.join(", ", schema.fieldNames()) + "); set featuresCol to the documents' term counts (a Vector,"
          + " as CountVectorizer writes) or their term ids or terms");
    }
    DataType type = schema.apply(features).dataType();
    Input input;
    if (type.equals(SQLDataTypes.VectorType())) {
      input = Input.COUNTS;
    } else if (type instanceof ArrayType a && a.elementType().equals(DataTypes.IntegerType)) {
      input = Input.IDS;
    } else if (type instanceof ArrayType a && a.elementType().equals(DataTypes.StringType)) {
      input = Input.TERMS;
      if (needVocabularyForTerms && vocabulary == null) {
        throw new IllegalArgumentException(owner + ": column '" + features + "' holds terms (array<string>):"
            + " set vocabulary to map them to term ids, or give term counts (a Vector)");
      }
    } else {
      throw new IllegalArgumentException(owner + ": column '" + features + "' is " + type.simpleString()
          + "; it must be a Vector of term counts (as CountVectorizer writes), array<int> of term ids or"
          + " array<string> of terms");
    }
    String id = getIdCol();
    if (id != null) {
      if (!Arrays.asList(schema.fieldNames()).contains(id)) {
        throw new IllegalArgumentException(owner + ": no column '" + id + "' (idCol) in the input (columns: "
            + String.join(", ", schema.fieldNames()) + ")");
      }
      if (!schema.apply(id).dataType().equals(DataTypes.StringType)) {
        throw new IllegalArgumentException(owner + ": idCol '" + id + "' is "
            + schema.apply(id).dataType().simpleString() + "; it must be a string");
      }
    }
    return input;
  }

  /** The input schema with the output columns appended. */
  default StructType outputSchema(StructType schema) {
    validateInput(schema, false, null);
    StructType out = schema;
    for (String name : new String[] {getTopicDistributionCol(), getLogLikelihoodCol()}) {
      if (name != null && Arrays.asList(schema.fieldNames()).contains(name)) {
        throw new IllegalArgumentException(getClass().getSimpleName() + ": output column '" + name
            + "' already exists in the input");
      }
    }
    out = out.add(new StructField(getTopicDistributionCol(), SQLDataTypes.VectorType(), false,
        org.apache.spark.sql.types.Metadata.empty()));
    if (getLogLikelihoodCol() != null) {
      out = out.add(getLogLikelihoodCol(), DataTypes.DoubleType, false);
    }
    return out;
  }
}
