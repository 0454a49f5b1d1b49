package io.newslens.clean;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Near-duplicate candidates by MinHash with real banding: a signature of {@code bands * rows}
 * minimum hashes over a document's word 5-shingles, cut into {@code bands} bands of {@code rows}
 * values; two documents are candidates when all rows of at least one band agree. A pair with
 * Jaccard similarity J is then a candidate with probability {@code 1 - (1 - J^rows)^bands}, an
 * S-curve that is steep around the threshold.
 *
 * <p>Our own code rather than MLlib's {@code MinHashLSH}: MLlib gives each hash table a single
 * hash and ORs the tables, which is banding with one row per band, so the curve is
 * {@code 1 - (1 - J)^tables} and dissimilar pairs flood the candidate set (J = 0.3 is a candidate
 * most of the time); it cannot AND rows within a band. MLlib also wants each document as a
 * hashed term-frequency vector, while here shingles are hashed straight to longs and never
 * materialised as vectors.
 *
 * <p>Plain Java, deterministic (fixed seed), tested without Spark; one instance per stage run.
 */
public final class MinHashBands implements Serializable {
  private static final long serialVersionUID = 1L;

  static final int SHINGLE_WORDS = 5;
  static final long SEED = 20071L;
  /** Pairs at the threshold are candidates with at least this probability. */
  static final double RECALL_AT_THRESHOLD = 0.99;
  /** Pairs this dissimilar are candidates with at most {@link #MAX_CANDIDATE_P_AT_LOW}. */
  static final double LOW_JACCARD = 0.3;
  static final double MAX_CANDIDATE_P_AT_LOW = 0.05;
  /** Bound on signature length (hash evaluations per shingle). */
  static final int MAX_HASHES = 512;
  static final int MAX_ROWS = 16;

  private final int bands;
  private final int rows;
  private final long[] multipliers;
  private final long[] offsets;

  public MinHashBands(int bands, int rows) {
    if (bands < 1 || rows < 1) {
      throw new IllegalArgumentException("bands and rows must be positive");
    }
    this.bands = bands;
    this.rows = rows;
    SplittableRandom random = new SplittableRandom(SEED);
    multipliers = new long[bands * rows];
    offsets = new long[bands * rows];
    for (int i = 0; i < multipliers.length; i++) {
      multipliers[i] = random.nextLong() | 1L;
      offsets[i] = random.nextLong();
    }
  }

  /** The cheapest banding for this threshold, see {@link #choose(double)}. */
  public static MinHashBands forThreshold(double threshold) {
    int[] br = choose(threshold);
    return new MinHashBands(br[0], br[1]);
  }

  /**
   * {bands, rows}: the fewest hashes ({@code bands * rows}) such that a pair at the threshold is
   * a candidate with probability at least {@link #RECALL_AT_THRESHOLD} and a pair at
   * {@link #LOW_JACCARD} with at most {@link #MAX_CANDIDATE_P_AT_LOW} (the choices for common
   * thresholds are in the README). Low thresholds cannot meet the second bound within
   * {@link #MAX_HASHES}; they get the banding that comes closest, and exact verification still
   * decides, only with more candidates to check.
   */
  static int[] choose(double threshold) {
    int[] best = null;
    double bestLow = Double.MAX_VALUE;
    boolean bestMeets = false;
    for (int r = 1; r <= MAX_ROWS; r++) {
      double atThreshold = Math.pow(threshold, r);
      int b = atThreshold >= 1 ? 1
          : (int) Math.ceil(Math.log(1 - RECALL_AT_THRESHOLD) / Math.log1p(-atThreshold));
      b = Math.max(b, 1);
      if ((long) b * r > MAX_HASHES) {
        continue;
      }
      double low = candidateProbability(LOW_JACCARD, b, r);
      boolean meets = low <= MAX_CANDIDATE_P_AT_LOW;
      boolean better = best == null
          || (meets && (!bestMeets || b * r < best[0] * best[1]))
          || (!meets && !bestMeets && low < bestLow);
      if (better) {
        best = new int[] {b, r};
        bestLow = low;
        bestMeets = meets;
      }
    }
    return best;
  }

  static double candidateProbability(double jaccard, int bands, int rows) {
    return 1 - Math.pow(1 - Math.pow(jaccard, rows), bands);
  }

  public int bands() {
    return bands;
  }

  public int rows() {
    return rows;
  }

  /** One hash per band; documents with a band hash in common (same band) are candidates. */
  public long[] bandHashes(long[] shingles) {
    if (shingles.length == 0) {
      return new long[0];
    }
    int n = multipliers.length;
    long[] min = new long[n];
    Arrays.fill(min, Long.MAX_VALUE);
    for (long x : shingles) {
      for (int i = 0; i < n; i++) {
        long v = multipliers[i] * x + offsets[i];
        if (v < min[i]) {
          min[i] = v;
        }
      }
    }
    long[] out = new long[bands];
    for (int band = 0; band < bands; band++) {
      long h = band;
      for (int row = 0; row < rows; row++) {
        h = mix(h * 0x9E3779B97F4A7C15L + min[band * rows + row]);
      }
      out[band] = h;
    }
    return out;
  }

  /** Jaccard similarity of two sorted arrays of distinct values. */
  static double jaccard(long[] a, long[] b) {
    if (a.length == 0 && b.length == 0) {
      return 1.0;
    }
    int i = 0;
    int j = 0;
    int common = 0;
    while (i < a.length && j < b.length) {
      if (a[i] == b[j]) {
        common++;
        i++;
        j++;
      } else if (a[i] < b[j]) {
        i++;
      } else {
        j++;
      }
    }
    return (double) common / (a.length + b.length - common);
  }

  /** A strong 64-bit finaliser (SplitMix64), so that linear hash functions see random inputs. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
