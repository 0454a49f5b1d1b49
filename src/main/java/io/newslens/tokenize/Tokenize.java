package io.newslens.tokenize;

import static io.newslens.common.Tables.*;
import static org.apache.spark.sql.functions.*;

import com.johnsnowlabs.nlp.DocumentAssembler;
import com.johnsnowlabs.nlp.annotators.Tokenizer;
import io.newslens.common.Partitioning;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StopWordsRemover;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF5;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.collection.Seq;

/**
 * Stage 3: kept {@code articles} in; {@code tokens} (one row per sentence), {@code phrases} and
 * {@code term_forms} out.
 *
 * <p>A Spark NLP pipeline of offline, rule-based annotators: DocumentAssembler, SentenceDetector
 * (as {@link FastSentenceDetector}: the same rules and output, cheaper),
 * Tokenizer (as {@link FastTokenizer}, likewise), Normalizer (lower case, letters/digits/hyphens, possessive 's dropped),
 * StopWordsCleaner (Spark's English list plus news words), Stemmer, and NGramGenerator for word
 * pairs. A pair becomes a phrase ("saudi arabia") when both words are content words, it occurs
 * at least {@code phraseMinCount} times, and its NPMI reaches {@code phraseThreshold}. Stems are
 * the terms later stages count; {@code term_forms} maps each back to its most frequent word so
 * people read "acquisition", not "acquisit".
 */
public final class Tokenize {
  private Tokenize() {}

  /** {@code knownPhrases}: use these instead of detecting phrases (scoring new articles). */
  public record Options(int phraseMinCount, double phraseThreshold, int maxPhrases, List<String> knownPhrases) {
    public static Options defaults() {
      return new Options(5, 0.5, 50_000, null);
    }

    public Options withKnownPhrases(List<String> phrases) {
      return new Options(phraseMinCount, phraseThreshold, maxPhrases, phrases);
    }
  }

  /**
   * The three outputs; they share a cached annotation pass and cached counts, released by
   * {@link #release()}.
   * {@code phrases} is null when the phrases were given rather than detected.
   */
  public record Result(Dataset<Row> tokens, Dataset<Row> phrases, Dataset<Row> termForms, List<Dataset<Row>> cached) {
    public void release() {
      cached.forEach(Dataset::unpersist);
    }
  }

  public static String[] stopWords() {
    Set<String> words = new TreeSet<>(Arrays.asList(StopWordsRemover.loadDefaultStopWords("english")));
    try (InputStream in = Tokenize.class.getResourceAsStream("/newslens/stopwords-news.txt")) {
      new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
          .map(String::strip).filter(w -> !w.isEmpty() && !w.startsWith("#")).forEach(words::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // The pipeline compares after Normalizer removed apostrophes ("don't" -> "dont").
    new TreeSet<>(words).forEach(w -> words.add(w.replace("'", "")));
    return words.toArray(String[]::new);
  }

  /**
   * TEXT to "document" to "sentence": shared with the entities stage, so that sentence numbers
   * mean the same sentences in the tokens and entity tables.
   */
  public static PipelineStage[] sentenceStages() {
    DocumentAssembler document = new DocumentAssembler();
    document.setInputCol(TEXT);
    document.setOutputCol("document");
    FastSentenceDetector sentences = new FastSentenceDetector();
    sentences.setInputCols(new String[] {"document"});
    sentences.setOutputCol("sentence");
    return new PipelineStage[] {document, sentences};
  }

  /**
   * The Spark NLP part: text to sentences to tokens. What the Normalizer, StopWordsCleaner,
   * Stemmer and NGramGenerator annotators did follows in {@link TermPass}, once per article.
   */
  static Pipeline nlpPipeline() {
    Tokenizer tokenizer = new FastTokenizer();
    tokenizer.setInputCols(new String[] {"sentence"});
    tokenizer.setOutputCol("token");
    PipelineStage[] sentenceStages = sentenceStages();
    return new Pipeline().setStages(new PipelineStage[] {sentenceStages[0], sentenceStages[1], tokenizer});
  }

  static final StructType SENTENCE_ROW = DataTypes.createStructType(List.of(
      DataTypes.createStructField(SENTENCE, DataTypes.IntegerType, false),
      DataTypes.createStructField(BEGIN, DataTypes.IntegerType, false),
      DataTypes.createStructField(END, DataTypes.IntegerType, false),
      DataTypes.createStructField(TOKENS, DataTypes.createArrayType(DataTypes.StringType, false), false),
      DataTypes.createStructField(TERMS, DataTypes.createArrayType(DataTypes.StringType, false), false),
      DataTypes.createStructField("words", DataTypes.IntegerType, false),
      DataTypes.createStructField("pairs", DataTypes.createArrayType(DataTypes.StringType, false), false)));

  /**
   * One pass over an article's annotations: its token results are grouped by their sentence
   * number in order (the Tokenizer emits them sentence by sentence), each group goes through
   * {@link TermPass}, and sentences left without words are dropped. {@code end} is exclusive.
   */
  static List<Row> sentencesOf(TermPass pass, Seq<Integer> sentenceNumbers, Seq<Integer> begins, Seq<Integer> ends,
      Seq<String> tokens, Seq<String> tokenSentences) {
    java.util.Map<Integer, List<String>> bySentence = new java.util.HashMap<>();
    String previousSentence = null;
    List<String> current = null;
    for (int t = 0; t < tokens.size(); t++) {
      String sentence = tokenSentences.apply(t);
      if (!sentence.equals(previousSentence)) {
        current = bySentence.computeIfAbsent(Integer.parseInt(sentence), k -> new ArrayList<>());
        previousSentence = sentence;
      }
      current.add(tokens.apply(t));
    }
    List<Row> rows = new ArrayList<>(sentenceNumbers.size());
    for (int s = 0; s < sentenceNumbers.size(); s++) {
      List<String> sentenceTokens = bySentence.get(sentenceNumbers.apply(s));
      if (sentenceTokens == null) {
        continue;
      }
      TermPass.Sentence out = pass.apply(sentenceTokens);
      if (out.words() > 0) {
        rows.add(RowFactory.create(sentenceNumbers.apply(s), begins.apply(s), ends.apply(s) + 1,
            out.tokens(), out.terms(), out.words(), out.pairs()));
      }
    }
    return rows;
  }

  public static Result apply(Dataset<Row> keptArticles, Options options) {
    String[] stopWords = stopWords();
    Dataset<Row> input = Partitioning.spread(keptArticles.select(DOC_ID, PERIOD, TEXT), DOC_ID);
    Dataset<Row> annotated = nlpPipeline().fit(input).transform(input);

    TermPass pass = new TermPass(stopWords);
    UDF5<Seq<Integer>, Seq<Integer>, Seq<Integer>, Seq<String>, Seq<String>, List<Row>> perArticle =
        (numbers, begins, ends, tokens, tokenSentences) -> sentencesOf(pass, numbers, begins, ends, tokens, tokenSentences);
    Column sentenceNumbers = transform(col("sentence"), s -> s.getField("metadata").getItem("sentence").cast("int"));
    Column tokenSentences = transform(col("token"), t -> t.getField("metadata").getItem("sentence"));
    Dataset<Row> sentences = annotated
        .select(col(DOC_ID), col(PERIOD), explode(udf(perArticle, DataTypes.createArrayType(SENTENCE_ROW, false)).apply(
            sentenceNumbers, col("sentence.begin"), col("sentence.end"), col("token.result"), tokenSentences)).as("s"))
        .select(col(DOC_ID), col(PERIOD), col("s.*"))
        .persist(StorageLevel.MEMORY_AND_DISK());

    boolean detectPhrases = options.knownPhrases() == null;
    Dataset<Row> counts = TokenCounts.of(sentences, detectPhrases
            ? EnumSet.of(TokenCounts.Counted.WORDS_AND_PAIRS, TokenCounts.Counted.TERMS)
            : EnumSet.of(TokenCounts.Counted.TERMS))
        .filter(col(TokenCounts.KIND).notEqual(TokenCounts.PAIR).or(col(COUNT).geq(options.phraseMinCount())))
        .persist(StorageLevel.MEMORY_AND_DISK());
    SparkSession spark = keptArticles.sparkSession();
    Dataset<Row> phrases = null;
    Set<String> phraseSet = new HashSet<>();
    if (detectPhrases) {
      // Collected once (at most maxPhrases rows): the phrases table is then not computed again.
      Dataset<Row> scored = Phrases.score(counts, options.phraseMinCount(), options.phraseThreshold(), options.maxPhrases());
      List<Row> found = scored.collectAsList();
      phrases = spark.createDataFrame(found, scored.schema());
      found.forEach(row -> phraseSet.add(row.getString(row.fieldIndex(TERM))));
    } else {
      phraseSet.addAll(options.knownPhrases());
    }
    Broadcast<Set<String>> known = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(phraseSet);
    UDF1<scala.collection.Seq<String>, List<String>> phrasesOf = pairs -> {
      List<String> found = new java.util.ArrayList<>();
      scala.collection.JavaConverters.seqAsJavaList(pairs).forEach(p -> {
        if (known.value().contains(p)) {
          found.add(p);
        }
      });
      return found;
    };
    Dataset<Row> tokens = sentences.withColumn(PHRASES,
        udf(phrasesOf, DataTypes.createArrayType(DataTypes.StringType, false)).apply(col("pairs")));
    // Cached: term_forms reads the counts once per kind, and each read would scan the tokens again.
    Dataset<Row> phraseCounts = TokenCounts.of(tokens, EnumSet.of(TokenCounts.Counted.PHRASES))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> termForms = TermForms.from(counts.unionByName(phraseCounts));
    return new Result(tokens, phrases, termForms, List.of(sentences, counts, phraseCounts));
  }
}
