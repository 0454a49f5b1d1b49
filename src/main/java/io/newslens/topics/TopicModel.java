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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A trained topic model as data: for every vocabulary term its id and its probability under each
 * topic (a Parquet table, so it stays distributed however large), plus the parameters. Scoring
 * joins a document's terms with that table and folds the document in: the mixture that best
 * explains its words with the topics fixed (MAP EM, {@link #FOLD_IN_ITERATIONS} rounds).
 *
 * <p>Saved as {@code topic_word/} (term, id, weights) and {@code params.json} under one folder.
 */
public final class TopicModel {
  static final int FOLD_IN_ITERATIONS = 50;
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

  public double alpha() {
    return ((Number) params.get("alpha")).doubleValue();
  }

  /** The phrases the model knows, so new articles are tokenized the way training ones were. */
  public List<String> phrases() {
    return topicWord.filter(col(TERM).contains(" ")).select(TERM).as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
  }

  /**
   * (doc_id, theta, log_likelihood, words) for documents with a {@code terms} array. Terms not in
   * the vocabulary are ignored; a document with none gets the uniform mixture.
   */
  public Dataset<Row> score(Dataset<Row> documentTerms) {
    int k = k();
    double alpha = alpha();
    Dataset<Row> known = documentTerms.select(col(DOC_ID), explode(col(TERMS)).as(TERM))
        .join(topicWord.select(TERM, WEIGHTS), TERM)
        .groupBy(DOC_ID).agg(collect_list(col(WEIGHTS)).as("phi"));
    UDF1<scala.collection.Seq<scala.collection.Seq<Double>>, Row> foldIn = phiRows -> {
      List<scala.collection.Seq<Double>> rows = scala.collection.JavaConverters.seqAsJavaList(phiRows);
      double[][] phi = new double[rows.size()][];
      for (int i = 0; i < phi.length; i++) {
        List<Double> row = scala.collection.JavaConverters.seqAsJavaList(rows.get(i));
        phi[i] = row.stream().mapToDouble(Double::doubleValue).toArray();
      }
      double[] theta = foldIn(phi, k, alpha);
      double logLikelihood = 0;
      for (double[] p : phi) {
        double sum = 0;
        for (int t = 0; t < k; t++) {
          sum += theta[t] * p[t];
        }
        logLikelihood += Math.log(sum);
      }
      return org.apache.spark.sql.RowFactory.create(toList(theta), logLikelihood, phi.length);
    };
    StructType resultType = DataTypes.createStructType(List.of(
        DataTypes.createStructField("theta", DataTypes.createArrayType(DataTypes.DoubleType), false),
        DataTypes.createStructField("log_likelihood", DataTypes.DoubleType, false),
        DataTypes.createStructField("words", DataTypes.IntegerType, false)));
    Dataset<Row> scored = known.select(col(DOC_ID), udf(foldIn, resultType).apply(col("phi")).as("r"))
        .select(col(DOC_ID), col("r.*"));
    org.apache.spark.sql.Column uniform = array(java.util.stream.IntStream.range(0, k)
        .mapToObj(t -> lit(1.0 / k)).toArray(org.apache.spark.sql.Column[]::new));
    Dataset<Row> unknown = documentTerms.select(DOC_ID).join(scored.select(DOC_ID), documentTerms.col(DOC_ID).equalTo(scored.col(DOC_ID)), "left_anti")
        .select(col(DOC_ID), uniform.as("theta"), lit(0.0).as("log_likelihood"), lit(0).as("words"));
    return scored.unionByName(unknown);
  }

  static List<Double> toList(double[] values) {
    return java.util.Arrays.stream(values).boxed().toList();
  }

  /** MAP estimate of a document's mixture with the topics fixed; phi[i] = p(word i | topic). */
  static double[] foldIn(double[][] phi, int k, double alpha) {
    double[] theta = new double[k];
    java.util.Arrays.fill(theta, 1.0 / k);
    double[] next = new double[k];
    for (int iteration = 0; iteration < FOLD_IN_ITERATIONS; iteration++) {
      java.util.Arrays.fill(next, alpha);
      for (double[] p : phi) {
        double norm = 0;
        for (int t = 0; t < k; t++) {
          norm += theta[t] * p[t];
        }
        if (norm > 0) {
          for (int t = 0; t < k; t++) {
            next[t] += theta[t] * p[t] / norm;
          }
        }
      }
      double total = 0;
      for (double v : next) {
        total += v;
      }
      for (int t = 0; t < k; t++) {
        theta[t] = next[t] / total;
      }
    }
    return theta;
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
