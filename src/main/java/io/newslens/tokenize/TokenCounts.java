package io.newslens.tokenize;

import static io.newslens.common.Tables.*;
import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The counts behind the phrases and term_forms tables, from one scan of the sentence rows: all
 * words, each content word, each phrase candidate pair, each (term, surface form), the articles
 * containing each term, and the occurrences and articles of each found phrase.
 *
 * <p>Why not one Spark aggregation per count: each of them exploded every token of the corpus
 * into rows of its own, hashed them and shuffled its partial counts, and the distinct
 * (article, term) pairs were shuffled whole. Here every task adds its rows into one bounded map
 * (written out as partial counts whenever it fills) and a single aggregation adds the partial
 * counts of all tasks. Articles per term are counted exactly within a task, which needs all
 * rows of an article to be consecutive in one partition: true of the sentence rows exploded
 * from one article row, and made true by {@link #ofAnyOrder} for tables read back.
 */
final class TokenCounts {
  private TokenCounts() {}

  static final String KIND = "kind";
  static final String KEY = "key";
  static final String FORM = "form";

  /** Kinds of count: every word position, a content word, a pair, ... */
  static final int ALL_WORDS = 0;
  static final int WORD = 1;
  static final int PAIR = 2;
  static final int TERM_FORM = 3;
  static final int TERM_DOCS = 4;
  static final int PHRASE = 5;
  static final int PHRASE_DOCS = 6;

  /** Which counts a scan makes: the phrase inputs, the term forms, and the found phrases. */
  enum Counted { WORDS_AND_PAIRS, TERMS, PHRASES }

  static final StructType SCHEMA = DataTypes.createStructType(List.of(
      DataTypes.createStructField(KIND, DataTypes.IntegerType, false),
      DataTypes.createStructField(KEY, DataTypes.StringType, true),
      DataTypes.createStructField(FORM, DataTypes.StringType, true),
      DataTypes.createStructField(COUNT, DataTypes.LongType, false)));

  /** Entries a task's map holds before it writes them out as partial counts. */
  static final int MAX_ENTRIES = 1 << 19;

  /**
   * Counts, summed over all tasks: (kind, key, form, count), form set for {@link #TERM_FORM}
   * only. The rows of one article must be consecutive in one partition (see the class comment).
   * {@code rows} needs doc_id and the columns of what is counted: words, tokens and pairs;
   * tokens and terms; phrases.
   */
  static Dataset<Row> of(Dataset<Row> rows, Set<Counted> counted) {
    return of(rows, counted, MAX_ENTRIES);
  }

  static Dataset<Row> of(Dataset<Row> rows, Set<Counted> counted, int maxEntries) {
    List<String> columns = new ArrayList<>(List.of(DOC_ID));
    if (counted.contains(Counted.WORDS_AND_PAIRS)) {
      columns.addAll(List.of("words", TOKENS, "pairs"));
    }
    if (counted.contains(Counted.TERMS)) {
      columns.addAll(List.of(TOKENS, TERMS));
    }
    if (counted.contains(Counted.PHRASES)) {
      columns.add(PHRASES);
    }
    List<String> selected = columns.stream().distinct().toList();
    Dataset<Row> input = rows.selectExpr(selected.toArray(String[]::new));
    Set<Counted> what = counted.isEmpty() ? Set.of() : java.util.EnumSet.copyOf(counted);
    MapPartitionsFunction<Row, Row> partial = it -> new PartialCounts(it, selected, what, maxEntries);
    return input.mapPartitions(partial, Encoders.row(SCHEMA))
        .groupBy(KIND, KEY, FORM).agg(sum(COUNT).as(COUNT));
  }

  /** {@link #of} for rows in any order, such as a tokens table read back from Parquet. */
  static Dataset<Row> ofAnyOrder(Dataset<Row> rows, Set<Counted> counted) {
    return of(rows.repartition(col(DOC_ID)).sortWithinPartitions(DOC_ID), counted);
  }

  private record Key(int kind, String key, String form) {}

  /** One task's rows in, its partial counts out, a bounded map at a time. */
  private static final class PartialCounts implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final int maxEntries;
    private final boolean wordsAndPairs;
    private final boolean terms;
    private final boolean phrases;
    private final Map<Key, long[]> counts = new HashMap<>();
    private final Set<String> articleTerms = new HashSet<>();
    private final Set<String> articlePhrases = new HashSet<>();
    /** Positions of the columns in each row; -1 for one not selected. */
    private final int docAt;
    private final int wordsAt;
    private final int tokensAt;
    private final int pairsAt;
    private final int termsAt;
    private final int phrasesAt;
    private String article;
    private Iterator<Map.Entry<Key, long[]>> out;

    PartialCounts(Iterator<Row> rows, List<String> columns, Set<Counted> counted, int maxEntries) {
      this.rows = rows;
      this.docAt = columns.indexOf(DOC_ID);
      this.wordsAt = columns.indexOf("words");
      this.tokensAt = columns.indexOf(TOKENS);
      this.pairsAt = columns.indexOf("pairs");
      this.termsAt = columns.indexOf(TERMS);
      this.phrasesAt = columns.indexOf(PHRASES);
      this.maxEntries = maxEntries;
      this.wordsAndPairs = counted.contains(Counted.WORDS_AND_PAIRS);
      this.terms = counted.contains(Counted.TERMS);
      this.phrases = counted.contains(Counted.PHRASES);
    }

    @Override
    public boolean hasNext() {
      if (out != null && out.hasNext()) {
        return true;
      }
      counts.clear();
      while (counts.size() < maxEntries && rows.hasNext()) {
        add(rows.next());
      }
      if (!rows.hasNext()) {
        endArticle();
      }
      out = counts.entrySet().iterator();
      return out.hasNext();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Map.Entry<Key, long[]> e = out.next();
      return RowFactory.create(e.getKey().kind(), e.getKey().key(), e.getKey().form(), e.getValue()[0]);
    }

    private void add(Row row) {
      String doc = row.getString(docAt);
      if (!doc.equals(article)) {
        endArticle();
        article = doc;
      }
      if (wordsAndPairs) {
        increment(ALL_WORDS, null, null, row.getInt(wordsAt));
        for (String word : row.<String>getList(tokensAt)) {
          increment(WORD, word, null, 1);
        }
        for (String pair : row.<String>getList(pairsAt)) {
          increment(PAIR, pair, null, 1);
        }
      }
      if (terms) {
        List<String> words = row.getList(tokensAt);
        List<String> stems = row.getList(termsAt);
        for (int i = 0; i < stems.size(); i++) {
          increment(TERM_FORM, stems.get(i), words.get(i), 1);
          articleTerms.add(stems.get(i));
        }
      }
      if (phrases) {
        for (String phrase : row.<String>getList(phrasesAt)) {
          increment(PHRASE, phrase, null, 1);
          articlePhrases.add(phrase);
        }
      }
    }

    private void endArticle() {
      articleTerms.forEach(t -> increment(TERM_DOCS, t, null, 1));
      articlePhrases.forEach(p -> increment(PHRASE_DOCS, p, null, 1));
      articleTerms.clear();
      articlePhrases.clear();
    }

    private void increment(int kind, String key, String form, long by) {
      counts.computeIfAbsent(new Key(kind, key, form), k -> new long[1])[0] += by;
    }
  }
}
