package io.newslens.report;

import static io.newslens.common.Tables.*;
import static org.apache.spark.sql.functions.*;

import io.newslens.clean.Clean;
import io.newslens.common.TableStore;
import io.newslens.common.Tables.Table;
import io.newslens.report.ReportData.Article;
import io.newslens.report.ReportData.Burst;
import io.newslens.report.ReportData.Count;
import io.newslens.report.ReportData.Entity;
import io.newslens.report.ReportData.EntityCount;
import io.newslens.report.ReportData.Pair;
import io.newslens.report.ReportData.PeriodPage;
import io.newslens.report.ReportData.Stage;
import io.newslens.report.ReportData.TableInfo;
import io.newslens.report.ReportData.Topic;
import io.newslens.report.ReportData.TopicShare;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The report's Spark side: reads the run's tables and reduces them to {@link ReportData}. Every
 * query ends in a top-N, a filter to the shown periods or a group-by over a small key (periods,
 * reasons, topics), so what reaches the driver is bounded by the limits of {@link ReportData}:
 * never a row per article.
 */
public final class ReportAggregates {
  private final TableStore store;
  private final Map<String, Object> manifest;

  /**
   * Each table read once: a read lists the table's files (a Spark job of its own for a table of
   * many period folders), and the same Dataset keeps that listing for every query on it.
   */
  private final Map<Table, Dataset<Row>> read = new HashMap<>();

  private ReportAggregates(TableStore store, Map<String, Object> manifest) {
    this.store = store;
    this.manifest = manifest;
  }

  private Dataset<Row> read(Table table) {
    return read.computeIfAbsent(table, store::read);
  }

  /** {@code manifest}: the run's manifest as a map (stages, tables, run). */
  public static ReportData aggregate(TableStore store, Map<String, Object> manifest) {
    return new ReportAggregates(store, manifest).build();
  }

  private ReportData build() {
    Map<String, Long> perPeriod = new TreeMap<>();
    List<Count> sources = List.of();
    if (store.exists(ARTICLES)) {
      // Two small columns of the kept articles, read once for both counts.
      Dataset<Row> kept = Clean.kept(read(ARTICLES), List.of()).select(PERIOD, SOURCE)
          .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
      try {
        kept.groupBy(PERIOD).count().collectAsList().forEach(r -> perPeriod.put(r.getString(0), r.getLong(1)));
        sources = counts(kept.groupBy(coalesce(col(SOURCE), lit("(none)"))).count(), ReportData.MAX_SOURCES);
      } finally {
        kept.unpersist();
      }
    }
    List<String> allPeriods = new ArrayList<>(perPeriod.keySet());
    List<String> periods = allPeriods.subList(Math.max(0, allPeriods.size() - ReportData.MAX_PERIODS), allPeriods.size());
    List<Long> articles = periods.stream().map(perPeriod::get).toList();

    List<Count> rejects = store.exists(REJECTS)
        ? counts(read(REJECTS).groupBy(REASON).count(), ReportData.MAX_REASONS) : List.of();
    ReportData.Run run = new ReportData.Run(str(section("run").get("command")), str(section("run").get("id")),
        str(section("run").get("status")), str(section("run").get("updated")), str(section("versions").get("newslens")),
        stages(), tables(), rejects, sources, articles);

    TopicsResult topics = topics(periods);
    ReportData.Entities entities = entities(periods);
    String window = pairWindow();
    ReportData.Pairs pairs = pairs(window, periods);

    // The latest periods' own sections: one query per kind of row for all of them.
    List<String> pagePeriods = periods.subList(Math.max(0, periods.size() - ReportData.PERIOD_PAGES), periods.size());
    Map<String, List<TopicShare>> topTopics = new HashMap<>();
    for (String period : pagePeriods) {
      topTopics.put(period, topTopics(period, topics));
    }
    Map<String, List<String>> headlineIds = headlineIds(topTopics);
    List<String> docIds = new ArrayList<>();
    topics.topDocIds().values().forEach(docIds::addAll);
    headlineIds.values().forEach(docIds::addAll);
    Map<String, Article> titles = articles(docIds);
    Map<String, List<Pair>> newPairs = newPairs(window, pagePeriods);
    Map<String, List<EntityCount>> periodEntities = new HashMap<>();
    Map<String, List<Burst>> periodBursts = new HashMap<>();
    periodEntities(pagePeriods, periodEntities, periodBursts);
    List<PeriodPage> latest = new ArrayList<>();
    for (int i = pagePeriods.size() - 1; i >= 0; i--) { // the latest first
      String period = pagePeriods.get(i);
      latest.add(new PeriodPage(period, perPeriod.getOrDefault(period, 0L), topTopics.get(period),
          lookUp(headlineIds.getOrDefault(period, List.of()), titles), periodEntities.getOrDefault(period, List.of()),
          periodBursts.getOrDefault(period, List.of()), newPairs.getOrDefault(period, List.of())));
    }
    ReportData.Topics topicsData = topics.data();
    if (topicsData.skipped() == null) {
      topicsData = new ReportData.Topics(null, topicsData.topics().stream().map(t -> new Topic(t.id(), t.terms(),
          t.coherence(), t.umass(), t.meanShare(), t.shares(),
          lookUp(topics.topDocIds().getOrDefault(t.id(), List.of()), titles), t.entities())).toList(),
          topicsData.topicsTotal());
    }
    return new ReportData(run, List.copyOf(periods), allPeriods.size(), topicsData, entities, pairs, latest);
  }

  private static List<Article> lookUp(List<String> docIds, Map<String, Article> articles) {
    return docIds.stream().map(articles::get).filter(java.util.Objects::nonNull).toList();
  }

  // ---- run ----

  @SuppressWarnings("unchecked")
  private Map<String, Object> section(String name) {
    Object value = manifest.get(name);
    return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }

  private static String str(Object value) {
    return value == null ? null : value.toString();
  }

  private static final Set<String> NOT_COUNTS = Set.of("status", "reason", "error", "notes", "seconds", "run_id",
      "peak_heap_mb", "peak_live_heap_mb");

  @SuppressWarnings("unchecked")
  private List<Stage> stages() {
    List<Stage> stages = new ArrayList<>();
    section("stages").forEach((name, value) -> {
      if (!(value instanceof Map<?, ?>)) {
        return;
      }
      Map<String, Object> entry = (Map<String, Object>) value;
      Map<String, String> counts = new LinkedHashMap<>();
      entry.forEach((k, v) -> {
        if (!NOT_COUNTS.contains(k) && v != null) {
          counts.put(k, v instanceof Double d ? String.format(java.util.Locale.ROOT, "%.4f", d) : v.toString());
        }
      });
      Object reason = entry.containsKey("error") ? entry.get("error") : entry.get("reason");
      List<String> notes = entry.get("notes") instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
      double seconds = entry.get("seconds") instanceof Number n ? n.doubleValue() : Double.NaN;
      stages.add(new Stage(name, str(entry.get("status")), seconds, str(reason), notes, counts));
    });
    return stages;
  }

  private List<TableInfo> tables() {
    Map<String, Object> recorded = section("tables");
    List<TableInfo> tables = new ArrayList<>();
    for (Table table : ALL) {
      Long rows = recorded.get(table.name()) instanceof Map<?, ?> entry && entry.get("rows") instanceof Number n
          ? n.longValue() : null;
      boolean present = store.exists(table);
      tables.add(new TableInfo(table.name(), present ? rows : null, present));
    }
    return tables;
  }

  /** (key, count) rows: the largest {@code limit}, ties by key. */
  private static List<Count> counts(Dataset<Row> keyCount, int limit) {
    return keyCount.toDF("key", COUNT).orderBy(col(COUNT).desc(), col("key")).limit(limit).collectAsList().stream()
        .map(r -> new Count(r.getString(0), r.getLong(1))).toList();
  }

  @SuppressWarnings("unchecked")
  private String skippedReason(String stage) {
    Object entry = section("stages").get(stage);
    if (entry instanceof Map<?, ?> map && !"ok".equals(map.get("status"))) {
      Object reason = map.containsKey("error") ? map.get("error") : map.get("reason");
      return map.get("status") + (reason == null ? "" : ": " + reason);
    }
    return null;
  }

  private boolean allExist(Table... tables) {
    for (Table table : tables) {
      if (!store.exists(table)) {
        return false;
      }
    }
    return true;
  }

  private static Column inPeriods(List<String> periods) {
    return col(PERIOD).isin(periods.toArray());
  }

  // ---- topics ----

  /** The topics section plus, per shown period, each topic's share (for the period pages). */
  private record TopicsResult(ReportData.Topics data, Map<String, Map<Integer, Double>> shareByPeriod,
      Map<Integer, List<String>> topDocIds) {}

  private TopicsResult topics(List<String> periods) {
    if (!allExist(TOPIC_TERMS, TOPIC_METRICS, TOPIC_TRENDS)) {
      return noTopics("the topics stage has not written its tables: run `topics` (or `run`)");
    }
    String skipped = skippedReason("topics");
    if (skipped != null) {
      return noTopics(skipped);
    }
    Dataset<Row> trends = read(TOPIC_TRENDS);
    List<Row> means = trends.groupBy(TOPIC).agg(avg(SHARE).as(SHARE))
        .orderBy(col(SHARE).desc(), col(TOPIC)).collectAsList(); // one row per topic
    if (means.isEmpty()) {
      return noTopics("the topic tables are empty");
    }
    Map<Integer, Double> meanShare = new TreeMap<>();
    means.stream().limit(ReportData.MAX_TOPICS).forEach(r -> meanShare.put(r.getInt(0), r.getDouble(1)));
    Object[] shown = meanShare.keySet().toArray();

    Map<String, Map<Integer, Double>> byPeriod = new HashMap<>();
    trends.filter(inPeriods(periods).and(col(TOPIC).isin(shown))).select(PERIOD, TOPIC, SHARE).collectAsList()
        .forEach(r -> byPeriod.computeIfAbsent(r.getString(0), k -> new HashMap<>()).put(r.getInt(1), r.getDouble(2)));
    Map<Integer, List<String>> terms = new HashMap<>();
    read(TOPIC_TERMS).filter(col(RANK).leq(ReportData.TOP_TERMS).and(col(TOPIC).isin(shown)))
        .orderBy(TOPIC, RANK).collectAsList()
        .forEach(r -> terms.computeIfAbsent(r.<Integer>getAs(TOPIC), k -> new ArrayList<>()).add(r.getAs(TERM)));
    Map<Integer, Row> metrics = new HashMap<>();
    read(TOPIC_METRICS).filter(col(TOPIC).isin(shown))
        .select(col(TOPIC), col(COHERENCE), col(UMASS), slice(col(TOP_DOCS), 1, ReportData.TOP_DOCS).as(TOP_DOCS))
        .collectAsList().forEach(r -> metrics.put(r.getInt(0), r));
    Map<Integer, List<String>> topDocIds = new HashMap<>();
    metrics.forEach((id, r) -> topDocIds.put(id, r.getList(3)));

    Map<Integer, List<String>> entities = new HashMap<>();
    if (store.exists(TOPIC_ENTITIES)) { // an output of an earlier version has no link stage
      read(TOPIC_ENTITIES).filter(col(PERIOD).equalTo(io.newslens.link.TopicEntities.ALL)
              .and(col(RANK).leq(ReportData.TOPIC_ENTITIES)).and(col(TOPIC).isin(shown)))
          .select(TOPIC, RANK, ENTITY).orderBy(TOPIC, RANK).collectAsList()
          .forEach(r -> entities.computeIfAbsent(r.getInt(0), k -> new ArrayList<>()).add(r.getString(2)));
    }
    List<Topic> topics = new ArrayList<>();
    for (Map.Entry<Integer, Double> e : meanShare.entrySet()) {
      int id = e.getKey();
      Row m = metrics.get(id);
      List<Double> shares = periods.stream()
          .map(p -> byPeriod.getOrDefault(p, Map.of()).getOrDefault(id, 0.0)).toList();
      topics.add(new Topic(id, terms.getOrDefault(id, List.of()), m == null ? null : m.getDouble(1),
          m == null ? null : m.getDouble(2), e.getValue(), shares, List.of(), entities.getOrDefault(id, List.of())));
    }
    return new TopicsResult(new ReportData.Topics(null, topics, means.size()), byPeriod, topDocIds);
  }

  private static TopicsResult noTopics(String reason) {
    return new TopicsResult(new ReportData.Topics(reason, List.of(), 0), Map.of(), Map.of());
  }

  /** Title, source and period of a few articles, by id. */
  private Map<String, Article> articles(List<String> docIds) {
    Map<String, Article> found = new HashMap<>();
    if (docIds.isEmpty() || !store.exists(ARTICLES)) {
      return found;
    }
    read(ARTICLES).filter(col(DOC_ID).isin(docIds.toArray())).select(DOC_ID, TITLE, SOURCE, PERIOD)
        .dropDuplicates(DOC_ID).collectAsList()
        .forEach(r -> found.put(r.getString(0), new Article(r.getString(0), r.getString(1), r.getString(2), r.getString(3))));
    return found;
  }

  // ---- entities ----

  private ReportData.Entities entities(List<String> periods) {
    if (!allExist(ENTITIES, ENTITY_TRENDS)) {
      return new ReportData.Entities("the entities stage has not written its tables: run `entities` (or `run`)",
          List.of(), List.of(), 0);
    }
    String skipped = skippedReason("entities");
    if (skipped != null) {
      return new ReportData.Entities(skipped, List.of(), List.of(), 0);
    }
    Dataset<Row> top = read(ENTITIES).filter(col(TYPE).isin(ReportData.ENTITY_TYPES.toArray()))
        .withColumn(RANK, row_number().over(Window.partitionBy(TYPE)
            .orderBy(col(DOCS).desc(), col(MENTIONS).desc(), col(ENTITY))))
        .filter(col(RANK).leq(ReportData.TOP_ENTITIES))
        .select(ENTITY, TYPE, DOCS, MENTIONS, RANK);
    List<Row> topRows = top.orderBy(TYPE, RANK).collectAsList();
    if (topRows.isEmpty()) {
      return new ReportData.Entities("no person, place or organisation was found in the kept articles",
          List.of(), List.of(), 0);
    }
    Dataset<Row> trends = read(ENTITY_TRENDS);
    Map<String, Row> trendOf = new HashMap<>();
    trends.filter(inPeriods(periods)).join(broadcast(top.select(ENTITY, TYPE)), joinKeys(ENTITY, TYPE))
        .select(ENTITY, TYPE, PERIOD, SHARE, BURST).collectAsList()
        .forEach(r -> trendOf.put(r.getString(0) + "\u0000" + r.getString(1) + "\u0000" + r.getString(2), r));
    List<Entity> entities = new ArrayList<>();
    for (Row r : topRows) {
      String key = r.getString(0) + "\u0000" + r.getString(1) + "\u0000";
      List<Double> shares = new ArrayList<>();
      List<Boolean> bursts = new ArrayList<>();
      for (String period : periods) {
        Row t = trendOf.get(key + period);
        shares.add(t == null ? 0.0 : t.getDouble(3));
        bursts.add(t != null && t.getBoolean(4));
      }
      entities.add(new Entity(r.getString(0), r.getString(1), r.getLong(2), r.getLong(3), shares, bursts));
    }
    // The strongest bursts and how many there are, in one job.
    List<Row> strongest = trends.filter(col(BURST))
        .withColumn("total", count(lit(1)).over(Window.partitionBy(new Column[0])))
        .orderBy(col(ZSCORE).desc_nulls_last(), col(PERIOD).desc(), col(ENTITY), col(TYPE))
        .limit(ReportData.MAX_BURSTS).select(PERIOD, ENTITY, TYPE, DOCS, SHARE, ZSCORE, "total").collectAsList();
    List<Burst> bursts = strongest.stream().map(r -> new Burst(r.getString(0), r.getString(1), r.getString(2),
        r.getLong(3), r.getDouble(4), r.isNullAt(5) ? null : r.getDouble(5))).toList();
    return new ReportData.Entities(null, entities, bursts, strongest.isEmpty() ? 0 : strongest.get(0).getLong(6));
  }

  // ---- pairs ----

  /** Sentence co-occurrence when the table has it (the tighter bond), else whole articles. */
  private String pairWindow() {
    if (!store.exists(ENTITY_PAIRS)) {
      return null;
    }
    List<String> windows = read(ENTITY_PAIRS).select(WINDOW).distinct().collectAsList().stream()
        .map(r -> r.getString(0)).toList();
    return windows.contains("sentence") ? "sentence" : windows.contains("document") ? "document" : null;
  }

  private static final Column[] BY_LLR = {col(LLR).desc(), col(ENTITY_A), col(ENTITY_B), col(TYPE_A), col(TYPE_B)};

  private ReportData.Pairs pairs(String window, List<String> periods) {
    if (!store.exists(ENTITY_PAIRS)) {
      return new ReportData.Pairs("the entities stage has not written its tables: run `entities` (or `run`)",
          null, List.of(), null, List.of());
    }
    String skipped = skippedReason("entities");
    if (skipped != null || window == null) {
      return new ReportData.Pairs(skipped != null ? skipped : "no two entities co-occur in the kept articles",
          null, List.of(), null, List.of());
    }
    Dataset<Row> pairs = read(ENTITY_PAIRS).filter(col(WINDOW).equalTo(window));
    List<Pair> overall = pairList(pairs
        .withColumn(RANK, row_number().over(Window.partitionBy(ENTITY_A, TYPE_A, ENTITY_B, TYPE_B)
            .orderBy(col(LLR).desc(), col(PERIOD).desc())))
        .filter(col(RANK).equalTo(1)), ReportData.TOP_PAIRS);
    String latest = periods.isEmpty() ? null : periods.get(periods.size() - 1);
    List<Pair> ofLatest = latest == null ? List.of()
        : pairList(pairs.filter(col(PERIOD).equalTo(latest)), ReportData.TOP_PAIRS);
    return new ReportData.Pairs(null, window, overall, latest, ofLatest);
  }

  private static List<Pair> pairList(Dataset<Row> pairs, int limit) {
    return pairs.orderBy(BY_LLR).limit(limit)
        .select(PERIOD, ENTITY_A, TYPE_A, ENTITY_B, TYPE_B, COUNT, DOCS, LLR, NPMI).collectAsList().stream()
        .map(r -> new Pair(r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4),
            r.getLong(5), r.getLong(6), r.getDouble(7), r.getDouble(8)))
        .toList();
  }

  /** Per period of {@code periods}, its strongest pairs that no earlier period has. */
  private Map<String, List<Pair>> newPairs(String window, List<String> periods) {
    Map<String, List<Pair>> byPeriod = new HashMap<>();
    if (window == null || periods.isEmpty() || skippedReason("entities") != null) {
      return byPeriod;
    }
    Dataset<Row> pairs = read(ENTITY_PAIRS).filter(col(WINDOW).equalTo(window));
    Column[] key = {col(ENTITY_A), col(TYPE_A), col(ENTITY_B), col(TYPE_B)};
    Dataset<Row> first = pairs.groupBy(key).agg(min(PERIOD).as("first"));
    Dataset<Row> fresh = pairs.filter(inPeriods(periods))
        .join(first, joinKeys(ENTITY_A, TYPE_A, ENTITY_B, TYPE_B))
        .filter(col("first").equalTo(col(PERIOD)))
        .withColumn(RANK, row_number().over(Window.partitionBy(PERIOD).orderBy(BY_LLR)))
        .filter(col(RANK).leq(ReportData.PER_PERIOD));
    pairList(fresh, periods.size() * ReportData.PER_PERIOD)
        .forEach(p -> byPeriod.computeIfAbsent(p.period(), k -> new ArrayList<>()).add(p));
    return byPeriod;
  }

  // ---- the latest periods ----

  private static List<TopicShare> topTopics(String period, TopicsResult topics) {
    Map<Integer, Topic> byId = new HashMap<>();
    topics.data().topics().forEach(t -> byId.put(t.id(), t));
    return topics.shareByPeriod().getOrDefault(period, Map.of()).entrySet().stream()
        .sorted(Map.Entry.<Integer, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(5)
        .map(e -> new TopicShare(e.getKey(),
            byId.containsKey(e.getKey()) ? ReportPage.topicLabel(byId.get(e.getKey())) : "topic " + e.getKey(),
            e.getValue()))
        .toList();
  }

  /** Per period, the articles where its top topic weighs most. */
  private Map<String, List<String>> headlineIds(Map<String, List<TopicShare>> topTopics) {
    Map<String, List<String>> ids = new HashMap<>();
    Column which = lit(false);
    for (Map.Entry<String, List<TopicShare>> e : topTopics.entrySet()) {
      if (!e.getValue().isEmpty()) {
        which = which.or(col(PERIOD).equalTo(e.getKey()).and(col(TOPIC).equalTo(e.getValue().get(0).topic())));
      }
    }
    if (!store.exists(DOC_TOPICS)) {
      return ids;
    }
    read(DOC_TOPICS).filter(which)
        .withColumn(RANK, row_number().over(Window.partitionBy(PERIOD).orderBy(col(WEIGHT).desc(), col(DOC_ID))))
        .filter(col(RANK).leq(ReportData.TOP_DOCS)).orderBy(PERIOD, RANK).select(PERIOD, DOC_ID).collectAsList()
        .forEach(r -> ids.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r.getString(1)));
    return ids;
  }

  /** Per period, its most mentioned entities and its strongest bursts, in one pass over the trends. */
  private void periodEntities(List<String> periods, Map<String, List<EntityCount>> entities,
      Map<String, List<Burst>> bursts) {
    if (periods.isEmpty() || !store.exists(ENTITY_TRENDS) || skippedReason("entities") != null) {
      return;
    }
    Column byDocs = row_number().over(Window.partitionBy(PERIOD)
        .orderBy(col(DOCS).desc(), col(MENTIONS).desc(), col(ENTITY), col(TYPE)));
    Column byZ = row_number().over(Window.partitionBy(PERIOD, BURST)
        .orderBy(col(ZSCORE).desc_nulls_last(), col(ENTITY), col(TYPE)));
    read(ENTITY_TRENDS).filter(inPeriods(periods)).withColumn("by_docs", byDocs).withColumn("by_z", byZ)
        .filter(col("by_docs").leq(ReportData.PER_PERIOD).or(col(BURST).and(col("by_z").leq(ReportData.PER_PERIOD))))
        .select(PERIOD, ENTITY, TYPE, DOCS, SHARE, ZSCORE, BURST, "by_docs", "by_z")
        .orderBy(PERIOD, "by_docs").collectAsList().forEach(r -> {
          if (r.getInt(7) <= ReportData.PER_PERIOD) {
            entities.computeIfAbsent(r.getString(0), k -> new ArrayList<>())
                .add(new EntityCount(r.getString(1), r.getString(2), r.getLong(3)));
          }
          if (r.getBoolean(6) && r.getInt(8) <= ReportData.PER_PERIOD) {
            bursts.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(new Burst(r.getString(0),
                r.getString(1), r.getString(2), r.getLong(3), r.getDouble(4), r.isNullAt(5) ? null : r.getDouble(5)));
          }
        });
    bursts.values().forEach(list -> list.sort(java.util.Comparator.comparing((Burst b) -> b.zscore() == null
        ? Double.NEGATIVE_INFINITY : b.zscore()).reversed().thenComparing(Burst::entity).thenComparing(Burst::type)));
  }
}
