package io.newslens.common;

import static io.newslens.SharedSpark.spark;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

class ProgressTest {
  /** Tasks of partitions 2 and 3 wait here (local mode: the tasks run in this JVM). */
  static final CountDownLatch RELEASE = new CountDownLatch(1);

  @Test
  void lineSaysTheStageRecordsTasksAndWhatIsLeft() throws Exception {
    Progress progress = Progress.attach(spark().sparkContext(), System.out);
    assertSame(progress, Progress.attach(spark().sparkContext(), System.out), "one listener per context");
    Progress.end();
    assertNull(progress.line(0), "no line outside a stage");
    Progress.begin("tokenize");
    assertNull(progress.line(3600), "nothing before the first interval");
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark().sparkContext());
    CompletableFuture<Long> job = CompletableFuture.supplyAsync(() -> jsc.parallelize(List.of(1, 2, 3, 4), 4)
        .map(i -> {
          if (i > 2) {
            RELEASE.await();
          }
          return i;
        }).count());
    String line = null;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3); // a loaded machine, not a timing
    while (System.nanoTime() < deadline && (line == null || !line.contains("tasks 2/4"))) {
      Thread.sleep(100);
      line = progress.line(0);
    }
    RELEASE.countDown();
    assertNotNull(line, "no progress line while the job ran");
    assertEquals(4L, job.get(60, TimeUnit.SECONDS));
    assertTrue(line.matches("progress: tokenize \\d+s, [\\d,]+ records read, tasks 2/4 of the running jobs,"
        + " ~\\d+s left for them"), line);
    spark().sparkContext().listenerBus().waitUntilEmpty();
    spark().range(0, 1000, 1, 4).selectExpr("id % 7 AS k").groupBy("k").count().collectAsList();
    spark().sparkContext().listenerBus().waitUntilEmpty();
    String after = progress.line(0);
    assertFalse(after.contains("tasks"), "no job runs: " + after);
    assertTrue(Long.parseLong(after.replaceAll(".*, ([\\d,]+) records read.*", "$1").replace(",", "")) >= 7, after);
    Progress.end();
    assertNull(progress.line(0));
  }

  @Test
  void durationsReadAtAGlance() {
    assertEquals("59s", Progress.duration(59));
    assertEquals("2m05s", Progress.duration(125));
    assertEquals("1h01m", Progress.duration(3660));
  }
}
