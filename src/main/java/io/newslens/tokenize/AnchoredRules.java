package io.newslens.tokenize;

import static io.newslens.tokenize.FastSentenceDetector.Method.field;

import com.johnsnowlabs.nlp.annotators.sbd.pragmatic.PragmaticSymbols$;
import com.johnsnowlabs.nlp.util.regex.RegexRule;
import com.johnsnowlabs.nlp.util.regex.RuleFactory;
import com.johnsnowlabs.nlp.util.regex.TransformStrategy;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import scala.Enumeration;
import scala.Tuple2;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * One of Spark NLP's sentence-rule factories, applied as its {@link RuleFactory} applies it
 * (every rule in order over the whole text, each match replaced as {@code replaceAllIn} and
 * {@link Matcher#appendReplacement} replace it), but each rule tried only where it can match.
 *
 * <p>Every sentence rule matches around a character of its own, its anchor: a period for most,
 * {@code !}, {@code ?}, a quote or a bracket for the rest; the anchor lies within the first
 * {@code reach + 1} characters of every match. The regex engine, asked to find such a rule, tries
 * it at every position of the text; here {@link String#indexOf} finds the anchors and the rule is
 * tried only at the {@code reach + 1} positions before each (and at the start of the text when
 * a branch is anchored there with {@code ^}). A match found this way is the one the engine's
 * search finds: it starts at the leftmost position where the rule matches, and no position
 * without an anchor in reach can start a match.
 *
 * <p>{@link #ANCHORS} names each rule's anchor, keyed by the rule's exact pattern (after
 * {@link FastSentenceDetector.Method}'s rewrites): a factory with a rule it does not know, as a
 * later Spark NLP release may bring, is applied by Spark NLP's own code, unchanged.
 */
final class AnchoredRules implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * The characters a match holds at one of its first {@code reach + 1} positions; {@code atStart}:
   * a branch of the rule matches only at 0.
   */
  record Anchor(String chars, int reach, boolean atStart) implements Serializable {}

  static final Map<String, Anchor> ANCHORS = Map.ofEntries(
      Map.entry("(\\()[a-z]+\\)|^[a-z]+\\)", new Anchor("(", 0, true)),
      Map.entry("(?:(?=[\\ss])|^)(?:\\s\\d{1,2}\\.\\s|^\\d{1,2}\\.\\s|\\s\\d{1,2}\\.\\)|^\\d{1,2}\\.\\)|\\s\\-\\d{1,2}\\.\\s"
          + "|^\\-\\d{1,2}\\.\\s|s\\-\\d{1,2}\\.\\)|^\\-\\d{1,2}(.\\)))", new Anchor(".", 4, true)),
      Map.entry("\\.(?<=\\d\\.)(?=\\d)", new Anchor(".", 0, false)),
      Map.entry("\\.(?=\\d)", new Anchor(".", 0, false)),
      Map.entry("\\.(?<=\\d\\.)(?=\\S)", new Anchor(".", 0, false)),
      Map.entry("\\.(?<=^\\d\\.)(?=(\\s\\S)|\\))", new Anchor(".", 0, false)),
      Map.entry("\\.(?<=^\\d\\d\\.)(?=(\\s\\S)|\\))", new Anchor(".", 0, false)),
      Map.entry("(?=[a-zA-Z])\\b[a-zA-Z](?:\\.[a-zA-Z])+(?:\\.(?!\\s[A-Z]))*", new Anchor(".", 1, false)),
      Map.entry("(?i)p\\.m\\.*", new Anchor(".", 1, false)),
      Map.entry("(?i)a\\.m\\.*", new Anchor(".", 1, false)),
      Map.entry("\\.(?='s\\s)|\\.(?='s\\$)|\\.(?='s\\z)", new Anchor(".", 0, false)),
      Map.entry("\\.(?<=Co\\.)(?=\\sKG)", new Anchor(".", 0, false)),
      Map.entry("\\.(?<=^[A-Z]\\.)(?=\\s)", new Anchor(".", 0, false)),
      Map.entry("\\.(?<=\\s[A-Z]\\.)(?=\\s)", new Anchor(".", 0, false)),
      Map.entry("[!\\?](?<=\\S[!\\?])[!\\?]*(?=\\s|\\z|\\$)", new Anchor("!?", 0, false)),
      Map.entry("\\.(?<=\\w\\.)(?=\\w)", new Anchor(".", 0, false)),
      Map.entry("\\.(?<=[a-zA-z]°\\.)(?=\\s*\\d+)", new Anchor(".", 0, false)),
      Map.entry("\\.\\.\\.(?=\\s+[A-Z])", new Anchor(".", 0, false)),
      Map.entry("\\.(?<=\\S\\.)\\.{2}(?=\\.\\s[A-Z])", new Anchor(".", 0, false)),
      Map.entry("'(?<=(?:\\s|^)')[\\w\\s?!\\.,|'\\w]+'(?:\\W)", new Anchor("'", 0, false)),
      Map.entry("\"[\\w\\s?!\\.,]+\"", new Anchor("\"", 0, false)),
      Map.entry("\\[[\\w\\s?!\\.,]+\\]", new Anchor("[", 0, false)),
      Map.entry("\\([\\w\\s?!\\.,]+\\)", new Anchor("(", 0, false)),
      Map.entry("\\?(?=(\\'|\\\"))", new Anchor("?", 0, false)),
      Map.entry("\\!(?=(\\'|\\\"))", new Anchor("!", 0, false)),
      Map.entry("\\!(?=\\,\\s[a-z])", new Anchor("!", 0, false)),
      Map.entry("\\!(?=\\s[a-z])", new Anchor("!", 0, false)),
      Map.entry("\\.", new Anchor(".", 0, false)),
      Map.entry(";", new Anchor(";", 0, false)));

  private static final String BREAK = PragmaticSymbols$.MODULE$.BREAK_INDICATOR();
  private static final String OPEN = PragmaticSymbols$.MODULE$.PROTECTION_MARKER_OPEN();
  private static final String CLOSE = PragmaticSymbols$.MODULE$.PROTECTION_MARKER_CLOSE();

  /** A rule, its anchor, and its own symbol (symbolic rules) or null. */
  private record Step(Pattern pattern, Anchor anchor, String symbol) implements Serializable {}

  private final RuleFactory factory;
  private final Enumeration.Value strategy;
  /** Null when a rule has no anchor: then {@link #factory} applies them all. */
  private final List<Step> rules;
  private final List<Step> symbolRules;

  private AnchoredRules(RuleFactory factory, Enumeration.Value strategy, List<Step> rules, List<Step> symbolRules) {
    this.factory = factory;
    this.strategy = strategy;
    this.rules = rules;
    this.symbolRules = symbolRules;
  }

  /**
   * The factory's rules with their anchors; Spark NLP's match strategy must be MATCH_ALL, as it is
   * for every sentence rule.
   */
  static AnchoredRules of(RuleFactory factory) {
    return of(factory, null);
  }

  /**
   * As {@link #of(RuleFactory)}, every rule with {@code anchor} when it is given (rules built
   * here, not Spark NLP's).
   */
  @SuppressWarnings("unchecked")
  static AnchoredRules of(RuleFactory factory, Anchor anchor) {
    try {
      Enumeration.Value strategy = (Enumeration.Value) field(factory, "transformStrategy");
      boolean matchAll = field(factory, "matchStrategy") == com.johnsnowlabs.nlp.util.io.MatchStrategy.MATCH_ALL();
      List<Step> rules = new ArrayList<>();
      for (RegexRule rule : JavaConverters.seqAsJavaList((Seq<RegexRule>) field(factory, "rules"))) {
        rules.add(step(rule, null, anchor));
      }
      List<Step> symbolRules = new ArrayList<>();
      for (Tuple2<String, RegexRule> rule
          : JavaConverters.seqAsJavaList((Seq<Tuple2<String, RegexRule>>) field(factory, "symbolRules"))) {
        symbolRules.add(step(rule._2(), rule._1(), anchor));
      }
      boolean known = matchAll && rules.stream().allMatch(s -> s.anchor() != null)
          && symbolRules.stream().allMatch(s -> s.anchor() != null);
      return new AnchoredRules(factory, strategy, known ? rules : null, known ? symbolRules : null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Spark NLP's RuleFactory changed: " + e, e);
    }
  }

  private static Step step(RegexRule rule, String symbol, Anchor anchor) {
    return new Step(rule.regex().pattern(), anchor != null ? anchor : ANCHORS.get(rule.rule()), symbol);
  }

  /** Whether every rule has an anchor (else Spark NLP's code applies the factory). */
  boolean anchored() {
    return rules != null;
  }

  /** {@link RuleFactory#transformWithSymbol}. */
  String transformWithSymbol(String symbol, String text) {
    if (rules == null) {
      return factory.transformWithSymbol(symbol, text);
    }
    String out = text;
    for (Step rule : rules) {
      out = apply(rule, symbol, out);
    }
    return out;
  }

  /** {@link RuleFactory#transformWithSymbolicRules}. */
  String transformWithSymbolicRules(String text) {
    if (rules == null) {
      return factory.transformWithSymbolicRules(text);
    }
    boolean eachRuleItsSymbol = strategy == TransformStrategy.REPLACE_EACH_WITH_SYMBOL()
        || strategy == TransformStrategy.REPLACE_EACH_WITH_SYMBOL_AND_BREAK();
    String out = text;
    for (Step rule : eachRuleItsSymbol ? symbolRules : rules) {
      out = apply(rule, rule.symbol(), out);
    }
    return out;
  }

  /** The replacement string Spark NLP gives {@code replaceAllIn} for a match, per transform strategy. */
  private String sparkNlpReplacement(String symbol, String matched) {
    if (strategy == TransformStrategy.APPEND_WITH_SYMBOL()) {
      return "$0" + symbol;
    } else if (strategy == TransformStrategy.PREPEND_WITH_SYMBOL()) {
      return symbol + "$0";
    } else if (strategy == TransformStrategy.REPLACE_ALL_WITH_SYMBOL()
        || strategy == TransformStrategy.REPLACE_EACH_WITH_SYMBOL()) {
      return symbol;
    } else if (strategy == TransformStrategy.REPLACE_WITH_SYMBOL_AND_BREAK()
        || strategy == TransformStrategy.REPLACE_EACH_WITH_SYMBOL_AND_BREAK()) {
      return symbol + BREAK;
    } else if (strategy == TransformStrategy.PROTECT_FROM_BREAK()) {
      return OPEN + matched + CLOSE;
    } else if (strategy == TransformStrategy.BREAK_AND_PROTECT_FROM_BREAK()) {
      return BREAK + OPEN + matched + CLOSE;
    }
    throw new IllegalArgumentException("Invalid strategy for rule factory");
  }

  /**
   * What {@link Matcher#appendReplacement} inserts for that replacement string, or null when it
   * would read a {@code $} or {@code \} in it (a quoted text holding one): then the rule is
   * applied to the text by the regex engine's own replacement, as in Spark NLP.
   */
  private String literalReplacement(String symbol, String matched) {
    if (strategy == TransformStrategy.APPEND_WITH_SYMBOL()) {
      return plain(symbol) ? matched + symbol : null;
    } else if (strategy == TransformStrategy.PREPEND_WITH_SYMBOL()) {
      return plain(symbol) ? symbol + matched : null;
    }
    String replacement = sparkNlpReplacement(symbol, matched);
    return plain(replacement) ? replacement : null;
  }

  private static boolean plain(String replacement) {
    return replacement.indexOf('$') < 0 && replacement.indexOf('\\') < 0;
  }

  private String apply(Step rule, String symbol, String text) {
    Anchor anchor = rule.anchor();
    int n = text.length();
    Matcher matcher = rule.pattern().matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
    StringBuilder out = null;
    int copied = 0;
    int next = 0;
    int tested = -1;
    int[] anchors = new int[anchor.chars().length()];
    java.util.Arrays.fill(anchors, -2);
    int at = anchor.atStart() ? 0 : nextAnchor(text, anchor.chars(), anchors, 0);
    while (at >= 0) {
      for (int start = Math.max(next, Math.max(tested + 1, at - anchor.reach())); start <= at; start++) {
        tested = start;
        matcher.region(start, n);
        if (!matcher.lookingAt()) {
          continue;
        }
        // The match starts at the region's start: not matcher.start(), which a "^" inside a
        // lookbehind moves to 0 after lookingAt (find() resets it, lookingAt does not).
        int end = matcher.end();
        String replacement = literalReplacement(symbol, text.substring(start, end));
        if (replacement == null) {
          return rule.pattern().matcher(text).replaceAll(m -> sparkNlpReplacement(symbol, m.group()));
        }
        if (out == null) {
          out = new StringBuilder(n + 16);
        }
        out.append(text, copied, start).append(replacement);
        copied = end;
        next = end;
        break;
      }
      at = nextAnchor(text, anchor.chars(), anchors, Math.max(at + 1, next));
    }
    return out == null ? text : out.append(text, copied, n).toString();
  }

  /**
   * The first position at or after {@code from} holding one of {@code chars}, or -1; {@code next}
   * keeps each character's next position (-2: not looked for yet), so that a character the text
   * lacks is searched for once, not once per anchor of the others.
   */
  private static int nextAnchor(String text, String chars, int[] next, int from) {
    int first = -1;
    for (int i = 0; i < chars.length(); i++) {
      if (next[i] == -2 || (next[i] >= 0 && next[i] < from)) {
        next[i] = text.indexOf(chars.charAt(i), from);
      }
      if (next[i] >= 0 && (first < 0 || next[i] < first)) {
        first = next[i];
      }
    }
    return first;
  }
}
