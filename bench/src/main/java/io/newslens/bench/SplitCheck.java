package io.newslens.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.johnsnowlabs.nlp.annotators.Tokenizer;
import com.johnsnowlabs.nlp.annotators.TokenizerModel;
import com.johnsnowlabs.nlp.annotators.common.IndexedToken;
import com.johnsnowlabs.nlp.annotators.common.Sentence;
import com.johnsnowlabs.nlp.annotators.common.TokenizedSentence;
import com.johnsnowlabs.nlp.annotators.sbd.pragmatic.PragmaticMethod;
import com.johnsnowlabs.nlp.annotators.sbd.pragmatic.SentenceDetector;
import io.newslens.tokenize.FastSentenceDetector;
import io.newslens.tokenize.FastTokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import scala.Option;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * newslens's annotators against Spark NLP's on every text of a corpus: FastSentenceDetector
 * against SentenceDetector, then FastTokenizer against Tokenizer on the sentences. For each pair:
 * how many articles get a different output (all cores), then each one's single-thread throughput
 * on the first {@code TIMED} texts, alternating rounds so both see the same machine.
 *
 * <pre>SplitCheck INPUT.jsonl [TIMED]</pre>
 */
public final class SplitCheck {
  private SplitCheck() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: SplitCheck INPUT.jsonl [TIMED]");
      System.exit(2);
    }
    int timed = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
    List<String> texts = readTexts(Path.of(args[0]));
    PragmaticMethod sparkNlpSentences = new SentenceDetector().model();
    PragmaticMethod fastSentences = new FastSentenceDetector().model();
    compare("sentences", "SentenceDetector", "FastSentenceDetector", texts, timed,
        text -> describe(sparkNlpSentences.extractBounds(text)), text -> describe(fastSentences.extractBounds(text)));

    List<Seq<Sentence>> sentences = texts.parallelStream()
        .map(text -> JavaConverters.asScalaBuffer(Arrays.asList(fastSentences.extractBounds(text))).toSeq())
        .toList();
    TokenizerModel sparkNlpTokens = new Tokenizer().train(null, Option.empty());
    TokenizerModel fastTokens = new FastTokenizer().train(null, Option.empty());
    compare("tokens", "Tokenizer", "FastTokenizer", sentences, timed,
        s -> describe(sparkNlpTokens.tag(s)), s -> describe(fastTokens.tag(s)));
  }

  private static List<String> readTexts(Path input) throws IOException {
    List<String> texts = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try (BufferedReader reader = Files.newBufferedReader(input)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        var text = json.readTree(line).get("text");
        if (text != null && !text.isNull()) {
          texts.add(text.asText());
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return texts;
  }

  private static <T> void compare(String what, String reference, String candidate, List<T> inputs, int timed,
      Function<T, List<String>> expected, Function<T, List<String>> actual) {
    AtomicLong differing = new AtomicLong();
    AtomicLong units = new AtomicLong();
    inputs.parallelStream().forEach(input -> {
      List<String> want = expected.apply(input);
      units.addAndGet(want.size());
      if (!want.equals(actual.apply(input))) {
        if (differing.incrementAndGet() <= 3) {
          System.out.println(what + " differ: " + String.join(" | ", want).substring(0, Math.min(200, want.toString().length())));
        }
      }
    });
    System.out.printf(Locale.ROOT, "%s agreement: %d texts, %d %s, %d texts with different %s%n",
        what, inputs.size(), units.get(), what, differing.get(), what);

    List<T> sample = inputs.subList(0, Math.min(timed, inputs.size()));
    List<Function<T, List<String>>> methods = List.of(expected, actual);
    double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
    for (int round = 0; round < 3; round++) {
      for (int m = 0; m < 2; m++) {
        long started = System.nanoTime();
        for (T input : sample) {
          methods.get(m).apply(input);
        }
        best[m] = Math.min(best[m], (System.nanoTime() - started) / 1e9);
      }
    }
    System.out.printf(Locale.ROOT, "%s, one thread, %d texts, best of 3: %s %.2f s, %s %.2f s, %.1fx%n",
        what, sample.size(), reference, best[0], candidate, best[1], best[0] / best[1]);
  }

  private static List<String> describe(Sentence[] sentences) {
    return Arrays.stream(sentences).map(s -> s.index() + "@" + s.start() + "-" + s.end() + ":" + s.content()).toList();
  }

  private static List<String> describe(Seq<TokenizedSentence> sentences) {
    List<String> out = new ArrayList<>();
    for (TokenizedSentence sentence : JavaConverters.seqAsJavaList(sentences)) {
      for (IndexedToken token : sentence.indexedTokens()) {
        out.add(sentence.sentenceIndex() + "@" + token.begin() + "-" + token.end() + ":" + token.token());
      }
    }
    return out;
  }
}
