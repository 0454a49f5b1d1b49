package io.newslens.clean;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.parser.Parser;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * Cleans one article's text: HTML to text, Unicode NFKC, one kind of quote and dash, whitespace,
 * and the boilerplate lines that a pattern recognises. Plain Java, so it is tested without Spark
 * and called from a UDF.
 */
public final class TextCleaner implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Lines longer than this are article text even when a pattern matches them. */
  static final int MAX_PATTERN_LINE_WORDS = 40;
  /**
   * The same in characters: a pattern costs up to quadratic time in its line (a {@code .*}
   * followed by more), and one "word" can be a million characters long.
   */
  static final int MAX_PATTERN_LINE_CHARS = 500;
  /**
   * Characters a pattern may read per character of its line before it gives up (the line is then
   * not boilerplate): bounds the cost of a user's pattern that backtracks badly on some line.
   */
  static final int PATTERN_READS_PER_CHAR = 64;
  /** How many lines at the top and bottom may be navigation crumbs such as "1. Archive". */
  static final int EDGE_LINES = 8;

  /**
   * Possessive spaces, and a tag's inside ends at the next "<": each candidate tag is then read
   * up to the next one at most, so the search is linear in the text (with {@code [^>]*}, a text of
   * many "<p" and no ">" read to its end from every one of them).
   */
  private static final Pattern HTML = Pattern.compile(
      "(?i)<\\s*+/?\\s*+(p|div|br|span|a|html|body|head|script|style|h[1-6]|li|ul|ol|table|tr|td|article|section|em|strong|b|i)\\b[^<>]*+>");
  private static final Pattern ENTITY = Pattern.compile("&(#\\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});");
  private static final Pattern NAV_CRUMB = Pattern.compile(
      "(?i)^(\\d{1,2}\\.\\s+\\p{L}[\\p{L} &'-]{0,30}|home|news|archive|menu|search|sections?|(home|news)\\s*[>|/»›].*)$");

  private final List<Pattern> boilerplate;

  public TextCleaner(List<Pattern> boilerplate) {
    this.boilerplate = boilerplate;
  }

  /** A cleaner with the bundled pattern list, or the one in {@code patternFile} when given. */
  public static TextCleaner withPatterns(String patternFile) {
    try {
      if (patternFile != null) {
        return new TextCleaner(parsePatterns(Files.readAllLines(Path.of(patternFile), StandardCharsets.UTF_8)));
      }
      try (InputStream in = TextCleaner.class.getResourceAsStream("/newslens/boilerplate-patterns.txt")) {
        return new TextCleaner(parsePatterns(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read boilerplate patterns", e);
    }
  }

  static List<Pattern> parsePatterns(List<String> lines) {
    List<Pattern> patterns = new ArrayList<>();
    for (String line : lines) {
      String trimmed = line.strip();
      if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
        patterns.add(Pattern.compile(trimmed, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
      }
    }
    return patterns;
  }

  public String clean(String text) {
    if (text == null) {
      return "";
    }
    String plain = HTML.matcher(text).find() ? htmlToText(text)
        : ENTITY.matcher(text).find() ? Parser.unescapeEntities(text, false) : text;
    return dropBoilerplateLines(normalize(plain));
  }

  /**
   * NFKC, one apostrophe, one double quote, one dash, no invisible characters, one space for a
   * run of spaces and tabs, lines stripped, at most one empty line in a row.
   *
   * <p>One pass over the characters after NFKC. It was five regular expressions replacing over
   * the whole text and one per line; each reads every character, and together they were most of
   * the cleaner's cost. TextCleanerTest checks the pass against those expressions.
   */
  public static String normalize(String text) {
    String s = Normalizer.normalize(text.replace("\r\n", "\n").replace('\r', '\n'), Normalizer.Form.NFKC);
    StringBuilder out = new StringBuilder(s.length() + 1);
    int lineStart = 0;
    boolean inSpaces = false;
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      if (c == '\n') {
        endLine(out, lineStart);
        lineStart = out.length();
        inSpaces = false;
        continue;
      }
      int mapped = mapped(c);
      if (mapped == DROP) {
        continue;
      }
      boolean space = mapped == ' ' || mapped == '\t';
      if (!space) {
        out.appendCodePoint(mapped);
      } else if (!inSpaces) {
        out.append(' ');
      }
      inSpaces = space;
    }
    endLine(out, lineStart);
    return withoutEmptyLineRuns(out).strip();
  }

  private static final int DROP = -1;

  /** A character's replacement: ' " - for quotes and dashes, DROP for invisible ones. */
  private static int mapped(int c) {
    switch (c) {
      case '\u2018', '\u2019', '\u201A', '\u201B', '\u2032', '\u00B4', '`':
        return '\'';
      case '\u201C', '\u201D', '\u201E', '\u201F', '\u2033', '\u00AB', '\u00BB':
        return '"';
      case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212':
        return '-';
      case '\t':
        return c;
      default:
        int type = Character.getType(c);
        return type == Character.FORMAT || type == Character.PRIVATE_USE || type == Character.SURROGATE
            || type == Character.CONTROL ? DROP : c;
    }
  }

  /** Strips the line that starts at {@code lineStart}, the end of {@code out}, and ends it. */
  private static void endLine(StringBuilder out, int lineStart) {
    String line = out.substring(lineStart);
    String stripped = line.strip();
    if (stripped.length() != line.length()) {
      out.setLength(lineStart);
      out.append(stripped);
    }
    out.append('\n');
  }

  /**
   * Runs of three or more line breaks as two. Most texts have none, and are returned as they
   * are; the others are copied a run of characters at a time (a profile of the clean stage had
   * 9% of its samples in the former copy, a String appended per character).
   */
  private static String withoutEmptyLineRuns(CharSequence text) {
    String in = text.toString();
    int run = in.indexOf("\n\n\n");
    if (run < 0) {
      return in;
    }
    StringBuilder out = new StringBuilder(in.length());
    int copied = 0;
    while (run >= 0) {
      int end = run;
      while (end < in.length() && in.charAt(end) == '\n') {
        end++;
      }
      out.append(in, copied, run).append("\n\n");
      copied = end;
      run = in.indexOf("\n\n\n", end);
    }
    return out.append(in, copied, in.length()).toString();
  }

  String dropBoilerplateLines(String text) {
    String[] lines = text.split("\n", -1);
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      boolean atEdge = i < EDGE_LINES || lines.length - 1 - i < EDGE_LINES;
      boolean drop = isPatternBoilerplate(line)
          || (atEdge && line.length() <= MAX_PATTERN_LINE_CHARS && NAV_CRUMB.matcher(line).matches());
      if (!drop) {
        out.append(line).append('\n');
      }
    }
    return withoutEmptyLineRuns(out).strip();
  }

  boolean isPatternBoilerplate(String line) {
    if (line.isEmpty() || line.length() > MAX_PATTERN_LINE_CHARS || wordCount(line) > MAX_PATTERN_LINE_WORDS) {
      return false;
    }
    for (Pattern pattern : boilerplate) {
      try {
        if (pattern.matcher(new ReadBudget(line, (long) PATTERN_READS_PER_CHAR * (line.length() + 16))).find()) {
          return true;
        }
      } catch (ReadBudget.Exhausted e) {
        // this pattern backtracks too much on this line: it does not call the line boilerplate
      }
    }
    return false;
  }

  /** A line that a regular expression may read only so many characters of. */
  static final class ReadBudget implements CharSequence {
    /** Thrown through the matcher; no stack trace, it is control flow. */
    static final class Exhausted extends RuntimeException {
      private static final long serialVersionUID = 1L;

      Exhausted() {
        super(null, null, false, false);
      }
    }

    private final String text;
    private long left;

    ReadBudget(String text, long reads) {
      this.text = text;
      this.left = reads;
    }

    @Override
    public char charAt(int index) {
      if (--left < 0) {
        throw new Exhausted();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return text.subSequence(start, end);
    }

    @Override
    public String toString() {
      return text;
    }
  }

  static int wordCount(String line) {
    int words = 0;
    boolean inWord = false;
    for (int i = 0; i < line.length(); i++) {
      boolean space = Character.isWhitespace(line.charAt(i));
      if (!space && !inWord) {
        words++;
      }
      inWord = !space;
    }
    return words;
  }

  /** Block elements become line breaks; scripts, styles and page furniture are dropped. */
  static String htmlToText(String html) {
    Document doc = Jsoup.parse(html);
    doc.select("script, style, noscript, nav, header, footer, aside, form, iframe, svg").remove();
    StringBuilder out = new StringBuilder(html.length() / 2);
    NodeTraversor.traverse(new NodeVisitor() {
      @Override
      public void head(Node node, int depth) {
        if (node instanceof TextNode textNode) {
          out.append(textNode.text());
        } else if (node instanceof Element element && (element.isBlock() || element.nameIs("br"))) {
          out.append('\n');
        }
      }

      @Override
      public void tail(Node node, int depth) {
        if (node instanceof Element element && element.isBlock() && !element.nameIs("br")) {
          out.append('\n');
        }
      }
    }, doc.body());
    return out.toString();
  }
}
