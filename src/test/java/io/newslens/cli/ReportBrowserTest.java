package io.newslens.cli;

import static io.newslens.SharedSpark.spark;
import static io.newslens.cli.CliTestSupport.*;
import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.newslens.common.TableStore;
import io.newslens.common.Tables;
import io.newslens.report.ReportData;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The report of a real run, opened from disk in headless Chromium: its charts are drawn with as
 * many marks as the tables say, the browser logs no error, and hostile corpus strings (titles,
 * sources, an entity name, a topic term) show as text and run nothing.
 *
 * <p>Needs the Debian packages chromium and chromium-driver ({@code .ci/run} installs them).
 * Without them the test is skipped, unless NEWSLENS_REQUIRE_BROWSER=1 (as CI sets), when it fails.
 * The browser and driver paths are given explicitly, so Selenium Manager never downloads one.
 */
class ReportBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final String SCRIPT = "<script>alert(1)</script>";
  static final String IMG = "<img src=x onerror=alert(1)>";
  @TempDir Path dir;

  static void requireBrowser() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    String message = "the browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
        + " (Debian packages chromium, chromium-driver; .ci/run installs them)";
    if ("1".equals(System.getenv("NEWSLENS_REQUIRE_BROWSER"))) {
      assertTrue(present, message + ", and NEWSLENS_REQUIRE_BROWSER=1");
    }
    Assumptions.assumeTrue(present, "skipped: " + message);
  }

  /**
   * Six speeches cut short, and three later articles (the latest period) whose titles and source
   * are hostile: the latest period's top topic can only show their titles.
   */
  Path corpus() throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<String> speeches = Files.readAllLines(Path.of("data/sotu-sample.jsonl"));
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      @SuppressWarnings("unchecked")
      Map<String, Object> record = json.readValue(speeches.get(i), LinkedHashMap.class);
      String text = (String) record.get("text");
      record.put("text", text.substring(0, Math.min(text.length(), 4000)));
      if (i >= 6) {
        record.put("id", "hostile-" + i);
        record.put("date", "1992-01-1" + i);
        record.put("title", i == 6 ? SCRIPT : IMG + " " + i);
        record.put("source", IMG);
        record.put("text", text.substring(text.length() - 4000)); // not a near-duplicate of a cut speech
      }
      lines.add(json.writeValueAsString(record));
    }
    Path input = dir.resolve("hostile.jsonl");
    Files.write(input, lines);
    return input;
  }

  /**
   * An entity and a topic term that no recogniser or tokenizer would produce, put into the tables
   * the way a hostile corpus could: the report reads them like any other row.
   */
  static void plantHostileRows(Path out) {
    TableStore store = new TableStore(spark(), out.toString());
    Dataset<Row> entities = store.read(Tables.ENTITIES);
    Row top = entities.orderBy(col("docs").desc(), col("entity")).first();
    org.apache.spark.sql.Column isTop = col("entity").equalTo(top.<String>getAs("entity"))
        .and(col("type").equalTo(top.<String>getAs("type")));
    store.write(Tables.ENTITIES, entities.unionByName(entities.filter(isTop)
        .withColumn("entity", lit(IMG)).withColumn("type", lit("PERSON")).withColumn("docs", lit(1_000_000L))));
    Dataset<Row> trends = store.read(Tables.ENTITY_TRENDS);
    store.write(Tables.ENTITY_TRENDS, trends.unionByName(trends.filter(isTop)
        .withColumn("entity", lit(IMG)).withColumn("type", lit("PERSON")).withColumn("burst", lit(true))
        .withColumn("zscore", lit(99.0))));
    Dataset<Row> pairs = store.read(Tables.ENTITY_PAIRS);
    store.write(Tables.ENTITY_PAIRS, pairs.unionByName(pairs.orderBy(col("llr").desc()).limit(1)
        .withColumn("entity_a", lit(SCRIPT)).withColumn("llr", lit(1e6))));
    Dataset<Row> terms = store.read(Tables.TOPIC_TERMS);
    store.write(Tables.TOPIC_TERMS, terms.withColumn("term",
        when(col("topic").equalTo(0).and(col("rank").equalTo(1)), lit(SCRIPT)).otherwise(col("term"))));
  }

  @Test
  void reportOpensOfflineShowsEveryChartAndRunsNothing() throws Exception {
    requireBrowser();
    spark();
    Path out = dir.resolve("out");
    assertEquals(0, NewsLens.execute("run", "--input", corpus().toString(), "--output", out.toString(),
        "--topics", "3", "--iterations", "30", "--min-df", "2", "--max-df", "0.9"));
    assertEquals("report", stagesCompleted(out).get(stagesCompleted(out).size() - 1));
    assertEquals("ok", manifest(out).get("stages").get("topics").get("status").asText(), "topics ran");
    plantHostileRows(out);
    assertEquals(0, NewsLens.execute("report", "--output", out.toString()));
    assertTrue(Files.isRegularFile(out.resolve("report").resolve(TableStore.MARKER)));

    // What the charts must hold, from the tables.
    long periods = Math.min(ReportData.MAX_PERIODS, table(out, Tables.ARTICLES)
        .filter("duplicate_of is null and n_tokens > 0").select("period").distinct().count());
    long topics = Math.min(ReportData.MAX_TOPICS, table(out, Tables.TOPIC_METRICS).count());
    long sparklines = 0;
    for (String type : ReportData.ENTITY_TYPES) {
      sparklines += Math.min(ReportData.TOP_ENTITIES, table(out, Tables.ENTITIES).filter(col("type").equalTo(type)).count());
    }
    Dataset<Row> pairs = table(out, Tables.ENTITY_PAIRS).filter("window = 'sentence'");
    long overallEdges = Math.min(ReportData.TOP_PAIRS,
        pairs.select("entity_a", "type_a", "entity_b", "type_b").distinct().count());
    String latest = table(out, Tables.ARTICLES).agg(max("period")).first().getString(0);
    long latestEdges = Math.min(ReportData.TOP_PAIRS, pairs.filter(col("period").equalTo(latest)).count());
    assertTrue(topics >= 2 && periods >= 2 && sparklines >= 3 && overallEdges >= 2, "a corpus with something to draw");

    ChromeDriver browser = open(out.resolve("report").resolve("index.html"));
    try {
      assertEquals(topics, browser.findElements(By.cssSelector("svg.stacked-area path.area")).size());
      assertEquals(topics * periods, browser.findElements(By.cssSelector("svg.heatmap rect.cell")).size());
      assertEquals(periods, browser.findElements(By.cssSelector("svg.bars rect.bar")).size());
      assertEquals(sparklines, browser.findElements(By.cssSelector("svg.spark")).size());
      assertEquals(overallEdges + latestEdges, browser.findElements(By.cssSelector("svg.network line.edge")).size());
      for (WebElement chart : browser.findElements(By.cssSelector("svg.chart, svg.spark"))) {
        assertTrue(chart.getRect().getWidth() > 50 && chart.getRect().getHeight() > 10, "drawn with a size");
      }
      WebElement area = browser.findElement(By.cssSelector("svg.stacked-area path.area"));
      assertTrue(area.getRect().getWidth() > 100 && area.getRect().getHeight() > 5, "an area, not an empty path");

      // Nothing ran: no alert, no script or img element, and the hostile strings are text.
      assertThrows(NoAlertPresentException.class, () -> browser.switchTo().alert());
      assertTrue(browser.findElements(By.tagName("script")).isEmpty());
      assertTrue(browser.findElements(By.tagName("img")).isEmpty());
      String text = browser.findElement(By.tagName("body")).getText();
      for (String hostile : List.of(SCRIPT, IMG)) {
        assertTrue(text.contains(hostile), hostile + " shows as text");
      }
      String periodText = browser.findElement(By.id("period-" + latest)).getText();
      assertTrue(periodText.contains(SCRIPT) || periodText.contains(IMG + " "), "a hostile title among the latest period's headlines");
      assertTrue(browser.findElement(By.id("entities")).getText().contains(IMG), "the planted entity");
      assertTrue(browser.findElement(By.id("topics")).getText().contains(SCRIPT), "the planted term");

      List<String> errors = new ArrayList<>();
      for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
        if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
          errors.add(entry.getMessage());
        }
      }
      assertEquals(List.of(), errors, "console errors");

      Path shots = Path.of("target", "report-browser");
      Files.createDirectories(shots);
      File shot = browser.getScreenshotAs(OutputType.FILE);
      Files.copy(shot.toPath(), shots.resolve("report.png"), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(out.resolve("report").resolve("index.html"), shots.resolve("index.html"),
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      browser.quit();
    }
  }

  /** Headless Chromium, offline-minded flags, a fresh profile, the page's console at every level. */
  ChromeDriver open(Path page) throws Exception {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1280,3200",
        "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    ChromeDriver browser = new ChromeDriver(service, options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    browser.get(page.toUri().toString());
    return browser;
  }
}
