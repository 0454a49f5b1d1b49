package io.newslens.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** --config FILE, its generated example, and --verbose: parsed only, no Spark job runs here. */
class OptionsConfigTest {
  static final Path EXAMPLE = Path.of("jobs", "newslens.properties.example");

  /** Parses a command line as NewsLens.execute does, and returns the command object. */
  static Object parse(String... args) {
    CommandLine cli = new CommandLine(new NewsLens());
    Options.useConfigFile(cli, args);
    CommandLine.ParseResult parsed = cli.parseArgs(args);
    return parsed.subcommand().commandSpec().userObject();
  }

  @Test
  void exampleFileIsUpToDate() throws Exception {
    assertEquals(Options.exampleConfig(), Files.readString(EXAMPLE),
        "jobs/newslens.properties.example is out of date: regenerate it with io.newslens.cli.Options#main");
  }

  @Test
  void exampleListsEveryOptionOfEveryCommandWithItsDefault() throws Exception {
    String example = Files.readString(EXAMPLE);
    Map<String, CommandLine.Model.OptionSpec> options = Options.allOptions(new CommandLine(new NewsLens()));
    for (String key : List.of("input", "output", "period", "topics", "iterations", "ner", "model", "verbose",
        "trend-window", "max-reject-ratio")) {
      assertTrue(options.containsKey(key), key);
    }
    for (var option : options.entrySet()) {
      String value = option.getValue().defaultValue() == null ? "" : " " + option.getValue().defaultValue();
      assertTrue(example.contains("\n#" + option.getKey() + " =" + value + "\n"), option.getKey());
    }
    assertTrue(example.contains("\n#topics = 20\n"));
    assertTrue(example.contains("\n#period = month\n"));
  }

  /** Uncommenting every default of the example changes nothing: its defaults are the real ones. */
  @Test
  void theExampleWithEveryDefaultSetParsesLikeNoConfig(@TempDir Path dir) throws Exception {
    StringBuilder all = new StringBuilder();
    for (String line : Files.readAllLines(EXAMPLE)) {
      if (line.matches("#[a-z-]+ = .+")) {
        all.append(line.substring(1)).append('\n');
      }
    }
    Path config = dir.resolve("all.properties");
    Files.writeString(config, all);
    NewsLens.Run plain = (NewsLens.Run) parse("run", "--input", "data");
    NewsLens.Run configured = (NewsLens.Run) parse("run", "--input", "data", "--config", config.toString());
    Map<String, Object> expected = plain.parameters();
    Map<String, Object> actual = configured.parameters();
    actual.remove("config");
    assertEquals(expected, actual);
  }

  @Test
  void configSetsOptionsAndTheCommandLineWins(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("newslens.properties");
    Files.writeString(config, "# a comment\ninput = data/sample-article\ntopics = 7\nperiod = year\n"
        + "languages = en,de\nner = rules\nmodel = /models/m\nverbose = true\n");
    NewsLens.Run run = (NewsLens.Run) parse("run", "--config", config.toString(), "--topics", "9");
    assertEquals(List.of("data/sample-article"), run.ingest.inputs, "--input is required, and the file gives it");
    assertEquals("9", run.topics.topics, "the command line wins");
    assertEquals("year", run.clean.period);
    assertEquals(List.of("en", "de"), run.tokenize.languageOptions.languages);
    assertTrue(run.output.verbose);
    assertEquals(config.toString(), run.parameters().get("config"));
    // a key of another command (model: score) is ignored by this one
    NewsLens.IngestCommand ingest = (NewsLens.IngestCommand) parse("ingest", "--config=" + config);
    assertEquals(List.of("data/sample-article"), ingest.ingest.inputs);
  }

  @Test
  void unknownKeysAndMissingFilesAreUsageErrors(@TempDir Path dir) throws Exception {
    Path typo = dir.resolve("typo.properties");
    Files.writeString(typo, "topic = 30\n");
    CommandLine cli = new CommandLine(new NewsLens());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Options.useConfigFile(cli, new String[] {"run", "--config", typo.toString()}));
    assertTrue(e.getMessage().contains("unknown option 'topic'"), e.getMessage());
    assertEquals(2, NewsLens.execute("ingest", "--config", typo.toString(), "--output", dir.resolve("o").toString()));
    assertEquals(2, NewsLens.execute("ingest", "--config", dir.resolve("missing").toString()));
    assertFalse(Files.exists(dir.resolve("o")), "nothing ran");
  }

  @Test
  void quietByDefaultVerboseOnRequest() {
    Level before = LogManager.getRootLogger().getLevel();
    try {
      Options.Output.configureLogging(true);
      assertEquals(Level.INFO, LogManager.getLogger("org.apache.spark.scheduler.DAGScheduler").getLevel());
      Options.Output.configureLogging(false);
      assertEquals(Level.WARN, LogManager.getLogger("org.apache.spark.scheduler.DAGScheduler").getLevel());
      assertEquals(Level.WARN, LogManager.getRootLogger().getLevel());
      assertFalse(((NewsLens.Run) parse("run", "--input", "data")).output.verbose);
    } finally {
      org.apache.logging.log4j.core.config.Configurator.setRootLevel(before);
    }
  }
}
