package io.newslens.cluster;

import static io.newslens.SharedSpark.rows;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The comparison ClusterRunIT relies on finds one changed cell, and only real differences. */
class TableComparisonTest {

  private static final StructType SCHEMA = new StructType()
      .add("doc_id", DataTypes.StringType)
      .add("topic", DataTypes.IntegerType)
      .add("weight", DataTypes.DoubleType)
      .add("terms", DataTypes.createArrayType(DataTypes.StringType))
      .add("counts", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
      .add("span", new StructType().add("begin", DataTypes.IntegerType).add("end", DataTypes.IntegerType));

  private static List<Object[]> values() {
    List<Object[]> values = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      values.add(new Object[] {"doc-" + (i % 13), i % 4, 1.0 / (i + 3),
          scala.collection.JavaConverters.asScalaBuffer(List.of("w" + i, "x")).toSeq(),
          scala.collection.immutable.Map$.MODULE$.<String, Long>empty().updated("n", (long) i),
          org.apache.spark.sql.RowFactory.create(i, i + 5)});
    }
    values.add(values.get(7).clone()); // a row twice: multisets, not sets
    return values;
  }

  private static Dataset<Row> table(List<Object[]> values) {
    return rows(SCHEMA, values);
  }

  private static List<String> compare(List<Object[]> changed) {
    return TableComparison.compare("t", table(values()), table(changed));
  }

  @Test
  void theSameRowsInAnotherOrderAndPartitioningAndColumnOrderAreEqual() {
    List<Object[]> reversed = new ArrayList<>(values());
    java.util.Collections.reverse(reversed);
    Dataset<Row> other = table(reversed).repartition(3).select("weight", "span", "terms", "doc_id", "counts", "topic");
    assertEquals(List.of(), TableComparison.compare("t", table(values()), other));
  }

  @Test
  void oneChangedStringCellIsFoundAndNamed() {
    List<Object[]> changed = values();
    changed.get(20)[0] = "doc-x";
    List<String> differences = compare(changed);
    assertEquals(2, differences.size(), differences.toString());
    assertTrue(differences.get(1).startsWith("t: row differs in doc_id: expected \"doc-7\", actual \"doc-x\" ("),
        differences.toString());
  }

  @Test
  void aDoubleOneUlpAwayIsADifference() {
    List<Object[]> changed = values();
    changed.get(5)[2] = Math.nextUp((double) changed.get(5)[2]);
    List<String> differences = compare(changed);
    assertEquals(2, differences.size(), differences.toString());
    assertTrue(differences.get(1).contains("row differs in weight: expected D0.125, actual D0.12500000000000003"),
        differences.toString());
  }

  @Test
  void aToleranceCoversItsColumnOnlyAndOnlyThatMuch() {
    java.util.Map<String, Double> tolerance = java.util.Map.of("weight", 1e-12);
    List<Object[]> ulp = values();
    ulp.get(5)[2] = Math.nextUp((double) ulp.get(5)[2]);
    ulp.get(9)[2] = Math.nextDown((double) ulp.get(9)[2]);
    assertEquals(List.of(), TableComparison.compare("t", table(values()), table(ulp), tolerance));

    List<Object[]> more = values();
    more.get(5)[2] = (double) more.get(5)[2] * (1 + 1e-9);
    List<String> differences = TableComparison.compare("t", table(values()), table(more), tolerance);
    assertEquals(2, differences.size(), differences.toString());
    assertTrue(differences.get(1).contains("row differs in weight: expected D0.125"), differences.toString());

    List<Object[]> other = ulp;
    other.get(20)[0] = "doc-x";
    differences = TableComparison.compare("t", table(values()), table(other), tolerance);
    assertEquals(2, differences.size(), differences.toString());
    assertTrue(differences.get(1).contains("row differs in doc_id:"), differences.toString());
  }

  @Test
  void changesInsideArraysMapsAndStructsAndNullsAreDifferences() {
    List<Object[]> array = values();
    array.get(3)[3] = scala.collection.JavaConverters.asScalaBuffer(List.of("w3", "y")).toSeq();
    assertTrue(compare(array).get(1).contains("row differs in terms: expected [\"w3\", \"x\"], actual [\"w3\", \"y\"]"),
        compare(array).toString());
    List<Object[]> map = values();
    map.get(3)[4] = scala.collection.immutable.Map$.MODULE$.<String, Long>empty().updated("n", 4L);
    assertTrue(compare(map).get(1).contains("row differs in counts:"), compare(map).toString());
    List<Object[]> struct = values();
    struct.get(3)[5] = org.apache.spark.sql.RowFactory.create(3, 9);
    assertTrue(compare(struct).get(1).contains("row differs in span: expected {begin: I3, end: I8}, actual {begin: I3, end: I9}"),
        compare(struct).toString());
    List<Object[]> nulled = values();
    nulled.get(3)[1] = null;
    assertTrue(compare(nulled).get(1).contains("row differs in topic: expected I3, actual null"), compare(nulled).toString());
  }

  @Test
  void aMissingDuplicateOrAnExtraRowIsADifference() {
    List<Object[]> fewer = values();
    fewer.remove(fewer.size() - 1);
    List<String> missing = compare(fewer);
    assertTrue(missing.get(0).startsWith("t: 41 rows expected, 40 actual"), missing.toString());
    assertTrue(missing.get(1).startsWith("t: expected row missing: {") && missing.get(1).contains("doc_id=\"doc-7\""),
        missing.toString());

    List<Object[]> more = values();
    more.add(more.get(0).clone());
    List<String> extra = compare(more);
    assertTrue(extra.get(1).startsWith("t: unexpected row: {") && extra.get(1).contains("doc_id=\"doc-0\""),
        extra.toString());
  }

  @Test
  void anotherColumnTypeIsADifference() {
    Dataset<Row> longer = table(values()).withColumn("topic", org.apache.spark.sql.functions.col("topic").cast("long"));
    List<String> differences = TableComparison.compare("t", table(values()), longer);
    assertEquals(1, differences.size());
    assertTrue(differences.get(0).startsWith("t: schemas differ"), differences.toString());
  }
}
