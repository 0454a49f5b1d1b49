package io.newslens.tokenize;

import static io.newslens.SharedSpark.spark;
import static org.junit.jupiter.api.Assertions.*;

import com.johnsnowlabs.nlp.DocumentAssembler;
import io.newslens.SampleTexts;
import com.johnsnowlabs.nlp.annotators.Tokenizer;
import com.johnsnowlabs.nlp.annotators.TokenizerModel;
import com.johnsnowlabs.nlp.annotators.common.IndexedToken;
import com.johnsnowlabs.nlp.annotators.common.Sentence;
import com.johnsnowlabs.nlp.annotators.common.TokenizedSentence;
import com.johnsnowlabs.nlp.annotators.sbd.pragmatic.PragmaticMethod;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import scala.Option;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/** {@link FastTokenizer} against Spark NLP's {@link Tokenizer}: same tokens, same offsets. */
class FastTokenizerTest {
  private static final TokenizerModel SPARK_NLP = new Tokenizer().train(null, Option.empty());
  private static final TokenizerModel FAST = new FastTokenizer().train(null, Option.empty());
  private static final PragmaticMethod SENTENCES = new FastSentenceDetector.Method(true, true);

  private static List<String> describe(Seq<TokenizedSentence> sentences) {
    List<String> out = new ArrayList<>();
    for (TokenizedSentence sentence : JavaConverters.seqAsJavaList(sentences)) {
      for (IndexedToken token : sentence.indexedTokens()) {
        out.add(sentence.sentenceIndex() + "@" + token.begin() + "-" + token.end() + ":" + token.token());
      }
    }
    return out;
  }

  private static void assertSame(String text) {
    Seq<Sentence> sentences = JavaConverters.asScalaBuffer(Arrays.asList(SENTENCES.extractBounds(text))).toSeq();
    assertEquals(describe(SPARK_NLP.tag(sentences)), describe(FAST.tag(sentences)), text);
  }

  @Test
  void defaultRulesGiveTheFastModel() {
    assertInstanceOf(FastTokenizer.Model.class, FAST);
    assertFalse(SPARK_NLP instanceof FastTokenizer.Model);
  }

  /**
   * Texts drawn from an alphabet weighted towards what the rules look at: every context
   * character, Java's whitespace, Spark NLP's own break marker, line terminators that Java's
   * {@code .} does not match, a character outside the BMP, and letters.
   */
  @Test
  void generatedTextsWithContextCharactersSeparatorsAndLineTerminators() {
    String[] alphabet = {".", ",", ";", ":", "!", "?", "*", "-", "(", ")", "\"", "'", " ", "  ", "\t", "\u000B",
        "\f", "\u2187", "\u2188", "\u0085", "\u2028", "\u2029", "\u00A0", "\uD83D\uDE00", "a", "B", "7", "é", "word",
        "U.S.", "don't", "$", "/", "—"};
    Random random = new Random(42);
    int differing = 0;
    for (int t = 0; t < 5_000; t++) {
      StringBuilder text = new StringBuilder();
      int length = 1 + random.nextInt(40);
      for (int i = 0; i < length; i++) {
        text.append(alphabet[random.nextInt(alphabet.length)]);
      }
      // Whole texts as one sentence, so every generated run reaches the tokenizer as it is.
      Seq<Sentence> sentence = JavaConverters.asScalaBuffer(
          List.of(new Sentence(text.toString(), 3, 3 + text.length() - 1, 0, Option.empty()))).toSeq();
      List<String> expected = describe(SPARK_NLP.tag(sentence));
      if (!expected.equals(describe(FAST.tag(sentence)))) {
        differing++;
        assertEquals(expected, describe(FAST.tag(sentence)), text.toString());
      }
    }
    assertEquals(0, differing);
  }

  @Test
  void theSampleCorporaTokenizeTheSame() throws IOException {
    List<String> texts = SampleTexts.all();
    texts.forEach(FastTokenizerTest::assertSame);
    assertTrue(texts.size() > 100);
  }


  /** In a pipeline the annotations match; any custom rule gives Spark NLP's own model. */
  @Test
  void theAnnotatorGivesTheSameAnnotationsAndFallsBackForCustomRules() {
    Dataset<Row> texts = spark().createDataset(List.of(
        "The U.S. Ambassador (Ryan Crocker) met Mr. Qomi. \"They talked,\" he said -- for 7 hours...",
        "1. Archive\nBAGHDAD (AP) - Talks ended. Next.", "e-mail: x@y.org; state-of-the-art!?"),
        Encoders.STRING()).toDF("text");
    assertEquals(tokens(new Tokenizer(), texts), tokens(new FastTokenizer(), texts));

    FastTokenizer custom = new FastTokenizer();
    custom.setSplitChars(new String[] {"-"});
    assertFalse(custom.train(null, Option.empty()) instanceof FastTokenizer.Model);
    Tokenizer reference = new Tokenizer();
    reference.setSplitChars(new String[] {"-"});
    List<Row> split = tokens(custom, texts);
    assertEquals(tokens(reference, texts), split);
    assertNotEquals(tokens(new FastTokenizer(), texts), split);
  }

  private static List<Row> tokens(Tokenizer tokenizer, Dataset<Row> texts) {
    DocumentAssembler document = new DocumentAssembler();
    document.setInputCol("text");
    document.setOutputCol("document");
    FastSentenceDetector sentences = new FastSentenceDetector();
    sentences.setInputCols(new String[] {"document"});
    sentences.setOutputCol("sentence");
    tokenizer.setInputCols(new String[] {"sentence"});
    tokenizer.setOutputCol("token");
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {document, sentences, tokenizer});
    return pipeline.fit(texts).transform(texts).select("token").collectAsList();
  }
}
