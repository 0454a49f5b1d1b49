package io.newslens.ingest;

import static io.newslens.SharedSpark.spark;
import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A quote opened and never closed costs its own record only: every good record around it is
 * kept, the broken one is rejected as malformed_record, none is swallowed into a quoted field.
 */
class CsvQuotesTest {
  @TempDir Path dir;

  static List<CsvRecords.Record> split(String csv) {
    List<CsvRecords.Record> records = new ArrayList<>();
    BufferedReader in = new BufferedReader(new StringReader(csv));
    java.util.Iterator<CsvRecords.Record> split = CsvRecords.split(in, 1_000);
    split.forEachRemaining(records::add);
    try {
      in.close();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    assertFalse(split.hasNext(), "asked again after the end, with the stream closed");
    return records;
  }

  @Test
  void anUnclosedQuoteBreaksOneRecordAndReadingGoesOnAtTheNextLine() {
    List<CsvRecords.Record> records = split("id,text\n"
        + "a,\"spans\nlines, \"\"quoted\"\"\"\n"
        + "b,\"never closed\n"
        + "c,\"quoted\"\n"
        + "d,plain\n"
        + "e,\"open to the end\n"
        + "f,plain\n");
    assertEquals(List.of(
        new CsvRecords.Record(1, "id,text", false),
        new CsvRecords.Record(2, "a,\"spans\nlines, \"\"quoted\"\"\"", false),
        new CsvRecords.Record(4, "b,\"never closed", true),
        new CsvRecords.Record(5, "c,\"quoted\"", false),
        new CsvRecords.Record(6, "d,plain", false),
        new CsvRecords.Record(7, "e,\"open to the end", true),
        new CsvRecords.Record(8, "f,plain", false)), records);
  }

  @Test
  void aStrayQuoteOnOneLineIsTextAndARecordTooLongInQuotesIsBroken() {
    assertEquals(List.of(new CsvRecords.Record(1, "x,\"He said \"hi, y", false)), split("x,\"He said \"hi, y\n"));
    String longField = "z,\"" + "word ".repeat(150) + "\n" + "more ".repeat(150) + "\"\nw,ok\n";
    List<CsvRecords.Record> records = split(longField);
    assertTrue(records.get(0).broken(), "over the bound while quoted");
    assertEquals(new CsvRecords.Record(3, "w,ok", false), records.get(records.size() - 1));
  }

  @Test
  void ingestKeepsEveryGoodRecordAndRejectsTheBrokenOne() throws Exception {
    Path input = dir.resolve("unclosed.csv");
    Files.writeString(input, "id,date,title,text\n"
        + "k1,2007-07-24,First,\"The council met.\nIt agreed, \"\"fully\"\".\"\n"
        + "k2,2007-07-24,Broken,\"He said hello and never closed the quote\n"
        + "k3,2007-07-25,Third,\"The third story.\"\n"
        + "k4,2007-07-26,Fourth,The fourth story.\n"
        + "k5,2007-07-27,Fifth,\"The fifth story, quoted.\"\n");
    Ingest.Options options = new Ingest.Options(List.of(input.toString()), null, Map.of(), null, 5_000);
    InputSources.Discovery discovery = InputSources.discover(options.inputs(), null, spark().sparkContext().hadoopConfiguration());
    Ingest.Result result = Ingest.validate(Ingest.readRaw(spark(), discovery, options), options);
    Map<String, String> texts = new TreeMap<>();
    for (Row row : result.articles().collectAsList()) {
      texts.put(row.getAs("doc_id"), row.getAs("text"));
    }
    assertEquals(Map.of("k1", "The council met.\nIt agreed, \"fully\".", "k3", "The third story.",
        "k4", "The fourth story.", "k5", "The fifth story, quoted."), texts);
    List<Row> rejects = result.rejects().collectAsList();
    assertEquals(1, rejects.size(), rejects.toString());
    assertEquals("malformed_record", rejects.get(0).getAs("reason"));
    assertTrue(rejects.get(0).<String>getAs("record").endsWith("unclosed.csv:id=k2"), rejects.toString());
    assertTrue(rejects.get(0).<String>getAs("raw").startsWith("k2,2007-07-24,Broken,\"He said hello"));
  }
}
