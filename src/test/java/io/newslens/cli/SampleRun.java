package io.newslens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.newslens.SharedSpark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * One run of the README's command on data/, shared by every test class of the JVM that only reads
 * its outputs: the whole pipeline costs minutes, so it runs once per suite, not once per class.
 * Tests must not write into it.
 */
public final class SampleRun {
  private SampleRun() {}

  private static Path output;

  /** The output folder of the sample run, running it on first use. */
  public static synchronized Path output() {
    if (output == null && System.getenv("NEWSLENS_SAMPLE_RUN") != null) {
      // while working on a test that only reads: NEWSLENS_SAMPLE_RUN=<the output of the README's command>
      output = Path.of(System.getenv("NEWSLENS_SAMPLE_RUN"));
    }
    if (output == null) {
      SharedSpark.spark();
      try {
        Path dir = Files.createTempDirectory("newslens-sample-run");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
        Path out = dir.resolve("out");
        assertEquals(0, NewsLens.execute(args(out)), "the sample run failed");
        output = out;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return output;
  }

  /** The README's command, with fewer sampling iterations to keep the suite short. */
  static String[] args(Path output) {
    return new String[] {"run", "--input", "data", "--output", output.toString(), "--iterations", "100"};
  }

  private static void delete(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp folder left behind is harmless
    }
  }
}
