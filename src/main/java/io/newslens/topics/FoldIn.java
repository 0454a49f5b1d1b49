package io.newslens.topics;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * A document's topic mixture with the topics fixed: a few Gibbs sweeps over its words, sampling
 * each word's topic from (n_td + alpha_t) phi_tw, then the counts averaged over the last sweeps.
 *
 * <p>Why Gibbs and not a MAP EM fold-in: an EM iteration costs K per word and needs tens of
 * iterations; a sweep here costs the document's few topics plus log K per word
 * (alpha_t phi_tw is drawn by binary search over each word's cumulative alpha_t phi_tw, n_td
 * phi_tw over the document's topics only), and its estimate is the one training gives its own documents. Both are
 * linear in the corpus. Deterministic per document: the random stream is seeded by the seed and
 * the document id, so partitioning cannot change a mixture.
 *
 * <p>Meant to be broadcast: the cumulative phi is built once per JVM.
 */
public final class FoldIn implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A document's mixture, the log-likelihood of its words under it, and its word count. */
  public record Mixture(double[] theta, double logLikelihood, int words) {}

  private final int k;
  private final double[] alpha;
  private final double alphaSum;
  private final double[] phi;
  private final int burnIn;
  private final int samples;
  private final long seed;
  private transient volatile double[] cumulative;

  /**
   * @param alpha the document-topic prior of each topic (what training ended with)
   * @param phi word-major V x K topic-word probabilities: what training computed from its counts
   *     ({@link #phiOf}) and what a saved model stores, so a model loaded by {@code score} folds a
   *     document in exactly as the run that trained it did
   * @param burnIn sweeps before counts are averaged
   * @param samples sweeps whose counts are averaged (at least 1)
   */
  public FoldIn(int k, double[] alpha, double[] phi, int burnIn, int samples, long seed) {
    if (alpha.length != k) {
      throw new IllegalArgumentException("alpha has " + alpha.length + " values for " + k + " topics");
    }
    this.k = k;
    this.alpha = alpha.clone();
    double sum = 0;
    for (double a : alpha) {
      sum += a;
    }
    this.alphaSum = sum;
    this.phi = phi;
    this.burnIn = burnIn;
    this.samples = Math.max(1, samples);
    this.seed = seed;
  }

  /** phi_tw = (n_wt + beta) / (n_t + V beta), word-major, from word-major V x K counts. */
  public static double[] phiOf(int k, int vocabSize, double beta, int[] wordTopic, int[] topicTotals) {
    double[] phi = new double[vocabSize * k];
    for (int w = 0; w < vocabSize; w++) {
      for (int t = 0; t < k; t++) {
        phi[w * k + t] = (wordTopic[w * k + t] + beta) / (topicTotals[t] + vocabSize * beta);
      }
    }
    return phi;
  }

  /** For each word, alpha_t phi_tw summed over topics 0..t: the last one is the word's total. */
  private double[] cumulative() {
    double[] c = cumulative;
    if (c == null) {
      synchronized (this) {
        c = cumulative;
        if (c == null) {
          c = new double[phi.length];
          for (int base = 0; base < phi.length; base += k) {
            double sum = 0;
            for (int t = 0; t < k; t++) {
              sum += alpha[t] * phi[base + t];
              c[base + t] = sum;
            }
          }
          cumulative = c;
        }
      }
    }
    return c;
  }

  public Mixture infer(String id, int[] words) {
    double[] cum = cumulative();
    SplittableRandom random = new SplittableRandom(GibbsSampler.mix(seed ^ 0x2545F4914F6CDD1DL, GibbsSampler.hash(id)));
    int n = words.length;
    int[] topics = new int[n];
    int[] counts = new int[k];
    int[] nonZero = new int[k];
    int nonZeroCount = 0;
    double[] mass = new double[k];
    double[] sum = new double[k];
    int sweeps = burnIn + samples;
    for (int sweep = 0; sweep < sweeps; sweep++) {
      for (int i = 0; i < n; i++) {
        int base = words[i] * k;
        if (sweep > 0) {
          int old = topics[i];
          if (--counts[old] == 0) {
            for (int j = 0; j < nonZeroCount; j++) {
              if (nonZero[j] == old) {
                nonZero[j] = nonZero[--nonZeroCount];
                break;
              }
            }
          }
        }
        double docMass = 0;
        for (int j = 0; j < nonZeroCount; j++) {
          int t = nonZero[j];
          double v = counts[t] * phi[base + t];
          mass[j] = v;
          docMass += v;
        }
        double u = random.nextDouble() * (docMass + cum[base + k - 1]);
        int topic;
        if (u < docMass) {
          int j = 0;
          while (j < nonZeroCount - 1 && (u -= mass[j]) > 0) {
            j++;
          }
          topic = nonZero[j];
        } else {
          topic = search(cum, base, u - docMass);
        }
        topics[i] = topic;
        if (counts[topic]++ == 0) {
          nonZero[nonZeroCount++] = topic;
        }
      }
      if (sweep >= burnIn) {
        for (int j = 0; j < nonZeroCount; j++) {
          sum[nonZero[j]] += counts[nonZero[j]];
        }
      }
    }
    double[] theta = new double[k];
    double norm = n + alphaSum;
    int used = 0;
    int[] usedTopics = nonZero; // reused: the topics with any averaged count
    for (int t = 0; t < k; t++) {
      theta[t] = (sum[t] / samples + alpha[t]) / norm;
      if (sum[t] > 0) {
        usedTopics[used++] = t;
        mass[t] = sum[t] / samples / norm;
      }
    }
    double logLikelihood = 0;
    for (int w : words) {
      int base = w * k;
      double p = cum[base + k - 1] / norm;
      for (int j = 0; j < used; j++) {
        int t = usedTopics[j];
        p += mass[t] * phi[base + t];
      }
      logLikelihood += Math.log(p);
    }
    return new Mixture(theta, logLikelihood, n);
  }

  /** The first topic whose cumulative phi exceeds u (the last one if rounding leaves none). */
  private int search(double[] cum, int base, double u) {
    int lo = 0;
    int hi = k - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cum[base + mid] > u) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }
}
