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
