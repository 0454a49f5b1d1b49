package io.newslens.common;

import static org.apache.spark.sql.functions.*;

import java.util.Locale;
import org.apache.spark.sql.Column;

/**
 * The time bucket an article is counted in. Labels sort in time order as strings:
 * day "2007-07-24", week "2007-W30" (ISO-8601 week), month "2007-07", year "2007".
 */
public enum Period {
  DAY, WEEK, MONTH, YEAR;

  public static Period parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown period '" + name + "': use day, week, month or year");
    }
  }

  /** The period label of a DATE column. */
  public Column of(Column date) {
    return switch (this) {
      case DAY -> date_format(date, "yyyy-MM-dd");
      case MONTH -> date_format(date, "yyyy-MM");
      case YEAR -> date_format(date, "yyyy");
      // The ISO week belongs to the year of its Thursday (date_trunc('week') gives the Monday).
      case WEEK -> format_string("%04d-W%02d",
          year(date_add(to_date(date_trunc("week", date)), 3)), weekofyear(date));
    };
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
