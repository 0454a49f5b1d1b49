package io.newslens.faults;

import io.newslens.common.NioLocalFileSystem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;
import org.apache.spark.TaskContext;

/**
 * Test only: the project's local file system, with faults. Registered in a child JVM as
 * {@code spark.hadoop.fs.file.impl}, so main code carries no hook.
 *
 * <p>{@code newslens.faults.mode} (a Hadoop setting, {@code spark.hadoop.newslens.faults.mode}):
 * <ul>
 *   <li>{@code first-attempt}: a task of an even partition fails on the first file it opens or
 *       creates, on its first attempt only (local[N,F] then retries it). Tasks are what Spark
 *       retries, and every stage of newslens reads or writes files in tasks (Parquet tables,
 *       input ranges, checkpoints), so every stage sees failed attempts.
 *   <li>{@code slow-writes}: every file created inside a task waits {@code newslens.faults.delayMs}
 *       first, so that a table write lasts long enough to be killed in the middle.
 * </ul>
 * Each injected failure is appended to {@code newslens.faults.log}: "stage partition path".
 */
public class FaultInjectingFileSystem extends NioLocalFileSystem {
  public static final String MODE = "newslens.faults.mode";
  public static final String LOG = "newslens.faults.log";
  public static final String DELAY_MS = "newslens.faults.delayMs";

  private void maybeFail(Path path, boolean creating) throws IOException {
    TaskContext task = TaskContext.get();
    if (task == null) {
      return; // the driver: nothing Spark would retry
    }
    String mode = getConf().get(MODE, "");
    if (mode.equals("slow-writes") && creating) {
      try {
        Thread.sleep(getConf().getLong(DELAY_MS, 100));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else if (mode.equals("first-attempt") && task.attemptNumber() == 0 && task.partitionId() % 2 == 0
        // The attempt's own later files: it fails on its first.
        && !task.isFailed()) {
      String line = task.stageId() + " " + task.partitionId() + " " + (creating ? "create " : "open ") + path + "\n";
      String log = getConf().get(LOG);
      if (log != null) {
        Files.writeString(java.nio.file.Path.of(log), line, StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
      throw new IOException("injected fault (first attempt of stage " + task.stageId() + " partition "
          + task.partitionId() + ") on " + path);
    }
  }

  @Override
  public FSDataInputStream open(Path path, int bufferSize) throws IOException {
    maybeFail(path, false);
    return super.open(path, bufferSize);
  }

  @Override
  public FSDataOutputStream create(Path path, FsPermission permission, boolean overwrite, int bufferSize,
      short replication, long blockSize, Progressable progress) throws IOException {
    maybeFail(path, true);
    return super.create(path, permission, overwrite, bufferSize, replication, blockSize, progress);
  }
}
