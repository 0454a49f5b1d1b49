package io.newslens.clean;

import static io.newslens.common.Tables.*;
import static org.apache.spark.sql.functions.*;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.MinHashLSH;
import org.apache.spark.ml.feature.MinHashLSHModel;
import org.apache.spark.ml.feature.NGram;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Marks exact and near duplicates with {@code duplicate_of}, the doc_id of the earliest article
 * (by date, then doc_id) it repeats; the earliest copy itself gets null.
 *
 * <p>Exact: same words in the same order, ignoring case, punctuation and spacing. Near: Jaccard
 * similarity of word 5-shingles at least {@code threshold}, estimated with MLlib's MinHashLSH
 * (then computed exactly on the candidate pairs, on hashed shingles). A near duplicate points to
 * its earliest similar article, which may itself be a duplicate of another; either way both are
 * excluded from later stages.
 */
public final class Deduplicate {
  private Deduplicate() {}

  static final int SHINGLE_WORDS = 5;
  static final int HASH_TABLES = 5;
  static final long SEED = 20071L;

  /** Adds {@code duplicate_of} to articles with columns doc_id, date, text. */
  public static Dataset<Row> markDuplicates(Dataset<Row> articles, double threshold) {
    Column order = struct(col(DATE), col(DOC_ID));
    Column contentKey = sha2(trim(regexp_replace(lower(col(TEXT)), "[^\\p{L}\\p{N}]+", " ")), 256);
    var sameContent = Window.partitionBy("content_key").orderBy(col(DATE), col(DOC_ID));
    Dataset<Row> exact = articles
        .withColumn("content_key", contentKey)
        .withColumn("exact_of", when(row_number().over(sameContent).gt(1), first(DOC_ID).over(sameContent)))
        .drop("content_key");

    Dataset<Row> nearOf = nearDuplicates(exact.filter(col("exact_of").isNull()), threshold);
    return exact.join(nearOf, exact.col(DOC_ID).equalTo(nearOf.col("near_doc")), "left")
        .withColumn(DUPLICATE_OF, coalesce(col("exact_of"), col("near_of")))
        .drop("exact_of", "near_doc", "near_of");
  }

  /** (near_doc, near_of): for each article with an earlier similar one, the earliest of them. */
  static Dataset<Row> nearDuplicates(Dataset<Row> distinct, double threshold) {
    Dataset<Row> words = distinct
        .select(col(DOC_ID), col(DATE),
            array_remove(split(lower(col(TEXT)), "[^\\p{L}\\p{N}]+"), "").as("words"));
    PipelineModel shingling = new Pipeline().setStages(new PipelineStage[] {
        new NGram().setN(SHINGLE_WORDS).setInputCol("words").setOutputCol("shingles"),
        new HashingTF().setBinary(true).setNumFeatures(1 << 22).setInputCol("shingles").setOutputCol("features")
    }).fit(words);
    Dataset<Row> shingled = shingling.transform(words).filter(size(col("shingles")).gt(0))
        .select(DOC_ID, DATE, "features");
    MinHashLSHModel lsh = new MinHashLSH().setNumHashTables(HASH_TABLES).setSeed(SEED)
        .setInputCol("features").setOutputCol("hashes").fit(shingled);
    Dataset<Row> pairs = lsh.approxSimilarityJoin(shingled, shingled, 1.0 - threshold, "distance")
        .select(
            col("datasetA." + DOC_ID).as("a"), col("datasetA." + DATE).as("a_date"),
            col("datasetB." + DOC_ID).as("b"), col("datasetB." + DATE).as("b_date"))
        .filter(struct(col("a_date").as("d"), col("a").as("id")).lt(struct(col("b_date").as("d"), col("b").as("id"))));
    return pairs.groupBy(col("b").as("near_doc"))
        .agg(min(struct(col("a_date"), col("a"))).getField("a").as("near_of"));
  }
}
