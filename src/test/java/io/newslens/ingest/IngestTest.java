package io.newslens.ingest;

import static io.newslens.SharedSpark.spark;
import static io.newslens.common.Tables.DOC_ID;
import static io.newslens.common.Tables.REASON;
import static org.junit.jupiter.api.Assertions.*;

import io.newslens.ingest.InputSources.Discovery;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestTest {
  @TempDir Path dir;

  static Ingest.Options options(String input) {
    return new Ingest.Options(List.of(input), null, Map.of(), null, 5_000);
  }

  static Ingest.Result ingest(Ingest.Options options) {
    Discovery discovery = InputSources.discover(options.inputs(), options.format(),
        spark().sparkContext().hadoopConfiguration());
    return Ingest.validate(Ingest.readRaw(spark(), discovery, options), options);
  }

  private static String good(int i) {
    return String.format("{\"id\":\"a%04d\",\"date\":\"2007-%02d-%02dT10:00:00Z\",\"title\":\"Story %d\","
        + "\"text\":\"Body of story %d about oil.\",\"source\":\"wire\"}", i, 1 + i % 12, 1 + i % 28, i, i);
  }

  /** 1,000 good records with bad ones of every kind between them. */
  @Test
  void everyRecordEndsInArticlesOrRejectsWithAReason() throws IOException {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    Map<Integer, String> expectedReasonByLine = new HashMap<>();
    int line = 0;
    String[][] bad = {
        {"malformed_record", "{\"id\":\"x1\",\"date\":\"2007-01-01\",\"text\":\"unterminated"},
        {"malformed_record", "not json at all"},
        {"missing_text", "{\"id\":\"x2\",\"date\":\"2007-01-01\",\"title\":\"no body\"}"},
        {"missing_text", "{\"id\":\"x3\",\"date\":\"2007-01-01\",\"text\":\"   \"}"},
        {"unparseable_date", "{\"id\":\"x4\",\"date\":\"yesterday\",\"text\":\"Some text.\"}"},
        {"unparseable_date", "{\"id\":\"x5\",\"date\":\"2007-02-30\",\"text\":\"Some text.\"}"},
        {"missing_date", "{\"id\":\"x6\",\"text\":\"Some text without a date.\"}"},
        {"oversized", "{\"id\":\"x7\",\"date\":\"2007-01-01\",\"text\":\"" + "word ".repeat(2_000) + "\"}"},
        {"duplicate_id", good(7).replace("Body of story 7", "A second story with the same id")},
    };
    for (int i = 0; i < 1000; i++) {
      file.write((good(i) + "\n").getBytes(StandardCharsets.UTF_8));
      line++;
      if (i % 100 == 50) {
        for (String[] b : bad) {
          file.write((b[1] + "\n").getBytes(StandardCharsets.UTF_8));
          expectedReasonByLine.put(++line, b[0]);
        }
        // invalid UTF-8: a lone continuation byte inside the text
        file.write("{\"id\":\"u".getBytes(StandardCharsets.UTF_8));
        file.write(String.valueOf(i).getBytes(StandardCharsets.UTF_8));
        file.write("\",\"date\":\"2007-01-01\",\"text\":\"caf".getBytes(StandardCharsets.UTF_8));
        file.write(new byte[] {(byte) 0xE9, (byte) 0x80});
        file.write("\"}\n".getBytes(StandardCharsets.UTF_8));
        expectedReasonByLine.put(++line, "invalid_utf8");
        file.write("\n".getBytes(StandardCharsets.UTF_8)); // a blank line is not a record
        line++;
      }
    }
    Path input = dir.resolve("mixed.jsonl");
    Files.write(input, file.toByteArray());

    Ingest.Result result = ingest(options(input.toString()));
    List<Row> articles = result.articles().collectAsList();
    List<Row> rejects = result.rejects().collectAsList();

    assertEquals(1000, articles.size());
    assertEquals(1000, articles.stream().map(r -> r.getAs("doc_id")).distinct().count());
    Row story7 = articles.stream().filter(r -> r.getAs("doc_id").equals("a0007")).findFirst().orElseThrow();
    assertEquals("Body of story 7 about oil.", story7.getAs("text"), "the first occurrence of an id is kept");
    assertEquals(java.sql.Date.valueOf("2007-08-08"), story7.getAs("date"));

    Map<Integer, String> actual = rejects.stream().collect(Collectors.toMap(
        r -> Integer.parseInt(r.<String>getAs("record").replaceAll(".*:", "")), r -> r.getAs("reason")));
    assertEquals(expectedReasonByLine, actual);
    assertTrue(rejects.stream().allMatch(r -> r.<String>getAs("input").endsWith("mixed.jsonl")));
    assertTrue(rejects.stream().allMatch(r -> r.<String>getAs("raw").length() <= 1000), "raw is truncated");
  }

  /** Writes a JSON Lines file byte by byte, knowing each line's number and expected reject reason. */
  private static final class LineWriter {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final Map<Integer, String> reasonByLine = new HashMap<>();
    int lines;
    int goods;

    void line(byte[] content, String ending, String reason) {
      out.writeBytes(content);
      out.writeBytes(ending.getBytes(StandardCharsets.UTF_8));
      lines++;
      if (reason != null) {
        reasonByLine.put(lines, reason);
      }
    }

    void line(String content, String ending, String reason) {
      line(content.getBytes(StandardCharsets.UTF_8), ending, reason);
    }

    /** A good record of exactly {@code bytes} bytes with its line ending; every third ends in CRLF. */
    void good(int bytes) {
      String ending = goods % 3 == 0 ? "\r\n" : "\n";
      String id = String.format("p%05d", goods++);
      String head = "{\"id\":\"" + id + "\",\"date\":\"2007-03-04\",\"text\":\"Body of " + id + ".\",\"title\":\"";
      int padding = bytes - head.length() - 2 - ending.length();
      assertTrue(padding >= 0);
      line(head + "T".repeat(padding) + "\"}", ending, null);
    }

    /** Good records up to byte {@code target} exactly. */
    void padTo(int target) {
      int gap = target - out.size();
      assertTrue(gap >= 200, "room to pad: " + gap);
      while (gap >= 500) {
        good(300);
        gap -= 300;
      }
      good(gap);
    }
  }

  /**
   * Ranges of a few hundred bytes give the rows and rejects, with the same file:line, of one
   * range per file, whatever sits on a range boundary: a bad line starting or ending there, a
   * CRLF or a lone CR split by it, a blank line, broken UTF-8 cut in the middle of its bytes.
   */
  @Test
  void manySmallRangesGiveTheRowsAndRejectsOfOneRange() throws IOException {
    int range = 1024;
    LineWriter w = new LineWriter();
    String malformed = "{\"id\":\"m\",\"date\":\"2007-01-01\",\"text\":\"unterminated";
    String missingText = "{\"id\":\"t\",\"date\":\"2007-01-01\",\"title\":\"no body\"}";
    String badDate = "{\"id\":\"d\",\"date\":\"yesterday\",\"text\":\"Some text.\"}";
    byte[] brokenHead = "{\"id\":\"u\",\"date\":\"2007-01-01\",\"text\":\"caf".getBytes(StandardCharsets.UTF_8);
    for (int k = 1; k <= 16; k++) {
      int boundary = k * range;
      switch (k % 8) {
        case 0 -> { // a bad line starts on the boundary
          w.padTo(boundary);
          w.line(malformed, "\n", "malformed_record");
        }
        case 1 -> { // CRLF of a bad line split by the boundary
          w.padTo(boundary - 1 - missingText.length());
          w.line(missingText, "\r\n", "missing_text");
        }
        case 2 -> { // the boundary is the newline byte ending a bad line, and another follows
          w.padTo(boundary - badDate.length());
          w.line(badDate, "\n", "unparseable_date");
          w.line(malformed, "\r\n", "malformed_record");
        }
        case 3 -> { // the boundary cuts a bad line in two
          w.padTo(boundary - malformed.length() / 2);
          w.line(malformed, "\n", "malformed_record");
        }
        case 4 -> { // blank lines on the boundary, one of them CRLF split by it
          w.padTo(boundary - 1);
          w.line("", "\r\n", null);
          w.line("", "\n", null);
          w.line(badDate, "\n", "unparseable_date");
        }
        case 5 -> { // broken UTF-8 cut between its two bytes by the boundary
          w.padTo(boundary - 1 - brokenHead.length);
          ByteArrayOutputStream line = new ByteArrayOutputStream();
          line.writeBytes(brokenHead);
          line.writeBytes(new byte[] {(byte) 0xE9, (byte) 0x80});
          line.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
          w.line(line.toByteArray(), "\n", "invalid_utf8");
        }
        case 6 -> { // a lone CR ends a bad line on the boundary
          w.padTo(boundary - 1 - missingText.length());
          w.line(missingText, "\r", "missing_text");
        }
        default -> { // a repeated id on the boundary: the earlier line keeps it
          w.padTo(boundary);
          w.line("{\"id\":\"p00001\",\"date\":\"2007-03-04\",\"text\":\"A later copy.\"}", "\n",
              "duplicate_id");
        }
      }
    }
    w.padTo(w.out.size() + 600);
    w.line("not json at all, and no newline at the end", "", "malformed_record");
    Path input = dir.resolve("ranges.jsonl");
    Files.write(input, w.out.toByteArray());

    Ingest.Options options = options(input.toString());
    Discovery discovery = InputSources.discover(options.inputs(), null, spark().sparkContext().hadoopConfiguration());
    assertEquals(1, Ingest.readRaw(spark(), discovery, options).rdd().getNumPartitions());
    Ingest.Result whole = ingest(options);
    List<Row> wholeArticles = byRecord(whole.articles());
    List<Row> wholeRejects = byRecord(whole.rejects());

    spark().conf().set(LineSplits.SPLIT_BYTES_CONF, String.valueOf(range));
    try {
      int partitions = Ingest.readRaw(spark(), discovery, options).rdd().getNumPartitions();
      assertEquals(17, partitions, "one partition per range: 16 full ones and the tail");
      Ingest.Result split = ingest(options);
      List<Row> splitArticles = byRecord(split.articles());
      List<Row> splitRejects = byRecord(split.rejects());
      assertEquals(summary(wholeRejects, REASON), summary(splitRejects, REASON));
      assertEquals(summary(wholeArticles, DOC_ID), summary(splitArticles, DOC_ID));
      assertEquals(wholeArticles, splitArticles);
      assertEquals(wholeRejects, splitRejects);
    } finally {
      spark().conf().unset(LineSplits.SPLIT_BYTES_CONF);
    }

    assertEquals(w.goods, wholeArticles.size());
    Map<Integer, String> actual = wholeRejects.stream().collect(Collectors.toMap(
        r -> Integer.parseInt(r.<String>getAs("record").replaceAll(".*:", "")), r -> r.getAs("reason")));
    assertEquals(w.reasonByLine, actual);
    Row first = wholeArticles.stream().filter(r -> r.getAs("doc_id").equals("p00001")).findFirst().orElseThrow();
    assertEquals("Body of p00001.", first.getAs("text"));
  }

  /** Short enough to read in a failure message: each row's record and one column. */
  private static List<String> summary(List<Row> rows, String column) {
    return rows.stream().map(r -> r.<String>getAs("record").replaceAll(".*:", "") + " " + r.getAs(column)).toList();
  }

  private static List<Row> byRecord(org.apache.spark.sql.Dataset<Row> rows) {
    return rows.collectAsList().stream()
        .sorted(java.util.Comparator.comparingLong(r -> Long.parseLong(r.<String>getAs("record").replaceAll(".*:", ""))))
        .toList();
  }

  @Test
  void recordsWithoutIdGetAStableContentHashAndDefaultDate() throws IOException {
    Path input = dir.resolve("noid.jsonl");
    Files.writeString(input, "{\"text\":\"Oil prices rose.\"}\n{\"body\":\"Oil prices fell.\",\"headline\":\"Down\"}\n");
    Ingest.Options options = new Ingest.Options(List.of(input.toString()), null, Map.of(), "2020-05-01", 5_000);
    List<Row> first = ingest(options).articles().orderBy("text").collectAsList();
    List<Row> second = ingest(options).articles().orderBy("text").collectAsList();
    assertEquals(2, first.size());
    assertEquals(first, second);
    assertEquals(16, first.get(0).<String>getAs("doc_id").length());
    assertEquals("Down", first.get(0).getAs("title"), "headline is an alias of title");
    assertEquals("noid", first.get(0).getAs("source"), "source defaults to the file name");
    assertEquals(java.sql.Date.valueOf("2020-05-01"), first.get(0).getAs("date"));
  }

  @Test
  void fieldMapRenamesColumns() throws IOException {
    Path input = dir.resolve("mapped.jsonl");
    Files.writeString(input, "{\"story\":\"Oil prices rose.\",\"when\":\"2001-09-11\"}\n");
    Ingest.Options options = new Ingest.Options(List.of(input.toString()), null,
        Map.of("text", "story", "date", "when"), null, 5_000);
    Row row = ingest(options).articles().first();
    assertEquals("Oil prices rose.", row.getAs("text"));
    assertEquals(java.sql.Date.valueOf("2001-09-11"), row.getAs("date"));
  }

  @Test
  void readsCsvWithQuotedMultiLineBodies() throws IOException {
    Path input = dir.resolve("news.csv");
    Files.writeString(input, "id,date,title,body\n"
        + "c1,2010-03-04,First,\"Line one,\nline two \"\"quoted\"\"\"\n"
        + "c2,2010-03-05,Second,Plain body\n"
        + "c3,not-a-date,Third,Body\n");
    Ingest.Result result = ingest(options(input.toString()));
    List<Row> articles = result.articles().orderBy("doc_id").collectAsList();
    assertEquals(2, articles.size());
    assertEquals("Line one,\nline two \"quoted\"", articles.get(0).getAs("text"));
    Row reject = result.rejects().first();
    assertEquals("unparseable_date", reject.getAs("reason"));
    assertTrue(reject.<String>getAs("record").endsWith(":id=c3"));
  }

  @Test
  void readsParquet() throws IOException {
    Path input = dir.resolve("parquet");
    spark().sql("select 'p1' as id, date'2015-06-01' as published, 'Oil rose.' as text")
        .write().parquet(input.toString());
    Row row = ingest(options(input.toString())).articles().first();
    assertEquals("p1", row.getAs("doc_id"));
    assertEquals(java.sql.Date.valueOf("2015-06-01"), row.getAs("date"));
  }

  @Test
  void readsTextFolderWithSidecarAndReportsMissingFiles() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("texts"));
    Files.writeString(folder.resolve("one.txt"), "First article text.");
    Files.writeString(folder.resolve("two.txt"), "Second article text.");
    Files.write(folder.resolve("bad.txt"), new byte[] {'o', 'k', ' ', (byte) 0xC3, (byte) 0x28});
    Files.writeString(folder.resolve("metadata.jsonl"),
        "{\"file\":\"one.txt\",\"id\":\"doc-1\",\"date\":\"2007-07-24\",\"title\":\"One\",\"source\":\"ap\"}\n"
            + "{\"file\":\"two.txt\",\"date\":\"2007-07-25\"}\n"
            + "{\"file\":\"bad.txt\",\"date\":\"2007-07-25\"}\n"
            + "{\"file\":\"gone.txt\",\"date\":\"2007-07-26\"}\n");
    Ingest.Result result = ingest(options(folder.toString()));
    List<Row> articles = result.articles().orderBy("doc_id").collectAsList();
    assertEquals(List.of("doc-1", "two"), articles.stream().map(r -> r.<String>getAs("doc_id")).toList());
    assertEquals("ap", articles.get(0).getAs("source"));
    Map<String, String> reasons = result.rejects().collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs("record"), r -> r.getAs("reason")));
    assertEquals(Map.of("bad.txt", "invalid_utf8", "gone.txt", "missing_text"), reasons);
  }

  /**
   * A JSON Lines line of 20 MB and a text file of 2 GB, with --max-text-bytes at 1 MB: both
   * rejected as oversized from their size (the line is never held: it spans several ranges, and
   * only a preview reaches the rejects), every good record kept.
   */
  @Test
  void recordsTooLargeToReadAreRejectedAsOversizedAndTheRestKept() throws IOException {
    Path input = dir.resolve("big-line.jsonl");
    try (java.io.Writer out = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
      out.write(good(1) + "\n");
      out.write("{\"id\":\"huge\",\"date\":\"2007-01-01\",\"text\":\"");
      String chunk = "word ".repeat(1000);
      for (int i = 0; i < 4000; i++) {
        out.write(chunk);
      }
      out.write("\"}\n");
      out.write(good(2) + "\n");
    }
    assertTrue(Files.size(input) > 20_000_000);
    long limit = 1 << 20;
    Ingest.Result result = ingest(new Ingest.Options(List.of(input.toString()), null, Map.of(), null, limit));
    assertEquals(List.of("a0001", "a0002"),
        result.articles().orderBy(DOC_ID).collectAsList().stream().map(r -> r.<String>getAs(DOC_ID)).toList());
    List<Row> rejects = result.rejects().collectAsList();
    assertEquals(1, rejects.size());
    assertEquals("oversized", rejects.get(0).getAs(REASON));
    assertTrue(rejects.get(0).<String>getAs("record").endsWith("big-line.jsonl:2"), rejects.get(0).<String>getAs("record"));
    assertTrue(rejects.get(0).<String>getAs("raw").startsWith("{\"id\":\"huge\""));
    assertTrue(rejects.get(0).<String>getAs("raw").length() <= 1000);

    Path folder = Files.createDirectories(dir.resolve("big-texts"));
    Files.writeString(folder.resolve("small.txt"), "A small article.");
    // Over 2 GB (sparse: no disk used): Spark's binaryFile source fails on such a file when it
    // reads its content, so this passes only if the size filter keeps it from being read.
    try (java.io.RandomAccessFile out = new java.io.RandomAccessFile(folder.resolve("large.txt").toFile(), "rw")) {
      out.setLength((1L << 31) + 10);
    }
    Ingest.Result texts = ingest(new Ingest.Options(List.of(folder.toString()), null, Map.of(), "2020-01-01", limit));
    assertEquals(List.of("small"), texts.articles().collectAsList().stream().map(r -> r.<String>getAs(DOC_ID)).toList());
    Row large = texts.rejects().first();
    assertEquals("oversized", large.getAs(REASON));
    assertEquals("large.txt", large.getAs("record"));
    assertEquals("not read: 2147483658 bytes", large.getAs("raw"));
  }

  @Test
  void parsesIsoDatesAndDateTimesOnly() {
    List<Row> rows = spark().sql("select d from values ('2007-07-24'), ('2007-07-24T23:59:59Z'), "
        + "('2007-07-24 08:00'), ('2007-07-24T10:00:00.123+02:00'), ('24/07/2007'), ('2007-13-01'), ('2007-07-24x') as t(d)")
        .select(Ingest.parseDate(org.apache.spark.sql.functions.col("d")).cast("string")).collectAsList();
    assertEquals(List.of("2007-07-24", "2007-07-24", "2007-07-24", "2007-07-24", "null", "null", "null"),
        rows.stream().map(r -> String.valueOf(r.get(0))).toList());
  }
}
