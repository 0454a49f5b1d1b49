package io.newslens.tokenize;

import com.johnsnowlabs.nlp.annotators.EnglishStemmer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What Spark NLP's Normalizer, StopWordsCleaner, Stemmer and NGramGenerator did to one
 * sentence's tokens, in one pass over them.
 *
 * <p>Why our own code rather than those four annotators: each one reads every token annotation
 * of the article from the DataFrame, builds a new annotation (with its metadata map) per token
 * and writes a whole new array column back, and afterwards each column had to be split by
 * sentence again. The four steps themselves are a regex clean-up, a set look-up, a stem and a
 * join of neighbours: here they run on plain strings, with the same parameters the pipeline used
 * (cleanup patterns in order, then lower case; the same stop list compared in lower case; pairs
 * of consecutive non-empty normalised words of one sentence).
 *
 * <p>Stems come from {@link EnglishStemmer#stem}, the function Spark NLP's {@code Stemmer}
 * annotator calls for each token (its {@code annotate} is {@code EnglishStemmer.stem(result)}),
 * so stems are identical to the annotator's, not those of another Porter implementation.
 * {@code TermPassTest} checks the whole pass against the annotator chain.
 */
public final class TermPass implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The Normalizer's cleanup patterns, applied in this order before lower-casing. */
  static final String[] CLEANUP_PATTERNS = {"'s$", "[^\\p{L}\\p{N}-]", "^-+", "-+$"};

  private final String[] stopWords;
  private transient Pattern[] patterns;
  private transient Set<String> stopSet;
  private transient Map<String, String> stems;

  public TermPass(String[] stopWords) {
    this.stopWords = stopWords.clone();
  }

  /**
   * One sentence's outputs: how many normalised words it has, its content words (stop words
   * out), their stems, and its phrase candidates: adjacent normalised words that are both
   * {@linkplain #phraseWord phrase words}, as "a b".
   */
  public record Sentence(int words, List<String> tokens, List<String> terms, List<String> pairs) {}

  /** The Normalizer's result for one token: "" when nothing is left (the token is then dropped). */
  public String normalize(String token) {
    if (patterns == null) {
      Pattern[] compiled = new Pattern[CLEANUP_PATTERNS.length];
      for (int i = 0; i < compiled.length; i++) {
        compiled[i] = Pattern.compile(CLEANUP_PATTERNS[i]);
      }
      patterns = compiled;
    }
    String word = token;
    if (!plainLowerWord(word)) {
      for (Pattern p : patterns) {
        word = p.matcher(word).replaceAll("");
      }
    }
    return word.toLowerCase();
  }

  /**
   * Lower-case ASCII letters and digits only: no cleanup pattern changes such a token (no
   * apostrophe, no other character, no hyphen at either end), which is most tokens, so the
   * regexes are skipped for it.
   */
  private static boolean plainLowerWord(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
        return false;
      }
    }
    return true;
  }

  public boolean isStopWord(String normalized) {
    if (stopSet == null) {
      Set<String> set = new HashSet<>();
      for (String w : stopWords) {
        set.add(w.toLowerCase(Locale.getDefault()));
      }
      stopSet = set;
    }
    return stopSet.contains(normalized.toLowerCase(Locale.getDefault()));
  }

  /**
   * A word that can start or end a phrase: not a stop word, at least two characters, at least
   * one letter (so "of the", "1990 2000" and "u s" never become phrases).
   */
  public boolean phraseWord(String normalized) {
    return phraseWord(normalized, isStopWord(normalized));
  }

  private static boolean phraseWord(String normalized, boolean stopWord) {
    if (stopWord || normalized.codePointCount(0, normalized.length()) < 2) {
      return false;
    }
    return normalized.codePoints().anyMatch(Character::isLetter);
  }

  /**
   * {@link EnglishStemmer#stem}, remembered per task: a news vocabulary repeats the same few
   * thousand words, and stemming was the pass's largest cost. The memory is bounded by
   * starting afresh when it grows large.
   */
  private String stem(String word) {
    if (stems == null || stems.size() > 100_000) {
      stems = new HashMap<>();
    }
    return stems.computeIfAbsent(word, EnglishStemmer::stem);
  }

  /** Tokens of one sentence (the Tokenizer's results, in order) to its words, terms and pairs. */
  public Sentence apply(List<String> sentenceTokens) {
    int words = 0;
    List<String> tokens = new ArrayList<>(sentenceTokens.size());
    List<String> terms = new ArrayList<>(sentenceTokens.size());
    List<String> pairs = new ArrayList<>();
    String previous = null;
    boolean previousInPhrases = false;
    for (String token : sentenceTokens) {
      String word = normalize(token);
      if (word.isEmpty()) {
        continue;
      }
      words++;
      boolean stopWord = isStopWord(word);
      boolean inPhrases = phraseWord(word, stopWord);
      if (previousInPhrases && inPhrases) {
        pairs.add(previous + " " + word);
      }
      previous = word;
      previousInPhrases = inPhrases;
      if (!stopWord) {
        tokens.add(word);
        terms.add(stem(word));
      }
    }
    return new Sentence(words, tokens, terms, pairs);
  }
}
