package io.newslens.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Splits CSV text into records, finding where each ends, so that one quote opened and never
 * closed costs one record, not the rest of the file.
 *
 * <p>Spark's multi-line CSV reader cannot tell an unclosed quote from a field that spans lines:
 * it reads on, and the records after it become text of the broken field (the quote "closes" at
 * the next record's quoted field, or never). Here a quoted field may span lines only if it
 * closes properly: a quote followed by a comma, the end of a line, or the end of the file. When
 * a field that already crossed a line end meets a quote followed by anything else, or the file
 * ends inside it, the record is broken: its first line is returned as a broken record and
 * reading starts again at the line after it. A record that grows past {@code maxChars} while
 * in a quoted field is broken too, so memory stays bounded.
 *
 * <p>Within one line, a quote inside a quoted field followed by other text makes the field
 * unquoted text up to the next comma or the line's end, as Spark's parser does
 * ({@code unescapedQuoteHandling = STOP_AT_DELIMITER}); a doubled quote is a quote.
 */
final class CsvRecords {
  private CsvRecords() {}

  /** One record: the 1-based line it starts on, its text (lines joined by \n), and whether it is broken. */
  record Record(long line, String text, boolean broken) {}

  static Iterator<Record> split(BufferedReader in, long maxChars) {
    return new Iterator<>() {
      private final Deque<String> pushedBack = new ArrayDeque<>();
      private long nextLine = 1;
      private Record next;
      private boolean ended;

      private String readLine() {
        if (!pushedBack.isEmpty()) {
          return pushedBack.pollFirst();
        }
        try {
          return in.readLine();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public boolean hasNext() {
        if (next == null && !ended) {
          next = read();
          ended = next == null;
        }
        return next != null;
      }

      @Override
      public Record next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Record record = next;
        next = null;
        return record;
      }

      private Record read() {
        String first = readLine();
        if (first == null) {
          return null;
        }
        long start = nextLine++;
        List<String> lines = new ArrayList<>();
        lines.add(first);
        long chars = first.length();
        // 0: between fields or in an unquoted one; 1: in a quoted field
        boolean quoted = false;
        boolean fieldStart = true;
        String line = first;
        while (true) {
          for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
              if (c != '"') {
                continue;
              }
              char after = i + 1 < line.length() ? line.charAt(i + 1) : '\n';
              if (after == '"') {
                i++;
              } else if (after == ',' || after == '\n') {
                quoted = false;
              } else if (lines.size() > 1) {
                return broken(start, lines);
              } else {
                quoted = false; // unquoted text up to the next comma (STOP_AT_DELIMITER)
                int comma = line.indexOf(',', i + 1);
                if (comma < 0) {
                  break;
                }
                i = comma;
                fieldStart = true;
              }
            } else if (c == ',') {
              fieldStart = true;
            } else {
              quoted = c == '"' && fieldStart;
              fieldStart = false;
            }
          }
          if (!quoted) {
            return new Record(start, String.join("\n", lines), false);
          }
          line = readLine();
          if (line == null || chars + line.length() > maxChars) {
            if (line != null) {
              pushedBack.addFirst(line);
            }
            return broken(start, lines);
          }
          nextLine++;
          lines.add(line);
          chars += line.length() + 1;
          fieldStart = false;
        }
      }

      /** The record's first line as a broken record; its other lines are read again as records. */
      private Record broken(long start, List<String> lines) {
        for (int i = lines.size() - 1; i >= 1; i--) {
          pushedBack.addFirst(lines.get(i));
        }
        nextLine = start + 1;
        return new Record(start, lines.get(0), true);
      }
    };
  }
}
