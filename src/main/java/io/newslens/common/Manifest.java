package io.newslens.common;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * {@code manifest.json} in the output folder: versions, inputs, parameters and, per stage, status,
 * counts and seconds. Running one stage alone updates that stage's entry and keeps the others.
 * Saved when a command starts (which marks the folder as a newslens output), after every stage,
 * and at the end; {@code stages_completed} lists the stages the latest command finished, so a run
 * that dies part-way still records what it did.
 */
public final class Manifest {
  public static final String FILE = "manifest.json";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Map<String, Object> root;

  private Manifest(Map<String, Object> root) {
    this.root = root;
  }

  public static Manifest loadOrCreate(TableStore store) {
    try {
      FileSystem fs = store.fs();
      Path file = new Path(store.root(), FILE);
      if (fs.exists(file)) {
        try (InputStream in = fs.open(file)) {
          return new Manifest(JSON.readValue(in, new TypeReference<LinkedHashMap<String, Object>>() {}));
        }
      }
      return new Manifest(new LinkedHashMap<>());
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + FILE, e);
    }
  }

  public Map<String, Object> asMap() {
    return root;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> section(String name) {
    return (Map<String, Object>) root.computeIfAbsent(name, k -> new LinkedHashMap<String, Object>());
  }

  public void recordRun(SparkSession spark, String command, Map<String, Object> parameters) {
    recordRun(spark, command, parameters, java.util.UUID.randomUUID().toString());
  }

  public void recordRun(SparkSession spark, String command, Map<String, Object> parameters, String runId) {
    root.put("versions", versions(spark));
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("id", runId);
    run.put("command", command);
    run.put("status", "running");
    run.put("started", Instant.now().toString());
    run.put("updated", run.get("started"));
    run.put("master", spark.sparkContext().master());
    run.put("cores", spark.sparkContext().defaultParallelism());
    root.put("run", run);
    root.put("stages_completed", new java.util.ArrayList<String>());
    section("parameters").putAll(parameters);
  }

  /**
   * A stage's entry, tagged with the run that wrote it; a stage that finished (ok or skipped) is
   * added to {@code stages_completed}.
   */
  @SuppressWarnings("unchecked")
  public void recordStage(StageReport report) {
    Map<String, Object> entry = new LinkedHashMap<>(report.toMap());
    Object run = root.get("run");
    if (run instanceof Map<?, ?> r && r.get("id") != null) {
      entry.put("run_id", r.get("id"));
    }
    section("stages").put(report.stage(), entry);
    if (!report.status().equals(StageReport.FAILED)) {
      List<String> completed = (List<String>) root.computeIfAbsent("stages_completed", k -> new java.util.ArrayList<String>());
      completed.remove(report.stage());
      completed.add(report.stage());
    }
  }

  /** The command's outcome: ok, or failed with the error that ended it. */
  @SuppressWarnings("unchecked")
  public void recordOutcome(String status, String error) {
    Map<String, Object> run = (Map<String, Object>) root.computeIfAbsent("run", k -> new LinkedHashMap<String, Object>());
    run.put("status", status);
    Instant now = Instant.now();
    run.put("updated", now.toString());
    if (run.get("started") instanceof String started) {
      run.put("seconds", Math.round(java.time.Duration.between(Instant.parse(started), now).toMillis() / 10.0) / 100.0);
    }
    if (error != null) {
      run.put("error", error);
    } else {
      run.remove("error");
    }
  }

  /**
   * What was read, to tell later whether the same input is still there: each input file or
   * folder (a folder of text files, a Spark Parquet folder) with its format, bytes, number of files
   * and the latest modification time of its files.
   */
  public void recordInputs(Map<String, String> formatOfPath, org.apache.hadoop.conf.Configuration conf) {
    List<Map<String, Object>> inputs = new java.util.ArrayList<>();
    try {
      for (Map.Entry<String, String> input : formatOfPath.entrySet()) {
        Path path = new Path(input.getKey());
        FileSystem fs = path.getFileSystem(conf);
        long bytes = 0;
        long files = 0;
        long modified = 0;
        var listing = fs.listFiles(path, true);
        while (listing.hasNext()) {
          var file = listing.next();
          bytes += file.getLen();
          files++;
          modified = Math.max(modified, file.getModificationTime());
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("path", input.getKey());
        entry.put("format", input.getValue());
        entry.put("bytes", bytes);
        entry.put("files", files);
        entry.put("modified", Instant.ofEpochMilli(modified).toString());
        inputs.add(entry);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not list inputs " + formatOfPath.keySet(), e);
    }
    root.put("inputs", inputs);
    root.put("input_files", listFiles(formatOfPath.keySet(), conf));
  }

  /**
   * Every file under the given input paths with its bytes and modification time (epoch ms): what
   * an appending run compares with {@code input_files} to tell new input from input already read.
   */
  public static List<Map<String, Object>> listFiles(java.util.Collection<String> paths,
      org.apache.hadoop.conf.Configuration conf) {
    List<Map<String, Object>> files = new java.util.ArrayList<>();
    try {
      for (String input : paths) {
        Path path = new Path(input);
        var listing = path.getFileSystem(conf).listFiles(path, true);
        while (listing.hasNext()) {
          var file = listing.next();
          Map<String, Object> entry = new LinkedHashMap<>();
          entry.put("path", file.getPath().toString());
          entry.put("bytes", file.getLen());
          entry.put("modified", file.getModificationTime());
          files.add(entry);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not list inputs " + paths, e);
    }
    return files;
  }

  /** (path, bytes, modified) of every file earlier runs read, as keys of {@link #fileKey}. */
  @SuppressWarnings("unchecked")
  public java.util.Set<String> inputFileKeys() {
    java.util.Set<String> keys = new java.util.HashSet<>();
    if (root.get("input_files") instanceof List<?> files) {
      files.forEach(f -> keys.add(fileKey((Map<String, Object>) f)));
    }
    return keys;
  }

  public static String fileKey(Map<String, Object> file) {
    return file.get("path") + "\t" + file.get("bytes") + "\t" + file.get("modified");
  }

  /** Adds files an appending run read to {@code input_files} (a changed file replaces its entry). */
  @SuppressWarnings("unchecked")
  public void addInputFiles(List<Map<String, Object>> added) {
    Map<Object, Map<String, Object>> byPath = new LinkedHashMap<>();
    if (root.get("input_files") instanceof List<?> files) {
      files.forEach(f -> byPath.put(((Map<String, Object>) f).get("path"), (Map<String, Object>) f));
    }
    added.forEach(f -> byPath.put(f.get("path"), f));
    root.put("input_files", new java.util.ArrayList<>(byPath.values()));
  }

  /** One entry of {@code appends}: what an appending run read and which periods it rewrote. */
  @SuppressWarnings("unchecked")
  public void recordAppend(Map<String, Object> entry) {
    ((List<Object>) root.computeIfAbsent("appends", k -> new java.util.ArrayList<Object>())).add(entry);
  }

  /** The manifest as the bytes {@link #save} writes. */
  public byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void recordTable(String table, String path, long rows) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("path", path);
    entry.put("rows", rows);
    section("tables").put(table, entry);
  }

  public void save(TableStore store) {
    try {
      FileSystem fs = store.fs();
      fs.mkdirs(store.root());
      Path tmp = new Path(store.root(), "_tmp_" + FILE);
      try (OutputStream out = fs.create(tmp, true)) {
        JSON.writeValue(out, root);
      }
      Path file = new Path(store.root(), FILE);
      fs.delete(file, false);
      if (!fs.rename(tmp, file)) {
        throw new IOException("could not rename " + tmp + " to " + file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + FILE, e);
    }
  }

  public static Map<String, Object> versions(SparkSession spark) {
    Map<String, Object> versions = new LinkedHashMap<>();
    versions.put("newslens", newslensVersion());
    versions.put("newslens_commit", newslensCommit());
    versions.put("spark", spark.version());
    versions.put("spark_nlp", com.johnsnowlabs.util.Build.version());
    versions.put("scala", scala.util.Properties.versionNumberString());
    versions.put("java", System.getProperty("java.version"));
    versions.put("hadoop", org.apache.hadoop.util.VersionInfo.getVersion());
    return versions;
  }

  public static String newslensVersion() {
    return buildProperty("version");
  }

  /**
   * The git commit of the code that runs: jobs/newslens passes the checkout's (with "-dirty" for
   * uncommitted changes) as -Dnewslens.commit; the cluster jar has the one it was built from.
   */
  public static String newslensCommit() {
    String commit = System.getProperty("newslens.commit");
    return commit != null && !commit.isBlank() ? commit : buildProperty("commit");
  }

  private static String buildProperty(String key) {
    try (InputStream in = Manifest.class.getResourceAsStream("/newslens/version.properties")) {
      Properties props = new Properties();
      if (in != null) {
        props.load(in);
      }
      String value = props.getProperty(key, "unknown");
      return value.isBlank() || value.startsWith("${") ? "unknown" : value;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
