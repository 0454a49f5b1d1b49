package io.newslens.entities;


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
    return Entities.trends(Entities.perPeriod(mentions), periods, options);
  }
}
