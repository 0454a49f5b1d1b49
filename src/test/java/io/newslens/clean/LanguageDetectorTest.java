package io.newslens.clean;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
