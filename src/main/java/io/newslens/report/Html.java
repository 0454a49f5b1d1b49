package io.newslens.report;

import java.util.Locale;

/** HTML escaping and number formatting for the report: the one way text enters the page. */
public final class Html {
  private Html() {}

  /**
   * Escapes text for element content and for quoted attribute values alike, so a corpus string
   * such as {@code <script>} or {@code " onerror="} shows as text wherever it lands. Null is "".
   */
  public static String esc(Object value) {
    if (value == null) {
      return "";
    }
    String text = value.toString();
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          // Control characters other than tab and newlines are not allowed in HTML text.
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            out.append('\uFFFD');
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  /** A coordinate: one decimal is finer than a pixel and keeps the page small. */
  static String num(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  static String percent(double share) {
    return String.format(Locale.ROOT, share >= 0.1 ? "%.0f%%" : "%.1f%%", 100 * share);
  }

  static String decimal(Double value, int digits) {
    return value == null || value.isNaN() ? "–" : String.format(Locale.ROOT, "%." + digits + "f", value);
  }

  static String count(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }
}
