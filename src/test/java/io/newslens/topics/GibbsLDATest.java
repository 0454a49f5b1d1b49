package io.newslens.topics;

import static io.newslens.SharedSpark.spark;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.CountVectorizer;
import org.apache.spark.ml.feature.CountVectorizerModel;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The estimator on its own, as a notebook user calls it: count vectors of two clear subjects. */
class GibbsLDATest {
  static Dataset<Row> words; // (id, subject, words)
  static CountVectorizerModel vectorizer;
  static Dataset<Row> counts; // + features
  static GibbsLDAModel model;

  static GibbsLDA lda() {
    return new GibbsLDA().setK(2).setMaxIter(60).setSeed(7).setIdCol("id")
        .setVocabulary(vectorizer.vocabulary());
  }

  @BeforeAll
  static void fit() {
    Random random = new Random(3);
    List<Row> rows = new ArrayList<>();
    for (int d = 0; d < 40; d++) {
      String[] subject = d % 2 == 0 ? TopicsTest.OIL : TopicsTest.DEALS;
      String[] text = new String[20];
      for (int i = 0; i < text.length; i++) {
        text[i] = random.nextInt(5) == 0 ? TopicsTest.COMMON[random.nextInt(TopicsTest.COMMON.length)]
            : subject[random.nextInt(subject.length)];
      }
      rows.add(RowFactory.create("d" + d, d % 2, text));
    }
    words = spark().createDataFrame(rows, new StructType().add("id", "string").add("subject", "int")
        .add("words", DataTypes.createArrayType(DataTypes.StringType)));
    vectorizer = new CountVectorizer().setInputCol("words").setOutputCol("features").fit(words);
    counts = vectorizer.transform(words).cache();
    model = lda().fit(counts);
  }

  static Map<String, double[]> mixtures(Dataset<Row> transformed) {
    Map<String, double[]> out = new HashMap<>();
    for (Row r : transformed.select("id", "topicDistribution").collectAsList()) {
      out.put(r.getString(0), r.<Vector>getAs(1).toArray());
    }
    return out;
  }

  @Test
  void mllibParameterNamesAndDefaults() {
    GibbsLDA lda = new GibbsLDA();
    for (String name : List.of("k", "maxIter", "docConcentration", "topicConcentration", "seed", "featuresCol",
        "topicDistributionCol", "idCol", "vocabulary", "optimizeInterval", "optimizeBurnIn", "trainSampleWords",
        "numPartitions", "sweepsPerSync", "foldInBurnIn", "foldInSamples", "checkpointDir", "logLikelihoodCol")) {
      assertTrue(lda.hasParam(name), name);
    }
    assertEquals(18, lda.params().length, "Spark finds every parameter by reflection");
    assertEquals(10, lda.getK(), "MLlib's default k");
    assertEquals("features", lda.getFeaturesCol());
    assertEquals("topicDistribution", lda.getTopicDistributionCol());
    assertEquals(Topics.DEFAULT_BETA, lda.getTopicConcentration());
    assertEquals(42L, lda.getSeed());
    assertEquals(0, lda.getMaxIter(), "0: from the training sample's size");
    assertEquals(Topics.DEFAULT_OPTIMIZE_INTERVAL, lda.getOptimizeInterval());
    assertEquals(Topics.DEFAULT_TRAIN_SAMPLE, lda.getTrainSampleWords());
    assertNull(lda.getDocConcentration(), "unset: 5 / k");
    assertArrayEquals(new double[] {1.25, 1.25, 1.25, 1.25}, lda.startingAlpha(4));
    assertNull(lda.getIdCol());
    String explained = lda.explainParams();
    assertTrue(explained.contains("k: number of topics (at least 2) (default: 10)"), explained);
    assertTrue(explained.contains("topicConcentration: the topic-word prior beta"), explained);
    assertTrue(lda.uid().startsWith("gibbsLDA_"), lda.uid());
  }

  @Test
  void copyKeepsTheUidAndTakesExtraValuesWithoutTouchingTheOriginal() {
    GibbsLDA lda = new GibbsLDA().setK(5).setSeed(9L).setDocConcentration(0.1, 0.2, 0.3, 0.4, 0.5);
    GibbsLDA copy = lda.copy(new ParamMap().put(lda.k(), 3).put(lda.maxIter(), 50));
    assertEquals(lda.uid(), copy.uid());
    assertEquals(3, copy.getK());
    assertEquals(50, copy.getMaxIter());
    assertEquals(9L, copy.getSeed());
    assertArrayEquals(new double[] {0.1, 0.2, 0.3, 0.4, 0.5}, copy.getDocConcentration());
    assertEquals(5, lda.getK(), "the original keeps its k");
    assertEquals(0, lda.getMaxIter());
    assertNotSame(lda.k(), copy.k(), "each instance owns its Param objects");
    assertEquals(lda.k(), copy.k(), "equal by parent uid and name");

    GibbsLDAModel copied = model.copy(new ParamMap().put(model.topicDistributionCol(), "mix"));
    assertEquals("mix", copied.getTopicDistributionCol());
    assertEquals("topicDistribution", model.getTopicDistributionCol());
    assertSame(model.parent(), copied.parent());
    assertArrayEquals(model.getVocabulary(), copied.getVocabulary());
  }

  @Test
  void invalidValuesAreRefusedWithMessagesThatSayWhatIsAllowed() {
    IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> new GibbsLDA().setK(1));
    assertEquals("k must be at least 2 (a topic model needs two topics or more), got 1", k.getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new GibbsLDA().setTopicConcentration(0))
        .getMessage().contains("topicConcentration must be positive"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new GibbsLDA().setDocConcentration(1, -1))
        .getMessage().contains("docConcentration must be positive"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new GibbsLDA().setFoldInSamples(0))
        .getMessage().contains("foldInSamples must be at least 1"));

    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> new GibbsLDA().setK(2).setFeaturesCol("counts").fit(counts));
    assertTrue(missing.getMessage().startsWith("GibbsLDA: no column 'counts' in the input (columns: id, subject,"
        + " words, features)"), missing.getMessage());
    IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
        () -> new GibbsLDA().setFeaturesCol("subject").fit(counts));
    assertTrue(wrongType.getMessage().contains("column 'subject' is int; it must be a Vector of term counts"),
        wrongType.getMessage());
    IllegalArgumentException terms = assertThrows(IllegalArgumentException.class,
        () -> new GibbsLDA().setFeaturesCol("words").fit(counts));
    assertTrue(terms.getMessage().contains("holds terms (array<string>): set vocabulary"), terms.getMessage());
    IllegalArgumentException id = assertThrows(IllegalArgumentException.class,
        () -> model.copy(ParamMap.empty()).setIdCol("doc").transform(counts));
    assertTrue(id.getMessage().contains("no column 'doc' (idCol)"), id.getMessage());
    IllegalArgumentException alpha = assertThrows(IllegalArgumentException.class,
        () -> new GibbsLDA().setK(3).setDocConcentration(0.1, 0.2).fit(counts));
    assertTrue(alpha.getMessage().contains("docConcentration has 2 values for k = 3 topics"), alpha.getMessage());
    IllegalArgumentException exists = assertThrows(IllegalArgumentException.class,
        () -> model.transform(model.transform(counts)));
    assertTrue(exists.getMessage().contains("output column 'topicDistribution' already exists"), exists.getMessage());
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
        () -> new GibbsLDA().setK(2).fit(counts.limit(0)));
    assertTrue(empty.getMessage().contains("no document in column 'features' has any word"), empty.getMessage());
  }

  @Test
  void fitsTwoClearSubjectsAndTransformGivesMixturesThatSumToOne() {
    Dataset<Row> transformed = model.transform(counts);
    assertEquals(Arrays.asList(counts.columns()), Arrays.asList(transformed.columns()).subList(0, 4),
        "the input columns are kept");
    Map<String, double[]> mix = mixtures(transformed);
    assertEquals(40, mix.size());
    int oilTopic = argmax(mix.get("d0"));
    for (Row r : words.select("id", "subject").collectAsList()) {
      double[] theta = mix.get(r.getString(0));
      assertEquals(2, theta.length);
      assertEquals(1.0, theta[0] + theta[1], 1e-9, r.getString(0));
      int expected = r.getInt(1) == 0 ? oilTopic : 1 - oilTopic;
      assertTrue(theta[expected] > 0.8, r.getString(0) + " " + Arrays.toString(theta));
    }
    Matrix topics = model.topicsMatrix();
    assertEquals(vectorizer.vocabulary().length, topics.numRows());
    assertEquals(2, topics.numCols());
    for (int t = 0; t < 2; t++) {
      double sum = 0;
      for (int w = 0; w < topics.numRows(); w++) {
        sum += topics.apply(w, t);
      }
      assertEquals(1.0, sum, 1e-9, "topic " + t + " is a distribution over the vocabulary");
    }
    List<Row> described = model.describeTopics(5).orderBy("topic").collectAsList();
    assertEquals(2, described.size());
    List<String> oilTerms = described.get(oilTopic).getList(3);
    assertEquals(5, oilTerms.size());
    assertTrue(Arrays.asList(TopicsTest.OIL).containsAll(oilTerms), oilTerms.toString());
    List<Double> weights = described.get(oilTopic).getList(2);
    for (int r = 1; r < weights.size(); r++) {
      assertTrue(weights.get(r - 1) >= weights.get(r), "ranked by weight");
    }
    GibbsLDAModel.Summary summary = model.summary();
    assertEquals(40, summary.documents());
    assertEquals(800, summary.tokens());
    assertEquals(60, summary.iterations());
    int[] wordTopic = model.topicWordCounts();
    assertEquals(800, Arrays.stream(wordTopic).sum(), "every word has a topic in the counts");
    assertEquals(2, model.estimatedDocConcentration().size());
    assertTrue(model.logPerplexity(counts) > 0);
  }

  @Test
  void theDocumentsAsTermsOrTermIdsGiveTheSameModelAsTheirCounts() {
    // Counts put a document's words in id order: give the terms sorted by id, and all three agree.
    Map<String, Integer> ids = new HashMap<>();
    String[] vocab = vectorizer.vocabulary();
    for (int i = 0; i < vocab.length; i++) {
      ids.put(vocab[i], i);
    }
    List<Row> rows = new ArrayList<>();
    for (Row r : words.collectAsList()) {
      List<String> terms = new ArrayList<>(r.getList(2));
      terms.sort((a, b) -> Integer.compare(ids.get(a), ids.get(b)));
      rows.add(RowFactory.create(r.getString(0), terms.toArray(String[]::new),
          terms.stream().map(ids::get).toArray(Integer[]::new)));
    }
    Dataset<Row> sorted = spark().createDataFrame(rows, new StructType().add("id", "string")
        .add("terms", DataTypes.createArrayType(DataTypes.StringType))
        .add("termIds", DataTypes.createArrayType(DataTypes.IntegerType)));
    GibbsLDAModel byTerms = lda().setFeaturesCol("terms").fit(sorted);
    GibbsLDAModel byIds = lda().setFeaturesCol("termIds").fit(sorted);
    assertArrayEquals(model.topicWordCounts(), byTerms.topicWordCounts());
    assertArrayEquals(model.topicWordCounts(), byIds.topicWordCounts());
    Map<String, double[]> expected = mixtures(model.transform(counts));
    Map<String, double[]> actual = mixtures(byIds.transform(sorted));
    expected.forEach((doc, theta) -> assertArrayEquals(theta, actual.get(doc), doc));
  }

  @Test
  void sameSeedSameModelWhateverThePartitioningAndAnotherSeedAnother() {
    GibbsLDAModel again = lda().fit(counts.repartition(3));
    assertArrayEquals(model.topicWordCounts(), again.topicWordCounts());
    assertEquals(mixturesOf(model), mixturesOf(again));
    GibbsLDAModel other = lda().setSeed(8).fit(counts);
    assertFalse(Arrays.equals(model.topicWordCounts(), other.topicWordCounts()), "the seed is used");
    // Without ids the words seed each document: the same mixtures for the same rows, in any order.
    GibbsLDAModel anonymous = new GibbsLDA().setK(2).setMaxIter(60).setSeed(7).fit(counts.select("features"));
    GibbsLDAModel anonymousAgain = new GibbsLDA().setK(2).setMaxIter(60).setSeed(7).fit(counts.select("features")
        .coalesce(1));
    assertArrayEquals(anonymous.topicWordCounts(), anonymousAgain.topicWordCounts());
    List<Row> a = anonymous.transform(counts.select("features")).collectAsList();
    List<Row> b = anonymousAgain.transform(counts.select("features")).collectAsList();
    assertEquals(a, b);
  }

  static Map<String, List<Double>> mixturesOf(GibbsLDAModel m) {
    Map<String, List<Double>> out = new HashMap<>();
    mixtures(m.transform(counts)).forEach((k, v) -> out.put(k, Arrays.stream(v).boxed().toList()));
    return out;
  }

  @Test
  void savedAndLoadedModelGivesIdenticalOutput(@TempDir Path dir) throws Exception {
    String path = dir.resolve("model").toString();
    model.write().save(path);
    GibbsLDAModel loaded = GibbsLDAModel.load(path);
    assertEquals(model.uid(), loaded.uid());
    for (org.apache.spark.ml.param.Param<?> p : model.params()) {
      assertTrue(java.util.Objects.deepEquals(model.get(p).getOrElse(() -> null), loaded.get(p).getOrElse(() -> null)),
          p.name());
      assertTrue(java.util.Objects.deepEquals(model.getDefault(p).getOrElse(() -> null),
          loaded.getDefault(p).getOrElse(() -> null)), p.name());
    }
    assertEquals("features", loaded.getFeaturesCol());
    assertEquals("id", loaded.getIdCol());
    assertArrayEquals(model.getVocabulary(), loaded.getVocabulary());
    assertArrayEquals(model.topicWordCounts(), loaded.topicWordCounts());
    assertArrayEquals(model.topicsMatrix().toArray(), loaded.topicsMatrix().toArray());
    assertEquals(model.estimatedDocConcentration(), loaded.estimatedDocConcentration());
    assertEquals(model.estimatedTopicConcentration(), loaded.estimatedTopicConcentration());
    assertEquals(model.transform(counts).collectAsList(), loaded.transform(counts).collectAsList());
    assertThrows(java.io.IOException.class, () -> model.write().save(path), "no silent overwrite");
    model.write().overwrite().save(path);

    // Spark's own reader understands the metadata: the estimator alone, and inside a Pipeline.
    String estimatorPath = dir.resolve("estimator").toString();
    GibbsLDA lda = lda().setK(3);
    lda.save(estimatorPath);
    GibbsLDA reread = GibbsLDA.load(estimatorPath);
    assertEquals(lda.uid(), reread.uid());
    assertEquals(3, reread.getK());
    assertArrayEquals(lda.getVocabulary(), reread.getVocabulary());

    PipelineModel pipeline = new Pipeline().setStages(new PipelineStage[] {
        new CountVectorizer().setInputCol("words").setOutputCol("features"), lda().setMaxIter(20)}).fit(words);
    String pipelinePath = dir.resolve("pipeline").toString();
    pipeline.write().save(pipelinePath);
    PipelineModel loadedPipeline = PipelineModel.load(pipelinePath);
    assertTrue(loadedPipeline.stages()[1] instanceof GibbsLDAModel);
    assertEquals(pipeline.transform(words).collectAsList(), loadedPipeline.transform(words).collectAsList());
  }

  static int argmax(double[] v) {
    return v[0] >= v[1] ? 0 : 1;
  }
}
