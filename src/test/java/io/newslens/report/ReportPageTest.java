package io.newslens.report;

import static org.junit.jupiter.api.Assertions.*;

import io.newslens.report.ReportData.Article;
import io.newslens.report.ReportData.Burst;
import io.newslens.report.ReportData.Count;
import io.newslens.report.ReportData.Entity;
import io.newslens.report.ReportData.Pair;
import io.newslens.report.ReportData.PeriodPage;
import io.newslens.report.ReportData.Stage;
import io.newslens.report.ReportData.TableInfo;
import io.newslens.report.ReportData.Topic;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

/** The page from hand-made rows, without Spark or a browser: escaping, marks per chart, size bound. */
class ReportPageTest {
  static final String SCRIPT = "<script>alert(1)</script>";
  static final String IMG = "<img src=x onerror=alert(1)>";
  static final String QUOTE = "\" onmouseover=\"alert(1)";

  /** Data at the size {@code periods} × {@code topics} × ..., every corpus string hostile. */
  static ReportData data(int periods, int topics, int entitiesPerType, int pairs) {
    List<String> axis = IntStream.range(0, periods).mapToObj(i -> String.format("%04d-%02d", 2000 + i / 12, 1 + i % 12))
        .toList();
    List<Double> shares = axis.stream().map(p -> 1.0 / Math.max(topics, 1)).toList();
    Article hostile = new Article("doc-1", SCRIPT, IMG, axis.isEmpty() ? "2000-01" : axis.get(0));
    List<Topic> topicList = IntStream.range(0, topics).mapToObj(t -> new Topic(t,
        IntStream.range(0, ReportData.TOP_TERMS).mapToObj(r -> r == 0 ? SCRIPT : "term" + t + "x" + r).toList(),
        0.12, -1.5, 1.0 / topics, shares, Collections.nCopies(ReportData.TOP_DOCS, hostile),
        List.of(QUOTE, "Saddam Hussein"))).toList();
    List<Entity> entities = new ArrayList<>();
    for (String type : ReportData.ENTITY_TYPES) {
      for (int e = 0; e < entitiesPerType; e++) {
        entities.add(new Entity(e == 0 ? IMG : type + " entity " + e, type, 100 - e, 200 - e,
            axis.stream().map(p -> 0.1).toList(), axis.stream().map(p -> p.endsWith("-06")).toList()));
      }
    }
    List<Burst> bursts = IntStream.range(0, ReportData.MAX_BURSTS)
        .mapToObj(b -> new Burst(axis.get(axis.size() - 1), b == 0 ? SCRIPT : "burst " + b, "PERSON", 5, 0.2, 4.5))
        .toList();
    List<Pair> pairList = IntStream.range(0, pairs).mapToObj(p -> new Pair(axis.get(axis.size() - 1),
        p == 0 ? SCRIPT : "a" + p, "PERSON", p == 0 ? IMG : "b" + (p % 7), "LOCATION", 10, 8, 50.0 - p, 0.5)).toList();
    List<PeriodPage> pages = axis.subList(Math.max(0, axis.size() - ReportData.PERIOD_PAGES), axis.size()).stream()
        .map(p -> new PeriodPage(p, 42,
            List.of(new ReportData.TopicShare(0, "topic 0: " + SCRIPT, 0.4)), List.of(hostile),
            Collections.nCopies(ReportData.PER_PERIOD, new ReportData.EntityCount(IMG, "PERSON", 3)),
            bursts.subList(0, ReportData.PER_PERIOD), pairList.subList(0, Math.min(pairs, ReportData.PER_PERIOD))))
        .toList();
    ReportData.Run run = new ReportData.Run("run", "id-1", "ok", "2026-11-27T00:00:00Z", "0.1.0",
        List.of(new Stage("ingest", "ok", 1.5, null, List.of(), Map.of("articles", "405", "input", QUOTE)),
            new Stage("topics", "skipped", 0.2, "too few documents " + SCRIPT, List.of("note " + IMG), Map.of())),
        List.of(new TableInfo("ingested", 405L, true), new TableInfo("tokens", null, false)),
        List.of(new Count("missing_text", 3)), List.of(new Count(IMG, 400), new Count(QUOTE, 5)),
        axis.stream().map(p -> 10L).toList());
    return new ReportData(run, axis, periods + 7, new ReportData.Topics(null, topicList, topics),
        new ReportData.Entities(null, entities, bursts, 99), new ReportData.Pairs(null, "sentence", pairList,
            axis.get(axis.size() - 1), pairList), pages);
  }

  @Test
  void escapeCoversTextAndAttributes() {
    assertEquals("&lt;script&gt;alert(1)&lt;/script&gt;", Html.esc(SCRIPT));
    assertEquals("&quot; onmouseover=&quot;alert(1)", Html.esc(QUOTE));
    assertEquals("a &amp;amp; &#39;b&#39;", Html.esc("a &amp; 'b'"));
    assertEquals("x\uFFFDy\tz", Html.esc("x\u0000y\tz"));
    assertEquals("", Html.esc(null));
  }

  @Test
  void hostileStringsShowAsTextAndNothingCanRun() {
    String html = ReportPage.render(data(14, 4, 3, 5), "out/" + SCRIPT);
    Document page = Jsoup.parse(html);
    assertTrue(page.select("script").isEmpty(), "no script element");
    assertTrue(page.select("img").isEmpty(), "no img element");
    assertTrue(page.getAllElements().stream().allMatch(e -> e.attributes().asList().stream()
        .noneMatch(a -> a.getKey().startsWith("on"))), "no event-handler attribute");
    String text = page.body().text();
    assertTrue(text.contains(SCRIPT), "the title shows as text");
    assertTrue(text.contains(IMG), "the source and entity name show as text");
    assertTrue(text.contains(QUOTE), "a quote stays inside its text");
    assertTrue(page.title().contains(SCRIPT));
    // SVG tooltips too: the hostile entity's sparkline title is text.
    assertTrue(page.select("svg.spark title").stream().anyMatch(t -> t.text().startsWith(IMG)));
    assertTrue(html.contains("Content-Security-Policy"), "scripts are refused even if escaping failed");
  }

  @Test
  void everyChartHasOneMarkPerSeries() {
    int periods = 14, topics = 4, perType = 3, pairs = 5;
    Document page = Jsoup.parse(ReportPage.render(data(periods, topics, perType, pairs), "out"));
    assertEquals(topics, page.select("svg.stacked-area path.area").size());
    assertEquals(topics, page.select("table.topics td:contains(Saddam Hussein)").size(), "each topic's entities");
    assertEquals(topics * periods, page.select("svg.heatmap rect.cell").size());
    assertEquals(3 * perType, page.select("svg.spark").size());
    // every entity's June periods are bursts: 14 months from January 2000 hold one June
    assertEquals(3 * perType, page.select("svg.spark circle.burst").size());
    assertEquals(periods, page.select("svg.bars rect.bar").size());
    assertEquals(2 * pairs, page.select("svg.network line.edge").size(), "overall and latest networks");
    assertEquals(ReportData.PERIOD_PAGES, page.select("article.period").size());
    assertEquals("the latest 14 of 21 periods", page.select("#run p.muted").last().text());
    assertTrue(page.select("a[href=../ingested/]").size() == 1, "a link to each written table");
    assertTrue(page.select("a[href=../tokens/]").isEmpty(), "no link to a table that is not there");
  }

  @Test
  void stackedAreasOfOnePeriodStillHaveArea() {
    String svg = Charts.stackedArea(List.of("2007-07"), List.of(
        new Charts.Series("a", List.of(0.6), "#000"), new Charts.Series("b", List.of(0.4), "#111")));
    Document doc = Jsoup.parse(svg);
    assertEquals(2, doc.select("path.area").size());
    // the first band spans the plot's width at one period: its path has distinct x coordinates
    String d = doc.select("path.area").first().attr("d");
    assertTrue(d.contains("M44.0,") && d.contains("L824.0,"), d);
  }

  @Test
  void skippedSectionsSayWhy() {
    ReportData full = data(3, 2, 1, 1);
    ReportData empty = new ReportData(full.run(), List.of(), 0,
        new ReportData.Topics("skipped: too few documents for a topic model: 1 (at least 2 needed)", List.of(), 0),
        new ReportData.Entities("skipped: no kept articles", List.of(), List.of(), 0),
        new ReportData.Pairs("skipped: no kept articles", null, List.of(), null, List.of()), List.of());
    Document page = Jsoup.parse(ReportPage.render(empty, "out"));
    assertEquals("no topics: skipped: too few documents for a topic model: 1 (at least 2 needed)",
        page.select("#topics p.empty").text());
    assertEquals("no entities: skipped: no kept articles", page.select("#entities p.empty").text());
    assertTrue(page.select("svg").isEmpty());
  }

  /**
   * The page at every limit of {@link ReportData} at once stays a few MB, whatever the number of
   * articles: the bound the README states.
   */
  @Test
  void pageAtEveryLimitStaysUnderThreeMegabytes() {
    ReportData largest = data(ReportData.MAX_PERIODS, ReportData.MAX_TOPICS, ReportData.TOP_ENTITIES,
        ReportData.TOP_PAIRS);
    int bytes = ReportPage.render(largest, "out").getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    assertTrue(bytes < 3_000_000, bytes + " bytes");
    assertTrue(bytes > 500_000, "the worst case really is drawn: " + bytes);
  }
}
