package io.newslens.tokenize;

import static io.newslens.SharedSpark.spark;
import static org.junit.jupiter.api.Assertions.*;

import com.johnsnowlabs.nlp.DocumentAssembler;
import io.newslens.SampleTexts;
import com.johnsnowlabs.nlp.annotators.common.Sentence;
import com.johnsnowlabs.nlp.annotators.sbd.pragmatic.DefaultPragmaticMethod;
import com.johnsnowlabs.nlp.annotators.sbd.pragmatic.PragmaticContentFormatter$;
import com.johnsnowlabs.nlp.annotators.sbd.pragmatic.PragmaticDictionaries$;
import com.johnsnowlabs.nlp.annotators.sbd.pragmatic.PragmaticMethod;
import com.johnsnowlabs.nlp.annotators.sbd.pragmatic.SentenceDetector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** {@link FastSentenceDetector} against Spark NLP's {@link SentenceDetector}: same sentences, same offsets. */
class FastSentenceDetectorTest {
  private static final PragmaticMethod SPARK_NLP = new DefaultPragmaticMethod(true, true);
  private static final PragmaticMethod FAST = new FastSentenceDetector.Method(true, true);

  private static List<String> describe(Sentence[] sentences) {
    List<String> out = new ArrayList<>();
    for (Sentence s : sentences) {
      out.add(s.index() + "@" + s.start() + "-" + s.end() + ":" + s.content());
    }
    return out;
  }

  private static void assertSame(String text) {
    assertEquals(describe(SPARK_NLP.extractBounds(text)), describe(FAST.extractBounds(text)), text);
  }

  /**
   * Every dictionary abbreviation, in three cases, at the start of a text and after a space,
   * followed by each context the dictionary rules (and the rules after them) look at.
   */
  @Test
  void everyAbbreviationInEveryContext() {
    var dictionaries = PragmaticDictionaries$.MODULE$;
    Set<String> abbreviations = new LinkedHashSet<>();
    List.of(dictionaries.ABBREVIATIONS(), dictionaries.PREPOSITIVE_ABBREVIATIONS(), dictionaries.NUMBER_ABBREVIATIONS())
        .forEach(list -> scala.collection.JavaConverters.seqAsJavaList(list).forEach(abbreviations::add));
    String[] after = {" next", " Next", " 12 units", ",", ":", ":12", ".", "-", "?", " (1)", "  (b)", " I said", " I'm",
        " I'll", "", ". Then", "'s view", " KG", "\nNew line", " \"Quote\""};
    int texts = 0;
    for (String abbreviation : abbreviations) {
      for (String form : List.of(abbreviation, abbreviation.toUpperCase(Locale.ROOT),
          Character.toUpperCase(abbreviation.charAt(0)) + abbreviation.substring(1))) {
        for (String context : after) {
          String tail = form + "." + context + " and so on. Another sentence here.";
          assertSame(tail);
          assertSame("He met them. " + tail);
          assertSame("(" + tail);
          texts += 3;
        }
      }
    }
    assertTrue(texts > 2000);
  }

  @Test
  void quotesListsNumbersEllipsesAndMarkers() {
    String[] texts = {
        "", " ", "No period", "One. Two! Three? Four; five.", "...", "Wait... What happened? He said \"Stop. Now.\" And left.",
        "1. Archive\n2. World\nThe U.S. Ambassador said 3.5 percent at 5 p.m. on Jan. 3. It rose.",
        "(a) first item (b) second item. 1) one 2) two.", "Prices rose 4.5% to $3.20. Mr. and Mrs. Smith left at 10 a.m.",
        "'Quoted text. With a period,' he said. [Bracket. Text.] (Paren. Text.) Next.", "He asked 'why?' and left! Ok.",
        "N°. 1026.253.553. The geo sign. e.g. this, i.e. that. Co. KG is a firm.", "Hello!! Really?! Yes!!! no? fine.",
        "Symbols \uf050 \uf056 \uf057 \u2554 \u255e \u2566 in the source text. Still split.", "Trailing spaces.   ",
        "Lines\nwithout\nperiods\n\nand a blank line. End.", "St. Louis and Mt. Everest, Prof. X, Dr. Y. No. 5 and p. 12 (ii)."};
    for (String text : texts) {
      assertSame(text);
    }
  }

  /**
   * Texts drawn from the pieces the rewritten rules look at (periods after digits, capitals
   * and "Co", list numbers, runs of ! and ?, ellipses, degrees, quotes, "a.m."), so that every
   * rule meets matches, near misses and the start of the text.
   */
  @Test
  void generatedTextsAroundEveryRewrittenRule() throws ReflectiveOperationException {
    String[] pieces = {".", ". ", "..", "...", "....", "!", "?", "!?", "?!", " ", "  ", "\n", "1", "12", "3.5", "A", "B.",
        "a", "s", "Co", " KG", "-", "(", ")", "(a)", "'", "\"", "[", "]", ",", ";", ":", "°", "N°", "word", "Word",
        "p.m.", "a.m", "U.S.", "e.g.", "Mr.", "no.", "'s", "$", "$0", "\\", "x.y"};
    Random random = new Random(7);
    for (int t = 0; t < 20_000; t++) {
      StringBuilder text = new StringBuilder();
      int length = 1 + random.nextInt(30);
      for (int i = 0; i < length; i++) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      assertSame(text.toString());
    }
    assertTrue(FastSentenceDetector.Method.everyRuleAnchored(), "a rule without an anchor runs Spark NLP's slower search");
    var formatter = PragmaticContentFormatter$.MODULE$;
    assertEquals(4, FastSentenceDetector.Method.rewrittenRules(
        FastSentenceDetector.Method.lookbehindFirst(formatter.formatNumbersFactory())));
    assertEquals(1, FastSentenceDetector.Method.rewrittenRules(
        FastSentenceDetector.Method.lookbehindFirst(formatter.formatListsFactory())));
  }

  @Test
  void theSampleCorporaSplitTheSame() throws IOException {
    List<String> texts = SampleTexts.all();
    texts.forEach(FastSentenceDetectorTest::assertSame);
    assertTrue(texts.size() > 100);
  }


  @Test
  void theAnnotatorGivesTheSameAnnotationsAndFallsBackForCustomBounds() {
    Dataset<Row> texts = spark().createDataset(List.of(
        "The U.S. Ambassador met Mr. Qomi. They talked for seven hours.", "1. Archive\nBAGHDAD (AP) - Talks ended. Next.",
        "Para one.\n\nPara two. Still two."), Encoders.STRING()).toDF("text");
    for (String[] bounds : new String[][] {{}, {"\n\n"}}) {
      List<Row> expected = sentences(new SentenceDetector(), bounds, texts);
      List<Row> actual = sentences(new FastSentenceDetector(), bounds, texts);
      assertEquals(expected, actual);
      assertTrue(actual.get(0).getList(0).size() >= 2);
    }
  }

  private static List<Row> sentences(SentenceDetector detector, String[] customBounds, Dataset<Row> texts) {
    DocumentAssembler document = new DocumentAssembler();
    document.setInputCol("text");
    document.setOutputCol("document");
    detector.setInputCols(new String[] {"document"});
    detector.setOutputCol("sentence");
    detector.setCustomBounds(customBounds);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {document, detector});
    return pipeline.fit(texts).transform(texts).select("sentence").collectAsList();
  }
}
