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
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF5;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
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
 *   <li>MarkDuplicates: exact and near (MinHash banding, verified) duplicates.
 *   <li>DropRepeatedLines: lines a source repeats across stories (see {@link RepeatedLines});
 *       after duplicates, so that a story and its re-issues count as one.
 *   <li>DetectLanguage: OpenNLP, offline, on the first characters of the text.
 * </ol>
 *
 * <p>Duplicates are found on the text before repeated lines are dropped. Two copies that differ
 * only in lines dropped later (each source's own footer) are still marked: an article is also an
 * exact duplicate of an earlier one with the same words after the drop.
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

  private static final String LINES = "lines";

  private static final StructType CLEANED = new StructType()
      .add(TEXT, DataTypes.StringType, false)
      .add(N_TOKENS, DataTypes.IntegerType, false)
      .add(Deduplicate.KEY1, DataTypes.LongType, false)
      .add(Deduplicate.KEY2, DataTypes.LongType, false)
      .add(Deduplicate.BANDS, DataTypes.createArrayType(DataTypes.LongType, false), false)
      .add(LINES, DataTypes.createArrayType(DataTypes.LongType, false), false);

  private static final StructType FINISHED = new StructType()
      .add(TEXT, DataTypes.StringType, false)
      .add(LANG, DataTypes.StringType, false)
      .add(N_TOKENS, DataTypes.IntegerType, false)
      .add(Deduplicate.KEY1, DataTypes.LongType, false)
      .add(Deduplicate.KEY2, DataTypes.LongType, false);

  /**
   * Two passes per article, each one function whose result is cached. The first cleans the text
   * and computes all duplicate detection and repeated-line counting need (words, key, MinHash
   * bands, line hashes); the second drops the repeated lines and detects the language, and
   * recomputes the word count and key (no shingles) only where lines were dropped. No text is
   * cleaned or split twice; only the candidates of near duplicates, a few percent, are shingled
   * again to verify them. Duplicate detection and line counting shuffle ids, dates and hashes,
   * never the texts.
   */
  public static Result apply(Dataset<Row> ingested, Options options) {
    TextCleaner cleaner = TextCleaner.withPatterns(options.boilerplatePatterns());
    MinHashBands banding = MinHashBands.forThreshold(options.nearDuplicateThreshold());
    int maxChars = options.boilerplateMaxChars();
    UDF2<String, String, Row> clean = (source, raw) -> {
      String text = cleaner.clean(raw);
      TextFingerprint fp = TextFingerprint.forBanding(text);
      return RowFactory.create(text, fp.words(), fp.key1(), fp.key2(), banding.bandHashes(fp.shingles()),
          RepeatedLines.candidateLines(source, text, maxChars));
    };
    Dataset<Row> cleaned = expand(Partitioning.spread(ingested, DOC_ID),
        udf(clean, CLEANED).apply(col(SOURCE), col(TEXT)), CLEANED)
        .persist(StorageLevel.MEMORY_AND_DISK());

    List<Dataset<Row>> dedupCaches = new ArrayList<>();
    Dataset<Row> cachedMarks = Deduplicate.duplicateOf(cleaned, options.nearDuplicateThreshold(), dedupCaches)
        .persist(StorageLevel.MEMORY_AND_DISK());
    cachedMarks.count();
    dedupCaches.forEach(Dataset::unpersist);
    Dataset<Row> marks = Deduplicate.withShortPlan(cachedMarks);
    Deduplicate.Stories stories = Deduplicate.storyOf(marks);
    Dataset<Row> lineSets = cleaned.join(stories.table(), cleaned.col(DOC_ID).equalTo(stories.table().col("story_doc")), "left")
        .select(coalesce(col("story"), col(DOC_ID)).as("story"), col(DATE), col(LINES));
    long[] repeated = RepeatedLines.find(lineSets, options.boilerplateMinDocs());
    stories.release().run();

    RepeatedLines.Remover remover = new RepeatedLines.Remover(repeated);
    UDF5<String, String, Integer, Long, Long, Row> finish = (source, text, words, key1, key2) -> {
      String kept = remover.remove(source, text);
      // Dropping lines only shortens a text: the same length is the same text.
      TextFingerprint fp = kept.length() == text.length() ? null : TextFingerprint.keyOf(kept);
      return RowFactory.create(kept, LanguageDetector.detect(kept), fp == null ? words : fp.words(),
          fp == null ? key1 : fp.key1(), fp == null ? key2 : fp.key2());
    };
    Dataset<Row> finished = expand(cleaned.drop(Deduplicate.BANDS, LINES),
        udf(finish, FINISHED).apply(col(SOURCE), col(TEXT), col(N_TOKENS), col(Deduplicate.KEY1), col(Deduplicate.KEY2)),
        FINISHED)
        .persist(StorageLevel.MEMORY_AND_DISK());
    finished.count();
    cleaned.unpersist();

    WindowSpec sameWords = Window.partitionBy(Deduplicate.KEY1, Deduplicate.KEY2).orderBy(col(DATE), col(DOC_ID));
    Dataset<Row> exactAfter = finished.select(col(DOC_ID).as("after_doc"),
        when(row_number().over(sameWords).gt(1), first(DOC_ID).over(sameWords)).as("after_of"));
    // Only the duplicates, a few percent of the articles, filled before the join is planned: Spark
    // then broadcasts them under its threshold, and the texts are not shuffled to meet their marks.
    Dataset<Row> duplicates = marks.join(exactAfter, marks.col("mark_doc").equalTo(exactAfter.col("after_doc")))
        .select(col("mark_doc"), coalesce(col("after_of"), col(DUPLICATE_OF)).as(DUPLICATE_OF))
        .filter(col(DUPLICATE_OF).isNotNull())
        .persist(StorageLevel.MEMORY_AND_DISK());
    duplicates.count();
    Dataset<Row> articles = finished.join(duplicates, finished.col(DOC_ID).equalTo(duplicates.col("mark_doc")), "left")
        .drop("mark_doc", Deduplicate.KEY1, Deduplicate.KEY2)
        .withColumn(PERIOD, options.period().of(col(DATE)));
    return new Result(articles, repeated.length, () -> {
      finished.unpersist();
      cachedMarks.unpersist();
      duplicates.unpersist();
    });
  }

  /** {@code data} with the fields of {@code struct} (a UDF's result) in place of or after its columns. */
  private static Dataset<Row> expand(Dataset<Row> data, Column struct, StructType fields) {
    List<Column> columns = new ArrayList<>();
    for (String name : data.columns()) {
      columns.add(fields.getFieldIndex(name).isDefined() ? col("computed." + name) : col(name));
    }
    for (String name : fields.fieldNames()) {
      if (!List.of(data.columns()).contains(name)) {
        columns.add(col("computed." + name));
      }
    }
    return data.withColumn("computed", struct).select(columns.toArray(Column[]::new));
  }

  /** The articles later stages use: not a duplicate, and in one of {@code languages} (empty: all). */
  public static Dataset<Row> kept(Dataset<Row> articles, java.util.List<String> languages) {
    Dataset<Row> distinct = articles.filter(col(DUPLICATE_OF).isNull().and(col(N_TOKENS).gt(0)));
    return languages.isEmpty() ? distinct : distinct.filter(col(LANG).isin(languages.toArray()));
  }

}
