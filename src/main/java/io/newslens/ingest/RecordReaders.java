package io.newslens.ingest;

import static org.apache.spark.sql.functions.*;
import static org.apache.spark.sql.types.DataTypes.*;

import io.newslens.ingest.InputSources.Source;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads each input format into one shape, {@link #RAW_SCHEMA}: where the record came from, its
 * raw text for the rejects table, whether it parsed, and the article fields as strings.
 * Validation happens afterwards in {@link Ingest}, the same way for every format.
 */
public final class RecordReaders {
  private RecordReaders() {}

  public static final String ORDINAL = "ordinal";
  public static final String VALID_UTF8 = "valid_utf8";
  public static final String MALFORMED = "malformed";
  /** Too large to read: rejected as oversized from its size alone. */
  public static final String OVERSIZED = "oversized";
  public static final String CORRUPT = "_corrupt_record";
  /** The article fields every reader fills, named as in the output tables. */
  public static final List<String> FIELDS = List.of("id", "date", "title", "text", "source", "url");

  public static final StructType RAW_SCHEMA = createStructType(List.of(
      createStructField("input", StringType, false),
      createStructField("record", StringType, false),
      createStructField(ORDINAL, LongType, false),
      createStructField("raw", StringType, true),
      createStructField(VALID_UTF8, BooleanType, false),
      createStructField(MALFORMED, BooleanType, false),
      createStructField(OVERSIZED, BooleanType, false),
      createStructField("id", StringType, true),
      createStructField("date", StringType, true),
      createStructField("title", StringType, true),
      createStructField("text", StringType, true),
      createStructField("source", StringType, true),
      createStructField("url", StringType, true)));

  /** Column names that commonly hold each field, tried in order; --map replaces a field's list. */
  public static Map<String, List<String>> defaultAliases() {
    Map<String, List<String>> aliases = new HashMap<>();
    aliases.put("id", List.of("id", "doc_id", "article_id", "uuid"));
    aliases.put("date", List.of("date", "published", "publish_date", "published_at", "pubdate", "datetime"));
    aliases.put("title", List.of("title", "headline"));
    aliases.put("text", List.of("text", "body", "content", "article"));
    aliases.put("source", List.of("source", "publisher", "outlet", "site"));
    aliases.put("url", List.of("url", "link"));
    return aliases;
  }

  /**
   * {@code maxTextBytes}: the longest text accepted. A JSON Lines line or a text file that cannot
   * hold an accepted text is not read into memory (see {@link #maxLineBytes}).
   */
  public static Dataset<Row> read(SparkSession spark, Source source, Map<String, List<String>> aliases,
      long maxTextBytes) {
    return switch (source.format()) {
      case JSONL -> readJsonLines(spark, source.paths(), aliases, maxLineBytes(maxTextBytes));
      case CSV -> readCsv(spark, source.paths(), aliases, maxTextBytes);
      case PARQUET -> readParquet(spark, source.paths(), aliases);
      case TEXT -> readTextFolder(spark, source.paths().get(0), aliases, maxTextBytes);
    };
  }

  /** Room for a record's other fields beside its text on one JSON Lines line. */
  static final long OTHER_FIELDS_BYTES = 1L << 20;
  /** JSON's escapes make a text at most this many times longer ("\u0001" for one byte). */
  static final int JSON_ESCAPE_FACTOR = 6;

  /**
   * The longest JSON Lines line read: one that holds a text of {@code maxTextBytes}, however
   * escaped, and other fields up to {@link #OTHER_FIELDS_BYTES}. A longer line is rejected as
   * oversized without being read whole; a shorter one is checked on its text.
   */
  static long maxLineBytes(long maxTextBytes) {
    long limit = Integer.MAX_VALUE - 1024L;
    return maxTextBytes >= (limit - OTHER_FIELDS_BYTES) / JSON_ESCAPE_FACTOR ? limit
        : JSON_ESCAPE_FACTOR * Math.max(0, maxTextBytes) + OTHER_FIELDS_BYTES;
  }

  // ---- JSON Lines -------------------------------------------------------------------------

  /**
   * Lines with their file and 1-based line number, read in byte ranges by all cores with exact
   * line numbers ({@link LineSplits}); the bytes are checked as strict UTF-8 before they become a
   * String. Blank lines are not records and are skipped.
   */
  static Dataset<Row> readLines(SparkSession spark, List<String> paths, long maxLineBytes) {
    return LineSplits.read(spark, paths, maxLineBytes);
  }

  static boolean startsWithBom(byte[] b) {
    return b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF;
  }

  static Optional<String> decodeStrict(byte[] bytes, int offset) {
    try {
      return Optional.of(StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset)).toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  static Dataset<Row> readJsonLines(SparkSession spark, List<String> paths, Map<String, List<String>> aliases,
      long maxLineBytes) {
    List<StructField> jsonFields = new ArrayList<>();
    aliases.values().stream().flatMap(List::stream).distinct().sorted()
        .forEach(name -> jsonFields.add(createStructField(name, StringType, true)));
    jsonFields.add(createStructField(CORRUPT, StringType, true));
    Map<String, String> options = Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", CORRUPT);
    Dataset<Row> parsed = readLines(spark, paths, maxLineBytes)
        .withColumn("json", when(not(col(OVERSIZED)), from_json(col("raw"), createStructType(jsonFields), options)));
    Column malformed = col("json").isNull().or(col("json." + CORRUPT).isNotNull());
    return toRaw(parsed, concat(col("input"), lit(":"), col(ORDINAL)), col(VALID_UTF8), malformed, col(OVERSIZED), aliases,
        name -> col("json." + name), jsonFields.stream().map(StructField::name).toList());
  }

  // ---- CSV and Parquet --------------------------------------------------------------------

  /**
   * Records are split by {@link CsvRecords} (one task per file, streamed), so that a quote
   * opened and never closed costs only its own record, rejected as malformed_record, and Spark's
   * CSV parser ({@code from_csv}) parses each record. The header is the first file's, as with
   * Spark's reader; each file's own header row is skipped.
   */
  static Dataset<Row> readCsv(SparkSession spark, List<String> paths, Map<String, List<String>> aliases,
      long maxTextBytes) {
    String[] files = paths.toArray(String[]::new);
    Map<String, String> options = Map.of("escape", "\"", "mode", "PERMISSIVE", "columnNameOfCorruptRecord", CORRUPT);
    List<StructField> fields = new ArrayList<>();
    for (String name : spark.read().option("header", "true").options(options).csv(files).columns()) {
      fields.add(createStructField(name, StringType, true));
    }
    fields.add(createStructField(CORRUPT, StringType, true));
    long maxChars = maxLineBytes(maxTextBytes);
    org.apache.spark.api.java.JavaSparkContext jsc =
        org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
    org.apache.spark.broadcast.Broadcast<org.apache.spark.util.SerializableConfiguration> conf =
        jsc.broadcast(new org.apache.spark.util.SerializableConfiguration(spark.sparkContext().hadoopConfiguration()));
    org.apache.spark.api.java.JavaRDD<Row> records = jsc.parallelize(paths, Math.max(1, paths.size()))
        .flatMap(path -> csvRecords(path, conf.value().value(), maxChars));
    StructType recordSchema = createStructType(List.of(
        createStructField("input", StringType, false),
        createStructField(ORDINAL, LongType, false),
        createStructField("csv", StringType, false),
        createStructField("broken", BooleanType, false)));
    Dataset<Row> rows = spark.createDataFrame(records, recordSchema)
        .withColumn("parsed", from_csv(col("csv"), lit(createStructType(fields).toDDL()), options))
        .select(col("input"), col(ORDINAL), col("broken"), col("csv"), col("parsed.*"));
    Dataset<Row> marked = rows.withColumn(CORRUPT, when(col("broken"), col("csv")).otherwise(col(CORRUPT)));
    // CSV rows carry no line number in Spark; the id (or the ordinal) identifies the record.
    return tabular(marked, aliases, col(CORRUPT).isNotNull(), fields.stream().map(StructField::name).toList());
  }

  /** The records of one CSV file after its header, with their line as ordinal. */
  private static java.util.Iterator<Row> csvRecords(String path, org.apache.hadoop.conf.Configuration conf,
      long maxChars) throws java.io.IOException {
    Path file = new Path(path);
    FileSystem fs = file.getFileSystem(conf);
    String input = fs.makeQualified(file).toUri().toString();
    java.io.BufferedReader in = new java.io.BufferedReader(
        new java.io.InputStreamReader(fs.open(file), StandardCharsets.UTF_8), 1 << 16);
    java.util.Iterator<CsvRecords.Record> split = CsvRecords.split(in, maxChars);
    if (split.hasNext()) {
      split.next(); // the header
    }
    return new java.util.Iterator<>() {
      private boolean done;

      @Override
      public boolean hasNext() {
        if (done) {
          return false; // Spark may ask again after the end: the stream is closed by then
        }
        boolean more = split.hasNext();
        if (!more) {
          done = true;
          try {
            in.close();
          } catch (java.io.IOException ignored) {
            // read to the end already
          }
        }
        return more;
      }

      @Override
      public Row next() {
        CsvRecords.Record record = split.next();
        return org.apache.spark.sql.RowFactory.create(input, record.line(), record.text(), record.broken());
      }
    };
  }

  static Dataset<Row> readParquet(SparkSession spark, List<String> paths, Map<String, List<String>> aliases) {
    Dataset<Row> rows = spark.read().parquet(paths.toArray(String[]::new))
        .withColumn("input", input_file_name())
        .withColumn(ORDINAL, monotonically_increasing_id());
    return tabular(rows, aliases, lit(false), Arrays.asList(rows.columns()));
  }

  private static Dataset<Row> tabular(Dataset<Row> rows, Map<String, List<String>> aliases,
      Column malformed, List<String> columns) {
    Column asJson = to_json(struct(columns.stream().filter(c -> !c.equals(CORRUPT))
        .map(c -> col("`" + c + "`")).toArray(Column[]::new)));
    Dataset<Row> withRaw = rows.withColumn("raw", columns.contains(CORRUPT) ? coalesce(col(CORRUPT), asJson) : asJson);
    Column idOrOrdinal = coalesce(firstPresent(aliases.get("id"), columns, c -> col("`" + c + "`").cast("string")),
        concat(lit("#"), col(ORDINAL)));
    Column text = firstPresent(aliases.get("text"), columns, c -> col("`" + c + "`").cast("string"));
    // Spark already decoded these strings, replacing broken bytes with U+FFFD: that is the trace left.
    Column validUtf8 = text == null ? lit(true) : not(coalesce(instr(text, "\uFFFD").gt(0), lit(false)));
    return toRaw(withRaw, concat(col("input"), lit(":id="), idOrOrdinal), validUtf8, malformed, lit(false), aliases,
        name -> col("`" + name + "`").cast("string"), columns);
  }

  // ---- folder of .txt files with a sidecar ------------------------------------------------

  /**
   * A file longer than {@code maxTextBytes} (and a byte order mark) is rejected from its size:
   * the filter on {@code length} reaches Spark's binaryFile source, which then does not read
   * the file's content.
   */
  static Dataset<Row> readTextFolder(SparkSession spark, String folder, Map<String, List<String>> aliases,
      long maxTextBytes) {
    UserDefinedFunction strictUtf8 = udf(
        (byte[] bytes) -> decodeStrict(bytes, startsWithBom(bytes) ? 3 : 0).orElse(null), StringType);
    Dataset<Row> listing = spark.read().format("binaryFile").option("pathGlobFilter", "*.txt").load(folder);
    Column fits = col("length").leq(maxTextBytes + 3);
    Dataset<Row> read = listing.filter(fits)
        .select(col("path").as("input"), element_at(split(col("path"), "/"), -1).as("file"),
            col("content"))
        .withColumn("body", strictUtf8.apply(col("content")))
        .withColumn(VALID_UTF8, col("body").isNotNull())
        .withColumn("body", coalesce(col("body"), decode(col("content"), "UTF-8")))
        .withColumn(OVERSIZED, lit(false))
        .drop("content");
    Dataset<Row> tooLong = listing.filter(not(fits))
        .select(col("path").as("input"), element_at(split(col("path"), "/"), -1).as("file"),
            lit(null).cast("string").as("body"), lit(true).as(VALID_UTF8), lit(true).as(OVERSIZED),
            col("length"));
    Dataset<Row> files = read.withColumn("length", lit(null).cast("long")).unionByName(tooLong);

    Dataset<Row> sidecar = readSidecar(spark, folder, aliases);
    Dataset<Row> joined = sidecar == null
        ? files.withColumn("in_sidecar", lit(false))
        : files.join(sidecar, files.col("file").equalTo(sidecar.col("sidecar_file")), "full_outer")
            .withColumn("in_sidecar", col("sidecar_file").isNotNull())
            .withColumn(VALID_UTF8, coalesce(col(VALID_UTF8), lit(true)))
            .withColumn(OVERSIZED, coalesce(col(OVERSIZED), lit(false)))
            .withColumn("input", coalesce(col("input"), concat(lit(folder + "/"), col("sidecar_file"))))
            .withColumn("file", coalesce(col("file"), col("sidecar_file")));
    Column stem = regexp_replace(col("file"), "(?i)\\.txt$", "");
    Column title = sidecar == null ? lit(null).cast("string") : col("sidecar_title");
    return joined.select(
        col("input"),
        col("file").as("record"),
        lit(0L).as(ORDINAL),
        coalesce(substring(col("body"), 1, 1000),
            when(col(OVERSIZED), concat(lit("not read: "), col("length").cast("string"), lit(" bytes"))),
            concat(lit("listed in the sidecar, but no such file: "), col("file"))).as("raw"),
        col(VALID_UTF8),
        lit(false).as(MALFORMED),
        col(OVERSIZED),
        sidecarOr(sidecar, "id", stem).as("id"),
        sidecarOr(sidecar, "date", lit(null).cast("string")).as("date"),
        title.as("title"),
        col("body").as("text"),
        sidecarOr(sidecar, "source", lit(null).cast("string")).as("source"),
        sidecarOr(sidecar, "url", lit(null).cast("string")).as("url"));
  }

  private static Column sidecarOr(Dataset<Row> sidecar, String field, Column fallback) {
    return sidecar == null ? fallback : coalesce(col("sidecar_" + field), fallback);
  }

  /** metadata.jsonl or metadata.csv beside the text files: one row per file name. */
  private static Dataset<Row> readSidecar(SparkSession spark, String folder, Map<String, List<String>> aliases) {
    try {
      Path dir = new Path(folder);
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.isFile(dir)) {
        dir = dir.getParent();
      }
      Dataset<Row> meta = null;
      if (fs.exists(new Path(dir, "metadata.jsonl"))) {
        meta = spark.read().json(new Path(dir, "metadata.jsonl").toString());
      } else if (fs.exists(new Path(dir, "metadata.csv"))) {
        meta = spark.read().option("header", "true").csv(new Path(dir, "metadata.csv").toString());
      }
      if (meta == null) {
        return null;
      }
      List<String> columns = Arrays.asList(meta.columns());
      Column file = firstPresent(List.of("file", "filename", "path", "name"), columns, c -> col(c).cast("string"));
      if (file == null) {
        throw new IllegalArgumentException("sidecar in " + dir + " needs a 'file' column naming each .txt file");
      }
      List<Column> select = new ArrayList<>();
      select.add(element_at(split(file, "/"), -1).as("sidecar_file"));
      for (String field : List.of("id", "date", "title", "source", "url")) {
        Column value = firstPresent(aliases.get(field), columns, c -> col(c).cast("string"));
        select.add((value == null ? lit(null).cast("string") : value).as("sidecar_" + field));
      }
      return meta.select(select.toArray(Column[]::new));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // ---- shared -----------------------------------------------------------------------------

  private static Column firstPresent(List<String> candidates, List<String> columns,
      java.util.function.Function<String, Column> column) {
    List<Column> present = new ArrayList<>();
    for (String candidate : candidates) {
      columns.stream().filter(c -> c.toLowerCase(Locale.ROOT).equals(candidate.toLowerCase(Locale.ROOT)))
          .findFirst().ifPresent(c -> present.add(column.apply(c)));
    }
    if (present.isEmpty()) {
      return null;
    }
    return present.size() == 1 ? present.get(0) : coalesce(present.toArray(Column[]::new));
  }

  private static Dataset<Row> toRaw(Dataset<Row> rows, Column record, Column validUtf8, Column malformed,
      Column oversized, Map<String, List<String>> aliases, java.util.function.Function<String, Column> field,
      List<String> columns) {
    List<Column> select = new ArrayList<>(List.of(
        col("input"), record.as("record"), col(ORDINAL), substring(col("raw"), 1, 1000).as("raw"),
        validUtf8.as(VALID_UTF8),
        malformed.as(MALFORMED),
        oversized.as(OVERSIZED)));
    for (String name : FIELDS) {
      Column value = firstPresent(aliases.get(name), columns, field);
      select.add((value == null ? lit(null).cast("string") : value).as(name));
    }
    return rows.select(select.toArray(Column[]::new));
  }
}
