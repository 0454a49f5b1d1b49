package io.newslens.faults;

import static io.newslens.SharedSpark.spark;
import static org.junit.jupiter.api.Assertions.*;

import io.newslens.cli.NewsLens;
import io.newslens.common.TableStore;
import io.newslens.common.Tables;
import io.newslens.common.Tables.Table;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the fault tests share: a tiny corpus of every input kind (JSON Lines with an exact
 * duplicate, a text folder with a sidecar), the options of a short run over it, one clean
 * reference run in the shared session, and child JVMs with the test classpath.
 */
public final class FaultFixtures {
  private FaultFixtures() {}

  private static Path root;
  private static Path corpus;

  /**
   * Where the fault tests write. In a Maven build: {@link #KEPT}, emptied first and left in place
   * with the build's id beside the clean run (ClusterRunIT compares the cluster's run with it);
   * elsewhere a temporary folder, deleted when the JVM ends.
   */
  static synchronized Path root() {
    if (root == null) {
      try {
        if (BUILD_ID.isEmpty()) {
          root = Files.createTempDirectory("newslens-faults-");
          Path dir = root;
          Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        } else {
          deleteTree(KEPT);
          root = Files.createDirectories(KEPT);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return root;
  }

  /** The Maven invocation's id (the pom's surefire configuration), empty outside Maven. */
  static final String BUILD_ID = System.getProperty("newslens.build.id", "").replaceFirst("^\\$\\{.*", "");
  /** The fault tests' folder in a Maven build: the corpus, {@code partitions-4} and {@link #REFERENCE_BUILD}. */
  public static final Path KEPT = Path.of("target", "faults").toAbsolutePath();
  /** Holds the build id once the clean run of {@link #reference()} is complete. */
  public static final String REFERENCE_BUILD = "reference-build";
  /** The clean run's output in {@link #KEPT}, complete once {@link #REFERENCE_BUILD} is there. */
  public static final Path KEPT_REFERENCE = KEPT.resolve("partitions-4");
  /** The corpus of the fault tests in {@link #KEPT}. */
  public static final Path KEPT_CORPUS = KEPT.resolve("corpus");
  /** The options of {@link #runArgs} but input and output. */
  public static final List<String> RUN_OPTIONS = List.of("--topics", "4", "--iterations", "40", "--min-df", "2");

  /**
   * Three speeches (entities, topics) and thirty Europarl paragraphs in several languages, with one
   * of them again under another id (a duplicate for clean), two bad records, plus the sample
   * article's text folder.
   */
  static synchronized Path corpus() {
    if (corpus == null) {
      try {
        Path dir = Files.createDirectories(root().resolve("corpus"));
        List<String> lines = new ArrayList<>(Files.readAllLines(Path.of("data/sotu-sample.jsonl")).subList(0, 3));
        List<String> europarl = Files.readAllLines(Path.of("data/europarl-sample.jsonl")).subList(0, 30);
        lines.addAll(europarl);
        lines.add(europarl.get(3).replaceFirst("\"id\":\"[^\"]+\"", "\"id\":\"copy-of-3\""));
        // Rejects late in the file, so that with several byte ranges their file:line comes from
        // a range other than the first: a broken line, and an id seen before (the first wins).
        lines.add("{\"id\":\"broken\",\"date\":\"2004-01-01\",\"text\":\"unterminated");
        lines.add(europarl.get(5).replaceFirst("\"text\":\"", "\"text\":\"Another text under an old id. "));
        Files.write(dir.resolve("news.jsonl"), lines);
        Path text = Files.createDirectories(dir.resolve("pages"));
        for (File file : new File("data/sample-article").listFiles()) {
          Files.copy(file.toPath(), text.resolve(file.getName()));
        }
        corpus = dir;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return corpus;
  }

  /** A short run of every stage: few topics and sweeps, a vocabulary small corpora can fill. */
  static String[] runArgs(Path input, Path output) {
    List<String> args = new ArrayList<>(List.of("run", "--input", input.toString(), "--output", output.toString()));
    args.addAll(RUN_OPTIONS);
    return args.toArray(String[]::new);
  }

  /** The clean run every faulty run is compared with: 4 partitions (see {@link #partitionedRun}). */
  static synchronized Path reference() {
    Path out = partitionedRun(4);
    if (!BUILD_ID.isEmpty() && !Files.exists(root().resolve(REFERENCE_BUILD))) {
      try {
        Files.writeString(root().resolve(REFERENCE_BUILD), BUILD_ID);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /** The settings of {@link #partitionedRun} for a child JVM, as system properties. */
  static List<String> partitionProperties(int n) {
    try {
      return List.of("-Dspark.sql.shuffle.partitions=" + n, "-Dspark.default.parallelism=" + n,
          "-Dspark.newslens.ingest.splitBytes=" + (1 + Files.size(corpus().resolve("news.jsonl")) / n));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Refuses every connection to another machine during the partitioned runs (see NoNetworkTest). */
  static final RefusingProxySelector OFFLINE = new RefusingProxySelector();
  private static final java.util.Map<Integer, Path> PARTITIONED = new java.util.HashMap<>();

  /**
   * The run of the corpus in the shared session with {@code n} partitions everywhere a count is
   * chosen: shuffles ({@code spark.sql.shuffle.partitions}), the default parallelism (which
   * also sizes ingest's byte ranges, the stages' spreading and the sampler) and ingest's byte
   * ranges themselves; with the network refused. The settings are put back afterwards.
   */
  static synchronized Path partitionedRun(int n) {
    return PARTITIONED.computeIfAbsent(n, partitions -> {
      Path out = root().resolve("partitions-" + partitions);
      var conf = spark().conf();
      var contextConf = spark().sparkContext().conf(); // what defaultParallelism reads, each time
      String shuffle = conf.get("spark.sql.shuffle.partitions");
      try {
        long bytes = Files.size(corpus().resolve("news.jsonl"));
        conf.set("spark.sql.shuffle.partitions", partitions);
        contextConf.set("spark.default.parallelism", String.valueOf(partitions));
        conf.set("spark.newslens.ingest.splitBytes", 1 + bytes / partitions);
        assertEquals(partitions, spark().sparkContext().defaultParallelism());
        int code = OFFLINE.during(() -> NewsLens.execute(runArgs(corpus(), out)));
        assertEquals(0, code, "the run with " + partitions + " partitions");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        conf.set("spark.sql.shuffle.partitions", shuffle);
        contextConf.remove("spark.default.parallelism");
        conf.unset("spark.newslens.ingest.splitBytes");
      }
      return out;
    });
  }

  static Dataset<Row> table(Path output, String name) {
    return spark().read().parquet(output.resolve(name).toString());
  }

  /** Every table, and the model's word probabilities, hold exactly the same rows in both outputs. */
  static void assertSameRows(Path expected, Path actual) {
    List<String> names = new ArrayList<>(Tables.ALL.stream().map(Table::name).toList());
    names.add("model/topic_word");
    for (String name : names) {
      assertSameRowsOf(expected, actual, name);
    }
    assertTrue(table(expected, Tables.ARTICLES.name()).count() > 30, "the corpus was read");
    assertEquals(2, table(expected, Tables.REJECTS.name()).count(), "the bad records were rejected");
    assertTrue(table(expected, Tables.ENTITY_PAIRS.name()).count() > 0, "entities were paired");
    assertTrue(table(expected, Tables.TOPIC_TERMS.name()).count() > 0, "topics were fitted");
  }

  /**
   * The same multiset of rows, in one query per table; a failure shows up to five differing
   * rows, each marked {@code missing} (in {@code expected} only) or {@code extra} (in
   * {@code actual} only).
   */
  static void assertSameRowsOf(Path expected, Path actual, String name) {
    Dataset<Row> a = table(expected, name);
    Dataset<Row> b = table(actual, name);
    List<Row> differing = a.exceptAll(b).withColumn("_side", org.apache.spark.sql.functions.lit("missing"))
        .union(b.exceptAll(a).withColumn("_side", org.apache.spark.sql.functions.lit("extra")))
        .limit(5).collectAsList();
    assertEquals(List.of(), differing, name + ": rows of the clean run missing, or not in it");
  }

  static boolean complete(Path output, Table table) {
    return Files.isRegularFile(output.resolve(table.name()).resolve(TableStore.MARKER));
  }

  /**
   * A child JVM running the command line with this test JVM's classpath and Java flags (Spark's
   * --add-opens), and the given system properties ({@code spark.*} ones reach Spark's conf).
   */
  static ProcessBuilder child(List<String> properties, Path log, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (flag.startsWith("--add-opens") || flag.startsWith("-XX:+IgnoreUnrecognized")
          || flag.startsWith("-Djdk.reflect")) {
        command.add(flag);
      }
    }
    command.add("-Xmx1g");
    command.add("-Dspark.driver.host=127.0.0.1");
    command.add("-Dspark.ui.enabled=false");
    command.add("-Dlog4j2.configurationFile=" + Path.of("jobs/log4j2.properties").toAbsolutePath());
    command.addAll(properties);
    command.add("-cp");
    command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    command.add("io.newslens.cli.NewsLens");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return builder;
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary folder left behind is not worth failing a test for
    }
  }
}
