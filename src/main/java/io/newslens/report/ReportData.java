package io.newslens.report;

import java.util.List;
import java.util.Map;

/**
 * Everything the report page shows, already aggregated: small plain rows whose size depends on
 * the limits below (periods shown, topics, top-N lists), never on the number of articles.
 * {@link ReportAggregates} builds it from the tables with Spark; {@link ReportPage} renders it
 * without Spark, so the page can be tested on rows built by hand.
 *
 * <p>Strings here come from the corpus (titles, sources, entity names, terms) or from the
 * manifest; the renderer escapes every one of them.
 */
public record ReportData(
    Run run,
    List<String> periods,
    int periodsTotal,
    Topics topics,
    Entities entities,
    Pairs pairs,
    List<PeriodPage> latestPeriods) {

  /** Periods on the time axis at most: the latest ones, when the corpus has more. */
  public static final int MAX_PERIODS = 120;
  /** Topics drawn at most (the largest by share); --topics is normally well below. */
  public static final int MAX_TOPICS = 100;
  public static final int TOP_TERMS = 10;
  /** Titles of the articles where each topic weighs most. */
  public static final int TOP_DOCS = 3;
  /** Entities shown with each topic. */
  public static final int TOPIC_ENTITIES = 5;
  /** Most mentioned entities per type, each with a sparkline. */
  public static final int TOP_ENTITIES = 10;
  public static final int MAX_BURSTS = 30;
  /** Pairs per ranked table; the network draws the same pairs. */
  public static final int TOP_PAIRS = 20;
  public static final int MAX_SOURCES = 15;
  public static final int MAX_REASONS = 20;
  /** Latest periods that get a section of their own. */
  public static final int PERIOD_PAGES = 3;
  public static final int PER_PERIOD = 8;
  public static final List<String> ENTITY_TYPES = List.of("PERSON", "LOCATION", "ORGANIZATION");

  /** The run: what the manifest says, and counts read from the tables. */
  public record Run(
      String command,
      String runId,
      String status,
      String updated,
      String version,
      List<Stage> stages,
      List<TableInfo> tables,
      List<Count> rejectsByReason,
      List<Count> sources,
      List<Long> articlesPerPeriod) {}

  /** One stage's manifest entry: its counts as "key", "value" strings, in the manifest's order. */
  public record Stage(String name, String status, double seconds, String reason, List<String> notes,
      Map<String, String> counts) {}

  /** {@code present}: the folder exists with its completion marker. */
  public record TableInfo(String name, Long rows, boolean present) {}

  public record Count(String key, long count) {}

  public record Article(String docId, String title, String source, String period) {}

  /** {@code skipped}: why there are no topics (then the lists are empty), else null. */
  public record Topics(String skipped, List<Topic> topics, int topicsTotal) {}

  /**
   * {@code shares}: the topic's share of each period of {@link ReportData#periods()};
   * {@code entities}: the names that go with it most over the corpus (topic_entities), best first.
   */
  public record Topic(int id, List<String> terms, Double coherence, Double umass, double meanShare,
      List<Double> shares, List<Article> topArticles, List<String> entities) {}

  /** {@code skipped}: why there are no entities, else null. */
  public record Entities(String skipped, List<Entity> top, List<Burst> bursts, long burstsTotal) {}

  /** {@code shares} and {@code bursts}: per period of {@link ReportData#periods()}. */
  public record Entity(String name, String type, long docs, long mentions, List<Double> shares,
      List<Boolean> bursts) {}

  public record Burst(String period, String entity, String type, long docs, double share, Double zscore) {}

  /**
   * {@code window}: the co-occurrence unit of the pairs shown; {@code overall}: each pair's
   * strongest period (the table has one LLR per period); {@code latest}: the latest period's.
   */
  public record Pairs(String skipped, String window, List<Pair> overall, String latestPeriod, List<Pair> latest) {}

  public record Pair(String period, String a, String typeA, String b, String typeB, long count, long docs,
      double llr, double npmi) {}

  public record TopicShare(int topic, String label, double share) {}

  public record EntityCount(String entity, String type, long docs) {}

  /** One period's own section. */
  public record PeriodPage(String period, long articles, List<TopicShare> topics, List<Article> headlines,
      List<EntityCount> entities, List<Burst> bursts, List<Pair> newPairs) {}
}
