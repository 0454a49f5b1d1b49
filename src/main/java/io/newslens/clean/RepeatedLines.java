package io.newslens.clean;

import static io.newslens.common.Tables.*;
import static org.apache.spark.sql.functions.*;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;

/**
 * Boilerplate found from the data: a line that a source prints in many different articles on
 * different days ("Follow us on ...", "Reporting by ..., editing by ...") is not news.
 *
 * <p>A line is boilerplate for its source when it appears in at least {@code minDocs} articles
 * with different content, on at least two different dates, and is at most {@code maxChars} long.
 * The date and length conditions keep the paragraphs of a story that one source ran several
 * times. Lines are compared case-folded with digits folded, so "Updated 10:32" matches
 * "Updated 09:15". The set of boilerplate lines goes to every task; it is capped at
 * {@link #MAX_LINES} (the most frequent first), which bounds driver memory.
 */
public final class RepeatedLines {
  private RepeatedLines() {}

  static final int MAX_LINES = 200_000;

  /** The key a line is compared by, when counting and when removing. */
  static String lineKey(String source, String line) {
    String folded = line.strip().toLowerCase(java.util.Locale.ROOT).replaceAll("\\d", "0").replaceAll("\\s+", " ");
    return (source == null ? "" : source) + '\u0001' + folded;
  }

  /** The (source, line) keys that are boilerplate in {@code articles} (columns source, date, text). */
  public static Set<String> find(Dataset<Row> articles, int minDocs, int maxChars) {
    Column line = explode(array_distinct(split(col(TEXT), "\n"))).as("line");
    Column key = udf((UDF2<String, String, String>) RepeatedLines::lineKey, DataTypes.StringType)
        .apply(col(SOURCE), col("line"));
    List<String> keys = articles
        .select(col(SOURCE), col(DATE), sha2(col(TEXT), 256).as("content"), line)
        .filter(length(trim(col("line"))).between(1, maxChars))
        .withColumn("key", key)
        .groupBy("key")
        .agg(countDistinct("content").as("docs"), countDistinct(DATE).as("dates"))
        .filter(col("docs").geq(minDocs).and(col("dates").geq(2)))
        .orderBy(col("docs").desc(), col("key"))
        .limit(MAX_LINES)
        .select("key")
        .as(Encoders.STRING())
        .collectAsList();
    return new HashSet<>(keys);
  }

  /** A column function removing the broadcast boilerplate lines from (source, text). */
  public static UDF2<String, String, String> remover(Broadcast<Set<String>> boilerplate) {
    return (source, text) -> {
      if (text == null || boilerplate.value().isEmpty()) {
        return text;
      }
      StringBuilder out = new StringBuilder(text.length());
      for (String line : text.split("\n", -1)) {
        if (line.isBlank() || !boilerplate.value().contains(lineKey(source, line))) {
          out.append(line).append('\n');
        }
      }
      return out.toString().replaceAll("\n{3,}", "\n\n").strip();
    };
  }
}
