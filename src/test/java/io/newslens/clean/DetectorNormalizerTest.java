package io.newslens.clean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.newslens.SampleTexts;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import opennlp.tools.util.normalizer.AggregateCharSequenceNormalizer;
import opennlp.tools.util.normalizer.CharSequenceNormalizer;
import opennlp.tools.util.normalizer.EmojiCharSequenceNormalizer;
import opennlp.tools.util.normalizer.NumberCharSequenceNormalizer;
import opennlp.tools.util.normalizer.ShrinkCharSequenceNormalizer;
import opennlp.tools.util.normalizer.TwitterCharSequenceNormalizer;
import opennlp.tools.util.normalizer.UrlCharSequenceNormalizer;
import org.junit.jupiter.api.Test;

class DetectorNormalizerTest {
  /** The chain LanguageDetectorFactory gives LanguageDetectorME. */
  private static final CharSequenceNormalizer OPENNLP = new AggregateCharSequenceNormalizer(
      EmojiCharSequenceNormalizer.getInstance(), UrlCharSequenceNormalizer.getInstance(),
      TwitterCharSequenceNormalizer.getInstance(), NumberCharSequenceNormalizer.getInstance(),
      ShrinkCharSequenceNormalizer.getInstance());

  /**
   * The same text out, or the same exception: Java's case-insensitive back reference reads past
   * the end of a text that ends in two equal code points above U+FFFF, which OpenNLP's shrink
   * pattern hits (only U+10FC01 to U+10FFFF get past its emoji class).
   */
  private static void assertSame(String text) {
    String expected;
    try {
      expected = OPENNLP.normalize(text).toString();
    } catch (StringIndexOutOfBoundsException e) {
      assertThrows(StringIndexOutOfBoundsException.class, () -> DetectorNormalizer.normalize(text));
      return;
    }
    assertEquals(expected, DetectorNormalizer.normalize(text), () -> "on: [" + text + "]");
  }

  @Test
  void normalisesWhatEachOfOpenNlpsPatternsMatches() {
    for (String text : List.of("", " ", "plain words only", "  lead and trail  ", "tabs\t\tand\n\nlines\r\n end",
        "no\u00a0\u00a0break", "mail a.b@c.org now", "see http://x.org/a?b=1 and https://y.z", "#tag and @user!",
        "RT: RT rt :news", "art: Sport ", ":) ;-( xD x-p :o XO", "hahaha jajaja HEHE hoho aha", "Aaaa zzz !!! ...",
        "1999 and 2,000.5 or 3rd", "emoji 😀😀 and 𝐀𝐁𝐂", "lone \uD800 surrogate \uDC00", "𝐀𝐀𝐀 thrice",
        "word\u2028\u2028sep", "x\u000B\u000By \f\f z", "A1a1a", "aa aa", "AaA", "h a h a", "well-known --- dash",
        "\uFB01ne \uFF21\uFF21\uFF21 \uDBFF\uDFFF \uDBFF\uDC00 \uD83B\uDC00", "ends in \uDBFF\uDFFF\uDBFF\uDFFF")) {
      assertSame(text);
    }
  }

  @Test
  void givesOpenNlpsResultOnRealAndRandomTexts() throws Exception {
    List<String> texts = new ArrayList<>();
    for (String text : SampleTexts.all()) {
      texts.add(text);
      texts.add(text.substring(0, Math.min(text.length(), LanguageDetector.SAMPLE_CHARS)));
    }
    // Random strings over the characters the patterns turn on, so that near misses are common.
    String alphabet = "ahjeoiuHJAE rtRTxXpdoPDO:;-()@#/._htps 0129\t\n\u000B\f\r\u00a0ßİ😀\uD835\uD83B\uFB01\uFF21\uDBFF\uDFFF";
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder text = new StringBuilder();
      for (int n = random.nextInt(30); n > 0; n--) {
        text.append(random.nextInt(20) == 0 ? "http" : String.valueOf(alphabet.charAt(random.nextInt(alphabet.length()))));
      }
      texts.add(text.toString());
    }
    texts.forEach(DetectorNormalizerTest::assertSame);
  }
}
