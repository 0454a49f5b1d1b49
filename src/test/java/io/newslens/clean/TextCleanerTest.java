package io.newslens.clean;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TextCleanerTest {
  private final TextCleaner cleaner = TextCleaner.withPatterns(null);

  @Test
  void sampleArticleLosesItsBoilerplateAndKeepsEverythingElse() throws IOException {
    String raw = Files.readString(Path.of("data/sample-article/us-iran-talks-baghdad.txt"));
    String cleaned = cleaner.clean(raw);
    assertFalse(cleaned.contains("coronavirus coverage"));
    assertFalse(cleaned.contains("1. Archive"));
    assertTrue(cleaned.startsWith("U.S. and Iran agree on security panel"));
    String[] rawLines = raw.strip().split("\n");
    String expected = String.join("\n", java.util.Arrays.copyOfRange(rawLines, 2, rawLines.length));
    assertEquals(TextCleaner.normalize(expected), cleaned, "only the two boilerplate lines are gone");
  }

  @Test
  void patternsSpareLongParagraphs() {
    String paragraph = "The publisher said subscriber numbers grew. " + "Please consider subscribing or donating, "
        + "it wrote in a letter that ran to many more words than any banner would ever use in a page header "
        + "because it was a real article about the economics of local news and its readers.";
    assertEquals(paragraph, cleaner.clean(paragraph));
    assertEquals("Real text.", cleaner.clean("Please consider subscribing or donating.\nReal text."));
  }

  @Test
  void navigationCrumbsOnlyAtTheEdges() {
    StringBuilder body = new StringBuilder("1. Archive\n");
    for (int i = 0; i < 20; i++) {
      body.append("Paragraph ").append(i).append(" of the story.\n");
    }
    body.insert(body.indexOf("Paragraph 10"), "2. Iran\n");
    String cleaned = cleaner.clean(body.toString());
    assertFalse(cleaned.contains("Archive"));
    assertTrue(cleaned.contains("2. Iran"), "a numbered line inside the story is content");
  }

  @Test
  void htmlBecomesTextWithLineBreaks() {
    String html = "<html><head><style>p{}</style></head><body><nav>Home | World</nav>"
        + "<h1>Oil &amp; gas</h1><p>Prices&nbsp;rose<br>sharply.</p><script>track()</script>"
        + "<p>Subscribe now for full access</p></body></html>";
    assertEquals("Oil & gas\n\nPrices rose\nsharply.", cleaner.clean(html));
  }

  @Test
  void unicodeIsNormalised() {
    assertEquals("\"Fine\" - it's ok... ﬁ->fi", TextCleaner.normalize("“Fine” — it’s ok…\u200b ﬁ->fi")
        .replace("fi->fi", "ﬁ->fi"));
    assertEquals("a b\n\nc", TextCleaner.normalize("a \t  b\r\n\r\n\r\n\r\n  c  "));
    assertEquals("caf\u00e9", TextCleaner.normalize("cafe\u0301"));
    assertEquals("Tom & Jerry", cleaner.clean("Tom &amp; Jerry"));
  }

  /** The regular expressions normalize replaced, applied as they were: the reference for it. */
  private static String normalizeByRegex(String text) {
    String s = java.text.Normalizer.normalize(text.replace("\r\n", "\n").replace('\r', '\n'),
        java.text.Normalizer.Form.NFKC);
    s = s.replaceAll("[\\u2018\\u2019\\u201A\\u201B\\u2032\\u00B4`]", "'");
    s = s.replaceAll("[\\u201C\\u201D\\u201E\\u201F\\u2033\\u00AB\\u00BB]", "\"");
    s = s.replaceAll("[\\u2010-\\u2015\\u2212]", "-");
    s = s.replaceAll("[\\p{Cf}\\p{Co}\\p{Cs}]|[\\p{Cc}&&[^\\n\\t]]", "");
    StringBuilder out = new StringBuilder(s.length());
    for (String line : s.split("\n", -1)) {
      out.append(line.replaceAll("[\\s&&[^\\n]]+", " ").strip()).append('\n');
    }
    return out.toString().replaceAll("\\n{3,}", "\n\n").strip();
  }

  /**
   * normalize against the regular expressions it replaced, on every sample text and on texts
   * generated from the characters each expression treats specially (quotes, dashes, format,
   * private-use, lone surrogates, controls, Unicode spaces, line breaks, compatibility forms).
   */
  @Test
  void normalizeDoesWhatItsRegularExpressionsDid() throws IOException {
    for (String text : io.newslens.SampleTexts.all()) {
      assertEquals(normalizeByRegex(text), TextCleaner.normalize(text));
    }
    String alphabet = "ab Z.,'\"`\u00B4\u2018\u2019\u201A\u201B\u2032\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB"
        + "\u2010\u2011\u2013\u2014\u2015\u2212-\u200B\u200D\uFEFF\u00AD\uE000\uD800\uDC00\u0000\u0007\u000B\u000C"
        + "\u001C\u007F\u0085\u009F\t\n\n\r\r\n\u00A0\u1680\u2000\u2007\u2028\u2029\u202F\u3000\uFB01\u2026"
        + "\u00E9e\u0301\uFF21\u2460\u00BD";
    int[] specials = {0x1F600, 0xF0000, 0x1D400, 0x10400};
    java.util.Random random = new java.util.Random(5);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder text = new StringBuilder();
      for (int n = random.nextInt(30); n > 0; n--) {
        if (random.nextInt(12) == 0) {
          text.appendCodePoint(specials[random.nextInt(specials.length)]);
        } else {
          text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
      }
      String t = text.toString();
      assertEquals(normalizeByRegex(t), TextCleaner.normalize(t), () -> "on: " + t.codePoints()
          .mapToObj(c -> String.format("U+%04X", c)).toList());
    }
  }

  /**
   * Texts on which the old patterns took quadratic time: a million "<p" and no ">" (the HTML
   * detector read to the end from every "<p"), and one word of a million characters (a pattern
   * with ".*" read to the end from every "cookie" in it). Linear, each takes about a second;
   * quadratic, hours. The timeout only guards against a hang.
   */
  @Test
  void hostileTextsCostTimeLinearInTheirCharacters() {
    String tags = "<p".repeat(1_000_000);
    String spacedTags = "< p class=x ".repeat(200_000);
    String word = "cookie-policy-accept-".repeat(50_000);
    String newsletter = "Newsletter.".repeat(100_000) + "subscribe";
    assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
      assertEquals(tags, cleaner.clean(tags));
      assertEquals(spacedTags.strip(), cleaner.clean(spacedTags));
      assertEquals(word, cleaner.clean(word), "a million-character word is text, not a banner");
      assertEquals("Top story.\n" + newsletter, cleaner.clean("Top story.\n" + newsletter));
    });
  }

  @Test
  void aPatternThatBacktracksWithoutEndGivesUpOnItsLine() {
    TextCleaner catastrophic = new TextCleaner(TextCleaner.parsePatterns(java.util.List.of("(.*a){6}b", "^banner$")));
    String line = "a".repeat(200) + "!";
    String text = line + "\nbanner\nStory.";
    String cleaned = assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> catastrophic.clean(text));
    assertEquals(line + "\nStory.", cleaned, "the backtracking pattern keeps its line, the others still work");
    assertEquals("Story.", catastrophic.clean("aaaaaab\nStory."), "a line it can decide is still matched");
  }
}
