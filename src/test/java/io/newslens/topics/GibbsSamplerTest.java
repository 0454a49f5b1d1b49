package io.newslens.topics;

import static io.newslens.SharedSpark.spark;
import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

/**
 * Three subjects, each with its own ten words drawn with falling frequencies (so each subject's
 * top five words are clear), plus a few words common to all.
 */
class GibbsSamplerTest {
  static final int K = 3;
  static final int SUBJECT_WORDS = 10;
  static final int COMMON = 3;
  static final int V = K * SUBJECT_WORDS + COMMON;
  static final List<Tuple2<String, int[]>> DOCS = new ArrayList<>();
  static int[] frequency = new int[V];
  static long tokens;

  @BeforeAll
  static void corpus() {
    Random random = new Random(11);
    double[] weights = new double[SUBJECT_WORDS];
    double total = 0;
    for (int j = 0; j < SUBJECT_WORDS; j++) {
      weights[j] = 1.0 / (j + 1);
      total += weights[j];
    }
    for (int d = 0; d < 90; d++) {
      int subject = d % K;
      int[] words = new int[40];
      for (int i = 0; i < words.length; i++) {
        if (random.nextInt(12) == 0) {
          words[i] = K * SUBJECT_WORDS + random.nextInt(COMMON);
        } else {
          double u = random.nextDouble() * total;
          int j = 0;
          while (j < SUBJECT_WORDS - 1 && (u -= weights[j]) > 0) {
            j++;
          }
          words[i] = subject * SUBJECT_WORDS + j;
        }
        frequency[words[i]]++;
        tokens++;
      }
      DOCS.add(new Tuple2<>("doc" + d, words));
    }
  }

  static JavaPairRDD<String, int[]> rdd(List<Tuple2<String, int[]>> docs, int slices) {
    return JavaSparkContext.fromSparkContext(spark().sparkContext()).parallelizePairs(docs, slices);
  }

  static GibbsSampler.Trained train(List<Tuple2<String, int[]>> docs, int slices, int partitions, String checkpoints) {
    return new GibbsSampler(K, V, 0.5, 0.05, 42L).train(rdd(docs, slices), partitions, 60, 5, checkpoints);
  }

  /** Each topic's five most frequent words, as a set. */
  static List<Set<Integer>> topFive(int[] wordTopic) {
    List<Set<Integer>> out = new ArrayList<>();
    for (int t = 0; t < K; t++) {
      int topic = t;
      List<Integer> words = new ArrayList<>();
      for (int w = 0; w < V; w++) {
        words.add(w);
      }
      words.sort((a, b) -> wordTopic[b * K + topic] != wordTopic[a * K + topic]
          ? Integer.compare(wordTopic[b * K + topic], wordTopic[a * K + topic]) : Integer.compare(a, b));
      out.add(new HashSet<>(words.subList(0, 5)));
    }
    return out;
  }

  static void assertConserved(GibbsSampler.Trained trained) {
    assertEquals(tokens, trained.tokens);
    assertTrue(trained.assignmentsPerSync.size() >= 12, "60 sweeps, at most 5 per synchronisation");
    trained.assignmentsPerSync.forEach(n -> assertEquals(tokens, n, "assignments after a synchronisation"));
    long sum = 0;
    for (int w = 0; w < V; w++) {
      int perWord = 0;
      for (int t = 0; t < K; t++) {
        perWord += trained.wordTopic[w * K + t];
      }
      assertEquals(frequency[w], perWord, "word " + w + "'s counts sum to its frequency");
      sum += perWord;
    }
    assertEquals(tokens, sum);
    int[] recount = new int[V * K];
    trained.docs.collect().forEach(d -> {
      for (int i = 0; i < d.words.length; i++) {
        recount[d.words[i] * K + d.topics[i]]++;
      }
    });
    assertArrayEquals(recount, trained.wordTopic, "the driver's counts are the documents' assignments");
    int[] totals = new int[K];
    for (int i = 0; i < recount.length; i++) {
      totals[i % K] += recount[i];
    }
    assertArrayEquals(totals, trained.topicTotals);
  }

  @Test
  void countsAreConservedAndPartitionCountsAgreeOnTopics(@TempDir Path dir) {
    GibbsSampler.Trained one = train(DOCS, 2, 1, dir.toString());
    GibbsSampler.Trained three = train(DOCS, 2, 3, dir.toString());
    try {
      assertConserved(one);
      assertConserved(three);
      List<Set<Integer>> a = topFive(one.wordTopic);
      List<Set<Integer>> b = topFive(three.wordTopic);
      for (Set<Integer> top : a) {
        int subject = top.iterator().next() / SUBJECT_WORDS;
        assertTrue(top.stream().allMatch(w -> w / SUBJECT_WORDS == subject), "one subject per topic: " + top);
        assertTrue(b.contains(top), "3 partitions found the topic " + top + " of 1 partition: " + b);
      }
      assertEquals(K, new HashSet<>(a).size(), "three distinct topics");
    } finally {
      one.release();
      three.release();
    }
    File[] left = dir.toFile().listFiles();
    assertEquals(0, left == null ? 0 : left.length, "checkpoints deleted");
  }

  @Test
  void sameSeedAndPartitionsGiveTheSameModelWhateverTheInputOrder() {
    List<Tuple2<String, int[]>> shuffled = new ArrayList<>(DOCS);
    Collections.shuffle(shuffled, new Random(3));
    GibbsSampler.Trained a = train(DOCS, 1, 2, null);
    GibbsSampler.Trained b = train(shuffled, 5, 2, null);
    try {
      assertArrayEquals(a.wordTopic, b.wordTopic);
    } finally {
      a.release();
      b.release();
    }
  }

  @Test
  void foldInFindsTheSubjectOfANewDocument() {
    GibbsSampler.Trained trained = train(DOCS, 2, 1, null);
    try {
      FoldIn foldIn = new FoldIn(K, GibbsSampler.filled(K, 0.5), FoldIn.phiOf(K, V, 0.05, trained.wordTopic, trained.topicTotals), 5, 5, 42L);
      List<Set<Integer>> top = topFive(trained.wordTopic);
      for (int subject = 0; subject < K; subject++) {
        int[] words = new int[20];
        for (int i = 0; i < words.length; i++) {
          words[i] = subject * SUBJECT_WORDS + i % 4;
        }
        FoldIn.Mixture m = foldIn.infer("new" + subject, words);
        int best = 0;
        for (int t = 1; t < K; t++) {
          best = m.theta()[t] > m.theta()[best] ? t : best;
        }
        assertTrue(m.theta()[best] > 0.8, "theta " + java.util.Arrays.toString(m.theta()));
        int s = subject;
        assertTrue(top.get(best).stream().allMatch(w -> w / SUBJECT_WORDS == s), "the subject's topic");
        assertEquals(1.0, java.util.Arrays.stream(m.theta()).sum(), 1e-9);
        assertEquals(20, m.words());
        assertTrue(m.logLikelihood() < 0 && m.logLikelihood() > 20 * Math.log(1.0 / V), "better than uniform");
        assertArrayEquals(m.theta(), foldIn.infer("new" + subject, words).theta(), "deterministic per document");
      }
    } finally {
      trained.release();
    }
  }

  /**
   * Two subjects of ten words each; three documents in four are about subject 0 only, the others
   * about subject 1: alpha's estimate grows with the share of documents that use a topic. (With
   * more topics than subjects of such uneven sizes, LDA's best fit splits the large subject.)
   */
  static List<Tuple2<String, int[]>> dominated() {
    Random random = new Random(17);
    List<Tuple2<String, int[]>> docs = new ArrayList<>();
    for (int d = 0; d < 120; d++) {
      int[] words = new int[40];
      int subject = d % 4 == 3 ? 1 : 0;
      for (int i = 0; i < words.length; i++) {
        words[i] = subject * SUBJECT_WORDS + random.nextInt(SUBJECT_WORDS);
      }
      docs.add(new Tuple2<>("dom" + d, words));
    }
    return docs;
  }

  static GibbsSampler.Trained trainLearning(List<Tuple2<String, int[]>> docs, int partitions) {
    return new GibbsSampler(2, 2 * SUBJECT_WORDS, GibbsSampler.filled(2, 2.5), 0.01, 42L, 10, 20)
        .train(rdd(docs, 2), partitions, 100, 25, null);
  }

  @Test
  void optimisationMakesAlphaAsymmetricOnACorpusWithOneDominantTopic() {
    List<Tuple2<String, int[]>> docs = dominated();
    GibbsSampler.Trained fixed = new GibbsSampler(2, 2 * SUBJECT_WORDS, 2.5, 0.01, 42L).train(rdd(docs, 2), 1, 100, 25, null);
    GibbsSampler.Trained learnt = trainLearning(docs, 1);
    GibbsSampler.Trained again = trainLearning(docs, 1);
    GibbsSampler.Trained three = trainLearning(docs, 3);
    try {
      assertEquals(0, fixed.hyperparameterUpdates);
      assertArrayEquals(GibbsSampler.filled(2, 2.5), fixed.alpha, "without optimisation alpha is the one given");
      assertEquals(0.01, fixed.beta);

      assertEquals(3, learnt.hyperparameterUpdates, "due at 30, 40, ..., 100: learnt at the round ends 50, 75, 100");
      assertEquals(7, three.hyperparameterUpdates, "3 partitions synchronise after 1, 2, 3... sweeps: learnt at 36, 45, 55, 66, 78, 91, 100");
      for (GibbsSampler.Trained model : List.of(learnt, three)) {
        int dominant = model.topicTotals[0] > model.topicTotals[1] ? 0 : 1;
        for (int w = 0; w < 2 * SUBJECT_WORDS; w++) {
          int subject = w / SUBJECT_WORDS;
          assertEquals(model.wordTopic[w * 2] + model.wordTopic[w * 2 + 1],
              model.wordTopic[w * 2 + (subject == 0 ? dominant : 1 - dominant)],
              "every token of word " + w + " in its subject's topic");
        }
        assertTrue(model.alpha[dominant] > 2 * model.alpha[1 - dominant],
            "the dominant topic's alpha stands out: " + java.util.Arrays.toString(model.alpha));
        assertTrue(model.alpha[0] + model.alpha[1] < 1, "pure documents: a sparse prior " + java.util.Arrays.toString(model.alpha));
        assertTrue(model.beta > 0 && model.beta != 0.01 && model.beta < 1, "beta learnt too: " + model.beta);
      }
      assertArrayEquals(learnt.alpha, again.alpha, 0.0, "same seed, same alpha");
      assertEquals(learnt.beta, again.beta, 0.0);
      assertArrayEquals(learnt.wordTopic, again.wordTopic, "same seed, same counts");
    } finally {
      fixed.release();
      learnt.release();
      again.release();
      three.release();
    }
  }

  @Test
  void optimisationIsDueEveryIntervalAfterTheBurnIn() {
    GibbsSampler lda = new GibbsSampler(K, V, GibbsSampler.filled(K, 0.1), 0.01, 1L, 10, 25);
    assertEquals(30, lda.nextOptimisation(0));
    assertEquals(30, lda.nextOptimisation(29));
    assertEquals(40, lda.nextOptimisation(30));
    assertEquals(Integer.MAX_VALUE, new GibbsSampler(K, V, 0.1, 0.01, 1L).nextOptimisation(0), "off");
  }

  @Test
  void trainingSampleIsFixedBySeedAndId() {
    assertEquals(GibbsSampler.sampleKey(42L, "a"), GibbsSampler.sampleKey(42L, "a"));
    assertNotEquals(GibbsSampler.sampleKey(42L, "a"), GibbsSampler.sampleKey(43L, "a"));
    long below = java.util.stream.IntStream.range(0, 10_000)
        .filter(i -> GibbsSampler.sampleKey(42L, "doc" + i) < 0.3).count();
    assertEquals(3000, below, 150, "a uniform draw");
  }
}
