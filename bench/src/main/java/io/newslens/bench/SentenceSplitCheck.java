package io.newslens.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.johnsnowlabs.nlp.annotators.common.Sentence;
import com.johnsnowlabs.nlp.annotators.sbd.pragmatic.PragmaticMethod;
import com.johnsnowlabs.nlp.annotators.sbd.pragmatic.SentenceDetector;
import io.newslens.tokenize.FastSentenceDetector;
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

/**
 * FastSentenceDetector against Spark NLP's SentenceDetector on every text of a corpus: how many
 * articles get different sentences or offsets (all cores), then each method's single-thread
 * throughput on the first {@code TIMED} texts, alternating rounds so both see the same machine.
 *
 * <pre>SentenceSplitCheck INPUT.jsonl [TIMED]</pre>
 */
public final class SentenceSplitCheck {
  private SentenceSplitCheck() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: SentenceSplitCheck INPUT.jsonl [TIMED]");
      System.exit(2);
    }
    int timed = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
    List<String> texts = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try (BufferedReader reader = Files.newBufferedReader(Path.of(args[0]))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        var text = json.readTree(line).get("text");
        if (text != null && !text.isNull()) {
          texts.add(text.asText());
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    PragmaticMethod sparkNlp = new SentenceDetector().model();
    PragmaticMethod fast = new FastSentenceDetector().model();

    AtomicLong differing = new AtomicLong();
    AtomicLong sentences = new AtomicLong();
    texts.parallelStream().forEach(text -> {
      Sentence[] expected = sparkNlp.extractBounds(text);
      Sentence[] actual = fast.extractBounds(text);
      sentences.addAndGet(expected.length);
      if (!Arrays.equals(describe(expected), describe(actual))) {
        if (differing.incrementAndGet() <= 3) {
          System.out.println("differs: " + text.substring(0, Math.min(200, text.length())));
        }
      }
    });
    System.out.printf(Locale.ROOT, "agreement: %d texts, %d sentences, %d texts with different sentences%n",
        texts.size(), sentences.get(), differing.get());

    List<String> sample = texts.subList(0, Math.min(timed, texts.size()));
    double megabytes = sample.stream().mapToLong(String::length).sum() / 1e6;
    double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
    for (int round = 0; round < 3; round++) {
      PragmaticMethod[] methods = {sparkNlp, fast};
      for (int m = 0; m < 2; m++) {
        long started = System.nanoTime();
        for (String text : sample) {
          methods[m].extractBounds(text);
        }
        best[m] = Math.min(best[m], (System.nanoTime() - started) / 1e9);
      }
    }
    System.out.printf(Locale.ROOT,
        "one thread, %d texts, %.1f M chars, best of 3: SentenceDetector %.2f s (%.2f M chars/s), "
            + "FastSentenceDetector %.2f s (%.2f M chars/s), %.1fx%n",
        sample.size(), megabytes, best[0], megabytes / best[0], best[1], megabytes / best[1], best[0] / best[1]);
  }

  private static String[] describe(Sentence[] sentences) {
    return Arrays.stream(sentences).map(s -> s.index() + "@" + s.start() + "-" + s.end() + ":" + s.content())
        .toArray(String[]::new);
  }
}
