package io.newslens.topics;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.param.Params;
import scala.collection.JavaConverters;

/**
 * Stage metadata in the format of Spark's {@code DefaultParamsWriter}/{@code DefaultParamsReader}
 * ({@code metadata/part-00000}: class, timestamp, sparkVersion, uid, paramMap, defaultParamMap),
 * so that Spark's {@code Pipeline} persistence and PySpark read it. Why not Spark's own: both are
 * {@code private[ml]}; their format is public.
 */
final class ModelFiles {
  private ModelFiles() {}

  static final ObjectMapper JSON = new ObjectMapper();
  static final String METADATA = "metadata";
  /** Where newslens keeps what training recorded (not parameters: not set back on load). */
  static final String TRAINING = "newslensTraining";

  /**
   * @param skip parameters kept elsewhere (a model's vocabulary is in its data, not in the JSON)
   */
  static void saveMetadata(Params instance, String path, SparkContext sc, Map<String, Object> training,
      java.util.Set<String> skip) {
    ObjectNode json = JSON.createObjectNode();
    json.put("class", instance.getClass().getName());
    json.put("timestamp", System.currentTimeMillis());
    json.put("sparkVersion", sc.version());
    json.put("uid", instance.uid());
    json.set("paramMap", encode(instance.extractParamMap().toSeq(), instance, false, skip));
    json.set("defaultParamMap", encode(instance.extractParamMap().toSeq(), instance, true, skip));
    if (training != null) {
      json.set(TRAINING, JSON.valueToTree(training));
    }
    try {
      Path file = new Path(new Path(path, METADATA), "part-00000");
      FileSystem fs = file.getFileSystem(sc.hadoopConfiguration());
      try (OutputStream out = fs.create(file, true)) {
        out.write(JSON.writeValueAsString(json).getBytes(StandardCharsets.UTF_8));
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the metadata under " + path, e);
    }
  }

  /** The explicitly set (or, with {@code defaults}, the default) values, JSON-encoded by each Param. */
  private static ObjectNode encode(scala.collection.Seq<ParamPair<?>> pairs, Params instance, boolean defaults,
      java.util.Set<String> skip) {
    ObjectNode map = JSON.createObjectNode();
    for (ParamPair<?> pair : JavaConverters.seqAsJavaList(pairs)) {
      @SuppressWarnings("unchecked")
      Param<Object> param = (Param<Object>) pair.param();
      boolean wanted = defaults ? instance.hasDefault(param) : instance.isSet(param);
      if (!wanted || skip.contains(param.name())) {
        continue;
      }
      Object value = defaults ? instance.getDefault(param).get() : pair.value();
      try {
        map.set(param.name(), JSON.readTree(param.jsonEncode(value)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return map;
  }

  static boolean hasMetadata(String path, SparkContext sc) {
    try {
      Path dir = new Path(path, METADATA);
      return dir.getFileSystem(sc.hadoopConfiguration()).exists(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What a metadata file holds. */
  record Metadata(String className, String uid, JsonNode paramMap, JsonNode defaultParamMap,
      Map<String, Object> training) {

    /** Sets the saved values (defaults as defaults) on a fresh instance. */
    void applyTo(Params instance) {
      apply(instance, defaultParamMap, true);
      apply(instance, paramMap, false);
    }

    private static void apply(Params instance, JsonNode values, boolean defaults) {
      if (values == null) {
        return;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!instance.hasParam(e.getKey())) {
          continue; // a parameter of another version: ignored, as Spark's reader does for defaults
        }
        @SuppressWarnings("unchecked")
        Param<Object> param = (Param<Object>) instance.getParam(e.getKey());
        Object value = param.jsonDecode(e.getValue().toString());
        if (defaults) {
          instance.setDefault(param, value);
        } else {
          instance.set(param, value);
        }
      }
    }
  }

  static Metadata loadMetadata(String path, SparkContext sc, Class<?> expected) {
    Path file = new Path(new Path(path, METADATA), "part-00000");
    try {
      FileSystem fs = file.getFileSystem(sc.hadoopConfiguration());
      if (!fs.exists(file)) {
        throw new IllegalArgumentException("no " + expected.getSimpleName() + " saved in " + path + " ("
            + METADATA + "/part-00000 missing)");
      }
      JsonNode json;
      try (InputStream in = fs.open(file)) {
        json = JSON.readTree(in);
      }
      String className = json.path("class").asText();
      if (!className.equals(expected.getName())) {
        throw new IllegalArgumentException(path + " holds a " + className + ", not a " + expected.getName());
      }
      Map<String, Object> training = json.has(TRAINING)
          ? JSON.convertValue(json.get(TRAINING), new TypeReference<LinkedHashMap<String, Object>>() {})
          : new LinkedHashMap<>();
      return new Metadata(className, json.path("uid").asText(), json.get("paramMap"), json.get("defaultParamMap"),
          training);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the metadata under " + path, e);
    }
  }
}
