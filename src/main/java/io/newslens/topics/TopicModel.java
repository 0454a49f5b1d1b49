package io.newslens.topics;

import static io.newslens.common.Tables.*;
import static org.apache.spark.sql.functions.*;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * A trained topic model as data: for every vocabulary term its id and its probability under each
 * topic (a Parquet table, so it stays distributed however large), plus the parameters. Scoring
 * folds a document in with the topics fixed, as the run did ({@link FoldIn}).
 *
 * <p>Saved as {@code topic_word/} (term, id, weights) and {@code params.json} under one folder.
 */
public final class TopicModel {
  public static final String WEIGHTS = "weights";

  private final Dataset<Row> topicWord;
  private final Map<String, Object> params;

  public TopicModel(Dataset<Row> topicWord, Map<String, Object> params) {
    this.topicWord = topicWord;
    this.params = params;
  }

  public Dataset<Row> topicWord() {
    return topicWord;
  }

  public Map<String, Object> params() {
    return params;
  }

  public int k() {
    return ((Number) params.get("k")).intValue();
  }

  /**
   * The document-topic prior of each topic, as training ended with it (learnt, or the one
   * given); a model saved before alpha was learnt holds one number for all topics.
   */
  public double[] alpha() {
    Object alpha = params.get("alpha");
    if (alpha instanceof Number a) {
      return GibbsLda.filled(k(), a.doubleValue());
    }
    return ((List<?>) alpha).stream().mapToDouble(a -> ((Number) a).doubleValue()).toArray();
  }

  /** The phrases the model knows, so new articles are tokenized the way training ones were. */
  public List<String> phrases() {
    return topicWord.filter(col(TERM).contains(" ")).select(TERM).as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
  }

  public long seed() {
    return ((Number) params.get("seed")).longValue();
  }

  /**
   * (doc_id, theta, log_likelihood, words) for documents with a {@code terms} array, by the
   * {@link FoldIn} the run itself used, from the saved topic-word probabilities: a document the
   * run saw gets the mixture the run gave it. Terms not in the vocabulary are ignored; a
   * document with none gets the prior's mean,
   * alpha_t / sum(alpha) (uniform when alpha is symmetric). The topic-word table comes to the driver (V x K,
   * bounded by --vocab-size) and is broadcast.
   */
  public Dataset<Row> score(Dataset<Row> documentTerms) {
    int k = k();
    List<Row> terms = topicWord.select(col(TERM), col("id"), col(WEIGHTS)).collectAsList();
    double[] phi = new double[terms.size() * k];
    Map<String, Integer> ids = new HashMap<>();
    for (Row term : terms) {
      int id = term.getInt(1);
      ids.put(term.getString(0), id);
      List<Double> weights = term.getList(2);
      for (int t = 0; t < k; t++) {
        phi[id * k + t] = weights.get(t);
      }
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(documentTerms.sparkSession().sparkContext());
    Broadcast<Map<String, Integer>> termIds = jsc.broadcast(ids);
    Broadcast<FoldIn> model = jsc.broadcast(
        new FoldIn(k, alpha(), phi, Topics.FOLD_IN_BURN_IN, Topics.FOLD_IN_SAMPLES, seed()));
    JavaRDD<Row> scored = documentTerms.select(col(DOC_ID), col(TERMS)).javaRDD().map(row -> {
      FoldIn.Mixture m = model.value().infer(row.getString(0), Vocabulary.idsOf(row.getList(1), termIds.value()));
      return RowFactory.create(row.getString(0), m.theta(), m.logLikelihood(), m.words());
    });
    return documentTerms.sparkSession().createDataFrame(scored, DataTypes.createStructType(List.of(
        DataTypes.createStructField(DOC_ID, DataTypes.StringType, false),
        DataTypes.createStructField("theta", DataTypes.createArrayType(DataTypes.DoubleType), false),
        DataTypes.createStructField("log_likelihood", DataTypes.DoubleType, false),
        DataTypes.createStructField("words", DataTypes.IntegerType, false))));
  }

  // ---- persistence ------------------------------------------------------------------------

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public void save(SparkSession spark, String dir) {
    topicWord.write().mode(SaveMode.Overwrite).parquet(new Path(dir, "topic_word").toString());
    try {
      Path file = new Path(dir, "params.json");
      FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (OutputStream out = fs.create(file, true)) {
        JSON.writeValue(out, params);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not save the model's parameters", e);
    }
  }

  public static TopicModel load(SparkSession spark, String dir) {
    try {
      Path file = new Path(dir, "params.json");
      FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(file)) {
        throw new IllegalArgumentException("no topic model in " + dir + " (params.json missing): "
            + "pass the model/ folder a topics run wrote");
      }
      io.newslens.common.TableStore.requireWritten(spark, new Path(dir), "the model '" + new Path(dir).getName() + "'");
      Map<String, Object> params;
      try (InputStream in = fs.open(file)) {
        params = JSON.readValue(in, new TypeReference<LinkedHashMap<String, Object>>() {});
      }
      return new TopicModel(spark.read().parquet(new Path(dir, "topic_word").toString()), params);
    } catch (IOException e) {
      throw new UncheckedIOException("could not load the model in " + dir, e);
    }
  }
}
