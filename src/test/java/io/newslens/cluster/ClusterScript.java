package io.newslens.cluster;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code bench/cluster-smoke.sh} and makes sure that nothing it started outlives it: on
 * success, failure, overrun, interruption and this JVM's shutdown alike.
 */
final class ClusterScript {
  private ClusterScript() {}

  /**
   * Starts the script on {@code input}, writing the cluster run's tables to {@code output}, and
   * waits for it at most {@code minutes}; fails with the end of its log unless it exits with 0.
   */
  static void run(Path log, long minutes, Path input, Path output, List<String> sparkOptions, List<String> runOptions)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", Path.of("bench/cluster-smoke.sh").toAbsolutePath().toString(),
        "--input", input.toString(), "--output", output.toString(), "--"));
    command.addAll(sparkOptions);
    command.add("--");
    command.addAll(runOptions);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // the script stops everything by itself once this JVM is gone, however it ended
    builder.environment().put("NEWSLENS_SMOKE_WATCH_PID", String.valueOf(ProcessHandle.current().pid()));
    // the script's temporary folder (cluster logs, kept when it fails) next to its log
    builder.environment().put("TMPDIR", log.toAbsolutePath().getParent().toString());
    // the pipeline run's own bound, inside the script's
    builder.environment().put("NEWSLENS_SMOKE_TIMEOUT", String.valueOf(minutes * 60 * 2 / 3));
    // Maven as the build runs: offline with -o, and the same local repository
    List<String> maven = new ArrayList<>();
    if (System.getProperty("newslens.maven.offline", "").endsWith("true")) {
      maven.add("-o");
    }
    String repository = System.getProperty("newslens.maven.repository", "");
    if (!repository.isEmpty() && !repository.startsWith("${")) {
      maven.add("-Dmaven.repo.local=" + repository);
    }
    builder.environment().put("NEWSLENS_MVN_ARGS", String.join(" ", maven));

    Process process = builder.start();
    Thread hook = new Thread(() -> stop(process), "stop-cluster-smoke");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
        stop(process);
        fail("bench/cluster-smoke.sh did not end within " + minutes + " minutes: stopped\n" + tail(log));
      }
      if (process.exitValue() != 0) {
        fail("bench/cluster-smoke.sh exited with " + process.exitValue() + "\n" + tail(log));
      }
    } finally {
      stop(process); // also when interrupted (JUnit's timeout) or failed
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
  }

  /**
   * Asks the script to stop (its trap stops the driver, workers, executors and master), then
   * kills by id whatever it had started that is still there. The tree is taken first: once the
   * script is gone its children no longer count as its descendants.
   */
  static void stop(Process process) {
    List<ProcessHandle> tree = process.descendants().toList();
    boolean interrupted = Thread.interrupted(); // JUnit's timeout: still give the trap its time
    if (process.isAlive()) {
      process.destroy();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    for (ProcessHandle handle : tree) {
      handle.destroyForcibly();
    }
    process.destroyForcibly();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
