package io.newslens.report;

import static io.newslens.report.Html.count;
import static io.newslens.report.Html.decimal;
import static io.newslens.report.Html.esc;
import static io.newslens.report.Html.percent;

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
import java.util.List;
import java.util.Map;

/**
 * Renders {@link ReportData} as one self-contained HTML page: inline CSS and SVG, no script, no
 * external resource. A Content-Security-Policy that allows no script at all backs up the
 * escaping: should a corpus string ever slip through unescaped, the browser still runs nothing.
 */
public final class ReportPage {
  private ReportPage() {}

  private static final String CSS = """
      body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;background:#fafafa}
      header{background:#263238;color:#fff;padding:14px 24px}header h1{margin:0;font-size:22px}
      header p{margin:4px 0 0;color:#cfd8dc}nav{padding:6px 24px;background:#eceff1}nav a{margin-right:14px}
      main{padding:8px 24px 40px;max-width:1100px}section{margin-top:26px}h2{border-bottom:2px solid #cfd8dc}
      table{border-collapse:collapse;margin:8px 0}td,th{padding:3px 10px 3px 0;text-align:left;vertical-align:top;border-bottom:1px solid #e0e0e0}
      td.n,th.n{text-align:right}.empty{color:#8a6d3b;background:#fcf8e3;padding:6px 10px;display:inline-block}
      .chart{width:100%;max-width:900px;height:auto;display:block}.tick,.label{font-size:11px;fill:#444}
      .grid{stroke:#ddd}.spark .line{fill:none;stroke:#4e79a7;stroke-width:1.5}.spark .burst{fill:#d62728}
      .bars .bar{fill:#90a4ae}.network .edge{stroke:#90a4ae;stroke-opacity:.7}.network .node{stroke:#fff}
      .sw{display:inline-block;width:10px;height:10px;margin-right:5px}.muted{color:#777}.cols{display:flex;flex-wrap:wrap;gap:28px}
      .status-ok{color:#2e7d32}.status-skipped{color:#8a6d3b}.status-failed{color:#c62828}small{color:#666}
      """;

  /** The page. {@code outputName}: how the output folder is named in the heading. */
  public static String render(ReportData data, String outputName) {
    StringBuilder page = new StringBuilder(64 * 1024);
    page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">")
        .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
        .append("<link rel=\"icon\" href=\"data:,\">") // else the browser asks the folder for favicon.ico
        .append("<title>newslens report: ").append(esc(outputName)).append("</title><style>").append(CSS)
        .append("</style></head><body>\n");
    ReportData.Run run = data.run();
    page.append("<header><h1>newslens report</h1><p>").append(esc(outputName)).append(" · command <b>")
        .append(esc(run.command())).append("</b>")
        // a report written as the last stage of `run` sees the run still "running": not worth saying
        .append("running".equals(run.status()) || run.status() == null ? "" : " · status " + esc(run.status()))
        .append(" · ")
        .append(esc(run.updated())).append(" · newslens ").append(esc(run.version())).append(" · run ")
        .append(esc(run.runId())).append("</p></header>\n")
        .append("<nav><a href=\"#run\">Run</a><a href=\"#topics\">Topics</a><a href=\"#entities\">Entities</a>")
        .append("<a href=\"#pairs\">Pairs</a><a href=\"#periods\">Latest periods</a></nav><main>\n");
    runSection(page, data);
    topicsSection(page, data);
    entitiesSection(page, data);
    pairsSection(page, data.pairs());
    periodsSection(page, data);
    page.append("<footer><p class=\"muted\">Aggregates only: at most ").append(ReportData.MAX_PERIODS)
        .append(" periods, ").append(ReportData.MAX_TOPICS).append(" topics, ").append(ReportData.TOP_ENTITIES)
        .append(" entities per type, ").append(ReportData.TOP_PAIRS)
        .append(" pairs per list; the page does not grow with the number of articles.")
        .append(" The tables hold everything: see the links above.</p></footer>");
    return page.append("</main></body></html>\n").toString();
  }

  private static void runSection(StringBuilder page, ReportData data) {
    ReportData.Run run = data.run();
    page.append("<section id=\"run\"><h2>Run</h2><table class=\"stages\"><tr><th>stage</th><th>status</th>")
        .append("<th class=\"n\">seconds</th><th>counts</th></tr>");
    for (Stage stage : run.stages()) {
      page.append("<tr><td>").append(esc(stage.name())).append("</td><td class=\"status-").append(esc(stage.status()))
          .append("\">").append(esc(stage.status()));
      if (stage.reason() != null) {
        page.append(": ").append(esc(stage.reason()));
      }
      page.append("</td><td class=\"n\">").append(decimal(stage.seconds(), 1)).append("</td><td>");
      List<String> counts = new ArrayList<>();
      for (Map.Entry<String, String> e : stage.counts().entrySet()) {
        counts.add(esc(e.getKey()) + "=<b>" + esc(e.getValue()) + "</b>");
      }
      page.append(String.join(" ", counts));
      for (String note : stage.notes()) {
        page.append("<br><small>note: ").append(esc(note)).append("</small>");
      }
      page.append("</td></tr>");
    }
    page.append("</table>");
    if (run.stages().isEmpty()) {
      page.append("<p class=\"empty\">the manifest records no stage</p>");
    }

    page.append("<div class=\"cols\"><div><h3>Tables</h3><table class=\"tables\"><tr><th>table</th><th class=\"n\">rows</th></tr>");
    for (TableInfo table : run.tables()) {
      page.append("<tr><td>");
      if (table.present()) {
        page.append("<a href=\"../").append(esc(table.name())).append("/\">").append(esc(table.name())).append("</a>");
      } else {
        page.append(esc(table.name())).append(" <small>(not written)</small>");
      }
      page.append("</td><td class=\"n\">").append(table.rows() == null ? "–" : count(table.rows())).append("</td></tr>");
    }
    page.append("</table></div><div><h3>Rejects by reason</h3>");
    if (run.rejectsByReason().isEmpty()) {
      page.append("<p class=\"muted\">no rejected records</p>");
    } else {
      counts(page, "rejects", "reason", "records", run.rejectsByReason(), "../rejects/");
    }
    page.append("<h3>Sources</h3>");
    if (run.sources().isEmpty()) {
      page.append("<p class=\"muted\">no kept articles</p>");
    } else {
      counts(page, "sources", "source", "kept articles", run.sources(), null);
    }
    page.append("</div></div>");
    if (!data.periods().isEmpty()) {
      page.append("<h3>Kept articles per period</h3>").append(shownPeriods(data))
          .append(Charts.bars(data.periods(), run.articlesPerPeriod()));
    }
    page.append("</section>\n");
  }

  private static String shownPeriods(ReportData data) {
    return data.periodsTotal() > data.periods().size()
        ? "<p class=\"muted\">the latest " + data.periods().size() + " of " + data.periodsTotal() + " periods</p>" : "";
  }

  private static void counts(StringBuilder page, String cssClass, String keyName, String countName, List<Count> rows,
      String link) {
    page.append("<table class=\"").append(cssClass).append("\"><tr><th>").append(keyName).append("</th><th class=\"n\">")
        .append(countName).append("</th></tr>");
    for (Count row : rows) {
      page.append("<tr><td>");
      if (link != null) {
        page.append("<a href=\"").append(link).append("\">").append(esc(row.key())).append("</a>");
      } else {
        page.append(esc(row.key()));
      }
      page.append("</td><td class=\"n\">").append(count(row.count())).append("</td></tr>");
    }
    page.append("</table>");
  }

  static String topicLabel(Topic topic) {
    return "topic " + topic.id() + ": " + String.join(", ", topic.terms().subList(0, Math.min(3, topic.terms().size())));
  }

  private static void topicsSection(StringBuilder page, ReportData data) {
    page.append("<section id=\"topics\"><h2>Topics</h2>");
    ReportData.Topics topics = data.topics();
    if (topics.skipped() != null) {
      page.append("<p class=\"empty\">no topics: ").append(esc(topics.skipped())).append("</p></section>\n");
      return;
    }
    List<Charts.Series> series = new ArrayList<>();
    for (int i = 0; i < topics.topics().size(); i++) {
      Topic topic = topics.topics().get(i);
      series.add(new Charts.Series(topicLabel(topic), topic.shares(), Charts.color(i)));
    }
    if (topics.topicsTotal() > topics.topics().size()) {
      page.append("<p class=\"muted\">the ").append(topics.topics().size()).append(" largest of ")
          .append(topics.topicsTotal()).append(" topics</p>");
    }
    page.append("<h3>Share of the articles over time</h3>").append(shownPeriods(data))
        .append(Charts.stackedArea(data.periods(), series))
        .append("<h3>Topic × period</h3>").append(Charts.heatMap(data.periods(), series))
        .append("<h3>Top terms</h3><table class=\"topics\"><tr><th>topic</th><th>top terms</th><th>entities</th>")
        .append("<th class=\"n\">coherence (NPMI)</th><th class=\"n\">UMass</th><th class=\"n\">mean share</th>")
        .append("<th>articles where it weighs most</th></tr>");
    for (int i = 0; i < topics.topics().size(); i++) {
      Topic topic = topics.topics().get(i);
      page.append("<tr><td><span class=\"sw\" style=\"background:").append(Charts.color(i)).append("\"></span>")
          .append(topic.id()).append("</td><td>").append(esc(String.join(", ", topic.terms()))).append("</td><td>")
          .append(esc(String.join(", ", topic.entities()))).append("</td><td class=\"n\">")
          .append(decimal(topic.coherence(), 3)).append("</td><td class=\"n\">").append(decimal(topic.umass(), 3))
          .append("</td><td class=\"n\">").append(percent(topic.meanShare())).append("</td><td>");
      articles(page, topic.topArticles());
      page.append("</td></tr>");
    }
    page.append("</table></section>\n");
  }

  private static void articles(StringBuilder page, List<Article> articles) {
    for (int i = 0; i < articles.size(); i++) {
      Article a = articles.get(i);
      page.append(i == 0 ? "" : "<br>").append("<span class=\"title\">")
          .append(esc(a.title() == null || a.title().isBlank() ? a.docId() : a.title())).append("</span> <small>")
          .append(esc(a.source())).append(a.source() == null ? "" : ", ").append(esc(a.period())).append("</small>");
    }
  }

  private static void entitiesSection(StringBuilder page, ReportData data) {
    page.append("<section id=\"entities\"><h2>Entities</h2>");
    ReportData.Entities entities = data.entities();
    if (entities.skipped() != null) {
      page.append("<p class=\"empty\">no entities: ").append(esc(entities.skipped())).append("</p></section>\n");
      return;
    }
    page.append("<p class=\"muted\">The most mentioned of each type (by articles); the line is the share of")
        .append(" each period's articles mentioning it, red dots are bursts.</p><div class=\"cols\">");
    for (String type : ReportData.ENTITY_TYPES) {
      page.append("<div><h3>").append(esc(type)).append("</h3>");
      List<Entity> ofType = entities.top().stream().filter(e -> e.type().equals(type)).toList();
      if (ofType.isEmpty()) {
        page.append("<p class=\"muted\">none</p></div>");
        continue;
      }
      page.append("<table class=\"entities\"><tr><th>entity</th><th class=\"n\">articles</th><th>trend</th></tr>");
      for (Entity e : ofType) {
        page.append("<tr><td class=\"entity\">").append(esc(e.name())).append("</td><td class=\"n\">").append(count(e.docs()))
            .append("</td><td>").append(Charts.sparkline(e.name(), data.periods(), e.shares(), e.bursts()))
            .append("</td></tr>");
      }
      page.append("</table></div>");
    }
    page.append("</div><h3>Bursts</h3>");
    if (entities.bursts().isEmpty()) {
      page.append("<p class=\"muted\">no bursts</p>");
    } else {
      if (entities.burstsTotal() > entities.bursts().size()) {
        page.append("<p class=\"muted\">the ").append(entities.bursts().size()).append(" strongest of ")
            .append(count(entities.burstsTotal())).append(" bursts</p>");
      }
      bursts(page, entities.bursts());
    }
    page.append("</section>\n");
  }

  private static void bursts(StringBuilder page, List<Burst> bursts) {
    page.append("<table class=\"bursts\"><tr><th>period</th><th>entity</th><th>type</th><th class=\"n\">articles</th>")
        .append("<th class=\"n\">share</th><th class=\"n\">z-score</th></tr>");
    for (Burst b : bursts) {
      page.append("<tr><td>").append(esc(b.period())).append("</td><td>").append(esc(b.entity())).append("</td><td>")
          .append(esc(b.type())).append("</td><td class=\"n\">").append(count(b.docs())).append("</td><td class=\"n\">")
          .append(percent(b.share())).append("</td><td class=\"n\">").append(decimal(b.zscore(), 1)).append("</td></tr>");
    }
    page.append("</table>");
  }

  private static void pairsSection(StringBuilder page, ReportData.Pairs pairs) {
    page.append("<section id=\"pairs\"><h2>Pairs</h2>");
    if (pairs.skipped() != null) {
      page.append("<p class=\"empty\">no pairs: ").append(esc(pairs.skipped())).append("</p></section>\n");
      return;
    }
    page.append("<p class=\"muted\">Entities co-occurring in one ").append(esc(pairs.window()))
        .append(", ranked by Dunning's log-likelihood ratio (LLR; above 10.83 is p &lt; 0.001), computed per period.</p>")
        .append("<h3>Strongest overall</h3><p class=\"muted\">each pair in its strongest period</p>");
    pairTable(page, pairs.overall(), true);
    page.append(Charts.network(pairs.overall()));
    page.append("<h3>Strongest in the latest period, ").append(esc(pairs.latestPeriod())).append("</h3>");
    if (pairs.latest().isEmpty()) {
      page.append("<p class=\"muted\">no pairs in this period</p>");
    } else {
      pairTable(page, pairs.latest(), false);
      page.append(Charts.network(pairs.latest()));
    }
    page.append("</section>\n");
  }

  private static void pairTable(StringBuilder page, List<Pair> pairs, boolean withPeriod) {
    page.append("<table class=\"pairs\"><tr><th>#</th><th>entity</th><th>entity</th>")
        .append(withPeriod ? "<th>period</th>" : "")
        .append("<th class=\"n\">together</th><th class=\"n\">articles</th><th class=\"n\">NPMI</th><th class=\"n\">LLR</th></tr>");
    int rank = 1;
    for (Pair p : pairs) {
      page.append("<tr><td>").append(rank++).append("</td><td>").append(esc(p.a())).append(" <small>")
          .append(esc(p.typeA())).append("</small></td><td>").append(esc(p.b())).append(" <small>").append(esc(p.typeB()))
          .append("</small></td>").append(withPeriod ? "<td>" + esc(p.period()) + "</td>" : "")
          .append("<td class=\"n\">").append(count(p.count())).append("</td><td class=\"n\">").append(count(p.docs()))
          .append("</td><td class=\"n\">").append(decimal(p.npmi(), 2)).append("</td><td class=\"n\">")
          .append(decimal(p.llr(), 1)).append("</td></tr>");
    }
    page.append("</table>");
  }

  private static void periodsSection(StringBuilder page, ReportData data) {
    page.append("<section id=\"periods\"><h2>Latest periods</h2>");
    if (data.latestPeriods().isEmpty()) {
      page.append("<p class=\"empty\">no periods: no kept articles</p>");
    }
    for (PeriodPage p : data.latestPeriods()) {
      page.append("<article class=\"period\" id=\"period-").append(esc(p.period())).append("\"><h3>")
          .append(esc(p.period())).append(" <small>").append(count(p.articles())).append(" kept articles</small></h3>")
          .append("<div class=\"cols\"><div><h4>Top topics</h4>");
      if (p.topics().isEmpty()) {
        page.append("<p class=\"muted\">none</p>");
      } else {
        page.append("<table><tr><th>topic</th><th class=\"n\">share</th></tr>");
        for (ReportData.TopicShare t : p.topics()) {
          page.append("<tr><td>").append(esc(t.label())).append("</td><td class=\"n\">").append(percent(t.share()))
              .append("</td></tr>");
        }
        page.append("</table>");
      }
      if (!p.headlines().isEmpty()) {
        page.append("<h4>Articles of its top topic</h4><p>");
        articles(page, p.headlines());
        page.append("</p>");
      }
      page.append("</div><div><h4>Most mentioned</h4>");
      if (p.entities().isEmpty()) {
        page.append("<p class=\"muted\">none</p>");
      } else {
        page.append("<table><tr><th>entity</th><th>type</th><th class=\"n\">articles</th></tr>");
        for (ReportData.EntityCount e : p.entities()) {
          page.append("<tr><td>").append(esc(e.entity())).append("</td><td>").append(esc(e.type()))
              .append("</td><td class=\"n\">").append(count(e.docs())).append("</td></tr>");
        }
        page.append("</table>");
      }
      page.append("</div></div><h4>Bursts</h4>");
      if (p.bursts().isEmpty()) {
        page.append("<p class=\"muted\">none</p>");
      } else {
        bursts(page, p.bursts());
      }
      page.append("<h4>New pairs</h4><p class=\"muted\">pairs seen in no earlier period, by LLR</p>");
      if (p.newPairs().isEmpty()) {
        page.append("<p class=\"muted\">none</p>");
      } else {
        pairTable(page, p.newPairs(), false);
      }
      page.append("</article>");
    }
    page.append("</section>\n");
  }
}
