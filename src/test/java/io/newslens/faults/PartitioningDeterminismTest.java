package io.newslens.faults;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fault 4: 1 and 4 partitions give the same rows in every table: one partition against several.
 * 2 against 4 is TaskRetriesTest's comparison: its child JVM runs with 2 partitions (and
 * failing first attempts), the clean run it is compared with has 4.
 *
 * <p>Guards: orderings that do not depend on how rows are spread (duplicates point to the
 * earliest article by date then id, the first record of an id wins by file and line, documents
 * are sorted by id before sampling, ties broken by keys) and draws seeded by ids, not by
 * position. The topic tables are compared row for row too: on a corpus this small the sampler
 * runs on one partition whatever the parallelism (it takes one partition per 2,000,000 training
 * tokens, at most the parallelism), so its model is exactly the same; topics from different
 * sampler partition counts agree in structure only, which GibbsSamplerTest checks.
 */
class PartitioningDeterminismTest {

  @Test
  @Timeout(value = 40, unit = TimeUnit.MINUTES) // a hang guard only
  void oneAndFourPartitionsGiveTheSameRows() {
    FaultFixtures.assertSameRows(FaultFixtures.reference(), FaultFixtures.partitionedRun(1));
  }
}
