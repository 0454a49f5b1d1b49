package io.newslens.entities;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * A 2x2 table worked by hand: 10 units, a in 4, b in 3, both in 2.
 * pmi = ln(2*10 / (4*3)) = ln(5/3) = 0.510826; npmi = 0.510826 / -ln(0.2) = 0.317394;
 * expected cells 1.2, 2.8, 1.8, 4.2 for observed 2, 2, 1, 5, so
 * G² = 2 (2 ln(2/1.2) + 2 ln(2/2.8) + 1 ln(1/1.8) + 5 ln(5/4.2)) = 1.265374.
 */
class AssociationTest {
  @Test
  void handComputedTable() {
    assertEquals(0.510826, Association.pmi(2, 4, 3, 10), 1e-6);
    assertEquals(0.317394, Association.npmi(2, 4, 3, 10), 1e-6);
    assertEquals(1.265374, Association.llr(2, 4, 3, 10), 1e-6);
  }

  @Test
  void independenceAndPerfectAssociation() {
    // a in half, b in half, both in a quarter: independent.
    assertEquals(0.0, Association.pmi(25, 50, 50, 100), 1e-12);
    assertEquals(0.0, Association.llr(25, 50, 50, 100), 1e-12);
    assertEquals(1.0, Association.npmi(7, 7, 7, 7), 1e-12, "always together, in every unit");
    assertEquals(1.0, Association.npmi(5, 5, 5, 100), 1e-12, "only together");
    // Empty cells contribute 0 (lim x ln x = 0): G² = 2 (5 ln 20 + 95 ln(95/90.25)).
    assertEquals(2 * (5 * Math.log(20) + 95 * Math.log(95 / 90.25)), Association.llr(5, 5, 5, 100), 1e-9);
  }
}
