package io.newslens.tokenize;

import com.johnsnowlabs.nlp.annotators.Tokenizer;
import com.johnsnowlabs.nlp.annotators.TokenizerModel;
import com.johnsnowlabs.nlp.annotators.common.IndexedToken;
import com.johnsnowlabs.nlp.annotators.common.Sentence;
import com.johnsnowlabs.nlp.annotators.common.TokenizedSentence;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import scala.Option;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * Spark NLP's {@link Tokenizer} with its default rules: the same tokens and offsets, without
 * running its general regex machinery for rules that a character scan decides.
 *
 * <p>With no exceptions, split characters or custom patterns set, Spark NLP's tokenizer does
 * three things: it marks ASCII whitespace as breaks, cuts the text into the runs between breaks,
 * and matches each run against {@code \A([ctx]*)([^ctx](?:.*[^ctx])*)([ctx]*)\z}, where ctx are
 * the context characters ({@code . , ; : ! ? * - ( ) " '} by default). The three groups become
 * up to three tokens: the leading run of context characters, the text from the first to the last
 * other character, and the trailing run; a run made only of context characters stays whole.
 * A profile of the tokenize stage showed the tokenizer's regexes and its per-group parameter
 * lookups among the largest costs after sentence detection; here a run is cut by one scan.
 *
 * <p>Any other setting (exceptions, split characters or pattern, custom prefix, infix, suffix or
 * target pattern, a context character that is whitespace or a line terminator) gives Spark NLP's
 * own model unchanged. {@code FastTokenizerTest} compares both on real articles and on generated
 * texts full of context characters, separators and line terminators.
 */
public class FastTokenizer extends Tokenizer {
  private static final long serialVersionUID = 1L;

  public FastTokenizer() {
    this(Identifiable$.MODULE$.randomUID("REGEX_TOKENIZER"));
  }

  /** Spark ML copies stages through this constructor. */
  public FastTokenizer(String uid) {
    super(uid);
  }

  @Override
  public TokenizerModel train(Dataset<?> dataset, Option<PipelineModel> recursivePipeline) {
    TokenizerModel rules = super.train(dataset, recursivePipeline);
    String context = defaultRulesContext();
    if (context == null) {
      return rules;
    }
    Model fast = new Model(rules.uid());
    rules.copyValues(fast, ParamMap.empty());
    fast.set(fast.contextCharacters(), context);
    fast.setRules(buildRuleFactory());
    return fast;
  }

  /** The context characters when only the default rules apply, else null. */
  private String defaultRulesContext() {
    boolean customRules = isSet(prefixPattern()) || isSet(suffixPattern()) || isSet(infixPatterns())
        || isSet(splitPattern()) || isSet(splitChars()) || get(exceptions()).isDefined()
        || get(exceptionsPath()).isDefined() || isDefined(maxLength()) || getMinLength() != 0
        || !"\\S+".equals(getTargetPattern());
    if (customRules) {
      return null;
    }
    StringBuilder context = new StringBuilder();
    for (String c : getContextChars()) {
      char ch = c.charAt(0);
      if (c.length() != 1 || ch > 0x7e || ch <= ' ') {
        return null;
      }
      context.append(ch);
    }
    return context.toString();
  }

  private int getMinLength() {
    return (Integer) getOrDefault(minLength());
  }

  /** Spark NLP's {@link TokenizerModel} whose {@code tag} cuts each run by one scan. */
  public static final class Model extends TokenizerModel {
    private static final long serialVersionUID = 1L;
    private final Param<String> contextCharacters =
        new Param<>(this, "contextCharacters", "characters cut off the start and end of a token, one token per run");

    /** Spark ML copies models through this constructor. */
    public Model(String uid) {
      super(uid);
    }

    public Param<String> contextCharacters() {
      return contextCharacters;
    }

    @Override
    public Seq<TokenizedSentence> tag(Seq<Sentence> sentences) {
      String context = $(contextCharacters);
      List<TokenizedSentence> out = new ArrayList<>(sentences.size());
      scala.collection.Iterator<Sentence> it = sentences.iterator();
      while (it.hasNext()) {
        Sentence sentence = it.next();
        out.add(new TokenizedSentence(tokens(sentence.content(), sentence.start(), context), sentence.index()));
      }
      return JavaConverters.asScalaBuffer(out).toSeq();
    }

    /** Tokens of {@code text}, whose first character is at {@code offset}; ends are inclusive. */
    static IndexedToken[] tokens(String text, int offset, String context) {
      List<IndexedToken> tokens = new ArrayList<>();
      int n = text.length();
      int i = 0;
      while (i < n) {
        while (i < n && isBreak(text.charAt(i))) {
          i++;
        }
        int start = i;
        while (i < n && !isBreak(text.charAt(i))) {
          i++;
        }
        if (start < i) {
          addRun(tokens, text, start, i, offset, context);
        }
      }
      return tokens.toArray(IndexedToken[]::new);
    }

    private static void addRun(List<IndexedToken> tokens, String text, int start, int end, int offset, String context) {
      int first = start;
      while (first < end && context.indexOf(text.charAt(first)) >= 0) {
        first++;
      }
      if (first == end) {
        add(tokens, text, start, end, offset);
        return;
      }
      int last = end;
      while (context.indexOf(text.charAt(last - 1)) >= 0) {
        last--;
      }
      add(tokens, text, start, first, offset);
      add(tokens, text, first, last, offset);
      add(tokens, text, last, end, offset);
    }

    private static void add(List<IndexedToken> tokens, String text, int start, int end, int offset) {
      if (start < end) {
        tokens.add(new IndexedToken(text.substring(start, end), offset + start, offset + end - 1));
      }
    }

    /** Java's {@code \s} (what Spark NLP's break pattern matches), and its own break marker. */
    private static boolean isBreak(char c) {
      return c == ' ' || (c >= '\t' && c <= '\r') || c == '\u2187';
    }
  }
}
