package io.newslens.bench;

import static io.newslens.common.Tables.*;
import static org.apache.spark.sql.functions.*;

import cc.mallet.topics.ParallelTopicModel;
import cc.mallet.topics.TopicAssignment;
import cc.mallet.types.Alphabet;
import cc.mallet.types.FeatureSequence;
import cc.mallet.types.IDSorter;
import cc.mallet.types.Instance;
import cc.mallet.types.InstanceList;
import io.newslens.common.Sessions;
import io.newslens.common.TableStore;
import io.newslens.topics.Coherence;
import io.newslens.topics.GibbsLDAModel;
import io.newslens.topics.Topics;
import io.newslens.topics.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The topic-model benchmark (bench/topics/run.sh): newslens topics (gibbs, MLlib em and online)
 * and MALLET's ParallelTopicModel (2 threads and 1 thread) on the same documents, the same
 * vocabulary and the same K, in one JVM. For each: wall seconds, mean NPMI of the top-10 terms
 * ({@link Coherence#of} over the same document term arrays) and the fraction of top-10 terms
 * that are not readable corpus words.
 *
 * <pre>
 * TopicBench --tables DIR --summary FILE [--k 20] [--seed 42] [--mallet-timeout 300]
 *            [--systems gibbs,em,online,mallet2,mallet1] [--variants spp=10,spp=1000,partitions=1,alpha=0.1,seed=7]
 *            [--mallet-seeds 7,13] [--mallet2-attempts 3]
 *  variants also take beta=0.05, it=200 (sweeps), sample=500000 (--train-sample), k=100;
 *  combine with +: spp=10+seed=7
 * </pre>
 */
public final class TopicBench {
  private static final int TOP = Topics.COHERENCE_TERMS; // 10
  private static final int MIN_DF = 5;
  private static final double MAX_DF = 0.5;
  private static final int VOCAB_SIZE = 50_000;
  /** MALLET's usual starting beta (it optimises it); newslens runs with its own default. */
  private static final double BETA = 0.01;
  private static final double MALLET_ALPHA_SUM = 5.0;

  record Outcome(String system, String settings, double wallSeconds, Double trainSeconds, double meanNpmi,
      Double stageNpmi, double unreadableShown, double unreadableRaw, String note,
      Map<Integer, List<String>> topStems) {}

  private final SparkSession spark;
  private final Dataset<Row> tokens;
  private final Dataset<Row> termForms;
  private final Dataset<Row> documents;
  private final Map<String, String> surface = new HashMap<>();
  private final Set<String> corpusWords = new HashSet<>();
  private final List<String> vocab = new ArrayList<>();
  private final int k;
  private final long seed;

  /** The same prepared inputs with another seed. */
  private TopicBench(SparkSession spark, String tables, int k, long seed, TopicBench prepared) {
    this.spark = spark;
    this.k = k;
    this.seed = seed;
    tokens = prepared.tokens;
    termForms = prepared.termForms;
    documents = prepared.documents;
    surface.putAll(prepared.surface);
    corpusWords.addAll(prepared.corpusWords);
    vocab.addAll(prepared.vocab);
  }

  TopicBench(SparkSession spark, String tables, int k, long seed) {
    this.spark = spark;
    this.k = k;
    this.seed = seed;
    TableStore store = new TableStore(spark, tables);
    tokens = store.read(TOKENS_TABLE).persist(StorageLevel.MEMORY_AND_DISK());
    termForms = store.read(TERM_FORMS).persist(StorageLevel.MEMORY_AND_DISK());
    documents = Vocabulary.documentTerms(tokens).persist(StorageLevel.MEMORY_AND_DISK());
    termForms.select(TERM, SURFACE).collectAsList().forEach(r -> surface.put(r.getString(0), r.getString(1)));
    tokens.select(explode(col(TOKENS)).as("w")).distinct().collectAsList().forEach(r -> corpusWords.add(r.getString(0)));
    Vocabulary.build(documents, MIN_DF, MAX_DF, VOCAB_SIZE).orderBy("id").collectAsList()
        .forEach(r -> vocab.add(r.getString(0)));
  }

  static Topics.Options options(int k, long seed, String optimizer, int iterations, int partitions, int sweepsPerSync,
      Double alpha) {
    return options(k, seed, optimizer, iterations, partitions, sweepsPerSync, alpha, Topics.DEFAULT_BETA,
        Topics.DEFAULT_TRAIN_SAMPLE);
  }

  static Topics.Options options(int k, long seed, String optimizer, int iterations, int partitions, int sweepsPerSync,
      Double alpha, double beta, long trainSample) {
    return options(k, seed, optimizer, iterations, partitions, sweepsPerSync, alpha, beta, trainSample,
        Topics.DEFAULT_OPTIMIZE_INTERVAL, -1);
  }

  static Topics.Options options(int k, long seed, String optimizer, int iterations, int partitions, int sweepsPerSync,
      Double alpha, double beta, long trainSample, int optimizeInterval, int optimizeBurnIn) {
    return new Topics.Options(List.of(k), iterations, seed, optimizer, MIN_DF, MAX_DF, VOCAB_SIZE, alpha, beta,
        partitions, sweepsPerSync, trainSample, optimizeInterval, optimizeBurnIn);
  }

  /** One newslens topics run, timed from Topics.apply to its metrics (what the CLI stage does before writing). */
  /** CPU seconds of this JVM (all threads): under a shared machine's load, steadier than wall time. */
  static double cpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e9;
  }

  Outcome newslens(String system, Topics.Options options) {
    long started = System.nanoTime();
    double cpuStarted = cpuSeconds();
    Topics.Result result = Topics.apply(tokens, termForms, options);
    double wall = (System.nanoTime() - started) / 1e9;
    double cpu = cpuSeconds() - cpuStarted;
    try {
      GibbsLDAModel model = result.model();
      Map<Integer, List<String>> top = topOf(model);
      Map<String, Object> m = result.metrics();
      String settings = options.optimizer() + ", " + options.iterations() + " iterations";
      if (options.optimizer().equals("gibbs")) {
        GibbsLDAModel.Summary fitted = model.summary();
        double[] alpha = model.estimatedDocConcentration().toArray(); // learnt, or the starting one
        settings += ", K " + m.get("k") + ", sweeps/sync " + fitted.sweepsPerSync()
            + ", partitions " + fitted.partitions()
            + ", alpha sum " + fmt(java.util.Arrays.stream(alpha).sum(), 3)
            + " (max " + fmt(java.util.Arrays.stream(alpha).max().orElse(0), 3)
            + ", min " + fmt(java.util.Arrays.stream(alpha).min().orElse(0), 3) + ")"
            + ", beta " + fmt(model.estimatedTopicConcentration(), 4)
            + ", optimize interval " + model.getOptimizeInterval()
            + " (burn-in " + fitted.optimizeBurnIn() + ")"
            + ", train sample " + options.trainSample() + " (" + m.get("train_tokens") + " tokens)"
            + ", sampling " + m.get("sample_seconds") + " s in " + m.get("sync_rounds") + " rounds"
            + ", log perplexity " + fmt(((Number) m.get("log_perplexity")).doubleValue(), 4);
      }
      settings += ", JVM CPU " + fmt(cpu, 1) + " s";
      return score(system, settings, wall, ((Number) result.metrics().get("train_seconds")).doubleValue(),
          (Double) result.metrics().get("mean_npmi"), "", top);
    } finally {
      result.release();
    }
  }

  /**
   * Top terms by the model's word probability (ties: term), as Topics ranks them for its NPMI:
   * {@link GibbsLDAModel#describeTopics(int)} ranks with the same method.
   */
  private Map<Integer, List<String>> topOf(GibbsLDAModel model) {
    Map<Integer, List<String>> top = new LinkedHashMap<>();
    model.describeTopics(TOP).orderBy("topic").collectAsList()
        .forEach(r -> top.put(r.getInt(r.fieldIndex("topic")), List.copyOf(r.<String>getList(r.fieldIndex("terms")))));
    return top;
  }

  /** MALLET on exactly the documents and vocabulary ids newslens uses. */
  Outcome mallet(String system, int threads, int iterations, int timeoutSeconds) throws Exception {
    Alphabet alphabet = new Alphabet();
    Map<String, Integer> ids = new HashMap<>();
    for (String term : vocab) {
      ids.put(term, alphabet.lookupIndex(term, true));
    }
    alphabet.stopGrowth();
    InstanceList instances = new InstanceList(alphabet, null);
    List<Row> docs = documents.select(DOC_ID, TERMS).orderBy(DOC_ID).collectAsList();
    long tokenCount = 0;
    for (Row doc : docs) {
      List<String> terms = doc.getList(1);
      int[] words = terms.stream().filter(ids::containsKey).mapToInt(ids::get).toArray();
      if (words.length == 0) {
        continue; // as Topics does
      }
      tokenCount += words.length;
      instances.add(new Instance(new FeatureSequence(alphabet, words), null, doc.getString(0), null));
    }
    ParallelTopicModel model = new ParallelTopicModel(k, MALLET_ALPHA_SUM, BETA);
    model.setNumIterations(iterations);
    model.setOptimizeInterval(10);
    model.setRandomSeed((int) seed);
    model.setNumThreads(threads);
    model.setTopicDisplay(0, 0); // no topic printing inside the timed loop
    model.addInstances(instances); // random initialisation: part of instance building, not timed
    String settings = threads + " thread" + (threads > 1 ? "s" : "") + ", " + iterations
        + " iterations, alphaSum " + MALLET_ALPHA_SUM + ", beta " + BETA + ", optimize every 10 (burn-in 200), seed " + seed
        + ", " + instances.size() + " docs, " + tokenCount + " tokens, V=" + alphabet.size();

    ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "mallet-" + threads);
      t.setDaemon(true);
      return t;
    });
    long started = System.nanoTime();
    double cpuStarted = cpuSeconds();
    Future<?> done = runner.submit(() -> {
      model.estimate();
      return null;
    });
    String note = "";
    try {
      done.get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      done.cancel(true);
      note = "TIMED OUT after " + timeoutSeconds + " s (hang)";
    } catch (java.util.concurrent.ExecutionException e) {
      note = "FAILED: " + e.getCause();
    }
    double wall = (System.nanoTime() - started) / 1e9;
    double cpu = cpuSeconds() - cpuStarted;
    runner.shutdownNow();
    if (!note.isEmpty()) {
      System.out.println(system + ": " + note);
      return new Outcome(system, settings, wall, null, Double.NaN, null, Double.NaN, Double.NaN, note, Map.of());
    }
    note = consistency(model, tokenCount) + String.format(Locale.ROOT, "; optimised alphaSum %.3f, beta %.4f; JVM CPU %.1f s",
        model.alphaSum, model.beta, cpu);
    Map<Integer, List<String>> top = new LinkedHashMap<>();
    List<TreeSet<IDSorter>> sorted = model.getSortedWords();
    for (int t = 0; t < k; t++) {
      List<String> words = new ArrayList<>();
      Iterator<IDSorter> it = sorted.get(t).iterator();
      while (it.hasNext() && words.size() < TOP) {
        words.add((String) alphabet.lookupObject(it.next().getID()));
      }
      top.put(t, words);
    }
    return score(system, settings, wall, wall, null, note, top);
  }

  /** MALLET 2.0.8's threads can race: check the counts against the assignments. */
  private String consistency(ParallelTopicModel model, long tokenCount) {
    long[] fromAssignments = new long[k];
    for (TopicAssignment a : model.getData()) {
      for (int topic : a.topicSequence.getFeatures()) {
        fromAssignments[topic]++;
      }
    }
    long total = 0;
    boolean same = true;
    for (int t = 0; t < k; t++) {
      total += model.tokensPerTopic[t];
      same &= fromAssignments[t] == model.tokensPerTopic[t];
    }
    return total == tokenCount && same ? "counts consistent"
        : "COUNTS CORRUPTED (tokensPerTopic sum " + total + " vs " + tokenCount + " tokens, per-topic match " + same + ")";
  }

  private Outcome score(String system, String settings, double wall, Double train, Double stageNpmi, String note,
      Map<Integer, List<String>> topStems) {
    Map<Integer, Coherence.Scores> scores = Coherence.of(documents, topStems);
    double npmi = scores.values().stream().mapToDouble(Coherence.Scores::npmi).average().orElse(Double.NaN);
    int shown = 0;
    int unreadableShown = 0;
    int unreadableRaw = 0;
    for (List<String> terms : topStems.values()) {
      for (String stem : terms) {
        shown++;
        unreadableShown += readable(surface.getOrDefault(stem, stem)) ? 0 : 1;
        unreadableRaw += readable(stem) ? 0 : 1;
      }
    }
    Outcome o = new Outcome(system, settings, wall, train, npmi, stageNpmi, (double) unreadableShown / shown,
        (double) unreadableRaw / shown, note, topStems);
    System.out.printf(Locale.ROOT, "%s: wall %.1f s, mean NPMI %.4f, unreadable %.3f (raw %.3f) %s%n", system, wall, npmi,
        o.unreadableShown(), o.unreadableRaw(), note);
    return o;
  }

  /** Readable: every word of the term as shown (a phrase has two) occurs in the corpus tokens. */
  private boolean readable(String shown) {
    for (String word : shown.split(" ")) {
      if (!corpusWords.contains(word)) {
        return false;
      }
    }
    return true;
  }

  static String fmt(double v, int digits) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%." + digits + "f", v);
  }

  String table(List<Outcome> outcomes) {
    StringBuilder s = new StringBuilder();
    s.append("| system | settings | wall s | train s | mean NPMI top-10 | unreadable top-10 (as shown) | unreadable top-10 (raw terms) | notes |\n");
    s.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
    for (Outcome o : outcomes) {
      s.append("| ").append(o.system()).append(" | ").append(o.settings()).append(" | ").append(fmt(o.wallSeconds(), 1))
          .append(" | ").append(o.trainSeconds() == null ? "" : fmt(o.trainSeconds(), 1))
          .append(" | ").append(fmt(o.meanNpmi(), 4))
          .append(" | ").append(fmt(o.unreadableShown(), 3))
          .append(" | ").append(fmt(o.unreadableRaw(), 3))
          .append(" | ").append(o.note())
          .append(o.stageNpmi() != null ? (o.note().isEmpty() ? "" : "; ") + "stage's own mean_npmi " + fmt(o.stageNpmi(), 4) : "")
          .append(" |\n");
    }
    return s.toString();
  }

  String ratios(List<Outcome> outcomes) {
    Map<String, Outcome> by = new LinkedHashMap<>();
    outcomes.forEach(o -> by.put(o.system(), o));
    StringBuilder s = new StringBuilder("| ratio | wall time | mean NPMI |\n| --- | ---: | ---: |\n");
    List<String> ourSystems = new ArrayList<>(List.of("newslens gibbs", "MLlib em", "MLlib online"));
    by.keySet().stream().filter(x -> x.startsWith("gibbs ")).forEach(ourSystems::add);
    for (String ours : ourSystems) {
      for (String ref : List.of("MALLET 2 threads", "MALLET 1 thread")) {
        Outcome a = by.get(ours);
        Outcome b = by.get(ref);
        if (b == null && a != null) {
          continue; // that reference did not run
        }
        if (a == null || b == null || Double.isNaN(b.meanNpmi())) {
          s.append("| ").append(ours).append(" / ").append(ref).append(" | n/a | n/a |\n");
          continue;
        }
        s.append("| ").append(ours).append(" / ").append(ref).append(" | ")
            .append(fmt(a.wallSeconds() / b.wallSeconds(), 2)).append(" | ")
            .append(fmt(a.meanNpmi() / b.meanNpmi(), 2)).append(" |\n");
      }
    }
    return s.toString();
  }

  String topics(List<Outcome> outcomes) {
    StringBuilder s = new StringBuilder();
    for (Outcome o : outcomes) {
      s.append("\n### ").append(o.system()).append(" (").append(o.settings()).append(")\n\n");
      o.topStems().forEach((t, terms) -> s.append(t).append(": ")
          .append(String.join(", ", terms.stream().map(x -> surface.getOrDefault(x, x)).toList()))
          .append("   [raw: ").append(String.join(", ", terms)).append("]\n"));
    }
    return s.toString();
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    String tables = a.get("tables");
    Path summary = Path.of(a.getOrDefault("summary", "bench/results/topics/summary.md"));
    int k = Integer.parseInt(a.getOrDefault("k", "20"));
    long seed = Long.parseLong(a.getOrDefault("seed", "42"));
    int timeout = Integer.parseInt(a.getOrDefault("mallet-timeout", "300"));
    List<String> systems = List.of(a.getOrDefault("systems", "gibbs,em,online,mallet2,mallet1").split(","));
    String variants = a.getOrDefault("variants", "");
    Logger.getLogger("cc.mallet").setLevel(Level.WARNING);

    SparkSession spark = Sessions.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    long prepStarted = System.nanoTime();
    TopicBench bench = new TopicBench(spark, tables, k, seed);
    System.out.printf(Locale.ROOT, "prepared (untimed): %d documents, V=%d, %d corpus words, %.1f s%n",
        bench.documents.count(), bench.vocab.size(), bench.corpusWords.size(), (System.nanoTime() - prepStarted) / 1e9);

    List<Outcome> outcomes = new ArrayList<>();
    for (String system : systems) {
      switch (system.trim()) {
        case "" -> { }
        case "gibbs" -> outcomes.add(bench.newslens("newslens gibbs",
            options(k, seed, "gibbs", 0, 0, 0, null)));
        case "em" -> outcomes.add(bench.newslens("MLlib em", options(k, seed, "em", 50, 0, 0, null)));
        case "online" -> outcomes.add(bench.newslens("MLlib online", options(k, seed, "online", 100, 0, 0, null)));
        case "mallet2" -> {
          // 2.0.8's 2-thread estimate() races: retry up to --mallet2-attempts times, report every failure
          int attempts = Integer.parseInt(a.getOrDefault("mallet2-attempts", "3"));
          List<String> failures = new ArrayList<>();
          Outcome o = null;
          for (int i = 1; i <= attempts && (o == null || !o.note().startsWith("counts consistent")); i++) {
            o = bench.mallet("MALLET 2 threads", 2, 1000, timeout);
            if (!o.note().startsWith("counts consistent")) {
              failures.add("attempt " + i + ": " + o.note() + " after " + fmt(o.wallSeconds(), 1) + " s");
            }
          }
          outcomes.add(failures.isEmpty() ? o : new Outcome(o.system(), o.settings(), o.wallSeconds(), o.trainSeconds(),
              o.meanNpmi(), o.stageNpmi(), o.unreadableShown(), o.unreadableRaw(),
              o.note() + "; " + failures.size() + " of " + (failures.size() + (o.note().startsWith("counts consistent") ? 1 : 0))
                  + " attempts failed: " + String.join("; ", failures), o.topStems()));
        }
        case "mallet1" -> outcomes.add(bench.mallet("MALLET 1 thread", 1, 1000, timeout));
        default -> throw new IllegalArgumentException("unknown system " + system);
      }
    }
    // Investigation: gibbs with other settings, e.g. spp=50 (sweeps per sync), partitions=1, alpha=0.1
    for (String v : variants.isBlank() ? new String[0] : variants.split(",")) {
      outcomes.add(bench.newslens("gibbs " + v, variant(v, k, seed)));
    }
    // The comparison: our defaults (and variants) against MALLET 1 thread, seed by seed
    // in turn, so that both meet the same load; means over the seeds.
    String compareSeeds = a.getOrDefault("compare-seeds", "");
    String comparison = "";
    if (!compareSeeds.isBlank()) {
      List<String> ours = List.of(a.getOrDefault("compare-gibbs", "defaults").split(","));
      Map<String, List<Outcome>> by = new LinkedHashMap<>();
      for (String s : compareSeeds.split(",")) {
        long sd = Long.parseLong(s.trim());
        TopicBench b = new TopicBench(spark, tables, k, sd, bench);
        for (String v : ours) {
          Outcome o = b.newslens("gibbs " + v + " seed=" + sd, v.equals("defaults") ? options(k, sd, "gibbs", 0, 0, 0, null)
              : variant(v + "+seed=" + sd, k, sd));
          outcomes.add(o);
          by.computeIfAbsent("newslens gibbs " + v, x -> new ArrayList<>()).add(o);
        }
        Outcome m = b.mallet("MALLET 1 thread seed=" + sd, 1, 1000, timeout);
        outcomes.add(m);
        by.computeIfAbsent("MALLET 1 thread", x -> new ArrayList<>()).add(m);
      }
      comparison = compare(by, compareSeeds);
      System.out.println(comparison);
    }
    // Seed spread of the reference: MALLET 1 thread with other seeds
    for (String s : a.getOrDefault("mallet-seeds", "").split(",")) {
      if (!s.isBlank()) {
        outcomes.add(new TopicBench(spark, tables, k, Long.parseLong(s.trim()), bench)
            .mallet("MALLET 1 thread seed=" + s.trim(), 1, 1000, timeout));
      }
    }

    String text = (comparison.isEmpty() ? "" : "## Comparison over seeds " + compareSeeds + "\n\n" + comparison + "\n")
        + "## Results\n\n" + bench.table(outcomes) + "\n## Ratios\n\n" + bench.ratios(outcomes)
        + "\nwall s: newslens = Topics.apply (vocabulary, training, top terms, coherence, log-likelihood; tables not written);"
        + " MALLET = estimate() only (instance building and random initialisation excluded). train s: newslens = the stage's"
        + " own train_seconds (vocabulary to theta/phi); MALLET = estimate().\n"
        + "\n## Top-10 terms as shown\n" + bench.topics(outcomes);
    System.out.println();
    System.out.println(bench.table(outcomes));
    System.out.println(bench.ratios(outcomes));
    Files.createDirectories(summary.toAbsolutePath().getParent());
    Files.writeString(summary, text);
    System.out.println("written: " + summary);
    spark.stop();
    System.exit(0); // MALLET worker threads of a timed-out run would keep the JVM alive
  }

  /** Means over seeds of NPMI and wall seconds, and their ratios to MALLET 1 thread's means. */
  static String compare(Map<String, List<Outcome>> by, String seeds) {
    List<Outcome> ref = by.get("MALLET 1 thread");
    double refNpmi = ref.stream().mapToDouble(Outcome::meanNpmi).average().orElse(Double.NaN);
    double refWall = ref.stream().mapToDouble(Outcome::wallSeconds).average().orElse(Double.NaN);
    StringBuilder s = new StringBuilder("| system | mean NPMI per seed (" + seeds + ") | mean NPMI | mean wall s"
        + " | NPMI / MALLET 1 thread | wall / MALLET 1 thread |\n| --- | --- | ---: | ---: | ---: | ---: |\n");
    by.forEach((system, list) -> {
      double npmi = list.stream().mapToDouble(Outcome::meanNpmi).average().orElse(Double.NaN);
      double wall = list.stream().mapToDouble(Outcome::wallSeconds).average().orElse(Double.NaN);
      s.append("| ").append(system).append(" | ")
          .append(String.join(" / ", list.stream().map(o -> fmt(o.meanNpmi(), 4)).toList())).append(" | ")
          .append(fmt(npmi, 4)).append(" | ").append(fmt(wall, 1)).append(" | ")
          .append(fmt(npmi / refNpmi, 3)).append(" | ").append(fmt(wall / refWall, 2)).append(" |\n");
    });
    return s.toString();
  }

  /** A gibbs setting written as key=value pairs joined by +, e.g. spp=10+seed=7+opt=0. */
  static Topics.Options variant(String v, int k, long seed) {
    {
      Map<String, String> kv = new HashMap<>(); // e.g. spp=10+seed=7
      for (String part : v.split("\\+")) {
        kv.put(part.split("=")[0], part.split("=")[1]);
      }
      int spp = Integer.parseInt(kv.getOrDefault("spp", "0"));
      int partitions = Integer.parseInt(kv.getOrDefault("partitions", "0"));
      Double alpha = kv.containsKey("alpha") ? Double.valueOf(kv.get("alpha")) : null;
      long s = Long.parseLong(kv.getOrDefault("seed", String.valueOf(seed)));
      double beta = Double.parseDouble(kv.getOrDefault("beta", String.valueOf(Topics.DEFAULT_BETA)));
      int iterations = Integer.parseInt(kv.getOrDefault("it", "0"));
      int optimizeInterval = Integer.parseInt(kv.getOrDefault("opt", String.valueOf(Topics.DEFAULT_OPTIMIZE_INTERVAL)));
      int burnIn = Integer.parseInt(kv.getOrDefault("burn", "-1"));
      long sample = Long.parseLong(kv.getOrDefault("sample", String.valueOf(Topics.DEFAULT_TRAIN_SAMPLE)));
      int vk = Integer.parseInt(kv.getOrDefault("k", String.valueOf(k)));
      return options(vk, s, "gibbs", iterations, partitions, spp, alpha, beta, sample, optimizeInterval, burnIn);
    }
  }
}
