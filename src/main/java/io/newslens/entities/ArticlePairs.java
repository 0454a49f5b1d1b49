package io.newslens.entities;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One article's co-occurrence counts: its units (each sentence, and the whole article), the
 * entities each unit keeps under its cap, and how many units hold each entity and each pair.
 *
 * <p>Why per article rather than a self-join of the mention table: a unit never spans
 * articles, and an article's mentions are already together after recognition. The self-join
 * and the ranking windows it needed shuffled every mention four times before the first
 * aggregate; here each article yields its rows in one pass and only those rows are shuffled,
 * once, by pair. The rules are those the joins had: a sentence keeps its first
 * {@code maxPerSentence} distinct entities (by first offset, then name and type), an article
 * its {@code maxPerDocument} most mentioned ones (then first offset, name, type); a pair is
 * ordered by name, then type, as Spark compares strings (by code point).
 */
public final class ArticlePairs {
  private ArticlePairs() {}

  /** An entity as the tables key it. */
  public record Entity(String name, String type) {}

  /**
   * One mention: its sentence number, its first character, and what it names.
   * {@code inSentencePairs}/{@code inDocumentPairs}: false when the entity cannot reach the
   * minimum pair count in that window (it is in too few sentences or articles of the period), so
   * its pairs, certain to be dropped, are not emitted; it still takes its place under the caps.
   */
  public record Mention(int sentence, int begin, Entity entity, boolean inSentencePairs, boolean inDocumentPairs) {
    public Mention(int sentence, int begin, Entity entity) {
      this(sentence, begin, entity, true, true);
    }
  }

  /**
   * {@code b} null: the units holding {@code a}; otherwise the units holding both. Both windows
   * in one count: {@code sentences}, and {@code document} (1 when the article's capped set holds
   * it, else 0), as a pair in the same sentence is nearly always in the same article too: one row
   * for both windows is fewer rows to convert, shuffle and sum than a row per window.
   */
  public record Count(Entity a, Entity b, long sentences, long document) {}

  /**
   * Spark's string order: UTF-8 bytes, unsigned, which is code point order. It is the order of
   * Java's chars except where a surrogate differs (a code point above U+FFFF), so chars are
   * compared directly and code points only then.
   */
  static int compareStrings(String x, String y) {
    int n = Math.min(x.length(), y.length());
    for (int k = 0; k < n; k++) {
      char a = x.charAt(k);
      char b = y.charAt(k);
      if (a != b) {
        return Character.isSurrogate(a) || Character.isSurrogate(b) ? compareCodePoints(x, y) : a - b;
      }
    }
    return x.length() - y.length();
  }

  private static int compareCodePoints(String x, String y) {
    int i = 0;
    int j = 0;
    while (i < x.length() && j < y.length()) {
      int cx = x.codePointAt(i);
      int cy = y.codePointAt(j);
      if (cx != cy) {
        return Integer.compare(cx, cy);
      }
      i += Character.charCount(cx);
      j += Character.charCount(cy);
    }
    return Integer.compare(x.length() - i, y.length() - j);
  }

  static final Comparator<Entity> ENTITY_ORDER =
      (x, y) -> {
        int c = compareStrings(x.name(), y.name());
        return c != 0 ? c : compareStrings(x.type(), y.type());
      };

  public static List<Count> of(List<Mention> mentions, int maxPerSentence, int maxPerDocument) {
    Map<Integer, Map<Entity, Integer>> firstInSentence = new TreeMap<>();
    Map<Entity, int[]> inArticle = new LinkedHashMap<>(); // mentions, first offset
    Set<Entity> notInSentencePairs = new HashSet<>();
    Set<Entity> notInDocumentPairs = new HashSet<>();
    for (Mention m : mentions) {
      if (!m.inSentencePairs()) {
        notInSentencePairs.add(m.entity());
      }
      if (!m.inDocumentPairs()) {
        notInDocumentPairs.add(m.entity());
      }
      firstInSentence.computeIfAbsent(m.sentence(), s -> new HashMap<>()).merge(m.entity(), m.begin(), Math::min);
      int[] seen = inArticle.computeIfAbsent(m.entity(), e -> new int[] {0, Integer.MAX_VALUE});
      seen[0]++;
      seen[1] = Math.min(seen[1], m.begin());
    }
    // A hash map: the rows are summed by key downstream, so their order does not matter, and a
    // tree map of pairs compared strings code point by code point on every insertion. Keyed by
    // the entity alone or the pair; the value is {sentences, document}.
    Map<List<Entity>, long[]> counts = new HashMap<>();
    for (Map<Entity, Integer> sentence : firstInSentence.values()) {
      List<Entity> kept = new ArrayList<>(sentence.keySet());
      kept.sort(Comparator.<Entity>comparingInt(sentence::get).thenComparing(ENTITY_ORDER));
      count(kept.subList(0, Math.min(maxPerSentence, kept.size())), notInSentencePairs, counts, 0);
    }
    List<Entity> ranked = new ArrayList<>(inArticle.keySet());
    ranked.sort(Comparator.<Entity>comparingInt(e -> -inArticle.get(e)[0])
        .thenComparingInt(e -> inArticle.get(e)[1]).thenComparing(ENTITY_ORDER));
    count(ranked.subList(0, Math.min(maxPerDocument, ranked.size())), notInDocumentPairs, counts, 1);
    List<Count> out = new ArrayList<>(counts.size());
    counts.forEach((key, n) -> out.add(new Count(key.get(0), key.size() == 1 ? null : key.get(1), n[0], n[1])));
    return out;
  }

  /**
   * Adds one unit of window {@code window} (0 sentence, 1 document). Singles are only read for
   * the pairs they score, so an entity left out of pairs is left out of both.
   */
  private static void count(List<Entity> unit, Set<Entity> leftOut, Map<List<Entity>, long[]> counts, int window) {
    List<Entity> ordered = new ArrayList<>(unit);
    ordered.removeAll(leftOut);
    ordered.sort(ENTITY_ORDER);
    for (int i = 0; i < ordered.size(); i++) {
      counts.computeIfAbsent(List.of(ordered.get(i)), k -> new long[2])[window]++;
      for (int j = i + 1; j < ordered.size(); j++) {
        counts.computeIfAbsent(List.of(ordered.get(i), ordered.get(j)), k -> new long[2])[window]++;
      }
    }
  }
}
