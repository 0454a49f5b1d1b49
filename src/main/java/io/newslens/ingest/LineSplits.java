package io.newslens.ingest;

import static org.apache.spark.sql.types.DataTypes.*;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import org.apache.spark.util.TaskCompletionListener;
import scala.Tuple2;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag$;

/**
 * Lines of text files with their file and exact 1-based line number, read in byte ranges so
 * that one big file keeps every core busy.
 *
 * <p>Each range returns the lines Hadoop's {@code LineRecordReader} would (same line
 * terminators, same byte order mark handling, same raw bytes; the tests compare the two), read
 * by {@link RangeReader}, which can skip a line too long to hold. Its line numbers come
 * from a first pass that counts, per range, the lines that reader will return, by scanning raw
 * bytes without decoding them; the driver turns those counts (one number per range) into each
 * range's first line number. A range whose reader returns another number of lines than was
 * counted fails its task: a wrong line number is never written.
 *
 * <p>Which lines a range returns is {@code LineRecordReader}'s rule: a range other than a file's first
 * throws away everything up to the first line start after its first byte, and every range reads
 * on past its end to finish the line starting at or before its end. So the range [start, end)
 * returns the lines starting in (start, end], the first range those in [0, end]. A line starts
 * at 0 and after every terminator, which is "\n", "\r\n", or "\r" not followed by "\n"; the end
 * of the file is not a line start.
 *
 * <p>Compressed files cannot be entered in the middle: each is one range, read by one task.
 */
final class LineSplits {
  private LineSplits() {}

  /** Overrides the byte size of a range (the tests make it tiny). */
  public static final String SPLIT_BYTES_CONF = "spark.newslens.ingest.splitBytes";
  /** Below this, the cost of a task (scheduling, opening the file, the skipped partial line) shows. */
  static final long MIN_SPLIT_BYTES = 8L << 20;
  /** HDFS's default block and Spark's own file-split size: one block per task, bounded task memory. */
  static final long MAX_SPLIT_BYTES = 128L << 20;
  /** As Hadoop's FileInputFormat: a file's last range may be this much larger instead of leaving a sliver. */
  private static final double SLOP = 1.1;

  public static final StructType LINE_SCHEMA = createStructType(List.of(
      createStructField("input", StringType, false),
      createStructField(RecordReaders.ORDINAL, LongType, false),
      createStructField("raw", StringType, false),
      createStructField(RecordReaders.VALID_UTF8, BooleanType, false),
      createStructField(RecordReaders.OVERSIZED, BooleanType, false)));

  /** How much of an oversized line is kept, to show in the rejects. */
  static final int PREVIEW_BYTES = 1000;

  /**
   * A byte range of a file. {@code alone}: the file's only range, which starts at line 1 and
   * needs no counting. {@code firstLine} and {@code lines} are set once the ranges were counted
   * ({@code lines} is -1 when not counted). A class, not a record: Spark's Kryo cannot build records.
   */
  static final class Split implements Serializable {
    private final String file;
    private final long start;
    private final long length;
    private final long fileLength;
    private final boolean alone;
    private final long firstLine;
    private final long lines;

    Split(String file, long start, long length, long fileLength, boolean alone, long firstLine, long lines) {
      this.file = file;
      this.start = start;
      this.length = length;
      this.fileLength = fileLength;
      this.alone = alone;
      this.firstLine = firstLine;
      this.lines = lines;
    }

    String file() {
      return file;
    }

    long start() {
      return start;
    }

    long length() {
      return length;
    }

    long fileLength() {
      return fileLength;
    }

    boolean alone() {
      return alone;
    }

    long firstLine() {
      return firstLine;
    }

    long lines() {
      return lines;
    }

    Split counted(long firstLine, long lines) {
      return new Split(file, start, length, fileLength, alone, firstLine, lines);
    }

    @Override
    public String toString() {
      return file + " bytes " + start + "-" + (start + length);
    }
  }

  /**
   * The range size for {@code totalBytes} of input: at least four ranges per core, so that
   * uneven ranges and busy cores even out, within [MIN_SPLIT_BYTES, MAX_SPLIT_BYTES].
   */
  static long splitBytes(SparkSession spark, long totalBytes) {
    String configured = spark.conf().get(SPLIT_BYTES_CONF, null);
    if (configured != null) {
      long bytes = Long.parseLong(configured.trim());
      if (bytes < 1) {
        throw new IllegalArgumentException(SPLIT_BYTES_CONF + " must be at least 1, got " + configured);
      }
      return bytes;
    }
    long perCore = totalBytes / (4L * Math.max(1, spark.sparkContext().defaultParallelism()));
    return Math.min(MAX_SPLIT_BYTES, Math.max(MIN_SPLIT_BYTES, perCore));
  }

  /** Splits each file into ranges of about {@code splitBytes}, in file order; empty files give none. */
  static List<Split> plan(List<FileStatus> files, long splitBytes, Configuration conf) {
    CompressionCodecFactory codecs = new CompressionCodecFactory(conf);
    List<Split> splits = new ArrayList<>();
    for (FileStatus status : files) {
      long length = status.getLen();
      String file = status.getPath().toString();
      if (length == 0) {
        continue;
      }
      if (codecs.getCodec(status.getPath()) != null || length <= splitBytes * SLOP) {
        splits.add(new Split(file, 0, length, length, true, 1, -1));
        continue;
      }
      long start = 0;
      while ((double) (length - start) / splitBytes > SLOP) {
        splits.add(new Split(file, start, splitBytes, length, false, 0, -1));
        start += splitBytes;
      }
      splits.add(new Split(file, start, length - start, length, false, 0, -1));
    }
    return splits;
  }

  /**
   * The lines of {@code paths} as {@link #LINE_SCHEMA} rows; blank lines are counted but not
   * returned. A line longer than {@code maxLineBytes} is never held whole: it comes as a row
   * flagged oversized, with its first {@link #PREVIEW_BYTES} bytes.
   */
  static Dataset<Row> read(SparkSession spark, List<String> paths, long maxLineBytes) {
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    List<FileStatus> files = new ArrayList<>();
    long total = 0;
    try {
      for (String path : paths) {
        Path p = new Path(path);
        FileStatus status = p.getFileSystem(hadoopConf).getFileStatus(p);
        files.add(status);
        total += status.getLen();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + paths, e);
    }
    List<Split> splits = plan(files, splitBytes(spark, total), hadoopConf);
    List<String[]> hosts = hostsOf(splits, files, hadoopConf);
    // Broadcast, as Spark's Hadoop RDDs do: shipped with every task, the configuration's
    // deserialization costs more CPU than a small range's counting.
    Broadcast<SerializableConfiguration> conf = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .broadcast(new SerializableConfiguration(hadoopConf));
    if (splits.stream().anyMatch(s -> !s.alone())) {
      List<Long> counts = rdd(spark, splits, hosts)
          .map(split -> split.alone() ? -1L : countLines(split, conf.value().value()))
          .collect();
      splits = numbered(splits, counts);
    }
    JavaRDD<Row> lines = rdd(spark, splits, hosts)
        .mapPartitions(it -> it.hasNext() ? lines(it.next(), conf.value().value(), maxLineBytes)
            : List.<Row>of().iterator(), true);
    return spark.createDataFrame(lines, LINE_SCHEMA);
  }

  /** Each range's first line number: one plus the lines of the file's ranges before it. */
  static List<Split> numbered(List<Split> splits, List<Long> counts) {
    List<Split> numbered = new ArrayList<>();
    long line = 1;
    for (int i = 0; i < splits.size(); i++) {
      Split split = splits.get(i);
      if (split.start() == 0) {
        line = 1;
      }
      numbered.add(split.counted(line, counts.get(i)));
      line += Math.max(0, counts.get(i));
    }
    return numbered;
  }

  /** One partition per range, preferring the hosts that store its first block. */
  private static JavaRDD<Split> rdd(SparkSession spark, List<Split> splits, List<String[]> hosts) {
    List<Tuple2<Split, scala.collection.Seq<String>>> located = new ArrayList<>();
    for (int i = 0; i < splits.size(); i++) {
      located.add(new Tuple2<>(splits.get(i), JavaConverters.asScalaBuffer(Arrays.asList(hosts.get(i))).toSeq()));
    }
    return spark.sparkContext()
        .makeRDD(JavaConverters.asScalaBuffer(located).toSeq(), ClassTag$.MODULE$.apply(Split.class))
        .toJavaRDD();
  }

  /** For each range, the hosts storing its first byte: one block listing per file, as Hadoop does. */
  private static List<String[]> hostsOf(List<Split> splits, List<FileStatus> files, Configuration conf) {
    Map<String, BlockLocation[]> blocksByFile = new HashMap<>();
    List<String[]> hosts = new ArrayList<>();
    try {
      for (FileStatus status : files) {
        FileSystem fs = status.getPath().getFileSystem(conf);
        blocksByFile.put(status.getPath().toString(), fs.getFileBlockLocations(status, 0, status.getLen()));
      }
      for (Split split : splits) {
        String[] found = new String[0];
        for (BlockLocation block : blocksByFile.get(split.file())) {
          if (block.getOffset() <= split.start() && split.start() < block.getOffset() + block.getLength()) {
            // As Spark's own Hadoop RDDs do: "localhost" is what a local file system says, not a place.
            found = Arrays.stream(block.getHosts()).filter(h -> !h.equals("localhost")).toArray(String[]::new);
            break;
          }
        }
        hosts.add(found);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not locate the blocks of " + files, e);
    }
    return hosts;
  }

  /** How many lines LineRecordReader returns for this range (see the class comment for the rule). */
  static long countLines(Split split, Configuration conf) throws IOException {
    long start = split.start();
    long end = start + split.length();
    long fileLength = split.fileLength();
    Path path = new Path(split.file());
    long count = 0;
    try (FSDataInputStream in = path.getFileSystem(conf).open(path)) {
      if (start == 0) {
        count += firstLineIsReturned(in, fileLength) ? 1 : 0;
      }
      in.seek(start);
      // Bytes [start, end) can end a line; the byte at end only tells whether a "\r" before it
      // was followed by "\n".
      long stop = Math.min(end + 1, fileLength);
      byte[] buffer = new byte[1 << 16];
      long pos = start;
      boolean afterCr = false;
      while (pos < stop) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, stop - pos));
        if (n < 0) {
          throw new IOException(split.file() + " ended at byte " + pos + ", expected " + fileLength);
        }
        for (int i = 0; i < n; i++) {
          byte b = buffer[i];
          if (afterCr) {
            afterCr = false;
            if (b != '\n') {
              count++; // a lone "\r" ended a line; the next one starts here
            }
          }
          if ((b == '\n' || b == '\r') && pos + i < end) {
            if (b == '\n') {
              count += pos + i + 1 < fileLength ? 1 : 0;
            } else {
              afterCr = pos + i + 1 < fileLength;
            }
          }
        }
        pos += n;
      }
    }
    return count;
  }

  /**
   * Whether the line at byte 0 is a line for LineRecordReader: it is unless the file is empty
   * or holds nothing but a UTF-8 byte order mark, which the reader strips to nothing.
   */
  private static boolean firstLineIsReturned(FSDataInputStream in, long fileLength) throws IOException {
    if (fileLength != 3) {
      return fileLength > 0;
    }
    byte[] head = new byte[3];
    in.readFully(0, head);
    return !RecordReaders.startsWithBom(head);
  }

  /** The rows of one range, lines of any length read whole (for tests). */
  static Iterator<Row> lines(Split split, Configuration conf) throws IOException {
    return lines(split, conf, Long.MAX_VALUE);
  }

  /**
   * The rows of one range, numbered on from the range's first line: the lines LineRecordReader
   * would return (the rule in the class comment), read from the raw bytes. Our own reading rather
   * than LineRecordReader's because a line of gigabytes must not be read into memory:
   * LineRecordReader holds a line whole (and fails past 2 GB), and its own length limit drops
   * long lines without a trace (so later line numbers would be wrong) or, for a line crossing
   * the range's end, returns it cut short. Here a line longer than {@code maxLineBytes} is
   * skipped to its end while its bytes are counted, and comes as one row flagged oversized.
   */
  static Iterator<Row> lines(Split split, Configuration conf, long maxLineBytes) throws IOException {
    if (split.lines() == 0) {
      // No line starts in this range: it lies inside one line, maybe a huge one, which it
      // need not read through to find the next line start.
      return List.<Row>of().iterator();
    }
    RangeReader reader = RangeReader.open(split, conf, maxLineBytes);
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((TaskCompletionListener) context -> closeQuietly(reader));
    }
    return new Iterator<>() {
      long lineNumber = split.firstLine() - 1;
      Row next = advance();

      private Row advance() {
        try {
          while (reader.nextLine()) {
            lineNumber++;
            if (reader.oversized()) {
              byte[] head = reader.bytes(PREVIEW_BYTES);
              return RowFactory.create(split.file(), lineNumber,
                  new String(head, 0, head.length, StandardCharsets.UTF_8), true, true);
            }
            byte[] bytes = reader.bytes(Integer.MAX_VALUE);
            int start = lineNumber == 1 && RecordReaders.startsWithBom(bytes) ? 3 : 0;
            Optional<String> strict = RecordReaders.decodeStrict(bytes, start);
            String text = strict.orElseGet(
                () -> new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8));
            if (!text.isBlank()) {
              return RowFactory.create(split.file(), lineNumber, text, strict.isPresent(), false);
            }
          }
          reader.close();
        } catch (IOException e) {
          throw new UncheckedIOException("could not read " + split.file(), e);
        }
        long read = lineNumber - split.firstLine() + 1;
        if (split.lines() >= 0 && read != split.lines()) {
          throw new IllegalStateException(String.format(
              "%s bytes %d-%d: read %d lines where %d were counted, so line numbers would be wrong",
              split.file(), split.start(), split.start() + split.length(), read, split.lines()));
        }
        return null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Row next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        Row current = next;
        next = advance();
        return current;
      }
    };
  }

  /**
   * The lines starting in one range, from its raw (or decompressed) bytes: a line ends at "\n",
   * "\r\n" or a "\r" not followed by "\n", as for LineRecordReader. Keeps at most
   * {@code maxLineBytes + 1} bytes of a line; the rest is only counted.
   */
  static final class RangeReader implements java.io.Closeable {
    private final java.io.InputStream in;
    private final org.apache.hadoop.io.compress.Decompressor decompressor;
    private final long end;
    private final long maxLineBytes;
    private final byte[] buffer = new byte[1 << 16];
    private int filled;
    private int at;
    private long pos;
    private byte[] line = new byte[256];
    private int kept;
    private long length;
    private boolean closed;

    private RangeReader(java.io.InputStream in, org.apache.hadoop.io.compress.Decompressor decompressor,
        long start, long end, long maxLineBytes) {
      this.in = in;
      this.decompressor = decompressor;
      this.pos = start;
      this.end = end;
      this.maxLineBytes = maxLineBytes;
    }

    static RangeReader open(Split split, Configuration conf, long maxLineBytes) throws IOException {
      Path path = new Path(split.file());
      FSDataInputStream file = path.getFileSystem(conf).open(path);
      try {
        org.apache.hadoop.io.compress.CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
        RangeReader reader;
        if (codec != null) {
          if (split.start() != 0) {
            throw new IOException("cannot start reading " + split.file() + " at byte " + split.start() + ": compressed");
          }
          org.apache.hadoop.io.compress.Decompressor decompressor = org.apache.hadoop.io.compress.CodecPool.getDecompressor(codec);
          reader = new RangeReader(codec.createInputStream(file, decompressor), decompressor, 0, Long.MAX_VALUE, maxLineBytes);
        } else {
          file.seek(split.start());
          reader = new RangeReader(file, null, split.start(), split.start() + split.length(), maxLineBytes);
        }
        if (split.start() != 0) {
          reader.readLine(); // the line that started before: the range before returns it
        }
        return reader;
      } catch (IOException | RuntimeException e) {
        file.close();
        throw e;
      }
    }

    /**
     * Moves to the next line starting at or before the range's end; false when there is none.
     * The first line of a file is not a line when it is nothing but a byte order mark, as for
     * LineRecordReader.
     */
    boolean nextLine() throws IOException {
      if (closed || pos > end) {
        return false;
      }
      long lineStart = pos;
      boolean terminated = readLine();
      if (!terminated && length == 0) {
        return false; // the end of the file is not a line start
      }
      if (lineStart == 0 && !terminated && length == 3 && RecordReaders.startsWithBom(bytes(3))) {
        return false;
      }
      return true;
    }

    boolean oversized() {
      return length > maxLineBytes;
    }

    /** The first bytes of the current line, at most {@code max}. */
    byte[] bytes(int max) {
      return Arrays.copyOf(line, (int) Math.min(max, kept));
    }

    /** Reads one line from {@code pos}; true when it ended with a terminator (not the file's end). */
    private boolean readLine() throws IOException {
      kept = 0;
      length = 0;
      while (true) {
        if (at == filled && !fill()) {
          return false;
        }
        int j = at;
        while (j < filled && buffer[j] != '\n' && buffer[j] != '\r') {
          j++;
        }
        keep(at, j - at);
        pos += j - at;
        at = j;
        if (j < filled) {
          byte terminator = buffer[at++];
          pos++;
          if (terminator == '\r' && (at < filled || fill()) && buffer[at] == '\n') {
            at++;
            pos++;
          }
          return true;
        }
      }
    }

    private void keep(int from, int count) {
      length += count;
      long room = Math.min(maxLineBytes, Integer.MAX_VALUE - 17) + 1 - kept;
      int n = (int) Math.min(count, Math.max(0, room));
      if (n > 0) {
        if (kept + n > line.length) {
          line = Arrays.copyOf(line, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(kept + n, 2L * line.length)));
        }
        System.arraycopy(buffer, from, line, kept, n);
        kept += n;
      }
    }

    private boolean fill() throws IOException {
      int n = in.read(buffer, 0, buffer.length);
      while (n == 0) {
        n = in.read(buffer, 0, buffer.length);
      }
      filled = Math.max(n, 0);
      at = 0;
      return n > 0;
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      try {
        in.close();
      } finally {
        if (decompressor != null) {
          org.apache.hadoop.io.compress.CodecPool.returnDecompressor(decompressor);
        }
      }
    }
  }

  private static void closeQuietly(java.io.Closeable reader) {
    try {
      reader.close();
    } catch (IOException e) {
      // the task is over; nothing is read after this
    }
  }
}
