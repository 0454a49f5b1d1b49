package io.newslens.entities;

import static io.newslens.common.Tables.*;
import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The entity tables of some periods recomputed from stored mentions, for an appending run: the
 * same pair and trend arithmetic as {@link Entities}, on the periods that need it.
 */
public final class EntityUpdate {
  private EntityUpdate() {}

  /** Pairs of the periods of {@code mentions}; {@code periods}: period, articles, sentences. */
  public static Dataset<Row> pairs(Dataset<Row> mentions, Dataset<Row> periods, Entities.Options options) {
    return Entities.pairs(mentions, periods, options);
  }

  /**
   * Trends of the periods of {@code mentions}; {@code periods} must list every period of the
   * corpus (they number the periods the trailing window counts), and {@code mentions} must hold
   * the trailing window before each period whose trend is kept.
   */
  public static Dataset<Row> trends(Dataset<Row> mentions, Dataset<Row> periods, Entities.Options options) {
    return Entities.trends(mentions, periods, options);
  }

  /** Two entity summaries of disjoint sets of articles as one. */
  public static Dataset<Row> merge(Dataset<Row> summary, Dataset<Row> more) {
    String[] columns = {ENTITY, TYPE, DOCS, MENTIONS, FIRST_DATE, LAST_DATE, ALIASES, ALIAS_COUNTS};
    Dataset<Row> both = summary.selectExpr(columns).unionByName(more.selectExpr(columns));
    Dataset<Row> aliasCounts = Entities.aliasCountsOf(both
        .select(col(ENTITY), col(TYPE), explode(col(ALIAS_COUNTS)).as("a"))
        // Parquet reads every field back as nullable; the table's alias_counts has none, and
        // Spark casts a nullable field to a non-null one only through coalesce.
        .groupBy(col(ENTITY), col(TYPE), coalesce(col("a.alias"), lit("")).as(TEXT))
        .agg(coalesce(sum(col("a." + MENTIONS)), lit(0L)).as("n")));
    return both
        .groupBy(ENTITY, TYPE).agg(
            sum(DOCS).as(DOCS),
            sum(MENTIONS).as(MENTIONS),
            min(FIRST_DATE).as(FIRST_DATE),
            max(LAST_DATE).as(LAST_DATE),
            array_sort(array_distinct(flatten(collect_list(ALIASES)))).as(ALIASES))
        .join(aliasCounts, scala.collection.JavaConverters.asScalaBuffer(java.util.List.of(ENTITY, TYPE)).toSeq());
  }
}
