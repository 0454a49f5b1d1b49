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

  /**
   * Guards the hand-written token scanner: the same tokens as the TOKEN regex on awkward text,
   * and no stack overflow on a hyphenated word of a million characters or a million initials
   * (the regex's repeated groups recurse once per repetition and overflowed the stack).
   */
  @Test
  void tokensAreTheRegexsAndHugeWordsDoNotOverflowTheStack() {
    String awkward = "U.S. and U.K.-based Al-Qaeda's \u2019s rock&roll O'Neil -x- 3-4 \uD835\uDC00\uD835\uDC01 "
        + "A.b Z. .Q. caf\u00e9-bar \u0661\u0662 e\u0301t\u00e9 x&&y x-- -- \u05E9\u05DC\u05D5\u05DD\u200F end-";
    List<String> expected = new java.util.ArrayList<>();
    java.util.regex.Matcher m = RuleRecognizer.TOKEN.matcher(awkward);
    while (m.find()) {
      expected.add(m.start() + ":" + m.group());
    }
    List<String> actual = new java.util.ArrayList<>();
    for (int[] t = RuleRecognizer.nextToken(awkward, 0, awkward.length()); t != null;
        t = RuleRecognizer.nextToken(awkward, t[1], awkward.length())) {
      actual.add(t[0] + ":" + awkward.substring(t[0], t[1]));
    }
    assertEquals(expected, actual);

    String word = "cookie-policy-accept-".repeat(50_000);
    int[] token = RuleRecognizer.nextToken(word, 0, word.length());
    assertArrayEquals(new int[] {0, word.length() - 1}, token);
    String initials = "A.".repeat(500_000);
    assertArrayEquals(new int[] {0, initials.length()}, RuleRecognizer.nextToken(initials, 0, initials.length()));
    assertEquals(List.of(), recognize(word + "."), "a huge word is no name");
  }

  @Test
  void listNamesOfSeveralWordsAreFoundAfterWordsThatStartOtherNames() {
    // "the" starts one list name ("the Abode of Peace", Brunei), "New" and "SAUDI" several: the
    // look-up of a word's longer names stops at the second word only where no name goes on.
    assertEquals(List.of("Brunei/LOCATION", "New Zealand/LOCATION", "Saudi Arabia/LOCATION"),
        entities(recognize("Envoys of the Abode of Peace, the government and New rules met New Zealand officials in SAUDI ARABIA.")));
  }
}
