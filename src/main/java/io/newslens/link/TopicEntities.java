package io.newslens.link;

import static io.newslens.common.Tables.*;
import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;

/**
 * Stage {@code link}, after topics and entities: {@code doc_topics} and {@code entity_mentions} in;
 * {@code topic_entities} and {@code entity_topics} out: which entities go with which topic, over
 * the whole corpus (period {@link #ALL}) and per period.
 *
 * <p>In each scope (the corpus, or one period) the documents are those with a topic mixture. A
 * document counts for topic t with its weight w(d,t) (doc_topics: weights of at least 0.05; the
 * rest count as 0) and for entity e when e is mentioned in it at all. So
 * <ul>
 *   <li>{@code weighted_docs} C = Σ w(d,t) over the documents mentioning e: how many of e's
 *       documents are about t, in expectation under the mixtures;
 *   <li>{@code expected_docs} E = W(t) D(e) / N: what C would be if e were mentioned regardless
 *       of topic (W(t) the topic's weight summed over the N documents, D(e) e's documents);
 *   <li>{@code npmi}: ln(C N / (W D)) / -ln(C / N), the normalised PMI of topic and entity;
 *   <li>{@code lift}, the ranking: C / E, shrunk by {@link #PRIOR_DOCS} pseudo-documents of prior:
 *       (C + 1) / (E + 1) over the corpus, which keeps an entity of one or two documents from
 *       topping a topic; (C + L) / (E + 1) in a period, L the pair's lift over the corpus. A period
 *       with one document (a yearly speech) has C = E for every entity in it, so only the prior
 *       tells its entities apart there; a period with many documents ranks by its own counts.
 * </ul>
 * Pairs seen in fewer than {@code minDocs} documents over the corpus are left out in every scope;
 * only pairs with lift above 1 are kept, then the {@code top} best per topic ({@code
 * topic_entities}) and per entity ({@code entity_topics}) of each scope.
 *
 * <p>All joins and aggregates: what reaches the driver is nothing. Weights are summed as fixed-point
 * longs so that sums, and the ranks that depend on them, do not change with how rows are
 * partitioned (a double sum depends on the order of its terms).
 */
public final class TopicEntities {
  private TopicEntities() {}

  /** The period label of the rows over the whole corpus. */
  public static final String ALL = "all";
  /** Pseudo-documents of prior in {@code lift}. */
  public static final double PRIOR_DOCS = 1.0;
  /** Fixed-point scale of summed weights. */
  private static final double SCALE = 1e9;

  public record Options(int minDocs, int top) {
    public static Options defaults() {
      return new Options(3, 20);
    }

    public Options {
      if (minDocs < 1 || top < 1) {
        throw new IllegalArgumentException("--link-min-docs and --link-top must be at least 1");
      }
    }
  }

  /** Both views rank the same scored pairs, computed once and cached until {@link #release()}. */
  public record Result(Dataset<Row> topicEntities, Dataset<Row> entityTopics, java.util.List<Dataset<Row>> cached) {
    public void release() {
      cached.forEach(Dataset::unpersist);
    }
  }

  /**
   * @param docTopics (doc_id, period, topic, weight), as in {@code doc_topics}
   * @param mentions at least (doc_id, entity, type), as in {@code entity_mentions}
   */
  public static Result apply(Dataset<Row> docTopics, Dataset<Row> mentions, Options options) {
    Dataset<Row> weights = docTopics.select(col(DOC_ID), col(PERIOD), col(TOPIC),
        round(col(WEIGHT).multiply(SCALE)).cast("long").as("w"));
    // The period of a document is that of doc_topics; documents without a mixture are not counted.
    Dataset<Row> documents = docTopics.select(DOC_ID, PERIOD).distinct();
    // Cached, as the per-period pairs below: each is read for its periods and again for the corpus,
    // and Spark ran the scan, join and aggregation once per read.
    Dataset<Row> entityDocs = mentions.select(DOC_ID, ENTITY, TYPE).distinct().join(documents, DOC_ID)
        .persist(StorageLevel.MEMORY_AND_DISK());

    // Counted per period, and over the corpus as the sum of its periods: a document is in one
    // period, so every count and weight sum adds up exactly (weights are fixed-point longs), and
    // the (document, topic, entity) rows are joined and grouped once, not once per scope.
    Dataset<Row> n = withCorpus(documents.groupBy(PERIOD).agg(count(lit(1)).as("n")));
    Dataset<Row> topicWeight = withCorpus(weights.groupBy(PERIOD, TOPIC).agg(sum("w").as("topic_w")), TOPIC);
    Dataset<Row> entityCount = withCorpus(entityDocs.groupBy(PERIOD, ENTITY, TYPE)
        .agg(count(lit(1)).as("entity_docs")), ENTITY, TYPE);
    Dataset<Row> pairsOfPeriods = entityDocs.join(weights, new String[] {DOC_ID, PERIOD}) // one row per (document, topic, entity)
        .groupBy(PERIOD, TOPIC, ENTITY, TYPE)
        .agg(count(lit(1)).as(DOCS), sum("w").as("c_w"))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> pairs = withCorpus(pairsOfPeriods, TOPIC, ENTITY, TYPE);

    Column c = col("c_w").divide(SCALE);
    Column expected = col("topic_w").divide(SCALE).multiply(col("entity_docs")).divide(col("n"));
    Column pJoint = c.divide(col("n"));
    Dataset<Row> scored = pairs
        .join(n, PERIOD).join(topicWeight, new String[] {PERIOD, TOPIC})
        .join(entityCount, new String[] {PERIOD, ENTITY, TYPE})
        .select(col(PERIOD), col(TOPIC), col(ENTITY), col(TYPE), col(DOCS), col("entity_docs"),
            c.as("weighted_docs"), expected.as("expected_docs"),
            when(pJoint.geq(1.0), lit(1.0))
                .otherwise(log(c.divide(expected)).divide(log(pJoint).multiply(-1))).as(NPMI));

    Dataset<Row> overall = scored.filter(col(PERIOD).equalTo(ALL).and(col(DOCS).geq(options.minDocs())))
        .withColumn(LIFT, col("weighted_docs").plus(PRIOR_DOCS).divide(col("expected_docs").plus(PRIOR_DOCS)));
    Dataset<Row> periods = scored.filter(col(PERIOD).notEqual(ALL))
        .join(overall.select(col(TOPIC), col(ENTITY), col(TYPE), col(LIFT).as("prior")),
            new String[] {TOPIC, ENTITY, TYPE})
        .withColumn(LIFT, col("weighted_docs").plus(col("prior").multiply(PRIOR_DOCS))
            .divide(col("expected_docs").plus(PRIOR_DOCS)))
        .drop("prior");
    // Above 1 by more than rounding: an entity in every document has C = E, computed two ways.
    Dataset<Row> kept = overall.unionByName(periods).filter(col(LIFT).gt(1.0 + 1e-9))
        .persist(StorageLevel.MEMORY_AND_DISK());

    Column best = col(LIFT).desc();
    Dataset<Row> byTopic = kept.withColumn(RANK, row_number().over(Window.partitionBy(PERIOD, TOPIC)
            .orderBy(best, col("weighted_docs").desc(), col(ENTITY), col(TYPE))))
        .filter(col(RANK).leq(options.top()));
    Dataset<Row> byEntity = kept.withColumn(RANK, row_number().over(Window.partitionBy(PERIOD, ENTITY, TYPE)
            .orderBy(best, col("weighted_docs").desc(), col(TOPIC))))
        .filter(col(RANK).leq(options.top()));
    return new Result(byTopic.select(columnsOf(TOPIC_ENTITIES)), byEntity.select(columnsOf(ENTITY_TOPICS)),
        java.util.List.of(entityDocs, pairsOfPeriods, kept));
  }

  /**
   * Per-period sums (period, the keys, then long sums) plus the same sums over all periods,
   * as period {@link #ALL}.
   */
  private static Dataset<Row> withCorpus(Dataset<Row> perPeriod, String... keys) {
    java.util.List<Column> sums = new java.util.ArrayList<>();
    for (String column : perPeriod.columns()) {
      if (!column.equals(PERIOD) && !java.util.Arrays.asList(keys).contains(column)) {
        sums.add(sum(column).as(column));
      }
    }
    Column[] keyColumns = java.util.Arrays.stream(keys).map(k -> col(k)).toArray(Column[]::new);
    Dataset<Row> corpus = perPeriod.groupBy(keyColumns)
        .agg(sums.get(0), sums.subList(1, sums.size()).toArray(Column[]::new))
        .withColumn(PERIOD, lit(ALL));
    return perPeriod.unionByName(corpus);
  }

  private static Column[] columnsOf(Table table) {
    return java.util.Arrays.stream(table.columns()).map(name -> col(name)).toArray(Column[]::new);
  }
}
