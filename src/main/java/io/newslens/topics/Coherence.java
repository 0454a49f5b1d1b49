package io.newslens.topics;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

/**
 * Topic coherence over document co-occurrence in the corpus itself, for each topic's top terms:
 *
 * <ul>
 *   <li>NPMI (Bouma 2009; Lau et al. 2014): mean over term pairs of
 *       ln(P(a,b) / (P(a) P(b))) / -ln P(a,b), with P = document frequency / documents; -1 for
 *       pairs that never co-occur. In [-1, 1]; higher is more coherent.
 *   <li>UMass (Mimno et al. 2011): mean over pairs (a ranked above b) of ln((D(a,b) + 1) / D(b)).
 * </ul>
 *
 * Only the top terms' document frequencies and co-document frequencies travel to the driver.
 */
public final class Coherence {
  private Coherence() {}

  public record Scores(double npmi, double umass) {}

  /**
   * @param docTerms one row per document with an array column {@code terms}
   * @param topTerms for each topic, its top terms in rank order
   */
  public static Map<Integer, Scores> of(Dataset<Row> docTerms, Map<Integer, List<String>> topTerms) {
    Set<String> wanted = new HashSet<>();
    topTerms.values().forEach(wanted::addAll);
    long documents = docTerms.count();
    UDF1<scala.collection.Seq<String>, List<String>> keepWanted = terms -> {
      Set<String> present = new java.util.TreeSet<>();
      scala.collection.JavaConverters.seqAsJavaList(terms).forEach(t -> {
        if (wanted.contains(t)) {
          present.add(t);
        }
      });
      return new ArrayList<>(present);
    };
    Dataset<Row> present = docTerms
        .select(udf(keepWanted, DataTypes.createArrayType(DataTypes.StringType)).apply(col("terms")).as("present"))
        .filter(size(col("present")).gt(0));
    Map<String, Long> df = new HashMap<>();
    present.select(explode(col("present")).as("t")).groupBy("t").count().collectAsList()
        .forEach(r -> df.put(r.getString(0), r.getLong(1)));
    Map<String, Long> coDf = new HashMap<>();
    // Pairs within a document, as "a\tb" with a < b; only pairs that some topic needs.
    Set<String> wantedPairs = new HashSet<>();
    topTerms.values().forEach(terms -> {
      for (int i = 0; i < terms.size(); i++) {
        for (int j = i + 1; j < terms.size(); j++) {
          wantedPairs.add(pairKey(terms.get(i), terms.get(j)));
        }
      }
    });
    UDF1<scala.collection.Seq<String>, List<String>> pairsOf = terms -> {
      List<String> list = scala.collection.JavaConverters.seqAsJavaList(terms);
      List<String> pairs = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        for (int j = i + 1; j < list.size(); j++) {
          String key = pairKey(list.get(i), list.get(j));
          if (wantedPairs.contains(key)) {
            pairs.add(key);
          }
        }
      }
      return pairs;
    };
    present.select(explode(udf(pairsOf, DataTypes.createArrayType(DataTypes.StringType)).apply(col("present"))).as("p"))
        .groupBy("p").count().collectAsList()
        .forEach(r -> coDf.put(r.getString(0), r.getLong(1)));
    Map<Integer, Scores> scores = new HashMap<>();
    topTerms.forEach((topic, terms) -> scores.put(topic, score(terms, df, coDf, documents)));
    return scores;
  }

  /**
   * The same scores over documents given as vocabulary ids (terms outside the vocabulary left out:
   * top terms are always in it), in one pass: each partition counts into two arrays, summed on
   * the driver. {@code documents} counts every document, also those with no vocabulary term.
   */
  public static Map<Integer, Scores> ofIds(JavaRDD<int[]> docs, long documents, Map<Integer, List<Integer>> topTerms,
      int vocabSize) {
    int[] slot = new int[vocabSize];
    Arrays.fill(slot, -1);
    List<Integer> wanted = new ArrayList<>();
    topTerms.values().forEach(terms -> terms.forEach(id -> {
      if (slot[id] < 0) {
        slot[id] = wanted.size();
        wanted.add(id);
      }
    }));
    int n = wanted.size();
    Map<Long, Integer> pairSlot = new HashMap<>();
    List<long[]> pairs = new ArrayList<>();
    topTerms.values().forEach(terms -> {
      for (int i = 0; i < terms.size(); i++) {
        for (int j = i + 1; j < terms.size(); j++) {
          int a = Math.min(slot[terms.get(i)], slot[terms.get(j)]);
          int b = Math.max(slot[terms.get(i)], slot[terms.get(j)]);
          if (a != b && pairSlot.putIfAbsent((long) a * n + b, pairSlot.size()) == null) {
            pairs.add(new long[] {a, b});
          }
        }
      }
    });
    int pairCount = pairSlot.size();
    long[] counts = docs.mapPartitions(local -> {
      long[] c = new long[n + pairCount];
      int[] seen = new int[n];
      int[] present = new int[n];
      int stamp = 0;
      while (local.hasNext()) {
        int[] words = local.next();
        stamp++;
        int m = 0;
        for (int w : words) {
          int s = slot[w];
          if (s >= 0 && seen[s] != stamp) {
            seen[s] = stamp;
            present[m++] = s;
          }
        }
        Arrays.sort(present, 0, m);
        for (int i = 0; i < m; i++) {
          c[present[i]]++;
          for (int j = i + 1; j < m; j++) {
            Integer p = pairSlot.get((long) present[i] * n + present[j]);
            if (p != null) {
              c[n + p]++;
            }
          }
        }
      }
      return List.of(c).iterator();
    }).treeReduce((a, b) -> {
      for (int i = 0; i < a.length; i++) {
        a[i] += b[i];
      }
      return a;
    });
    Map<String, Long> df = new HashMap<>();
    for (int s = 0; s < n; s++) {
      df.put(String.valueOf(wanted.get(s)), counts[s]);
    }
    Map<String, Long> coDf = new HashMap<>();
    for (long[] pair : pairs) {
      long key = pair[0] * n + pair[1];
      coDf.put(pairKey(String.valueOf(wanted.get((int) pair[0])), String.valueOf(wanted.get((int) pair[1]))),
          counts[n + pairSlot.get(key)]);
    }
    Map<Integer, Scores> scores = new HashMap<>();
    topTerms.forEach((topic, terms) -> scores.put(topic,
        score(terms.stream().map(String::valueOf).toList(), df, coDf, documents)));
    return scores;
  }

  static String pairKey(String a, String b) {
    return a.compareTo(b) < 0 ? a + "\t" + b : b + "\t" + a;
  }

  /** The two scores of one topic from document frequencies: the formulas, testable by hand. */
  public static Scores score(List<String> terms, Map<String, Long> df, Map<String, Long> coDf, long documents) {
    double npmi = 0;
    double umass = 0;
    int pairs = 0;
    for (int i = 0; i < terms.size(); i++) {
      for (int j = i + 1; j < terms.size(); j++) {
        long dA = df.getOrDefault(terms.get(i), 0L);
        long dB = df.getOrDefault(terms.get(j), 0L);
        long dAB = coDf.getOrDefault(pairKey(terms.get(i), terms.get(j)), 0L);
        npmi += npmi(dA, dB, dAB, documents);
        // UMass conditions the lower-ranked term on the higher-ranked one.
        umass += dA == 0 ? 0 : Math.log((dAB + 1.0) / dA);
        pairs++;
      }
    }
    return pairs == 0 ? new Scores(0, 0) : new Scores(npmi / pairs, umass / pairs);
  }

  static double npmi(long dA, long dB, long dAB, long documents) {
    if (dAB == 0) {
      return -1;
    }
    double pAB = (double) dAB / documents;
    if (pAB >= 1) {
      return 1;
    }
    double pmi = Math.log(pAB / ((double) dA / documents * ((double) dB / documents)));
    return pmi / -Math.log(pAB);
  }

}
