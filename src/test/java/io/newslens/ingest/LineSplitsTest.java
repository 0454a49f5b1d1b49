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
    List<String> rows = new ArrayList<>();
    for (Split split : splits) {
      for (Iterator<Row> it = LineSplits.lines(split, conf); it.hasNext(); ) {
        Row row = it.next();
        rows.add(row.getLong(1) + "|" + row.getString(2) + "|" + row.getBoolean(3));
      }
    }
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
      List<String> expected = read(whole);
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
}
