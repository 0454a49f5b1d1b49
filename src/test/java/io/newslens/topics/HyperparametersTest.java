package io.newslens.topics;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fixed-point updates on counts drawn from known Dirichlet parameters (no Spark). */
class HyperparametersTest {

  /** Marsaglia and Tsang's gamma(shape, 1) draw, boosted for shape below 1. */
  static double gamma(Random random, double shape) {
    if (shape < 1) {
      return gamma(random, shape + 1) * Math.pow(random.nextDouble(), 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = random.nextGaussian();
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = random.nextDouble();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }

  static double[] dirichlet(Random random, double[] alpha) {
    double[] theta = new double[alpha.length];
    double sum = 0;
    for (int t = 0; t < alpha.length; t++) {
      theta[t] = gamma(random, alpha[t]);
      sum += theta[t];
    }
    for (int t = 0; t < alpha.length; t++) {
      theta[t] /= sum;
    }
    return theta;
  }

  static int draw(Random random, double[] p) {
    double u = random.nextDouble();
    for (int t = 0; t < p.length - 1; t++) {
      if ((u -= p[t]) < 0) {
        return t;
      }
    }
    return p.length - 1;
  }

  @Test
  void alphaFixedPointRecoversAKnownAsymmetricAlpha() {
    double[] truth = {1.2, 0.5, 0.2, 0.1, 0.05};
    Random random = new Random(5);
    Hyperparameters.Histograms a = new Hyperparameters.Histograms(truth.length);
    Hyperparameters.Histograms b = new Hyperparameters.Histograms(truth.length);
    for (int d = 0; d < 6000; d++) {
      double[] theta = dirichlet(random, truth);
      int[] topics = new int[20 + random.nextInt(80)];
      for (int i = 0; i < topics.length; i++) {
        topics[i] = draw(random, theta);
      }
      (d % 2 == 0 ? a : b).add(topics); // two "partitions", summed as the driver does
    }
    Hyperparameters.Histograms all = a.merge(b);
    assertEquals(6000, all.documents());

    double[] alpha = new double[truth.length];
    Arrays.fill(alpha, 5.0 / truth.length); // the sampler's start: symmetric 5 / K
    double sum = 0;
    for (int step = 0; step < 100; step++) {
      sum = Hyperparameters.optimizeAlpha(alpha, all.topics, all.lengths, Hyperparameters.ALPHA_ITERATIONS);
    }
    for (int t = 0; t < truth.length; t++) {
      assertEquals(truth[t], alpha[t], 0.1 * truth[t], "alpha_" + t + " of " + Arrays.toString(alpha));
      if (t > 0) {
        assertTrue(alpha[t] < alpha[t - 1], "order kept: " + Arrays.toString(alpha));
      }
    }
    assertEquals(Arrays.stream(alpha).sum(), sum, 1e-12);
  }

  @Test
  void alphaStaysPutWithoutDocumentsAndAnUnusedTopicKeepsAPositiveAlpha() {
    double[] alpha = {0.3, 0.3};
    Hyperparameters.Histograms none = new Hyperparameters.Histograms(2);
    assertEquals(0.6, Hyperparameters.optimizeAlpha(alpha, none.topics, none.lengths, 5), 1e-15);
    assertArrayEquals(new double[] {0.3, 0.3}, alpha);

    Hyperparameters.Histograms oneTopic = new Hyperparameters.Histograms(2);
    for (int d = 0; d < 100; d++) {
      oneTopic.add(new int[] {0, 0, 0, 0});
    }
    Hyperparameters.optimizeAlpha(alpha, oneTopic.topics, oneTopic.lengths, 50);
    assertTrue(alpha[1] > 0 && alpha[1] < 0.01 * alpha[0], Arrays.toString(alpha));
  }

  @Test
  void betaFixedPointRecoversAKnownSymmetricBeta() {
    int vocab = 400;
    int k = 8;
    double truth = 0.1;
    Random random = new Random(9);
    double[] symmetric = new double[vocab];
    Arrays.fill(symmetric, truth);
    int[] wordTopic = new int[vocab * k];
    int[] totals = new int[k];
    for (int t = 0; t < k; t++) {
      double[] phi = dirichlet(random, symmetric);
      int tokens = 2000 + 1000 * t;
      for (int i = 0; i < tokens; i++) {
        wordTopic[draw(random, phi) * k + t]++;
      }
      totals[t] = tokens;
    }
    double beta = Hyperparameters.optimizeBeta(wordTopic, totals, vocab, 0.01, Hyperparameters.BETA_ITERATIONS);
    assertEquals(truth, beta, 0.1 * truth, "learnt beta");
    int[] empty = new int[vocab * k];
    assertEquals(0.01, Hyperparameters.optimizeBeta(empty, new int[k], vocab, 0.01, 200), 0.0, "no tokens: unchanged");
  }

  @Test
  void digammaMatchesKnownValues() {
    assertEquals(-0.5772156649015329, Hyperparameters.digamma(1), 1e-12);
    assertEquals(-1.9635100260214235, Hyperparameters.digamma(0.5), 1e-12);
    assertEquals(2.2517525890667211, Hyperparameters.digamma(10), 1e-12);
    assertEquals(Hyperparameters.digamma(0.01) + 100, Hyperparameters.digamma(1.01), 1e-9, "psi(x+1) = psi(x) + 1/x");
  }
}
