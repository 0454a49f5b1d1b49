package io.newslens.entities;

import static io.newslens.SharedSpark.spark;
import static org.junit.jupiter.api.Assertions.*;

import io.newslens.entities.ArticlePairs.Count;
import io.newslens.entities.ArticlePairs.Entity;
import io.newslens.entities.ArticlePairs.Mention;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArticlePairsTest {
  private static Mention m(int sentence, int begin, String name) {
    return new Mention(sentence, begin, e(name));
  }

  private static Entity e(String name) {
    return new Entity(name, "PERSON");
  }

  @Test
  void countsUnitsPerWindow() {
    // a and b share sentences 0 and 1; c is alone in sentence 2; a is mentioned most.
    List<Count> counts = ArticlePairs.of(List.of(m(0, 0, "a"), m(0, 5, "b"), m(0, 9, "a"), m(1, 20, "b"), m(1, 25, "a"),
        m(2, 40, "c")), 20, 50);
    // Two sentences and the article hold a and b; c shares only the article with them.
    assertEquals(Set.of(new Count(e("a"), e("b"), 2, 1), new Count(e("a"), null, 2, 1),
        new Count(e("b"), null, 2, 1), new Count(e("c"), null, 1, 1), new Count(e("a"), e("c"), 0, 1),
        new Count(e("b"), e("c"), 0, 1)), new HashSet<>(counts));
    assertEquals(6, counts.size(), counts.toString());
  }

  @Test
  void capsKeepTheFirstInASentenceAndTheMostMentionedInAnArticle() {
    List<Count> counts = ArticlePairs.of(List.of(m(0, 30, "x"), m(0, 10, "z"), m(0, 20, "y"), m(1, 50, "x"),
        m(2, 60, "x")), 2, 2);
    assertTrue(counts.contains(new Count(e("y"), e("z"), 1, 0)), "offsets 10 and 20 come first in the sentence");
    assertTrue(counts.contains(new Count(e("x"), e("z"), 0, 1)),
        "in the article: x (3 mentions) then z (first at 10, before y)");
    assertEquals(2, counts.stream().filter(c -> c.b() != null).count());
  }

  @Test
  void anEntityLeftOutOfAWindowsPairsCountsInTheOther() {
    // y cannot reach the minimum in the article window (too few articles) but can in sentences.
    List<Count> counts = ArticlePairs.of(List.of(m(0, 0, "x"),
        new Mention(0, 5, e("y"), true, false)), 20, 50);
    assertEquals(Set.of(new Count(e("x"), e("y"), 1, 0), new Count(e("x"), null, 1, 1),
        new Count(e("y"), null, 1, 0)), new HashSet<>(counts));
  }

  @Test
  void namesAreOrderedAsSparkOrdersStrings() {
    String replacement = "\uFFFD";
    String mathematicalA = "\uD835\uDC00"; // U+1D400: UTF-16 puts it before U+FFFD, UTF-8 and Spark after
    boolean sparkSaysReplacementFirst = spark().sql("select '" + replacement + "' < '" + mathematicalA + "'")
        .first().getBoolean(0);
    assertTrue(sparkSaysReplacementFirst);
    assertTrue(replacement.compareTo(mathematicalA) > 0, "String.compareTo disagrees, hence compareStrings");
    assertTrue(ArticlePairs.compareStrings(replacement, mathematicalA) < 0);
    List<Count> counts = ArticlePairs.of(List.of(m(0, 0, mathematicalA), m(0, 1, replacement)), 20, 50);
    Count pair = counts.stream().filter(c -> c.b() != null).findFirst().orElseThrow();
    assertEquals(replacement, pair.a().name());
  }

  @Test
  void charOrderWithSurrogatesComparedAsCodePoints() {
    java.util.Random random = new java.util.Random(7);
    String[] pieces = {"a", "b", "A", "\u00e9", "\uFFFD", "\uD835\uDC00", "\uD83D\uDE00", "\uE000", " "};
    for (int trial = 0; trial < 20_000; trial++) {
      StringBuilder x = new StringBuilder();
      StringBuilder y = new StringBuilder();
      String shared = pieces[random.nextInt(pieces.length)].repeat(random.nextInt(3));
      x.append(shared);
      y.append(shared);
      for (int k = random.nextInt(4); k > 0; k--) {
        x.append(pieces[random.nextInt(pieces.length)]);
      }
      for (int k = random.nextInt(4); k > 0; k--) {
        y.append(pieces[random.nextInt(pieces.length)]);
      }
      int byCodePoints = java.util.Arrays.compare(x.codePoints().toArray(), y.codePoints().toArray());
      assertEquals(Integer.signum(byCodePoints), Integer.signum(ArticlePairs.compareStrings(x.toString(), y.toString())),
          x + " vs " + y);
    }
  }
}
