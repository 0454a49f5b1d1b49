package io.newslens.topics;

import static io.newslens.SharedSpark.rows;
import static org.apache.spark.sql.types.DataTypes.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoherenceTest {
  /*
   * Four documents: {a, b}, {a, b}, {a}, {c}. df(a) = 3, df(b) = 2, df(c) = 1, df(a,b) = 2.
   * NPMI(a,b) = ln((2/4) / ((3/4)(2/4))) / -ln(2/4) = ln(4/3) / ln 2 = 0.415037;
   * NPMI(a,c) = NPMI(b,c) = -1 (never together). Mean = (0.415037 - 2) / 3 = -0.528321.
   * UMass pairs: ln((2+1)/3) = 0, ln((0+1)/3) = -1.098612, ln((0+1)/2) = -0.693147; mean -0.597253.
   */
  @Test
  void npmiAndUmassMatchAHandComputedExample() {
    var docs = rows(createStructType(List.of(createStructField("terms", createArrayType(StringType), false))),
        List.of(new Object[] {new String[] {"a", "b", "a"}}, new Object[] {new String[] {"b", "a"}},
            new Object[] {new String[] {"a", "z"}}, new Object[] {new String[] {"c"}}));
    Coherence.Scores scores = Coherence.of(docs, Map.of(0, List.of("a", "b", "c"))).get(0);
    assertEquals(-0.528321, scores.npmi(), 1e-6);
    assertEquals(-0.597253, scores.umass(), 1e-6);
    assertEquals(Math.log(4.0 / 3) / Math.log(2), Coherence.npmi(3, 2, 2, 4), 1e-12);
    assertEquals(1.0, Coherence.npmi(4, 4, 4, 4), 1e-12, "always together");
  }

  /** The same example as vocabulary ids (a=0, b=1, c=2; z is not in the vocabulary). */
  @Test
  void idsGiveTheSameScores() {
    var docs = io.newslens.SharedSpark.spark().sparkContext();
    var rdd = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(docs).parallelize(List.of(
        new int[] {0, 1, 0}, new int[] {1, 0}, new int[] {0}, new int[] {2}), 2);
    Coherence.Scores scores = Coherence.ofIds(rdd, 4, Map.of(0, List.of(0, 1, 2)), 3).get(0);
    assertEquals(-0.528321, scores.npmi(), 1e-6);
    assertEquals(-0.597253, scores.umass(), 1e-6);
  }
}
