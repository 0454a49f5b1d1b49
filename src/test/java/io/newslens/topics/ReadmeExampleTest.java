package io.newslens.topics;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.ml.feature.CountVectorizer;
import org.apache.spark.ml.feature.CountVectorizerModel;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Using newslens from Spark (Java)" example is this test's code, and it works. */
class ReadmeExampleTest {
  static final String HEADING = "## Using newslens from Spark (Java)";

  @Test
  void theReadmeShowsExactlyTheCodeThisTestRuns() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    int section = readme.indexOf(HEADING);
    assertTrue(section >= 0, "README has the section " + HEADING);
    Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertTrue(block.find(section), "the section has a java block");
    String source = Files.readString(Path.of("src/test/java/io/newslens/topics/ReadmeExampleTest.java"));
    String start = "// README example start\n";
    String end = "// README example end";
    int from = source.indexOf(start) + start.length();
    String body = source.substring(from, source.indexOf(end, from));
    assertEquals(normalise(block.group(1)), normalise(body));
  }

  /** The lines with the test method's indentation removed. */
  private static String normalise(String code) {
    List<String> lines = new ArrayList<>(Arrays.asList(code.split("\n")));
    lines.removeIf(String::isBlank);
    int indent = lines.stream().mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    return String.join("\n", lines.stream().map(l -> l.substring(indent).stripTrailing()).toList());
  }

  @Test
  void theExampleSeparatesItsTwoSubjectsAndTheReloadedModelAgrees(@TempDir Path tmp) throws Exception {
    SparkSession spark = io.newslens.SharedSpark.spark();
    String dir = tmp.toString();
    // README example start
    // Two subjects in a DataFrame of texts.
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      rows.add(RowFactory.create("oil-" + i, "crude oil prices rose as opec cut output of barrels"));
      rows.add(RowFactory.create("deal-" + i, "shareholders backed the takeover bid and merger offer"));
    }
    Dataset<Row> texts = spark.createDataFrame(rows, new StructType().add("id", "string").add("text", "string"));

    // Words, then term counts, with Spark's own transformers.
    Dataset<Row> words = new RegexTokenizer().setInputCol("text").setOutputCol("words").transform(texts);
    CountVectorizerModel vectorizer = new CountVectorizer().setInputCol("words").setOutputCol("features").fit(words);
    Dataset<Row> counts = vectorizer.transform(words);

    // idCol seeds each document's random stream with its id (unset: with its words).
    GibbsLDA lda = new GibbsLDA().setK(2).setMaxIter(100).setSeed(42L).setFeaturesCol("features")
        .setIdCol("id").setVocabulary(vectorizer.vocabulary());
    GibbsLDAModel model = lda.fit(counts);
    model.describeTopics(5).show(false);
    Dataset<Row> mixtures = model.transform(counts); // + topicDistribution

    model.write().overwrite().save(dir + "/model");
    GibbsLDAModel reloaded = GibbsLDAModel.load(dir + "/model");
    Dataset<Row> again = reloaded.transform(counts); // the same mixtures
    // README example end

    Map<String, double[]> mix = new HashMap<>();
    for (Row r : mixtures.select("id", "topicDistribution").collectAsList()) {
      mix.put(r.getString(0), r.<Vector>getAs(1).toArray());
    }
    assertEquals(60, mix.size());
    int oil = mix.get("oil-0")[0] > 0.5 ? 0 : 1;
    mix.forEach((id, theta) -> {
      assertEquals(1.0, theta[0] + theta[1], 1e-9, id);
      int topic = id.startsWith("oil") ? oil : 1 - oil;
      assertTrue(theta[topic] > 0.9, id + " " + Arrays.toString(theta));
    });
    List<String> oilTerms = model.describeTopics(5).filter("topic = " + oil).first().getList(3);
    assertTrue(List.of("crude", "oil", "prices", "rose", "as", "opec", "cut", "output", "of", "barrels")
        .containsAll(oilTerms), oilTerms.toString());
    assertEquals(mixtures.orderBy("id").collectAsList(), again.orderBy("id").collectAsList(),
        "the reloaded model gives the same output");
  }
}
