package io.newslens.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Turns the --input arguments (files, folders, globs) into sources of one format each.
 *
 * <p>A folder is searched recursively: each .jsonl/.csv/.parquet file becomes part of a source
 * of that format, a folder of .txt files becomes one text source (with its sidecar
 * {@code metadata.jsonl} or {@code metadata.csv}), and a folder holding part-*.parquet files
 * (Spark's output) is one Parquet source. Files of no known format are listed in
 * {@link Discovery#ignored()} and reported, not silently skipped.
 */
public final class InputSources {
  private InputSources() {}

  public static final Set<String> SIDECAR_NAMES = Set.of("metadata.jsonl", "metadata.csv");

  /** One input of one format: files for jsonl/csv/parquet, a folder for text. */
  public record Source(InputFormat format, List<String> paths) {}

  public record Discovery(List<Source> sources, List<String> ignored) {}

  public static Discovery discover(List<String> inputs, InputFormat forced, Configuration conf) {
    Map<InputFormat, List<String>> files = new LinkedHashMap<>();
    List<Source> sources = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    try {
      for (String input : inputs) {
        Path path = new Path(input);
        FileSystem fs = path.getFileSystem(conf);
        FileStatus[] matches = fs.globStatus(path);
        if (matches == null || matches.length == 0) {
          throw new IllegalArgumentException("input not found: " + input);
        }
        Arrays.sort(matches, Comparator.comparing(s -> s.getPath().toString()));
        for (FileStatus match : matches) {
          visit(fs, match, forced, files, sources, ignored);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not list inputs " + inputs, e);
    }
    files.forEach((format, paths) -> sources.add(new Source(format, paths)));
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("no readable input in " + inputs
          + " (looked for .jsonl, .json, .csv, .parquet and folders of .txt files)");
    }
    return new Discovery(sources, ignored);
  }

  private static void visit(FileSystem fs, FileStatus status, InputFormat forced,
      Map<InputFormat, List<String>> files, List<Source> sources, List<String> ignored)
      throws IOException {
    String name = status.getPath().getName();
    if (name.startsWith(".") || name.startsWith("_")) {
      return; // hidden files and Spark's _SUCCESS / _tmp folders
    }
    if (status.isFile()) {
      InputFormat format = forced != null ? forced : InputFormat.ofFileName(name);
      if (format == InputFormat.TEXT) {
        sources.add(new Source(InputFormat.TEXT, List.of(status.getPath().toString())));
      } else if (format != null) {
        files.computeIfAbsent(format, f -> new ArrayList<>()).add(status.getPath().toString());
      } else {
        ignored.add(status.getPath().toString());
      }
      return;
    }
    FileStatus[] children = fs.listStatus(status.getPath());
    Arrays.sort(children, Comparator.comparing(s -> s.getPath().getName()));
    boolean sparkParquet = Arrays.stream(children).anyMatch(c -> c.isFile()
        && c.getPath().getName().startsWith("part-") && c.getPath().getName().endsWith(".parquet"));
    if (sparkParquet && (forced == null || forced == InputFormat.PARQUET)) {
      files.computeIfAbsent(InputFormat.PARQUET, f -> new ArrayList<>()).add(status.getPath().toString());
      return;
    }
    boolean textFolder = Arrays.stream(children).anyMatch(c -> c.isFile()
        && InputFormat.ofFileName(c.getPath().getName()) == InputFormat.TEXT);
    if (textFolder && (forced == null || forced == InputFormat.TEXT)) {
      sources.add(new Source(InputFormat.TEXT, List.of(status.getPath().toString())));
    }
    for (FileStatus child : children) {
      String childName = child.getPath().getName();
      boolean partOfTextFolder = textFolder && child.isFile()
          && (InputFormat.ofFileName(childName) == InputFormat.TEXT || SIDECAR_NAMES.contains(childName));
      if (!partOfTextFolder) {
        visit(fs, child, forced, files, sources, ignored);
      }
    }
  }
}
