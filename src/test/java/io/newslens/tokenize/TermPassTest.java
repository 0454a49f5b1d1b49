package io.newslens.tokenize;

import static io.newslens.SharedSpark.rows;
import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import com.johnsnowlabs.nlp.annotators.NGramGenerator;
import com.johnsnowlabs.nlp.annotators.Normalizer;
import com.johnsnowlabs.nlp.annotators.Stemmer;
import com.johnsnowlabs.nlp.annotators.StopWordsCleaner;
import com.johnsnowlabs.nlp.annotators.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The one-pass {@link TermPass} against the annotator chain it replaces, sentence by sentence. */
class TermPassTest {
  /** The pipeline tokenize ran before: Normalizer, StopWordsCleaner, Stemmer, NGramGenerator. */
  static Pipeline annotatorChain(String[] stopWords) {
    Tokenizer tokenizer = new Tokenizer();
    tokenizer.setInputCols(new String[] {"sentence"});
    tokenizer.setOutputCol("token");
    Normalizer normalizer = new Normalizer();
    normalizer.setInputCols(new String[] {"token"});
    normalizer.setOutputCol("normalized");
    normalizer.setLowercase(true);
    normalizer.setCleanupPatterns(TermPass.CLEANUP_PATTERNS);
    StopWordsCleaner stopWordsCleaner = new StopWordsCleaner();
    stopWordsCleaner.setInputCols(new String[] {"normalized"});
    stopWordsCleaner.setOutputCol("content");
    stopWordsCleaner.setStopWords(stopWords);
    stopWordsCleaner.setCaseSensitive(false);
    Stemmer stemmer = new Stemmer();
    stemmer.setInputCols(new String[] {"content"});
    stemmer.setOutputCol("stem");
    NGramGenerator pairs = new NGramGenerator();
    pairs.setInputCols(new String[] {"normalized"});
    pairs.setOutputCol("pair");
    pairs.setN(2);
    pairs.setEnableCumulative(false);
    pairs.setDelimiter(" ");
    PipelineStage[] sentenceStages = Tokenize.sentenceStages();
    return new Pipeline().setStages(new PipelineStage[] {
        sentenceStages[0], sentenceStages[1], tokenizer, normalizer, stopWordsCleaner, stemmer, pairs});
  }

  @Test
  void sameWordsTokensTermsAndPairsAsTheAnnotatorChain() {
    String[] texts = {
        "Saudi Arabia's acquisitions worried the markets. The acquisition was approved. Bank of America's U.S. 1990 2000 Müller café.",
        "DON'T PANIC: IT'S the U.S. Government's well-known -- and   \"generalizing\" -- policy, Mr. O'Neill said.",
        "Müller's café in İstanbul sold 3.5% more ponies; running, ran, runs... e-mail me at x@y.com!",
        "--- *** ---\n\nHyphen-ated words-- and --dashes, the 1990s, 2,000 people (AP) — Baghdad, Iraq.",
        "He said: \"We'll see.\" They didn't. Officials' decisions, relational conditional hopefulness."};
    List<Object[]> docs = new ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      docs.add(new Object[] {"d" + i, "2020-01", texts[i]});
    }
    Dataset<Row> input = rows(TokenizeTest.ARTICLES, docs);
    String[] stopWords = Tokenize.stopWords();
    Dataset<Row> annotated = annotatorChain(stopWords).fit(input).transform(input);
    TermPass pass = new TermPass(stopWords);
    Set<String> stopList = Set.of(stopWords);

    int sentences = 0;
    int pairs = 0;
    for (Row doc : annotated.orderBy("doc_id").collectAsList()) {
      List<Row> sentenceAnnotations = doc.getList(doc.fieldIndex("sentence"));
      for (Row sentence : sentenceAnnotations) {
        String number = sentence.<String, String>getJavaMap(sentence.fieldIndex("metadata")).get("sentence");
        List<String> tokens = resultsOf(doc, "token", number);
        TermPass.Sentence out = pass.apply(tokens);
        String where = doc.getAs("doc_id") + " sentence " + number + " " + tokens;
        assertEquals(resultsOf(doc, "normalized", number).size(), out.words(), where);
        assertEquals(resultsOf(doc, "content", number), out.tokens(), where);
        assertEquals(resultsOf(doc, "stem", number), out.terms(), where);
        assertEquals(resultsOf(doc, "pair", number).stream().filter(p -> phraseWords(p, stopList)).toList(),
            out.pairs(), where);
        sentences++;
        pairs += out.pairs().size();
      }
    }
    assertTrue(sentences >= 10 && pairs >= 15, sentences + " sentences, " + pairs + " phrase candidates compared");
  }

  /** The rule phrases had as a DataFrame filter: both words have a letter, 2+ characters, no stop word. */
  private static boolean phraseWords(String pair, Set<String> stopWords) {
    return java.util.Arrays.stream(pair.split(" ")).allMatch(
        w -> w.matches(".*\\p{L}.*") && w.codePointCount(0, w.length()) >= 2 && !stopWords.contains(w));
  }

  private static List<String> resultsOf(Row doc, String column, String sentence) {
    List<String> results = new ArrayList<>();
    for (Row a : doc.<Row>getList(doc.fieldIndex(column))) {
      if (sentence.equals(a.<String, String>getJavaMap(a.fieldIndex("metadata")).get("sentence"))) {
        results.add(a.getAs("result"));
      }
    }
    return results;
  }

  @Test
  void stemsAreSparkNlpStems() {
    TermPass pass = new TermPass(new String[] {"the"});
    assertEquals(List.of("gener", "poni", "run", "relat"),
        pass.apply(List.of("generalization", "ponies", "running", "the", "relational")).terms());
    assertEquals(List.of("", "saudi", "arabia", "us"), List.of(pass.normalize("'s"), pass.normalize("Saudi"),
        pass.normalize("Arabia's"), pass.normalize("U.S.")));
  }
}
