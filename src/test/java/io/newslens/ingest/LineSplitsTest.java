package io.newslens.ingest;

import static org.junit.jupiter.api.Assertions.*;

import io.newslens.ingest.LineSplits.Split;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Byte ranges read line by line: without Spark, every possible range size on awkward files. */
class LineSplitsTest {
  @TempDir Path dir;
  final Configuration conf = new Configuration();

  private static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      if (part instanceof String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
      } else {
        out.writeBytes((byte[]) part);
      }
    }
    return out.toByteArray();
  }

  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
  private static final byte[] BROKEN = {'"', (byte) 0xE9, (byte) 0x80, '"'};

  /** Files with every line ending LineRecordReader knows, blank lines, a BOM, broken UTF-8. */
  private static final List<byte[]> AWKWARD = List.of(
      bytes(BOM, "{\"a\":1}\r\n", "\n", "\r\n", "x\ry\r\r\n", "café ü\n", BROKEN, "\n", "   \n", "last"),
      bytes(BOM, "{\"a\":1}\r\n", "\n", "\r\n", "x\ry\r\r\n", "café ü\n", BROKEN, "\n", "   \n", "last\n"),
      bytes("one\r\ntwo\r\n\r\nthree\r"),
      bytes("one\r\ntwo\r\n\r\nthree\r\n"),
      bytes("\n\r\n\r\r\n\n\rz"),
      bytes("\r\n\r\n"),
      bytes(BOM),
      bytes(BOM, "\n"),
      bytes(BOM, "é"),
      bytes("\r"),
      bytes("a"),
      bytes("ab\n"));

  private FileStatus write(String name, byte[] content) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, content);
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file.toUri());
    return path.getFileSystem(conf).getFileStatus(path);
  }

  private List<String> read(List<Split> splits) throws IOException {
    return read(splits, Long.MAX_VALUE);
  }

  private List<String> read(List<Split> splits, long maxLineBytes) throws IOException {
    List<String> rows = new ArrayList<>();
    for (Split split : splits) {
      for (Iterator<Row> it = LineSplits.lines(split, conf, maxLineBytes); it.hasNext(); ) {
        Row row = it.next();
        rows.add(row.getLong(1) + "|" + row.getString(2) + "|" + row.getBoolean(3) + (row.getBoolean(4) ? "|oversized" : ""));
      }
    }
    return rows;
  }

  /** What Hadoop's LineRecordReader returns for the whole file, as {@link #read} shows rows. */
  private List<String> hadoopWholeFile(FileStatus status) throws IOException {
    org.apache.hadoop.mapreduce.lib.input.LineRecordReader reader = new org.apache.hadoop.mapreduce.lib.input.LineRecordReader();
    reader.initialize(new org.apache.hadoop.mapreduce.lib.input.FileSplit(status.getPath(), 0, status.getLen(), null),
        new org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl(conf, new org.apache.hadoop.mapreduce.TaskAttemptID()));
    List<String> rows = new ArrayList<>();
    long number = 0;
    while (reader.nextKeyValue()) {
      number++;
      byte[] bytes = java.util.Arrays.copyOf(reader.getCurrentValue().getBytes(), reader.getCurrentValue().getLength());
      int start = number == 1 && RecordReaders.startsWithBom(bytes) ? 3 : 0;
      java.util.Optional<String> strict = RecordReaders.decodeStrict(bytes, start);
      String text = strict.orElseGet(() -> new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8));
      if (!text.isBlank()) {
        rows.add(number + "|" + text + "|" + strict.isPresent());
      }
    }
    reader.close();
    return rows;
  }

  private List<Split> counted(List<Split> splits) throws IOException {
    List<Long> counts = new ArrayList<>();
    for (Split split : splits) {
      counts.add(LineSplits.countLines(split, conf));
    }
    return LineSplits.numbered(splits, counts);
  }

  @Test
  void everyRangeSizeGivesTheLinesAndNumbersOfOneWholeFileRead() throws IOException {
    for (int f = 0; f < AWKWARD.size(); f++) {
      byte[] content = AWKWARD.get(f);
      FileStatus status = write("awkward-" + f + ".jsonl", content);
      List<Split> whole = LineSplits.plan(List.of(status), Long.MAX_VALUE / 2, conf);
      List<String> expected = hadoopWholeFile(status);
      assertEquals(expected, read(whole), "file " + f + " read whole");
      for (int size = 1; size <= content.length; size++) {
        List<Split> splits = LineSplits.plan(List.of(status), size, conf);
        // lines() fails when a range returns another number of lines than was counted for it
        assertEquals(expected, read(counted(splits)), "file " + f + ", ranges of " + size + " bytes");
      }
    }
  }

  @Test
  void oneWholeFileReadNumbersLinesAsAnEditorDoes() throws IOException {
    FileStatus status = write("first.jsonl", AWKWARD.get(0));
    List<String> rows = read(LineSplits.plan(List.of(status), Long.MAX_VALUE / 2, conf));
    assertEquals(List.of("1|{\"a\":1}|true", "4|x|true", "5|y|true", "7|café ü|true"), rows.subList(0, 4));
    assertTrue(rows.get(4).startsWith("8|\""), rows.get(4));
    assertTrue(rows.get(4).endsWith("|false"), "broken UTF-8 is flagged: " + rows.get(4));
    assertEquals("10|last|true", rows.get(5));
    assertEquals(6, rows.size());
  }

  @Test
  void aRangeThatReadsAnotherNumberOfLinesThanCountedFails() throws IOException {
    FileStatus status = write("lines.jsonl", bytes("a\nb\nc\nd\n"));
    List<Split> splits = counted(LineSplits.plan(List.of(status), 3, conf));
    Split first = splits.get(0);
    Iterator<Row> lines = LineSplits.lines(first.counted(1, first.lines() + 1), conf);
    assertThrows(IllegalStateException.class, () -> lines.forEachRemaining(row -> {}));
  }

  @Test
  void plansRangesLikeHadoopAndKeepsCompressedAndSmallFilesWhole() throws IOException {
    FileStatus big = write("big.jsonl", "x\n".repeat(500).getBytes(StandardCharsets.UTF_8));
    FileStatus empty = write("empty.jsonl", new byte[0]);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      for (int i = 1; i <= 5000; i++) {
        out.write((Integer.toHexString(i * 0x9E3779B1) + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    FileStatus compressed = write("big.jsonl.gz", gz.toByteArray());
    assertTrue(compressed.getLen() > 1000, "bigger than a range, yet one range");

    List<Split> splits = LineSplits.plan(List.of(big, empty, compressed), 100, conf);
    List<Split> ofBig = splits.stream().filter(s -> s.file().endsWith("big.jsonl")).toList();
    assertEquals(10, ofBig.size());
    assertTrue(ofBig.stream().noneMatch(Split::alone));
    assertEquals(0, ofBig.get(0).start());
    for (int i = 1; i < ofBig.size(); i++) {
      assertEquals(ofBig.get(i - 1).start() + ofBig.get(i - 1).length(), ofBig.get(i).start(), "contiguous");
    }
    assertEquals(1000, ofBig.get(9).start() + ofBig.get(9).length(), "covers the file");
    Split gzSplit = splits.get(splits.size() - 1);
    assertTrue(gzSplit.file().endsWith(".gz") && gzSplit.alone() && gzSplit.length() == compressed.getLen());
    assertEquals(11, splits.size(), "an empty file has no range");
    assertEquals(5000, read(List.of(gzSplit)).size());
    assertEquals("5000|" + Integer.toHexString(5000 * 0x9E3779B1) + "|true", read(List.of(gzSplit)).get(4999));

    // a last range up to 10% over size is kept whole rather than leaving a sliver
    assertEquals(9, LineSplits.plan(List.of(big), 110, conf).size());
    assertEquals(1, LineSplits.plan(List.of(big), 910, conf).size());
  }

  /**
   * A line longer than the limit is one row flagged oversized, with its first bytes only, and
   * the lines after it keep their numbers: for every range size, with every line ending.
   */
  @Test
  void aLineOverTheLimitIsOneOversizedRowWithItsNumberWhateverTheRanges() throws IOException {
    String longLine = "{\"text\":\"" + "x".repeat(60) + "\"}";
    byte[] content = bytes(BOM, "{\"a\":1}\n", longLine, "\r\n", "b\r", "y".repeat(40), "\r", "\n", "c\n", "z".repeat(31));
    FileStatus status = write("long-lines.jsonl", content);
    String head = longLine.substring(0, 31);
    List<String> expected = List.of("1|{\"a\":1}|true", "2|" + longLine + "|true|oversized", "3|b|true",
        "4|" + "y".repeat(31) + "|true|oversized", "5|c|true", "6|" + "z".repeat(31) + "|true|oversized");
    for (int size = 1; size <= content.length; size++) {
      List<String> rows = read(counted(LineSplits.plan(List.of(status), size, conf)), 30);
      assertEquals(expected.size(), rows.size(), "ranges of " + size + " bytes: " + rows);
      for (int i = 0; i < rows.size(); i++) {
        if (expected.get(i).endsWith("oversized")) {
          String[] parts = expected.get(i).split("\\|");
          assertEquals(parts[0] + "|" + parts[1].substring(0, 31) + "|true|oversized", rows.get(i),
              "only the limit and one byte are kept; ranges of " + size + " bytes");
        } else {
          assertEquals(expected.get(i), rows.get(i), "ranges of " + size + " bytes");
        }
      }
    }
    assertEquals("2|" + head + "|true|oversized", read(LineSplits.plan(List.of(status), Long.MAX_VALUE / 2, conf), 30).get(1));
    assertEquals("6|" + "z".repeat(31) + "|true", read(LineSplits.plan(List.of(status), Long.MAX_VALUE / 2, conf), 31).get(5),
        "a line of 31 bytes fits a limit of 31");
  }

  /**
   * A line of more than 2 GB (a sparse file: no disk used) between two good lines. Read whole,
   * it cannot fit in a Java array (LineRecordReader fails with "Too many bytes before newline" or
   * runs out of memory); skipped while counted, it costs one pass over its bytes.
   */
  @Test
  void aLineOfGigabytesIsSkippedWithoutBeingHeld() throws IOException {
    Path file = dir.resolve("huge.jsonl");
    long hole = (1L << 31) + 1000;
    byte[] first = "{\"a\":1}\n{\"text\":\"".getBytes(StandardCharsets.UTF_8);
    byte[] last = "\"}\n{\"b\":2}\n".getBytes(StandardCharsets.UTF_8);
    try (java.io.RandomAccessFile out = new java.io.RandomAccessFile(file.toFile(), "rw")) {
      out.write(first);
      out.seek(first.length + hole);
      out.write(last);
    }
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file.toUri());
    FileStatus status = path.getFileSystem(conf).getFileStatus(path);
    List<String> rows = read(LineSplits.plan(List.of(status), Long.MAX_VALUE / 2, conf), 1 << 20);
    assertEquals(3, rows.size(), rows.toString());
    assertEquals("1|{\"a\":1}|true", rows.get(0));
    assertTrue(rows.get(1).startsWith("2|{\"text\":\""), rows.get(1).substring(0, 20));
    assertTrue(rows.get(1).endsWith("|true|oversized"));
    assertEquals(LineSplits.PREVIEW_BYTES + "|true|oversized".length() + 2, rows.get(1).length(), "only a preview is kept");
    assertEquals("3|{\"b\":2}|true", rows.get(2));
  }
}
