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
        NewsLens.TokenizeCommand.class, NewsLens.EntitiesCommand.class})
public final class NewsLens {

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command and returns its exit code (0 ok, 1 error, 2 usage, 3 too many rejects). */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new NewsLens());
    cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
      if (e instanceof StageRunner.TooManyRejects) {
        commandLine.getErr().println("newslens: " + e.getMessage());
        return 3;
      }
      commandLine.getErr().println("newslens: error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      if (!(e instanceof IllegalArgumentException || e instanceof IllegalStateException)) {
        e.printStackTrace(commandLine.getErr());
      }
      return 1;
    });
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
    @Mixin Options.Output output;

    abstract String name();

    abstract Map<String, Object> parameters();

    abstract void run(StageRunner runner);

    @Override
    public Integer call() {
      PrintStream console = System.out;
      SparkSession spark = Sessions.getOrCreate();
      TableStore store = new TableStore(spark, output.output);
      Manifest manifest = Manifest.loadOrCreate(store);
      Map<String, Object> parameters = new LinkedHashMap<>();
      parameters.put("output", output.output);
      parameters.putAll(parameters());
      manifest.recordRun(spark, name(), parameters);
      try {
        run(new StageRunner(spark, store, manifest, console));
      } finally {
        manifest.save(store);
      }
      console.println("Outputs: " + store.qualifiedRoot() + " (tables: " + String.join(", ", tableNames(manifest))
          + "; run manifest: " + Manifest.FILE + ")");
      return 0;
    }

    @SuppressWarnings("unchecked")
    private static Iterable<String> tableNames(Manifest manifest) {
      Object tables = manifest.asMap().get("tables");
      return tables == null ? java.util.List.of() : ((Map<String, Object>) tables).keySet();
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Run every stage: ingest, clean, tokenize, entities.")
  static final class Run extends StageCommand {
    @Mixin Options.IngestOptions ingest;
    @Mixin Options.CleanOptions clean;
    @Mixin Options.TokenizeOptions tokenize;
    @Mixin Options.EntitiesOptions entities;

    @Override
    String name() {
      return "run";
    }

    @Override
    Map<String, Object> parameters() {
      Map<String, Object> m = new LinkedHashMap<>(ingest.describe());
      m.putAll(clean.describe());
      m.putAll(tokenize.describe());
      m.putAll(entities.describe());
      return m;
    }

    @Override
    void run(StageRunner runner) {
      runner.ingest(ingest);
      runner.clean(clean);
      runner.tokenize(tokenize);
      runner.entities(tokenize.languageFilter(), entities);
    }
  }

  @Command(name = "ingest", mixinStandardHelpOptions = true,
      description = "Read raw articles into the 'ingested' table; unusable records go to 'rejects' with a reason.")
  static final class IngestCommand extends StageCommand {
    @Mixin Options.IngestOptions ingest;

    @Override
    String name() {
      return "ingest";
    }

    @Override
    Map<String, Object> parameters() {
      return ingest.describe();
    }

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
    String name() {
      return "clean";
    }

    @Override
    Map<String, Object> parameters() {
      return clean.describe();
    }

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
    String name() {
      return "tokenize";
    }

    @Override
    Map<String, Object> parameters() {
      return tokenize.describe();
    }

    @Override
    void run(StageRunner runner) {
      runner.tokenize(tokenize);
    }
  }

  @Command(name = "entities", mixinStandardHelpOptions = true,
      description = "People, places and organisations of the kept articles, their co-occurrence and trends:"
          + " 'articles' to 'entity_mentions', 'entities', 'entity_pairs', 'entity_trends'.")
  static final class EntitiesCommand extends StageCommand {
    @Mixin Options.LanguageOptions languages;
    @Mixin Options.EntitiesOptions entities;

    @Override
    String name() {
      return "entities";
    }

    @Override
    Map<String, Object> parameters() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("languages", languages.languages);
      m.putAll(entities.describe());
      return m;
    }

    @Override
    void run(StageRunner runner) {
      runner.entities(languages.languageFilter(), entities);
    }
  }
}
