package io.newslens.clean;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import opennlp.tools.langdetect.LanguageDetectorFactory;
import opennlp.tools.langdetect.LanguageDetectorME;
import opennlp.tools.langdetect.LanguageDetectorModel;
import opennlp.tools.ml.maxent.GISModel;
import opennlp.tools.ml.model.Context;
import opennlp.tools.ml.model.MaxentModel;

/**
 * Offline language detection with Apache OpenNLP's 103-language model (opennlp-models-langdetect,
 * bundled in the jar). Chosen over optimaize language-detector (unmaintained since 2016, pulls an
 * old Guava) and Lingua (not served here). One model per JVM.
 *
 * <p>The model is OpenNLP's; the scoring is our own. {@code LanguageDetectorME} keys every 1-3
 * character n-gram of the sample as a {@code CharBuffer} in a hash map, converts each distinct one
 * to a {@code String} and looks it up in another: that bookkeeping, not the model's arithmetic,
 * was most of the clean stage's largest cost. {@link Scorer} packs an n-gram of up to three
 * characters into a {@code long} and does the same sums over the same model parameters with
 * primitive hash tables. It is tested to call the same language as {@code LanguageDetectorME}
 * ({@link #detectWithOpenNlp}) on every text of the test corpora.
 */
public final class LanguageDetector {
  private LanguageDetector() {}

  public static final String UNDETERMINED = "und";
  /** Texts with fewer letters than this are too short to call. */
  static final int MIN_LETTERS = 20;
  /**
   * The first characters are enough, and bound the cost: detection costs in proportion to the
   * sample, and it was the largest single cost of the clean stage. On data/ and on Europarl in
   * 21 languages this sample calls languages as well as 1,000 characters did, measured against
   * 3,000 (figures in the README).
   */
  static final int SAMPLE_CHARS = 400;

  private static volatile LanguageDetectorModel model;
  private static volatile Scorer scorer;
  private static final ThreadLocal<LanguageDetectorME> OPENNLP_DETECTOR =
      ThreadLocal.withInitial(() -> new LanguageDetectorME(model()));
  private static final Map<String, String> ISO3_TO_ISO1 = iso3ToIso1();

  private static LanguageDetectorModel model() {
    if (model == null) {
      synchronized (LanguageDetector.class) {
        if (model == null) {
          try (InputStream in = LanguageDetector.class.getResourceAsStream("/langdetect-183.bin")) {
            if (in == null) {
              throw new IllegalStateException("langdetect-183.bin missing from the classpath (opennlp-models-langdetect)");
            }
            model = new LanguageDetectorModel(in);
          } catch (IOException e) {
            throw new UncheckedIOException("could not load the language model", e);
          }
        }
      }
    }
    return model;
  }

  private static Scorer scorer() {
    if (scorer == null) {
      synchronized (LanguageDetector.class) {
        if (scorer == null) {
          scorer = new Scorer(model());
        }
      }
    }
    return scorer;
  }

  /** ISO 639-1 code ("en"), the ISO 639-3 code where no two-letter one exists, or "und". */
  public static String detect(String text) {
    return detect(text, SAMPLE_CHARS);
  }

  static String detect(String text, int sampleChars) {
    String sample = sample(text, sampleChars);
    return sample == null ? UNDETERMINED : iso1(scorer().best(sample));
  }

  /** Whether the bundled model is scored by {@link Scorer}'s own path, not OpenNLP's. */
  static boolean usesOwnScoring() {
    return scorer().stock;
  }

  /** The same call made by OpenNLP's own {@code LanguageDetectorME}: the reference for tests. */
  static String detectWithOpenNlp(String text, int sampleChars) {
    String sample = sample(text, sampleChars);
    return sample == null ? UNDETERMINED : iso1(OPENNLP_DETECTOR.get().predictLanguage(sample).getLang());
  }

  /** The first {@code sampleChars} characters, or null when there is too little to call. */
  private static String sample(String text, int sampleChars) {
    if (text == null) {
      return null;
    }
    String sample = text.length() > sampleChars ? text.substring(0, sampleChars) : text;
    return sample.codePoints().filter(Character::isLetter).count() < MIN_LETTERS ? null : sample;
  }

  private static String iso1(String iso3) {
    return ISO3_TO_ISO1.getOrDefault(iso3, iso3);
  }

  /**
   * {@code LanguageDetectorME.predictLanguage} for the stock factory and a GIS model: the text
   * normalised as the factory's normalisers do ({@link DetectorNormalizer}) and lower-cased by
   * code point into a buffer of the normalised length, its distinct n-grams of 1 to 3 chars, the
   * uniform log prior plus the parameters of every n-gram the model knows, then the first
   * outcome of highest probability. Only the order of the sums differs. Any other model goes
   * through OpenNLP itself.
   */
  static final class Scorer {
    private static final int MAX_GRAM = 3;
    private final LanguageDetectorModel model;
    private final boolean stock;
    private final String[] outcomes;
    private final double logPrior;
    /**
     * Open addressing over pairs of longs: at {@code 2 * slot} a known gram's key, at
     * {@code 2 * slot + 1} where its outcomes and parameters are, {@code outcomeOf[i]} and
     * {@code parameterOf[i]} for i from the high int (first) to the low int (end). Key and run
     * share a cache line: a look-up that missed the cache twice (keys, then runs) misses once.
     * One run of memory per gram, where OpenNLP's {@code Context} objects cost three. A gram
     * with parameters for many outcomes (the common ones of every text: "e", "th") has a dense
     * run instead, one parameter per outcome in outcome order (0 where it has none), marked by
     * the sign bit: a loop the JIT vectorises, where the sparse one gathers. Adding 0 changes
     * no sum, and each outcome still receives its parameters in the same order.
     */
    private final long[] grams;
    private final int[] outcomeOf;
    private final double[] parameterOf;
    private final ThreadLocal<Buffers> buffers = ThreadLocal.withInitial(Buffers::new);

    Scorer(LanguageDetectorModel model) {
      this.model = model;
      MaxentModel maxent = model.getMaxentModel();
      this.stock = model.getFactory().getClass() == LanguageDetectorFactory.class && maxent.getClass() == GISModel.class;
      this.outcomes = new String[maxent.getNumOutcomes()];
      for (int i = 0; i < outcomes.length; i++) {
        outcomes[i] = maxent.getOutcome(i);
      }
      this.logPrior = StrictMath.log(1.0 / outcomes.length);
      @SuppressWarnings("unchecked")
      Map<String, Context> contexts = stock ? (Map<String, Context>) ((GISModel) maxent).getDataStructures()[1] : Map.of();
      int capacity = Integer.highestOneBit(Math.max(4, contexts.size() * 2)) * 2;
      this.grams = new long[2 * capacity];
      List<Map.Entry<String, Context>> known = contexts.entrySet().stream()
          .filter(e -> !e.getKey().isEmpty() && e.getKey().length() <= MAX_GRAM).toList();
      int entries = 0;
      for (Map.Entry<String, Context> e : known) {
        entries += dense(e.getValue()) ? outcomes.length : e.getValue().getOutcomes().length;
      }
      this.outcomeOf = new int[entries];
      this.parameterOf = new double[entries];
      int next = 0;
      for (Map.Entry<String, Context> e : known) {
        long key = key(e.getKey(), 0, e.getKey().length());
        int slot = pairSlot(grams, key);
        int[] active = e.getValue().getOutcomes();
        double[] parameters = e.getValue().getParameters();
        grams[2 * slot] = key;
        if (dense(e.getValue())) {
          for (int i = 0; i < active.length; i++) {
            parameterOf[next + active[i]] = parameters[i];
          }
          grams[2 * slot + 1] = Long.MIN_VALUE | ((long) next << 32) | (next + outcomes.length);
          next += outcomes.length;
        } else {
          System.arraycopy(active, 0, outcomeOf, next, active.length);
          System.arraycopy(parameters, 0, parameterOf, next, active.length);
          grams[2 * slot + 1] = ((long) next << 32) | (next + active.length);
          next += active.length;
        }
      }
    }

    /** A quarter of all outcomes or more: the dense run costs at most four times the sparse one's memory. */
    private boolean dense(Context context) {
      return context.getOutcomes().length * 4 >= outcomes.length;
    }

    /** The ISO 639-3 code OpenNLP would call first. */
    String best(String sample) {
      if (!stock) {
        return new LanguageDetectorME(model).predictLanguage(sample).getLang();
      }
      String normalized = DetectorNormalizer.normalize(sample);
      Buffers b = buffers.get();
      char[] chars = b.chars(normalized.length());
      int length = normalized.length();
      int written = 0;
      for (int i = 0; i < length; ) {
        int lower = Character.toLowerCase(Character.codePointAt(normalized, i));
        i += Character.charCount(Character.codePointAt(normalized, i));
        if (written + Character.charCount(lower) > length) {
          return new LanguageDetectorME(model).predictLanguage(sample).getLang();
        }
        written += Character.toChars(lower, chars, written);
      }
      java.util.Arrays.fill(chars, written, length, '\0');
      double[] scores = new double[outcomes.length];
      java.util.Arrays.fill(scores, logPrior);
      long[] seen = b.seen(MAX_GRAM * length);
      for (int n = 1; n <= MAX_GRAM; n++) {
        for (int start = 0; start + n <= length; start++) {
          long key = key(chars, start, n);
          int slot = slot(seen, key);
          if (seen[slot] == key) {
            continue;
          }
          seen[slot] = key;
          long run = grams[2 * pairSlot(grams, key) + 1];
          int first = (int) (run >>> 32) & Integer.MAX_VALUE;
          int end = (int) run;
          if (run < 0) {
            for (int o = 0, i = first; i < end; o++, i++) {
              scores[o] += parameterOf[i];
            }
          } else {
            for (int i = first; i < end; i++) {
              scores[outcomeOf[i]] += parameterOf[i];
            }
          }
        }
      }
      double normal = 0;
      for (int o = 0; o < scores.length; o++) {
        scores[o] = StrictMath.exp(scores[o]);
        normal += scores[o];
      }
      int best = 0;
      for (int o = 0; o < scores.length; o++) {
        scores[o] /= normal;
        if (scores[o] > scores[best]) {
          best = o;
        }
      }
      return outcomes[best];
    }

    /** A gram of 1-3 chars as one number: its length above its chars, 16 bits each. Never 0. */
    private static long key(CharSequence text, int start, int n) {
      long key = n;
      for (int i = 0; i < MAX_GRAM; i++) {
        key = (key << 16) | (i < n ? text.charAt(start + i) : 0);
      }
      return key;
    }

    private static long key(char[] text, int start, int n) {
      long key = n;
      for (int i = 0; i < MAX_GRAM; i++) {
        key = (key << 16) | (i < n ? text[start + i] : 0);
      }
      return key;
    }

    /** Open addressing, linear probing: the slot holding {@code key}, or the empty one where it goes. */
    private static int slot(long[] table, long key) {
      return slot(table, 1, key);
    }

    /** {@link #slot} over the keys at even indices of key-value pairs: the pair holding {@code key}, or the empty one. */
    private static int pairSlot(long[] pairs, long key) {
      return slot(pairs, 2, key);
    }

    /** The probe itself, over a table whose keys are every {@code stride}-th long. */
    private static int slot(long[] table, int stride, long key) {
      int mask = table.length / stride - 1;
      int slot = (int) (mix(key) & mask);
      while (table[stride * slot] != 0 && table[stride * slot] != key) {
        slot = (slot + 1) & mask;
      }
      return slot;
    }

    private static long mix(long key) {
      key *= 0x9E3779B97F4A7C15L;
      return key ^ (key >>> 29);
    }

    /** Per-thread scratch space, so a text allocates no more than its score array. */
    private static final class Buffers {
      private char[] chars = new char[0];
      private long[] seen = new long[0];

      char[] chars(int length) {
        if (chars.length < length) {
          chars = new char[length];
        }
        return chars;
      }

      long[] seen(int grams) {
        int capacity = Integer.highestOneBit(Math.max(4, grams * 2)) * 2;
        if (seen.length < capacity) {
          seen = new long[capacity];
        } else {
          java.util.Arrays.fill(seen, 0L);
        }
        return seen;
      }
    }
  }

  private static Map<String, String> iso3ToIso1() {
    Map<String, String> map = new HashMap<>();
    for (String iso1 : Locale.getISOLanguages()) {
      map.put(new Locale(iso1).getISO3Language(), iso1);
    }
    // Codes the model uses that Locale spells differently.
    map.put("cmn", "zh");
    map.put("pes", "fa");
    map.put("zlm", "ms");
    map.put("ekk", "et");
    map.put("lvs", "lv");
    return map;
  }
}
