package io.newslens.topics;

import static io.newslens.SharedSpark.rows;
import static io.newslens.SharedSpark.spark;
import static org.apache.spark.sql.types.DataTypes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two subjects, oil prices and company takeovers, that a 2-topic model must tell apart. */
class TopicsTest {
  static final StructType TOKENS = createStructType(List.of(
      createStructField("doc_id", StringType, false),
      createStructField("period", StringType, false),
      createStructField("sentence", IntegerType, false),
      createStructField("tokens", createArrayType(StringType), false),
      createStructField("terms", createArrayType(StringType), false),
      createStructField("phrases", createArrayType(StringType), false)));
  static final StructType FORMS = createStructType(List.of(
      createStructField("term", StringType, false), createStructField("surface", StringType, false)));

  static final String[] OIL = {"oil", "crude", "barrel", "opec", "price", "output", "brent", "refinery",
      "production", "energy", "supply", "petroleum"};
  static final String[] DEALS = {"acquisition", "merger", "shareholder", "takeover", "stake", "bid",
      "acquire", "board", "offer", "company", "deal", "holding"};
  static final String[] COMMON = {"market", "week", "analyst", "report", "percent"};

  static Map<String, Integer> subjectOf = new HashMap<>();
  static Dataset<Row> tokens;
  static Topics.Result result;

  @BeforeAll
  static void train() {
    Random random = new Random(7);
    List<Object[]> sentences = new ArrayList<>();
    for (int d = 0; d < 60; d++) {
      int subject = d % 2;
      String[] words = subject == 0 ? OIL : DEALS;
      String id = "doc" + d;
      subjectOf.put(id, subject);
      for (int s = 0; s < 3; s++) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          tokens.add(random.nextInt(5) == 0 ? COMMON[random.nextInt(COMMON.length)] : words[random.nextInt(words.length)]);
        }
        String[] array = tokens.toArray(String[]::new);
        sentences.add(new Object[] {id, "2020-0" + (1 + d % 3), s, array, array, new String[0]});
      }
    }
    List<Object[]> forms = new ArrayList<>();
    for (String[] list : List.of(OIL, DEALS, COMMON)) {
      for (String w : list) {
        forms.add(new Object[] {w, w});
      }
    }
    Topics.Options options = new Topics.Options(List.of(2), 200, 42L, "gibbs", 2, 0.95, 1000, null, 0.01, 2, 10, 0L);
    tokens = rows(TOKENS, sentences);
    result = Topics.apply(tokens, rows(FORMS, forms), options);
  }

  @AfterAll
  static void release() {
    result.release();
  }

  static Map<String, Integer> dominant(Dataset<Row> weights) {
    Map<String, Integer> best = new HashMap<>();
    Map<String, Double> bestWeight = new HashMap<>();
    for (Row r : weights.collectAsList()) {
      String doc = r.getAs("doc_id");
      double w = r.getAs("weight");
      if (w > bestWeight.getOrDefault(doc, -1.0)) {
        bestWeight.put(doc, w);
        best.put(doc, r.getAs("topic"));
      }
    }
    return best;
  }

  @Test
  void twoSubjectsBecomeTwoTopics() {
    Map<String, Integer> topicOf = dominant(result.docTopics());
    assertEquals(60, topicOf.size());
    long agree = subjectOf.keySet().stream().filter(d -> topicOf.get(d).equals(subjectOf.get(d))).count();
    double accuracy = Math.max(agree, 60 - agree) / 60.0; // topic numbers are arbitrary
    assertTrue(accuracy >= 0.85, "accuracy " + accuracy);

    List<Row> terms = result.topicTerms().orderBy("topic", "rank").collectAsList();
    assertEquals(List.of("topic", "rank", "term", "weight"), List.of(result.topicTerms().columns()));
    assertEquals(1, (int) terms.get(0).getAs("rank"));
    List<String> oil = List.of(OIL);
    long oilTopTerms = terms.stream().filter(r -> (int) r.getAs("rank") <= 5)
        .filter(r -> oil.contains(r.<String>getAs("term"))).count();
    assertEquals(5, oilTopTerms, "one topic's top five are all oil words");
    assertTrue((Double) result.metrics().get("mean_npmi") > 0);
  }

  @Test
  void documentsOutsideTheTrainingSampleGetTheirMixtureByFoldIn() {
    Topics.Options options = new Topics.Options(List.of(2), 200, 42L, "gibbs", 2, 0.95, 1000, null, 0.01, 1, 0, 500L);
    Topics.Result sampled = Topics.apply(tokens, rows(FORMS, List.of()), options);
    try {
      long trainTokens = (Long) sampled.metrics().get("train_tokens");
      assertTrue(trainTokens > 200 && trainTokens < 900, "about 500 of 1440 words: " + trainTokens);
      assertEquals(60L, sampled.metrics().get("documents"));
      Map<String, Integer> topicOf = dominant(sampled.docTopics());
      assertEquals(60, topicOf.size(), "every document has a mixture");
      double fraction = (Double) sampled.metrics().get("train_fraction");
      List<String> outside = subjectOf.keySet().stream()
          .filter(d -> GibbsSampler.sampleKey(42L, d) >= fraction).toList();
      assertTrue(outside.size() >= 20, "documents outside the sample: " + outside.size());
      long agree = outside.stream().filter(d -> topicOf.get(d).equals(subjectOf.get(d))).count();
      double accuracy = Math.max(agree, outside.size() - agree) / (double) outside.size();
      assertTrue(accuracy >= 0.85, "accuracy outside the sample " + accuracy);
      Map<String, Double> weightSum = new HashMap<>();
      sampled.docTopics().collectAsList().forEach(r -> weightSum.merge(r.getAs("doc_id"), r.<Double>getAs("weight"), Double::sum));
      weightSum.values().forEach(sum -> assertTrue(sum > 0.9 && sum <= 1 + 1e-9, "weights >= 0.05 sum near 1"));
    } finally {
      sampled.release();
    }
  }

  @Test
  void autoKeepsTheMostCoherentNumberOfTopics() {
    Topics.Options options = new Topics.Options(List.of(2, 6), 50, 42L, "gibbs", 2, 0.95, 1000, null, 0.01, 2, 0, 0L);
    Topics.Result auto = Topics.apply(tokens, rows(FORMS, List.of()), options);
    try {
      @SuppressWarnings("unchecked")
      Map<Integer, Double> tried = (Map<Integer, Double>) auto.metrics().get("auto_k_mean_npmi");
      assertEquals(List.of(2, 6), List.copyOf(tried.keySet()));
      int best = tried.get(2) >= tried.get(6) ? 2 : 6;
      assertEquals(best, auto.metrics().get("k"));
      assertEquals(best, auto.model().getK());
    } finally {
      auto.release();
    }
  }

  @Test
  void trendSharesOfAPeriodSumToOne() {
    Map<String, Double> sums = new HashMap<>();
    for (Row r : result.topicTrends().collectAsList()) {
      sums.merge(r.getAs("period"), r.<Double>getAs("share"), Double::sum);
    }
    assertEquals(3, sums.size());
    sums.values().forEach(sum -> assertEquals(1.0, sum, 1e-9));
  }

  @Test
  void trendsCountDocumentsAndAverageWeights() {
    StructType schema = createStructType(List.of(
        createStructField("doc_id", StringType, false), createStructField("period", StringType, false),
        createStructField("topic", IntegerType, false), createStructField("weight", DoubleType, false)));
    Dataset<Row> weights = rows(schema, List.of(
        new Object[] {"a", "p1", 0, 0.9}, new Object[] {"a", "p1", 1, 0.1},
        new Object[] {"b", "p1", 0, 0.97}, new Object[] {"b", "p1", 1, 0.03}));
    List<Row> trends = Topics.trends(weights).orderBy("topic").collectAsList();
    assertEquals(2L, (long) trends.get(0).getAs("docs"));
    assertEquals(1L, (long) trends.get(1).getAs("docs"), "0.03 is below the 0.05 cut");
    assertEquals(0.935, trends.get(0).getAs("share"), 1e-12);
    assertEquals(0.065, trends.get(1).getAs("share"), 1e-12);
  }

  @Test
  void savedModelScoresTrainingDocumentsLikeTraining(@TempDir Path dir) {
    // Through the store, as the topics stage saves it: load checks the store's marker.
    new io.newslens.common.TableStore(spark(), dir.toString()).replace("model", staged -> {
      try {
        result.model().write().save(staged);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    GibbsLDAModel loaded = Topics.loadModel(spark(), dir.resolve("model").toString());
    assertEquals(2, loaded.getK());
    assertEquals(0.01, ((Number) loaded.trainingInfo().get("beta_start")).doubleValue(),
        "the options' beta, where sampling began");
    assertNotEquals(0.01, loaded.estimatedTopicConcentration(), "the learnt beta is saved");
    assertEquals(((Number) loaded.trainingInfo().get("beta")).doubleValue(), loaded.estimatedTopicConcentration());
    assertEquals(2, loaded.estimatedDocConcentration().size(), "one alpha per topic");
    assertNotNull(loaded.topicWordCounts(), "the sampler's counts are saved");
    Dataset<Row> scored = scoreByTerms(loaded, Vocabulary.documentTerms(tokens));
    Map<String, double[]> training = new HashMap<>();
    for (Row r : result.docTopics().collectAsList()) {
      training.computeIfAbsent(r.getAs("doc_id"), d -> new double[2])[r.<Integer>getAs("topic")] = r.getAs("weight");
    }
    int compared = 0;
    for (Row r : scored.collectAsList()) {
      double[] theta = r.<org.apache.spark.ml.linalg.Vector>getAs("topicDistribution").toArray();
      double[] trained = training.get(r.<String>getAs("doc_id"));
      for (int t = 0; t < 2; t++) {
        if (trained[t] > 0) { // doc_topics leaves out weights below its cut
          assertEquals(trained[t], theta[t], 1e-12, "the run's own fold-in, from the saved model");
          compared++;
        }
      }
    }
    assertTrue(compared >= 60, compared + " weights compared");

    Dataset<Row> unknownWords = spark().createDataFrame(List.of(org.apache.spark.sql.RowFactory.create("new",
        new String[] {"zebra"})), createStructType(List.of(createStructField("doc_id", StringType, false),
            createStructField("terms", createArrayType(StringType), false))));
    double[] alpha = loaded.estimatedDocConcentration().toArray();
    double[] prior = {alpha[0] / (alpha[0] + alpha[1]), alpha[1] / (alpha[0] + alpha[1])};
    assertArrayEquals(prior, scoreByTerms(loaded, unknownWords).first()
        .<org.apache.spark.ml.linalg.Vector>getAs("topicDistribution").toArray(), "no known word: the prior's mean");
  }

  /** As the score command does: the documents' terms, seeded by their ids. */
  static Dataset<Row> scoreByTerms(GibbsLDAModel model, Dataset<Row> documentTerms) {
    return model.copy(org.apache.spark.ml.param.ParamMap.empty()).setFeaturesCol("terms").setIdCol("doc_id")
        .transform(documentTerms);
  }

  @Test
  void aModelSavedInTheEarlierLayoutStillScores(@TempDir Path dir) throws Exception {
    // params.json and topic_word/ (term, id, weights), as newslens wrote models before GibbsLDAModel.
    GibbsLDAModel model = result.model();
    Path old = dir.resolve("model");
    GibbsLDAModel.topicWord(org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark().sparkContext()),
            model.getVocabulary(), model.phi(), null, 2).drop("counts")
        .write().parquet(old.resolve("topic_word").toString());
    java.nio.file.Files.writeString(old.resolve("params.json"), new com.fasterxml.jackson.databind.ObjectMapper()
        .writeValueAsString(model.trainingInfo()));
    java.nio.file.Files.writeString(old.resolve(io.newslens.common.TableStore.MARKER), "model");
    GibbsLDAModel loaded = Topics.loadModel(spark(), old.toString());
    assertNull(loaded.topicWordCounts());
    assertEquals(model.getSeed(), loaded.getSeed());
    List<Row> before = scoreByTerms(model, Vocabulary.documentTerms(tokens)).orderBy("doc_id").collectAsList();
    List<Row> after = loaded.transform(Vocabulary.documentTerms(tokens)).orderBy("doc_id").collectAsList();
    assertEquals(60, after.size());
    assertEquals(before, after, "the earlier layout reads the terms by doc_id, as the run did");
  }
}
