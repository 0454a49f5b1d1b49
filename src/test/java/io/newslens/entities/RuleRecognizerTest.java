package io.newslens.entities;

import static org.junit.jupiter.api.Assertions.*;

import io.newslens.entities.RuleRecognizer.Mention;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The recogniser alone, without Spark: sentences split at ". " here (the stage uses Spark NLP). */
class RuleRecognizerTest {
  /** Sentences are given one per argument and joined by a space. */
  static List<Mention> recognize(String... sentences) {
    int[] begins = new int[sentences.length];
    int[] ends = new int[sentences.length];
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < sentences.length; i++) {
      text.append(i == 0 ? "" : " ");
      begins[i] = text.length();
      text.append(sentences[i]);
      ends[i] = text.length() - 1;
    }
    return new RuleRecognizer().recognize(text.toString(), begins, ends);
  }

  static List<String> entities(List<Mention> mentions) {
    return mentions.stream().map(m -> m.entity() + "/" + m.type()).toList();
  }

  @Test
  void surnamesAfterFullNamesAreThePerson() {
    List<Mention> mentions = recognize("Ambassador Ryan Crocker met Hassan Kazemi Qomi on Monday.",
        "Crocker said talks were frank.", "Qomi disagreed and Kazemi Qomi left.");
    assertEquals(List.of("Ryan Crocker/PERSON", "Hassan Kazemi Qomi/PERSON", "Ryan Crocker/PERSON",
        "Hassan Kazemi Qomi/PERSON", "Hassan Kazemi Qomi/PERSON"), entities(mentions));
    assertEquals("Crocker", mentions.get(2).text());
    assertEquals(1, mentions.get(2).sentence());
  }

  @Test
  void countryAliasesAndDemonymsAreTheCountry() {
    List<Mention> mentions = recognize("U.S. officials and the United States Congress met.",
        "America and the US agreed with Iranian diplomats in Iraq's capital.");
    assertEquals(List.of("United States/LOCATION", "United States/LOCATION", "Congress/ORGANIZATION",
        "United States/LOCATION", "United States/LOCATION", "Iran/LOCATION", "Iraq/LOCATION"), entities(mentions));
    assertEquals("Iraq", mentions.get(6).text(), "possessive 's is not part of the mention");
  }

  @Test
  void acronymsDefinedInTheTextResolveToTheLongForm() {
    List<Mention> mentions = recognize("The Supreme Islamic Council (SIC) met.", "Later SIC leaders spoke.");
    assertEquals(List.of("Supreme Islamic Council/ORGANIZATION", "Supreme Islamic Council/ORGANIZATION",
        "Supreme Islamic Council/ORGANIZATION"), entities(mentions));
  }

  @Test
  void sentenceInitialWordsAndMonthsAreNotEntities() {
    assertEquals(List.of(), entities(recognize("Hours later, Shiite leaders met in July.", "Nothing happened.")));
  }
}
