package io.newslens.clean;

import opennlp.tools.util.normalizer.CharSequenceNormalizer;
import opennlp.tools.util.normalizer.ShrinkCharSequenceNormalizer;
import opennlp.tools.util.normalizer.TwitterCharSequenceNormalizer;
import opennlp.tools.util.normalizer.UrlCharSequenceNormalizer;

/**
 * What OpenNLP's language detector does to a text before it counts n-grams: its emoji, URL,
 * Twitter, number and shrink normalisers, in that order, with the same result. Those run nine
 * regular expressions, each a scan of the whole sample, whether or not the text could match; in
 * news text most rarely do. Here OpenNLP's URL, Twitter and repeated-character patterns run only
 * when the text holds what they need (an "@" or "http"; a "#", an "rt:", a ":)" or "xD", an
 * "haha"; three equal characters); the emoji class, digits and runs of spaces, which most texts
 * have, are done by loops over the characters. Tested against OpenNLP's chain on real and random
 * texts.
 */
final class DetectorNormalizer {
  private DetectorNormalizer() {}

  private static final CharSequenceNormalizer URL = UrlCharSequenceNormalizer.getInstance();
  private static final CharSequenceNormalizer TWITTER = TwitterCharSequenceNormalizer.getInstance();
  private static final CharSequenceNormalizer SHRINK = ShrinkCharSequenceNormalizer.getInstance();

  static String normalize(String text) {
    String t = withoutEmojiClass(text);
    if (t.indexOf('@') >= 0 || t.contains("http")) {
      t = URL.normalize(t).toString();
    }
    if (mayBeTwitter(t)) {
      t = TWITTER.normalize(t).toString();
    }
    // NumberCharSequenceNormalizer: \d+ (ASCII digits) to " "; then the first half of
    // ShrinkCharSequenceNormalizer: \s{2,} ([ \t\n\x0B\f\r]) to " ".
    String spaced = collapseSpaces(withoutDigits(t));
    // Shrink's second half, (.)\1{2,} case-insensitively to $1$1, then String.trim. Its first
    // half changes nothing more on a collapsed text, so the whole normaliser can run on it.
    return mayRepeatThrice(spaced) ? SHRINK.normalize(spaced).toString() : spaced.trim();
  }

  /**
   * EmojiCharSequenceNormalizer: [\uD83C-\uDBFF\uDC00-\uDFFF]+ to " ". Java reads the
   * \uDBFF\uDC00 in that class as one code point, U+10FC00, so the class it compiles is the
   * code points from U+D83C to U+10FC00, and "-": hyphens go too, as in OpenNLP's detector.
   */
  private static String withoutEmojiClass(String t) {
    int n = t.length();
    int first = 0;
    while (first < n && !inEmojiClass(t.charAt(first))) {
      first++;
    }
    if (first == n) {
      return t;
    }
    if (first > 0 && Character.isHighSurrogate(t.charAt(first - 1))) {
      first--;
    }
    StringBuilder out = new StringBuilder(n).append(t, 0, first);
    boolean inRun = false;
    for (int i = first; i < n; ) {
      int cp = t.codePointAt(i);
      if (inEmojiClass(cp)) {
        if (!inRun) {
          out.append(' ');
        }
        inRun = true;
      } else {
        out.appendCodePoint(cp);
        inRun = false;
      }
      i += Character.charCount(cp);
    }
    return out.toString();
  }

  /** True of every char of such a code point but a pair's high surrogate: the scan above steps back over it. */
  private static boolean inEmojiClass(int cp) {
    return cp == '-' || (cp >= 0xD83C && cp <= 0x10FC00);
  }

  /**
   * Twitter's patterns, each case-insensitive in ASCII but the first: [#@]\S+, \b(rt[ :])+,
   * [:;x]-?[()dop], ([hj])+([aieou])+(\1+\2+)+. Looser than they are (no \b, any h or j after
   * the vowels), so a false "maybe" only costs the regexes.
   */
  private static boolean mayBeTwitter(CharSequence t) {
    int n = t.length();
    for (int i = 0; i < n; i++) {
      char c = t.charAt(i);
      char lower = (char) (c | 0x20);
      if (c == '#' || c == '@') {
        return true;
      }
      if (lower == 'r' && i + 2 < n && (t.charAt(i + 1) | 0x20) == 't' && (t.charAt(i + 2) == ' ' || t.charAt(i + 2) == ':')) {
        return true;
      }
      if ((c == ':' || c == ';' || lower == 'x') && i + 1 < n) {
        int next = t.charAt(i + 1) == '-' ? i + 2 : i + 1;
        if (next < n && "()dopDOP".indexOf(t.charAt(next)) >= 0) {
          return true;
        }
      }
      if ((lower == 'h' || lower == 'j') && i + 1 < n && isVowel(t.charAt(i + 1))) {
        int k = i + 1;
        while (k < n && isVowel(t.charAt(k))) {
          k++;
        }
        if (k < n && ((t.charAt(k) | 0x20) == 'h' || (t.charAt(k) | 0x20) == 'j')) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isVowel(char c) {
    return "aeiouAEIOU".indexOf(c) >= 0;
  }

  private static CharSequence withoutDigits(CharSequence t) {
    if (!hasDigit(t)) {
      return t;
    }
    StringBuilder out = new StringBuilder(t.length());
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (!isDigit(c)) {
        out.append(c);
      } else if (i == 0 || !isDigit(t.charAt(i - 1))) {
        out.append(' ');
      }
    }
    return out;
  }

  private static boolean hasDigit(CharSequence t) {
    for (int i = 0; i < t.length(); i++) {
      if (isDigit(t.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static String collapseSpaces(CharSequence t) {
    StringBuilder out = new StringBuilder(t.length());
    int n = t.length();
    for (int i = 0; i < n; ) {
      char c = t.charAt(i);
      if (isSpace(c) && i + 1 < n && isSpace(t.charAt(i + 1))) {
        out.append(' ');
        while (i < n && isSpace(t.charAt(i))) {
          i++;
        }
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
  }

  /**
   * (.)\1{2,}, case-insensitive in ASCII: three equal characters in a row, ignoring ASCII case;
   * any surrogate counts as a maybe (the pattern matches a code point, not a char).
   */
  private static boolean mayRepeatThrice(String t) {
    for (int i = 0; i < t.length(); i++) {
      char a = t.charAt(i);
      if (Character.isSurrogate(a)
          || (i + 2 < t.length() && sameIgnoringAsciiCase(a, t.charAt(i + 1)) && sameIgnoringAsciiCase(a, t.charAt(i + 2)))) {
        return true;
      }
    }
    return false;
  }

  private static boolean sameIgnoringAsciiCase(char a, char b) {
    return a == b || (a < 128 && b < 128 && Character.isLetter(a) && (a | 0x20) == (b | 0x20));
  }
}
