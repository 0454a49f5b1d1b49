package io.newslens.common;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * One line every {@code newslens.progress.seconds} (default 30) while a stage runs:
 * {@code progress: tokenize 4m30s, 1,234,567 records read, tasks 45/80 of the running jobs, ~2m10s left for them}.
 * Plain lines with no carriage returns, so a cluster driver log reads like a terminal. Counts come
 * from a SparkListener: records read (input and shuffle) by the tasks finished since the stage
 * began, and the tasks of the Spark stages submitted by the jobs still running. A newslens stage
 * runs several jobs one after another whose number is only known as they start, so the estimate
 * covers the running jobs (their remaining tasks at the rate seen so far), not the whole stage.
 */
public final class Progress extends SparkListener {
  private static final Map<SparkContext, Progress> ATTACHED = new WeakHashMap<>();
  private static volatile String stage;
  private static volatile long stageStartNanos;
  private static final AtomicLong RECORDS = new AtomicLong();

  private final Object lock = new Object();
  private int runningJobs;
  private long jobsStartNanos;
  private long tasksTotal;
  private long tasksDone;

  private Progress() {}

  /** Starts the progress lines of this SparkContext (once; later calls return the same listener). */
  public static synchronized Progress attach(SparkContext sc, PrintStream out) {
    Progress progress = ATTACHED.get(sc);
    if (progress == null) {
      progress = new Progress();
      sc.addSparkListener(progress);
      ATTACHED.put(sc, progress);
      long seconds = Long.getLong("newslens.progress.seconds", 30);
      if (seconds > 0) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread thread = new Thread(r, "newslens-progress");
          thread.setDaemon(true);
          return thread;
        });
        Progress listener = progress;
        timer.scheduleAtFixedRate(() -> {
          String line = listener.line(seconds);
          if (line != null) {
            out.println(line);
          }
        }, seconds, seconds, TimeUnit.SECONDS);
      }
    }
    return progress;
  }

  /** A newslens stage starts: its progress lines begin after the first interval. */
  public static void begin(String name) {
    RECORDS.set(0);
    stageStartNanos = System.nanoTime();
    stage = name;
  }

  public static void end() {
    stage = null;
  }

  /**
   * The progress line now, or null when no stage runs or the stage is younger than
   * {@code minSeconds} (short stages only get their summary line).
   */
  public String line(long minSeconds) {
    String name = stage;
    long now = System.nanoTime();
    long elapsed = (now - stageStartNanos) / 1_000_000_000L;
    if (name == null || elapsed < minSeconds) {
      return null;
    }
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "progress: %s %s, %,d records read",
        name, duration(elapsed), RECORDS.get()));
    synchronized (lock) {
      if (runningJobs > 0 && tasksTotal > 0) {
        line.append(String.format(Locale.ROOT, ", tasks %d/%d of the running jobs", tasksDone, tasksTotal));
        if (tasksDone > 0 && tasksDone < tasksTotal) {
          double perTask = (now - jobsStartNanos) / 1e9 / tasksDone;
          long left = Math.max(1, Math.round(perTask * (tasksTotal - tasksDone))); // never "~0s" while tasks remain
          line.append(", ~").append(duration(left)).append(" left for them");
        }
      }
    }
    return line.toString();
  }

  static String duration(long seconds) {
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return seconds / 60 + "m" + String.format(Locale.ROOT, "%02ds", seconds % 60);
    }
    return seconds / 3600 + "h" + String.format(Locale.ROOT, "%02dm", seconds / 60 % 60);
  }

  @Override
  public void onJobStart(SparkListenerJobStart jobStart) {
    synchronized (lock) {
      if (runningJobs++ == 0) {
        jobsStartNanos = System.nanoTime();
        tasksTotal = 0;
        tasksDone = 0;
      }
    }
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd jobEnd) {
    synchronized (lock) {
      runningJobs = Math.max(0, runningJobs - 1);
    }
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
    synchronized (lock) {
      tasksTotal += submitted.stageInfo().numTasks();
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    synchronized (lock) {
      tasksDone++;
    }
    TaskMetrics metrics = taskEnd.taskMetrics();
    if (metrics != null) {
      RECORDS.addAndGet(metrics.inputMetrics().recordsRead() + metrics.shuffleReadMetrics().recordsRead());
    }
  }
}
