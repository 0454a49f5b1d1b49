package io.newslens.common;

import java.util.LinkedHashMap;
import java.util.Map;

/** What one stage did: counts and seconds, the stage's entry in the run manifest. */
public final class StageReport {
  private final String stage;
  private final long startedNanos = System.nanoTime();
  private final Map<String, Object> values = new LinkedHashMap<>();
  private double seconds = -1;
  private long peakHeapMb = -1;
  private long peakLiveHeapMb = -1;

  public StageReport(String stage) {
    this.stage = stage;
    HeapWatch.reset();
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

  public StageReport finish() {
    seconds = Math.round((System.nanoTime() - startedNanos) / 1e7) / 100.0;
    peakHeapMb = HeapWatch.peakHeapMb();
    peakLiveHeapMb = HeapWatch.peakLiveHeapMb();
    return this;
  }

  public double seconds() {
    return seconds;
  }

  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("seconds", seconds);
    map.put("peak_heap_mb", peakHeapMb);
    map.put("peak_live_heap_mb", peakLiveHeapMb);
    map.putAll(values);
    return map;
  }

  /** One line for the console, e.g. "ingest   12.3 s  articles=1000 rejects=12". */
  public String summaryLine() {
    StringBuilder line = new StringBuilder(String.format("%-9s %7.1f s ", stage, seconds));
    values.forEach((k, v) -> {
      if (v instanceof Double d) {
        line.append(' ').append(k).append('=').append(String.format(java.util.Locale.ROOT, "%.4f", d));
      } else if (v instanceof Number || v instanceof String) {
        line.append(' ').append(k).append('=').append(v);
      }
    });
    return line.toString();
  }
}
