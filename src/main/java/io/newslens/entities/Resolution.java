package io.newslens.entities;

import static io.newslens.common.Tables.*;
import static io.newslens.entities.Gazetteer.*;
import static org.apache.spark.sql.functions.*;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.LogicalRDD$;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;

/**
 * Corpus-level entity resolution: after every article has been read on its own, the mentions of
 * the whole corpus decide what one article could not. DataFrame joins and windows only (groups
 * by name key, period or document); nothing is collected on the driver but the report.
 *
 * <ol>
 *   <li>type: a name written as MISC in some articles and as a person, place or organisation in
 *       others ("Barack Obama" with and without a title) takes the most mentioned of those types;
 *   <li>variant: full names of people that differ only by a plural or possessive "s"
 *       ("Hillary Clintons") become the most mentioned spelling; a given name one edit away
 *       ("Hilary Clinton", given names of 4+ letters, same surname) joins a spelling mentioned at
 *       least {@link #VARIANT_RATIO} times as often, and only when the two share the entities
 *       around them ({@link #MIN_SHARED_CONTEXT}): "Bill" and "Hillary Clinton" are far more
 *       than one edit apart, so people who share a surname never merge;
 *   <li>handle: {@code @BarackObama}, {@code #ObamaCare} are an alias of the entity whose name,
 *       without spaces and case, they spell, when the corpus has one;
 *   <li>lone name: a single-word person ("President Obama") or a lone capitalised word the
 *       article left unresolved ({@link RuleRecognizer#PENDING}) is the full-named person who
 *       dominates that surname (or, failing that, given name) in the same period: at least
 *       {@link #DOMINANCE} of the articles naming someone with it in full. Unresolved lone words
 *       are dropped;
 *   <li>MISC that no rule explains is kept only when it recurs: in {@link #MIN_MISC_DOCS} articles,
 *       or {@link #MIN_MISC_MENTIONS} times in one (a programme or a law named throughout a
 *       speech); a headline's "Clinton Drops" or "Everything Obama" does neither.
 * </ol>
 */
final class Resolution {
  private Resolution() {}

  static final double VARIANT_RATIO = 2.0;
  static final double MIN_SHARED_CONTEXT = 0.5;
  static final int CONTEXT_SIZE = 30;
  static final double DOMINANCE = 2.0 / 3.0;
  static final int MIN_MISC_DOCS = 2;
  /** A MISC name repeated this often within one article ("American Jobs Plan") is a name too. */
  static final int MIN_MISC_MENTIONS = 3;

  static final String RULE = "rule";
  private static final String KEEP = "keep";

  /**
   * The kept mentions, resolved (same columns as the input), cached until {@link #release()};
   * and the report: {@code mentions_changed_entity} and, per rule ({@code type}, {@code variant},
   * {@code handle}, {@code lone_name}), the mentions it changed; {@code dropped_lone_words},
   * {@code dropped_misc}: mentions left out.
   */
  record Result(Dataset<Row> mentions, Map<String, Long> report) {
    void release() {
      mentions.unpersist();
    }
  }

  /** A single-word person, or a lone word the article left unresolved: what rule 4 reads. */
  private static Column isLone() {
    return col(TO_TYPE).equalTo(RuleRecognizer.PENDING).or(col(TO_TYPE).equalTo(PERSON).and(size(words(col(TO))).equalTo(1)));
  }

  private static Column words(Column entity) {
    return split(entity, " ");
  }

  /** "Clintons", "Clinton's" and "Clinton" share a key: lower case, final "s" or "'s" off. */
  static Column nameKey(Column name) {
    return lower(regexp_replace(name, "(?:['\u2019]s|s)$", ""));
  }

  private static final String TO = "to";
  private static final String TO_TYPE = "to_type";

  /**
   * The map row's new name and type where {@code newEntity}/{@code newType} are not null,
   * marking the rule that changed it (unless an earlier rule did).
   */
  private static Dataset<Row> change(Dataset<Row> map, String rule, Column newEntity, Column newType) {
    Column changed = coalesce(newEntity.notEqual(col(TO)).or(newType.notEqual(col(TO_TYPE))), lit(false));
    return map.withColumn(RULE, when(changed.and(col(RULE).isNull()), lit(rule)).otherwise(col(RULE)))
        .withColumn(TO, coalesce(newEntity, col(TO)))
        .withColumn(TO_TYPE, coalesce(newType, col(TO_TYPE)));
  }

  /**
   * Cached, and returned with a plan that starts from the cache: each step joins the map with
   * aggregates of itself, so without the cut the logical plan grows threefold per step (and its
   * text alone filled the driver's heap). The RDD keeps its lineage, so a lost cache block is
   * recomputed, unlike a local checkpoint.
   *
   * <p>The cache is filled first, so that the plan carries its measured size (and its
   * partitioning): the planner then broadcasts a map under Spark's broadcast threshold to the
   * joins with the per-article counts and with the mentions, which otherwise shuffled those for
   * a map of a few thousand rows, and keeps the shuffle joins for a corpus whose map is larger.
   */
  private static Dataset<Row> step(List<Dataset<Row>> caches, Dataset<Row> next, String... drop) {
    Dataset<Row> cached = next.drop(drop).persist(StorageLevel.MEMORY_AND_DISK());
    caches.add(cached);
    cached.count();
    // Spark's internal rows, copied as Dataset.localCheckpoint copies them: createDataFrame(rdd())
    // turned every row into a Row object and back on each read of the step.
    RDD<InternalRow> rows = cached.queryExecution().toRdd().toJavaRDD().map(InternalRow::copy).rdd();
    return Dataset.ofRows(cached.sparkSession(), LogicalRDD$.MODULE$.fromDataset(rows, cached, false));
  }

  /**
   * Mentions with doc_id, period, entity, type (and any other columns, kept) in. Rules 1-3 and 5
   * read the corpus as a whole, so they work on a map from (entity, type) to the resolved name
   * and type, built from per-article counts: a few rows per distinct name, where (period, name)
   * gives a hundred times more at 100,000 articles. Only rule 4 needs the period, and only for
   * lone names: it maps (period, entity, type) of those. The mentions are joined with the name
   * map once at the end, and the lone ones with the lone-name map. {@code perArticle}: those
   * counts, (period, doc_id, entity, type, n) with n the article's mentions of the name.
   */
  static Result resolve(Dataset<Row> mentions, Dataset<Row> perArticle) {
    String[] columns = mentions.columns();
    List<Dataset<Row>> caches = new java.util.ArrayList<>();
    Dataset<Row> docs = step(caches, perArticle.select(PERIOD, DOC_ID, ENTITY, TYPE, "n"));
    Dataset<Row> map = step(caches, docs.groupBy(ENTITY, TYPE).agg(sum("n").as("n"))
        .withColumn(TO, col(ENTITY)).withColumn(TO_TYPE, col(TYPE)).withColumn(RULE, lit(null).cast("string")));
    Column isHandle = col(TO).rlike("^[@#]");
    Column fullPerson = col(TO_TYPE).equalTo(PERSON).and(size(words(col(TO))).geq(2));

    // 1. type
    Dataset<Row> bestType = map.filter(col(TO_TYPE).isin(PERSON, LOCATION, ORGANIZATION))
        .groupBy(TO, TO_TYPE).agg(sum("n").as("total"))
        .withColumn("rank", row_number().over(Window.partitionBy(TO).orderBy(col("total").desc(), col(TO_TYPE))))
        .filter(col("rank").equalTo(1)).select(col(TO), col(TO_TYPE).as("best_type"));
    map = step(caches, change(map.join(bestType, joinKeys(TO), "left_outer"), "type", col(TO),
        when(col(TO_TYPE).equalTo(MISC), col("best_type"))), "best_type");

    // 2. variant: (a) the same name but a final "s"
    Dataset<Row> classes = map.filter(fullPerson).groupBy(TO).agg(sum("n").as("total"))
        .withColumn("fold", nameKey(col(TO)))
        // The shortest form names the class ("Clinton", not "Clintons"), then the most mentioned.
        .withColumn("canon", first(TO).over(Window.partitionBy("fold")
            .orderBy(length(col(TO)), col("total").desc(), col(TO))))
        .withColumn("class_n", sum("total").over(Window.partitionBy("fold")));
    Dataset<Row> plural = classes.filter(col("canon").notEqual(col(TO))).select(col(TO), col("canon"));
    map = step(caches, change(map.join(plural, joinKeys(TO), "left_outer"), "variant",
        when(col(TO_TYPE).equalTo(PERSON), col("canon")), col(TO_TYPE)), "canon");

    // (b) a given name one edit away, with shared context
    Dataset<Row> spelled = classes.select("canon", "class_n", "fold").distinct()
        .withColumn("given", element_at(words(col("fold")), 1))
        .withColumn("rest", regexp_replace(col("fold"), "^\\S+ ", ""));
    Dataset<Row> v = spelled.toDF("v", "v_n", "v_fold", "v_given", "rest");
    Dataset<Row> t = spelled.toDF("t", "t_n", "t_fold", "t_given", "rest");
    // A step, so that the join of the articles' names with the few candidates is planned with
    // their measured size (a broadcast under Spark's threshold).
    Dataset<Row> candidates = step(caches, v.join(t, joinKeys("rest"))
        .filter(col("v_given").notEqual(col("t_given"))
            .and(length(col("v_given")).geq(4)).and(length(col("t_given")).geq(4))
            .and(levenshtein(col("v_given"), col("t_given")).leq(1))
            .and(col("t_n").geq(col("v_n").multiply(VARIANT_RATIO))))
        .select("v", "t", "t_n"));
    // Each article's names as one set, then paired only in the articles naming a candidate: a
    // self-join of (article, name) rows shuffled every article's names three times for a few
    // hundred candidates.
    Dataset<Row> namesOfDoc = docs.join(map.select(ENTITY, TYPE, TO, TO_TYPE), joinKeys(ENTITY, TYPE))
        .filter(col(TO_TYPE).notEqual(RuleRecognizer.PENDING))
        .groupBy(DOC_ID).agg(collect_set(col(TO)).as("names"));
    Dataset<Row> involved = candidates.select(col("v").as(ENTITY)).union(candidates.select(col("t").as(ENTITY))).distinct();
    Dataset<Row> context = namesOfDoc.select(explode(col("names")).as(ENTITY), col("names"))
        .join(involved, joinKeys(ENTITY))
        .select(col(ENTITY), explode(col("names")).as("other"))
        .filter(col("other").notEqual(col(ENTITY)))
        .groupBy(ENTITY, "other").agg(count(lit(1)).as("n"))
        .withColumn("rank", row_number().over(Window.partitionBy(ENTITY).orderBy(col("n").desc(), col("other"))))
        .filter(col("rank").leq(CONTEXT_SIZE))
        .groupBy(ENTITY).agg(collect_set("other").as("context"));
    Column vContext = array_except(col("v_context"), array(col("v"), col("t")));
    Column tContext = array_except(col("t_context"), array(col("v"), col("t")));
    Column shared = size(array_intersect(vContext, tContext));
    Dataset<Row> respelled = candidates
        .join(context.toDF("v", "v_context"), joinKeys("v"))
        .join(context.toDF("t", "t_context"), joinKeys("t"))
        .filter(shared.geq(2).and(shared.geq(least(size(vContext), size(tContext)).multiply(MIN_SHARED_CONTEXT))))
        .withColumn("rank", row_number().over(Window.partitionBy("v").orderBy(col("t_n").desc(), col("t"))))
        .filter(col("rank").equalTo(1))
        .select(col("v").as(TO), col("t").as("respelled"));
    map = step(caches, change(map.join(respelled, joinKeys(TO), "left_outer"), "variant",
        when(col(TO_TYPE).equalTo(PERSON), col("respelled")), col(TO_TYPE)), "respelled");

    // 3. handle
    Column spelling = lower(regexp_replace(col(TO), "[^\\p{L}\\p{N}]", ""));
    Dataset<Row> spelledAs = map.filter(not(isHandle).and(col(TO_TYPE).notEqual(RuleRecognizer.PENDING))
            .and(size(words(col(TO))).geq(2)))
        .groupBy(TO, TO_TYPE).agg(sum("n").as("total"))
        .withColumn("spelling", spelling)
        .withColumn("rank", row_number().over(Window.partitionBy("spelling")
            .orderBy(col(TO_TYPE).equalTo(MISC), col("total").desc(), col(TO), col(TO_TYPE))))
        .filter(col("rank").equalTo(1))
        .select(col("spelling"), col(TO).as("named"), col(TO_TYPE).as("named_type"));
    map = step(caches, change(map.withColumn("spelling", when(isHandle, spelling))
        .join(spelledAs, joinKeys("spelling"), "left_outer"), "handle", col("named"), col("named_type")),
        "spelling", "named", "named_type");

    // 4. lone name: who dominates a surname (or a given name) in a period
    Dataset<Row> named = docs.join(map.filter(fullPerson).select(ENTITY, TYPE, TO), joinKeys(ENTITY, TYPE))
        .groupBy(PERIOD, TO, DOC_ID).agg(sum("n").as("n"))
        .groupBy(PERIOD, TO).agg(count(lit(1)).as("docs"), sum("n").as("n"));
    // Both keys of every full name in one aggregate, read by one join: the name's surname and
    // given name are looked up with the same key, the lone name's.
    Dataset<Row> byKey = dominant(named.select(col(PERIOD), col(TO), col("docs"), col("n"), explode(array(
            struct(lit(true).as("surname"), nameKey(element_at(words(col(TO)), -1)).as("key")),
            struct(lit(false).as("surname"), nameKey(element_at(words(col(TO)), 1)).as("key")))).as("k"))
        .select(col(PERIOD), col(TO), col("docs"), col("n"), col("k.surname"), col("k.key")))
        .groupBy(PERIOD, "key").agg(
            max(when(col("surname"), col(TO))).as("surname_of"), max(when(not(col("surname")), col(TO))).as("given_of"));
    Dataset<Row> loneNames = map.filter(isLone()).select(ENTITY, TYPE, TO, TO_TYPE, RULE);
    // The lone names' (period, name) rows are a fraction of the articles' names: filtered before
    // they are made distinct.
    Dataset<Row> withLone = docs.join(loneNames, joinKeys(ENTITY, TYPE), "left_semi")
        .select(PERIOD, ENTITY, TYPE).distinct()
        .join(loneNames, joinKeys(ENTITY, TYPE))
        .withColumn("key", nameKey(col(TO)))
        .join(byKey, joinKeys(PERIOD, "key"), "left_outer");
    Column person = coalesce(col("surname_of"), col("given_of"));
    // Only the lone names a person dominates: for the others the name map's row says the same.
    Dataset<Row> loneMap = change(withLone.filter(person.isNotNull()), "lone_name", person, lit(PERSON))
        .select(PERIOD, ENTITY, TYPE, TO, TO_TYPE, RULE);

    // 5. what is left out (lone names became people or stayed PENDING: no MISC among them)
    Dataset<Row> miscDocs = docs.join(map.filter(col(TO_TYPE).equalTo(MISC)).select(ENTITY, TYPE, TO), joinKeys(ENTITY, TYPE))
        .groupBy(TO, DOC_ID).agg(sum("n").as("n"))
        .groupBy(TO).agg(count(lit(1)).as("misc_docs"), max("n").as("misc_most"));
    Column recurs = coalesce(col("misc_docs"), lit(0L)).geq(MIN_MISC_DOCS)
        .or(coalesce(col("misc_most"), lit(0L)).geq(MIN_MISC_MENTIONS));
    // The lone-name map goes in the name map's rows, as a map from period, so that the mentions
    // are joined once, by (entity, type): a join on (period, entity, type) for the lone ones,
    // beside the join of the others, read and shuffled every mention twice.
    Dataset<Row> loneByName = loneMap.groupBy(ENTITY, TYPE).agg(map_from_entries(collect_list(
        struct(col(PERIOD), struct(col(TO), col(TO_TYPE), col(RULE))))).as("lone"));
    Dataset<Row> names = step(caches, map.join(miscDocs, joinKeys(TO), "left_outer").withColumn("recurs", recurs)
        .join(loneByName, joinKeys(ENTITY, TYPE), "left_outer")
        .select(ENTITY, TYPE, TO, TO_TYPE, RULE, "recurs", "lone"));

    Column[] out = new Column[columns.length];
    for (int i = 0; i < columns.length; i++) {
      out[i] = col(columns[i]);
    }
    // Only the kept mentions are cached (the lone words left unresolved are a third of all at
    // 100,000 articles); the report counts the per-article counts, resolved the same way.
    Dataset<Row> kept = resolved(mentions, names).filter(col(KEEP)).select(out).persist(StorageLevel.MEMORY_AND_DISK());
    kept.count();
    Map<String, Long> report = report(resolved(docs, names).groupBy(KEEP, RULE).agg(sum("n")).collectAsList());
    caches.forEach(Dataset::unpersist);
    return new Result(kept, report);
  }

  /**
   * Rows with period, entity and type in; their entity and type resolved by the name map (and
   * its lone-name map for the period), with the rule that changed them and whether they are
   * kept, out.
   */
  private static Dataset<Row> resolved(Dataset<Row> rows, Dataset<Row> names) {
    Column lone = isLone();
    Column inPeriod = element_at(col("lone"), col(PERIOD));
    Dataset<Row> resolved = rows.join(names, joinKeys(ENTITY, TYPE))
        .withColumn("lone", when(lone, inPeriod))
        .withColumn(TO, when(col("lone").isNotNull(), col("lone").getField(TO)).otherwise(col(TO)))
        .withColumn(TO_TYPE, when(col("lone").isNotNull(), col("lone").getField(TO_TYPE)).otherwise(col(TO_TYPE)))
        .withColumn(RULE, when(col("lone").isNotNull(), col("lone").getField(RULE)).otherwise(col(RULE)))
        .drop("lone");
    Column keep = not(col(TO_TYPE).equalTo(RuleRecognizer.PENDING).or(col(TO_TYPE).equalTo(MISC).and(not(col("recurs")))));
    return resolved
        .withColumn(KEEP, keep)
        .withColumn(RULE, when(col(TO_TYPE).equalTo(RuleRecognizer.PENDING), lit("lone_words"))
            .when(not(keep), lit("misc")).otherwise(col(RULE)))
        .withColumn(ENTITY, col(TO)).withColumn(TYPE, col(TO_TYPE)).drop(TO, TO_TYPE, "recurs");
  }

  /** (keep, rule, mentions) rows in; the {@link Result#report()} out. */
  private static Map<String, Long> report(List<Row> counts) {
    Map<String, Long> out = new TreeMap<>();
    long changed = 0;
    for (Row r : counts) {
      boolean kept = r.getBoolean(0);
      String rule = r.isNullAt(1) ? null : r.getString(1);
      long n = r.getLong(2);
      if (!kept) {
        out.merge("dropped_" + rule, n, Long::sum);
      } else if (rule != null) {
        out.merge("changed_by_" + rule, n, Long::sum);
        changed += n;
      }
    }
    out.put("mentions_changed_entity", changed);
    return out;
  }

  /**
   * Per (period, surname, key), surname true for surnames and false for given names: the full
   * name holding at least {@link #DOMINANCE} of the articles naming anyone with that key.
   */
  private static Dataset<Row> dominant(Dataset<Row> named) {
    return named
        .withColumn("rank", row_number().over(Window.partitionBy(PERIOD, "surname", "key")
            .orderBy(col("docs").desc(), col("n").desc(), col(TO))))
        .withColumn("all_docs", sum("docs").over(Window.partitionBy(PERIOD, "surname", "key")))
        .filter(col("rank").equalTo(1).and(col("docs").geq(col("all_docs").multiply(DOMINANCE))))
        .select(PERIOD, "surname", "key", TO);
  }
}
