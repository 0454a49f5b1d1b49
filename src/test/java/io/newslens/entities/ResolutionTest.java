package io.newslens.entities;

import static io.newslens.SharedSpark.rows;
import static org.junit.jupiter.api.Assertions.*;

import java.sql.Date;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class ResolutionTest {
  /** Articles of one period; sentences end at ". " (the test texts have no abbreviations). */
  static Entities.Result run(String period, String... texts) {
    List<Object[]> articles = new ArrayList<>();
    List<Object[]> tokens = new ArrayList<>();
    for (int d = 0; d < texts.length; d++) {
      String id = "d" + (d + 1);
      String text = texts[d];
      articles.add(new Object[] {id, Date.valueOf(period + "-01"), period, text});
      int begin = 0;
      int sentence = 0;
      for (int stop = text.indexOf(". "); begin < text.length(); stop = text.indexOf(". ", begin)) {
        int end = stop < 0 ? text.length() : stop + 1;
        tokens.add(new Object[] {id, sentence++, begin, end});
        begin = end + 1;
      }
    }
    return Entities.apply(rows(EntitiesTest.ARTICLES, articles), rows(EntitiesTest.TOKENS, tokens),
        Entities.Options.defaults());
  }

  /** "doc:text" to "entity|type". */
  static Map<String, String> mentions(Entities.Result result) {
    Map<String, String> out = new HashMap<>();
    for (Row r : result.mentions().collectAsList()) {
      out.put(r.getAs("doc_id") + ":" + r.getAs("text"), r.getAs("entity") + "|" + r.getAs("type"));
    }
    return out;
  }

  @Test
  void oneClintonPerPersonAcrossTheCorpus() {
    Entities.Result result = run("2016-01",
        "Hillary Clinton spoke in Iowa with Donald Trump and Bernie Sanders.",
        "Hillary Clinton and Bill Clinton visited Iowa with Bernie Sanders.",
        "Hilary Clinton spoke in Iowa with Bernie Sanders and Donald Trump.",
        "The Hillary Clintons of this world met Donald Trump in Iowa.",
        "Crooked Hillary Clinton lost to Donald Trump in Iowa.",
        "Voters told @HillaryClinton and Chelsea Clinton to visit Iowa.",
        "In Iowa, supporters cheered when Clinton arrived.",
        "Sleepy Joe Biden met Obama Care fans and Hours later left.",
        "Everything Obama did was cheered by Donald Trump.");
    try {
      Map<String, String> m = mentions(result);
      assertEquals("Hillary Clinton|PERSON", m.get("d3:Hilary Clinton"), m.toString());
      assertEquals("Hillary Clinton|PERSON", m.get("d4:Hillary Clintons"), m.toString());
      assertEquals("Hillary Clinton|PERSON", m.get("d5:Crooked Hillary Clinton"), m.toString());
      assertEquals("Hillary Clinton|PERSON", m.get("d6:@HillaryClinton"), m.toString());
      assertEquals("Hillary Clinton|PERSON", m.get("d7:Clinton"), "a lone surname: the Clinton of the period");
      assertEquals("Bill Clinton|PERSON", m.get("d2:Bill Clinton"));
      assertEquals("Chelsea Clinton|PERSON", m.get("d6:Chelsea Clinton"));
      assertEquals("Joe Biden|PERSON", m.get("d8:Sleepy Joe Biden"));
      assertNull(m.get("d8:Obama Care"), "a one-off capitalised run is no entity");
      assertNull(m.get("d9:Everything Obama"));
      assertFalse(m.containsKey("d8:Hours"));
      assertFalse(m.values().stream().anyMatch(v -> v.endsWith("|" + RuleRecognizer.PENDING)));

      Row hillary = result.entities().filter("entity = 'Hillary Clinton'").first();
      List<Row> aliases = hillary.getList(hillary.fieldIndex("alias_counts"));
      assertEquals("Hillary Clinton", aliases.get(0).getString(0));
      assertEquals(2L, aliases.get(0).getLong(1));
      assertTrue(hillary.getList(hillary.fieldIndex("aliases")).containsAll(
          List.of("Crooked Hillary Clinton", "Hilary Clinton", "Hillary Clintons", "@HillaryClinton", "Clinton")));
      assertEquals(7L, (long) hillary.getAs("mentions"));
      assertEquals(3, result.entities().filter("entity like '%Clinton%'").count(), "Hillary, Bill and Chelsea");

      Map<String, Long> report = result.resolutionReport();
      assertEquals(Long.valueOf(1), report.get("changed_by_handle"), report.toString());
      assertEquals(Long.valueOf(2), report.get("changed_by_variant"), report.toString());
      assertEquals(Long.valueOf(1), report.get("changed_by_lone_name"), report.toString());
      assertEquals(4L, report.get("mentions_changed_entity"), report.toString());
      assertTrue(report.get("dropped_misc") >= 2, report.toString());
    } finally {
      result.release();
    }
  }

  @Test
  void placesAndInstitutionsByContext() {
    Entities.Result result = run("2008-08",
        "Voters in Georgia lined up in Atlanta on Tuesday.",
        "Russia sent troops into Georgia near Tbilisi.",
        "Officials say Washington warned Iran again.",
        "She flew to Washington on Monday.",
        "Students spoke English in London.",
        "The White House said Member States must pay.",
        "The Washington administration answered. George Washington crossed the Delaware.",
        "The governor asked Washington for more troops.");
    try {
      Map<String, String> m = mentions(result);
      assertEquals("Georgia (U.S. state)|LOCATION", m.get("d1:Georgia"), m.toString());
      assertEquals("Georgia|LOCATION", m.get("d2:Georgia"));
      assertEquals("United States government|ORGANIZATION", m.get("d3:Washington"));
      assertEquals("Washington|LOCATION", m.get("d4:Washington"));
      assertNull(m.get("d5:English"), "a language, not the United Kingdom");
      assertEquals("London|LOCATION", m.get("d5:London"));
      assertEquals("White House|ORGANIZATION", m.get("d6:White House"));
      assertFalse(m.keySet().stream().anyMatch(k -> k.contains("Member States")), m.toString());
      assertEquals("George Washington|PERSON", m.get("d7:George Washington"));
      assertEquals("United States government|ORGANIZATION", m.get("d8:Washington"), "asked Washington: the addressee");
    } finally {
      result.release();
    }
  }
}
