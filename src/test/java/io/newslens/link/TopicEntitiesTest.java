package io.newslens.link;

import static io.newslens.common.Tables.*;
import static org.junit.jupiter.api.Assertions.*;

import io.newslens.SharedSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Twelve documents, two topics: d1..d6 are 0.9 topic 0 ("war"), d7..d12 0.9 topic 1 ("health");
 * d1..d3 and d7..d9 in 2003, the others in 2004. Saddam is in d1..d4, Medicare in d7..d9,
 * America in all twelve, Rare in d5 only and Twice in d5 and d6.
 *
 * <p>Saddam on topic 0 over the corpus: N = 12, W = 6 x 0.9 + 6 x 0.1 = 6, D = 4, C = 3.6,
 * E = 6 x 4 / 12 = 2, lift = (3.6 + 1) / (2 + 1) = 1.533333, npmi = ln(1.8) / -ln(0.3) = 0.488206.
 * In 2003: N = 6, W = 3, D = 3, C = 2.7, E = 1.5, lift = (2.7 + 1.533333) / (1.5 + 1) = 1.693333.
 * On topic 1 his C (0.4) is below E (2): no link. America is in every document: C = E, lift 1, no link.
 */
class TopicEntitiesTest {
  static final StructType DOC_TOPICS_SCHEMA = DOC_TOPICS.schema();
  static final StructType MENTIONS_SCHEMA = DataTypes.createStructType(List.of(
      DataTypes.createStructField(DOC_ID, DataTypes.StringType, false),
      DataTypes.createStructField(ENTITY, DataTypes.StringType, false),
      DataTypes.createStructField(TYPE, DataTypes.StringType, false)));

  static Dataset<Row> docTopics(List<Object[]> extra) {
    List<Object[]> rows = new ArrayList<>();
    for (int d = 1; d <= 12; d++) {
      String period = (d - 1) % 6 < 3 ? "2003" : "2004";
      double war = d <= 6 ? 0.9 : 0.1;
      rows.add(new Object[] {"d" + d, period, 0, war});
      rows.add(new Object[] {"d" + d, period, 1, 1 - war});
    }
    rows.addAll(extra);
    return SharedSpark.rows(DOC_TOPICS_SCHEMA, rows);
  }

  static Dataset<Row> mentions(List<Object[]> extra) {
    List<Object[]> rows = new ArrayList<>();
    for (int d = 1; d <= 12; d++) {
      rows.add(new Object[] {"d" + d, "America", "LOCATION"});
      rows.add(new Object[] {"d" + d, "America", "LOCATION"}); // a second mention counts once
      if (d <= 4) {
        rows.add(new Object[] {"d" + d, "Saddam Hussein", "PERSON"});
      }
      if (d >= 7 && d <= 9) {
        rows.add(new Object[] {"d" + d, "Medicare", "ORGANIZATION"});
      }
    }
    rows.add(new Object[] {"d5", "Rare", "MISC"});
    rows.add(new Object[] {"d5", "Twice", "MISC"});
    rows.add(new Object[] {"d6", "Twice", "MISC"});
    rows.add(new Object[] {"d99", "Saddam Hussein", "PERSON"}); // a document without topics does not count
    rows.addAll(extra);
    return SharedSpark.rows(MENTIONS_SCHEMA, rows);
  }

  /** "period/topic/entity" to the row. */
  static Map<String, Row> byKey(Dataset<Row> table) {
    Map<String, Row> rows = new TreeMap<>();
    table.collectAsList().forEach(r -> assertNull(rows.put(
        r.getAs(PERIOD) + "/" + r.getAs(TOPIC) + "/" + r.getAs(ENTITY), r), "one row per key"));
    return rows;
  }

  @Test
  void anEntityOfOneTopicsDocumentsLinksToThatTopicOnly() {
    TopicEntities.Result result = TopicEntities.apply(docTopics(List.of()), mentions(List.of()),
        TopicEntities.Options.defaults());
    assertArrayEquals(TOPIC_ENTITIES.columns(), result.topicEntities().columns());
    assertArrayEquals(ENTITY_TOPICS.columns(), result.entityTopics().columns());
    Map<String, Row> rows = byKey(result.topicEntities());

    Row saddam = rows.get("all/0/Saddam Hussein");
    assertEquals(1, (int) saddam.getAs(RANK));
    assertEquals(4L, (long) saddam.getAs(DOCS));
    assertEquals(4L, (long) saddam.getAs(ENTITY_DOCS), "d99 has no topics");
    assertEquals(3.6, saddam.getAs(WEIGHTED_DOCS), 1e-9);
    assertEquals(2.0, saddam.getAs(EXPECTED_DOCS), 1e-9);
    assertEquals(1.533333, saddam.getAs(LIFT), 1e-6);
    assertEquals(0.488206, saddam.getAs(NPMI), 1e-6);
    Row in2003 = rows.get("2003/0/Saddam Hussein");
    assertEquals(3L, (long) in2003.getAs(DOCS));
    assertEquals(2.7, in2003.getAs(WEIGHTED_DOCS), 1e-9);
    assertEquals(1.5, in2003.getAs(EXPECTED_DOCS), 1e-9);
    assertEquals(1.693333, in2003.getAs(LIFT), 1e-6);
    // In 2004 Saddam is in one document (d4): below 3 documents, but the pair passed over the corpus.
    assertEquals(1L, (long) rows.get("2004/0/Saddam Hussein").getAs(DOCS));

    assertEquals(1, (int) rows.get("all/1/Medicare").getAs(RANK));
    for (String absent : List.of("all/1/Saddam Hussein", "2003/1/Saddam Hussein", "all/0/Medicare",
        "all/0/America", "all/1/America", "all/0/Rare", "all/0/Twice", "2004/0/Twice")) {
      assertFalse(rows.containsKey(absent), absent + ": " + rows.keySet());
    }
    assertEquals(Map.of("all", 1L, "2003", 1L, "2004", 1L), countsOf(result.entityTopics()
        .filter("entity = 'Saddam Hussein'")), "Saddam has one topic in each scope");
    Row reverse = result.entityTopics().filter("entity = 'Saddam Hussein' AND period = 'all'").first();
    assertEquals(0, (int) reverse.getAs(TOPIC));
    assertEquals(1, (int) reverse.getAs(RANK));
    assertEquals(1.533333, reverse.getAs(LIFT), 1e-6);
  }

  private static Map<String, Long> countsOf(Dataset<Row> rows) {
    Map<String, Long> counts = new TreeMap<>();
    rows.groupBy(PERIOD).count().collectAsList().forEach(r -> counts.put(r.getString(0), r.getLong(1)));
    return counts;
  }

  @Test
  void minDocsDropsRareEntitiesAndTopBoundsTheRows() {
    Map<String, Row> two = byKey(TopicEntities.apply(docTopics(List.of()), mentions(List.of()),
        new TopicEntities.Options(2, 20)).topicEntities());
    assertTrue(two.containsKey("all/0/Twice"), "two documents are enough with --link-min-docs 2");
    assertFalse(two.containsKey("all/0/Rare"));
    // Twice (C = 1.8, E = 1) has lift 1.4, below Saddam's 1.533333; with one per topic only Saddam is left.
    Map<String, Row> top1 = byKey(TopicEntities.apply(docTopics(List.of()), mentions(List.of()),
        new TopicEntities.Options(2, 1)).topicEntities());
    assertTrue(top1.containsKey("all/0/Saddam Hussein"));
    assertFalse(top1.containsKey("all/0/Twice"));
    assertEquals(1, top1.keySet().stream().filter(k -> k.startsWith("all/0/")).count());
    assertThrows(IllegalArgumentException.class, () -> new TopicEntities.Options(0, 20));
  }

  /**
   * A period of one document (a yearly speech) has C = E for every entity in it: the pair's lift
   * over the corpus orders them. d13 (2005) is 0.6 topic 0 and mentions Saddam and Medicare.
   */
  @Test
  void aOneDocumentPeriodRanksByTheCorpusWideLink() {
    List<Object[]> topics = List.of(new Object[] {"d13", "2005", 0, 0.6}, new Object[] {"d13", "2005", 1, 0.4});
    List<Object[]> named = List.of(new Object[] {"d13", "Saddam Hussein", "PERSON"},
        new Object[] {"d13", "Medicare", "ORGANIZATION"}, new Object[] {"d13", "America", "LOCATION"});
    Map<String, Row> rows = byKey(TopicEntities.apply(docTopics(topics), mentions(named),
        TopicEntities.Options.defaults()).topicEntities());
    assertEquals(1, (int) rows.get("2005/0/Saddam Hussein").getAs(RANK));
    assertEquals(1, (int) rows.get("2005/1/Medicare").getAs(RANK));
    assertFalse(rows.containsKey("2005/0/Medicare"), rows.keySet().toString());
    assertFalse(rows.containsKey("2005/0/America"), rows.keySet().toString());
    assertEquals(0.0, rows.get("2005/0/Saddam Hussein").getAs(NPMI), 1e-9, "one document: no association of its own");
  }

  @Test
  void sameRowsWhateverThePartitioningAndEmptyInputGivesEmptyTables() {
    TopicEntities.Result one = TopicEntities.apply(docTopics(List.of()).repartition(1), mentions(List.of()).repartition(1),
        TopicEntities.Options.defaults());
    TopicEntities.Result seven = TopicEntities.apply(docTopics(List.of()).repartition(7),
        mentions(List.of()).repartition(7), TopicEntities.Options.defaults());
    assertEquals(0, one.topicEntities().exceptAll(seven.topicEntities()).count()
        + seven.topicEntities().exceptAll(one.topicEntities()).count());
    assertEquals(0, one.entityTopics().exceptAll(seven.entityTopics()).count()
        + seven.entityTopics().exceptAll(one.entityTopics()).count());

    TopicEntities.Result empty = TopicEntities.apply(SharedSpark.rows(DOC_TOPICS_SCHEMA, List.of()),
        mentions(List.of()), TopicEntities.Options.defaults());
    assertEquals(0, empty.topicEntities().count());
    assertEquals(TOPIC_ENTITIES.schema().simpleString(), empty.topicEntities().schema().simpleString());
  }
}
