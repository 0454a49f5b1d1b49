package io.newslens.tokenize;

import static io.newslens.common.Tables.*;
import static io.newslens.tokenize.TokenCounts.*;
import static org.apache.spark.sql.functions.*;

import java.util.EnumSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** For each term, the word people see: its most frequent surface form (ties: the later word). */
public final class TermForms {
  private TermForms() {}

  /** Tokens need doc_id, tokens, terms (same length) and phrases; rows in any order. */
  public static Dataset<Row> of(Dataset<Row> tokens) {
    return from(TokenCounts.ofAnyOrder(tokens, EnumSet.of(TokenCounts.Counted.TERMS, TokenCounts.Counted.PHRASES)));
  }

  /** The table from {@link TokenCounts} with term forms, term articles, phrases and phrase articles. */
  static Dataset<Row> from(Dataset<Row> counts) {
    Column kind = col(KIND);
    Dataset<Row> stems = counts.filter(kind.equalTo(TERM_FORM)).groupBy(col(KEY).as(TERM))
        .agg(max(struct(col(COUNT), col(FORM))).getField(FORM).as(SURFACE), sum(COUNT).as(COUNT));
    Dataset<Row> stemDocs = counts.filter(kind.equalTo(TERM_DOCS)).select(col(KEY).as(TERM), col(COUNT).as(DOCS));
    Dataset<Row> phrases = counts.filter(kind.equalTo(PHRASE)).select(col(KEY).as(TERM), col(COUNT))
        .join(counts.filter(kind.equalTo(PHRASE_DOCS)).select(col(KEY).as(TERM), col(COUNT).as(DOCS)), TERM)
        .withColumn(SURFACE, col(TERM));
    return stems.join(stemDocs, TERM).select(TERM, SURFACE, COUNT, DOCS)
        .unionByName(phrases.select(TERM, SURFACE, COUNT, DOCS));
  }
}
