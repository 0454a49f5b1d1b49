package io.newslens.cli;

import io.newslens.clean.Clean;
import io.newslens.common.Period;
import io.newslens.entities.Entities;
import io.newslens.ingest.Ingest;
import io.newslens.ingest.InputFormat;
import io.newslens.tokenize.Tokenize;
import io.newslens.topics.Topics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The command-line options, one group per stage; each converts itself to its stage's options. */
final class Options {
  private Options() {}

  /** An option group that can say what it was set to, for the run manifest. */
  interface Described {
    Map<String, Object> describe();
  }

  static final class Output implements Described {
    @Option(names = "--output", paramLabel = "DIR", defaultValue = "out",
        description = "Folder (local, hdfs://, s3a://...) holding the tables and manifest.json. Default: ${DEFAULT-VALUE}.")
    String output;

    @Override
    public Map<String, Object> describe() {
      return Map.of("output", output);
    }
  }

  static final class IngestOptions implements Described {
    @Option(names = "--input", paramLabel = "PATH", required = true,
        description = "File, folder or glob; repeat for several. Folders are searched for .jsonl, .csv, .parquet and folders of .txt files.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT",
        description = "jsonl, csv, parquet or text. Default: from each file's extension.")
    String format;

    @Option(names = "--map", paramLabel = "FIELD=COLUMN", split = ",",
        description = "Input column holding a field, e.g. --map text=body,date=published. Fields: id, date, title, text, source, url.")
    Map<String, String> fieldMap = new LinkedHashMap<>();

    @Option(names = "--default-date", paramLabel = "YYYY-MM-DD",
        description = "Date for records without one (otherwise they are rejected as missing_date).")
    String defaultDate;

    @Option(names = "--max-text-bytes", paramLabel = "N", defaultValue = "1048576",
        description = "Longer texts are rejected as oversized (lines and files too large to hold one without being read). Default: ${DEFAULT-VALUE}.")
    long maxTextBytes;

    @Option(names = "--max-reject-ratio", paramLabel = "R", defaultValue = "1.0",
        description = "Fail (exit 3) when rejects / records exceeds R, after writing both tables. Default: ${DEFAULT-VALUE} (never).")
    double maxRejectRatio;

    Ingest.Options toStageOptions() {
      if (defaultDate != null && !defaultDate.matches("\\d{4}-\\d{2}-\\d{2}")) {
        throw new IllegalArgumentException("--default-date must be YYYY-MM-DD, got " + defaultDate);
      }
      return new Ingest.Options(inputs, format == null ? null : InputFormat.parse(format), fieldMap,
          defaultDate, maxTextBytes);
    }

    @Override
    public Map<String, Object> describe() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("input", inputs);
      m.put("format", format == null ? "auto" : format);
      m.put("map", fieldMap);
      m.put("default_date", defaultDate);
      m.put("max_text_bytes", maxTextBytes);
      m.put("max_reject_ratio", maxRejectRatio);
      return m;
    }
  }

  static final class CleanOptions implements Described {
    @Option(names = "--period", paramLabel = "PERIOD", defaultValue = "month",
        description = "Time bucket of articles and everything after: day, week, month or year. Default: ${DEFAULT-VALUE}.")
    String period;

    @Option(names = "--boilerplate-patterns", paramLabel = "FILE",
        description = "Replace the bundled boilerplate line patterns (one regex per line).")
    String boilerplatePatterns;

    @Option(names = "--boilerplate-min-docs", paramLabel = "N", defaultValue = "3",
        description = "A line a source repeats in N or more different stories (on 2+ dates; an article and its duplicates are one story) is boilerplate. Default: ${DEFAULT-VALUE}.")
    int boilerplateMinDocs;

    @Option(names = "--near-duplicate-threshold", paramLabel = "J", defaultValue = "0.8",
        description = "Jaccard similarity of word 5-shingles above which an article is a near duplicate. Default: ${DEFAULT-VALUE}.")
    double nearDuplicateThreshold;

    Clean.Options toStageOptions() {
      if (nearDuplicateThreshold <= 0 || nearDuplicateThreshold > 1) {
        throw new IllegalArgumentException("--near-duplicate-threshold must be in (0, 1]");
      }
      Clean.Options defaults = Clean.Options.defaults(Period.parse(period));
      return new Clean.Options(defaults.period(), boilerplatePatterns, boilerplateMinDocs,
          defaults.boilerplateMaxChars(), nearDuplicateThreshold);
    }

    @Override
    public Map<String, Object> describe() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("period", period);
      m.put("boilerplate_patterns", boilerplatePatterns == null ? "bundled" : boilerplatePatterns);
      m.put("boilerplate_min_docs", boilerplateMinDocs);
      m.put("near_duplicate_threshold", nearDuplicateThreshold);
      return m;
    }
  }

  /** Which languages the analysing stages (tokenize, entities) keep. */
  static final class LanguageOptions implements Described {
    @Option(names = "--languages", paramLabel = "CODES", split = ",", defaultValue = "en",
        description = "ISO 639-1 codes of the articles to analyse, or 'all'. Default: ${DEFAULT-VALUE}.")
    List<String> languages;

    List<String> languageFilter() {
      return languages.contains("all") ? List.of() : languages;
    }

    @Override
    public Map<String, Object> describe() {
      return Map.of("languages", languages);
    }
  }

  static final class TokenizeOptions implements Described {
    @Mixin LanguageOptions languageOptions;

    @Option(names = "--phrase-min-count", paramLabel = "N", defaultValue = "5",
        description = "Word pairs seen fewer times are never phrases. Default: ${DEFAULT-VALUE}.")
    int phraseMinCount;

    @Option(names = "--phrase-threshold", paramLabel = "NPMI", defaultValue = "0.5",
        description = "Minimum NPMI of a word pair to become a phrase. Default: ${DEFAULT-VALUE}.")
    double phraseThreshold;

    List<String> languageFilter() {
      return languageOptions.languageFilter();
    }

    Tokenize.Options toStageOptions() {
      return new Tokenize.Options(phraseMinCount, phraseThreshold, Tokenize.Options.defaults().maxPhrases(), null);
    }

    @Override
    public Map<String, Object> describe() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.putAll(languageOptions.describe());
      m.put("phrase_min_count", phraseMinCount);
      m.put("phrase_threshold", phraseThreshold);
      return m;
    }
  }

  static final class TopicsOptions implements Described {
    @Option(names = "--topics", paramLabel = "K|auto", defaultValue = "20",
        description = "Number of topics, or 'auto' to try --topics-candidates and keep the most coherent. Default: ${DEFAULT-VALUE}.")
    String topics;

    @Option(names = "--topics-candidates", paramLabel = "K,K,...", split = ",", defaultValue = "10,20,30,40",
        description = "The K tried by --topics auto. Default: ${DEFAULT-VALUE}.")
    List<Integer> candidates;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "gibbs",
        description = "gibbs (collapsed Gibbs sampling, distributed), em or online (MLlib). Default: ${DEFAULT-VALUE}.")
    String optimizer;

    @Option(names = "--iterations", paramLabel = "N",
        description = "Training iterations. Default: for gibbs 500 sweeps on a training sample under "
            + "1,000,000 words, 200 above; 50 for em, 100 for online.")
    Integer iterations;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--min-df", paramLabel = "N", defaultValue = "5",
        description = "Terms in fewer documents are left out. Default: ${DEFAULT-VALUE}.")
    int minDf;

    @Option(names = "--max-df", paramLabel = "FRACTION", defaultValue = "0.5",
        description = "Terms in a larger fraction of documents are left out. Default: ${DEFAULT-VALUE}.")
    double maxDf;

    @Option(names = "--vocab-size", paramLabel = "N", defaultValue = "50000",
        description = "Keep at most the N terms in most documents. Default: ${DEFAULT-VALUE}.")
    int vocabSize;

    @Option(names = "--alpha", paramLabel = "A", description = "Document-topic prior (gibbs: its starting value when --optimize-interval is set). Default: 5/K.")
    Double alpha;

    @Option(names = "--beta", paramLabel = "B", defaultValue = "0.05", description = "Topic-word prior (gibbs: its starting value when --optimize-interval is set). Default: ${DEFAULT-VALUE}.")
    double beta;

    @Option(names = "--sweeps-per-sync", paramLabel = "N", defaultValue = "0",
        description = "gibbs: sampling sweeps between synchronisations of the partitions. Default: iterations / 20 on one partition, 5 on several.")
    int sweepsPerSync;

    @Option(names = "--train-sample", paramLabel = "WORDS", defaultValue = "" + Topics.DEFAULT_TRAIN_SAMPLE,
        description = "gibbs: train on a sample of documents of about this many words (0: all); every document's "
            + "mixture is then folded in. Default: ${DEFAULT-VALUE}.")
    long trainSample;

    @Option(names = "--optimize-interval", paramLabel = "N", defaultValue = "" + Topics.DEFAULT_OPTIMIZE_INTERVAL,
        description = "gibbs: learn an asymmetric alpha and beta from the sampler's state every N sweeps (0: keep "
            + "--alpha and --beta fixed), as MALLET's --optimize-interval. Default: ${DEFAULT-VALUE}.")
    int optimizeInterval;

    @Option(names = "--optimize-burn-in", paramLabel = "N",
        description = "gibbs: sweeps before alpha and beta are first learnt. Default: 200, at most half the sweeps.")
    Integer optimizeBurnIn;

    Topics.Options toStageOptions() {
      if (optimizeInterval < 0 || (optimizeBurnIn != null && optimizeBurnIn < 0)) {
        throw new IllegalArgumentException("--optimize-interval and --optimize-burn-in are numbers of sweeps, at least 0");
      }
      if (!List.of("gibbs", "em", "online").contains(optimizer)) {
        throw new IllegalArgumentException("--optimizer must be gibbs, em or online, got " + optimizer);
      }
      if (trainSample < 0) {
        throw new IllegalArgumentException("--train-sample is a number of words, 0 for all; got " + trainSample);
      }
      if (maxDf <= 0 || maxDf > 1) {
        throw new IllegalArgumentException("--max-df is a fraction of documents, in (0, 1]");
      }
      List<Integer> ks = topics.equals("auto") ? candidates : List.of(parseK(topics));
      int defaultIterations = switch (optimizer) {
        case "em" -> 50;
        case "online" -> 100;
        default -> 0; // Topics.defaultSweeps, once the training sample is drawn
      };
      Topics.Options defaults = Topics.Options.defaults(ks.get(0));
      return new Topics.Options(ks, iterations == null ? defaultIterations : iterations, seed, optimizer, minDf,
          maxDf, vocabSize, alpha, beta, defaults.partitions(), sweepsPerSync, trainSample, optimizeInterval,
          optimizeBurnIn == null ? -1 : optimizeBurnIn);
    }

    private static int parseK(String value) {
      try {
        int k = Integer.parseInt(value);
        if (k >= 2) {
          return k;
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      throw new IllegalArgumentException("--topics must be a number of at least 2, or auto; got " + value);
    }

    @Override
    public Map<String, Object> describe() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("topics", topics);
      if (topics.equals("auto")) {
        m.put("topics_candidates", candidates);
      }
      m.put("optimizer", optimizer);
      m.put("iterations", iterations == null ? "default" : iterations);
      m.put("seed", seed);
      m.put("min_df", minDf);
      m.put("max_df", maxDf);
      m.put("vocab_size", vocabSize);
      m.put("alpha", alpha == null ? "5/K" : alpha);
      m.put("beta", beta);
      m.put("sweeps_per_sync", sweepsPerSync == 0 ? "auto" : sweepsPerSync);
      m.put("train_sample", trainSample);
      m.put("optimize_interval", optimizeInterval);
      m.put("optimize_burn_in", optimizeBurnIn == null ? "auto" : optimizeBurnIn);
      return m;
    }
  }

  static final class EntitiesOptions implements Described {
    @Option(names = "--ner", paramLabel = "RECOGNIZER", defaultValue = "rules",
        description = "rules (bundled gazetteers and rules, offline) or corenlp (Stanford CoreNLP CRF; needs a jar built with -Pcorenlp). Default: ${DEFAULT-VALUE}.")
    String ner;

    @Option(names = "--min-pair-count", paramLabel = "N|auto", defaultValue = "auto",
        description = "Entity pairs co-occurring in fewer units (sentences or articles) in a period are not written;"
            + " auto: 1 below 1,000 kept articles, 2 from there on (the manifest records the one used). Default: ${DEFAULT-VALUE}.")
    String minPairCount;

    @Option(names = "--max-entities-per-sentence", paramLabel = "N", defaultValue = "20",
        description = "Only the first N distinct entities of a sentence are paired. Default: ${DEFAULT-VALUE}.")
    int maxEntitiesPerSentence;

    @Option(names = "--max-entities-per-document", paramLabel = "N", defaultValue = "50",
        description = "Only the N most mentioned entities of an article are paired at document level. Default: ${DEFAULT-VALUE}.")
    int maxEntitiesPerDocument;

    @Option(names = "--burst-threshold", paramLabel = "Z", defaultValue = "3.0",
        description = "A period is a burst for an entity when its z-score reaches Z (and 2+ articles mention it). Default: ${DEFAULT-VALUE}.")
    double burstThreshold;

    @Option(names = "--trend-window", paramLabel = "N", defaultValue = "6",
        description = "Trailing periods the z-score compares against. Default: ${DEFAULT-VALUE}.")
    int trendWindow;

    Entities.Options toStageOptions() {
      return new Entities.Options(ner, maxEntitiesPerSentence, maxEntitiesPerDocument, minPairCount(),
          burstThreshold, trendWindow);
    }

    private long minPairCount() {
      if ("auto".equals(minPairCount)) {
        return Entities.AUTO;
      }
      try {
        long n = Long.parseLong(minPairCount);
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException("--min-pair-count must be auto or a whole number of at least 1, got " + minPairCount);
    }

    @Override
    public Map<String, Object> describe() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ner", ner);
      m.put("min_pair_count", minPairCount);
      m.put("max_entities_per_sentence", maxEntitiesPerSentence);
      m.put("max_entities_per_document", maxEntitiesPerDocument);
      m.put("burst_threshold", burstThreshold);
      m.put("trend_window", trendWindow);
      return m;
    }
  }
}
