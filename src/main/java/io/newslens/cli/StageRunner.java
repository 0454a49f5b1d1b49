package io.newslens.cli;

import static io.newslens.common.Tables.*;
import static org.apache.spark.sql.functions.*;

import io.newslens.clean.Clean;
import io.newslens.common.Manifest;
import io.newslens.common.StageReport;
import io.newslens.common.TableStore;
import io.newslens.entities.Entities;
import io.newslens.common.Tables.Table;
import io.newslens.ingest.Ingest;
import io.newslens.ingest.InputSources;
import io.newslens.link.TopicEntities;
import io.newslens.report.ReportAggregates;
import io.newslens.report.ReportData;
import io.newslens.report.ReportPage;
import io.newslens.tokenize.Tokenize;
import io.newslens.topics.GibbsLDAModel;
import io.newslens.topics.Topics;
import io.newslens.topics.Vocabulary;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The IO edges around the stages: read a stage's input tables, call the stage, write its output
 * tables atomically, and record what happened in the manifest.
 */
final class StageRunner {
  static final String MODEL = "model";
  /** The report's folder under the output, written like a table (staged, marked, renamed). */
  static final String REPORT = "report";
  static final String REPORT_PAGE = "index.html";
  private final SparkSession spark;
  private final TableStore store;
  private final Manifest manifest;
  private final PrintStream console;

  StageRunner(SparkSession spark, TableStore store, Manifest manifest, PrintStream console) {
    this.spark = spark;
    this.store = store;
    this.manifest = manifest;
    this.console = console;
  }

  /** Thrown after ingest wrote its tables when too many records were rejected. */
  static final class TooManyRejects extends RuntimeException {
    TooManyRejects(String message) {
      super(message);
    }
  }

  /**
   * Runs one stage; a stage that throws is recorded as failed in the manifest (saved) before the
   * exception goes on, so the manifest of a run that dies says which stages completed.
   */
  private StageReport stage(String name, java.util.function.Function<StageReport, StageReport> body) {
    StageReport report = new StageReport(name);
    try {
      return body.apply(report);
    } catch (Throwable e) { // Spark's AnalysisException is a checked exception, thrown unchecked from Scala
      if (!report.finished()) { // ingest's TooManyRejects comes after its tables were written
        try {
          report.fail(e).finish();
          manifest.recordStage(report);
          manifest.save(store);
        } catch (RuntimeException recording) {
          e.addSuppressed(recording); // the stage's own error is the one to report
        }
      }
      throw e;
    }
  }

  /**
   * Writes the stage's tables empty, with their schemas, and marks the stage skipped: what a
   * stage does when it cannot do its work on the data it has, so the run goes on.
   */
  private StageReport skip(StageReport report, String reason, Table... tables) {
    for (Table table : tables) {
      write(table, spark.createDataFrame(List.of(), table.schema()));
    }
    report.skip(reason);
    return finish(report);
  }

  StageReport ingest(Options.IngestOptions options) {
    return stage("ingest", report -> ingest(report, options));
  }

  private StageReport ingest(StageReport report, Options.IngestOptions options) {
    Ingest.Options stageOptions = options.toStageOptions();
    InputSources.Discovery discovery = InputSources.discover(
        stageOptions.inputs(), stageOptions.format(), spark.sparkContext().hadoopConfiguration());
    discovery.ignored().forEach(file -> console.println("ingest: ignored, not a known format: " + file));
    Map<String, String> inputs = new LinkedHashMap<>();
    discovery.sources().forEach(source -> source.paths().forEach(path -> inputs.put(path, source.format().toString())));
    manifest.recordInputs(inputs, spark.sparkContext().hadoopConfiguration());

    Dataset<Row> raw = Ingest.readRaw(spark, discovery, stageOptions).persist(StorageLevel.MEMORY_AND_DISK());
    Ingest.Result result = Ingest.validate(raw, stageOptions);
    long articles = write(INGESTED, result.articles());
    long rejects = write(REJECTS, result.rejects());
    raw.unpersist();

    Map<String, Long> byReason = countsOf(store.read(REJECTS).groupBy(REASON).count().orderBy(REASON));
    report.put("records", articles + rejects).put("articles", articles).put("rejects", rejects)
        .put("rejects_by_reason", byReason)
        .put("sources", discovery.sources().stream().map(s -> s.format() + " " + s.paths()).toList())
        .put("ignored_files", discovery.ignored());
    if (articles == 0) {
      report.note(articles + rejects == 0 ? "the input holds no records" : "every record was rejected, see rejects");
    }
    finish(report);
    double ratio = articles + rejects == 0 ? 0 : (double) rejects / (articles + rejects);
    if (ratio > options.maxRejectRatio) {
      throw new TooManyRejects(String.format(
          "%d of %d records rejected (%.1f%%), above --max-reject-ratio %s; see %s and rejects by reason %s",
          rejects, articles + rejects, 100 * ratio, options.maxRejectRatio, store.pathOf(REJECTS), byReason));
    }
    return report;
  }

  StageReport clean(Options.CleanOptions options) {
    return stage("clean", report -> clean(report, options));
  }

  private StageReport clean(StageReport report, Options.CleanOptions options) {
    if (store.read(INGESTED).isEmpty()) {
      return skip(report.put("articles", 0L), "no ingested articles (the input was empty or every record was rejected)",
          ARTICLES);
    }
    Clean.Result result = Clean.apply(store.read(INGESTED), options.toStageOptions());
    long articles;
    try {
      articles = write(ARTICLES, result.articles());
    } finally {
      result.release();
    }
    Dataset<Row> written = store.read(ARTICLES);
    Map<String, Long> languages =
        countsOf(written.groupBy(LANG).count().orderBy(col(COUNT).desc(), col(LANG)).limit(20));
    long duplicates = written.filter(col(DUPLICATE_OF).isNotNull()).count();
    report.put("articles", articles).put("duplicates", duplicates)
        .put("boilerplate_lines", result.boilerplateLines())
        .put("empty_after_cleaning", written.filter(col(N_TOKENS).equalTo(0)).count())
        .put("languages", languages);
    return finish(report);
  }

  /** @param knownPhrases the phrases of a topic model being applied, or null to detect them */
  StageReport tokenize(Options.TokenizeOptions options, List<String> knownPhrases) {
    return stage("tokenize", report -> tokenize(report, options, knownPhrases));
  }

  private StageReport tokenize(StageReport report, Options.TokenizeOptions options, List<String> knownPhrases) {
    List<String> languages = options.languageFilter();
    Dataset<Row> kept = Clean.kept(store.read(ARTICLES), languages);
    if (kept.isEmpty()) {
      report.put("documents", 0L).put("languages", languages.isEmpty() ? "all" : languages);
      String reason = "no kept articles to tokenize (none, or all duplicates, empty"
          + (languages.isEmpty() ? ")" : " or not in --languages " + String.join(",", languages) + ")");
      return knownPhrases != null ? skip(report, reason, TOKENS_TABLE, TERM_FORMS)
          : skip(report, reason, TOKENS_TABLE, PHRASES_TABLE, TERM_FORMS);
    }
    Tokenize.Result result = Tokenize.apply(kept, options.toStageOptions().withKnownPhrases(knownPhrases));
    long sentences;
    try {
      sentences = write(TOKENS_TABLE, result.tokens());
      if (result.phrases() != null) {
        write(PHRASES_TABLE, result.phrases());
      }
      write(TERM_FORMS, result.termForms());
    } finally {
      result.release();
    }
    Row totals = store.read(TOKENS_TABLE)
        .agg(countDistinct(DOC_ID), sum(size(col(TOKENS))), sum(size(col(PHRASES)))).first();
    report.put("documents", totals.getLong(0)).put("sentences", sentences)
        .put("tokens", totals.isNullAt(1) ? 0 : totals.getLong(1))
        .put("phrases", knownPhrases != null ? knownPhrases.size() : store.read(PHRASES_TABLE).count())
        .put("phrase_occurrences", totals.isNullAt(2) ? 0 : totals.getLong(2))
        .put("languages", languages.isEmpty() ? "all" : languages);
    return finish(report);
  }

  StageReport topics(Options.TopicsOptions options) {
    return stage("topics", report -> topics(report, options));
  }

  private StageReport topics(StageReport report, Options.TopicsOptions options) {
    Topics.Result result = Topics.apply(store.read(TOKENS_TABLE), store.read(TERM_FORMS), options.toStageOptions(),
        new org.apache.hadoop.fs.Path(store.root(), "_staging").toString());
    if (result.skipped() != null) {
      result.release();
      result.metrics().forEach(report::put);
      // A model left from an earlier run would not match these (empty) tables: `score` must not use it.
      if (store.deleteIfOurs(MODEL)) {
        report.note("the earlier model/ was removed");
      }
      return skip(report, result.skipped(), TOPIC_TERMS, DOC_TOPICS, TOPIC_TRENDS, TOPIC_METRICS);
    }
    result.notes().forEach(report::note);
    try {
      write(TOPIC_TERMS, result.topicTerms());
      write(DOC_TOPICS, result.docTopics());
      write(TOPIC_TRENDS, result.topicTrends());
      write(TOPIC_METRICS, result.topicMetrics());
      store.replace(MODEL, dir -> {
        try {
          result.model().write().save(dir);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException("could not save the topic model", e);
        }
      });
    } finally {
      result.release();
    }
    result.metrics().forEach(report::put);
    report.put("model", store.root() + "/" + MODEL);
    return finish(report);
  }

  /** Topic mixtures of the tokenized articles in this output under a saved model. */
  StageReport score(GibbsLDAModel model, String modelDir) {
    return stage("score", report -> score(report, model, modelDir));
  }

  private StageReport score(StageReport report, GibbsLDAModel model, String modelDir) {
    Dataset<Row> documents = Vocabulary.documentTerms(store.read(TOKENS_TABLE));
    // The documents' terms in reading order, seeded by their ids: as the topics stage folded in
    // its own documents, so a document it saw gets the mixture it gave it.
    GibbsLDAModel scoring = model.copy(org.apache.spark.ml.param.ParamMap.empty()).setFeaturesCol(TERMS).setIdCol(DOC_ID);
    Dataset<Row> weights = scoring.transform(documents).select(col(DOC_ID), col(PERIOD),
        posexplode(org.apache.spark.ml.functions.vector_to_array(col(scoring.getTopicDistributionCol()), "float64"))
            .as(new String[] {TOPIC, WEIGHT}));
    long rows = write(DOC_TOPICS, weights.filter(col(WEIGHT).geq(Topics.MIN_DOC_WEIGHT)));
    write(TOPIC_TRENDS, Topics.trends(weights));
    report.put("model", modelDir).put("documents", documents.count()).put("doc_topics", rows);
    return finish(report);
  }

  /**
   * {@code languages}: the --languages filter (empty: all), the same option tokenize reads, so
   * both stages see the same articles. Reads the tokens table for the sentences, so tokenize runs
   * first.
   */
  StageReport entities(List<String> languages, Options.EntitiesOptions options) {
    return stage("entities", report -> entities(report, languages, options));
  }

  private StageReport entities(StageReport report, List<String> languages, Options.EntitiesOptions options) {
    Dataset<Row> kept = Clean.kept(store.read(ARTICLES), languages);
    Dataset<Row> tokens = store.read(TOKENS_TABLE);
    Entities.Options stageOptions = options.toStageOptions();
    if (kept.isEmpty()) {
      report.put("mentions", 0L).put("entities", 0L).put("ner", options.ner)
          .put("languages", languages.isEmpty() ? "all" : languages);
      return skip(report, "no kept articles (none, or all duplicates, empty"
              + (languages.isEmpty() ? ")" : " or not in --languages " + String.join(",", languages) + ")"),
          ENTITY_MENTIONS, ENTITIES, ENTITY_PAIRS, ENTITY_TRENDS);
    }
    Entities.Result result = Entities.apply(kept, tokens, stageOptions);
    long mentions;
    Map<String, Long> resolution;
    try {
      mentions = write(ENTITY_MENTIONS, result.mentions());
      write(ENTITIES, result.entities());
      write(ENTITY_PAIRS, result.pairs());
      write(ENTITY_TRENDS, result.trends());
      resolution = result.resolutionReport();
    } finally {
      result.release();
    }
    Map<String, Long> byType = countsOf(store.read(ENTITIES).groupBy(TYPE).count().orderBy(TYPE));
    report.put("mentions", mentions).put("entities", store.read(ENTITIES).count())
        .put("entities_by_type", byType)
        .put("resolution", resolution)
        .put("pairs", store.read(ENTITY_PAIRS).count())
        .put("min_pair_count", result.minPairCount())
        .put("min_pair_count_rule", stageOptions.minPairCount() != Entities.AUTO ? "--min-pair-count"
            : "auto: 1 below " + Entities.AUTO_MIN_PAIR_ARTICLES + " kept articles, 2 from there on")
        .put("bursts", store.read(ENTITY_TRENDS).filter(col(BURST)).count())
        .put("ner", options.ner)
        .put("languages", languages.isEmpty() ? "all" : languages);
    if (mentions == 0) {
      report.note("no entities found in the kept articles; the entity tables are empty");
    }
    return finish(report);
  }

  /** Topics linked to entities: {@code doc_topics} and {@code entity_mentions} in, so topics and entities first. */
  StageReport link(Options.LinkOptions options) {
    return stage("link", report -> link(report, options));
  }

  private StageReport link(StageReport report, Options.LinkOptions options) {
    Dataset<Row> docTopics = store.read(DOC_TOPICS);
    Dataset<Row> mentions = store.read(ENTITY_MENTIONS);
    report.put("min_docs", (long) options.minDocs).put("top", (long) options.top);
    String missing = docTopics.isEmpty() ? "no document topics (see the topics stage)"
        : mentions.isEmpty() ? "no entity mentions (see the entities stage)" : null;
    if (missing != null) {
      return skip(report, missing, TOPIC_ENTITIES, ENTITY_TOPICS);
    }
    TopicEntities.Result result = TopicEntities.apply(docTopics, mentions, options.toStageOptions());
    long topicRows;
    long entityRows;
    try {
      topicRows = write(TOPIC_ENTITIES, result.topicEntities());
      entityRows = write(ENTITY_TOPICS, result.entityTopics());
    } finally {
      result.release();
    }
    report.put("topic_entities", topicRows).put("entity_topics", entityRows);
    if (topicRows == 0) {
      report.note("no topic and entity share --link-min-docs " + options.minDocs + " documents with lift above 1");
    }
    return finish(report);
  }

  /** Whether the output holds the articles of an earlier run (something to append to). */
  boolean hasArticles() {
    return store.exists(ARTICLES);
  }

  /**
   * Adds new input to the output ({@link Append}); returns whether the topic model must be
   * fitted again on everything (--retrain, or no saved model).
   */
  boolean append(Append.Request request) {
    boolean[] refit = new boolean[1];
    stage("append", report -> {
      Append.Outcome outcome = new Append(spark, store, manifest, r -> {
        r.finish();
        manifest.recordStage(r);
      }).run(report, request);
      refit[0] = outcome.refit();
      if (!report.finished()) {
        return finish(report); // nothing new: nothing staged
      }
      for (Table table : ALL) {
        if (store.exists(table)) {
          manifest.recordTable(table.name(), store.pathOf(table).toString(), store.read(table).count());
        }
      }
      manifest.save(store);
      console.println(report.summaryLine());
      return report;
    });
    return refit[0];
  }

  /** The run's report page from its tables and manifest: {@code report/index.html}. */
  StageReport report() {
    return stage("report", this::report);
  }

  private StageReport report(StageReport report) {
    ReportData data = ReportAggregates.aggregate(store, manifest.asMap());
    byte[] page = ReportPage.render(data, store.qualifiedRoot()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    store.replace(REPORT, dir -> {
      try (var out = store.fs().create(new org.apache.hadoop.fs.Path(dir, REPORT_PAGE), true)) {
        out.write(page);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("could not write the report", e);
      }
    });
    report.put("page", store.root() + "/" + REPORT + "/" + REPORT_PAGE).put("bytes", (long) page.length)
        .put("periods", (long) data.periods().size())
        .put("topics", (long) data.topics().topics().size())
        .put("entities", (long) data.entities().top().size());
    if (data.topics().skipped() != null) {
      report.note("no topics: " + data.topics().skipped());
    }
    return finish(report);
  }

  /** (key, count) rows, small and already ordered, as a map for the manifest. */
  private static Map<String, Long> countsOf(Dataset<Row> counts) {
    Map<String, Long> map = new LinkedHashMap<>();
    counts.collectAsList().forEach(row -> map.put(row.getString(0), row.getLong(1)));
    return map;
  }

  private long write(Table table, Dataset<Row> data) {
    long rows = store.write(table, data);
    manifest.recordTable(table.name(), store.pathOf(table).toString(), rows);
    return rows;
  }

  private StageReport finish(StageReport report) {
    report.finish();
    manifest.recordStage(report);
    manifest.save(store); // after every stage: a run killed later still records what it finished
    console.println(report.summaryLine());
    return report;
  }
}
