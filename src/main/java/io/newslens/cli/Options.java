package io.newslens.cli;

import io.newslens.clean.Clean;
import io.newslens.common.Period;
import io.newslens.entities.Entities;
import io.newslens.ingest.Ingest;
import io.newslens.ingest.InputFormat;
import io.newslens.link.TopicEntities;
import io.newslens.tokenize.Tokenize;
import io.newslens.topics.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.OptionSpec;
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

    // Read before parsing, by useConfigFile; declared here so that every command accepts it.
    @Option(names = CONFIG_OPTION, paramLabel = "FILE",
        description = "Java properties file of options: key = long option name without --, e.g. topics = 30"
            + " (see jobs/newslens.properties.example). Options on the command line win.")
    String config;

    @Option(names = "--verbose", defaultValue = "false",
        description = "Show Spark's, Hadoop's and Spark NLP's own INFO logs. Default: warnings and errors only.")
    boolean verbose;

    /** Quiet unless --verbose, whatever log4j2 configuration the launcher or spark-submit gave. */
    void configureLogging() {
      configureLogging(verbose);
    }

    static void configureLogging(boolean verbose) {
      Configurator.setRootLevel(verbose ? Level.INFO : Level.WARN);
      for (String noisy : QUIET_LOGGERS) {
        Configurator.setLevel(noisy, verbose ? Level.INFO : Level.WARN);
      }
    }

    @Override
    public Map<String, Object> describe() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("output", output);
      if (config != null) {
        m.put("config", config);
      }
      m.put("verbose", verbose);
      return m;
    }
  }

  /**
   * Loggers that spark-submit's default configuration sets to INFO (or that name themselves
   * below the root): their progress chatter buries newslens's own lines in a driver log.
   */
  private static final List<String> QUIET_LOGGERS = List.of("org.apache.spark", "org.apache.hadoop",
      "org.sparkproject", "org.apache.parquet", "com.johnsnowlabs", "io.netty", "org.apache.kafka");

  static final String CONFIG_OPTION = "--config";

  /**
   * Makes the properties file named by {@code --config} in {@code args} the source of defaults of
   * every command: its keys are long option names without "--"; the command line overrides them.
   * Keys no command knows fail (a typo would otherwise be ignored silently); keys of options the
   * running command does not have are ignored, so one file serves every command.
   *
   * @throws IllegalArgumentException when the file cannot be read or names an unknown option
   */
  static void useConfigFile(CommandLine cli, String[] args) {
    String file = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(CONFIG_OPTION) && i + 1 < args.length) {
        file = args[i + 1];
      } else if (args[i].startsWith(CONFIG_OPTION + "=")) {
        file = args[i].substring(CONFIG_OPTION.length() + 1);
      }
    }
    if (file == null) {
      return;
    }
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
      properties.load(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read --config " + file + ": " + e);
    }
    Set<String> known = new TreeSet<>();
    allOptions(cli).forEach((name, option) -> known.add(name));
    for (String key : properties.stringPropertyNames()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException("--config " + file + ": unknown option '" + key
            + "' (keys are long option names without --; known: " + String.join(", ", known) + ")");
      }
    }
    cli.setDefaultValueProvider(arg -> {
      String value = arg instanceof OptionSpec option ? properties.getProperty(configKey(option)) : null;
      return value == null || value.isBlank() ? null : value.trim(); // "key =" leaves the default
    });
  }

  private static String configKey(OptionSpec option) {
    return option.longestName().replaceFirst("^--", "");
  }

  /**
   * Every option of every command that a config file may set, by key, in the order of the
   * commands and of their options (the first command's definition of a shared option).
   */
  static Map<String, OptionSpec> allOptions(CommandLine cli) {
    Map<String, OptionSpec> options = new LinkedHashMap<>();
    for (CommandLine command : cli.getSubcommands().values()) {
      for (OptionSpec option : command.getCommandSpec().options()) {
        String key = configKey(option);
        if (!option.usageHelp() && !option.versionHelp() && !CONFIG_OPTION.equals(option.longestName())) {
          options.putIfAbsent(key, option);
        }
      }
    }
    return options;
  }

  /** Which commands have the option of this key. */
  private static List<String> commandsWith(CommandLine cli, String key) {
    List<String> commands = new ArrayList<>();
    cli.getSubcommands().forEach((name, command) -> {
      if (command.getCommandSpec().options().stream().anyMatch(o -> configKey(o).equals(key))) {
        commands.add(name);
      }
    });
    return commands;
  }

  /**
   * jobs/newslens.properties.example: every option of every command with its meaning and default,
   * commented out, generated from the option definitions (a test compares the two).
   */
  static String exampleConfig() {
    CommandLine cli = new CommandLine(new NewsLens());
    StringBuilder out = new StringBuilder();
    out.append("# newslens options as a file: jobs/newslens <command> --config newslens.properties ...\n")
        .append("# Java properties: key = the long option name without --. Options given on the command line\n")
        .append("# win; options a command does not have are ignored by it, so one file serves every command;\n")
        .append("# an unknown key is an error. Lists are comma-separated (input takes one path or glob).\n")
        .append("# Every option is listed, commented out, with its default (empty: none).\n")
        .append("# Generated from the options' definitions by io.newslens.cli.Options#main (OptionsConfigTest\n")
        .append("# fails when this file is out of date); do not edit by hand.\n");
    int all = cli.getSubcommands().size();
    allOptions(cli).forEach((key, option) -> {
      List<String> commands = commandsWith(cli, key);
      String label = option.typeInfo().isBoolean() ? "" : " " + option.paramLabel();
      out.append("\n# ").append(option.longestName()).append(label).append(" (")
          .append(commands.size() == all ? "every command" : String.join(", ", commands)).append(")");
      if (option.required()) {
        out.append(", required: here or on the command line");
      }
      out.append('\n');
      String description = String.join(" ", option.description()).replace("${DEFAULT-VALUE}",
          String.valueOf(option.defaultValue()));
      for (String line : wrap(description, 96)) {
        out.append("# ").append(line).append('\n');
      }
      out.append("#").append(key).append(" =").append(option.defaultValue() == null ? "" : " " + option.defaultValue())
          .append('\n');
    });
    return out.toString();
  }

  private static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" +")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() == 0 ? "" : " ").append(word);
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }

  /** Prints {@link #exampleConfig()}, to write to jobs/newslens.properties.example. */
  public static void main(String[] args) {
    System.out.print(exampleConfig());
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
        description = "Training iterations. Default: for gibbs 1000 sweeps on a training sample under "
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

    @Option(names = "--beta", paramLabel = "B", defaultValue = "0.01", description = "Topic-word prior (gibbs: its starting value when --optimize-interval is set). Default: ${DEFAULT-VALUE}.")
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
      m.put("topics_candidates", candidates);
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

  static final class LinkOptions implements Described {
    @Option(names = "--link-min-docs", paramLabel = "N", defaultValue = "3",
        description = "A topic and an entity are linked only when N or more documents of the corpus mention the entity"
            + " and weigh the topic at least 0.05. Default: ${DEFAULT-VALUE}.")
    int minDocs;

    @Option(names = "--link-top", paramLabel = "N", defaultValue = "20",
        description = "Entities kept per topic (topic_entities) and topics per entity (entity_topics), in each period"
            + " and over the corpus. Default: ${DEFAULT-VALUE}.")
    int top;

    TopicEntities.Options toStageOptions() {
      return new TopicEntities.Options(minDocs, top);
    }

    @Override
    public Map<String, Object> describe() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("link_min_docs", minDocs);
      m.put("link_top", top);
      return m;
    }
  }
}
