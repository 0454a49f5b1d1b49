package io.newslens.clean;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MinHashBandsTest {
  static final MinHashBands DEFAULT = MinHashBands.forThreshold(0.8);

  /** {@code n} distinct random lower-case words, different for every trial. */
  static String[] words(long trial, int n) {
    SplittableRandom random = new SplittableRandom(trial * 7919 + 17);
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      StringBuilder w = new StringBuilder();
      for (int c = 0; c < 8; c++) {
        w.append((char) ('a' + random.nextInt(26)));
      }
      out[i] = w.append(i).toString();
    }
    return out;
  }

  /** The first {@code n} words as a sentence-like text: n - 4 distinct 5-shingles. */
  static String text(String[] words, int n) {
    return String.join(" ", java.util.Arrays.copyOf(words, n)) + ".";
  }

  static boolean candidates(MinHashBands banding, String x, String y) {
    long[] a = banding.bandHashes(TextFingerprint.of(x).shingles());
    long[] b = banding.bandHashes(TextFingerprint.of(y).shingles());
    for (int i = 0; i < a.length; i++) {
      if (a[i] == b[i]) {
        return true;
      }
    }
    return false;
  }

  /** Candidate rate over 200 pairs at Jaccard (sharedShingles / 100) exactly. */
  static int candidatesAmong200(int sharedShingles) {
    int found = 0;
    for (long trial = 0; trial < 200; trial++) {
      String[] w = words(trial, 104);
      String full = text(w, 104);
      String part = text(w, sharedShingles + 4);
      assertEquals(sharedShingles / 100.0,
          MinHashBands.jaccard(TextFingerprint.of(full).shingles(), TextFingerprint.of(part).shingles()));
      found += candidates(DEFAULT, full, part) ? 1 : 0;
    }
    return found;
  }

  @Test
  void bandsAreChosenFromTheThreshold() {
    assertArrayEquals(new int[] {12, 5}, MinHashBands.choose(0.8));
    for (double t : new double[] {0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0}) {
      int[] br = MinHashBands.choose(t);
      assertTrue(MinHashBands.candidateProbability(t, br[0], br[1]) >= 0.99, "recall at " + t);
      assertTrue(MinHashBands.candidateProbability(0.3, br[0], br[1]) <= 0.05, "false candidates at " + t);
      assertTrue(br[0] * br[1] <= MinHashBands.MAX_HASHES);
    }
    // Too low to separate from 0.3 within the hash budget: still a banding with recall.
    int[] low = MinHashBands.choose(0.5);
    assertTrue(MinHashBands.candidateProbability(0.5, low[0], low[1]) >= 0.99);
  }

  @Test
  void pairsAtJaccardPointThreeAreRarelyCandidates() {
    int found = candidatesAmong200(30);
    assertTrue(found <= 10, found + " of 200 pairs at J = 0.3 were candidates");
  }

  @Test
  void pairsAtJaccardPointNineAreAlwaysCandidates() {
    assertEquals(200, candidatesAmong200(90));
  }

  @Test
  void pairsAtTheThresholdAreCandidatesAlmostAlways() {
    assertTrue(candidatesAmong200(80) >= 194);
  }

  @Test
  void fingerprintIgnoresCasePunctuationAndSpacing() {
    TextFingerprint a = TextFingerprint.of("The Minister said: talks resume in Brüssel, on 3 May.");
    TextFingerprint b = TextFingerprint.of("the minister said talks\n\nresume in BRÜSSEL on 3 may");
    TextFingerprint c = TextFingerprint.of("the minister said talks resume in Brussel on 3 may");
    assertEquals(10, a.words());
    assertEquals(a.key1(), b.key1());
    assertEquals(a.key2(), b.key2());
    assertArrayEquals(a.shingles(), b.shingles());
    assertNotEquals(a.key1(), c.key1());
    assertEquals(6, a.shingles().length);
    assertEquals(0, TextFingerprint.of("Too short").shingles().length);
    assertEquals(0, DEFAULT.bandHashes(new long[0]).length);
  }

  @Test
  void bandingTheUnsortedShinglesGivesTheSameBands() {
    // Repeated phrases, so the text-order hashes hold repeats the sorted set does not.
    String text = text(words(7, 40), 40) + " " + text(words(7, 40), 40) + " " + text(words(8, 12), 12);
    for (String t : List.of(text, text(words(9, 200), 200), "Too short", "")) {
      TextFingerprint sorted = TextFingerprint.of(t);
      TextFingerprint unsorted = TextFingerprint.forBanding(t);
      assertEquals(sorted.words(), unsorted.words());
      assertEquals(sorted.key1(), unsorted.key1());
      assertEquals(sorted.key2(), unsorted.key2());
      assertArrayEquals(DEFAULT.bandHashes(sorted.shingles()), DEFAULT.bandHashes(unsorted.shingles()));
    }
    assertTrue(TextFingerprint.forBanding(text).shingles().length > TextFingerprint.of(text).shingles().length);
  }

  @Test
  void jaccardOfSortedSets() {
    assertEquals(0.4, MinHashBands.jaccard(new long[] {1, 2, 3}, new long[] {2, 3, 4, 5}), 1e-12);
    assertEquals(1.0, MinHashBands.jaccard(new long[] {-7, 9}, new long[] {-7, 9}));
    assertEquals(0.0, MinHashBands.jaccard(new long[] {1}, new long[] {2}));
  }
}
