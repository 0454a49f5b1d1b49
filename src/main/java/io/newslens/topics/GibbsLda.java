package io.newslens.topics;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.HashPartitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Collapsed Gibbs sampling for LDA, distributed in the style of AD-LDA (Newman et al., 2009).
 *
 * <p>Why our own: MLlib's online LDA gave junk topics on news-sized corpora and its EM LDA pays a
 * GraphX job per iteration (see README, "topics"); Gibbs sampling is what MALLET, the quality
 * reference, does. Each partition samples its documents against a private copy of the global
 * word-topic counts for {@code sweepsPerSync} sweeps; then the copies are reconciled. The
 * reconciliation never goes through the driver: each partition counts its own assignments and
 * sends the counts straight to every other partition in one shuffle, so driver memory does not
 * grow with vocabulary or corpus. Deterministic for a fixed seed and partition count.
 */
public final class GibbsLda implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One document's words (vocabulary ids), their topic assignments and its topic counts. */
  public static final class Doc implements Serializable {
    private static final long serialVersionUID = 1L;
    public final String id;
    public final int[] words;
    public final int[] topics;
    public final int[] topicCounts;

    Doc(String id, int[] words, int[] topics, int[] topicCounts) {
      this.id = id;
      this.words = words;
      this.topics = topics;
      this.topicCounts = topicCounts;
    }
  }

  private final int k;
  private final int vocabSize;
  private final double alpha;
  private final double beta;
  private final long seed;

  public GibbsLda(int k, int vocabSize, double alpha, double beta, long seed) {
    this.k = k;
    this.vocabSize = vocabSize;
    this.alpha = alpha;
    this.beta = beta;
    this.seed = seed;
  }

  /** Trains on (doc id, word ids); returns the documents with their final assignments. */
  public JavaRDD<Doc> train(JavaPairRDD<String, int[]> corpus, int partitions, int iterations, int sweepsPerSync) {
    JavaRDD<Doc> docs = corpus.partitionBy(new HashPartitioner(partitions))
        .map(doc -> initialise(doc._1(), doc._2()))
        .persist(StorageLevel.MEMORY_AND_DISK());
    int done = 0;
    int round = 0;
    while (done < iterations) {
      int sweeps = Math.min(sweepsPerSync, iterations - done);
      final int thisRound = round;
      JavaRDD<Doc> previous = docs;
      JavaPairRDD<Integer, int[]> counts = countsForEveryPartition(previous, partitions);
      docs = previous.zipPartitions(counts.partitionBy(new HashPartitioner(partitions)).values(),
              (localDocs, partialCounts) -> sample(localDocs, partialCounts, sweeps, thisRound))
          .persist(StorageLevel.MEMORY_AND_DISK());
      if (round % 10 == 9) {
        docs.rdd().localCheckpoint(); // the lineage would otherwise grow by two stages a round
      }
      docs.count();
      previous.unpersist(false);
      done += sweeps;
      round++;
    }
    return docs;
  }

  private Doc initialise(String id, int[] words) {
    SplittableRandom random = new SplittableRandom(seed ^ id.hashCode() * 0x9E3779B97F4A7C15L);
    int[] topics = new int[words.length];
    int[] topicCounts = new int[k];
    for (int i = 0; i < words.length; i++) {
      topics[i] = random.nextInt(k);
      topicCounts[topics[i]]++;
    }
    return new Doc(id, words, topics, topicCounts);
  }

  /**
   * Each partition's word-topic counts as sparse (index, count) pairs, addressed to every
   * partition: partition p receives the counts of all partitions, i.e. the global counts.
   */
  private JavaPairRDD<Integer, int[]> countsForEveryPartition(JavaRDD<Doc> docs, int partitions) {
    return docs.mapPartitionsToPair(local -> {
      int[] dense = new int[vocabSize * k];
      while (local.hasNext()) {
        Doc doc = local.next();
        for (int i = 0; i < doc.words.length; i++) {
          dense[doc.words[i] * k + doc.topics[i]]++;
        }
      }
      int[] sparse = sparse(dense);
      List<Tuple2<Integer, int[]>> out = new ArrayList<>(partitions);
      for (int p = 0; p < partitions; p++) {
        out.add(new Tuple2<>(p, sparse));
      }
      return out.iterator();
    });
  }

  static int[] sparse(int[] dense) {
    int nonZero = 0;
    for (int c : dense) {
      nonZero += c == 0 ? 0 : 1;
    }
    int[] pairs = new int[2 * nonZero];
    int j = 0;
    for (int i = 0; i < dense.length; i++) {
      if (dense[i] != 0) {
        pairs[j++] = i;
        pairs[j++] = dense[i];
      }
    }
    return pairs;
  }

  /** Sums every partition's sparse counts into dense word-topic counts and fills topic totals. */
  private int[] globalCounts(Iterator<int[]> partialCounts, int[] topicTotals) {
    int[] wordTopic = new int[vocabSize * k];
    while (partialCounts.hasNext()) {
      int[] pairs = partialCounts.next();
      for (int j = 0; j < pairs.length; j += 2) {
        wordTopic[pairs[j]] += pairs[j + 1];
        topicTotals[pairs[j] % k] += pairs[j + 1];
      }
    }
    return wordTopic;
  }

  private Iterator<Doc> sample(Iterator<Doc> localDocs, Iterator<int[]> partialCounts, int sweeps, int round) {
    int[] topicTotals = new int[k];
    int[] wordTopic = globalCounts(partialCounts, topicTotals);
    List<Doc> docs = new ArrayList<>();
    localDocs.forEachRemaining(d -> docs.add(new Doc(d.id, d.words, d.topics.clone(), d.topicCounts.clone())));
    SplittableRandom random = new SplittableRandom(
        seed * 31 + round * 1_000_003L + TaskContext.getPartitionId() * 7_919L);
    double vocabBeta = vocabSize * beta;
    double[] cumulative = new double[k];
    // 1 / (n_k + V beta), kept up to date: a multiplication in the inner loop instead of a division
    double[] inverseTotals = new double[k];
    for (int t = 0; t < k; t++) {
      inverseTotals[t] = 1.0 / (topicTotals[t] + vocabBeta);
    }
    for (int sweep = 0; sweep < sweeps; sweep++) {
      for (Doc doc : docs) {
        for (int i = 0; i < doc.words.length; i++) {
          int w = doc.words[i] * k;
          int old = doc.topics[i];
          doc.topicCounts[old]--;
          wordTopic[w + old]--;
          inverseTotals[old] = 1.0 / (--topicTotals[old] + vocabBeta);
          double sum = 0;
          for (int t = 0; t < k; t++) {
            sum += (doc.topicCounts[t] + alpha) * (wordTopic[w + t] + beta) * inverseTotals[t];
            cumulative[t] = sum;
          }
          double u = random.nextDouble() * sum;
          int topic = 0;
          while (topic < k - 1 && cumulative[topic] < u) {
            topic++;
          }
          doc.topics[i] = topic;
          doc.topicCounts[topic]++;
          wordTopic[w + topic]++;
          inverseTotals[topic] = 1.0 / (++topicTotals[topic] + vocabBeta);
        }
      }
    }
    return docs.iterator();
  }

  /**
   * (log-likelihood, words) of the corpus under the trained state: the sum over words of
   * ln sum_k theta_dk phi_kw, computed where the documents are, with one more exchange of counts.
   */
  public double[] logLikelihood(JavaRDD<Doc> docs, int partitions) {
    JavaPairRDD<Integer, int[]> counts = countsForEveryPartition(docs, partitions);
    return docs.zipPartitions(counts.partitionBy(new HashPartitioner(partitions)).values(), (localDocs, partial) -> {
      int[] totals = new int[k];
      int[] wordTopic = globalCounts(partial, totals);
      double logLikelihood = 0;
      long words = 0;
      while (localDocs.hasNext()) {
        Doc doc = localDocs.next();
        double[] theta = mixture(doc);
        for (int word : doc.words) {
          double p = 0;
          for (int t = 0; t < k; t++) {
            p += theta[t] * (wordTopic[word * k + t] + beta) / (totals[t] + vocabSize * beta);
          }
          logLikelihood += Math.log(p);
          words++;
        }
      }
      return List.of(new double[] {logLikelihood, words}).iterator();
    }).reduce((a, b) -> new double[] {a[0] + b[0], a[1] + b[1]});
  }

  /** Global (word id, topic counts) from the final assignments, aggregated on the executors. */
  public JavaPairRDD<Integer, int[]> wordTopicCounts(JavaRDD<Doc> docs) {
    return docs.flatMapToPair(doc -> {
      List<Tuple2<Integer, int[]>> out = new ArrayList<>();
      for (int i = 0; i < doc.words.length; i++) {
        int[] one = new int[k];
        one[doc.topics[i]] = 1;
        out.add(new Tuple2<>(doc.words[i], one));
      }
      return out.iterator();
    }).reduceByKey((a, b) -> {
      int[] sum = a.clone();
      for (int t = 0; t < k; t++) {
        sum[t] += b[t];
      }
      return sum;
    });
  }

  /** Topic mixture of a trained document: (n_dk + alpha) / (n_d + K alpha). */
  public double[] mixture(Doc doc) {
    double[] theta = new double[k];
    double norm = doc.words.length + k * alpha;
    for (int t = 0; t < k; t++) {
      theta[t] = (doc.topicCounts[t] + alpha) / norm;
    }
    return theta;
  }
}
