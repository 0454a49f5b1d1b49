package io.newslens.cli;

import static io.newslens.common.Tables.*;
import static org.apache.spark.sql.functions.*;

import io.newslens.clean.Clean;
import io.newslens.clean.ExistingDuplicates;
import io.newslens.common.Manifest;
import io.newslens.common.StageReport;
import io.newslens.common.TableStore;
import io.newslens.common.Tables.Table;
import io.newslens.entities.Entities;
import io.newslens.entities.EntityUpdate;
import io.newslens.ingest.Ingest;
import io.newslens.ingest.InputSources;
import io.newslens.tokenize.TermForms;
import io.newslens.tokenize.Tokenize;
import io.newslens.topics.GibbsLDAModel;
import io.newslens.topics.Topics;
import io.newslens.topics.Vocabulary;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code run --append}: adds new input to an output a run made, without redoing the old input.
 *
 * <ol>
 *   <li>Reads only input files not in the manifest's {@code input_files} (same path, bytes and
 *       modification time), or with {@code --since}, every input's records dated on or after it.
 *       A record whose id the output already holds from the same record (file and line) is
 *       skipped, so reading the same input again adds nothing; the same id from another record
 *       is a {@code duplicate_id} reject, as in one run over both.
 *   <li>Cleans the new records, and marks duplicates among them and against the articles the
 *       output holds ({@link ExistingDuplicates}).
 *   <li>Tokenizes the new kept articles with the output's phrases (the way the topic model's
 *       documents were tokenized); term_forms is recounted over all tokens.
 *   <li>Topic mixtures: the saved model folds in every document of the touched periods
 *       ({@link TopicModel#score}); doc_topics and topic_trends of those periods are rewritten,
 *       the model and topic_terms stay. {@code --retrain} (or no saved model) refits on all.
 *   <li>Entities: the names of every kept article recognised and resolved together again, as one
 *       run does ({@link io.newslens.entities.Entities}: a name's type and spelling, and whether a
 *       MISC name recurs, depend on the whole corpus). Mentions are rewritten for the touched
 *       periods and for any other period whose resolved mentions changed; pairs for those
 *       periods (all periods when the automatic minimum pair count changes with the corpus
 *       size); trends for those periods and the --trend-window periods after each, whose
 *       z-scores look back at them; the entities table whole. This is the one step of an append
 *       that reads every article again.
 * </ol>
 *
 * <p>Everything is staged in one {@link TableStore.Batch} (only partitions of the touched
 * periods, and of the periods whose entities changed, are written; the others are not copied)
 * together with the new manifest, and committed at the end: a failed or killed append leaves
 * the output as it was.
 *
 * <p>What differs from one run over all the input: lines a source repeats are found among the
 * new articles only (not together with the old ones), phrases are not detected again, and an
 * existing article is never re-marked as a duplicate of a new one dated earlier.
 */
final class Append {
  private final SparkSession spark;
  private final TableStore store;
  private final Manifest manifest;

  private final java.util.function.Consumer<StageReport> record;

  /** @param record finishes the stage's report and records it in the manifest (before the commit) */
  Append(SparkSession spark, TableStore store, Manifest manifest, java.util.function.Consumer<StageReport> record) {
    this.spark = spark;
    this.store = store;
    this.manifest = manifest;
    this.record = record;
  }

  record Request(Options.IngestOptions ingest, Options.CleanOptions clean, Options.TokenizeOptions tokenize,
      Options.EntitiesOptions entities, LocalDate since, boolean retrain) {}

  /** What the append did; {@code refit}: the topics stage must run on everything after the commit. */
  record Outcome(StageReport report, boolean refit) {}

  Outcome run(StageReport report, Request request) {
    Ingest.Options ingestOptions = request.ingest().toStageOptions();
    var conf = spark.sparkContext().hadoopConfiguration();
    InputSources.Discovery discovery = InputSources.discover(ingestOptions.inputs(), ingestOptions.format(), conf);
    Set<String> seen = manifest.inputFileKeys();
    List<Map<String, Object>> newFiles = new ArrayList<>();
    List<InputSources.Source> sources = new ArrayList<>();
    for (InputSources.Source source : discovery.sources()) {
      List<String> paths = new ArrayList<>();
      for (String path : source.paths()) {
        List<Map<String, Object>> files = Manifest.listFiles(List.of(path), conf);
        List<Map<String, Object>> unseen = files.stream().filter(f -> !seen.contains(Manifest.fileKey(f))).toList();
        if (request.since() != null || !unseen.isEmpty()) {
          paths.add(path);
          newFiles.addAll(unseen);
        }
      }
      if (!paths.isEmpty()) {
        sources.add(new InputSources.Source(source.format(), paths));
      }
    }
    report.put("since", request.since() == null ? null : request.since().toString())
        .put("inputs_read", sources.stream().flatMap(s -> s.paths().stream()).toList());
    if (sources.isEmpty()) {
      report.put("articles", 0L).skip("no new input: every input file was read by an earlier run");
      return new Outcome(report, false);
    }
    checkPeriod(request.clean().toStageOptions().period());

    TableStore.Batch batch = store.batch();
    // Restored if the append fails: the manifest saved at the end must not list unread input.
    Object filesBefore = manifest.asMap().get("input_files");
    Object appendsBefore = manifest.asMap().get("appends") instanceof List<?> list ? new ArrayList<>(list) : null;
    try {
      Outcome outcome = stage(batch, report, request, new InputSources.Discovery(sources, discovery.ignored()), ingestOptions);
      manifest.addInputFiles(newFiles);
      record.accept(outcome.report());
      batch.putFile(Manifest.FILE, manifest.toJson());
      batch.commit();
      return outcome;
    } catch (Throwable e) { // Spark's AnalysisException is a checked exception, thrown unchecked from Scala
      batch.abandon();
      restore("input_files", filesBefore);
      restore("appends", appendsBefore);
      throw e;
    }
  }

  private Outcome stage(TableStore.Batch batch, StageReport report, Request request, InputSources.Discovery discovery,
      Ingest.Options ingestOptions) {
    // ---- ingest: new records only
    Dataset<Row> raw = Ingest.readRaw(spark, discovery, ingestOptions).persist(StorageLevel.MEMORY_AND_DISK());
    Ingest.Result validated = Ingest.validate(raw, ingestOptions);
    Dataset<Row> candidates = validated.articles();
    if (request.since() != null) {
      candidates = candidates.filter(col(DATE).geq(lit(java.sql.Date.valueOf(request.since()))));
    }
    Dataset<Row> known = store.read(INGESTED).select(col(DOC_ID).as("known_id"), col(RECORD).as("known_record"));
    Dataset<Row> matched = batch.scratch(candidates.join(known, col(DOC_ID).equalTo(col("known_id")), "left"));
    Dataset<Row> newIngested = batch.scratch(matched.filter(col("known_id").isNull()).drop("known_id", "known_record"));
    Dataset<Row> otherRecord = matched.filter(col("known_id").isNotNull().and(col("known_record").notEqual(col(RECORD))))
        .select(col(INPUT), col(RECORD), lit("duplicate_id").as(REASON), substring(col(TEXT), 1, 1000).as(RAW));
    Dataset<Row> newRejects = batch.scratch(TableStore.conform(REJECTS, validated.rejects())
        .unionByName(otherRecord)
        .join(store.read(REJECTS).select(INPUT, RECORD), joinKeys(INPUT, RECORD), "left_anti"));
    raw.unpersist();
    long already = matched.filter(col("known_id").isNotNull()).count() - otherRecord.count();
    long ingested = newIngested.count();
    long rejects = newRejects.count();
    if (ingested > 0) {
      batch.appendRows(INGESTED, newIngested);
    }
    if (rejects > 0) {
      batch.appendRows(REJECTS, newRejects);
    }
    report.put("ingested", ingested).put("rejects", rejects).put("already_in_output", already);
    Map<String, Object> rewritten = new LinkedHashMap<>();
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("run_id", ((Map<?, ?>) manifest.asMap().get("run")).get("id"));
    entry.put("time", java.time.Instant.now().toString());
    entry.put("since", request.since() == null ? null : request.since().toString());
    entry.put("inputs", discovery.sources().stream().flatMap(s -> s.paths().stream()).toList());
    entry.put("ingested", ingested);
    entry.put("rejects", rejects);
    entry.put("already_in_output", already);
    entry.put("periods_rewritten", rewritten);
    if (ingested == 0) {
      report.note("no new articles: the new input's records were rejected or already in the output");
      manifest.recordAppend(entry);
      return new Outcome(report, false);
    }

    // ---- clean: duplicates among the new articles and against the existing ones
    Clean.Options cleanOptions = request.clean().toStageOptions();
    Clean.Result cleaned = Clean.apply(newIngested, cleanOptions);
    Dataset<Row> cleanedNew;
    try {
      cleanedNew = batch.scratch(TableStore.conform(ARTICLES, cleaned.articles()));
    } finally {
      cleaned.release();
    }
    Dataset<Row> existingArticles = store.read(ARTICLES);
    ExistingDuplicates.Marked marked = ExistingDuplicates.mark(existingArticles, cleanedNew,
        cleanOptions.nearDuplicateThreshold());
    Dataset<Row> fresh;
    try {
      fresh = batch.scratch(TableStore.conform(ARTICLES, marked.articles()));
    } finally {
      marked.release().run();
    }
    List<String> touched = strings(fresh.select(PERIOD).distinct());
    batch.replacePartitions(ARTICLES, inPeriods(existingArticles, ARTICLES, touched).unionByName(fresh), touched);
    rewritten.put(ARTICLES.name(), touched);
    report.put("articles", ingested).put("duplicates", fresh.filter(col(DUPLICATE_OF).isNotNull()).count())
        .put("periods", touched);

    // ---- tokenize the new kept articles with the output's phrases
    List<String> languages = request.tokenize().languageFilter();
    Dataset<Row> keptNew = Clean.kept(fresh, languages);
    Dataset<Row> newTokens = spark.createDataFrame(List.of(), TOKENS_TABLE.schema());
    if (!keptNew.isEmpty()) {
      List<String> phrases = store.exists(PHRASES_TABLE) ? strings(store.read(PHRASES_TABLE).select(TERM)) : List.of();
      Tokenize.Result tokenized = Tokenize.apply(keptNew, request.tokenize().toStageOptions().withKnownPhrases(phrases));
      try {
        newTokens = batch.scratch(TableStore.conform(TOKENS_TABLE, tokenized.tokens()));
      } finally {
        tokenized.release();
      }
    }
    Dataset<Row> oldTokens = store.read(TOKENS_TABLE);
    Dataset<Row> touchedTokens = inPeriods(oldTokens, TOKENS_TABLE, touched).unionByName(newTokens);
    batch.replacePartitions(TOKENS_TABLE, touchedTokens, touched);
    rewritten.put(TOKENS_TABLE.name(), touched);
    batch.replaceTable(TERM_FORMS, TermForms.of(TableStore.conform(TOKENS_TABLE, oldTokens).unionByName(newTokens)));

    // ---- topics: fold-in under the saved model
    boolean refit = request.retrain() || !store.isWritten(StageRunner.MODEL);
    if (!refit) {
      GibbsLDAModel model = Topics.loadModel(spark, store.root() + "/" + StageRunner.MODEL)
          .setFeaturesCol(TERMS).setIdCol(DOC_ID).setLogLikelihoodCol("log_likelihood");
      Dataset<Row> documents = Vocabulary.documentTerms(touchedTokens);
      // Documents without a vocabulary word are left out, as the training corpus leaves them out:
      // their log-likelihood is 0, a sum over no words (every known word adds a negative log).
      Dataset<Row> weights = batch.scratch(model.transform(documents).filter(col("log_likelihood").lt(0))
          .select(col(DOC_ID), col(PERIOD), posexplode(org.apache.spark.ml.functions.vector_to_array(
              col(model.getTopicDistributionCol()), "float64")).as(new String[] {TOPIC, WEIGHT})));
      batch.replacePartitions(DOC_TOPICS, weights.filter(col(WEIGHT).geq(Topics.MIN_DOC_WEIGHT)), touched);
      batch.replaceTable(TOPIC_TRENDS, notInPeriods(store.read(TOPIC_TRENDS), TOPIC_TRENDS, touched)
          .unionByName(TableStore.conform(TOPIC_TRENDS, Topics.trends(weights))));
      rewritten.put(DOC_TOPICS.name(), touched);
      rewritten.put(TOPIC_TRENDS.name(), touched);
      report.put("topics", "fold-in with the saved model");
    } else {
      report.put("topics", request.retrain() ? "refit (--retrain)" : "fitted (no saved model)");
    }

    // ---- entities
    Entities.Options entityOptions = request.entities().toStageOptions();
    Dataset<Row> kept = Clean.kept(notInPeriods(existingArticles, ARTICLES, List.of()).unionByName(fresh), languages);
    Dataset<Row> allTokens = TableStore.conform(TOKENS_TABLE, oldTokens).unionByName(newTokens);
    Dataset<Row> sentences = allTokens.groupBy(PERIOD).agg(count(lit(1)).as("sentences"));
    Dataset<Row> periods = batch.scratch(kept.groupBy(PERIOD).agg(count(lit(1)).as("articles"))
        .join(sentences, joinKeys(PERIOD), "left")
        .select(col(PERIOD), col("articles"), coalesce(col("sentences"), lit(0L)).as("sentences")));
    List<String> allPeriods = strings(periods.select(PERIOD).orderBy(PERIOD));
    long keptArticles = periods.agg(sum("articles")).first().getLong(0);
    long minPairCount = entityOptions.minPairCount() != Entities.AUTO ? entityOptions.minPairCount()
        : Entities.autoMinPairCount(keptArticles);
    Entities.Options resolved = entityOptions.withMinPairCount(minPairCount);

    // Recognition is per article, but resolution is not: a name's type and spelling, and whether a
    // MISC name recurs, depend on every article. So the names of all kept articles are recognised
    // and resolved again, and every period whose resolved mentions changed is rewritten.
    Dataset<Row> mentions;
    Dataset<Row> summary;
    Entities.Result recognized = Entities.apply(kept, allTokens, resolved);
    try {
      mentions = batch.scratch(TableStore.conform(ENTITY_MENTIONS, recognized.mentions()));
      summary = batch.scratch(TableStore.conform(ENTITIES, recognized.entities()));
    } finally {
      recognized.release();
    }
    TreeSet<String> changedPeriods = new TreeSet<>(touched);
    changedPeriods.addAll(periodsThatDiffer(store.read(ENTITY_MENTIONS), mentions));
    List<String> changed = List.copyOf(changedPeriods);
    java.util.function.Function<List<String>, Dataset<Row>> mentionsOf = which -> mentions.filter(col(PERIOD).isin(which.toArray()));
    batch.replacePartitions(ENTITY_MENTIONS, mentionsOf.apply(changed), changed);
    rewritten.put(ENTITY_MENTIONS.name(), changed);

    Object before = stageValue("entities", "min_pair_count");
    List<String> pairPeriods = before instanceof Number n && n.longValue() == minPairCount ? changed : allPeriods;
    batch.replacePartitions(ENTITY_PAIRS, EntityUpdate.pairs(mentionsOf.apply(pairPeriods),
        periods.filter(col(PERIOD).isin(pairPeriods.toArray())), resolved), pairPeriods);
    rewritten.put(ENTITY_PAIRS.name(), pairPeriods);

    int window = resolved.trendWindow();
    TreeSet<Integer> affected = new TreeSet<>();
    for (String period : changed) {
      int at = allPeriods.indexOf(period);
      for (int i = at; i <= Math.min(at + window, allPeriods.size() - 1); i++) {
        affected.add(i);
      }
    }
    TreeSet<Integer> needed = new TreeSet<>();
    affected.forEach(i -> {
      for (int j = Math.max(0, i - window); j <= i; j++) {
        needed.add(j);
      }
    });
    List<String> trendPeriods = affected.stream().map(allPeriods::get).toList();
    List<String> neededPeriods = needed.stream().map(allPeriods::get).toList();
    batch.replacePartitions(ENTITY_TRENDS, EntityUpdate.trends(mentionsOf.apply(neededPeriods), periods, resolved)
        .filter(col(PERIOD).isin(trendPeriods.toArray())), trendPeriods);
    rewritten.put(ENTITY_TRENDS.name(), trendPeriods);
    batch.replaceTable(ENTITIES, summary);
    report.put("mentions", mentions.count()).put("min_pair_count", minPairCount)
        .put("entity_periods_rewritten", changed.size());
    manifest.recordAppend(entry);
    return new Outcome(report, refit);
  }

  private void restore(String key, Object value) {
    if (value == null) {
      manifest.asMap().remove(key);
    } else {
      manifest.asMap().put(key, value);
    }
  }

  /** The output's articles must use the same --period as this run, or partitions would not line up. */
  private void checkPeriod(io.newslens.common.Period period) {
    List<Row> sample = store.read(ARTICLES).select(col(PERIOD), period.of(col(DATE))).limit(1).collectAsList();
    if (!sample.isEmpty() && !sample.get(0).getString(0).equals(sample.get(0).getString(1))) {
      throw new IllegalArgumentException("--period " + period + " differs from the output's (its articles have period "
          + sample.get(0).getString(0) + "): append with the --period the output was made with");
    }
  }

  private Object stageValue(String stage, String key) {
    return manifest.asMap().get("stages") instanceof Map<?, ?> stages && stages.get(stage) instanceof Map<?, ?> entry
        ? entry.get(key) : null;
  }

  /**
   * Periods whose rows differ between two versions of a partitioned table (or that only one has):
   * per period, the row count and the sum of the rows' 64-bit hashes, summed exactly as decimals.
   */
  static List<String> periodsThatDiffer(Dataset<Row> before, Dataset<Row> after) {
    Column[] columns = java.util.Arrays.stream(after.columns()).sorted().map(c -> col(c)).toArray(Column[]::new);
    java.util.function.Function<Dataset<Row>, Dataset<Row>> digest = rows -> rows.select(columns)
        .groupBy(PERIOD).agg(count(lit(1)).as("rows"), sum(xxhash64(columns).cast("decimal(38,0)")).as("hash"));
    Dataset<Row> a = digest.apply(before).toDF(PERIOD, "rows_a", "hash_a");
    Dataset<Row> b = digest.apply(after).toDF(PERIOD, "rows_b", "hash_b");
    return strings(a.join(b, joinKeys(PERIOD), "full_outer")
        .filter(not(col("rows_a").eqNullSafe(col("rows_b")).and(col("hash_a").eqNullSafe(col("hash_b")))))
        .select(PERIOD));
  }

  private static Dataset<Row> inPeriods(Dataset<Row> rows, Table table, List<String> periods) {
    return TableStore.conform(table, rows.filter(col(PERIOD).isin(periods.toArray())));
  }

  private static Dataset<Row> notInPeriods(Dataset<Row> rows, Table table, List<String> periods) {
    Column keep = periods.isEmpty() ? lit(true) : not(col(PERIOD).isin(periods.toArray()));
    return TableStore.conform(table, rows.filter(keep));
  }

  private static List<String> strings(Dataset<Row> oneColumn) {
    return oneColumn.collectAsList().stream().map(r -> r.getString(0)).sorted().toList();
  }
}
