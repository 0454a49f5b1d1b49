package io.newslens.clean;

import static io.newslens.common.Tables.*;
import static org.apache.spark.sql.functions.*;

import io.newslens.common.Partitioning;
import io.newslens.common.Period;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Stage 2: {@code ingested} in, {@code articles} out. Every ingested article stays in the output:
 * duplicates are flagged in {@code duplicate_of} and languages in {@code lang}; later stages
 * choose what to keep (by default: no duplicates, English).
 *
 * <ol>
 *   <li>CleanText: HTML to text, NFKC, quotes and dashes, whitespace, pattern boilerplate.
 *   <li>DropRepeatedLines: lines a source repeats across articles (see {@link RepeatedLines}).
 *   <li>DetectLanguage: OpenNLP, offline, on the first characters of the text.
 *   <li>MarkDuplicates: exact and near (MinHash banding, verified) duplicates.
 * </ol>
 */
public final class Clean {
  private Clean() {}

  public record Options(
      Period period,
      String boilerplatePatterns,
      int boilerplateMinDocs,
      int boilerplateMaxChars,
      double nearDuplicateThreshold) {

    public static Options defaults(Period period) {
      return new Options(period, null, 3, 300, 0.8);
    }
  }

  /**
   * {@code articles} is computed from cached intermediate data; call {@link #release()} once it
   * has been written.
   */
  public record Result(Dataset<Row> articles, int boilerplateLines, Runnable cached) {
    /** Frees the cached data {@code articles} is computed from. */
    public void release() {
      cached.run();
    }
  }

  private static final StructType PREPARED = new StructType()
      .add(TEXT, DataTypes.StringType, false)
      .add(LANG, DataTypes.StringType, false)
      .add(N_TOKENS, DataTypes.IntegerType, false)
      .add(Deduplicate.KEY1, DataTypes.LongType, false)
      .add(Deduplicate.KEY2, DataTypes.LongType, false)
      .add(Deduplicate.SHINGLES, DataTypes.createArrayType(DataTypes.LongType, false), false)
      .add(Deduplicate.BANDS, DataTypes.createArrayType(DataTypes.LongType, false), false);

  /**
   * The cleaned text is cached: boilerplate counting and the final pass both read it. The final
   * pass (repeated lines out, language, words, shingles and MinHash bands) is one function per
   * article whose result is cached too, because duplicate detection and the output read it; no
   * text is cleaned, split or shingled twice.
   */
  public static Result apply(Dataset<Row> ingested, Options options) {
    TextCleaner cleaner = TextCleaner.withPatterns(options.boilerplatePatterns());
    Dataset<Row> cleaned = Partitioning.spread(ingested, DOC_ID)
        .withColumn(TEXT, udf((UDF1<String, String>) cleaner::clean, DataTypes.StringType).apply(col(TEXT)))
        .persist(StorageLevel.MEMORY_AND_DISK());

    long[] repeated = RepeatedLines.find(cleaned, options.boilerplateMinDocs(), options.boilerplateMaxChars());
    RepeatedLines.Remover remover = new RepeatedLines.Remover(repeated);
    MinHashBands banding = MinHashBands.forThreshold(options.nearDuplicateThreshold());
    UDF2<String, String, Row> prepare = (source, text) -> {
      String kept = remover.remove(source, text);
      TextFingerprint fp = TextFingerprint.of(kept);
      return RowFactory.create(kept, LanguageDetector.detect(kept), fp.words(), fp.key1(), fp.key2(),
          fp.shingles(), banding.bandHashes(fp.shingles()));
    };
    List<Column> columns = new ArrayList<>();
    for (String name : cleaned.columns()) {
      columns.add(name.equals(TEXT) ? col("prepared." + TEXT) : col(name));
    }
    for (String name : PREPARED.fieldNames()) {
      if (!name.equals(TEXT)) {
        columns.add(col("prepared." + name));
      }
    }
    Dataset<Row> prepared = cleaned
        .withColumn("prepared", udf(prepare, PREPARED).apply(col(SOURCE), col(TEXT)))
        .select(columns.toArray(Column[]::new))
        .persist(StorageLevel.MEMORY_AND_DISK());
    prepared.count();
    cleaned.unpersist();

    Dataset<Row> marks = Deduplicate.duplicateOf(prepared, options.nearDuplicateThreshold());
    Dataset<Row> articles = prepared.join(marks, prepared.col(DOC_ID).equalTo(marks.col("mark_doc")), "left")
        .drop("mark_doc", Deduplicate.KEY1, Deduplicate.KEY2, Deduplicate.SHINGLES, Deduplicate.BANDS)
        .withColumn(PERIOD, options.period().of(col(DATE)));
    return new Result(articles, repeated.length, prepared::unpersist);
  }

  /** The articles later stages use: not a duplicate, and in one of {@code languages} (empty: all). */
  public static Dataset<Row> kept(Dataset<Row> articles, java.util.List<String> languages) {
    Dataset<Row> distinct = articles.filter(col(DUPLICATE_OF).isNull().and(col(N_TOKENS).gt(0)));
    return languages.isEmpty() ? distinct : distinct.filter(col(LANG).isin(languages.toArray()));
  }

}
