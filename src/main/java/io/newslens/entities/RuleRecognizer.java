package io.newslens.entities;

import static io.newslens.entities.Gazetteer.*;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.spark.ml.feature.StopWordsRemover;

/**
 * The {@code --ner rules} recogniser: gazetteer look-ups plus rules, on one article at a time,
 * given its sentence boundaries (from Spark NLP's SentenceDetector).
 *
 * <p>Why our own code rather than Spark NLP's EntityRuler for the look-ups: every decision here
 * needs the neighbouring tokens and their case (a title before a name, a first name before a
 * surname, an organisation head after a place name, a sentence-initial word, "(IRGC)" after a
 * name), and the look-up must compete with those rules for the longest span. EntityRuler only
 * reports character spans of literal matches (case-insensitively, with the alphabet failure
 * described in STACK-NOTES), so its output would need this same token pass afterwards; a hash
 * look-up of token n-grams inside the pass is simpler and costs less than the ruler's own pass.
 * Within-article alias merging ("Crocker" after "Ryan Crocker", acronyms defined in the text)
 * needs the whole article, which no Spark NLP annotator offers.
 *
 * <p>Decisions, in order, at each token:
 * <ol>
 *   <li>a gazetteer name (organisations, countries and their aliases, regions and U.S. states,
 *       cities with at least 100,000 people or capitals) at least as long as the run of
 *       capitalised words there is what the list says, under the list's canonical name;
 *   <li>a run of 2+ capitalised words holding an organisation head ("al-Quds Force", "Iraqi
 *       Foreign Ministry", "Ministry of Defence", joined over "of"/"for" after a head) is an
 *       ORGANIZATION, unless it is a person's name (next rule); a head alone ("the Commission")
 *       is a common noun and not a name;
 *   <li>a shorter gazetteer name at the start of a longer run is taken alone ("United States
 *       Congress" is United States, then Congress) unless the run is a person's name: after a
 *       title ("Ambassador", "spokesman", "Mr"), or starting with a given name where the list
 *       name is only a city;
 *   <li>a demonym ("Iranian officials", "Americans") standing alone is a mention of its country
 *       (LOCATION), always; inside a longer name ("Iranian Revolutionary Guard") it is not;
 *   <li>a capitalised run after a title or starting with a given name is a PERSON; other runs
 *       of 2+ words are MISC;
 *   <li>a lone capitalised word that none of the above claims is kept only if, in the same
 *       article, it is the last word(s) of a person's full name (then it is that person) or an
 *       acronym the article defined ("Islamic Jihad (IJ)"); otherwise it is dropped, which is
 *       what keeps sentence-initial words ("Hours", "Shiite") out.
 * </ol>
 */
public final class RuleRecognizer implements Recognizer {
  private static final long serialVersionUID = 1L;

  /**
   * Type of a lone capitalised word that the article did not resolve, emitted only by
   * {@link #keepingLoneWords()}: the corpus-level pass ({@link Resolution}) resolves it to the
   * person who dominates that surname in the period, or drops it.
   */
  public static final String PENDING = "PENDING";

  private final boolean keepLoneWords;

  public RuleRecognizer() {
    this(false);
  }

  private RuleRecognizer(boolean keepLoneWords) {
    this.keepLoneWords = keepLoneWords;
  }

  /** The same recogniser, also emitting unresolved lone words as {@link #PENDING}. */
  public RuleRecognizer keepingLoneWords() {
    return new RuleRecognizer(true);
  }

  /** One mention: character offsets into the article text, {@code end} exclusive. */
  public record Mention(int sentence, int begin, int end, String text, String entity, String type) {}

  /**
   * What a token is, as a regular expression: {@link #nextToken} finds the same matches by hand,
   * because Java runs a repeated group by recursion, one stack frame per repetition, and a
   * hyphenated "word" of a million characters overflowed the stack (and a StackOverflowError in
   * a task stops a local Spark JVM).
   */
  static final Pattern TOKEN = Pattern.compile("(?:\\p{Lu}\\.)+|[\\p{L}\\p{N}]+(?:[-'\u2019&][\\p{L}\\p{N}]+)*");
  private static final Set<String> HEADS = Set.of("Corp", "Corporation", "Inc", "Ltd", "LLC", "Co", "Company",
      "Group", "Party", "Force", "Forces", "Guard", "Guards", "Ministry", "Press", "Bank", "Army", "Agency",
      "Council", "Committee", "Commission", "Court", "University", "Institute", "Association", "Front",
      "Movement", "Brigade", "Brigades", "Union", "Organization", "Organisation", "Foundation", "Fund",
      "Department", "Parliament", "Assembly", "Federation", "League", "Airlines", "Airways", "Bureau",
      "Times", "Post", "Network", "Authority", "Church", "College", "Alliance", "Coalition", "Police",
      "Navy", "Corps", "Cabinet", "Government", "Administration", "Service", "Services", "Agencies", "Exchange", "Board", "Office");
  private static final Set<String> CONNECTORS = Set.of("of", "for", "on");
  private static final Set<String> NOT_NAMES = new HashSet<>(Arrays.asList(
      "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
      "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
      // Words that start sentences and are capitalised only for that (ours; Spark's stop words
      // below hold the pronouns, articles and prepositions).
      "Later", "Earlier", "Meanwhile", "However", "Yesterday", "Today", "Tomorrow", "Last", "Next", "Many",
      "Several", "Despite", "According", "Among", "Instead", "Even", "Still", "Also", "Asked", "Speaking",
      "Although", "Though", "Since", "Unlike", "Like", "Neither", "Either", "Every", "Each", "Another",
      "Please", "Thank", "Let", "Now", "Then", "Yet", "Thus", "Indeed", "Perhaps", "Finally", "First",
      "Second", "Third", "Ladies", "Gentlemen", "God"));
  private static final Set<String> STOP = new HashSet<>(Arrays.asList(StopWordsRemover.loadDefaultStopWords("english")));

  /** The lists are not a field: each executor loads them once from the jar, not from the task. */
  private static Gazetteer gazetteer() {
    return Gazetteer.bundled();
  }

  /**
   * {@code sigil}: '@' or '#' right before the word (a handle or a hashtag), else 0.
   * {@code key} (the gazetteer's folding), {@code lower} and {@code allCaps} are computed once
   * per token: the rules below look each token up in several lists, and recomputing them for
   * each look-up was a large part of the recogniser's profile.
   */
  private record Token(String word, int begin, int end, boolean breakBefore, char sigil, String key, String lower,
      boolean allCaps) {
    Token(String word, int begin, int end, boolean breakBefore, char sigil) {
      this(word, begin, end, breakBefore, sigil, Gazetteer.key(word), word.toLowerCase(Locale.ROOT), allCapsWord(word));
    }

    boolean capitalised() {
      char c = word.charAt(0);
      if (Character.isUpperCase(c)) {
        return true;
      }
      // "al-Quds", "el-Sisi": Arabic article in lower case before a capitalised name.
      return (word.startsWith("al-") || word.startsWith("el-")) && word.length() > 3
          && Character.isUpperCase(word.charAt(3));
    }

    static boolean allCapsWord(String word) {
      if (word.length() < 2) {
        return false;
      }
      for (int i = 0; i < word.length(); i++) {
        if (Character.isLowerCase(word.charAt(i))) {
          return false;
        }
      }
      return Character.isLetter(word.charAt(0));
    }
  }

  /** A candidate found in the first pass; {@code words} are kept for the alias pass. */
  private static final class Candidate {
    final int sentence;
    final int begin;
    final int end;
    final List<String> words;
    String entity;
    String type;
    /** A lone capitalised word nothing claimed: kept only if the alias pass resolves it. */
    final boolean pending;
    final boolean fromList;
    /** First word of its sentence: capitalised maybe only for that. */
    boolean initial;

    Candidate(int sentence, List<Token> tokens, String entity, String type, boolean pending, boolean fromList) {
      this(sentence, tokens, tokens.get(0).begin, entity, type, pending, fromList);
    }

    /** {@code begin} before the first token's: an epithet or a sigil that is part of the mention, not of the name. */
    Candidate(int sentence, List<Token> tokens, int begin, String entity, String type, boolean pending,
        boolean fromList) {
      this.sentence = sentence;
      this.begin = begin;
      this.end = tokens.get(tokens.size() - 1).end;
      this.words = tokens.stream().map(Token::word).toList();
      this.entity = entity;
      this.type = type;
      this.pending = pending;
      this.fromList = fromList;
    }
  }

  /**
   * Mentions in one article. {@code sentenceBegins}/{@code sentenceEnds} are the sentences'
   * character offsets (end inclusive, as Spark NLP gives them).
   */
  @Override
  public List<Mention> recognize(String text, int[] sentenceBegins, int[] sentenceEnds) {
    List<Candidate> candidates = new ArrayList<>();
    Map<String, Candidate> acronyms = new HashMap<>();
    for (int s = 0; s < sentenceBegins.length; s++) {
      int begin = Math.max(0, sentenceBegins[s]);
      int end = Math.min(text.length(), sentenceEnds[s] + 1);
      if (begin < end) {
        recognizeSentence(text, s, tokenize(text, begin, end), candidates, acronyms);
      }
    }
    return resolveAliases(text, candidates, acronyms, keepLoneWords);
  }

  /**
   * The bundled lists' {canonical name, type} for a surface form ("U.S." gives {"United States",
   * "LOCATION"}), or null; for other recognisers that want the same canonical names.
   */
  public static String[] listed(String surface) {
    Gazetteer.Entry entry = gazetteer().lookup(Gazetteer.key(surface.replaceFirst("^(?i)the ", "")));
    return entry == null ? null : new String[] {entry.canonical(), entry.type()};
  }

  private static List<Token> tokenize(String text, int begin, int end) {
    List<Token> tokens = new ArrayList<>();
    int previousEnd = -1;
    for (int[] m = nextToken(text, begin, end); m != null; m = nextToken(text, m[1], end)) {
      int tokenStart = m[0];
      int tokenEnd = m[1];
      String word = text.substring(tokenStart, tokenEnd);
      // Possessives and plural possessives: "Iraq's" is a mention of Iraq.
      if (word.endsWith("'s") || word.endsWith("\u2019s")) {
        word = word.substring(0, word.length() - 2);
        tokenEnd -= 2;
      }
      // A name continues over spaces only: a comma, a dash, a bracket or a line break ends it.
      boolean breakBefore = previousEnd < 0 || previousEnd == tokenStart;
      for (int c = previousEnd; !breakBefore && c < tokenStart; c++) {
        breakBefore = text.charAt(c) != ' ';
      }
      char sigil = tokenStart > 0 && (text.charAt(tokenStart - 1) == '@' || text.charAt(tokenStart - 1) == '#')
          ? text.charAt(tokenStart - 1) : 0;
      tokens.add(new Token(word, tokenStart, tokenEnd, breakBefore, sigil));
      previousEnd = m[1];
    }
    return tokens;
  }

  /** The next match of {@link #TOKEN} in [from, end) as {begin, end}, or null; no recursion. */
  static int[] nextToken(String text, int from, int end) {
    for (int i = from; i < end; ) {
      int acronym = i;
      while (acronym < end) {
        int upper = text.codePointAt(acronym);
        int dot = acronym + Character.charCount(upper);
        if (!upperCaseLetter(upper) || dot >= end || text.charAt(dot) != '.') {
          break;
        }
        acronym = dot + 1;
      }
      if (acronym > i) {
        return new int[] {i, acronym};
      }
      int cp = text.codePointAt(i);
      if (wordChar(cp)) {
        int j = wordRun(text, i, end);
        while (j + 1 < end && "-'\u2019&".indexOf(text.charAt(j)) >= 0 && wordChar(text.codePointAt(j + 1))) {
          j = wordRun(text, j + 1, end);
        }
        return new int[] {i, j};
      }
      i += Character.charCount(cp);
    }
    return null;
  }

  private static int wordRun(String text, int i, int end) {
    while (i < end && wordChar(text.codePointAt(i))) {
      i += Character.charCount(text.codePointAt(i));
    }
    return i;
  }

  /** ASCII first: the recogniser reads every character of every sentence through these two. */
  private static boolean upperCaseLetter(int cp) {
    return cp < 128 ? cp >= 'A' && cp <= 'Z' : Character.getType(cp) == Character.UPPERCASE_LETTER;
  }

  /** {@code [\\p{L}\\p{N}]}: a letter or a number of any script. */
  private static boolean wordChar(int cp) {
    if (cp < 128) {
      return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    }
    return Character.isLetter(cp) || switch (Character.getType(cp)) {
      case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> true;
      default -> false;
    };
  }

  private static boolean nameWord(Token t, boolean sentenceInitial) {
    if (!t.capitalised() || NOT_NAMES.contains(t.word) || gazetteer().isTitleLowerCase(t.lower)) {
      return false;
    }
    // "The", "But", "He" start sentences, not names.
    return !STOP.contains(t.lower) || (!sentenceInitial && t.allCaps() && t.word.length() > 1);
  }

  /** Length of the run of name words from {@code i}, joining over "of"/"for" after a head. */
  private int capitalisedRun(List<Token> tokens, int i) {
    if (!nameWord(tokens.get(i), i == 0)) {
      return 0;
    }
    int j = i + 1;
    while (j < tokens.size() && !tokens.get(j).breakBefore) {
      Token t = tokens.get(j);
      if (nameWord(t, false)) {
        j++;
      } else if (CONNECTORS.contains(t.word) && HEADS.contains(tokens.get(j - 1).word) && j + 1 < tokens.size()
          && !tokens.get(j + 1).breakBefore && nameWord(tokens.get(j + 1), false)) {
        j += 2;
      } else {
        break;
      }
    }
    return j - i;
  }

  private record ListMatch(int length, Gazetteer.Entry entry) {}

  static final String WASHINGTON = "Washington";
  /** "Washington said", "the Washington administration": the federal government, not the city. */
  static final String US_GOVERNMENT = "United States government";
  static final String GEORGIA = "Georgia";
  static final String GEORGIA_STATE = "Georgia (U.S. state)";
  private static final Set<String> GOVERNMENT_CUES = Set.of("said", "says", "say", "warned", "insisted", "accused",
      "urged", "demanded", "announced", "wants", "believes", "responded", "rejected", "denied", "administration",
      "officials");
  /** "asked Washington for troops", "pressed Washington": a request or reproach is addressed to the government. */
  private static final Set<String> ADDRESSEE_CUES = Set.of("asked", "urged", "pressed", "lobbied", "warned", "told",
      "accused", "blamed", "criticized", "criticised", "petitioned", "implored");
  private static final Set<String> US_STATES = Set.of("Alabama", "Alaska", "Arizona", "Arkansas", "California",
      "Colorado", "Connecticut", "Delaware", "Florida", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas",
      "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri",
      "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina",
      "North Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota",
      "Tennessee", "Texas", "Utah", "Vermont", "Virginia", "Washington State", "West Virginia", "Wisconsin", "Wyoming",
      "Atlanta", "Savannah");
  private static final Set<String> US_PARTIES = Set.of("Democratic Party", "Republican Party");
  private static final Set<String> CAUCASUS = Set.of("Tbilisi", "Russia", "Abkhazia", "South Ossetia", "Armenia",
      "Azerbaijan", "Ukraine", "Caucasus", "Chechnya", "Black Sea");
  private static final Pattern STATE_CUES = Pattern.compile(
      "\\b(?:Atlanta|Savannah|Macon|Peach State|state of Georgia|Georgia (?:state|Gov\\.?|governor|legislature|voters"
          + "|county|counties|Senate race|primary|Republicans?|Democrats?)|Gov\\. Brian Kemp|[RD]-Ga\\.?)\\b");
  private static final Pattern COUNTRY_CUES = Pattern.compile(
      "\\b(?:Tbilisi|Saakashvili|Ossetia|Abkhaz|Caucasus|former Soviet|Kremlin|Moscow)");

  /**
   * "Georgia" is the country (the list's reading) unless the other places and cue words are
   * American rather than Caucasian (Atlanta, other U.S. states, U.S. parties, "Georgia voters"):
   * 1 for the state, -1 for the country, 0 for no majority, among the candidates and text in [from, to).
   */
  private static int georgiaCues(String text, List<Candidate> candidates, int from, int to) {
    int state = 0;
    int country = 0;
    for (Candidate c : candidates) {
      if (c.begin < from || c.end > to) {
        continue;
      }
      if ((US_STATES.contains(c.entity) || US_PARTIES.contains(c.entity)) && !GEORGIA.equals(c.entity)) {
        state++;
      } else if (CAUCASUS.contains(c.entity)) {
        country++;
      } else if (GEORGIA.equals(c.entity) && c.words.get(0).startsWith("Georgian")) {
        country++;
      }
    }
    for (var m = STATE_CUES.matcher(text).region(from, to); m.find(); ) {
      state++;
    }
    for (var m = COUNTRY_CUES.matcher(text).region(from, to); m.find(); ) {
      country++;
    }
    return Integer.signum(state - country);
  }

  /** Characters either side of a mention that count as near it. */
  private static final int NEAR = 250;

  /**
   * "Washington said", "Washington administration", "asked Washington": the government;
   * "Washington state": the state.
   */
  private static void washington(List<Token> tokens, int i, Candidate found) {
    if (i > 0 && !tokens.get(i).breakBefore && ADDRESSEE_CUES.contains(tokens.get(i - 1).word)) {
      found.entity = US_GOVERNMENT;
      found.type = ORGANIZATION;
      return;
    }
    if (i + 1 >= tokens.size() || tokens.get(i + 1).breakBefore) {
      return;
    }
    String next = tokens.get(i + 1).word;
    if (GOVERNMENT_CUES.contains(next)) {
      found.entity = US_GOVERNMENT;
      found.type = ORGANIZATION;
    } else if (next.equals("state")) {
      found.entity = "Washington State";
    }
  }

  private ListMatch longestListMatch(List<Token> tokens, int i) {
    Token first = tokens.get(i);
    int longest = Math.max(gazetteer().longestFrom(first.key),
        first.allCaps() && first.word.length() > 3 ? gazetteer().longestFrom(titleCase(first.key)) : 0);
    if (longest == 0) {
      return null;
    }
    int max = Math.min(longest, tokens.size() - i);
    int length = 1;
    while (length < max && !tokens.get(i + length).breakBefore) {
      length++;
    }
    // Most words that start a longer name are not followed by its second word ("the
    // government", "New rules"): then only the word alone is looked up.
    if (length >= 2 && !startsLongerName(first, tokens.get(i + 1))) {
      length = 1;
    }
    // The words of the span, joined by single spaces; each shorter span is a prefix of it.
    StringBuilder words = new StringBuilder(first.word);
    int[] joinedLength = new int[length + 1];
    joinedLength[1] = words.length();
    // How many tokens from i on are all-capital words of 4+ letters.
    int capitals = 0;
    for (int k = i; k < i + length; k++) {
      if (k > i) {
        joinedLength[k - i + 1] = words.append(' ').append(tokens.get(k).word).length();
      }
      if (capitals == k - i && tokens.get(k).allCaps() && tokens.get(k).word.length() > 3) {
        capitals++;
      }
    }
    for (int n = length; n >= 1; n--) {
      String key = n == 1 ? first.key : Gazetteer.key(words.substring(0, joinedLength[n]));
      Gazetteer.Entry entry = gazetteer().lookup(key);
      // Datelines and headlines in capitals: "BAGHDAD (AP)".
      if (entry == null && capitals >= n) {
        entry = gazetteer().lookup(titleCase(key));
      }
      if (entry != null) {
        return new ListMatch(n, entry);
      }
    }
    return null;
  }

  /** The span's two-word key, or its title-cased form where both are capitals of 4+ letters (as the look-ups below). */
  private static boolean startsLongerName(Token first, Token second) {
    return gazetteer().startsName(first.key, second.key)
        || (first.allCaps() && first.word.length() > 3 && second.allCaps() && second.word.length() > 3
            && gazetteer().startsName(titleCase(first.key), titleCase(second.key)));
  }

  private static String titleCase(String key) {
    if (key.indexOf(' ') < 0) {
      return key.charAt(0) + key.substring(1).toLowerCase(Locale.ROOT);
    }
    StringBuilder out = new StringBuilder();
    for (String w : key.split(" ")) {
      out.append(out.length() == 0 ? "" : " ").append(w.charAt(0)).append(w.substring(1).toLowerCase(Locale.ROOT));
    }
    return out.toString();
  }

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  /** The span's text with its whitespace as single spaces (a regex only where there is something to replace). */
  private static String surface(String text, List<Token> span) {
    String s = text.substring(span.get(0).begin, span.get(span.size() - 1).end);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r' || (c == ' ' && i > 0 && s.charAt(i - 1) == ' ')) {
        return WHITESPACE.matcher(s).replaceAll(" ");
      }
    }
    return s;
  }

  private void recognizeSentence(String text, int sentence, List<Token> tokens, List<Candidate> out,
      Map<String, Candidate> acronyms) {
    boolean afterTitle = false;
    // "President Lincoln": a capitalised title makes even a city's name a person.
    boolean afterCapitalTitle = false;
    // Start of an epithet ("Crooked", "Sleepy") before the name being read, else -1.
    int epithetBegin = -1;
    int i = 0;
    while (i < tokens.size()) {
      Token token = tokens.get(i);
      if (token.breakBefore && i > 0 && !text.substring(tokens.get(i - 1).end, token.begin).isBlank()) {
        afterTitle = false;
        afterCapitalTitle = false;
        epithetBegin = -1;
      }
      ListMatch listed = longestListMatch(tokens, i);
      if (listed == null && gazetteer().isTitleLowerCase(token.lower)) {
        afterTitle = true;
        afterCapitalTitle = Character.isUpperCase(token.word.charAt(0));
        i++;
        continue;
      }
      if (token.sigil != 0 && listed == null) {
        // A handle or hashtag is its own mention ("@BarackObama MUST" is not one name); what it
        // names is decided across the corpus (Resolution).
        out.add(new Candidate(sentence, List.of(token), token.begin - 1, token.sigil + token.word, MISC, false, false));
        afterTitle = false;
        epithetBegin = -1;
        i++;
        continue;
      }
      // "Crooked Hillary Clinton", "Sleepy Joe", "BREAKING Joe Biden": an epithet or an emphasis
      // word before a given name belongs to the mention (an alias) but not to the name.
      if (listed == null && !afterTitle && i + 1 < tokens.size() && !tokens.get(i + 1).breakBefore
          && (gazetteer().isEpithetLowerCase(token.lower) || (token.allCaps() && token.word.length() > 2))
          && gazetteer().isFirstName(tokens.get(i + 1).word) && longestListMatch(tokens, i + 1) == null
          && (gazetteer().isEpithetLowerCase(token.lower)
              || (!gazetteer().isFirstName(token.word) && capitalisedRun(tokens, i + 1) >= 2))) {
        // (An all-capitals word only before a full name: "USS Cole" is a ship.)
        if (epithetBegin < 0) {
          epithetBegin = token.begin;
        }
        afterTitle = true;
        i++;
        continue;
      }
      int run = capitalisedRun(tokens, i);
      int listedLength = listed == null ? 0 : listed.length;
      if (run >= 2 && listedLength < run && gazetteer().isNotName(surface(text, tokens.subList(i, i + run)))) {
        afterTitle = false;
        epithetBegin = -1;
        i += run;
        continue;
      }
      Candidate found = null;
      int length;
      boolean personCue = afterTitle || (gazetteer().isFirstName(token.word) && (listed == null || listed.entry().weak()));
      if (afterCapitalTitle && listed != null && listed.entry().weak() && listedLength >= run) {
        // "President Washington", "Mr. Lincoln": the city list's name is a surname here.
        List<Token> span = tokens.subList(i, i + listedLength);
        found = new Candidate(sentence, span, surface(text, span), PERSON, false, false);
        length = listedLength;
      } else if (listed != null && listedLength >= run) {
        List<Token> span = tokens.subList(i, i + listedLength);
        found = new Candidate(sentence, span, listed.entry().canonical(), listed.entry().type(), false, true);
        length = listedLength;
      } else if (run >= 2 && !personCue && tokens.subList(i, i + run).stream().anyMatch(t -> HEADS.contains(t.word))) {
        // An organisation head alone ("the Commission", "the Council") is a common noun, not a name.
        found = new Candidate(sentence, tokens.subList(i, i + run), surface(text, tokens.subList(i, i + run)),
            ORGANIZATION, false, false);
        length = run;
      } else if (listed != null && !personCue) {
        // "United States Congress", "Florida Everglades": unless the longer run is a person's
        // name, the listed name is taken and the rest of the run is looked at on its own.
        List<Token> span = tokens.subList(i, i + listedLength);
        found = new Candidate(sentence, span, listed.entry().canonical(), listed.entry().type(), false, true);
        length = listedLength;
      } else if (run <= 1 && gazetteer().countryOfDemonym(token.key) != null) {
        found = new Candidate(sentence, List.of(token), gazetteer().countryOfDemonym(token.key),
            LOCATION, false, true);
        length = 1;
      } else if (run > 0) {
        List<Token> span = tokens.subList(i, i + run);
        String name = surface(text, span);
        if (epithetBegin >= 0) {
          found = new Candidate(sentence, span, epithetBegin, name, PERSON, false, false);
        } else if ((afterTitle && !(run == 1 && HEADS.contains(token.word)))
            || (run >= 2 && gazetteer().isFirstName(token.word))) {
          found = new Candidate(sentence, span, name, PERSON, false, false);
        } else if (run >= 2) {
          found = new Candidate(sentence, span, name, MISC, false, false);
        } else {
          found = new Candidate(sentence, span, name, null, true, false);
        }
        length = run;
      } else {
        length = 1;
      }
      afterTitle = false;
      afterCapitalTitle = false;
      epithetBegin = -1;
      if (found != null) {
        found.initial = i == 0;
        if (found.fromList && WASHINGTON.equals(found.entity) && listedLength == 1) {
          washington(tokens, i, found);
        }
        out.add(found);
        int next = i + length;
        // "Islamic Jihad (IJ)": an all-capitals word in brackets right after a name defines an acronym.
        if (next < tokens.size() && tokens.get(next).allCaps() && !found.pending
            && text.substring(tokens.get(next - 1).end, tokens.get(next).begin).strip().equals("(")
            && tokens.get(next).end < text.length() && text.charAt(tokens.get(next).end) == ')') {
          if (MISC.equals(found.type)) {
            found.type = ORGANIZATION;
          }
          acronyms.putIfAbsent(tokens.get(next).word, found);
          out.add(new Candidate(sentence, List.of(tokens.get(next)), found.entity, found.type, false, false));
          next++;
        }
        i = next;
      } else {
        i += length;
      }
    }
  }

  /** Second pass over the article: surnames and partial names to full names, acronyms to long forms. */
  private static List<Mention> resolveAliases(String text, List<Candidate> candidates, Map<String, Candidate> acronyms,
      boolean keepLoneWords) {
    Map<List<String>, String> fullNames = new HashMap<>();
    for (Candidate c : candidates) {
      if (PERSON.equals(c.type) && c.words.size() >= 2) {
        fullNames.put(c.words, c.entity);
      }
    }
    boolean georgia = candidates.stream().anyMatch(c -> GEORGIA.equals(c.entity) && LOCATION.equals(c.type));
    int georgiaInArticle = georgia ? georgiaCues(text, candidates, 0, text.length()) : 0;
    List<Mention> mentions = new ArrayList<>();
    for (Candidate c : candidates) {
      String entity = c.entity;
      String type = c.type;
      if (georgia && GEORGIA.equals(entity) && LOCATION.equals(type)) {
        // The cues near the mention first ("Georgia and Ukraine", "Georgia or Oklahoma"), then the article's.
        int near = georgiaCues(text, candidates, Math.max(0, c.begin - NEAR), Math.min(text.length(), c.end + NEAR));
        if ((near != 0 ? near : georgiaInArticle) > 0) {
          entity = GEORGIA_STATE;
        }
      }
      if (US_GOVERNMENT.equals(entity) && c.words.equals(List.of(WASHINGTON))) {
        // "Washington said" in an article about George Washington is the man.
        List<String> named = fullNames.entrySet().stream()
            .filter(e -> e.getKey().get(e.getKey().size() - 1).equals(WASHINGTON)).map(Map.Entry::getValue).distinct().toList();
        if (named.size() == 1) {
          entity = named.get(0);
          type = PERSON;
        }
      }
      if (!c.fromList && (c.pending || MISC.equals(c.type) || PERSON.equals(c.type))) {
        Set<String> people = new LinkedHashSet<>();
        fullNames.forEach((words, name) -> {
          if (words.size() > c.words.size() && words.subList(words.size() - c.words.size(), words.size()).equals(c.words)) {
            people.add(name);
          }
        });
        if (people.size() == 1) {
          entity = people.iterator().next();
          type = PERSON;
        } else if (c.pending && c.words.size() == 1 && acronyms.containsKey(c.words.get(0))) {
          entity = acronyms.get(c.words.get(0)).entity;
          type = acronyms.get(c.words.get(0)).type;
        } else if (c.pending) {
          String word = c.words.get(0);
          if (keepLoneWords && !c.initial && c.words.size() == 1 && !Gazetteer.LANGUAGES.contains(word)
              && !Token.allCapsWord(word)) {
            mentions.add(new Mention(c.sentence, c.begin, c.end, text.substring(c.begin, c.end), word, PENDING));
          }
          continue;
        }
      }
      mentions.add(new Mention(c.sentence, c.begin, c.end, text.substring(c.begin, c.end), entity, type));
    }
    return mentions;
  }
}
