package io.newslens.clean;

import static io.newslens.SharedSpark.rows;
import static io.newslens.clean.MinHashBandsTest.text;
import static io.newslens.clean.MinHashBandsTest.words;
import static org.junit.jupiter.api.Assertions.*;

import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class DeduplicateTest {
  static final StructType ARTICLES = new StructType()
      .add("doc_id", DataTypes.StringType).add("date", DataTypes.DateType).add("text", DataTypes.StringType);
  static final StructType DOCS = new StructType()
      .add("doc_id", DataTypes.StringType).add("date", DataTypes.DateType).add("text", DataTypes.StringType)
      .add(Deduplicate.KEY1, DataTypes.LongType).add(Deduplicate.KEY2, DataTypes.LongType)
      .add(Deduplicate.BANDS, DataTypes.createArrayType(DataTypes.LongType));

  static Map<String, String> duplicateOf(List<Object[]> articles, double threshold) {
    Dataset<Row> docs = Deduplicate.fingerprinted(rows(ARTICLES, articles), MinHashBands.forThreshold(threshold));
    List<Dataset<Row>> caches = new ArrayList<>();
    try {
      return Deduplicate.duplicateOf(docs, threshold, caches).collectAsList().stream()
          .collect(Collectors.toMap(r -> r.getString(0), r -> String.valueOf(r.<String>getAs("duplicate_of"))));
    } finally {
      caches.forEach(Dataset::unpersist);
    }
  }

  /** An article with a given key and band hashes: the test, not the banding, decides who are candidates. */
  static Object[] doc(String id, String date, long key, String text, long[] bands) {
    return new Object[] {id, Date.valueOf(date), text, key, key, bands};
  }

  /** Words from..to-1 of {@code words}: its shingles are those of the whole text from {@code from} on. */
  static String span(String[] words, int from, int to) {
    return String.join(" ", java.util.Arrays.copyOfRange(words, from, to)) + ".";
  }

  @Test
  void flagsPairsAtAndAboveTheThresholdButNotBelow() {
    String[] w = words(4242, 104);
    String original = text(w, 104);        // 100 shingles
    String[] v = words(4343, 104);
    List<Object[]> input = List.of(
        new Object[] {"orig", Date.valueOf("2020-01-01"), original},
        new Object[] {"at", Date.valueOf("2020-01-02"), text(w, 84)},      // J = 80/100, exactly 0.8
        new Object[] {"above", Date.valueOf("2020-01-03"), text(w, 94)},   // J = 0.9
        new Object[] {"orig2", Date.valueOf("2020-01-01"), text(v, 104)},
        new Object[] {"below", Date.valueOf("2020-01-04"), text(v, 83)},   // J = 79/100
        new Object[] {"copy", Date.valueOf("2020-01-05"), original.toUpperCase()},
        new Object[] {"other", Date.valueOf("2020-01-01"), text(words(99, 60), 60)});
    Map<String, String> out = duplicateOf(input, 0.8);
    assertEquals("null", out.get("orig"));
    assertEquals("orig", out.get("at"));
    assertEquals("orig", out.get("above"));
    assertEquals("null", out.get("below"));
    assertEquals("orig", out.get("copy"));
    assertEquals("null", out.get("other"));
  }

  @Test
  void verificationRejectsCandidatesBelowTheThreshold() {
    long[] band = {42L};
    String[] w = words(4242, 104);
    List<Object[]> docs = List.of(
        doc("a", "2020-01-01", 1, span(w, 0, 104), band),  // shingles 0-99
        doc("b", "2020-01-02", 2, span(w, 0, 84), band),   // 0-79: J(a, b) = 0.8
        doc("c", "2020-01-03", 3, span(w, 30, 104), band), // 30-99: J(a, c) = 0.7, J(b, c) = 50/100
        doc("d", "2020-01-04", 4, span(words(77, 104), 0, 104), new long[] {7L}));
    Dataset<Row> frame = rows(DOCS, docs);
    Dataset<Row> pairs = Deduplicate.candidatePairs(frame);
    assertEquals(3, pairs.count(), "a-b, a-c and b-c share the band hash");
    List<Dataset<Row>> caches = new ArrayList<>();
    List<String> verified = Deduplicate.verified(frame, pairs, 0.8, caches).collectAsList().stream()
        .map(r -> r.getString(0) + "-" + r.getString(2)).sorted().toList();
    caches.forEach(Dataset::unpersist);
    assertEquals(List.of("a-b"), verified);
  }

  @Test
  void giantBucketsCostLinearWorkAndStillPointToTheEarliest() {
    int n = 400;
    List<Object[]> docs = new ArrayList<>();
    String[] common = words(4242, 94);
    for (int i = 0; i < n; i++) {
      // All distinct texts (keys) in one bucket, each sharing 90 of 100 shingles with the first:
      // 94 words in common, then 10 of its own.
      String text = span(common, 0, 94) + " " + span(words(1000 + i, 10), 0, 10);
      docs.add(doc(String.format("d%03d", i), "2020-01-01", i + 10, text, new long[] {5L}));
    }
    Dataset<Row> frame = rows(DOCS, docs);
    long pairs = Deduplicate.candidatePairs(frame).count();
    int k = Deduplicate.MAX_EARLIER_PER_BUCKET;
    assertEquals((long) k * (k - 1) / 2 + (long) (n - k) * k, pairs);
    List<Dataset<Row>> caches = new ArrayList<>();
    Map<String, String> near = Deduplicate.nearDuplicates(frame, 0.8, caches).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getString(1)));
    caches.forEach(Dataset::unpersist);
    assertEquals(n - 1, near.size());
    assertTrue(near.values().stream().allMatch("d000"::equals), near.toString());
  }
}
