package io.newslens.entities.corenlp;

import edu.stanford.nlp.ie.crf.CRFClassifier;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.util.Triple;
import io.newslens.entities.Recognizer;
import io.newslens.entities.RuleRecognizer;
import io.newslens.entities.RuleRecognizer.Mention;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --ner corenlp}: Stanford CoreNLP 4.5.10's 3-class CRF (PERSON, LOCATION, ORGANIZATION;
 * GPL v3), only in builds with {@code mvn -Pcorenlp}. One classifier per JVM, i.e. per executor,
 * loaded on first use (~2 s, ~32 MB model) and shared by its tasks: CRF inference keeps no state
 * between calls (CoreNLP's own pipeline shares it across its ner threads).
 *
 * <p>Canonical names as in the rules recogniser, so the two can be compared entity by entity:
 * a mention the bundled lists know ("U.S.", "AP") takes the list's name, and a person's surname
 * or name tail takes the article's full name when exactly one person ends that way.
 */
public final class CoreNlpRecognizer implements Recognizer {
  private static final long serialVersionUID = 1L;
  static final String MODEL = "edu/stanford/nlp/models/ner/english.all.3class.distsim.crf.ser.gz";
  private static volatile CRFClassifier<CoreLabel> classifier;

  static CRFClassifier<CoreLabel> classifier() {
    if (classifier == null) {
      synchronized (CoreNlpRecognizer.class) {
        if (classifier == null) {
          try {
            classifier = CRFClassifier.getClassifier(MODEL);
          } catch (Exception e) {
            throw new IllegalStateException("could not load the CoreNLP model " + MODEL, e);
          }
        }
      }
    }
    return classifier;
  }

  @Override
  public List<Mention> recognize(String text, int[] sentenceBegins, int[] sentenceEnds) {
    List<Mention> raw = new ArrayList<>();
    for (int s = 0; s < sentenceBegins.length; s++) {
      int begin = Math.max(0, sentenceBegins[s]);
      int end = Math.min(text.length(), sentenceEnds[s] + 1);
      if (begin >= end) {
        continue;
      }
      for (Triple<String, Integer, Integer> found : classifier().classifyToCharacterOffsets(text.substring(begin, end))) {
        int b = begin + found.second();
        int e = begin + found.third();
        String surface = text.substring(b, e);
        if (surface.endsWith("'s") || surface.endsWith("\u2019s")) {
          surface = surface.substring(0, surface.length() - 2);
          e -= 2;
        }
        String[] canonical = RuleRecognizer.listed(surface);
        raw.add(new Mention(s, b, e, surface, canonical == null ? surface.replaceAll("\\s+", " ") : canonical[0],
            canonical == null ? found.first() : canonical[1]));
      }
    }
    Map<String, String> fullNameOfTail = new HashMap<>();
    Set<String> ambiguous = new LinkedHashSet<>();
    for (Mention m : raw) {
      String[] words = m.entity().split(" ");
      if ("PERSON".equals(m.type()) && words.length >= 2) {
        for (int i = 1; i < words.length; i++) {
          String tail = String.join(" ", java.util.Arrays.asList(words).subList(i, words.length));
          String previous = fullNameOfTail.putIfAbsent(tail, m.entity());
          if (previous != null && !previous.equals(m.entity())) {
            ambiguous.add(tail);
          }
        }
      }
    }
    List<Mention> out = new ArrayList<>();
    for (Mention m : raw) {
      String full = fullNameOfTail.get(m.entity());
      if (full != null && !ambiguous.contains(m.entity()) && !"LOCATION".equals(m.type())) {
        out.add(new Mention(m.sentence(), m.begin(), m.end(), m.text(), full, "PERSON"));
      } else {
        out.add(m);
      }
    }
    return out;
  }
}
