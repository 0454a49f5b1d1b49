package io.newslens.topics;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.linalg.Vector;
import scala.collection.JavaConverters;

/**
 * A features value (a count Vector, term ids or terms) as the word ids the sampler and fold-in
 * read, and the id that seeds a document's random stream.
 */
final class DocumentWords implements Serializable {
  private static final long serialVersionUID = 1L;

  private final GibbsLDAParams.Input input;
  private final int vocabSize; // ids at or above it are unknown words (-1: no bound, while fitting)
  private final Map<String, Integer> termIds; // TERMS only

  DocumentWords(GibbsLDAParams.Input input, int vocabSize, Map<String, Integer> termIds) {
    this.input = input;
    this.vocabSize = vocabSize;
    this.termIds = termIds;
  }

  /**
   * The document's word ids. Counts become repeated ids in index order (rounded to whole words:
   * the sampler assigns a topic per word); term ids and terms keep their reading order, and the
   * terms outside the vocabulary are left out.
   */
  int[] of(Object features) {
    if (features == null) {
      return new int[0];
    }
    switch (input) {
      case COUNTS: {
        Vector v = (Vector) features;
        int[] indices;
        double[] values;
        if (v instanceof org.apache.spark.ml.linalg.SparseVector s) {
          indices = s.indices();
          values = s.values();
        } else {
          values = v.toArray();
          indices = new int[values.length];
          Arrays.setAll(indices, i -> i);
        }
        int n = 0;
        for (double c : values) {
          n += c > 0 ? Math.round(c) : 0;
        }
        int[] words = new int[n];
        int at = 0;
        for (int j = 0; j < indices.length; j++) {
          if (vocabSize >= 0 && indices[j] >= vocabSize) {
            continue;
          }
          long c = values[j] > 0 ? Math.round(values[j]) : 0;
          for (long r = 0; r < c; r++) {
            words[at++] = indices[j];
          }
        }
        return at == n ? words : Arrays.copyOf(words, at);
      }
      case IDS: {
        List<?> ids = asList(features);
        int[] words = new int[ids.size()];
        int n = 0;
        for (Object id : ids) {
          if (id != null) {
            int w = (Integer) id;
            if (w < 0) {
              throw new IllegalArgumentException("negative term id " + w);
            }
            if (vocabSize < 0 || w < vocabSize) {
              words[n++] = w;
            }
          }
        }
        return n == words.length ? words : Arrays.copyOf(words, n);
      }
      default: {
        @SuppressWarnings("unchecked")
        List<String> terms = (List<String>) asList(features);
        return Vocabulary.idsOf(terms.stream().filter(java.util.Objects::nonNull).toList(), termIds);
      }
    }
  }

  private static List<?> asList(Object array) {
    if (array instanceof List<?> list) {
      return list;
    }
    return JavaConverters.seqAsJavaList((scala.collection.Seq<?>) array);
  }

  /**
   * The id that seeds a document: the given one, else one made from its words, so a document's
   * mixture is a function of its row and equal documents get equal mixtures.
   */
  static String seedId(String id, int[] words) {
    if (id != null) {
      return id;
    }
    long h = 0xcbf29ce484222325L;
    for (int w : words) {
      for (int s = 0; s < 32; s += 8) {
        h ^= (w >>> s) & 0xff;
        h *= 0x100000001b3L;
      }
    }
    return "#" + Long.toHexString(h) + ":" + words.length;
  }
}
