package io.newslens.cli;

import io.newslens.common.Manifest;
import io.newslens.common.Sessions;
import io.newslens.common.TableStore;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The newslens command line: one subcommand per stage, and {@code run} for all of them.
 *
 * <pre>
 * jobs/newslens run --input data --output out                # local, all cores
 * jobs/submit.sh --master yarn -- run --input hdfs:///news --output hdfs:///newslens
 * </pre>
 */
@Command(name = "newslens", mixinStandardHelpOptions = true, versionProvider = NewsLens.Version.class,
    description = "Batch text analytics for news corpora on Apache Spark.",
    subcommands = {NewsLens.Run.class, NewsLens.IngestCommand.class, NewsLens.CleanCommand.class,
        NewsLens.TokenizeCommand.class, NewsLens.TopicsCommand.class, NewsLens.EntitiesCommand.class,
        NewsLens.LinkCommand.class, NewsLens.ScoreCommand.class, NewsLens.ReportCommand.class})
public final class NewsLens {

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /**
   * Runs a command and returns its exit code (0 ok, 1 error, 2 usage or an --output folder
   * newslens did not write, 3 too many rejects).
   */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new NewsLens());
    cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
      if (e instanceof StageRunner.TooManyRejects) {
        commandLine.getErr().println("newslens: " + e.getMessage());
        return 3;
      }
      if (e instanceof io.newslens.common.OutputLock.Held) {
        commandLine.getErr().println("newslens: refused: " + e.getMessage());
        return 2;
      }
      if (e instanceof TableStore.ForeignOutput) {
        commandLine.getErr().println("newslens: refused: " + e.getMessage());
        return 2;
      }
      commandLine.getErr().println("newslens: error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      if (!(e instanceof IllegalArgumentException || e instanceof IllegalStateException)) {
        e.printStackTrace(commandLine.getErr());
      }
      return 1;
    });
    try {
      Options.useConfigFile(cli, args);
    } catch (IllegalArgumentException e) {
      cli.getErr().println("newslens: " + e.getMessage());
      return 2;
    }
    return cli.execute(args);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"newslens " + Manifest.newslensVersion()};
    }
  }

  /** Shared by every command: open the session, the output folder and its manifest. */
  abstract static class StageCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin Options.Output output;

    abstract void run(StageRunner runner);

    /** Every option group of the command, as recorded in the manifest. */
    Map<String, Object> parameters() {
      Map<String, Object> parameters = new LinkedHashMap<>();
      spec.mixins().values().forEach(mixin -> {
        if (mixin.userObject() instanceof Options.Described described) {
          parameters.putAll(described.describe());
        }
      });
      return parameters;
    }

    @Override
    public Integer call() {
      PrintStream console = System.out;
      output.configureLogging();
      SparkSession spark = Sessions.getOrCreate();
      io.newslens.common.Progress.attach(spark.sparkContext(), console);
      String runId = java.util.UUID.randomUUID().toString();
      TableStore store = new TableStore(spark, output.output, runId);
      store.checkOutputIsOurs(); // before anything is written: a user's folder stays untouched
      Manifest manifest;
      // Two commands on one output would interleave their swaps: the second stops here.
      try (io.newslens.common.OutputLock lock = acquireLock(store, runId)) {
        store.recoverInterrupted().forEach(line -> console.println("newslens: " + line));
        manifest = Manifest.loadOrCreate(store);
        manifest.recordRun(spark, spec.name(), parameters(), runId);
        manifest.save(store); // claims the folder as a newslens output before the first table
        try {
          run(new StageRunner(spark, store, manifest, console));
          manifest.recordOutcome("ok", null);
        } catch (Throwable e) { // Spark's AnalysisException is a checked exception, thrown unchecked from Scala
          manifest.recordOutcome("failed", e.getMessage() == null ? e.toString() : e.getMessage());
          throw e;
        } finally {
          manifest.save(store);
        }
      }
      boolean report = manifest.asMap().get("stages") instanceof Map<?, ?> stages && stages.containsKey(StageRunner.REPORT);
      console.println("Outputs: " + store.qualifiedRoot() + " (tables: " + String.join(", ", tableNames(manifest))
          + "; run manifest: " + Manifest.FILE
          + (report ? "; report: " + StageRunner.REPORT + "/" + StageRunner.REPORT_PAGE : "") + ")");
      return 0;
    }

    private io.newslens.common.OutputLock acquireLock(TableStore store, String runId) {
      try {
        return io.newslens.common.OutputLock.acquire(store.fs(), store.root(), runId, "newslens " + spec.name());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @SuppressWarnings("unchecked")
    private static Iterable<String> tableNames(Manifest manifest) {
      Object tables = manifest.asMap().get("tables");
      return tables == null ? java.util.List.of() : ((Map<String, Object>) tables).keySet();
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Run every stage: ingest, clean, tokenize, topics, entities, link, report.")
  static final class Run extends StageCommand {
    @Mixin Options.IngestOptions ingest;
    @Mixin Options.CleanOptions clean;
    @Mixin Options.TokenizeOptions tokenize;
    @Mixin Options.TopicsOptions topics;
    @Mixin Options.EntitiesOptions entities;
    @Mixin Options.LinkOptions link;

    @picocli.CommandLine.Option(names = "--append",
        description = "Add new input to the output of an earlier run: read only input files it has not read"
            + " (by path, size and time), deduplicate against its articles, rewrite only the periods the new"
            + " articles fall in (and the trend windows after them). Topic mixtures by fold-in with the saved model."
            + " Without an earlier output, every stage runs on all the input.")
    boolean append;

    @picocli.CommandLine.Option(names = "--since", paramLabel = "DATE",
        description = "Append (implies --append) the records dated DATE (yyyy-MM-dd) or later from every input file,"
            + " read before or not; records the output already holds are skipped.")
    String since;

    @picocli.CommandLine.Option(names = "--retrain",
        description = "With --append: fit the topic model again on all articles instead of folding the new ones in.")
    boolean retrain;

    @Override
    Map<String, Object> parameters() {
      Map<String, Object> parameters = super.parameters();
      parameters.put("append", append || since != null);
      parameters.put("since", since);
      parameters.put("retrain", retrain);
      return parameters;
    }

    @Override
    void run(StageRunner runner) {
      topics.toStageOptions(); // bad options fail before hours of work, not after
      entities.toStageOptions();
      link.toStageOptions();
      java.time.LocalDate sinceDate;
      try {
        sinceDate = since == null ? null : java.time.LocalDate.parse(since);
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException("--since " + since + ": not a date (yyyy-MM-dd)");
      }
      if ((append || since != null) && runner.hasArticles()) {
        if (runner.append(new Append.Request(ingest, clean, tokenize, entities, sinceDate, retrain))) {
          runner.topics(topics);
        }
        runner.link(link); // over the whole corpus: cheap next to the stages before it
        runner.report();
        return;
      }
      runner.ingest(ingest);
      runner.clean(clean);
      runner.tokenize(tokenize, null);
      runner.topics(topics);
      runner.entities(tokenize.languageFilter(), entities);
      runner.link(link);
      runner.report();
    }
  }

  @Command(name = "report", mixinStandardHelpOptions = true,
      description = "One self-contained HTML page of the run's results, from its tables and manifest:"
          + " report/index.html (charts as inline SVG; opens offline).")
  static final class ReportCommand extends StageCommand {
    @Override
    void run(StageRunner runner) {
      runner.report();
    }
  }

  @Command(name = "ingest", mixinStandardHelpOptions = true,
      description = "Read raw articles into the 'ingested' table; unusable records go to 'rejects' with a reason.")
  static final class IngestCommand extends StageCommand {
    @Mixin Options.IngestOptions ingest;

    @Override
    void run(StageRunner runner) {
      runner.ingest(ingest);
    }
  }

  @Command(name = "clean", mixinStandardHelpOptions = true,
      description = "Strip boilerplate, normalise text, detect language and mark duplicates: 'ingested' to 'articles'.")
  static final class CleanCommand extends StageCommand {
    @Mixin Options.CleanOptions clean;

    @Override
    void run(StageRunner runner) {
      runner.clean(clean);
    }
  }

  @Command(name = "tokenize", mixinStandardHelpOptions = true,
      description = "Sentences, tokens, stems and phrases of the kept articles: 'articles' to 'tokens', 'phrases', 'term_forms'.")
  static final class TokenizeCommand extends StageCommand {
    @Mixin Options.TokenizeOptions tokenize;

    @Override
    void run(StageRunner runner) {
      runner.tokenize(tokenize, null);
    }
  }

  @Command(name = "topics", mixinStandardHelpOptions = true,
      description = "Topic model of the tokenized articles: 'tokens' to 'topic_terms', 'doc_topics', 'topic_trends', 'topic_metrics' and model/.")
  static final class TopicsCommand extends StageCommand {
    @Mixin Options.TopicsOptions topics;

    @Override
    void run(StageRunner runner) {
      runner.topics(topics);
    }
  }

  @Command(name = "score", mixinStandardHelpOptions = true,
      description = "Topic mixtures of new articles under a saved model, without retraining: ingest, clean and tokenize --input into --output, then 'doc_topics' and 'topic_trends'.")
  static final class ScoreCommand extends StageCommand {
    @picocli.CommandLine.Option(names = "--model", paramLabel = "DIR", required = true,
        description = "The model/ folder a topics run wrote.")
    String model;

    @Mixin Options.IngestOptions ingest;
    @Mixin Options.CleanOptions clean;
    @Mixin Options.TokenizeOptions tokenize;

    @Override
    Map<String, Object> parameters() {
      Map<String, Object> parameters = super.parameters();
      parameters.put("model", model);
      return parameters;
    }

    @Override
    void run(StageRunner runner) {
      io.newslens.topics.GibbsLDAModel topicModel = io.newslens.topics.Topics.loadModel(SparkSession.active(), model);
      runner.ingest(ingest);
      runner.clean(clean);
      runner.tokenize(tokenize, io.newslens.topics.Topics.phrases(topicModel));
      runner.score(topicModel, model);
    }
  }

  @Command(name = "entities", mixinStandardHelpOptions = true,
      description = "People, places and organisations of the kept articles, their co-occurrence and trends:"
          + " 'articles' and the sentences of 'tokens' (run tokenize first) to 'entity_mentions', 'entities', 'entity_pairs', 'entity_trends'.")
  static final class EntitiesCommand extends StageCommand {
    @Mixin Options.LanguageOptions languages;
    @Mixin Options.EntitiesOptions entities;

    @Override
    void run(StageRunner runner) {
      runner.entities(languages.languageFilter(), entities);
    }
  }

  @Command(name = "link", mixinStandardHelpOptions = true,
      description = "Topics linked to the entities that go with them, over the corpus and per period:"
          + " 'doc_topics' and 'entity_mentions' (run topics and entities first) to 'topic_entities' and 'entity_topics'.")
  static final class LinkCommand extends StageCommand {
    @Mixin Options.LinkOptions link;

    @Override
    void run(StageRunner runner) {
      runner.link(link);
    }
  }
}
