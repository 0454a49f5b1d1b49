package io.newslens.topics;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Learning LDA's priors from the sampler's state, as MALLET's ParallelTopicModel does (its
 * optimizeAlpha and optimizeBeta, with Dirichlet.learnParameters and
 * learnSymmetricConcentration): Minka's fixed-point update for the Dirichlet parameters,
 * computed from histograms of counts (Wallach, "Structured Topic Models for Language", 2008,
 * section 2.4), so its cost grows with the longest document and the largest count, not with the
 * number of documents.
 *
 * <p>alpha (one value per topic) is learnt from how many documents have exactly n words of each
 * topic and how many documents have exactly n words; beta (one value for every word) from how
 * many (word, topic) pairs have exactly n tokens and how many topics have exactly n tokens.
 */
public final class Hyperparameters {
  private Hyperparameters() {}

  /**
   * Gamma prior on each alpha_t, as MALLET (shape 1.001, scale 1): it keeps a topic that no
   * document uses from driving its alpha to exactly zero.
   */
  public static final double ALPHA_PRIOR_SHAPE = 1.001;
  public static final double ALPHA_PRIOR_SCALE = 1.0;
  /** Fixed-point steps per update: each update starts from the last values, so a few suffice. */
  public static final int ALPHA_ITERATIONS = 5;
  public static final int BETA_ITERATIONS = 200;
  /** Lower bound of any learnt alpha_t: a topic is never made impossible to draw. */
  static final double MIN_ALPHA = 1e-6;

  /**
   * The sufficient statistics of alpha: {@code topics[t][n]} documents have exactly n words of
   * topic t (n at least 1), {@code lengths[n]} documents have exactly n words. Both grow to the
   * longest document seen, so one holds at most K x (longest document + 1) + longest document + 1
   * counts, whatever the number of documents: small enough to be summed over partitions on the
   * driver.
   */
  public static final class Histograms implements Serializable {
    private static final long serialVersionUID = 1L;
    final int[][] topics;
    int[] lengths = new int[0];
    private transient int[] scratch;

    public Histograms(int k) {
      topics = new int[k][0];
    }

    /** Adds one document, given the topic of each of its words. */
    public void add(int[] topicOfWord) {
      int k = topics.length;
      if (scratch == null) {
        scratch = new int[k];
      }
      int n = topicOfWord.length;
      if (n == 0) {
        return;
      }
      lengths = grow(lengths, n + 1);
      lengths[n]++;
      for (int t : topicOfWord) {
        scratch[t]++;
      }
      for (int t = 0; t < k; t++) {
        int c = scratch[t];
        if (c > 0) {
          topics[t] = grow(topics[t], c + 1);
          topics[t][c]++;
          scratch[t] = 0;
        }
      }
    }

    public Histograms merge(Histograms other) {
      lengths = addInto(lengths, other.lengths);
      for (int t = 0; t < topics.length; t++) {
        topics[t] = addInto(topics[t], other.topics[t]);
      }
      return this;
    }

    public long documents() {
      long d = 0;
      for (int c : lengths) {
        d += c;
      }
      return d;
    }

    private static int[] grow(int[] a, int size) {
      return a.length >= size ? a : Arrays.copyOf(a, Math.max(size, a.length * 3 / 2));
    }

    private static int[] addInto(int[] a, int[] b) {
      int[] out = grow(a, b.length);
      for (int i = 0; i < b.length; i++) {
        out[i] += b[i];
      }
      return out;
    }
  }

  /**
   * Minka's fixed point for an asymmetric Dirichlet, with a gamma(shape, scale) prior on each
   * parameter (the MAP estimate): alpha_t becomes
   * (alpha_t sum_n h_t[n] (psi(n + alpha_t) - psi(alpha_t)) + shape - 1)
   * / (sum_n l[n] (psi(n + A) - psi(A)) + 1 / scale), A the sum of the alphas, with the digamma
   * differences summed as 1/(x) + 1/(x+1) + ... while walking up the histogram.
   *
   * <p>MALLET 2.0.8 adds shape to the bracket and subtracts 1/scale from the denominator, a
   * slip in the prior's terms; with the hundreds of documents a topic model is fitted on the two
   * differ by far less than the sampler's noise, and this form is the one whose fixed point is
   * the posterior mode.
   *
   * @param alpha updated in place
   * @return the new sum of alpha
   */
  public static double optimizeAlpha(double[] alpha, int[][] topicHistograms, int[] lengthHistogram, int iterations) {
    int k = alpha.length;
    int[] limits = new int[k];
    for (int t = 0; t < k; t++) {
      int[] h = topicHistograms[t];
      limits[t] = 0;
      for (int n = h.length - 1; n > 0; n--) {
        if (h[n] > 0) {
          limits[t] = n;
          break;
        }
      }
    }
    double sum = 0;
    for (double a : alpha) {
      sum += a;
    }
    if (sum(lengthHistogram) == 0) {
      return sum;
    }
    for (int iteration = 0; iteration < iterations; iteration++) {
      double denominator = 0;
      double digamma = 0;
      for (int n = 1; n < lengthHistogram.length; n++) {
        digamma += 1.0 / (sum + n - 1);
        denominator += lengthHistogram[n] * digamma;
      }
      denominator += 1.0 / ALPHA_PRIOR_SCALE;
      double newSum = 0;
      double[] next = new double[k];
      for (int t = 0; t < k; t++) {
        double a = alpha[t];
        double numerator = 0;
        digamma = 0;
        int[] h = topicHistograms[t];
        for (int n = 1; n <= limits[t]; n++) {
          digamma += 1.0 / (a + n - 1);
          numerator += h[n] * digamma;
        }
        next[t] = Math.max(MIN_ALPHA, (a * numerator + ALPHA_PRIOR_SHAPE - 1) / denominator);
        newSum += next[t];
      }
      System.arraycopy(next, 0, alpha, 0, k);
      sum = newSum;
    }
    return sum;
  }

  /**
   * Minka's fixed point for a symmetric Dirichlet over V words (every topic's word
   * distribution), from word-major V x K counts: beta becomes
   * beta sum_n c[n] (psi(n + beta) - psi(beta)) / (V sum_n s[n] (psi(n + V beta) - psi(V beta))),
   * c[n] the (word, topic) pairs with n tokens, s[n] the topics with n tokens.
   *
   * @return the new beta (the old one if no topic has a token)
   */
  public static double optimizeBeta(int[] wordTopic, int[] topicTotals, int vocabSize, double beta, int iterations) {
    int maxCount = 0;
    for (int c : wordTopic) {
      maxCount = Math.max(maxCount, c);
    }
    int[] counts = new int[maxCount + 1];
    for (int c : wordTopic) {
      counts[c]++;
    }
    int maxTopic = 0;
    for (int c : topicTotals) {
      maxTopic = Math.max(maxTopic, c);
    }
    if (maxTopic == 0) {
      return beta;
    }
    // Topic sizes are few (K) and large: their digamma differences are computed directly.
    int[] sizes = topicTotals.clone();
    Arrays.sort(sizes);
    double value = beta * vocabSize;
    for (int iteration = 0; iteration < iterations; iteration++) {
      double b = value / vocabSize;
      double numerator = 0;
      double digamma = 0;
      for (int n = 1; n <= maxCount; n++) {
        digamma += 1.0 / (b + n - 1);
        numerator += counts[n] * digamma;
      }
      double denominator = 0;
      double base = digamma(value);
      for (int size : sizes) {
        if (size > 0) {
          denominator += digamma(value + size) - base;
        }
      }
      double next = b * numerator / denominator;
      if (!(next > 0) || Double.isInfinite(next)) {
        break;
      }
      boolean converged = Math.abs(next - value) <= 1e-9 * value;
      value = next;
      if (converged) {
        break;
      }
    }
    return value / vocabSize;
  }

  /** Digamma by recurrence up to 10 and the asymptotic series beyond (error below 1e-12 for x > 0). */
  static double digamma(double x) {
    double result = 0;
    while (x < 10) {
      result -= 1 / x;
      x += 1;
    }
    double f = 1 / (x * x);
    return result + Math.log(x) - 0.5 / x
        - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132)))));
  }

  private static long sum(int[] a) {
    long s = 0;
    for (int v : a) {
      s += v;
    }
    return s;
  }
}
