package io.newslens.entities;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The bundled name lists (src/main/resources/newslens/gazetteers, built by
 * jobs/build-gazetteers.sh; sources and licences in NOTICE), indexed by folded surface form.
 * Loaded once per JVM, i.e. once per executor, from the jar.
 */
final class Gazetteer {
  static final String PERSON = "PERSON";
  static final String LOCATION = "LOCATION";
  static final String ORGANIZATION = "ORGANIZATION";
  static final String MISC = "MISC";

  /**
   * A list entry: the canonical name and type an alias stands for. {@code weak}: from the city
   * list, where a name is as often a person's ("Marion", "Jordan" the city) and loses to a given
   * name followed by a surname.
   */
  record Entry(String canonical, String type, boolean weak) {}

  private static final Pattern MARKS = Pattern.compile("\\p{M}+");
  private static final Pattern APOSTROPHES = Pattern.compile("[\u2018\u2019\u02bb\u02bc\u02be\u02bf`']");
  private static final Pattern SPACES = Pattern.compile("\\s+");

  private final Map<String, Entry> names = new HashMap<>();
  private final Map<String, String> demonyms = new HashMap<>();
  private final Set<String> firstNames = new HashSet<>();
  private final Set<String> titles = new HashSet<>();
  private final Set<String> epithets = new HashSet<>();
  private final Set<String> notNames = new HashSet<>();
  /** Longest name (in words) starting with each first word: most words start none, so most look-ups stop at one hash probe. */
  private final Map<String, Integer> longestFrom = new HashMap<>();
  /** First two words of each name of two or more: "the" starts a name ("the Abode of Peace"), "the government" none. */
  private final Set<String> twoWordStarts = new HashSet<>();
  private int maxTokens = 1;
  /*
   * The first characters that start a key of each list. Most words of a text are in lower case
   * and start no name, first name or demonym: one array read answers them, where a hash
   * look-up hashed the word and missed the cache (several look-ups per token were a third of
   * the recogniser's profile).
   */
  private final FirstChars nameStarts = new FirstChars();
  private final FirstChars firstNameStarts = new FirstChars();
  private final FirstChars demonymStarts = new FirstChars();

  /** Which characters start a key: ASCII ones one by one, any other as one class (rare in keys and texts alike). */
  private static final class FirstChars {
    private final boolean[] ascii = new boolean[128];
    private boolean other;

    void add(String key) {
      if (key.isEmpty()) {
        return;
      }
      char c = key.charAt(0);
      if (c < 128) {
        ascii[c] = true;
      } else {
        other = true;
      }
    }

    boolean mayStart(String word) {
      if (word.isEmpty()) {
        return false;
      }
      char c = word.charAt(0);
      return c < 128 ? ascii[c] : other;
    }
  }

  /** Demonyms of the country list that are first of all a language. */
  static final Set<String> LANGUAGES = Set.of("English");

  private static volatile Gazetteer bundled;

  static Gazetteer bundled() {
    if (bundled == null) {
      synchronized (Gazetteer.class) {
        if (bundled == null) {
          bundled = load();
        }
      }
    }
    return bundled;
  }

  /** Same folding as jobs/build-gazetteers.js: diacritics and apostrophes out, spaces single. */
  static String fold(String s) {
    if (plain(s)) {
      return s;
    }
    String decomposed = Normalizer.normalize(s, Normalizer.Form.NFKD);
    String folded = APOSTROPHES.matcher(MARKS.matcher(decomposed).replaceAll("")).replaceAll("");
    return SPACES.matcher(folded).replaceAll(" ").strip();
  }

  /** ASCII letters, digits, ".&-" and single inner spaces: folding would not change it (the common case, checked without regex: this runs for every candidate name). */
  private static boolean plain(String s) {
    if (s.isEmpty() || s.charAt(0) == ' ' || s.charAt(s.length() - 1) == ' ') {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '&'
          || c == '-' || (c == ' ' && s.charAt(i - 1) != ' ');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static Gazetteer load() {
    Gazetteer g = new Gazetteer();
    // Order matters: an alias keeps the first list that claims it (organisations, then
    // countries, regions, cities), so "Georgia" stays a country, "Hamas" an organisation.
    for (String[] row : rows("organisations.tsv")) {
      g.add(row[0], row[1]);
      for (String alias : split(row, 2)) {
        g.add(alias, row[0], row[1]);
      }
    }
    for (String[] row : rows("countries.tsv")) {
      g.add(row[0], LOCATION);
      split(row, 2).forEach(alias -> g.add(alias, row[0], LOCATION));
      // "English" is a language (and the people of England, a part of the kingdom), not a
      // mention of the United Kingdom.
      split(row, 3).stream().filter(d -> !LANGUAGES.contains(d))
          .forEach(demonym -> g.demonyms.putIfAbsent(fold(demonym), row[0]));
    }
    g.demonyms.keySet().forEach(g.demonymStarts::add);
    for (String[] row : rows("regions.tsv")) {
      g.add(row[0], LOCATION);
      split(row, 1).forEach(alias -> g.add(alias, row[0], LOCATION));
    }
    for (String[] row : rows("cities.tsv")) {
      g.names.putIfAbsent(key(row[0]), new Entry(row[0], LOCATION, true));
      g.indexFirstWord(key(row[0]));
    }
    for (String[] row : rows("first-names.txt")) {
      g.firstNames.add(row[0]);
    }
    for (String[] row : rows("given-names-extra.txt")) {
      g.firstNames.add(row[0]);
    }
    g.firstNames.forEach(g.firstNameStarts::add);
    for (String[] row : rows("epithets.txt")) {
      g.epithets.add(row[0].toLowerCase(Locale.ROOT));
    }
    for (String[] row : rows("not-names.txt")) {
      g.notNames.add(row[0]);
    }
    for (String[] row : rows("titles.txt")) {
      g.titles.add(row[0].toLowerCase(Locale.ROOT));
    }
    return g;
  }

  private static List<String> split(String[] row, int column) {
    List<String> out = new ArrayList<>();
    if (row.length > column && !row[column].isBlank()) {
      for (String s : row[column].split("\\|")) {
        if (!s.isBlank()) {
          out.add(s.strip());
        }
      }
    }
    return out;
  }

  private static List<String[]> rows(String file) {
    List<String[]> out = new ArrayList<>();
    try (InputStream in = Gazetteer.class.getResourceAsStream("/newslens/gazetteers/" + file)) {
      if (in == null) {
        throw new IllegalStateException("gazetteer missing from the jar: " + file);
      }
      new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
          .filter(line -> !line.isBlank() && !line.startsWith("#"))
          .forEach(line -> out.add(line.split("\t", -1)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private void add(String canonical, String type) {
    add(canonical, canonical, type);
  }

  private void add(String alias, String canonical, String type) {
    String key = key(alias);
    names.putIfAbsent(key, new Entry(canonical, type, false));
    indexFirstWord(key);
  }

  private void indexFirstWord(String key) {
    String[] words = key.split(" ");
    nameStarts.add(key);
    longestFrom.merge(words[0], words.length, Math::max);
    if (words.length >= 2) {
      twoWordStarts.add(words[0] + " " + words[1]);
    }
    maxTokens = Math.max(maxTokens, words.length);
  }

  /** Words of the longest list name that starts with this (folded) word; 0 when none does. */
  int longestFrom(String firstWordKey) {
    return nameStarts.mayStart(firstWordKey) ? longestFrom.getOrDefault(firstWordKey, 0) : 0;
  }

  /** Whether a name of two or more words starts with these two (folded) words. */
  boolean startsName(String firstWordKey, String secondWordKey) {
    return twoWordStarts.contains(firstWordKey + " " + secondWordKey);
  }

  /** Lookup key of a name: folded, possessive and trailing punctuation other than "." ignored. */
  static String key(String surface) {
    return fold(surface);
  }

  Entry lookup(String key) {
    return nameStarts.mayStart(key) ? names.get(key) : null;
  }

  String countryOfDemonym(String key) {
    return demonymStarts.mayStart(key) ? demonyms.get(key) : null;
  }

  boolean isFirstName(String word) {
    return firstNameStarts.mayStart(word) && firstNames.contains(word);
  }

  /**
   * Titles are stored lower case, with and without a final period ("mr", "mr."); tokens never
   * have one. The word is given in lower case: the recogniser lowers each token once.
   */
  boolean isTitleLowerCase(String lowerCaseWord) {
    return titles.contains(lowerCaseWord);
  }

  /** "crooked", "sleepy": a word (in lower case) before a name that is not part of it. */
  boolean isEpithetLowerCase(String lowerCaseWord) {
    return epithets.contains(lowerCaseWord);
  }

  /** "Member States": a capitalised run that names nothing. */
  boolean isNotName(String run) {
    return notNames.contains(run);
  }

  int maxTokens() {
    return maxTokens;
  }
}
