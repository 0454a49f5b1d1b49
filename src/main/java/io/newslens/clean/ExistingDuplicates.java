package io.newslens.clean;

import static io.newslens.common.Tables.*;
import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Duplicates of new articles among the articles an output already holds (an appending run):
 * the same exact key and the same MinHash banding with verified Jaccard similarity as
 * {@link Deduplicate}, over the union of both, keeping only pairs of one existing and one new
 * article. Both sides are fingerprinted from the cleaned text the articles table holds.
 *
 * <p>Existing articles are never re-marked: a new article that repeats an existing one points to
 * it even when the new one is dated earlier (a late-arriving original), so one copy stays kept
 * and the existing tables need no rewrite outside the new articles' periods.
 */
public final class ExistingDuplicates {
  private ExistingDuplicates() {}

  private static final String OLD = "existing";

  /**
   * {@code fresh} (new articles, with duplicate_of among themselves) with duplicate_of pointing
   * to the earliest existing article it repeats, exactly or nearly, where there is one.
   */
  public record Marked(Dataset<Row> articles, Runnable release) {}

  /** The returned rows are computed from cached fingerprints: write them, then call release. */
  public static Marked mark(Dataset<Row> existing, Dataset<Row> fresh, double threshold) {
    Dataset<Row> docs = Deduplicate.fingerprinted(existing.select(col(DOC_ID), col(DATE), col(TEXT), lit(true).as(OLD))
            .unionByName(fresh.select(col(DOC_ID), col(DATE), col(TEXT), lit(false).as(OLD))),
        MinHashBands.forThreshold(threshold))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> oldDocs = docs.filter(col(OLD)).select(col(DOC_ID).as("e"), col(DATE).as("e_date"),
        col(Deduplicate.KEY1).as("k1"), col(Deduplicate.KEY2).as("k2"));
    Dataset<Row> newDocs = docs.filter(not(col(OLD)));
    Dataset<Row> exact = newDocs.join(oldDocs, newDocs.col(Deduplicate.KEY1).equalTo(col("k1"))
            .and(newDocs.col(Deduplicate.KEY2).equalTo(col("k2"))))
        .select(col(DOC_ID).as("n"), col("e"), col("e_date"));
    List<Dataset<Row>> caches = new ArrayList<>(List.of(docs));
    Dataset<Row> pairs = Deduplicate.verified(docs, Deduplicate.candidatePairs(docs), threshold, caches);
    Dataset<Row> flags = docs.select(col(DOC_ID).as("fid"), col(OLD));
    Dataset<Row> dated = docs.select(col(DOC_ID).as("did"), col(DATE).as("d"));
    Dataset<Row> sides = pairs.join(flags.toDF("a_id", "a_old"), col("a").equalTo(col("a_id")))
        .join(flags.toDF("b_id", "b_old"), col("b").equalTo(col("b_id")))
        .filter(col("a_old").notEqual(col("b_old")))
        .join(dated, col("b").equalTo(col("did")));
    // Each pair once, as (new, existing, existing's date), whichever side is earlier.
    Dataset<Row> near = sides.select(when(col("a_old"), col("b")).otherwise(col("a")).as("n"),
        when(col("a_old"), col("a")).otherwise(col("b")).as("e"),
        when(col("a_old"), col("a_date")).otherwise(col("d")).as("e_date"));
    Column earliest = min(struct(col("e_date"), col("e"))).getField("e");
    Dataset<Row> exactOf = exact.groupBy(col("n").as("x_n")).agg(earliest.as("exact_of"));
    Dataset<Row> nearOf = near.groupBy(col("n").as("y_n")).agg(earliest.as("near_of"));
    Dataset<Row> marked = fresh
        .join(exactOf, fresh.col(DOC_ID).equalTo(col("x_n")), "left")
        .join(nearOf, fresh.col(DOC_ID).equalTo(col("y_n")), "left")
        .withColumn(DUPLICATE_OF, coalesce(col("exact_of"), col("near_of"), col(DUPLICATE_OF)))
        .drop("x_n", "exact_of", "y_n", "near_of");
    return new Marked(marked, () -> caches.forEach(Dataset::unpersist));
  }
}
