package io.newslens.clean;

import static io.newslens.common.Tables.*;
import static org.apache.spark.sql.functions.*;

import io.newslens.common.Partitioning;
import io.newslens.common.Period;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

/**
 * Stage 2: {@code ingested} in, {@code articles} out. Every ingested article stays in the output:
 * duplicates are flagged in {@code duplicate_of} and languages in {@code lang}; later stages
 * choose what to keep (by default: no duplicates, English).
 *
 * <ol>
 *   <li>CleanText: HTML to text, NFKC, quotes and dashes, whitespace, pattern boilerplate.
 *   <li>DropRepeatedLines: lines a source repeats across articles (see {@link RepeatedLines}).
 *   <li>DetectLanguage: OpenNLP, offline.
 *   <li>MarkDuplicates: exact and near (MinHash) duplicates.
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

  public record Result(Dataset<Row> articles, int boilerplateLines) {}

  public static Result apply(Dataset<Row> ingested, Options options) {
    TextCleaner cleaner = TextCleaner.withPatterns(options.boilerplatePatterns());
    Dataset<Row> cleaned = Partitioning.spread(ingested, DOC_ID)
        .withColumn(TEXT, udf((UDF1<String, String>) cleaner::clean, DataTypes.StringType).apply(col(TEXT)));

    Set<String> repeated = RepeatedLines.find(cleaned, options.boilerplateMinDocs(), options.boilerplateMaxChars());
    Broadcast<Set<String>> broadcast = JavaSparkContext.fromSparkContext(ingested.sparkSession().sparkContext())
        .broadcast(repeated);
    Dataset<Row> withoutRepeated = cleaned.withColumn(TEXT,
        udf(RepeatedLines.remover(broadcast), DataTypes.StringType).apply(col(SOURCE), col(TEXT)));

    Dataset<Row> withLanguage = withoutRepeated.withColumn(LANG,
        udf((UDF1<String, String>) LanguageDetector::detect, DataTypes.StringType).apply(col(TEXT)));

    Dataset<Row> articles = Deduplicate.markDuplicates(withLanguage, options.nearDuplicateThreshold())
        .withColumn(PERIOD, options.period().of(col(DATE)))
        .withColumn(N_TOKENS, size(array_remove(split(col(TEXT), "[^\\p{L}\\p{N}]+"), "")));
    return new Result(articles, repeated.size());
  }

  /** The articles later stages use: not a duplicate, and in one of {@code languages} (empty: all). */
  public static Dataset<Row> kept(Dataset<Row> articles, java.util.List<String> languages) {
    Dataset<Row> distinct = articles.filter(col(DUPLICATE_OF).isNull().and(col(N_TOKENS).gt(0)));
    return languages.isEmpty() ? distinct : distinct.filter(col(LANG).isin(languages.toArray()));
  }

}
