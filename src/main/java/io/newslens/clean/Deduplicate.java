package io.newslens.clean;

import static io.newslens.common.Tables.*;
import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Marks exact and near duplicates with {@code duplicate_of}, the doc_id of the earliest article
 * (by date, then doc_id) it repeats; the earliest copy itself gets null.
 *
 * <p>Exact: same words in the same order, ignoring case, punctuation and spacing (a 128-bit key
 * of the word sequence, {@link TextFingerprint}). Near: Jaccard similarity of word 5-shingles at
 * least {@code threshold}. Candidates come from MinHash banding ({@link MinHashBands}): a join on
 * (band, band hash) that carries ids and dates only; every candidate pair is then verified by the
 * exact Jaccard similarity of the two shingle sets. A near duplicate points to its earliest
 * similar article, which may itself be a duplicate of another; either way both are excluded from
 * later stages. Exact copies are folded into their earliest copy before banding: they are already
 * marked, and would only crowd the buckets.
 *
 * <p>Giant buckets: thousands of distinct texts can share a band hash (a source's near-identical
 * stubs, templated notices). Comparing all pairs in a bucket of m articles costs m squared, so
 * each article is compared with at most {@link #MAX_EARLIER_PER_BUCKET} earliest members of each
 * of its buckets (all earlier members in an ordinary bucket). The work stays linear in m; the
 * price is that, in a bucket beyond that size, a late article whose only similar articles are not
 * among the earliest members is not marked. In a bucket of near copies the earliest members are
 * the originals, which is what {@code duplicate_of} points to anyway.
 */
public final class Deduplicate {
  private Deduplicate() {}

  static final int MAX_EARLIER_PER_BUCKET = 32;

  static final String KEY1 = "fp_key1";
  static final String KEY2 = "fp_key2";
  static final String SHINGLES = "fp_shingles";
  static final String BANDS = "fp_bands";

  private static final StructType FINGERPRINT = new StructType()
      .add(KEY1, DataTypes.LongType, false)
      .add(KEY2, DataTypes.LongType, false)
      .add(BANDS, DataTypes.createArrayType(DataTypes.LongType, false), false);

  /**
   * {@code articles} (any columns, text among them) with the exact key and MinHash bands of each
   * text: what {@link #duplicateOf} reads. Clean computes the same in its own pass over the text.
   */
  static Dataset<Row> fingerprinted(Dataset<Row> articles, MinHashBands banding) {
    UDF1<String, Row> fingerprint = text -> {
      TextFingerprint fp = TextFingerprint.forBanding(text);
      return RowFactory.create(fp.key1(), fp.key2(), banding.bandHashes(fp.shingles()));
    };
    return articles.withColumn("fp", udf(fingerprint, FINGERPRINT).apply(col(TEXT))).select("*", "fp.*").drop("fp");
  }

  /**
   * (mark_doc, duplicate_of) for every article of {@code docs}, whose columns are doc_id, date,
   * text and the {@link #FINGERPRINT} fields of that text. Only ids, dates and fingerprints are
   * shuffled, never the texts. What it caches on the way is added to {@code caches}: free them
   * once the marks are computed.
   */
  static Dataset<Row> duplicateOf(Dataset<Row> docs, double threshold, List<Dataset<Row>> caches) {
    WindowSpec sameContent = Window.partitionBy(KEY1, KEY2).orderBy(col(DATE), col(DOC_ID));
    Dataset<Row> exact = docs.select(col(DOC_ID), col(DATE), col(KEY1), col(KEY2))
        .withColumn("exact_of", when(row_number().over(sameContent).gt(1), first(DOC_ID).over(sameContent)))
        .select(col(DOC_ID).as("mark_doc"), col("exact_of"));
    Dataset<Row> near = nearDuplicates(docs, threshold, caches);
    return exact.join(near, exact.col("mark_doc").equalTo(near.col("near_doc")), "left")
        .select(col("mark_doc"), coalesce(col("exact_of"), col("near_of")).as(DUPLICATE_OF));
  }

  /** Bound on the rounds of {@link #storyOf}: chains of up to 2^40 links. */
  static final int MAX_STORY_ROUNDS = 40;

  /**
   * The same rows as {@code cached} (persisted and materialised), behind a plan of one node that
   * reads its RDD. Spark prints a query's whole plan, cached parents included, for every query
   * and again at every adaptive stage; a loop that joins a cached table with itself doubles that
   * text each round. The RDD keeps its lineage, so lost blocks are still recomputed.
   */
  static Dataset<Row> withShortPlan(Dataset<Row> cached) {
    return cached.sparkSession().createDataFrame(cached.javaRDD(), cached.schema());
  }

  /** (story_doc, story) rows and the cached data behind them, to release once used. */
  record Stories(Dataset<Row> table, Runnable release) {}

  /**
   * (story_doc, story) for every duplicate in {@code marks} (mark_doc, duplicate_of): the article
   * its chain of {@code duplicate_of} ends at. A near duplicate points to its earliest similar
   * article, which may itself be a duplicate (a story updated four times: each version is similar
   * to the one before, the last no longer to the first); following the chain puts all versions in
   * one story. Articles that duplicate nothing are their own story and are not listed.
   *
   * <p>Pointer jumping: each round replaces every link by its target's link, so a chain of n
   * links takes about log2(n) rounds, over the duplicates only. Links point to strictly earlier
   * (date, doc_id), so there are no cycles. Each round is materialised, to count what moved, and
   * read through {@link #withShortPlan}, so the plan does not grow with the rounds.
   */
  static Stories storyOf(Dataset<Row> marks) {
    Dataset<Row> cached = marks.filter(col(DUPLICATE_OF).isNotNull())
        .select(col("mark_doc").as("story_doc"), col(DUPLICATE_OF).as("story"))
        .persist(StorageLevel.MEMORY_AND_DISK());
    cached.count();
    Dataset<Row> links = withShortPlan(cached);
    for (int round = 0; round < MAX_STORY_ROUNDS; round++) {
      Dataset<Row> further = links.select(col("story_doc").as("via"), col("story").as("then"));
      Dataset<Row> next = links.join(further, links.col("story").equalTo(further.col("via")), "left")
          .select(col("story_doc"), coalesce(col("then"), col("story")).as("story"), col("via").isNotNull().as("moved"))
          .persist(StorageLevel.MEMORY_AND_DISK());
      long moved = next.filter(col("moved")).count();
      cached.unpersist();
      cached = next;
      links = withShortPlan(next).drop("moved");
      if (moved == 0) {
        break;
      }
    }
    return new Stories(links, cached::unpersist);
  }

  /** (near_doc, near_of): for each article with an earlier similar one, the earliest of them. */
  static Dataset<Row> nearDuplicates(Dataset<Row> docs, double threshold, List<Dataset<Row>> caches) {
    return earliestOf(verified(docs, candidatePairs(docs), threshold, caches));
  }

  /**
   * Candidate pairs (a, a_date, b, b_date), a earlier than b, each once: articles with a band
   * hash in common. Exact copies enter once, as their earliest copy.
   */
  static Dataset<Row> candidatePairs(Dataset<Row> docs) {
    Column member = struct(col(DATE).as("date"), col(DOC_ID).as("id"));
    Dataset<Row> buckets = docs
        .select(col(DOC_ID), col(DATE), col(KEY1), col(KEY2), posexplode(col(BANDS)).as(new String[] {"band", "hash"}))
        .groupBy(col("band"), col("hash"), col(KEY1), col(KEY2))
        .agg(min(member).as("member"))
        .groupBy(col("band"), col("hash"))
        .agg(sort_array(collect_list(col("member"))).as("members"))
        .filter(size(col("members")).gt(1));
    return buckets
        .select(col("members"), posexplode(col("members")).as(new String[] {"pos", "later"}))
        .select(col("later"),
            explode(slice(col("members"), lit(1), least(col("pos"), lit(MAX_EARLIER_PER_BUCKET)))).as("earlier"))
        .select(col("earlier.id").as("a"), col("earlier.date").as("a_date"),
            col("later.id").as("b"), col("later.date").as("b_date"))
        .dropDuplicates("a", "b");
  }

  /**
   * The candidate pairs whose shingle sets have Jaccard similarity at least {@code threshold}
   * (a pair exactly at the threshold counts). Each article's shingles are computed once, and
   * looked up once per pair it is in, in one join, rather than once for each side of the pair.
   *
   * <p>The pairs are computed once, cached with a row per article they ask for (a union of one
   * select per side computed the banding twice: Spark did not reuse its shuffles across the
   * union's branches). Only the articles of some candidate pair are shingled again, from their
   * text: the ids of those few are filled first, so that Spark broadcasts them under its
   * threshold and filters the texts where they are read. Every article's set, kept from the
   * banding instead, was as large as the texts themselves in the cache. The two caches go to
   * {@code caches}.
   */
  static Dataset<Row> verified(Dataset<Row> docs, Dataset<Row> pairs, double threshold, List<Dataset<Row>> caches) {
    Dataset<Row> requests = pairs.select(explode(array(col("a"), col("b"))).as("id"), col("a"), col("a_date"), col("b"))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> candidates = requests.select(col("id").as("sid")).distinct().persist(StorageLevel.MEMORY_AND_DISK());
    caches.add(requests);
    caches.add(candidates);
    candidates.count();
    UDF1<String, long[]> shinglesOf = text -> TextFingerprint.of(text).shingles();
    Dataset<Row> shingles = docs.select(col(DOC_ID).as("sid"), col(TEXT)).join(candidates, joinKeys("sid"), "left_semi")
        .select(col("sid"), udf(shinglesOf, DataTypes.createArrayType(DataTypes.LongType, false)).apply(col(TEXT)).as(SHINGLES));
    Column first = col("sets").getItem(0);
    Column second = col("sets").getItem(1);
    Column common = size(array_intersect(first, second));
    Column jaccard = common.divide(size(first).plus(size(second)).minus(common));
    return requests.join(shingles, requests.col("id").equalTo(shingles.col("sid")))
        .groupBy(col("a"), col("a_date"), col("b"))
        .agg(collect_list(col(SHINGLES)).as("sets"))
        .filter(size(col("sets")).equalTo(2).and(jaccard.geq(threshold)))
        .select(col("a"), col("a_date"), col("b"));
  }

  static Dataset<Row> earliestOf(Dataset<Row> similarPairs) {
    return similarPairs.groupBy(col("b").as("near_doc"))
        .agg(min(struct(col("a_date"), col("a"))).getField("a").as("near_of"));
  }
}
