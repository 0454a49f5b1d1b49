package io.newslens.common;

import static io.newslens.SharedSpark.spark;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.sql.Encoders;
import org.junit.jupiter.api.Test;

class PeriodTest {
  List<String> labels(Period period) {
    return spark().sql("select d from values (date'2007-07-24'), (date'2008-12-29'), (date'2010-01-03') as t(d)")
        .select(period.of(col("d"))).as(Encoders.STRING()).collectAsList();
  }

  @Test
  void labelsSortInTimeOrderAndWeeksFollowIso8601() {
    assertEquals(List.of("2007-07-24", "2008-12-29", "2010-01-03"), labels(Period.DAY));
    // 2008-12-29 is in ISO week 1 of 2009; 2010-01-03 in week 53 of 2009.
    assertEquals(List.of("2007-W30", "2009-W01", "2009-W53"), labels(Period.WEEK));
    assertEquals(List.of("2007-07", "2008-12", "2010-01"), labels(Period.MONTH));
    assertEquals(List.of("2007", "2008", "2010"), labels(Period.YEAR));
  }
}
