package io.newslens.entities;

import static org.junit.jupiter.api.Assertions.*;

import io.newslens.SharedSpark;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class GoldCheckTest {
  @Test
  void markupGivesTheSpansOfTheCleanText() throws Exception {
    List<GoldCheck.Article> articles = GoldCheck.read(Path.of("bench/entities-gold/gold.jsonl"));
    assertTrue(articles.size() >= 30, "the gold set has " + articles.size() + " articles");
    GoldCheck.Article first = articles.get(0);
    assertFalse(first.text().contains("[["), first.text());
    for (GoldCheck.Article a : articles) {
      for (GoldCheck.Span s : a.gold()) {
        assertTrue(GoldCheck.TYPES.contains(s.type()), s.toString());
        assertFalse(a.text().substring(s.begin(), s.end()).isBlank(), s.toString());
      }
    }
    GoldCheck.Span crooked = articles.get(1).gold().get(1);
    assertEquals("Crooked Hillary Clinton", articles.get(1).text().substring(crooked.begin(), crooked.end()));
    assertEquals("Hillary Clinton", crooked.entity());
  }

  /**
   * The whole gold set, with floors a little under what the stage scores today, so a change
   * that loses names or resolution fails here (bench/entities-gold prints the full report).
   */
  @Test
  void goldSetScoresStayAboveTheirFloors() throws Exception {
    GoldCheck.Report report = GoldCheck.evaluate(SharedSpark.spark(),
        GoldCheck.read(Path.of("bench/entities-gold/gold.jsonl")));
    System.out.println("gold set: " + report.scores());
    assertTrue(report.get("mentions", "ALL").precision() >= FLOOR_PRECISION, report.scores().toString());
    assertTrue(report.get("mentions", "ALL").recall() >= FLOOR_RECALL, report.scores().toString());
    assertTrue(report.get("entities", "PERSON").f1() >= FLOOR_PERSON_ENTITY_F1, report.scores().toString());
    assertTrue(report.get("entities", "LOCATION").f1() >= FLOOR_LOCATION_ENTITY_F1, report.scores().toString());
    assertTrue(report.get("entities", "ORGANIZATION").f1() >= FLOOR_ORGANIZATION_ENTITY_F1, report.scores().toString());
  }

  static final double FLOOR_PRECISION = 0.93;
  static final double FLOOR_RECALL = 0.85;
  static final double FLOOR_PERSON_ENTITY_F1 = 0.85;
  static final double FLOOR_LOCATION_ENTITY_F1 = 0.92;
  static final double FLOOR_ORGANIZATION_ENTITY_F1 = 0.93;
}
