package io.newslens.entities;

import static io.newslens.common.Tables.*;

import io.newslens.common.Sessions;
import io.newslens.tokenize.Tokenize;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The entity stage against a hand-labelled gold set (bench/entities-gold/gold.jsonl): one JSON
 * object per line with {@code id}, {@code date} (yyyy-MM-dd) and {@code text}, where every
 * person, place and organisation is marked inline as {@code [[surface|TYPE]]} or
 * {@code [[surface|TYPE|canonical name]]}. The articles run through tokenize and entities as in
 * a real run (period = month), so corpus-level resolution is part of what is measured.
 *
 * <p>Two scores per type: mentions (exact span and type) and entities (distinct canonical name
 * and type per article, which also scores resolution: "Hilary Clinton" must be Hillary Clinton).
 * MISC is not scored (the gold set marks no MISC).
 */
public final class GoldCheck {
  private GoldCheck() {}

  static final List<String> TYPES = List.of("PERSON", "LOCATION", "ORGANIZATION");
  private static final Pattern MARK = Pattern.compile("\\[\\[([^|\\]]+)\\|([A-Z]+)(?:\\|([^\\]]+))?\\]\\]");
  private static final Pattern FIELD = Pattern.compile("\"(id|date|text)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** One gold or system mention. */
  record Span(String doc, int begin, int end, String entity, String type) {}

  record Article(String id, String date, String text, List<Span> gold) {}

  /** precision, recall, F1 and the counts behind them. */
  record Score(long system, long gold, long both) {
    double precision() {
      return system == 0 ? 0 : (double) both / system;
    }

    double recall() {
      return gold == 0 ? 0 : (double) both / gold;
    }

    double f1() {
      double p = precision();
      double r = recall();
      return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    @Override
    public String toString() {
      return String.format("system=%4d gold=%4d both=%4d  precision=%.3f recall=%.3f F1=%.3f", system, gold, both,
          precision(), recall(), f1());
    }
  }

  /** "mentions PERSON", "entities ALL", ... in print order. */
  record Report(Map<String, Score> scores, List<Span> missed, List<Span> wrong) {
    Score get(String level, String type) {
      return scores.get(level + " " + type);
    }
  }

  static List<Article> read(Path file) throws IOException {
    List<Article> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      Map<String, String> fields = new LinkedHashMap<>();
      Matcher f = FIELD.matcher(line);
      while (f.find()) {
        fields.put(f.group(1), f.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
      }
      String id = fields.get("id");
      StringBuilder text = new StringBuilder();
      List<Span> gold = new ArrayList<>();
      Matcher m = MARK.matcher(fields.get("text"));
      int last = 0;
      String marked = fields.get("text");
      while (m.find()) {
        text.append(marked, last, m.start());
        int begin = text.length();
        text.append(m.group(1));
        gold.add(new Span(id, begin, text.length(), m.group(3) == null ? m.group(1) : m.group(3), m.group(2)));
        last = m.end();
      }
      text.append(marked.substring(last));
      out.add(new Article(id, fields.get("date"), text.toString(), gold));
    }
    return out;
  }

  static Report evaluate(SparkSession spark, List<Article> articles) {
    StructType schema = DataTypes.createStructType(List.of(
        DataTypes.createStructField(DOC_ID, DataTypes.StringType, false),
        DataTypes.createStructField(DATE, DataTypes.DateType, false),
        DataTypes.createStructField(PERIOD, DataTypes.StringType, false),
        DataTypes.createStructField(TEXT, DataTypes.StringType, false)));
    List<Row> rows = new ArrayList<>();
    for (Article a : articles) {
      rows.add(RowFactory.create(a.id(), Date.valueOf(a.date()), a.date().substring(0, 7), a.text()));
    }
    Dataset<Row> input = spark.createDataFrame(rows, schema).repartition(2);
    Tokenize.Result tokenized = Tokenize.apply(input, Tokenize.Options.defaults());
    Dataset<Row> tokens = tokenized.tokens().persist();
    Entities.Result result = Entities.apply(input, tokens, new Entities.Options("rules", 20, 50, 1, 3.0, 6));
    List<Span> system = new ArrayList<>();
    try {
      for (Row r : result.mentions().collectAsList()) {
        system.add(new Span(r.getAs(DOC_ID), r.getAs(BEGIN), r.getAs(END), r.getAs(ENTITY), r.getAs(TYPE)));
      }
    } finally {
      result.release();
      tokenized.release();
      tokens.unpersist();
    }
    List<Span> gold = articles.stream().flatMap(a -> a.gold().stream()).toList();
    Map<String, Score> scores = new LinkedHashMap<>();
    for (String level : List.of("mentions", "entities")) {
      for (String type : List.of("PERSON", "LOCATION", "ORGANIZATION", "ALL")) {
        Predicate<Span> ofType = s -> type.equals("ALL") ? TYPES.contains(s.type()) : type.equals(s.type());
        Set<List<Object>> g = keys(gold, ofType, level);
        Set<List<Object>> s = keys(system, ofType, level);
        Set<List<Object>> both = new HashSet<>(g);
        both.retainAll(s);
        scores.put(level + " " + type, new Score(s.size(), g.size(), both.size()));
      }
    }
    Set<List<Object>> systemSpans = keys(system, s -> TYPES.contains(s.type()), "mentions");
    Set<List<Object>> goldSpans = keys(gold, s -> true, "mentions");
    List<Span> missed = gold.stream().filter(s -> !systemSpans.contains(key(s, "mentions"))).toList();
    List<Span> wrong = system.stream().filter(s -> TYPES.contains(s.type()) && !goldSpans.contains(key(s, "mentions")))
        .toList();
    return new Report(scores, missed, wrong);
  }

  private static List<Object> key(Span s, String level) {
    return level.equals("mentions") ? List.of(s.doc(), s.begin(), s.end(), s.type()) : List.of(s.doc(), s.entity(), s.type());
  }

  private static Set<List<Object>> keys(List<Span> spans, Predicate<Span> keep, String level) {
    Set<List<Object>> out = new HashSet<>();
    for (Span s : spans) {
      if (keep.test(s)) {
        out.add(key(s, level));
      }
    }
    return out;
  }

  /** {@code GoldCheck [gold.jsonl]}: prints the scores, then what was missed and what was wrong. */
  public static void main(String[] args) throws IOException {
    Path file = Path.of(args.length > 0 ? args[0] : "bench/entities-gold/gold.jsonl");
    List<Article> articles = read(file);
    Report report = evaluate(Sessions.getOrCreate(), articles);
    System.out.println("gold set " + file + ": " + articles.size() + " articles, "
        + articles.stream().mapToInt(a -> a.gold().size()).sum() + " marked names");
    report.scores().forEach((name, score) -> System.out.printf("  %-22s %s%n", name, score));
    System.out.println("missed (gold span not found with its type):");
    report.missed().forEach(s -> System.out.println("  " + s));
    System.out.println("wrong (system span or type not in the gold set):");
    report.wrong().forEach(s -> System.out.println("  " + s));
  }
}
