package io.newslens.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** manifest.json of the sample run says enough to run it again and to tell whether that would match. */
class RunManifestTest {
  static JsonNode manifest;

  @BeforeAll
  static void sampleRun() throws Exception {
    manifest = CliTestSupport.manifest(SampleRun.output());
  }

  @Test
  void inputsWithSizesAndModificationTimes() throws Exception {
    Map<String, Long> expected = new HashMap<>();
    for (String file : new String[] {"europarl-sample.jsonl", "sotu-sample.jsonl"}) {
      expected.put(file, Files.size(Path.of("data", file)));
    }
    long folder = 0;
    try (var files = Files.list(Path.of("data", "sample-article"))) {
      for (Path file : files.toList()) {
        folder += Files.size(file);
      }
    }
    expected.put("sample-article", folder);
    Map<String, Long> recorded = new HashMap<>();
    for (JsonNode input : manifest.get("inputs")) {
      String name = Path.of(input.get("path").asText().replaceFirst("^file:", "")).getFileName().toString();
      recorded.put(name, input.get("bytes").asLong());
      Path local = Path.of("data", name);
      long mtime = Files.walk(local).filter(Files::isRegularFile)
          .mapToLong(p -> p.toFile().lastModified()).max().orElseThrow();
      assertEquals(Instant.ofEpochMilli(mtime).toString(), input.get("modified").asText(), name);
      assertTrue(input.get("files").asLong() >= 1, name);
      assertTrue(input.get("format").asText().matches("jsonl|text"), input.toString());
    }
    assertEquals(expected, recorded);
  }

  @Test
  void everyOptionOfTheCommandItsVersionsAndItsTimes() {
    CommandLine run = new CommandLine(new NewsLens()).getSubcommands().get("run");
    JsonNode parameters = manifest.get("parameters");
    for (CommandLine.Model.OptionSpec option : run.getCommandSpec().options()) {
      String key = option.longestName().replaceFirst("^--", "").replace('-', '_');
      if (!option.usageHelp() && !option.versionHelp() && !key.equals("config")) {
        assertTrue(parameters.has(key), "manifest parameters lack " + key + ": " + parameters);
      }
    }
    assertEquals(100, parameters.get("iterations").asInt());
    for (String version : new String[] {"newslens", "newslens_commit", "spark", "spark_nlp", "scala", "java", "hadoop"}) {
      assertFalse(manifest.at("/versions/" + version).asText().isEmpty(), version);
    }
    assertEquals("run", manifest.at("/run/command").asText());
    assertEquals("ok", manifest.at("/run/status").asText());
    assertTrue(manifest.at("/run/seconds").asDouble() > 0);
    for (String stage : new String[] {"ingest", "clean", "tokenize", "topics", "entities", "link"}) {
      assertTrue(manifest.at("/stages/" + stage + "/seconds").asDouble() > 0, stage);
      assertEquals("ok", manifest.at("/stages/" + stage + "/status").asText(), stage);
    }
    assertEquals(405, manifest.at("/stages/ingest/articles").asLong());
  }
}
