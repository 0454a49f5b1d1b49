package io.newslens.entities;

/**
 * Association of two entities from the 2x2 table of units (sentences or documents) of one
 * period: {@code both} units hold a and b, {@code a} hold a, {@code b} hold b, {@code n} units in
 * all. Natural logarithms. Written here because neither Spark nor Spark NLP has these measures.
 */
public final class Association {
  private Association() {}

  /** Pointwise mutual information ln(p(ab) / (p(a) p(b))). */
  public static double pmi(long both, long a, long b, long n) {
    return Math.log((double) both * n / ((double) a * b));
  }

  /** PMI / -ln p(ab), in [-1, 1]; 1 when a and b always occur together in every unit. */
  public static double npmi(long both, long a, long b, long n) {
    double pAb = (double) both / n;
    return pAb >= 1.0 ? 1.0 : pmi(both, a, b, n) / -Math.log(pAb);
  }

  /**
   * Dunning's log-likelihood ratio G² = 2 Σ O ln(O / E) over the four cells (Dunning 1993,
   * "Accurate methods for the statistics of surprise and coincidence"); 0 when a and b are
   * independent, larger the more surprising their co-occurrence (or their avoidance).
   */
  public static double llr(long both, long a, long b, long n) {
    long k11 = both;
    long k12 = a - both;
    long k21 = b - both;
    long k22 = n - a - b + both;
    return 2 * (term(k11, (double) a * b / n) + term(k12, (double) a * (n - b) / n)
        + term(k21, (double) (n - a) * b / n) + term(k22, (double) (n - a) * (n - b) / n));
  }

  private static double term(long observed, double expected) {
    return observed == 0 ? 0.0 : observed * Math.log(observed / expected);
  }
}
