package io.newslens.clean;

import static io.newslens.common.Tables.*;
import static org.apache.spark.sql.functions.*;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * Boilerplate found from the data: a line that a source prints in many different stories on
 * different days ("Follow us on ...", "Reporting by ..., editing by ...") is not news.
 *
 * <p>A line is boilerplate for its source when it appears in at least {@code minDocs} different
 * stories, on at least two different dates, and is at most {@code maxChars} long. A story is an
 * article with its exact and near duplicates ({@link Deduplicate}), so the paragraphs of a story
 * that one source re-issued many times (wire updates, corrections) count once and are never its
 * boilerplate. Lines are compared case-folded with digits folded, so "Updated 10:32" matches
 * "Updated 09:15". The set of boilerplate lines goes to every task; it is capped at
 * {@link #MAX_LINES} (the most frequent first), which bounds driver memory.
 *
 * <p>Lines are counted by a 64-bit hash of (source, folded line) rather than by the string: the
 * shuffle then carries a hash, a story id and a date per line occurrence, and the set sent to
 * every task is a sorted array of longs. Distinct stories are counted exactly, by a first
 * aggregation on (line, story) that also keeps the first and last date, so no
 * {@code countDistinct}.
 */
public final class RepeatedLines {
  private RepeatedLines() {}

  static final int MAX_LINES = 200_000;

  /** The text of the key a line is compared by, when counting and when removing. */
  static String lineKey(String source, String line) {
    String folded = line.strip().toLowerCase(Locale.ROOT).replaceAll("\\d", "0").replaceAll("\\s+", " ");
    return (source == null ? "" : source) + '\u0001' + folded;
  }

  /** The 64-bit hash of {@link #lineKey}, computed without building the key. */
  static long lineHash(String source, String line) {
    long h = 0xCBF29CE484222325L;
    String s = source == null ? "" : source;
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * 0x100000001B3L;
    }
    h = (h ^ 1) * 0x100000001B3L;
    String lower = line.strip().toLowerCase(Locale.ROOT);
    boolean inSpace = false;
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      // \s in Java's regular expressions: ASCII whitespace only, as \d is ASCII digits only.
      if (c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r') {
        inSpace = true;
        continue;
      }
      if (inSpace) {
        h = (h ^ ' ') * 0x100000001B3L;
        inSpace = false;
      }
      h = (h ^ (c >= '0' && c <= '9' ? '0' : c)) * 0x100000001B3L;
    }
    return MinHashBands.mix(h);
  }

  /** The distinct hashes of the lines of one article that may count as boilerplate. */
  static long[] candidateLines(String source, String text, int maxChars) {
    if (text == null || text.isEmpty()) {
      return new long[0];
    }
    String[] lines = text.split("\n");
    long[] out = new long[lines.length];
    int n = 0;
    for (String line : lines) {
      String stripped = line.strip();
      int chars = stripped.codePointCount(0, stripped.length());
      if (chars >= 1 && chars <= maxChars) {
        out[n++] = lineHash(source, line);
      }
    }
    long[] distinct = Arrays.copyOf(out, n);
    Arrays.sort(distinct);
    int m = 0;
    for (int i = 0; i < distinct.length; i++) {
      if (i == 0 || distinct[i] != distinct[i - 1]) {
        distinct[m++] = distinct[i];
      }
    }
    return Arrays.copyOf(distinct, m);
  }

  /**
   * The (source, line) hashes that are boilerplate, sorted. {@code lineSets} has one row per
   * article: its story (the doc_id its duplicates lead to), its date, and the distinct
   * {@link #candidateLines} of its text in column {@code lines}.
   */
  public static long[] find(Dataset<Row> lineSets, int minDocs) {
    List<Long> keys = lineSets
        .select(col("story"), col(DATE), explode(col("lines")).as("key"))
        .groupBy(col("key"), col("story"))
        .agg(min(col(DATE)).as("first"), max(col(DATE)).as("last"))
        .groupBy(col("key"))
        .agg(count(lit(1)).as("docs"), min(col("first")).as("first"), max(col("last")).as("last"))
        .filter(col("docs").geq(minDocs).and(col("first").lt(col("last"))))
        .orderBy(col("docs").desc(), col("key"))
        .limit(MAX_LINES)
        .select("key")
        .as(Encoders.LONG())
        .collectAsList();
    return keys.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  /** Removes the boilerplate lines of {@code source} from {@code text}. */
  public static final class Remover implements Serializable {
    private static final long serialVersionUID = 1L;
    private final long[] boilerplate;

    public Remover(long[] sortedBoilerplate) {
      this.boilerplate = sortedBoilerplate;
    }

    public String remove(String source, String text) {
      if (text == null || boilerplate.length == 0) {
        return text;
      }
      StringBuilder out = new StringBuilder(text.length());
      boolean removed = false;
      for (String line : text.split("\n", -1)) {
        if (line.isBlank() || Arrays.binarySearch(boilerplate, lineHash(source, line)) < 0) {
          out.append(line).append('\n');
        } else {
          removed = true;
        }
      }
      return removed || text.contains("\n\n\n") ? out.toString().replaceAll("\n{3,}", "\n\n").strip() : text.strip();
    }
  }
}
