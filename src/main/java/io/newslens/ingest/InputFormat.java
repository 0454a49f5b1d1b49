package io.newslens.ingest;

import java.util.Locale;

/** The input formats ingest reads, and how a file's name says which one it is. */
public enum InputFormat {
  JSONL, CSV, PARQUET, TEXT;

  public static InputFormat parse(String name) {
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "jsonl", "json", "ndjson" -> JSONL;
      case "csv" -> CSV;
      case "parquet" -> PARQUET;
      case "text", "txt" -> TEXT;
      default -> throw new IllegalArgumentException(
          "unknown format '" + name + "': use jsonl, csv, parquet or text");
    };
  }

  /** The format a file name implies (compression suffixes ignored), or null if none. */
  public static InputFormat ofFileName(String fileName) {
    String name = fileName.toLowerCase(Locale.ROOT).replaceAll("\\.(gz|bz2|deflate|zst|lz4|snappy)$", "");
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
      return JSONL;
    } else if (name.endsWith(".csv")) {
      return CSV;
    } else if (name.endsWith(".parquet")) {
      return PARQUET;
    } else if (name.endsWith(".txt")) {
      return TEXT;
    }
    return null;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
