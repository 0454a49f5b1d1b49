package io.newslens.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.util.Properties;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One command at a time per output folder: {@value #FILE} in the folder names its holder (host,
 * process id, run id, command, start time). Two runs writing the same tables would interleave
 * their swaps and leave a mix of both, so the second one stops at once instead.
 *
 * <p>The file is created only if absent: with {@code java.nio}'s create-new on a local disk
 * (Hadoop's local file system checks and creates in two steps) and Hadoop's create without
 * overwrite elsewhere (atomic on HDFS). A lock whose holder is a process of this host that no
 * longer runs (killed, crashed) is stale and taken over; a lock of another host cannot be
 * checked and is left to the user to remove.
 */
public final class OutputLock implements AutoCloseable {
  public static final String FILE = "_newslens.lock";

  /** The folder is locked by a command that is still running (or may be). */
  public static final class Held extends RuntimeException {
    Held(String message) {
      super(message);
    }
  }

  private final FileSystem fs;
  private final Path file;
  private final String runId;

  private OutputLock(FileSystem fs, Path file, String runId) {
    this.fs = fs;
    this.file = file;
    this.runId = runId;
  }

  /** Takes the lock of {@code output} (created if missing) or throws {@link Held} naming the holder. */
  public static OutputLock acquire(FileSystem fs, Path output, String runId, String command) {
    Path file = new Path(output, FILE);
    Properties mine = new Properties();
    mine.setProperty("host", hostName());
    mine.setProperty("pid", String.valueOf(ProcessHandle.current().pid()));
    mine.setProperty("run_id", runId);
    mine.setProperty("command", command);
    mine.setProperty("started", java.time.Instant.now().toString());
    try {
      fs.mkdirs(output);
      for (int attempt = 0; attempt < 2; attempt++) {
        if (createNew(fs, file, mine)) {
          return new OutputLock(fs, file, runId);
        }
        Properties holder = read(fs, file);
        if (holder == null) {
          continue; // released between our attempt and the read
        }
        if (!isStale(holder) || attempt > 0) {
          throw new Held("another newslens command is using --output " + fs.makeQualified(output) + ": "
              + describe(holder) + ". Wait for it to finish; if it is gone, delete " + fs.makeQualified(file));
        }
        fs.delete(file, false);
      }
      throw new Held("could not lock --output " + fs.makeQualified(output) + " (" + file + ")");
    } catch (IOException e) {
      throw new UncheckedIOException("could not lock " + output, e);
    }
  }

  /** What a lock file says about its holder, for messages (host, pid, command, run id, start). */
  static String describe(Properties holder) {
    return String.format("%s (pid %s on host %s, run %s, started %s)", holder.getProperty("command", "?"),
        holder.getProperty("pid", "?"), holder.getProperty("host", "?"), holder.getProperty("run_id", "?"),
        holder.getProperty("started", "?"));
  }

  private static boolean isStale(Properties holder) {
    if (!hostName().equals(holder.getProperty("host"))) {
      return false;
    }
    try {
      long pid = Long.parseLong(holder.getProperty("pid", ""));
      return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean createNew(FileSystem fs, Path file, Properties content) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    content.store(bytes, "newslens output lock");
    if ("file".equals(fs.getScheme())) {
      java.nio.file.Path local = java.nio.file.Path.of(fs.makeQualified(file).toUri());
      try {
        Files.write(local, bytes.toByteArray(), java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    }
    try (OutputStream out = fs.create(file, false)) {
      out.write(bytes.toByteArray());
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    }
  }

  private static Properties read(FileSystem fs, Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      Properties holder = new Properties();
      holder.load(new java.io.InputStreamReader(in, StandardCharsets.ISO_8859_1));
      return holder;
    } catch (java.io.FileNotFoundException e) {
      return null;
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  /** Releases the lock if it is still this run's. */
  @Override
  public void close() {
    try {
      Properties holder = read(fs, file);
      if (holder != null && runId.equals(holder.getProperty("run_id"))) {
        fs.delete(file, false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not release " + file, e);
    }
  }
}
