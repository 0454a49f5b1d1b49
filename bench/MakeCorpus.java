/*
 * MakeCorpus: a news-like benchmark corpus of N articles, recombined from the sentences of real
 * public corpora. Single-file Java 17 program, JDK only. Normally run by bench/run.sh:
 *
 *   java bench/MakeCorpus.java --articles N --seed S --out FILE.jsonl
 *        [--text FILE.jsonl]... [--reprint-rate R] [--stats FILE]
 *
 * Inputs
 *   --text   JSON Lines with a "text" field, repeatable (default: data/sotu-sample.jsonl and
 *            data/europarl-sample.jsonl; bench/run.sh passes corpora/*.jsonl when
 *            jobs/fetch-corpora.sh has fetched the full corpora). Only English sentences are
 *            kept (a function-word test), so Europarl's other languages drop out.
 *
 * Output: one JSON object per line, fields in this order:
 *   id      "<source slug>-<article number, 7 digits>", unique
 *   date    2000-01-01 .. 2019-12-31 (uniform), as yyyy-MM-dd or as a date-time, per source
 *   source  one of 24 invented outlets, Zipf-like shares (the largest about 4x the smallest)
 *   title   the first 6-12 words of one of the first three sentences
 *   text    banner lines (subscription prompts, navigation crumbs, mastheads, bylines), the
 *           story, footer lines (copyright, "Follow ...", "Reporting by ..."), one per line;
 *           the story's paragraphs are separated by blank lines
 *   url     https://www.<slug>.example/yyyy/mm/dd/<title words>-<number>
 *
 * The story: a "theme" (one of the runs of ~300 consecutive sentences of the input, so that an
 * article keeps to one debate or speech and topic models have something to find); 85% of its
 * sentences drawn from the theme, 15% from anywhere, without repeats, kept in input order, until
 * the body reaches a log-normal word count (median 400, sigma 0.6, 40 .. 8000 words).
 * Paragraphs hold at least two sentences and over 320 characters, so that no paragraph line is
 * short enough for boilerplate detection (lines up to 300 characters) to mistake a sentence
 * that the resampling repeats for web furniture: the repeated short lines are the banners and
 * footers, as in a scraped corpus.
 *
 * Near-duplicate reprints (--reprint-rate, default 0.03): the story of one of the previous 2,000
 * articles, run by another source with its own banner and footer, 0-2 days later, with small
 * edits (one word in ~250 replaced by another word of the story; long stories sometimes gain a
 * sentence), so that word 5-shingle Jaccard stays around 0.85-0.98.
 *
 * Deterministic: article i is a pure function of (seed, i), so the output is byte-identical for
 * the same inputs and arguments, and a reprint regenerates its original instead of keeping it.
 * Streaming: nothing grows with N except the output file (and a histogram of lengths).
 */

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class MakeCorpus {

  static final LocalDate FIRST_DAY = LocalDate.of(2000, 1, 1);
  static final LocalDate LAST_DAY = LocalDate.of(2019, 12, 31);
  static final int THEME_SENTENCES = 300;
  static final double THEME_SHARE = 0.85;
  static final double MEDIAN_WORDS = 400;
  static final double SIGMA = 0.6;
  static final int MIN_WORDS = 40;
  static final int MAX_WORDS = 8000;
  static final int MIN_PARAGRAPH_CHARS = 320;
  static final int REPRINT_WINDOW = 2000;

  public static void main(String[] args) throws IOException {
    long articles = 20_000;
    long seed = 1;
    Path out = null;
    Path stats = null;
    double reprintRate = 0.03;
    List<Path> texts = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (a) {
        case "--articles" -> { articles = Long.parseLong(need(a, v)); i++; }
        case "--seed" -> { seed = Long.parseLong(need(a, v)); i++; }
        case "--out" -> { out = Path.of(need(a, v)); i++; }
        case "--stats" -> { stats = Path.of(need(a, v)); i++; }
        case "--text" -> { texts.add(Path.of(need(a, v))); i++; }
        case "--reprint-rate" -> { reprintRate = Double.parseDouble(need(a, v)); i++; }
        case "-h", "--help" -> { usage(); return; }
        default -> fail("unknown argument " + a);
      }
    }
    if (out == null) fail("--out FILE is required");
    if (articles < 1) fail("--articles must be at least 1");
    if (reprintRate < 0 || reprintRate >= 1) fail("--reprint-rate must be in [0, 1)");
    if (texts.isEmpty()) {
      texts.add(Path.of("data/sotu-sample.jsonl"));
      texts.add(Path.of("data/europarl-sample.jsonl"));
    }

    long t0 = System.nanoTime();
    Pool pool = Pool.load(texts);
    if (pool.size() < 50) fail("only " + pool.size() + " usable English sentences in " + texts);
    System.err.printf(Locale.ROOT, "MakeCorpus: %d English sentences (%d themes) from %s%n",
        pool.size(), pool.themes(), texts);

    Generator gen = new Generator(pool, seed, reprintRate);
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    if (out.getParent() != null) Files.createDirectories(out.getParent());
    long bytes = 0;
    long reprints = 0;
    long[] wordHistogram = new long[MAX_WORDS + 1];
    long totalWords = 0;
    int[] perSource = new int[SOURCES.length];
    try (Writer w = new BufferedWriter(
        new OutputStreamWriter(Files.newOutputStream(tmp), StandardCharsets.UTF_8), 1 << 20)) {
      StringBuilder line = new StringBuilder(1 << 16);
      for (long i = 0; i < articles; i++) {
        Article article = gen.article(i);
        line.setLength(0);
        article.toJson(line);
        line.append('\n');
        w.append(line);
        bytes += utf8Length(line);
        if (article.reprintOf >= 0) reprints++;
        wordHistogram[Math.min(article.story.words, MAX_WORDS)]++;
        totalWords += article.story.words;
        perSource[article.source]++;
        if ((i + 1) % 100_000 == 0) {
          System.err.printf(Locale.ROOT, "MakeCorpus: %,d articles, %,d MB, %.0f s%n",
              i + 1, bytes >> 20, (System.nanoTime() - t0) / 1e9);
        }
      }
    }
    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

    Map<String, Object> s = new LinkedHashMap<>();
    s.put("articles", articles);
    s.put("seed", seed);
    s.put("bytes", bytes);
    s.put("reprints", reprints);
    s.put("body_words_total", totalWords);
    s.put("body_words_median", quantile(wordHistogram, articles, 0.5));
    s.put("body_words_p10", quantile(wordHistogram, articles, 0.1));
    s.put("body_words_p90", quantile(wordHistogram, articles, 0.9));
    s.put("body_words_p99", quantile(wordHistogram, articles, 0.99));
    s.put("body_words_max", quantile(wordHistogram, articles, 1.0));
    s.put("sources", SOURCES.length);
    s.put("largest_source_articles", Arrays.stream(perSource).max().orElse(0));
    s.put("smallest_source_articles", Arrays.stream(perSource).min().orElse(0));
    s.put("sentence_pool", pool.size());
    s.put("themes", pool.themes());
    s.put("text_inputs", texts.toString());
    s.put("seconds", Math.round((System.nanoTime() - t0) / 1e7) / 100.0);
    StringBuilder report = new StringBuilder();
    s.forEach((k, v) -> report.append(k).append('=').append(v).append('\n'));
    System.err.print(report.toString().lines().map(l -> "MakeCorpus: " + l + "\n").reduce("", String::concat));
    if (stats != null) {
      Files.writeString(stats, report.toString(), StandardCharsets.UTF_8);
    }
  }

  static String need(String flag, String value) {
    if (value == null) fail(flag + " needs a value");
    return value;
  }

  static void usage() {
    System.out.println("java bench/MakeCorpus.java --articles N --seed S --out FILE.jsonl"
        + " [--text FILE.jsonl]... [--reprint-rate R] [--stats FILE]");
  }

  static void fail(String message) {
    System.err.println("MakeCorpus: " + message);
    System.exit(2);
  }

  static long quantile(long[] histogram, long n, double q) {
    long rank = Math.max(1, (long) Math.ceil(q * n));
    long seen = 0;
    for (int i = 0; i < histogram.length; i++) {
      seen += histogram[i];
      if (seen >= rank) return i;
    }
    return histogram.length - 1;
  }

  static long utf8Length(CharSequence s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) n += 1;
      else if (c < 0x800) n += 2;
      else if (Character.isHighSurrogate(c)) { n += 4; i++; }
      else n += 3;
    }
    return n;
  }

  // ---- The sentence pool ---------------------------------------------------------------------

  /** English sentences of the inputs, in input order, deduplicated; themes are runs of them. */
  static final class Pool {
    final String[] sentences;
    final int[] words;
    final int themeCount;

    Pool(List<String> list) {
      sentences = list.toArray(new String[0]);
      words = new int[sentences.length];
      for (int i = 0; i < sentences.length; i++) words[i] = wordCount(sentences[i]);
      themeCount = Math.max(1, Math.round(sentences.length / (float) THEME_SENTENCES));
    }

    int size() { return sentences.length; }
    int themes() { return themeCount; }
    int themeStart(int t) { return (int) ((long) t * sentences.length / themeCount); }
    int themeEnd(int t) { return (int) ((long) (t + 1) * sentences.length / themeCount); }

    static Pool load(List<Path> files) throws IOException {
      Set<String> kept = new LinkedHashSet<>();
      for (Path file : files) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          String line;
          int n = 0;
          while ((line = in.readLine()) != null) {
            n++;
            if (line.isBlank()) continue;
            String text;
            try {
              text = Json.stringField(line, "text");
            } catch (RuntimeException e) {
              throw new IOException(file + ":" + n + ": " + e.getMessage(), e);
            }
            if (text != null) kept.addAll(sentencesOf(text));
          }
        }
      }
      return new Pool(new ArrayList<>(kept));
    }
  }

  static final Pattern SPEECH_NOISE = Pattern.compile(
      "(?i)\\[(laughter|applause)\\]|\\((laughter|applause)\\.?\\)");
  static final Pattern SPACES = Pattern.compile("\\s+");
  /** A candidate end of sentence: terminal punctuation, closing quotes, then white space. */
  static final Pattern BOUNDARY = Pattern.compile("[.!?][\"')\\]]*\\s+");
  static final Pattern STARTS_LIKE_SENTENCE = Pattern.compile("^[\"'(]?[A-Z0-9].*");
  static final Pattern ENDS_LIKE_SENTENCE = Pattern.compile(".*[.!?][\"')]?$");
  static final Set<String> ABBREVIATIONS = Set.of("mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof",
      "gen", "gov", "sen", "rep", "rev", "no", "nos", "vs", "etc", "inc", "co", "corp", "ltd", "art",
      "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s",
      "u.n", "e.g", "i.e", "cf", "fig", "para", "mt", "ft", "lt", "col", "capt", "sgt", "hon");
  static final Set<String> ENGLISH = Set.of("the", "of", "and", "to", "is", "that", "for", "this",
      "with", "are", "have", "we", "be", "it", "was", "not", "which", "will", "has", "our", "they",
      "from", "by", "would", "their", "been", "there", "these", "should", "who", "all", "can");

  /** The clean English sentences of a text, in order. */
  static List<String> sentencesOf(String raw) {
    String text = SPACES.matcher(SPEECH_NOISE.matcher(raw.replace("\u00AD", "")).replaceAll(" ")).replaceAll(" ").strip();
    List<String> result = new ArrayList<>();
    if (englishRatio(text) < 0.12) return result;
    Matcher m = BOUNDARY.matcher(text);
    int start = 0;
    while (m.find()) {
      int next = m.end();
      if (next >= text.length() || !isSentenceStart(text, next) || isAbbreviation(text, m.start())) continue;
      add(result, text.substring(start, next).strip());
      start = next;
    }
    add(result, text.substring(start).strip());
    return result;
  }

  static boolean isSentenceStart(String text, int i) {
    char c = text.charAt(i);
    if (c == '"' || c == '\'' || c == '(') c = i + 1 < text.length() ? text.charAt(i + 1) : 'x';
    return Character.isUpperCase(c) || Character.isDigit(c);
  }

  /** Whether the period at {@code dot} ends an abbreviation or an initial ("Mr.", "J. Smith"). */
  static boolean isAbbreviation(String text, int dot) {
    if (text.charAt(dot) != '.') return false;
    int b = dot;
    while (b > 0 && !Character.isWhitespace(text.charAt(b - 1)) && text.charAt(b - 1) != '(') b--;
    String word = text.substring(b, dot).toLowerCase(Locale.ROOT);
    return word.length() == 1 || ABBREVIATIONS.contains(word);
  }

  static void add(List<String> out, String sentence) {
    int words = wordCount(sentence);
    if (words < 5 || words > 70) return;
    if (!STARTS_LIKE_SENTENCE.matcher(sentence).matches() || !ENDS_LIKE_SENTENCE.matcher(sentence).matches()) return;
    if (sentence.indexOf('\uFFFD') >= 0) return;
    for (int i = 0; i < sentence.length(); i++) {
      if (Character.isISOControl(sentence.charAt(i))) return;
    }
    int hits = 0;
    for (String w : sentence.toLowerCase(Locale.ROOT).split("[^\\p{L}']+")) {
      if (ENGLISH.contains(w)) hits++;
    }
    if (hits >= Math.max(1, words / 12)) out.add(sentence);
  }

  static double englishRatio(String text) {
    String[] ws = text.toLowerCase(Locale.ROOT).split("[^\\p{L}']+");
    if (ws.length == 0) return 0;
    int hits = 0;
    for (String w : ws) if (ENGLISH.contains(w)) hits++;
    return hits / (double) ws.length;
  }

  static int wordCount(String s) {
    int n = 0;
    boolean in = false;
    for (int i = 0; i < s.length(); i++) {
      boolean ws = s.charAt(i) == ' ';
      if (!ws && !in) n++;
      in = !ws;
    }
    return n;
  }

  // ---- Sources: invented outlets with their own furniture ------------------------------------

  record Source(String name, String slug, String publisher, String[] sections, String[] staff,
      int dateStyle, int[] headers, int[] footers, double furnitureRate, String price) {}

  static final String[] OUTLETS = {
      "The Daily Ledger", "Harbor City Herald", "Northern Courier", "The Evening Sentinel",
      "Capital Wire", "Lakeside Gazette", "The Morning Dispatch", "Valley Times",
      "Coastal Observer", "The Metro Tribune", "Prairie Post", "The Weekly Chronicle",
      "Riverside Record", "Global Affairs Review", "The Union Journal", "Mountain Examiner",
      "The Bay Reporter", "Continental Press", "The Civic Monitor", "Eastern Star News",
      "The Highland Bulletin", "Westport Register", "The National Digest", "Summit Daily News"};
  static final String[] COMPANY = {"Media", "Media Group", "Publishing", "News Company", "Holdings", "Press Ltd"};
  static final String[] SECTIONS = {"World", "Politics", "Business", "Europe", "Opinion", "Nation",
      "Economy", "Americas", "Policy", "Analysis", "Government", "Markets", "Energy", "Security"};
  static final String[] FIRST = {"Anna", "David", "Maria", "James", "Sofia", "Thomas", "Laura",
      "Peter", "Elena", "Michael", "Clara", "Daniel", "Ruth", "Samuel", "Irene", "Paul"};
  static final String[] LAST = {"Keller", "Morgan", "Silva", "Brennan", "Novak", "Hughes",
      "Larsen", "Costa", "Fischer", "Walsh", "Duarte", "Bennett", "Moreau", "Kowalski", "Reid", "Ortega"};
  static final String[] PRICES = {"$1", "$1 a week", "99 cents", "$4.99 a month", "$2 a month", "$1 for 6 months"};
  static final String[] WEEKDAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
  static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July",
      "August", "September", "October", "November", "December"};
  static final int HEADER_KINDS = 8;
  static final int FOOTER_KINDS = 8;

  static final Source[] SOURCES = makeSources();
  static final double[] SOURCE_CUMULATIVE = cumulativeShares();

  /** Fixed for every seed: the seed varies the articles, not the outlets. */
  static Source[] makeSources() {
    Random r = new Random(20001219L);
    Source[] sources = new Source[OUTLETS.length];
    for (int k = 0; k < OUTLETS.length; k++) {
      String name = OUTLETS[k];
      String bare = name.startsWith("The ") ? name.substring(4) : name;
      String slug = bare.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
      String publisher = bare.split(" ")[0] + " " + COMPANY[r.nextInt(COMPANY.length)];
      String[] sections = pick(r, SECTIONS, 3 + r.nextInt(3));
      String[] staff = new String[5];
      for (int s = 0; s < staff.length; s++) staff[s] = FIRST[r.nextInt(FIRST.length)] + " " + LAST[r.nextInt(LAST.length)];
      int[] headers = pickInts(r, HEADER_KINDS, 1 + r.nextInt(3));
      int[] footers = pickInts(r, FOOTER_KINDS, 1 + r.nextInt(3));
      sources[k] = new Source(name, slug, publisher, sections, staff, r.nextInt(3), headers, footers,
          0.6 + 0.4 * r.nextDouble(), PRICES[r.nextInt(PRICES.length)]);
    }
    return sources;
  }

  static double[] cumulativeShares() {
    double[] c = new double[OUTLETS.length];
    double total = 0;
    for (int k = 0; k < c.length; k++) total += 1.0 / (k + 8);
    double sum = 0;
    for (int k = 0; k < c.length; k++) {
      sum += 1.0 / (k + 8) / total;
      c[k] = sum;
    }
    c[c.length - 1] = 1.0;
    return c;
  }

  static String[] pick(Random r, String[] from, int n) {
    List<String> list = new ArrayList<>(Arrays.asList(from));
    java.util.Collections.shuffle(list, r);
    return list.subList(0, n).toArray(new String[0]);
  }

  static int[] pickInts(Random r, int kinds, int n) {
    List<Integer> list = new ArrayList<>();
    for (int i = 0; i < kinds; i++) list.add(i);
    java.util.Collections.shuffle(list, r);
    return list.subList(0, n).stream().mapToInt(Integer::intValue).sorted().toArray();
  }

  static List<String> headerLines(Source s, int kind, LocalDate date, SplittableRandom rng) {
    String section = s.sections[rng.nextInt(s.sections.length)];
    return switch (kind) {
      case 0 -> List.of("Subscribe to " + s.name + " for " + s.price);
      case 1 -> List.of("1. Home", "2. " + section);
      case 2 -> List.of(s.name.toUpperCase(Locale.ROOT));
      case 3 -> List.of("Home > " + section + " > " + s.sections[rng.nextInt(s.sections.length)]);
      case 4 -> List.of(String.format(Locale.ROOT, "Updated %02d:%02d GMT, %s %d %s %d", rng.nextInt(24),
          rng.nextInt(60), WEEKDAYS[date.getDayOfWeek().getValue() - 1], date.getDayOfMonth(),
          MONTHS[date.getMonthValue() - 1], date.getYear()));
      case 5 -> List.of("Sign up for the " + s.name + " newsletter and get the day's news in your inbox");
      case 6 -> List.of("By " + s.staff[rng.nextInt(s.staff.length)] + ", " + s.name + " staff writer");
      default -> List.of("Advertisement");
    };
  }

  static List<String> footerLines(Source s, int kind, LocalDate date, SplittableRandom rng) {
    return switch (kind) {
      case 0 -> List.of("Copyright " + date.getYear() + " " + s.publisher);
      case 1 -> List.of("\u00A9 " + date.getYear() + " " + s.publisher + ". All rights reserved.");
      case 2 -> List.of("Follow " + s.name + " on Twitter and Facebook");
      case 3 -> List.of("Reporting by " + s.staff[rng.nextInt(s.staff.length)] + "; editing by "
          + s.staff[rng.nextInt(s.staff.length)]);
      case 4 -> List.of("Read more " + s.sections[rng.nextInt(s.sections.length)] + " news from " + s.name);
      case 5 -> List.of("Share this article", "Print", "Email");
      case 6 -> List.of("This article appeared in print on page A" + (1 + rng.nextInt(20)) + " of the "
          + s.name + ".");
      default -> List.of(s.name + " is an independent newspaper. Support our journalism at www." + s.slug
          + ".example/support");
    };
  }

  // ---- Articles -------------------------------------------------------------------------------

  /** The story itself: what a reprint copies. */
  record Story(int source, LocalDate date, String title, List<String> paragraphs, int words) {}

  static final class Article {
    final long number;
    final int source;
    final LocalDate date;
    final Story story;
    final String text;
    final long reprintOf;
    final int dateSecond;

    Article(long number, int source, LocalDate date, Story story, String text, long reprintOf, int dateSecond) {
      this.number = number;
      this.source = source;
      this.date = date;
      this.story = story;
      this.text = text;
      this.reprintOf = reprintOf;
      this.dateSecond = dateSecond;
    }

    void toJson(StringBuilder b) {
      Source s = SOURCES[source];
      String id = String.format(Locale.ROOT, "%s-%07d", s.slug, number);
      String day = date.toString();
      String dateText = switch (s.dateStyle) {
        case 0 -> day;
        case 1 -> String.format(Locale.ROOT, "%sT%02d:%02d:%02dZ", day, dateSecond / 3600, dateSecond / 60 % 60, dateSecond % 60);
        default -> String.format(Locale.ROOT, "%s %02d:%02d", day, dateSecond / 3600, dateSecond / 60 % 60);
      };
      String titleSlug = String.join("-", Arrays.stream(story.title.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
          .filter(w -> !w.isEmpty()).limit(6).toList());
      String url = String.format(Locale.ROOT, "https://www.%s.example/%d/%02d/%02d/%s-%d", s.slug,
          date.getYear(), date.getMonthValue(), date.getDayOfMonth(), titleSlug, number);
      b.append("{\"id\":");
      Json.quote(b, id);
      b.append(",\"date\":");
      Json.quote(b, dateText);
      b.append(",\"source\":");
      Json.quote(b, s.name);
      b.append(",\"title\":");
      Json.quote(b, story.title);
      b.append(",\"text\":");
      Json.quote(b, text);
      b.append(",\"url\":");
      Json.quote(b, url);
      b.append('}');
    }
  }

  static final class Generator {
    final Pool pool;
    final long seed;
    final double reprintRate;
    final int days = (int) (LAST_DAY.toEpochDay() - FIRST_DAY.toEpochDay() + 1);

    Generator(Pool pool, long seed, double reprintRate) {
      this.pool = pool;
      this.seed = seed;
      this.reprintRate = reprintRate;
    }

    SplittableRandom rng(long i, long stream) {
      return new SplittableRandom(mix(mix(seed * 0x9E3779B97F4A7C15L + stream) ^ i));
    }

    Article article(long i) {
      SplittableRandom r = rng(i, 1);
      Story story = story(i);
      long reprintOf = isReprint(i) ? origin(i) : -1;
      StringBuilder text = new StringBuilder(story.words * 7 + 512);
      Source s = SOURCES[story.source];
      List<String> lines = new ArrayList<>();
      for (int kind : s.headers) {
        if (r.nextDouble() < s.furnitureRate) lines.addAll(headerLines(s, kind, story.date, r));
      }
      if (!lines.isEmpty()) text.append(String.join("\n", lines)).append("\n\n");
      text.append(String.join("\n\n", story.paragraphs));
      lines.clear();
      for (int kind : s.footers) {
        if (r.nextDouble() < s.furnitureRate) lines.addAll(footerLines(s, kind, story.date, r));
      }
      if (!lines.isEmpty()) text.append("\n\n").append(String.join("\n", lines));
      return new Article(i, story.source, story.date, story, text.toString(), reprintOf, r.nextInt(86400));
    }

    boolean isReprint(long i) {
      return i > 0 && rng(i, 2).nextDouble() < reprintRate;
    }

    long origin(long i) {
      SplittableRandom r = rng(i, 3);
      r.nextDouble();
      return i - 1 - r.nextInt((int) Math.min(i, REPRINT_WINDOW));
    }

    /** Article i's story; a reprint's is its original's, edited and moved to another source. */
    Story story(long i) {
      if (isReprint(i)) {
        Story original = story(origin(i));
        SplittableRandom r = rng(i, 4);
        int source = (original.source + 1 + r.nextInt(SOURCES.length - 1)) % SOURCES.length;
        LocalDate date = original.date.plusDays(r.nextInt(3));
        if (date.isAfter(LAST_DAY)) date = LAST_DAY;
        return edited(original, source, date, r);
      }
      SplittableRandom r = rng(i, 5);
      int source = pickSource(r.nextDouble());
      LocalDate date = FIRST_DAY.plusDays(r.nextInt(days));
      int target = (int) Math.round(Math.exp(Math.log(MEDIAN_WORDS) + SIGMA * gaussian(r)));
      target = Math.max(MIN_WORDS, Math.min(MAX_WORDS, target));
      int theme = r.nextInt(pool.themes());
      int lo = pool.themeStart(theme);
      int hi = pool.themeEnd(theme);
      Set<Integer> used = new HashSet<>();
      List<Integer> picks = new ArrayList<>();
      int words = 0;
      while (words < target) {
        int idx = r.nextDouble() < THEME_SHARE ? lo + r.nextInt(hi - lo) : r.nextInt(pool.size());
        for (int tries = 0; !used.add(idx); tries++) {
          idx = r.nextInt(pool.size());
          if (tries > 1000) break;
        }
        picks.add(idx);
        words += pool.words[idx];
      }
      picks.sort(null);
      List<String> paragraphs = paragraphs(picks, r);
      String title = title(pool.sentences[picks.get(r.nextInt(Math.min(3, picks.size())))], 6 + r.nextInt(7));
      return new Story(source, date, title, paragraphs, words);
    }

    List<String> paragraphs(List<Integer> picks, SplittableRandom r) {
      List<String> paragraphs = new ArrayList<>();
      StringBuilder p = new StringBuilder();
      int inParagraph = 0;
      int want = MIN_PARAGRAPH_CHARS + r.nextInt(500);
      for (int idx : picks) {
        if (p.length() > 0) p.append(' ');
        p.append(pool.sentences[idx]);
        inParagraph++;
        if (inParagraph >= 2 && p.length() >= want) {
          paragraphs.add(p.toString());
          p.setLength(0);
          inParagraph = 0;
          want = MIN_PARAGRAPH_CHARS + r.nextInt(500);
        }
      }
      if (p.length() > 0) {
        if (!paragraphs.isEmpty() && (inParagraph < 2 || p.length() < MIN_PARAGRAPH_CHARS)) {
          paragraphs.set(paragraphs.size() - 1, paragraphs.get(paragraphs.size() - 1) + " " + p);
        } else {
          paragraphs.add(p.toString());
        }
      }
      return paragraphs;
    }

    /** Small edits: about one word in 250 replaced by another word of the story. */
    Story edited(Story original, int source, LocalDate date, SplittableRandom r) {
      List<String[]> paragraphs = new ArrayList<>();
      for (String p : original.paragraphs) paragraphs.add(p.split(" "));
      int edits = 1 + original.words / 250;
      for (int e = 0; e < edits; e++) {
        String[] to = paragraphs.get(r.nextInt(paragraphs.size()));
        String[] from = paragraphs.get(r.nextInt(paragraphs.size()));
        to[r.nextInt(to.length)] = from[r.nextInt(from.length)];
      }
      List<String> text = new ArrayList<>();
      for (String[] p : paragraphs) text.add(String.join(" ", p));
      int words = original.words;
      if (original.words >= 400 && r.nextDouble() < 0.3) {
        int extra = r.nextInt(pool.size());
        int last = text.size() - 1;
        text.set(last, text.get(last) + " " + pool.sentences[extra]);
        words += pool.words[extra];
      }
      return new Story(source, date, original.title, text, words);
    }

    static String title(String sentence, int words) {
      String[] ws = sentence.split(" ");
      String t = String.join(" ", Arrays.copyOf(ws, Math.min(ws.length, words)));
      return t.replaceAll("[\\p{Punct}&&[^%$]]+$", "").replaceAll("^[\"'(]", "");
    }
  }

  static int pickSource(double u) {
    for (int k = 0; k < SOURCE_CUMULATIVE.length; k++) {
      if (u < SOURCE_CUMULATIVE[k]) return k;
    }
    return SOURCE_CUMULATIVE.length - 1;
  }

  /** Box-Muller with our own arithmetic: JDK Gaussians are free to change between versions. */
  static double gaussian(SplittableRandom r) {
    double u1 = 1.0 - r.nextDouble();
    double u2 = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  // ---- Minimal JSON: read one string field of a flat object; write strings ---------------------

  static final class Json {
    /** The value of a top-level string field, or null if absent or not a string. */
    static String stringField(String json, String field) {
      int[] pos = {skip(json, 0)};
      expect(json, pos, '{');
      pos[0] = skip(json, pos[0]);
      if (json.charAt(pos[0]) == '}') return null;
      while (true) {
        String key = string(json, pos);
        pos[0] = skip(json, pos[0]);
        expect(json, pos, ':');
        pos[0] = skip(json, pos[0]);
        if (json.charAt(pos[0]) == '"') {
          String value = string(json, pos);
          if (key.equals(field)) return value;
        } else {
          skipValue(json, pos);
        }
        pos[0] = skip(json, pos[0]);
        char c = json.charAt(pos[0]++);
        if (c == '}') return null;
        if (c != ',') throw new IllegalArgumentException("expected , or } at " + (pos[0] - 1));
        pos[0] = skip(json, pos[0]);
      }
    }

    static int skip(String s, int i) {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
      return i;
    }

    static void expect(String s, int[] pos, char c) {
      if (pos[0] >= s.length() || s.charAt(pos[0]) != c) throw new IllegalArgumentException("expected " + c + " at " + pos[0]);
      pos[0]++;
    }

    static String string(String s, int[] pos) {
      expect(s, pos, '"');
      StringBuilder b = new StringBuilder();
      while (true) {
        char c = s.charAt(pos[0]++);
        if (c == '"') return b.toString();
        if (c != '\\') { b.append(c); continue; }
        char e = s.charAt(pos[0]++);
        switch (e) {
          case 'n' -> b.append('\n');
          case 't' -> b.append('\t');
          case 'r' -> b.append('\r');
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'u' -> { b.append((char) Integer.parseInt(s.substring(pos[0], pos[0] + 4), 16)); pos[0] += 4; }
          default -> b.append(e);
        }
      }
    }

    static void skipValue(String s, int[] pos) {
      int depth = 0;
      while (pos[0] < s.length()) {
        char c = s.charAt(pos[0]);
        if (c == '"') { string(s, pos); continue; }
        if (c == '{' || c == '[') depth++;
        if (c == '}' || c == ']') { if (depth == 0) return; depth--; }
        if (c == ',' && depth == 0) return;
        pos[0]++;
      }
    }

    static void quote(StringBuilder b, String s) {
      b.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"' -> b.append("\\\"");
          case '\\' -> b.append("\\\\");
          case '\n' -> b.append("\\n");
          case '\t' -> b.append("\\t");
          case '\r' -> b.append("\\r");
          default -> {
            if (c < 0x20) b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            else b.append(c);
          }
        }
      }
      b.append('"');
    }
  }
}
