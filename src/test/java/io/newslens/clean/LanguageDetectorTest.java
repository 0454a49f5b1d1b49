package io.newslens.clean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.newslens.SampleTexts;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LanguageDetectorTest {
  @Test
  void detectsCommonNewsLanguagesAndRefusesTinyTexts() {
    assertEquals("en", LanguageDetector.detect("The minister said the talks would continue next week in Brussels."));
    assertEquals("de", LanguageDetector.detect("Der Minister sagte, die Gespräche würden nächste Woche in Brüssel fortgesetzt."));
    assertEquals("fr", LanguageDetector.detect("Le ministre a déclaré que les négociations se poursuivraient la semaine prochaine."));
    assertEquals("es", LanguageDetector.detect("El ministro dijo que las conversaciones continuarán la próxima semana en Bruselas."));
    assertEquals("und", LanguageDetector.detect("OK."));
    assertEquals("und", LanguageDetector.detect(null));
  }

  /** Sentences in many scripts, so generated mixtures sit near the boundaries between languages. */
  private static final List<String> PIECES = List.of(
      "The minister said the talks would continue next week in Brussels.",
      "Der Minister sagte, die Gespräche würden nächste Woche fortgesetzt.",
      "Le ministre a déclaré que les négociations se poursuivraient.",
      "El ministro dijo que las conversaciones continuarán la próxima semana.",
      "O ministro disse que as conversações continuariam na próxima semana.",
      "Il ministro ha detto che i colloqui sarebbero proseguiti la prossima settimana.",
      "De minister zei dat de gesprekken volgende week zouden worden voortgezet.",
      "Ministern sade att samtalen skulle fortsätta nästa vecka i Bryssel.",
      "Minister powiedział, że rozmowy będą kontynuowane w przyszłym tygodniu.",
      "Ministr řekl, že rozhovory budou pokračovat příští týden v Bruselu.",
      "A miniszter szerint a tárgyalások jövő héten folytatódnak Brüsszelben.",
      "Ministri sanoi, että neuvottelut jatkuvat ensi viikolla Brysselissä.",
      "Министр заявил, что переговоры продолжатся на следующей неделе.",
      "Ο υπουργός δήλωσε ότι οι συνομιλίες θα συνεχιστούν την επόμενη εβδομάδα.",
      "وقال الوزير إن المحادثات ستستمر الأسبوع المقبل في بروكسل.",
      "השר אמר כי השיחות יימשכו בשבוע הבא בבריסל.",
      "部长说，会谈将于下周在布鲁塞尔继续举行。",
      "大臣は、協議は来週ブリュッセルで続くと述べた。",
      "장관은 회담이 다음 주 브뤼셀에서 계속될 것이라고 말했다.",
      "मंत्री ने कहा कि बातचीत अगले सप्ताह ब्रसेल्स में जारी रहेगी।",
      "Bakan, görüşmelerin gelecek hafta Brüksel'de devam edeceğini söyledi.",
      "Waziri alisema mazungumzo yataendelea wiki ijayo mjini Brussels.",
      " see https://example.com/news/2024?id=7 or @newsdesk #breaking 1,234.5 ",
      " 😀🎉 𝐀𝐁𝐂 İSTANBUL ǅ ß ΣΑΣ \u0000 \uD800 ",
      "  ...  !!!  ---  ");

  /**
   * Our scoring against OpenNLP's own LanguageDetectorME on every sample text (whole and cut at
   * random points) and on mixtures of many languages, scripts, URLs, handles, numbers and emoji
   * at several sample lengths: the same language every time.
   */
  @Test
  void callsTheSameLanguageAsOpenNlpsDetector() throws Exception {
    assertTrue(LanguageDetector.usesOwnScoring(), "the bundled model should take the fast path");
    Random random = new Random(11);
    List<String> texts = new ArrayList<>(PIECES);
    for (String text : SampleTexts.all()) {
      texts.add(text);
      int from = random.nextInt(Math.max(1, text.length()));
      texts.add(text.substring(from, Math.min(text.length(), from + 1 + random.nextInt(600))));
    }
    for (int i = 0; i < 2000; i++) {
      StringBuilder mixture = new StringBuilder();
      for (int pieces = 1 + random.nextInt(4); pieces > 0; pieces--) {
        String piece = PIECES.get(random.nextInt(PIECES.size()));
        int from = random.nextInt(piece.length());
        String cut = piece.substring(from, from + random.nextInt(piece.length() - from + 1));
        mixture.append(random.nextInt(5) == 0 ? cut.toUpperCase(java.util.Locale.ROOT) : cut);
      }
      texts.add(mixture.toString());
    }
    int called = 0;
    for (String text : texts) {
      for (int sample : new int[] {LanguageDetector.SAMPLE_CHARS, 60}) {
        String expected = LanguageDetector.detectWithOpenNlp(text, sample);
        assertEquals(expected, LanguageDetector.detect(text, sample), () -> "on: " + text);
        called += expected.equals(LanguageDetector.UNDETERMINED) ? 0 : 1;
      }
    }
    assertTrue(called > texts.size(), "most texts are long enough to call: " + called);
  }
}
