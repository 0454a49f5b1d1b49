package io.newslens.common;

import static org.apache.spark.sql.types.DataTypes.*;

import java.util.List;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Every table newslens writes: its folder name, its columns and their types, defined once.
 * Stages select exactly these columns before writing; README's schema section is checked against
 * this class by {@code TablesDocTest}.
 */
public final class Tables {
  private Tables() {}

  /** Column names as the Scala sequence {@code Dataset.join(right, usingColumns[, joinType])} takes. */
  public static scala.collection.immutable.Seq<String> joinKeys(String... columns) {
    return scala.collection.JavaConverters.asScalaBuffer(List.of(columns)).toList();
  }

  /** A named output table with a fixed schema and optional partition column. */
  public record Table(String name, String description, StructType schema, String partitionBy) {
    public String[] columns() {
      return schema.fieldNames();
    }
  }

  // Column names shared by several tables.
  public static final String DOC_ID = "doc_id";
  public static final String DATE = "date";
  public static final String PERIOD = "period";
  public static final String SOURCE = "source";
  public static final String TITLE = "title";
  public static final String TEXT = "text";
  public static final String URL = "url";
  public static final String LANG = "lang";
  public static final String N_TOKENS = "n_tokens";
  public static final String DUPLICATE_OF = "duplicate_of";
  public static final String INPUT = "input";
  public static final String RECORD = "record";
  public static final String REASON = "reason";
  public static final String RAW = "raw";
  public static final String SENTENCE = "sentence";
  public static final String TOKENS = "tokens";
  public static final String TERMS = "terms";
  public static final String PHRASES = "phrases";
  public static final String TERM = "term";
  public static final String SURFACE = "surface";
  public static final String COUNT = "count";
  public static final String DOCS = "docs";
  public static final String NPMI = "npmi";
  public static final String TOPIC = "topic";
  public static final String RANK = "rank";
  public static final String WEIGHT = "weight";
  public static final String SHARE = "share";
  public static final String COHERENCE = "coherence";
  public static final String UMASS = "umass";
  public static final String TOP_DOCS = "top_docs";
  public static final String BEGIN = "begin";
  public static final String END = "end";
  public static final String ENTITY = "entity";
  public static final String TYPE = "type";
  public static final String MENTIONS = "mentions";
  public static final String FIRST_DATE = "first_date";
  public static final String LAST_DATE = "last_date";
  public static final String ALIASES = "aliases";
  public static final String ALIAS_COUNTS = "alias_counts";
  public static final String WINDOW = "window";
  public static final String ENTITY_A = "entity_a";
  public static final String ENTITY_B = "entity_b";
  public static final String TYPE_A = "type_a";
  public static final String TYPE_B = "type_b";
  public static final String PMI = "pmi";
  public static final String LLR = "llr";
  public static final String ZSCORE = "zscore";
  public static final String BURST = "burst";
  public static final String ENTITY_DOCS = "entity_docs";
  public static final String WEIGHTED_DOCS = "weighted_docs";
  public static final String EXPECTED_DOCS = "expected_docs";
  public static final String LIFT = "lift";

  private static final java.util.Map<String, String> DOCS_OF_COLUMN = java.util.Map.ofEntries(
      java.util.Map.entry(DOC_ID, "article id: the input's id, or the first 16 hex digits of SHA-256(text) when it has none"),
      java.util.Map.entry(DATE, "publication date (the date part of the input's ISO-8601 date or date-time, as written)"),
      java.util.Map.entry(PERIOD, "time bucket of the date, per --period: 2007-07-24, 2007-W30 (ISO week), 2007-07 or 2007"),
      java.util.Map.entry(SOURCE, "publisher; the input file's name when the record has none"),
      java.util.Map.entry(TITLE, "headline"),
      java.util.Map.entry(TEXT, "article text (raw in ingested, cleaned in articles; paragraphs separated by blank lines)"),
      java.util.Map.entry(URL, "address of the article, when known"),
      java.util.Map.entry(LANG, "ISO 639-1 language code (ISO 639-3 where none exists), 'und' when too short to tell"),
      java.util.Map.entry(N_TOKENS, "words in the cleaned text; 0 when cleaning left nothing"),
      java.util.Map.entry(DUPLICATE_OF, "doc_id of the earliest article this one repeats (exactly or nearly); null for originals"),
      java.util.Map.entry(INPUT, "file the record came from"),
      java.util.Map.entry(RECORD, "where in the file: file:line for JSON Lines, file:id=... for CSV and Parquet, the file name for text folders"),
      java.util.Map.entry(REASON, "why it was rejected: invalid_utf8, malformed_record, missing_text, oversized, missing_date, unparseable_date, duplicate_id"),
      java.util.Map.entry(RAW, "the record as read, truncated to 1,000 characters"),
      java.util.Map.entry(SENTENCE, "0-based sentence number within the article"),
      java.util.Map.entry(TOKENS, "the sentence's words: lower case, punctuation and stop words removed"),
      java.util.Map.entry(TERMS, "stem of each word in tokens (same length and order)"),
      java.util.Map.entry(PHRASES, "phrases (see the phrases table) occurring in the sentence"),
      java.util.Map.entry(TERM, "a stem, or a two-word phrase"),
      java.util.Map.entry(SURFACE, "the readable word shown for the term: its most frequent form"),
      java.util.Map.entry(COUNT, "occurrences in the kept articles"),
      java.util.Map.entry(DOCS, "kept articles containing it"),
      java.util.Map.entry(NPMI, "normalised pointwise mutual information of the two words, in [-1, 1]"),
      java.util.Map.entry(TOPIC, "topic number, 0 to K-1"),
      java.util.Map.entry(RANK, "1 for the topic's most probable term"),
      java.util.Map.entry(WEIGHT, "probability: of the term in the topic (topic_terms), of the topic in the document (doc_topics)"),
      java.util.Map.entry(COHERENCE, "NPMI of the top 10 terms over document co-occurrence in this corpus, mean over pairs, in [-1, 1]"),
      java.util.Map.entry(UMASS, "UMass coherence of the top 10 terms (Mimno et al. 2011), mean over pairs; closer to 0 is better"),
      java.util.Map.entry(TOP_DOCS, "the 5 documents where the topic weighs most, heaviest first"),
      java.util.Map.entry(BEGIN, "offset of the mention's first character in the article text (0-based)"),
      java.util.Map.entry(END, "offset just after the mention's last character (exclusive): text = substring(begin, end)"),
      java.util.Map.entry(ENTITY, "canonical name: one per real-world entity (\"U.S.\", \"America\" and \"US\" are \"United States\"; \"Crocker\" after \"Ryan Crocker\" is \"Ryan Crocker\")"),
      java.util.Map.entry(TYPE, "PERSON, LOCATION, ORGANIZATION or MISC"),
      java.util.Map.entry(MENTIONS, "mentions in the kept articles"),
      java.util.Map.entry(FIRST_DATE, "date of the earliest article mentioning it"),
      java.util.Map.entry(LAST_DATE, "date of the latest article mentioning it"),
      java.util.Map.entry(ALIASES, "every surface form seen for it, sorted"),
      java.util.Map.entry(ALIAS_COUNTS, "every surface form seen for it with its mentions, the most mentioned first (\"Crooked Hillary Clinton\", \"@HillaryClinton\" and \"Hilary Clinton\" under \"Hillary Clinton\")"),
      java.util.Map.entry(WINDOW, "co-occurrence unit: 'sentence' (same sentence) or 'document' (same article)"),
      java.util.Map.entry(ENTITY_A, "canonical name of the first entity (entity_a < entity_b, then type_a < type_b)"),
      java.util.Map.entry(ENTITY_B, "canonical name of the second entity"),
      java.util.Map.entry(TYPE_A, "type of entity_a"),
      java.util.Map.entry(TYPE_B, "type of entity_b"),
      java.util.Map.entry(PMI, "pointwise mutual information ln(p(a,b) / (p(a) p(b))), over the period's units of the window"),
      java.util.Map.entry(LLR, "Dunning's log-likelihood ratio G-squared of the 2x2 table of units (a or not, b or not); above 10.83 is p < 0.001"),
      java.util.Map.entry(SHARE, "docs / kept articles of the period"),
      java.util.Map.entry(ZSCORE, "(share - mean) / sd of the entity's share over its previous --trend-window periods (default 6; periods without it count as 0), sd floored at the binomial sd sqrt(p(1-p)/articles); null when there is nothing to measure against: the corpus's first period, or sd 0 (a one-article period after a history without the entity)"),
      java.util.Map.entry(BURST, "zscore >= --burst-threshold (default 3) and docs >= 2"),
      java.util.Map.entry(ENTITY_DOCS, "documents of the period with a topic mixture that mention the entity"),
      java.util.Map.entry(WEIGHTED_DOCS, "the topic's weight summed over those documents: how many of the entity's documents are about the topic, in expectation"),
      java.util.Map.entry(EXPECTED_DOCS, "what weighted_docs would be if the entity were mentioned regardless of topic: the topic's weight summed over all the period's documents, times entity_docs, divided by their number"),
      java.util.Map.entry(LIFT, "weighted_docs / expected_docs with one pseudo-document of prior: (weighted_docs + 1) / (expected_docs + 1) in 'all'; in a period (weighted_docs + L) / (expected_docs + 1), L the pair's lift in 'all'; above 1 in every row"));

  /** Column meanings that differ by table, keyed "table.column"; else {@link #DOCS_OF_COLUMN}. */
  private static final java.util.Map<String, String> DOCS_OF_TABLE_COLUMN = java.util.Map.ofEntries(
      java.util.Map.entry("tokens.begin", "offset of the sentence's first character in the article text (0-based); entities take sentences from here"),
      java.util.Map.entry("tokens.end", "offset just after the sentence's last character (exclusive)"),
      java.util.Map.entry("entity_pairs.count", "units (sentences or articles, per window) of the period holding both entities"),
      java.util.Map.entry("entity_pairs.docs", "kept articles of the period in which the two co-occur (in one sentence, for window 'sentence')"),
      java.util.Map.entry("entity_pairs.npmi", "normalised PMI, pmi / -ln p(a,b), in [-1, 1]"),
      java.util.Map.entry("entity_trends.docs", "kept articles of the period mentioning it"),
      java.util.Map.entry("entity_trends.mentions", "its mentions in the period (tells peaks apart where periods hold one article each, as yearly speeches do)"),
      java.util.Map.entry("entity_mentions.text", "the mention as written in the article"),
      java.util.Map.entry("topic_trends.docs", "documents of the period where the topic weighs at least 0.05"),
      java.util.Map.entry("topic_trends.share", "the topic's weight summed over the period's documents, divided by their number; a period's shares sum to 1"),
      java.util.Map.entry("topic_entities.period", "time bucket per --period, or 'all' for the whole corpus"),
      java.util.Map.entry("topic_entities.docs", "documents of the period mentioning the entity in which the topic weighs at least 0.05; pairs with fewer than --link-min-docs (default 3) in 'all' are left out everywhere"),
      java.util.Map.entry("topic_entities.npmi", "normalised PMI of topic and entity over the period's documents, ln(weighted_docs / expected_docs) / -ln(weighted_docs / documents), in [-1, 1]"),
      java.util.Map.entry("entity_topics.period", "time bucket per --period, or 'all' for the whole corpus"),
      java.util.Map.entry("entity_topics.docs", "documents of the period mentioning the entity in which the topic weighs at least 0.05; pairs with fewer than --link-min-docs (default 3) in 'all' are left out everywhere"),
      java.util.Map.entry("entity_topics.npmi", "normalised PMI of topic and entity over the period's documents, ln(weighted_docs / expected_docs) / -ln(weighted_docs / documents), in [-1, 1]"),
      java.util.Map.entry("topic_entities.rank", "1 for the entity of highest lift on the topic in the period (ties: weighted_docs, then name); at most --link-top (default 20) per topic and period"),
      java.util.Map.entry("entity_topics.rank", "1 for the entity's topic of highest lift in the period (ties: weighted_docs, then topic); at most --link-top (default 20) per entity and period"));

  private static StructField f(String name, org.apache.spark.sql.types.DataType type, boolean nullable) {
    return createStructField(name, type, nullable).withComment(DOCS_OF_COLUMN.get(name));
  }

  private static StructField f(String table, String name, org.apache.spark.sql.types.DataType type, boolean nullable) {
    String doc = DOCS_OF_TABLE_COLUMN.getOrDefault(table + "." + name, DOCS_OF_COLUMN.get(name));
    return createStructField(name, type, nullable).withComment(doc);
  }

  public static final Table INGESTED = new Table(
      "ingested",
      "Records that passed ingest, as read: one row per article, before cleaning.",
      createStructType(List.of(
          f(DOC_ID, StringType, false),
          f(DATE, DateType, false),
          f(SOURCE, StringType, true),
          f(TITLE, StringType, true),
          f(TEXT, StringType, false),
          f(URL, StringType, true),
          f(INPUT, StringType, false),
          f(RECORD, StringType, false))),
      null);

  public static final Table REJECTS = new Table(
      "rejects",
      "Input records that could not be used, with the reason; nothing is dropped without a row here.",
      createStructType(List.of(
          f(INPUT, StringType, false),
          f(RECORD, StringType, false),
          f(REASON, StringType, false),
          f(RAW, StringType, true))),
      null);

  public static final Table ARTICLES = new Table(
      "articles",
      "Cleaned articles (all of them, duplicates and other languages flagged, not removed).",
      createStructType(List.of(
          f(DOC_ID, StringType, false),
          f(DATE, DateType, false),
          f(PERIOD, StringType, false),
          f(SOURCE, StringType, true),
          f(TITLE, StringType, true),
          f(TEXT, StringType, false),
          f(URL, StringType, true),
          f(LANG, StringType, false),
          f(N_TOKENS, IntegerType, false),
          f(DUPLICATE_OF, StringType, true))),
      PERIOD);

  public static final Table TOKENS_TABLE = new Table(
      "tokens",
      "One row per sentence of each kept article (sentences without a word are left out): its"
          + " character span, normalised words (stop words out), their terms (stems) and the phrases"
          + " found in the sentence.",
      createStructType(List.of(
          f(DOC_ID, StringType, false),
          f(PERIOD, StringType, false),
          f(SENTENCE, IntegerType, false),
          f("tokens", BEGIN, IntegerType, false),
          f("tokens", END, IntegerType, false),
          f(TOKENS, createArrayType(StringType), false),
          f(TERMS, createArrayType(StringType), false),
          f(PHRASES, createArrayType(StringType), false))),
      PERIOD);

  public static final Table TERM_FORMS = new Table(
      "term_forms",
      "For each term (stem or phrase), the surface form shown to people: its most frequent word.",
      createStructType(List.of(
          f(TERM, StringType, false),
          f(SURFACE, StringType, false),
          f(COUNT, LongType, false),
          f(DOCS, LongType, false))),
      null);

  public static final Table PHRASES_TABLE = new Table(
      "phrases",
      "Two-word phrases kept as single terms: adjacent word pairs with high association.",
      createStructType(List.of(
          f(TERM, StringType, false),
          f(SURFACE, StringType, false),
          f(COUNT, LongType, false),
          f(NPMI, DoubleType, false))),
      null);

  public static final Table TOPIC_TERMS = new Table(
      "topic_terms",
      "The 30 most probable terms of each topic, as readable words (phrases as two words).",
      createStructType(List.of(
          f(TOPIC, IntegerType, false),
          f(RANK, IntegerType, false),
          f(TERM, StringType, false),
          f(WEIGHT, DoubleType, false))),
      null);

  public static final Table DOC_TOPICS = new Table(
      "doc_topics",
      "Each document's topics with weight of at least 0.05.",
      createStructType(List.of(
          f(DOC_ID, StringType, false),
          f(PERIOD, StringType, false),
          f(TOPIC, IntegerType, false),
          f(WEIGHT, DoubleType, false))),
      PERIOD);

  public static final Table TOPIC_TRENDS = new Table(
      "topic_trends",
      "Each topic's share of each period: one query for a stacked chart of topics over time.",
      createStructType(List.of(
          f(PERIOD, StringType, false),
          f(TOPIC, IntegerType, false),
          f("topic_trends", DOCS, LongType, false),
          f("topic_trends", SHARE, DoubleType, false))),
      null);

  public static final Table TOPIC_METRICS = new Table(
      "topic_metrics",
      "Quality of each topic (corpus-level log-likelihood and log-perplexity are in manifest.json).",
      createStructType(List.of(
          f(TOPIC, IntegerType, false),
          f(COHERENCE, DoubleType, false),
          f(UMASS, DoubleType, false),
          f(TOP_DOCS, createArrayType(StringType), false))),
      null);

  public static final Table ENTITY_MENTIONS = new Table(
      "entity_mentions",
      "One row per mention of a person, place, organisation or other name in a kept article.",
      createStructType(List.of(
          f(DOC_ID, StringType, false),
          f(PERIOD, StringType, false),
          f(SENTENCE, IntegerType, false),
          f(BEGIN, IntegerType, false),
          f(END, IntegerType, false),
          f("entity_mentions", TEXT, StringType, false),
          f(ENTITY, StringType, false),
          f(TYPE, StringType, false))),
      PERIOD);

  public static final Table ENTITIES = new Table(
      "entities",
      "One row per entity (canonical name and type) with its totals and every alias seen.",
      createStructType(List.of(
          f(ENTITY, StringType, false),
          f(TYPE, StringType, false),
          f(DOCS, LongType, false),
          f(MENTIONS, LongType, false),
          f(FIRST_DATE, DateType, false),
          f(LAST_DATE, DateType, false),
          f(ALIASES, createArrayType(StringType), false),
          // Nested fields nullable, as Parquet reads every nested field back.
          f(ALIAS_COUNTS, createArrayType(createStructType(List.of(
              createStructField("alias", StringType, true),
              createStructField(MENTIONS, LongType, true)))), false))),
      null);

  public static final Table ENTITY_PAIRS = new Table(
      "entity_pairs",
      "Entities co-occurring in a sentence or an article, per period, with association scores;"
          + " pairs seen fewer than --min-pair-count times are left out.",
      createStructType(List.of(
          f(PERIOD, StringType, false),
          f(WINDOW, StringType, false),
          f(ENTITY_A, StringType, false),
          f(ENTITY_B, StringType, false),
          f(TYPE_A, StringType, false),
          f(TYPE_B, StringType, false),
          f("entity_pairs", COUNT, LongType, false),
          f("entity_pairs", DOCS, LongType, false),
          f(PMI, DoubleType, false),
          f("entity_pairs", NPMI, DoubleType, false),
          f(LLR, DoubleType, false))),
      PERIOD);

  public static final Table ENTITY_TRENDS = new Table(
      "entity_trends",
      "Per period, each entity mentioned in it: its share of the period's articles, the z-score"
          + " of that share against the entity's own trailing periods, and whether that is a burst.",
      createStructType(List.of(
          f(PERIOD, StringType, false),
          f(ENTITY, StringType, false),
          f(TYPE, StringType, false),
          f("entity_trends", DOCS, LongType, false),
          f("entity_trends", MENTIONS, LongType, false),
          f(SHARE, DoubleType, false),
          f(ZSCORE, DoubleType, true),
          f(BURST, BooleanType, false))),
      PERIOD);

  public static final Table TOPIC_ENTITIES = new Table(
      "topic_entities",
      "For each topic, over the whole corpus (period 'all') and per period, the entities most"
          + " associated with it: a document counts for the topic with its weight in doc_topics and"
          + " for the entity when it mentions it.",
      linkSchema("topic_entities", TOPIC, RANK, ENTITY, TYPE),
      PERIOD);

  public static final Table ENTITY_TOPICS = new Table(
      "entity_topics",
      "topic_entities the other way round: for each entity, over the whole corpus (period 'all')"
          + " and per period, the topics it is most associated with.",
      linkSchema("entity_topics", ENTITY, TYPE, RANK, TOPIC),
      PERIOD);

  private static StructType linkSchema(String table, String... keys) {
    List<StructField> fields = new java.util.ArrayList<>();
    fields.add(f(table, PERIOD, StringType, false));
    for (String key : keys) {
      fields.add(f(table, key, key.equals(TOPIC) || key.equals(RANK) ? IntegerType : StringType, false));
    }
    fields.add(f(table, LIFT, DoubleType, false));
    fields.add(f(table, NPMI, DoubleType, false));
    fields.add(f(table, DOCS, LongType, false));
    fields.add(f(table, ENTITY_DOCS, LongType, false));
    fields.add(f(table, WEIGHTED_DOCS, DoubleType, false));
    fields.add(f(table, EXPECTED_DOCS, DoubleType, false));
    return createStructType(fields);
  }

  public static final List<Table> ALL = List.of(INGESTED, REJECTS, ARTICLES, TOKENS_TABLE, TERM_FORMS,
      PHRASES_TABLE, TOPIC_TERMS, DOC_TOPICS, TOPIC_TRENDS, TOPIC_METRICS,
      ENTITY_MENTIONS, ENTITIES, ENTITY_PAIRS, ENTITY_TRENDS, TOPIC_ENTITIES, ENTITY_TOPICS);

  /** The README's schema section, generated from the definitions above (checked by a test). */
  public static String markdown() {
    StringBuilder out = new StringBuilder();
    for (Table table : ALL) {
      out.append("### `").append(table.name()).append("`\n\n").append(table.description());
      if (table.partitionBy() != null) {
        out.append(" Partitioned by `").append(table.partitionBy()).append("`.");
      }
      out.append("\n\n| column | type | null | meaning |\n| --- | --- | --- | --- |\n");
      for (StructField field : table.schema().fields()) {
        out.append("| `").append(field.name()).append("` | ").append(field.dataType().simpleString())
            .append(" | ").append(field.nullable() ? "yes" : "no").append(" | ")
            .append(field.getComment().getOrElse(() -> "")).append(" |\n");
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** Prints {@link #markdown()}, to paste into README.md. */
  public static void main(String[] args) {
    System.out.print(markdown());
  }
}
