package io.newslens.cluster;

import static io.newslens.SharedSpark.spark;
import static org.junit.jupiter.api.Assertions.*;

import io.newslens.cli.NewsLens;
import io.newslens.common.Tables;
import io.newslens.common.Tables.Table;
import io.newslens.faults.FaultFixtures;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cluster path, in {@code mvn verify}: the pipeline submitted through {@code jobs/submit.sh}
 * to a real Spark standalone cluster (a master and two 1-core workers from Maven's Spark jars,
 * started, checked and stopped by {@code bench/cluster-smoke.sh}), and the same input run
 * locally; every table of both outputs then holds the same rows, cell for cell. In
 * {@code mvn verify} the local run is the fault tests' clean run of the same build (their
 * corpus, options and shared-session settings: FaultFixtures keeps it in {@code target/faults}
 * with the build's id); run alone, this test makes its own corpus and local run.
 *
 * <p>Runs in the integration-test phase (surefire's {@code cluster-it} execution in the pom),
 * after {@code package}, so the cluster jar it submits is the one just built; elsewhere it is
 * skipped. {@code -Dnewslens.cluster.skip=true} leaves it out. Its files stay in
 * {@code target/cluster-it/} (the script's log, the cluster's logs when it failed, both outputs);
 * {@code -Dnewslens.cluster.reuse=true} compares the cluster output there with a new local run.
 *
 * <p>The cluster's processes stop on every exit path: the script's trap stops the master, the
 * workers (with their executors) and the driver when it ends, fails or is signalled; this test
 * signals it when it overruns {@link #BOUND_MINUTES}, is interrupted (JUnit's timeout) or its JVM
 * shuts down, and then kills whatever is left of the tree it had started; and the script stops
 * by itself when this JVM is gone, even after a SIGKILL ({@code NEWSLENS_SMOKE_WATCH_PID}).
 */
class ClusterRunIT {

  /** The whole script: cluster start, the run, its checks. Far above its minutes, also on a loaded machine. */
  static final long BOUND_MINUTES = 30;

  /**
   * The fault tests' options (few topics, sweeps, a vocabulary a small corpus fills), so that
   * their clean run can stand for the local run: the cluster is here to be compared with.
   */
  static final List<String> RUN_OPTIONS = FaultFixtures.RUN_OPTIONS;

  /**
   * Spark options of the cluster run. Shuffles get another partition count than the local run's
   * (4, SharedSpark): the rows must not depend on it.
   */
  static final List<String> SPARK_OPTIONS = List.of("--conf", "spark.sql.shuffle.partitions=3");

  @Test
  @Timeout(value = BOUND_MINUTES + 10, unit = TimeUnit.MINUTES) // a hang guard only
  void theClusterRunWritesTheLocalRunsRows() throws Exception {
    Assumptions.assumeTrue(Boolean.getBoolean("newslens.cluster.it"),
        "runs in mvn verify's integration-test phase, after the cluster jar is built");
    spark(); // the local run below gets SharedSpark's session and settings
    Path root = Path.of("target", "cluster-it").toAbsolutePath();
    Path input = root.resolve("input");
    Path clusterOut = root.resolve("cluster-out");
    Path localOut = root.resolve("local-out");
    // In mvn verify the fault tests' clean run of this build is the local run, on their corpus:
    // the same pipeline, options and shared session settings, without running it again.
    boolean faultReference = referenceOfThisBuild();
    if (faultReference) {
      input = FaultFixtures.KEPT_CORPUS;
      localOut = FaultFixtures.KEPT_REFERENCE;
    }
    long start = System.nanoTime();
    if (Boolean.getBoolean("newslens.cluster.reuse")) {
      // while working on the comparison: the input and cluster output of the previous run
      if (!faultReference) {
        deleteTree(localOut);
      }
      deleteTree(root.resolve("cluster-out-one-cell-changed"));
    } else {
      deleteTree(root);
      Files.createDirectories(root);
      if (!faultReference) {
        corpus(input);
      }
      ClusterScript.run(root.resolve("cluster-smoke.log"), BOUND_MINUTES, input, clusterOut, SPARK_OPTIONS, RUN_OPTIONS);
    }
    long clusterSeconds = (System.nanoTime() - start) / 1_000_000_000;

    start = System.nanoTime();
    if (faultReference) {
      assertEquals(parameters(localOut), parameters(clusterOut), "the fault tests' run has the cluster run's options");
    } else {
      List<String> local = new ArrayList<>(List.of("run", "--input", input.toString(), "--output", localOut.toString()));
      local.addAll(RUN_OPTIONS);
      assertEquals(0, NewsLens.execute(local.toArray(String[]::new)), "the local run");
    }
    long localSeconds = (System.nanoTime() - start) / 1_000_000_000;

    // the comparison compares something: every table has rows (the rejects included)
    for (Table table : Tables.ALL) {
      assertTrue(TableComparison.read(localOut, table.name()).count() > 0, table.name() + " is empty");
    }
    List<String> differences = TableComparison.compareOutputs(localOut, clusterOut);
    System.out.printf("cluster-it: script %s, local run %s%n", Boolean.getBoolean("newslens.cluster.reuse")
        ? "not run (reused its output)" : clusterSeconds + " s (cluster start, run, checks, stop)",
        faultReference ? "the fault tests' clean run of this build, " + localOut : localSeconds + " s");
    assertEquals(List.of(), differences, "the cluster run differs from the local run");

    // ... and it has teeth: one cell changed in a copy of a cluster table is found, and named
    Path changed = root.resolve("cluster-out-one-cell-changed");
    String name = Tables.DOC_TOPICS.name();
    Dataset<Row> docTopics = TableComparison.read(clusterOut, name).cache();
    Row first = docTopics.orderBy("doc_id", "topic").first();
    Dataset<Row> oneCell = docTopics.withColumn("weight", functions.when(
        functions.col("doc_id").equalTo(first.getAs("doc_id")).and(functions.col("topic").equalTo(first.getAs("topic"))),
        functions.col("weight").plus(1e-12)).otherwise(functions.col("weight")));
    oneCell.write().mode(SaveMode.ErrorIfExists).parquet(changed.resolve(name).toString());
    docTopics.unpersist();
    List<String> found = TableComparison.compare(name, TableComparison.read(localOut, name),
        TableComparison.read(changed, name), TableComparison.TOLERANT.getOrDefault(name, java.util.Map.of()));
    assertEquals(2, found.size(), found.toString()); // the summary and the row
    assertTrue(found.get(1).startsWith(name + ": row differs in weight: expected "), found.toString());
  }

  /** Whether the fault tests wrote their clean run in this Maven invocation (FaultFixtures). */
  static boolean referenceOfThisBuild() throws IOException {
    String build = System.getProperty("newslens.build.id", "");
    Path stamp = FaultFixtures.KEPT.resolve(FaultFixtures.REFERENCE_BUILD);
    return !build.isEmpty() && !build.startsWith("${") && Files.isRegularFile(stamp)
        && Files.readString(stamp).equals(build);
  }

  /** The run's options from its manifest, but where it read and wrote. */
  static java.util.Map<String, String> parameters(Path output) throws IOException {
    var parameters = new com.fasterxml.jackson.databind.ObjectMapper().readTree(output.resolve("manifest.json").toFile())
        .get("parameters");
    java.util.Map<String, String> kept = new java.util.TreeMap<>();
    parameters.fields().forEachRemaining(field -> {
      if (!List.of("input", "output").contains(field.getKey())) {
        kept.put(field.getKey(), field.getValue().toString());
      }
    });
    return kept;
  }

  /**
   * About 50 articles with every kind of row: long speeches and short debates (topics, entities
   * and pairs), other languages, an article under two ids (a duplicate), two bad records (rejects)
   * and the sample article's text folder with its sidecar. Small: a run this size costs what
   * Spark's jobs and tasks cost, whatever the rows.
   */
  static Path corpus(Path dir) throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(Path.of("data/sotu-sample.jsonl")).subList(0, 4));
    List<String> europarl = Files.readAllLines(Path.of("data/europarl-sample.jsonl")).subList(0, 40);
    lines.addAll(europarl);
    lines.add(europarl.get(3).replaceFirst("\"id\":\"[^\"]+\"", "\"id\":\"copy-of-3\""));
    lines.add("{\"id\":\"broken\",\"date\":\"2004-01-01\",\"text\":\"unterminated");
    lines.add("{\"id\":\"no-date\",\"text\":\"A record without its date.\"}");
    Files.createDirectories(dir);
    Files.write(dir.resolve("news.jsonl"), lines, StandardCharsets.UTF_8);
    Path pages = Files.createDirectories(dir.resolve("pages"));
    for (File file : new File("data/sample-article").listFiles()) {
      Files.copy(file.toPath(), pages.resolve(file.getName()));
    }
    return dir;
  }

  static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }
}
