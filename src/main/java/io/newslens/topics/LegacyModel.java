package io.newslens.topics;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.SparkSession;

/**
 * The model layout of newslens before {@link GibbsLDAModel}: {@code params.json} (k, seed, the
 * learnt alpha, one number or one per topic, and beta...) and {@code topic_word/} (term, id,
 * weights). Loaded as a model that reads the {@code terms} of the documents and seeds them by
 * {@code doc_id}, as the run that saved it did, so its mixtures stay what they were.
 */
final class LegacyModel {
  private LegacyModel() {}

  static final String PARAMS = "params.json";
  /** The default topic-word prior when models were saved this way, for params without one. */
  static final double LEGACY_DEFAULT_BETA = 0.05;

  static GibbsLDAModel load(SparkSession spark, String dir) {
    try {
      Path file = new Path(dir, PARAMS);
      FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(file)) {
        throw new IllegalArgumentException("no topic model in " + dir + " (neither " + ModelFiles.METADATA
            + "/ nor " + PARAMS + "): pass a folder GibbsLDAModel.write().save wrote, or the model/ folder of a"
            + " topics run");
      }
      Map<String, Object> params;
      try (InputStream in = fs.open(file)) {
        params = ModelFiles.JSON.readValue(in, new TypeReference<LinkedHashMap<String, Object>>() {});
      }
      int k = ((Number) params.get("k")).intValue();
      Object a = params.get("alpha");
      double[] alpha = a instanceof Number n ? GibbsSampler.filled(k, n.doubleValue())
          : ((List<?>) a).stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray();
      double beta = ((Number) params.getOrDefault("beta", LEGACY_DEFAULT_BETA)).doubleValue();
      GibbsLDAModel.TopicWord topicWord = GibbsLDAModel.TopicWord.read(spark,
          new Path(dir, GibbsLDAModel.TOPIC_WORD).toString(), k, -1);
      GibbsLDAModel model = new GibbsLDAModel(Identifiable$.MODULE$.randomUID("gibbsLDA"), k, topicWord.terms(),
          topicWord.phi(), topicWord.counts(), alpha, beta);
      model.set(model.k(), k);
      if (params.get("seed") instanceof Number seed) {
        model.setSeed(seed.longValue());
      }
      model.setFeaturesCol(io.newslens.common.Tables.TERMS).setIdCol(io.newslens.common.Tables.DOC_ID);
      model.trainingInfo().putAll(params);
      return model;
    } catch (IOException e) {
      throw new UncheckedIOException("could not load the model in " + dir, e);
    }
  }
}
