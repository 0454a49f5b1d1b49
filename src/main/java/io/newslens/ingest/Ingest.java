package io.newslens.ingest;

import static io.newslens.common.Tables.*;
import static org.apache.spark.sql.functions.*;

import io.newslens.ingest.InputSources.Discovery;
import io.newslens.ingest.InputSources.Source;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * Stage 1: raw records in, {@code ingested} articles and {@code rejects} out.
 *
 * <p>Every input record ends in exactly one of the two tables. A record is rejected, first
 * matching reason wins, for: {@code invalid_utf8}, {@code malformed_record}, {@code missing_text},
 * {@code oversized}, {@code missing_date}, {@code unparseable_date}, {@code duplicate_id} (the
 * first occurrence in file and line order is kept). A record too large to read (a JSON Lines
 * line or a text file that cannot hold a text of {@code maxTextBytes}) is {@code oversized}
 * before anything else, since nothing else of it is known.
 */
public final class Ingest {
  private Ingest() {}

  public static final List<String> REASONS = List.of("invalid_utf8", "malformed_record", "missing_text",
      "oversized", "missing_date", "unparseable_date", "duplicate_id");

  public record Options(
      List<String> inputs,
      InputFormat format,
      Map<String, String> fieldMap,
      String defaultDate,
      long maxTextBytes) {

    public Map<String, List<String>> aliases() {
      Map<String, List<String>> aliases = new HashMap<>(RecordReaders.defaultAliases());
      fieldMap.forEach((field, column) -> {
        if (!aliases.containsKey(field)) {
          throw new IllegalArgumentException("--map " + field + "=" + column + ": unknown field '" + field
              + "', fields are " + RecordReaders.FIELDS);
        }
        aliases.put(field, List.of(column));
      });
      return aliases;
    }
  }

  public record Result(Dataset<Row> articles, Dataset<Row> rejects) {}

  /** Reads every discovered source into {@link RecordReaders#RAW_SCHEMA} rows. */
  public static Dataset<Row> readRaw(SparkSession spark, Discovery discovery, Options options) {
    Dataset<Row> all = null;
    for (Source source : discovery.sources()) {
      Dataset<Row> raw = RecordReaders.read(spark, source, options.aliases(), options.maxTextBytes());
      all = all == null ? raw : all.unionByName(raw);
    }
    return all;
  }

  private static final String ISO_DATE = "^\\d{4}-\\d{2}-\\d{2}$";
  private static final String ISO_DATE_TIME =
      "^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}(:?\\d{2})?)?$";

  /**
   * The publication date as written (the date part of a date-time; no time-zone shift, because
   * the local date is the one the news was published on), or null when it is not ISO-8601.
   */
  public static Column parseDate(Column text) {
    Column trimmed = trim(text);
    Column shaped = trimmed.rlike(ISO_DATE).or(trimmed.rlike(ISO_DATE_TIME));
    return when(shaped, to_date(try_to_timestamp(substring(trimmed, 1, 10), lit("yyyy-MM-dd"))));
  }

  /** Splits raw records into articles and rejects. Pure: no IO, so tests run it on rows in memory. */
  public static Result validate(Dataset<Row> raw, Options options) {
    Column text = col(TEXT);
    Column dateText = coalesce(nullif(trim(col(DATE)), lit("")),
        options.defaultDate() == null ? lit(null).cast("string") : lit(options.defaultDate()));
    Column reason =
        when(col(RecordReaders.OVERSIZED), "oversized")
            .when(not(col(RecordReaders.VALID_UTF8)), "invalid_utf8")
            .when(col(RecordReaders.MALFORMED), "malformed_record")
            .when(text.isNull().or(trim(text).equalTo("")), "missing_text")
            .when(octet_length(text).gt(options.maxTextBytes()), "oversized")
            .when(dateText.isNull(), "missing_date")
            .when(parseDate(dateText).isNull(), "unparseable_date");
    Column contentHash = substring(sha2(coalesce(text, lit("")), 256), 1, 16);
    Dataset<Row> checked = raw
        .withColumn(REASON, reason)
        .withColumn(DOC_ID, coalesce(nullif(trim(col("id")), lit("")), contentHash))
        .withColumn("parsed_date", parseDate(dateText));

    Column firstOfId = row_number().over(Window.partitionBy(DOC_ID).orderBy(INPUT, RecordReaders.ORDINAL));
    Dataset<Row> usable = checked.filter(col(REASON).isNull())
        .withColumn(REASON, when(firstOfId.gt(1), "duplicate_id"));

    Dataset<Row> articles = usable.filter(col(REASON).isNull()).select(
        col(DOC_ID),
        col("parsed_date").as(DATE),
        coalesce(nullif(trim(col(SOURCE)), lit("")), fileStem(col(INPUT))).as(SOURCE),
        nullif(trim(col(TITLE)), lit("")).as(TITLE),
        text.as(TEXT),
        nullif(trim(col(URL)), lit("")).as(URL),
        col(INPUT),
        col(RECORD));
    Dataset<Row> rejects = checked.filter(col(REASON).isNotNull())
        .unionByName(usable.filter(col(REASON).isNotNull()))
        .select(col(INPUT), col(RECORD), col(REASON), col(RAW));
    return new Result(articles, rejects);
  }

  /** "data/europarl-sample.jsonl" gives "europarl-sample": the default source of a record. */
  static Column fileStem(Column path) {
    return regexp_extract(path, "([^/]+?)(\\.[A-Za-z0-9]+)*$", 1);
  }
}
