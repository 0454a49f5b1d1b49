package io.newslens.topics;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.HashPartitioner;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * Collapsed Gibbs sampling for LDA, distributed in the style of AD-LDA (Newman et al., 2009),
 * with the SparseLDA sampler of Yao, Mimno and McCallum (2009), as MALLET's
 * ParallelTopicModel.
 *
 * <p>Why our own: MLlib's online LDA gave junk topics on news-sized corpora and its EM LDA pays a
 * GraphX job per iteration (see README, "topics"); Gibbs sampling is what MALLET, the quality
 * reference, does.
 *
 * <p>Each round, every partition samples its documents for some sweeps against a private copy of
 * the global word-topic counts; then the partitions' own counts are summed by
 * {@code treeAggregate} into one dense V x K array on the driver and broadcast for the next
 * round. Traffic per round is linear in the partition count, and the driver holds V x K counts,
 * bounded by the vocabulary size, never anything that grows with the corpus.
 *
 * <p>Deterministic for a seed and a partition count: documents are hash-partitioned by id and
 * sorted by id within each partition, so the order in which shuffle blocks arrive cannot change
 * what is sampled. Every few rounds the documents are checkpointed reliably (to files that survive
 * the loss of an executor); the broadcasts of the rounds since the last checkpoint are kept on
 * the driver so that lost partitions can be recomputed.
 */
public final class GibbsSampler implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Rounds between reliable checkpoints of the documents' assignments. */
  static final int CHECKPOINT_EVERY = 10;

  /** One document's words (vocabulary ids) and their topic assignments. */
  public static final class Doc implements Serializable {
    private static final long serialVersionUID = 1L;
    public final String id;
    public final int[] words;
    public final int[] topics;

    Doc(String id, int[] words, int[] topics) {
      this.id = id;
      this.words = words;
      this.topics = topics;
    }
  }

  /**
   * The global counts one round samples against (word-major V x K, and per-topic totals), with
   * the priors of that round; when hyperparameters are due to be learnt, the aggregation also
   * gathers alpha's histograms.
   */
  static final class Counts implements Serializable {
    private static final long serialVersionUID = 1L;
    int[] wordTopic; // null until the first document is counted: the aggregation's zero is empty
    int[] topicTotals;
    Hyperparameters.Histograms histograms; // null unless this aggregation collects them
    double[] alpha;
    double beta;

    void add(Doc doc, int k, int vocabSize) {
      if (wordTopic == null) {
        wordTopic = new int[vocabSize * k];
      }
      for (int i = 0; i < doc.words.length; i++) {
        wordTopic[doc.words[i] * k + doc.topics[i]]++;
      }
      if (histograms != null) {
        histograms.add(doc.topics);
      }
    }

    Counts merge(Counts other) {
      if (other.wordTopic == null) {
        return this;
      }
      if (wordTopic == null) {
        return other;
      }
      for (int i = 0; i < wordTopic.length; i++) {
        wordTopic[i] += other.wordTopic[i];
      }
      if (histograms != null && other.histograms != null) {
        histograms.merge(other.histograms);
      }
      return this;
    }
  }

  /** The outcome of training: the final global counts and the documents' last assignments. */
  public static final class Trained {
    public final int[] wordTopic;
    public final int[] topicTotals;
    public final long tokens;
    public final JavaRDD<Doc> docs;
    /** Wall seconds of each round (sampling, aggregation and broadcast). */
    public final List<Double> roundSeconds;
    /** Total assignments after each synchronisation: all equal to {@link #tokens}. */
    public final List<Long> assignmentsPerSync;
    /** The document-topic prior per topic the last sweeps used: learnt, or the one given. */
    public final double[] alpha;
    /** The topic-word prior the last sweeps used: learnt, or the one given. */
    public final double beta;
    /** How many times alpha and beta were learnt. */
    public final int hyperparameterUpdates;
    private final Runnable release;

    Trained(int[] wordTopic, int[] topicTotals, long tokens, JavaRDD<Doc> docs, List<Double> roundSeconds,
        List<Long> assignmentsPerSync, double[] alpha, double beta, int hyperparameterUpdates, Runnable release) {
      this.wordTopic = wordTopic;
      this.topicTotals = topicTotals;
      this.tokens = tokens;
      this.docs = docs;
      this.roundSeconds = roundSeconds;
      this.assignmentsPerSync = assignmentsPerSync;
      this.alpha = alpha;
      this.beta = beta;
      this.hyperparameterUpdates = hyperparameterUpdates;
      this.release = release;
    }

    /** Frees the documents and deletes their checkpoint files. */
    public void release() {
      release.run();
    }
  }

  private final int k;
  private final int vocabSize;
  private final double[] alpha;
  private final double beta;
  private final long seed;
  private final int optimizeInterval;
  private final int optimizeBurnIn;

  /** Fixed priors: a symmetric alpha and beta. */
  public GibbsSampler(int k, int vocabSize, double alpha, double beta, long seed) {
    this(k, vocabSize, filled(k, alpha), beta, seed, 0, 0);
  }

  /**
   * @param alpha the starting document-topic prior, one value per topic
   * @param optimizeInterval learn alpha and beta every this many sweeps (0: keep them fixed), as
   *     MALLET's --optimize-interval
   * @param optimizeBurnIn sweeps before the first time they are learnt
   */
  public GibbsSampler(int k, int vocabSize, double[] alpha, double beta, long seed, int optimizeInterval,
      int optimizeBurnIn) {
    if (alpha.length != k) {
      throw new IllegalArgumentException("alpha has " + alpha.length + " values for " + k + " topics");
    }
    this.k = k;
    this.vocabSize = vocabSize;
    this.alpha = alpha.clone();
    this.beta = beta;
    this.seed = seed;
    this.optimizeInterval = optimizeInterval;
    this.optimizeBurnIn = optimizeBurnIn;
  }

  static double[] filled(int k, double value) {
    double[] a = new double[k];
    java.util.Arrays.fill(a, value);
    return a;
  }

  /**
   * The first sweep count after {@code done} at which the priors are due: the next multiple of
   * the interval after the burn-in (MAX_VALUE: never).
   */
  int nextOptimisation(int done) {
    if (optimizeInterval <= 0) {
      return Integer.MAX_VALUE;
    }
    int from = Math.max(done, optimizeBurnIn);
    return (from / optimizeInterval + 1) * optimizeInterval;
  }

  /**
   * Trains on (doc id, word ids), ids unique. {@code checkpointRoot}: a folder for the reliable
   * checkpoints (a sub-folder is created and deleted by {@link Trained#release}); null: the
   * SparkContext's checkpoint folder if one is set, else the local temporary folder.
   */
  public Trained train(JavaPairRDD<String, int[]> corpus, int partitions, int iterations, int sweepsPerSync,
      String checkpointRoot) {
    SparkContext sc = corpus.context();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(sc);
    Checkpoints checkpoints = Checkpoints.open(sc, checkpointRoot);
    JavaRDD<Doc> docs = corpus.repartitionAndSortWithinPartitions(new HashPartitioner(partitions))
        .map(doc -> initialise(doc._1(), doc._2()))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Counts global = aggregate(docs, partitions, false);
    long tokens = total(global);
    double[] alphaNow = alpha.clone();
    double betaNow = beta;
    int updates = 0;
    List<Double> roundSeconds = new ArrayList<>();
    List<Long> assignments = new ArrayList<>();
    List<Broadcast<Counts>> sinceCheckpoint = new ArrayList<>();
    int done = 0;
    int round = 0;
    while (done < iterations) {
      long started = System.nanoTime();
      // Several partitions start by synchronising after 1, 2, 3... sweeps: from the random start
      // each partition would otherwise settle on its own numbering of the topics, and summing
      // partitions that disagree merges topics.
      int sweeps = Math.min(partitions > 1 ? Math.min(sweepsPerSync, round + 1) : sweepsPerSync, iterations - done);
      // The priors are learnt from the state at the end of a round, the first round end at or
      // after the sweep at which they are due: cutting rounds short to meet every interval
      // exactly would add Spark jobs (one partition synchronises only every iterations/20
      // sweeps), and several partitions synchronise more often than the interval anyway.
      boolean optimise = done + sweeps >= nextOptimisation(done);
      int thisRound = round;
      global.alpha = alphaNow.clone();
      global.beta = betaNow;
      Broadcast<Counts> counts = jsc.broadcast(global);
      JavaRDD<Doc> previous = docs;
      docs = previous.mapPartitionsWithIndex(
              (partition, local) -> sample(local, counts.value(), sweeps, thisRound, partition), true)
          .persist(StorageLevel.MEMORY_AND_DISK());
      boolean checkpoint = round % CHECKPOINT_EVERY == CHECKPOINT_EVERY - 1 && done + sweeps < iterations;
      if (checkpoint) {
        checkpoints.mark(docs);
      }
      global = aggregate(docs, partitions, optimise);
      long total = total(global);
      if (total != tokens) {
        throw new IllegalStateException("topic assignments not conserved: " + total + " after round " + round
            + ", " + tokens + " tokens");
      }
      assignments.add(total);
      if (optimise) {
        Hyperparameters.optimizeAlpha(alphaNow, global.histograms.topics, global.histograms.lengths,
            Hyperparameters.ALPHA_ITERATIONS);
        betaNow = Hyperparameters.optimizeBeta(global.wordTopic, global.topicTotals, vocabSize, betaNow,
            Hyperparameters.BETA_ITERATIONS);
        global.histograms = null;
        updates++;
      }
      previous.unpersist(false);
      // Executors drop their copy now; the driver keeps it until a checkpoint makes it useless,
      // so that a partition lost with its executor can still be recomputed from the lineage.
      counts.unpersist(false);
      sinceCheckpoint.add(counts);
      if (checkpoint) {
        // The checkpointed documents keep their own round's function (and its broadcast) for
        // task serialisation; the rounds before it are no longer needed by anything.
        sinceCheckpoint.subList(0, sinceCheckpoint.size() - 1).forEach(b -> b.destroy(false));
        sinceCheckpoint.subList(0, sinceCheckpoint.size() - 1).clear();
      }
      done += sweeps;
      round++;
      roundSeconds.add((System.nanoTime() - started) / 1e9);
    }
    JavaRDD<Doc> last = docs;
    return new Trained(global.wordTopic, global.topicTotals, tokens, docs, roundSeconds, assignments, alphaNow, betaNow,
        updates, () -> {
      last.unpersist(false);
      sinceCheckpoint.forEach(b -> b.destroy(false));
      checkpoints.close();
    });
  }

  /** The sum of every partition's counts, with topic totals; linear in the partition count. */
  private Counts aggregate(JavaRDD<Doc> docs, int partitions, boolean histograms) {
    int depth = partitions > 8 ? 2 : 1;
    Counts zero = new Counts();
    zero.histograms = histograms ? new Hyperparameters.Histograms(k) : null;
    Counts counts = docs.treeAggregate(zero, (c, doc) -> {
      c.add(doc, k, vocabSize);
      return c;
    }, Counts::merge, depth);
    if (counts.wordTopic == null) {
      counts.wordTopic = new int[vocabSize * k];
      counts.histograms = histograms ? new Hyperparameters.Histograms(k) : null;
    }
    counts.topicTotals = new int[k];
    for (int i = 0; i < counts.wordTopic.length; i++) {
      counts.topicTotals[i % k] += counts.wordTopic[i];
    }
    return counts;
  }

  private static long total(Counts counts) {
    long total = 0;
    for (int c : counts.topicTotals) {
      total += c;
    }
    return total;
  }

  private Doc initialise(String id, int[] words) {
    SplittableRandom random = new SplittableRandom(mix(seed, hash(id)));
    int[] topics = new int[words.length];
    for (int i = 0; i < words.length; i++) {
      topics[i] = random.nextInt(k);
    }
    return new Doc(id, words, topics);
  }

  private Iterator<Doc> sample(Iterator<Doc> local, Counts global, int sweeps, int round, int partition) {
    List<Doc> docs = new ArrayList<>();
    local.forEachRemaining(d -> docs.add(new Doc(d.id, d.words, d.topics.clone())));
    Sampler sampler = new Sampler(k, vocabSize, global.alpha, global.beta, global);
    SplittableRandom random = new SplittableRandom(mix(mix(seed, round), partition));
    for (int sweep = 0; sweep < sweeps; sweep++) {
      for (Doc doc : docs) {
        sampler.sample(doc, random);
      }
    }
    return docs.iterator();
  }

  /**
   * SparseLDA: p(t) is proportional to (alpha_t + n_td)(beta + n_wt) / (n_t + V beta), split into
   * s = alpha_t beta / (n_t + V beta) (every topic), r = n_td beta / (n_t + V beta) (the
   * document's topics) and q = (alpha_t + n_td) n_wt / (n_t + V beta) (the word's topics). s and r
   * are kept up to date incrementally; q is summed over the word's non-zero topics only, and most
   * draws fall in q. The cost of a token grows with the topics its word and document use, not
   * with K.
   */
  static final class Sampler {
    private final int k;
    private final double[] alpha;
    private final double beta;
    private final double[] alphaBeta;
    private final double vocabBeta;
    private final int[] wordTopic;
    private final int[] wordNonZero; // word w's topics with a count: [w*K, w*K + wordNonZeroCount[w])
    private final int[] wordNonZeroCount;
    private final int[] topicTotals;
    private final double[] inverse; // 1 / (n_t + V beta)
    private final double[] coefficient; // (alpha + n_td) / (n_t + V beta)
    private final int[] docCounts;
    private final int[] docNonZero;
    private int docNonZeroCount;
    private final double[] q;
    private double smoothing;
    private double docMass;

    Sampler(int k, int vocabSize, double[] alpha, double beta, Counts global) {
      this.k = k;
      this.alpha = alpha.clone();
      this.beta = beta;
      this.alphaBeta = new double[k];
      for (int t = 0; t < k; t++) {
        alphaBeta[t] = alpha[t] * beta;
      }
      this.vocabBeta = vocabSize * beta;
      wordTopic = global.wordTopic.clone();
      topicTotals = global.topicTotals.clone();
      wordNonZero = new int[wordTopic.length];
      wordNonZeroCount = new int[vocabSize];
      for (int w = 0; w < vocabSize; w++) {
        int base = w * k;
        int n = 0;
        for (int t = 0; t < k; t++) {
          if (wordTopic[base + t] > 0) {
            wordNonZero[base + n++] = t;
          }
        }
        wordNonZeroCount[w] = n;
      }
      inverse = new double[k];
      coefficient = new double[k];
      for (int t = 0; t < k; t++) {
        inverse[t] = 1.0 / (topicTotals[t] + vocabBeta);
        coefficient[t] = alpha[t] * inverse[t];
      }
      docCounts = new int[k];
      docNonZero = new int[k];
      q = new double[k];
    }

    void sample(Doc doc, SplittableRandom random) {
      int[] words = doc.words;
      int[] topics = doc.topics;
      for (int topic : topics) {
        if (docCounts[topic]++ == 0) {
          docNonZero[docNonZeroCount++] = topic;
        }
      }
      smoothing = 0;
      for (int t = 0; t < k; t++) {
        smoothing += alphaBeta[t] * inverse[t];
      }
      docMass = 0;
      for (int j = 0; j < docNonZeroCount; j++) {
        int t = docNonZero[j];
        docMass += docCounts[t] * beta * inverse[t];
        coefficient[t] = (alpha[t] + docCounts[t]) * inverse[t];
      }
      for (int i = 0; i < words.length; i++) {
        int w = words[i];
        int base = w * k;
        int old = topics[i];
        change(w, base, old, -1);

        int n = wordNonZeroCount[w];
        double wordMass = 0;
        for (int j = 0; j < n; j++) {
          int t = wordNonZero[base + j];
          double v = coefficient[t] * wordTopic[base + t];
          q[j] = v;
          wordMass += v;
        }
        double u = random.nextDouble() * (smoothing + docMass + wordMass);
        int topic;
        if (u < wordMass) {
          int j = 0;
          while (j < n - 1 && (u -= q[j]) > 0) {
            j++;
          }
          topic = wordNonZero[base + j];
        } else if ((u -= wordMass) < docMass) {
          int j = 0;
          while (j < docNonZeroCount - 1 && (u -= docCounts[docNonZero[j]] * beta * inverse[docNonZero[j]]) > 0) {
            j++;
          }
          topic = docNonZero[j];
        } else {
          u -= docMass;
          int t = 0;
          while (t < k - 1 && (u -= alphaBeta[t] * inverse[t]) > 0) {
            t++;
          }
          topic = t;
        }
        topics[i] = topic;
        change(w, base, topic, 1);
      }
      for (int j = 0; j < docNonZeroCount; j++) {
        int t = docNonZero[j];
        docCounts[t] = 0;
        coefficient[t] = alpha[t] * inverse[t];
      }
      docNonZeroCount = 0;
    }

    /** Adds delta (+1 or -1) to the counts of (document, word w, topic t), keeping s, r and q's terms. */
    private void change(int w, int base, int t, int delta) {
      smoothing -= alphaBeta[t] * inverse[t];
      docMass -= docCounts[t] * beta * inverse[t];
      int before = docCounts[t];
      docCounts[t] += delta;
      topicTotals[t] += delta;
      wordTopic[base + t] += delta;
      inverse[t] = 1.0 / (topicTotals[t] + vocabBeta);
      smoothing += alphaBeta[t] * inverse[t];
      docMass += docCounts[t] * beta * inverse[t];
      coefficient[t] = (alpha[t] + docCounts[t]) * inverse[t];
      if (delta < 0) {
        if (docCounts[t] == 0) {
          remove(docNonZero, 0, docNonZeroCount--, t);
        }
        if (wordTopic[base + t] == 0) {
          remove(wordNonZero, base, wordNonZeroCount[w]--, t);
        }
      } else {
        if (before == 0) {
          docNonZero[docNonZeroCount++] = t;
        }
        if (wordTopic[base + t] == 1) {
          wordNonZero[base + wordNonZeroCount[w]++] = t;
        }
      }
    }

    /** Removes value from list[from, from + n) by moving the last element into its place. */
    private static void remove(int[] list, int from, int n, int value) {
      for (int j = from; j < from + n; j++) {
        if (list[j] == value) {
          list[j] = list[from + n - 1];
          return;
        }
      }
      throw new IllegalStateException("topic " + value + " not in the list");
    }
  }

  /** A stable 64-bit hash of a string (FNV-1a over UTF-8), the same on every JVM. */
  static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** SplitMix64's finaliser over a combination of two values. */
  static long mix(long a, long b) {
    long z = a * 0x9E3779B97F4A7C15L + b;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A number in [0, 1) fixed by the seed and the document id: the training sample's draw. */
  public static double sampleKey(long seed, String id) {
    return (mix(seed ^ 0x5DEECE66DL, hash(id)) >>> 11) * 0x1.0p-53;
  }

  /**
   * Where the documents' assignments are checkpointed. Spark's checkpoint folder is one setting of
   * the SparkContext: when nobody else set it, it is pointed at a folder of our own, deleted at
   * the end; when the application set one, it is used and only our files are deleted.
   */
  static final class Checkpoints {
    private static String ownDir; // the folder last set here, so a later run knows it is ours
    private final SparkContext sc;
    private final Path ours;
    private final List<JavaRDD<?>> marked = new ArrayList<>();

    private Checkpoints(SparkContext sc, Path ours) {
      this.sc = sc;
      this.ours = ours;
    }

    static synchronized Checkpoints open(SparkContext sc, String root) {
      Optional<String> current = Optional.ofNullable(sc.getCheckpointDir().isDefined() ? sc.getCheckpointDir().get() : null);
      if (current.isPresent() && !current.get().equals(ownDir) && root == null) {
        return new Checkpoints(sc, null);
      }
      String base = root != null ? root : System.getProperty("java.io.tmpdir");
      Path dir = new Path(base, "checkpoints-" + UUID.randomUUID());
      sc.setCheckpointDir(dir.toString());
      ownDir = sc.getCheckpointDir().get();
      return new Checkpoints(sc, dir);
    }

    void mark(JavaRDD<?> rdd) {
      rdd.checkpoint();
      marked.add(rdd);
    }

    void close() {
      try {
        if (ours != null) {
          FileSystem fs = ours.getFileSystem(sc.hadoopConfiguration());
          fs.delete(ours, true);
        } else {
          for (JavaRDD<?> rdd : marked) {
            org.apache.spark.api.java.Optional<String> file = rdd.getCheckpointFile();
            if (file.isPresent()) {
              Path path = new Path(file.get());
              path.getFileSystem(sc.hadoopConfiguration()).delete(path, true);
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("could not delete the topic model's checkpoints", e);
      }
    }
  }
}
