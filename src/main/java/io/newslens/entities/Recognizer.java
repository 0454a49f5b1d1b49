package io.newslens.entities;

import java.io.Serializable;
import java.util.List;

/** Finds the entity mentions of one article, given its sentences (offsets, end inclusive). */
public interface Recognizer extends Serializable {
  List<RuleRecognizer.Mention> recognize(String text, int[] sentenceBegins, int[] sentenceEnds);

  /**
   * {@code rules} (bundled gazetteers and rules), or {@code corenlp} (Stanford CoreNLP's CRF,
   * only in jars built with {@code mvn -Pcorenlp}: GPL v3 and 474 MB of models, so it is kept
   * out of the default build and loaded by name).
   */
  static Recognizer named(String name) {
    switch (name) {
      case "rules":
        return new RuleRecognizer();
      case "corenlp":
        try {
          Class.forName("edu.stanford.nlp.ie.crf.CRFClassifier");
          return (Recognizer) Class.forName("io.newslens.entities.corenlp.CoreNlpRecognizer")
              .getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
          throw new IllegalArgumentException(
              "--ner corenlp needs a build with the corenlp profile (mvn -Pcorenlp package, GPL v3, 474 MB of models); this build has only --ner rules");
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("could not start CoreNLP: " + e, e);
        }
      default:
        throw new IllegalArgumentException("--ner must be rules or corenlp, got " + name);
    }
  }
}
