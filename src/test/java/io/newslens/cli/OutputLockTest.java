package io.newslens.cli;

import static io.newslens.SharedSpark.spark;
import static org.junit.jupiter.api.Assertions.*;

import io.newslens.common.OutputLock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One command at a time per output folder; a lock left by a dead process is taken over. */
class OutputLockTest {
  @TempDir Path dir;

  static void writeLock(Path output, long pid, String runId) throws Exception {
    Files.createDirectories(output);
    Files.writeString(output.resolve(OutputLock.FILE), "host=" + InetAddress.getLocalHost().getHostName()
        + "\npid=" + pid + "\nrun_id=" + runId + "\ncommand=newslens run\nstarted=2026-11-28T01\\:00\\:00Z\n");
  }

  /** Runs the command line, returning exit code and what it printed on stderr. */
  static Object[] execute(String... args) {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      int code = NewsLens.execute(args);
      return new Object[] {code, captured.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setErr(err);
    }
  }

  @Test
  void aSecondCommandOnTheSameOutputFailsFastNamingTheHolder() throws Exception {
    spark();
    Path out = dir.resolve("out");
    long livePid = ProcessHandle.current().pid();
    writeLock(out, livePid, "the-first-run");
    Object[] result = execute("ingest", "--input", "data/sample-article", "--output", out.toString());
    assertEquals(2, result[0], (String) result[1]);
    String message = (String) result[1];
    assertTrue(message.contains("another newslens command is using --output"), message);
    assertTrue(message.contains("pid " + livePid) && message.contains("the-first-run"), message);
    assertFalse(Files.exists(out.resolve("manifest.json")), "nothing written");
    assertFalse(Files.exists(out.resolve("ingested")), "nothing written");
    assertTrue(Files.readString(out.resolve(OutputLock.FILE)).contains("the-first-run"), "the holder keeps its lock");
  }

  @Test
  void aStaleLockOfADeadProcessIsTakenOverAndReleased() throws Exception {
    spark();
    Path out = dir.resolve("out");
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    writeLock(out, gone.pid(), "a-killed-run");
    Object[] result = execute("ingest", "--input", "data/sample-article", "--output", out.toString());
    assertEquals(0, result[0], (String) result[1]);
    assertTrue(Files.exists(out.resolve("ingested")));
    assertFalse(Files.exists(out.resolve(OutputLock.FILE)), "released at the end");
  }

  @Test
  void theLockIsReleasedWhenTheCommandFails() throws Exception {
    spark();
    Path out = dir.resolve("out");
    Object[] result = execute("ingest", "--input", dir.resolve("missing").toString(), "--output", out.toString());
    assertEquals(1, result[0], (String) result[1]);
    assertFalse(Files.exists(out.resolve(OutputLock.FILE)));
  }

  @Test
  void onlyOneOfTwoHoldersAtOnce() throws Exception {
    FileSystem fs = FileSystem.getLocal(spark().sparkContext().hadoopConfiguration());
    org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(dir.resolve("out").toUri());
    try (OutputLock first = OutputLock.acquire(fs, out, "run-1", "newslens run")) {
      OutputLock.Held held = assertThrows(OutputLock.Held.class, () -> OutputLock.acquire(fs, out, "run-2", "newslens run"));
      assertTrue(held.getMessage().contains("run-1"), held.getMessage());
    }
    OutputLock.acquire(fs, out, "run-3", "newslens run").close(); // free again once released
  }
}
