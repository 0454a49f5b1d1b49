package io.newslens.common;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one stage did: status, counts and seconds, the stage's entry in the run manifest.
 *
 * <p>Status: {@code ok}; {@code skipped} (the stage could not do its work on the data it had and
 * wrote its tables empty; {@code reason} says why); {@code failed} (it threw; {@code error}).
 */
public final class StageReport {
  public static final String OK = "ok";
  public static final String SKIPPED = "skipped";
  public static final String FAILED = "failed";
  private final String stage;
  private String status = OK;
  private String reason;
  private final java.util.List<String> notes = new java.util.ArrayList<>();
  private final long startedNanos = System.nanoTime();
  private final Map<String, Object> values = new LinkedHashMap<>();
  private double seconds = -1;
  private long peakHeapMb = -1;
  private long peakLiveHeapMb = -1;

  public StageReport(String stage) {
    this.stage = stage;
    HeapWatch.reset();
    Progress.begin(stage);
  }

  public String stage() {
    return stage;
  }

  public StageReport put(String key, Object value) {
    values.put(key, value);
    return this;
  }

  public Object get(String key) {
    return values.get(key);
  }

  public String status() {
    return status;
  }

  /** The stage wrote its tables empty because it could not do its work on this data. */
  public StageReport skip(String why) {
    status = SKIPPED;
    reason = why;
    return this;
  }

  /** Something the user should know that changed what the stage did (e.g. a lowered option). */
  public StageReport note(String note) {
    notes.add(note);
    return this;
  }

  public StageReport fail(Throwable error) {
    status = FAILED;
    reason = error.getMessage() == null ? error.toString() : error.getMessage();
    return this;
  }

  public boolean finished() {
    return seconds >= 0;
  }

  public StageReport finish() {
    seconds = Math.round((System.nanoTime() - startedNanos) / 1e7) / 100.0;
    peakHeapMb = HeapWatch.peakHeapMb();
    peakLiveHeapMb = HeapWatch.peakLiveHeapMb();
    Progress.end();
    return this;
  }

  public double seconds() {
    return seconds;
  }

  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("status", status);
    if (reason != null) {
      map.put(status.equals(FAILED) ? "error" : "reason", reason);
    }
    if (!notes.isEmpty()) {
      map.put("notes", notes);
    }
    map.put("seconds", seconds);
    map.put("peak_heap_mb", peakHeapMb);
    map.put("peak_live_heap_mb", peakLiveHeapMb);
    map.putAll(values);
    return map;
  }

  /**
   * One line for the console, e.g. "ingest   12.3 s  articles=1000 rejects=12"; a skipped stage
   * says so and why first, and notes come last.
   */
  public String summaryLine() {
    StringBuilder line = new StringBuilder(String.format("%-9s %7.1f s ", stage, seconds));
    if (!status.equals(OK)) {
      line.append(' ').append(status).append(": ").append(reason).append(';');
    }
    values.forEach((k, v) -> {
      if (v instanceof Double d) {
        line.append(' ').append(k).append('=').append(String.format(java.util.Locale.ROOT, "%.4f", d));
      } else if (v instanceof Number || v instanceof String) {
        line.append(' ').append(k).append('=').append(v);
      }
    });
    notes.forEach(note -> line.append("  note: ").append(note));
    return line.toString();
  }
}
