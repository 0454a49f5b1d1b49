package io.newslens.tokenize;

import static io.newslens.common.Tables.*;
import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** For each term, the word people see: its most frequent surface form (ties: the later word). */
public final class TermForms {
  private TermForms() {}

  /** Tokens need doc_id, tokens, terms (same length) and phrases. */
  public static Dataset<Row> of(Dataset<Row> tokens) {
    Dataset<Row> words = tokens
        .select(col(DOC_ID), explode(arrays_zip(col(TOKENS), col(TERMS))).as("z"))
        .select(col(DOC_ID), col("z." + TERMS).as(TERM), col("z." + TOKENS).as(SURFACE));
    Dataset<Row> stems = words.groupBy(TERM, SURFACE).agg(count(lit(1)).as("n"))
        .groupBy(TERM)
        .agg(max(struct(col("n"), col(SURFACE))).getField(SURFACE).as(SURFACE),
            sum("n").as(COUNT));
    Dataset<Row> stemDocs = words.select(DOC_ID, TERM).distinct().groupBy(TERM).agg(count(lit(1)).as(DOCS));
    Dataset<Row> phrases = tokens.select(col(DOC_ID), explode(col(PHRASES)).as(TERM))
        .groupBy(TERM).agg(count(lit(1)).as(COUNT), countDistinct(DOC_ID).as(DOCS))
        .withColumn(SURFACE, col(TERM));
    return stems.join(stemDocs, TERM).select(TERM, SURFACE, COUNT, DOCS)
        .unionByName(phrases.select(TERM, SURFACE, COUNT, DOCS));
  }
}
