package io.newslens.faults;

import static io.newslens.SharedSpark.spark;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.newslens.cli.NewsLens;
import io.newslens.common.Tables;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input, built here (not committed): every good record is kept and every bad one
 * rejected with its reason, through the whole pipeline, in bounded time and memory.
 *
 * <p>Guards: strict UTF-8 checks before decoding (invalid_utf8), Spark's permissive JSON and CSV
 * parsing (malformed_record, including Jackson's nesting limit), the size checks that skip a
 * line or a file too large without reading it (LineSplits, the binaryFile size filter), the
 * regex cost bounds of clean (TextCleaner), ISO dates taken as written (time zones do not move
 * the day), and invisible characters removed by clean. The 200 MB line and the 50 MB file are
 * streamed to disk, and the test holds only a few MB. The timeout is a hang guard, not a
 * measurement.
 */
class HostileInputTest {
  @TempDir static Path dir;
  static Path input;
  static Path out;
  /** Expected reject reason by record (file:line, or file name in a text folder, or CSV id). */
  static final Map<String, String> REJECTED = new TreeMap<>();
  /** Expected articles by doc_id. */
  static final Map<String, String> KEPT = new TreeMap<>();
  static final String MILLION_TAGS = "<p".repeat(1_000_000);
  static final String LONG_WORD = "cookie-policy-accept-".repeat(50_000);
  static int exitCode;

  static String json(String id, String date, String title, String text) {
    Map<String, String> record = new LinkedHashMap<>();
    record.put("id", id);
    record.put("date", date);
    record.put("title", title);
    record.put("text", text);
    record.put("source", "hostile");
    try {
      return new ObjectMapper().writeValueAsString(record);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static String story(String what) {
    return "The council in Berlin met on Tuesday to discuss " + what + ". Members agreed to publish a report next month.";
  }

  @BeforeAll
  @Timeout(value = 40, unit = TimeUnit.MINUTES) // a hang guard only
  static void runThePipelineOnHostileInput() throws IOException {
    input = Files.createDirectories(dir.resolve("input"));
    Path jsonl = input.resolve("hostile.jsonl");
    int line = 0;
    try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(jsonl), 1 << 16)) {
      java.util.function.BiConsumer<byte[], String> write = (bytes, reason) -> {
        try {
          file.write(bytes);
          file.write('\n');
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      };
      // good records, each with something awkward in it
      String[][] good = {
          {"plain", "2007-07-24", "An ordinary day", story("the budget")},
          {"script-title", "2007-07-24", "<script>alert(1)</script>", story("the website")},
          {"escaped-nul", "2007-07-25", "Nul", story("the water\u0000supply")},
          {"invisible", "2007-07-25", "Zero\u200Bwidth", story("the\u200B bridge\u200D and\uFEFF road")},
          {"rtl", "2007-07-26", "\u202Eevil.exe", "\u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627 " + story("the\u200F border")},
          {"year-1582", "1582-10-10", "Gregorian gap", story("the calendar")},
          {"year-9999", "9999-12-31T23:59:59+14:00", "Far future", story("the archive")},
          {"zone-plus-14", "2007-07-24T23:30:00+14:00", "Kiribati", story("the tide")},
          {"zone-minus-14", "2007-07-24T00:30:00-14:00", "Behind", story("the clocks")},
          {"million-tags", "2007-07-27", "Tags", MILLION_TAGS},
          {"long-word", "2007-07-27", "Word", LONG_WORD},
      };
      for (String[] g : good) {
        write.accept(json(g[0], g[1], g[2], g[3]).getBytes(StandardCharsets.UTF_8), null);
        KEPT.put(g[0], g[1].substring(0, 10));
        line++;
      }
      // bad records
      byte[] invalid = json("bad-utf8", "2007-07-24", "Bad", story("XX")).getBytes(StandardCharsets.UTF_8);
      int at = new String(invalid, StandardCharsets.ISO_8859_1).indexOf("XX");
      invalid[at] = (byte) 0xC3; // a lead byte followed by "(": not UTF-8
      invalid[at + 1] = (byte) 0x28;
      write.accept(invalid, null);
      REJECTED.put("hostile.jsonl:" + ++line, "invalid_utf8");
      write.accept(json("raw-nul", "2007-07-24", "Raw NUL", story("XX")).replace("XX", "a\u0000b")
          .getBytes(StandardCharsets.UTF_8), null); // an unescaped control character: not JSON
      REJECTED.put("hostile.jsonl:" + ++line, "malformed_record");
      write.accept(("{\"id\":\"deep\",\"date\":\"2007-07-24\",\"text\":\"" + story("depth") + "\",\"extra\":"
          + "[".repeat(10_000) + "]".repeat(10_000) + "}").getBytes(StandardCharsets.UTF_8), null);
      REJECTED.put("hostile.jsonl:" + ++line, "malformed_record");
      // Year 0 is a valid ISO-8601 year (1 BC, proleptic Gregorian): kept as written, like 1582 and 9999.
      write.accept(json("year-0", "0000-01-01", "Year zero", story("the epoch")).getBytes(StandardCharsets.UTF_8), null);
      KEPT.put("year-0", "0000-01-01");
      line++;
      write.accept(json("year-10000", "10000-01-01", "Too far", story("the end")).getBytes(StandardCharsets.UTF_8), null);
      REJECTED.put("hostile.jsonl:" + ++line, "unparseable_date");
      // 200 MB on one line, streamed: rejected from its size, never held
      file.write("{\"id\":\"huge-line\",\"date\":\"2007-07-24\",\"text\":\"".getBytes(StandardCharsets.UTF_8));
      byte[] chunk = "word ".repeat(1 << 14).getBytes(StandardCharsets.UTF_8);
      for (long written = 0; written < 200L << 20; written += chunk.length) {
        file.write(chunk);
      }
      write.accept("\"}".getBytes(StandardCharsets.UTF_8), null);
      REJECTED.put("hostile.jsonl:" + ++line, "oversized");
      write.accept(json("after-huge", "2007-07-28", "After", story("what came next")).getBytes(StandardCharsets.UTF_8), null);
      KEPT.put("after-huge", "2007-07-28");
      line++;
    }

    // A folder of text files: a 50 MB article (streamed), raw NUL bytes, invalid UTF-8.
    Path pages = Files.createDirectories(input.resolve("pages"));
    try (OutputStream big = new BufferedOutputStream(Files.newOutputStream(pages.resolve("fifty-mb.txt")), 1 << 16)) {
      byte[] chunk = (story("everything") + "\n").getBytes(StandardCharsets.UTF_8);
      for (long written = 0; written < 50L << 20; written += chunk.length) {
        big.write(chunk);
      }
    }
    REJECTED.put("fifty-mb.txt", "oversized");
    Files.writeString(pages.resolve("nul-bytes.txt"), story("the\u0000pipes\u0000\u0000"));
    KEPT.put("nul-bytes", "2007-08-01");
    byte[] latin1 = story("the caf\u00e9").getBytes(StandardCharsets.ISO_8859_1);
    Files.write(pages.resolve("latin1.txt"), latin1);
    REJECTED.put("latin1.txt", "invalid_utf8");
    Files.writeString(pages.resolve("metadata.jsonl"),
        "{\"file\":\"fifty-mb.txt\",\"date\":\"2007-08-01\"}\n{\"file\":\"nul-bytes.txt\",\"date\":\"2007-08-01\"}\n"
            + "{\"file\":\"latin1.txt\",\"date\":\"2007-08-01\"}\n");

    // CSV with an unbalanced quote in one record, between good ones.
    Files.writeString(input.resolve("unbalanced.csv"), "id,date,title,text\n"
        + "csv-1,2007-07-24,First,\"" + story("the first") + "\"\n"
        + "csv-2,2007-07-24,Broken,\"He said \"hello and never closed the quote\n"
        + "csv-3,2007-07-24,Third,\"" + story("the third") + "\"\n"
        + "csv-4,2007-07-24,Fourth," + story("the fourth") + "\n");
    // A stray quote inside a quoted field: Spark's parser reads the field as unquoted text up to
    // the end of its line and goes on, so the record and its neighbours are kept.
    for (String id : List.of("csv-1", "csv-2", "csv-3", "csv-4")) {
      KEPT.put(id, "2007-07-24");
    }
    // A quote opened and never closed: that record is rejected, the ones after it are kept
    // (Spark's multi-line reader alone would read them into the open field).
    Files.writeString(input.resolve("unclosed.csv"), "id,date,title,text\n"
        + "csv-5,2007-07-24,Fifth,\"" + story("the fifth") + "\"\n"
        + "csv-6,2007-07-24,Broken,\"He said hello and never closed the quote\n"
        + "csv-7,2007-07-24,Seventh,\"" + story("the seventh") + "\"\n"
        + "csv-8,2007-07-24,Eighth," + story("the eighth") + "\n");
    for (String id : List.of("csv-5", "csv-7", "csv-8")) {
      KEPT.put(id, "2007-07-24");
    }
    REJECTED.put("unclosed.csv:id=csv-6", "malformed_record");

    out = dir.resolve("out");
    long started = System.nanoTime();
    exitCode = NewsLens.execute("run", "--input", input.toString(), "--output", out.toString(),
        "--max-text-bytes", "3000000", "--topics", "2", "--iterations", "20", "--min-df", "1");
    System.out.printf("HostileInputTest: the run took %.1f s%n", (System.nanoTime() - started) / 1e9);
  }

  @Test
  void theRunCompletes() throws IOException {
    assertEquals(0, exitCode);
    var manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertEquals("ok", manifest.get("run").get("status").asText());
  }

  @Test
  void everyGoodRecordIsKeptWithItsDateAsWritten() {
    Map<String, String> kept = spark().read().parquet(out.resolve(Tables.ARTICLES.name()).toString())
        .selectExpr("doc_id", "cast(date as string)").collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getString(1), (a, b) -> a + "," + b, TreeMap::new));
    assertEquals(KEPT, kept);
  }

  @Test
  void everyBadRecordIsRejectedWithItsReason() {
    Map<String, String> rejected = spark().read().parquet(out.resolve(Tables.REJECTS.name()).toString())
        .collectAsList().stream().collect(Collectors.toMap(
            r -> r.<String>getAs("record").replaceAll("^.*/", ""), r -> r.getAs("reason"), (a, b) -> a + "," + b,
            TreeMap::new));
    assertEquals(REJECTED, rejected);
    List<Row> raws = spark().read().parquet(out.resolve(Tables.REJECTS.name()).toString())
        .filter("length(raw) > 1000").collectAsList();
    assertEquals(List.of(), raws, "raw is a preview");
  }

  @Test
  void textsAreCleanedAndTitlesKeptAsData() {
    Map<String, Row> articles = spark().read().parquet(out.resolve(Tables.ARTICLES.name()).toString())
        .collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("doc_id"), r -> r));
    assertEquals("<script>alert(1)</script>", articles.get("script-title").getAs("title"),
        "a title is data: escaping it is the job of whatever renders it");
    for (Row article : articles.values()) {
      String text = article.getAs("text");
      assertFalse(text.chars().anyMatch(c -> c == 0 || c == 0x200B || c == 0x200D || c == 0xFEFF || c == 0x200F
          || c == 0x202E), "no NUL or invisible characters: " + article.getAs("doc_id"));
    }
    assertTrue(articles.get("rtl").<String>getAs("text").startsWith("\u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627"),
        "right-to-left letters are text");
    assertEquals(MILLION_TAGS, articles.get("million-tags").getAs("text"), "a million \"<p\" without \">\" is not HTML");
    assertEquals(LONG_WORD, articles.get("long-word").getAs("text"));
    assertTrue(articles.get("invisible").<String>getAs("text").contains("the bridge and road"));
    assertEquals(story("the third"), articles.get("csv-3").getAs("text"));
    assertEquals(story("the fourth"), articles.get("csv-4").getAs("text"));
    assertEquals("\"He said \"hello and never closed the quote", articles.get("csv-2").getAs("text"),
        "the field read as unquoted text, up to the end of its line");
  }

  @Test
  void laterStagesSeeTheKeptArticles() {
    long documents = spark().read().parquet(out.resolve(Tables.TOKENS_TABLE.name()).toString())
        .select("doc_id").distinct().count();
    assertTrue(documents >= KEPT.size() - 2, "tokenized: " + documents + " of " + KEPT.size()
        + " (very short or foreign texts may be left out by language)");
    long berlin = spark().read().parquet(out.resolve(Tables.ENTITY_MENTIONS.name()).toString())
        .filter("entity = 'Berlin' and type = 'LOCATION'").select("doc_id").distinct().count();
    assertTrue(berlin >= KEPT.size() - 4, "entities found in the good records: " + berlin);
    assertTrue(Arrays.stream(new String[] {"2007-07", "1582-10", "9999-12"}).allMatch(period ->
        spark().read().parquet(out.resolve(Tables.ARTICLES.name()).toString()).filter("period = '" + period + "'").count() > 0));
  }
}
