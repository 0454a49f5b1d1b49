package io.newslens.clean;

import java.util.Arrays;

/**
 * What duplicate detection needs from one text, in one pass over its characters: the word count,
 * a 128-bit key of its word sequence (exact duplicates), and the sorted distinct 64-bit hashes of
 * its word 5-shingles (near duplicates; unsorted from {@link #forBanding}).
 *
 * <p>Words are maximal runs of letters and numbers ({@code [\p{L}\p{N}]+}), compared
 * lower-cased, so the key ignores case, punctuation and spacing. Shingles are hashed straight
 * from the words' hashes: no strings and no term-frequency vectors are built. With 64-bit
 * shingle hashes, collisions that would inflate a Jaccard similarity are negligible.
 */
public record TextFingerprint(int words, long key1, long key2, long[] shingles) {

  private static final long FNV_OFFSET = 0xCBF29CE484222325L;
  private static final long FNV_PRIME = 0x100000001B3L;
  private static final long KEY1_MULTIPLIER = 0x9E3779B97F4A7C15L;
  private static final long KEY2_MULTIPLIER = 0xC2B2AE3D27D4EB4FL;
  private static final long SHINGLE_MULTIPLIER = 0xD6E8FEB86659FD93L;

  public static TextFingerprint of(String text) {
    return of(text, true, true);
  }

  /**
   * As {@link #of}, but the shingle hashes in text order, repeats included: all MinHash banding
   * needs (a minimum over a multiset is the minimum over its set). Sorting them was a twentieth
   * of the clean stage's samples, for every article, where only the few candidates of a near
   * duplicate need the sorted set.
   */
  public static TextFingerprint forBanding(String text) {
    return of(text, true, false);
  }

  /** The word count and the key only, no shingles: for a text whose duplicates are found already. */
  public static TextFingerprint keyOf(String text) {
    return of(text, false, false);
  }

  private static TextFingerprint of(String text, boolean withShingles, boolean sortedSet) {
    long[] wordHashes = new long[64];
    int n = 0;
    long key1 = 0;
    long key2 = 0;
    long h = FNV_OFFSET;
    boolean inWord = false;
    int length = text == null ? 0 : text.length();
    for (int i = 0; i <= length; ) {
      int cp = i < length ? text.codePointAt(i) : ' ';
      if (isWordChar(cp)) {
        h = (h ^ Character.toLowerCase(cp)) * FNV_PRIME;
        inWord = true;
      } else if (inWord) {
        long w = MinHashBands.mix(h);
        if (withShingles) {
          if (n == wordHashes.length) {
            wordHashes = Arrays.copyOf(wordHashes, n * 2);
          }
          wordHashes[n] = w;
        }
        n++;
        key1 = key1 * KEY1_MULTIPLIER + w;
        key2 = key2 * KEY2_MULTIPLIER + (w ^ 0x5851F42D4C957F2DL);
        h = FNV_OFFSET;
        inWord = false;
      }
      i += i < length ? Character.charCount(cp) : 1;
    }
    return new TextFingerprint(n, MinHashBands.mix(key1 + n), MinHashBands.mix(key2 ^ n),
        withShingles ? shingles(wordHashes, n, sortedSet) : new long[0]);
  }

  /** The hashes of the windows of {@link MinHashBands#SHINGLE_WORDS} words, as a sorted set or in text order. */
  private static long[] shingles(long[] words, int n, boolean sortedSet) {
    int k = MinHashBands.SHINGLE_WORDS;
    if (n < k) {
      return new long[0];
    }
    long[] out = new long[n - k + 1];
    for (int i = 0; i + k <= n; i++) {
      long s = words[i];
      for (int j = 1; j < k; j++) {
        s = s * SHINGLE_MULTIPLIER + words[i + j];
      }
      out[i] = MinHashBands.mix(s);
    }
    if (!sortedSet) {
      return out;
    }
    Arrays.sort(out);
    int distinct = 0;
    for (int i = 0; i < out.length; i++) {
      if (i == 0 || out[i] != out[i - 1]) {
        out[distinct++] = out[i];
      }
    }
    return distinct == out.length ? out : Arrays.copyOf(out, distinct);
  }

  /** {@code [\p{L}\p{N}]}, as Spark's and Java's regular expressions define them. */
  static boolean isWordChar(int cp) {
    if (cp < 128) {
      return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    }
    if (Character.isLetter(cp)) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER;
  }
}
