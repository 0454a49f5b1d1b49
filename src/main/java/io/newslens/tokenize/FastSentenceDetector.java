package io.newslens.tokenize;

import com.johnsnowlabs.nlp.annotators.common.Sentence;
import com.johnsnowlabs.nlp.annotators.common.Sentence$;
import com.johnsnowlabs.nlp.annotators.sbd.pragmatic.PragmaticContentFormatter;
import com.johnsnowlabs.nlp.annotators.sbd.pragmatic.PragmaticContentFormatter$;
import com.johnsnowlabs.nlp.annotators.sbd.pragmatic.PragmaticMethod;
import com.johnsnowlabs.nlp.annotators.sbd.pragmatic.PragmaticSymbols$;
import com.johnsnowlabs.nlp.annotators.sbd.pragmatic.SentenceDetector;
import com.johnsnowlabs.nlp.util.io.MatchStrategy;
import com.johnsnowlabs.nlp.util.regex.RegexRule;
import com.johnsnowlabs.nlp.util.regex.RuleFactory;
import com.johnsnowlabs.nlp.util.regex.TransformStrategy;
import java.io.Serializable;
import java.util.ArrayList;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.util.Identifiable$;
import scala.Enumeration;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.Tuple2;

/**
 * Spark NLP's rule-based {@link SentenceDetector}: the same rules and the same output, without
 * regex costs that grow faster than the rules' work (bench/README.md has the figures).
 *
 * <p>A profile of the annotator on news articles showed costs that have nothing to do with
 * the rules themselves:
 * <ul>
 *   <li>The dictionary abbreviation rules ("Mr.", "Corp.", "U.S.") are regexes that open with a
 *       lookbehind, {@code (?<=\s(?i)(?:adj|bros|...))\.(?=...)}: the regex engine evaluates the
 *       51-way lookbehind at every character of the text before it checks for a period. Each
 *       such rule is rewritten here to start with the period, {@code \.(?:(?<=\s(?i)(?:...)\.)(?=...)|...)},
 *       which matches exactly the same periods and fails at once everywhere else.</li>
 *   <li>{@code PragmaticSentenceExtractor} splits the marked-up text with
 *       {@code BREAK(?![^OPEN]*CLOSE)}: for every break the lookahead scans on to the next
 *       protection marker, which for most texts is the end of the text, so the split costs
 *       breaks × length. {@link #pull} decides the same thing for all breaks in one backward
 *       scan, then follows the extractor step for step.</li>
 *   <li>The same holds, on a smaller scale, for a dozen of the formatter's other rules that open
 *       with a lookbehind ({@code (?<=\d)\.(?=\d)}, {@code (?<=\S)[!\?]+...}): each is rewritten
 *       to start with the character it consumes ({@link Method#LOOKBEHIND_FIRST}), in copies of
 *       Spark NLP's rule factories.</li>
 * </ul>
 * Every other step is Spark NLP's own code ({@link PragmaticContentFormatter}, its rule
 * factories, symbols and dictionaries), called in the order {@code DefaultPragmaticMethod}
 * calls them. With custom bounds set, the annotator falls back to Spark NLP's method unchanged.
 * {@code FastSentenceDetectorTest} compares both on every dictionary abbreviation in every
 * context the rules look at, and on real articles.
 */
public class FastSentenceDetector extends SentenceDetector {
  private static final long serialVersionUID = 1L;

  public FastSentenceDetector() {
    this(Identifiable$.MODULE$.randomUID("SENTENCE"));
  }

  /** Spark ML copies stages through this constructor. */
  public FastSentenceDetector(String uid) {
    super(uid);
  }

  /** Chosen on first use, as Spark NLP's own lazy {@code model}: tag() asks for it per document. */
  private transient volatile PragmaticMethod method;

  @Override
  public PragmaticMethod model() {
    PragmaticMethod chosen = method;
    if (chosen == null) {
      chosen = getCustomBounds().length > 0 ? super.model() : new Method(getUseAbbreviations(), getDetectLists());
      method = chosen;
    }
    return chosen;
  }

  /** {@code DefaultPragmaticMethod} with the costs above removed. */
  static final class Method implements PragmaticMethod, Serializable {
    private static final long serialVersionUID = 1L;
    private static final AnchoredRules DICTIONARY_ABBREVIATIONS = AnchoredRules.of(dictionaryAbbreviations(),
        new AnchoredRules.Anchor(".", 0, false));
    private static final String ABBREVIATOR = PragmaticSymbols$.MODULE$.ABBREVIATOR();
    private static final char BREAK = single(PragmaticSymbols$.MODULE$.BREAK_INDICATOR());
    private static final char OPEN = single(PragmaticSymbols$.MODULE$.PROTECTION_MARKER_OPEN());
    private static final char CLOSE = single(PragmaticSymbols$.MODULE$.PROTECTION_MARKER_CLOSE());
    private static final String[] RECOVERY = recovery();

    private final boolean useAbbreviations;
    private final boolean detectLists;

    Method(boolean useAbbreviations, boolean detectLists) {
      this.useAbbreviations = useAbbreviations;
      this.detectLists = detectLists;
    }

    @Override
    public Sentence[] extractBounds(String content) {
      String marked = content;
      if (detectLists) {
        marked = LISTS.transformWithSymbolicRules(marked);
      }
      marked = NUMBERS.transformWithSymbol(SYMBOLS.NUM_INDICATOR(), marked);
      marked = SPECIAL_ABBREVIATIONS.transformWithSymbolicRules(marked);
      marked = STANDARD_ABBREVIATIONS.transformWithSymbol(ABBREVIATOR, marked);
      if (useAbbreviations) {
        marked = DICTIONARY_ABBREVIATIONS.transformWithSymbol(ABBREVIATOR, marked);
      }
      marked = PUNCTUATIONS.transformWithSymbol(SYMBOLS.BREAK_INDICATOR(), marked);
      marked = MULTIPLE_PERIODS.transformWithSymbol(SYMBOLS.MULT_PERIOD(), marked);
      marked = GEO_LOCATIONS.transformWithSymbol(SYMBOLS.MULT_PERIOD(), marked);
      marked = ELLIPSES.transformWithSymbol(SYMBOLS.ELLIPSIS_INDICATOR(), marked);
      marked = BETWEEN_PUNCTUATIONS.transformWithSymbolicRules(marked);
      marked = QUESTION_IN_QUOTATION.transformWithSymbol(SYMBOLS.QUESTION_IN_QUOTE(), marked);
      marked = EXCLAMATION_POINTS.transformWithSymbol(SYMBOLS.EXCLAMATION_INDICATOR(), marked);
      marked = BASIC_BREAKERS.transformWithSymbolicRules(marked);
      return pull(marked, content);
    }

    /** Spark NLP's numbered-list rule: its branches start with {@code \s}, {@code ^} or {@code s}. */
    private static final String NUMBERED_LIST = "\\s\\d{1,2}\\.\\s|^\\d{1,2}\\.\\s|\\s\\d{1,2}\\.\\)|^\\d{1,2}\\.\\)|"
        + "\\s\\-\\d{1,2}\\.\\s|^\\-\\d{1,2}\\.\\s|s\\-\\d{1,2}\\.\\)|^\\-\\d{1,2}(.\\))";

    /**
     * Spark NLP's rules that open with a lookbehind, each rewritten to start with the character
     * it consumes, the lookbehind moved after it (extended by that character): the same matches,
     * but a position that does not hold that character fails at once instead of evaluating the
     * lookbehind. The numbered-list rule gets a one-character guard for its branches' first
     * elements. Keyed by Spark NLP's exact pattern: a rule that changes in a later Spark NLP
     * release is no longer rewritten, only kept as it is.
     */
    private static final Map<String, String> LOOKBEHIND_FIRST = Map.ofEntries(
        Map.entry("(?<=Co)\\.(?=\\sKG)", "\\.(?<=Co\\.)(?=\\sKG)"),
        Map.entry("(?<=^[A-Z])\\.(?=\\s)", "\\.(?<=^[A-Z]\\.)(?=\\s)"),
        Map.entry("(?<=\\s[A-Z])\\.(?=\\s)", "\\.(?<=\\s[A-Z]\\.)(?=\\s)"),
        Map.entry("(?<=\\d)\\.(?=\\d)", "\\.(?<=\\d\\.)(?=\\d)"),
        Map.entry("(?<=\\d)\\.(?=\\S)", "\\.(?<=\\d\\.)(?=\\S)"),
        Map.entry("(?<=^\\d)\\.(?=(\\s\\S)|\\))", "\\.(?<=^\\d\\.)(?=(\\s\\S)|\\))"),
        Map.entry("(?<=^\\d\\d)\\.(?=(\\s\\S)|\\))", "\\.(?<=^\\d\\d\\.)(?=(\\s\\S)|\\))"),
        Map.entry("(?<=\\S)[!\\?]+(?=\\s|\\z|\\$)", "[!\\?](?<=\\S[!\\?])[!\\?]*(?=\\s|\\z|\\$)"),
        Map.entry("(?<=\\w)\\.(?=\\w)", "\\.(?<=\\w\\.)(?=\\w)"),
        Map.entry("(?<=[a-zA-z]°)\\.(?=\\s*\\d+)", "\\.(?<=[a-zA-z]°\\.)(?=\\s*\\d+)"),
        Map.entry("(?<=\\S)\\.{3}(?=\\.\\s[A-Z])", "\\.(?<=\\S\\.)\\.{2}(?=\\.\\s[A-Z])"),
        Map.entry("(?<=\\s|^)'[\\w\\s?!\\.,|'\\w]+'(?:\\W)", "'(?<=(?:\\s|^)')[\\w\\s?!\\.,|'\\w]+'(?:\\W)"),
        Map.entry("\\b[a-zA-Z](?:\\.[a-zA-Z])+(?:\\.(?!\\s[A-Z]))*", "(?=[a-zA-Z])\\b[a-zA-Z](?:\\.[a-zA-Z])+(?:\\.(?!\\s[A-Z]))*"),
        Map.entry(NUMBERED_LIST, "(?:(?=[\\ss])|^)(?:" + NUMBERED_LIST + ")"));

    private static final PragmaticSymbols$ SYMBOLS = PragmaticSymbols$.MODULE$;
    private static final PragmaticContentFormatter$ FORMATTER = PragmaticContentFormatter$.MODULE$;
    private static final AnchoredRules LISTS = anchored(FORMATTER.formatListsFactory());
    private static final AnchoredRules NUMBERS = anchored(FORMATTER.formatNumbersFactory());
    private static final AnchoredRules SPECIAL_ABBREVIATIONS = anchored(FORMATTER.specialAbbrFactory());
    private static final AnchoredRules STANDARD_ABBREVIATIONS = anchored(FORMATTER.stdAbbrFactory());
    private static final AnchoredRules PUNCTUATIONS = anchored(FORMATTER.formatPunctuationsFactory());
    private static final AnchoredRules MULTIPLE_PERIODS = anchored(FORMATTER.formatMultiplePeriodsFactory());
    private static final AnchoredRules GEO_LOCATIONS = anchored(FORMATTER.formatGeoLocationsFactory());
    private static final AnchoredRules ELLIPSES = anchored(FORMATTER.FormatEllipsisRulesFactory());
    private static final AnchoredRules BETWEEN_PUNCTUATIONS = anchored(FORMATTER.formatBetweenPunctuationsFactory());
    private static final AnchoredRules QUESTION_IN_QUOTATION = anchored(FORMATTER.formatQuotationMarkInQuotationFactory());
    private static final AnchoredRules EXCLAMATION_POINTS = anchored(FORMATTER.formatExclamationPointFactory());
    private static final AnchoredRules BASIC_BREAKERS = anchored(FORMATTER.formatBasicBreakersFactory());

    /** Whether every factory knows the anchor of each of its rules (else it runs Spark NLP's own code). */
    static boolean everyRuleAnchored() {
      return java.util.stream.Stream.of(LISTS, NUMBERS, SPECIAL_ABBREVIATIONS, STANDARD_ABBREVIATIONS,
              DICTIONARY_ABBREVIATIONS, PUNCTUATIONS, MULTIPLE_PERIODS, GEO_LOCATIONS, ELLIPSES, BETWEEN_PUNCTUATIONS,
              QUESTION_IN_QUOTATION, EXCLAMATION_POINTS, BASIC_BREAKERS)
          .allMatch(AnchoredRules::anchored);
    }

    private static AnchoredRules anchored(RuleFactory original) {
      return AnchoredRules.of(lookbehindFirst(original));
    }

    /**
     * A copy of one of Spark NLP's formatter factories (same strategies, rules, symbols and
     * order) with the {@link #LOOKBEHIND_FIRST} rewrites applied. The factories keep their
     * rules private, so they are read by reflection; {@code FastSentenceDetectorTest} checks
     * the copies against the originals.
     */
    @SuppressWarnings("unchecked")
    static RuleFactory lookbehindFirst(RuleFactory original) {
      try {
        RuleFactory copy = new RuleFactory((Enumeration.Value) field(original, "matchStrategy"),
            (Enumeration.Value) field(original, "transformStrategy"));
        for (RegexRule rule : JavaConverters.seqAsJavaList((Seq<RegexRule>) field(original, "rules"))) {
          copy.addRule(rewritten(rule));
        }
        for (Tuple2<String, RegexRule> rule
            : JavaConverters.seqAsJavaList((Seq<Tuple2<String, RegexRule>>) field(original, "symbolRules"))) {
          copy.addSymbolicRule(rule._1(), rewritten(rule._2()));
        }
        return copy;
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("Spark NLP's RuleFactory changed: " + e, e);
      }
    }

    /** The rules {@link #lookbehindFirst} rewrote, for the test. */
    @SuppressWarnings("unchecked")
    static int rewrittenRules(RuleFactory copy) throws ReflectiveOperationException {
      int count = 0;
      for (RegexRule rule : JavaConverters.seqAsJavaList((Seq<RegexRule>) field(copy, "rules"))) {
        count += LOOKBEHIND_FIRST.containsValue(rule.rule()) ? 1 : 0;
      }
      return count;
    }

    private static RegexRule rewritten(RegexRule rule) {
      String rewrite = LOOKBEHIND_FIRST.get(rule.rule());
      return rewrite == null ? rule : new RegexRule(rewrite, rule.identifier());
    }

    /** A private field of Spark NLP's {@link RuleFactory}, read by reflection (here and in {@link AnchoredRules}). */
    static Object field(RuleFactory factory, String name) throws ReflectiveOperationException {
      Field field = RuleFactory.class.getDeclaredField(name);
      field.setAccessible(true);
      return field.get(factory);
    }

    /**
     * Spark NLP's six dictionary rules, same dictionaries, same lookarounds, same order, each
     * starting with the period it replaces.
     */
    private static RuleFactory dictionaryAbbreviations() {
      PragmaticContentFormatter$ formatter = PragmaticContentFormatter$.MODULE$;
      String prepositive = formatter.pabb();
      String number = formatter.nubb();
      String general = formatter.abbr();
      String generalAfter = "(?=((\\.|\\:|-|\\?)|(\\s([a-z]|I\\s|I'm|I'll|\\d))))";
      String generalAfterAtStart = "(?=((\\.|\\:|\\?)|(\\s([a-z]|I\\s|I'm|I'll|\\d))))";
      String[][] rules = {
          {prepositive, "(?=\\s)", "(?=\\s)"},
          {prepositive, "(?=:\\d+)", "(?=:\\d+)"},
          {number, "(?=\\s\\d)", "(?=\\s\\d)"},
          {number, "(?=\\s+\\()", "(?=\\s+\\()"},
          {general, generalAfter, generalAfterAtStart},
          {general, "(?=,)", "(?=,)"}};
      RuleFactory factory = new RuleFactory(MatchStrategy.MATCH_ALL(), TransformStrategy.REPLACE_ALL_WITH_SYMBOL());
      for (String[] rule : rules) {
        factory.addRule(new RegexRule(
            "\\.(?:(?<=\\s(?i)" + rule[0] + "\\.)" + rule[1] + "|(?<=^(?i)" + rule[0] + "\\.)" + rule[2] + ")",
            "formatAbbreviations-dictionary"));
      }
      return factory;
    }

    /**
     * {@code PragmaticSentenceExtractor.pull}: split at unprotected breaks (as
     * {@code String.split} would), drop break marks, turn symbols back into punctuation, drop
     * empty pieces, then locate each trimmed sentence in the source after the previous one.
     */
    static Sentence[] pull(String marked, String source) {
      List<String> pieces = splitAtUnprotectedBreaks(marked);
      List<Sentence> sentences = new ArrayList<>(pieces.size());
      int searchFrom = 0;
      for (String piece : pieces) {
        StringBuilder recovered = new StringBuilder(piece.length());
        for (int i = 0; i < piece.length(); i++) {
          char c = piece.charAt(i);
          if (c != BREAK) {
            String original = RECOVERY[c];
            if (original == null) {
              recovered.append(c);
            } else {
              recovered.append(original);
            }
          }
        }
        if (recovered.length() == 0) {
          continue;
        }
        String text = recovered.toString().trim();
        int start = source.indexOf(text, searchFrom);
        Sentence sentence = new Sentence(text, start, start + text.length() - 1, sentences.size(),
            Sentence$.MODULE$.apply$default$5());
        sentences.add(sentence);
        searchFrom = sentence.end() + 1;
      }
      return sentences.toArray(new Sentence[0]);
    }

    /**
     * A break is protected when a CLOSE marker follows it before any OPEN marker does (the
     * extractor's {@code BREAK(?![^OPEN]*CLOSE)}); pieces as {@code String.split} returns them,
     * trailing empty pieces removed.
     */
    static List<String> splitAtUnprotectedBreaks(String marked) {
      int n = marked.length();
      boolean[] splitAt = new boolean[n];
      int nextOpen = Integer.MAX_VALUE;
      int nextClose = Integer.MAX_VALUE;
      boolean anySplit = false;
      for (int i = n - 1; i >= 0; i--) {
        char c = marked.charAt(i);
        if (c == BREAK) {
          splitAt[i] = nextClose == Integer.MAX_VALUE || nextOpen < nextClose;
          anySplit |= splitAt[i];
        } else if (c == OPEN) {
          nextOpen = i;
        } else if (c == CLOSE) {
          nextClose = i;
        }
      }
      List<String> pieces = new ArrayList<>();
      if (!anySplit) {
        pieces.add(marked);
        return pieces;
      }
      int from = 0;
      for (int i = 0; i < n; i++) {
        if (splitAt[i]) {
          pieces.add(marked.substring(from, i));
          from = i + 1;
        }
      }
      pieces.add(marked.substring(from));
      while (!pieces.isEmpty() && pieces.get(pieces.size() - 1).isEmpty()) {
        pieces.remove(pieces.size() - 1);
      }
      return pieces;
    }

    private static String[] recovery() {
      String[] byChar = new String[Character.MAX_VALUE + 1];
      Iterator<Tuple2<String, String>> entries = PragmaticSymbols$.MODULE$.symbolRecovery().iterator();
      while (entries.hasNext()) {
        Tuple2<String, String> entry = entries.next();
        byChar[single(entry._1())] = entry._2();
      }
      return byChar;
    }

    private static char single(String symbol) {
      if (symbol.length() != 1) {
        throw new IllegalStateException("Spark NLP symbol is not one character: " + symbol);
      }
      return symbol.charAt(0);
    }
  }
}
