package io.newslens.tokenize;

import static io.newslens.SharedSpark.rows;
import static org.junit.jupiter.api.Assertions.*;
import static org.apache.spark.sql.types.DataTypes.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class TokenizeTest {
  static final StructType ARTICLES = createStructType(List.of(
      createStructField("doc_id", StringType, false),
      createStructField("period", StringType, false),
      createStructField("text", StringType, false)));

  static List<String> list(Row row, String column) {
    return row.getList(row.fieldIndex(column));
  }

  @Test
  void sentencesTokensStemsPhrasesAndReadableForms() {
    List<Object[]> docs = new ArrayList<>();
    docs.add(new Object[] {"d0", "2020-01", "Saudi Arabia's acquisitions worried the markets. The acquisition was approved."});
    for (int i = 1; i <= 6; i++) {
      docs.add(new Object[] {"d" + i, "2020-0" + i, "Officials in Saudi Arabia said oil prices were rising. Oil output fell " + i + " times."});
    }
    Tokenize.Result result = Tokenize.apply(rows(ARTICLES, docs), new Tokenize.Options(5, 0.5, 100, null));
    try {
      List<Row> d0 = result.tokens().filter("doc_id = 'd0'").orderBy("sentence").collectAsList();
      assertEquals(2, d0.size());
      assertEquals(0, (int) d0.get(0).getAs("sentence"));
      assertEquals(List.of("saudi", "arabia", "acquisitions", "worried", "markets"), list(d0.get(0), "tokens"));
      assertEquals(List.of("acquisition", "approved"), list(d0.get(1), "tokens"));
      List<String> stems = list(d0.get(0), "terms");
      assertEquals(5, stems.size());
      assertEquals(stems.get(2), list(d0.get(1), "terms").get(0), "acquisitions and acquisition share a stem");
      assertEquals(List.of("saudi arabia"), list(d0.get(0), "phrases"));

      List<String> phrases = result.phrases().select("term").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
      assertTrue(phrases.contains("saudi arabia"), phrases.toString());
      assertFalse(phrases.contains("officials saudi"), "only adjacent words: 'in' stands between them");
      assertFalse(phrases.contains("arabia said"), "stop words never start or end a phrase");
      Map<String, String> forms = result.termForms().collectAsList().stream()
          .collect(Collectors.toMap(r -> r.getAs("term"), r -> r.getAs("surface")));
      assertEquals("acquisitions", forms.get(stems.get(2)), "ties go to one fixed word");
      assertEquals("oil", forms.get("oil"));
      assertEquals("saudi arabia", forms.get("saudi arabia"));
      assertTrue(forms.values().stream().noneMatch(w -> w.equals("said") || w.equals("the")), "stop words are out");
    } finally {
      result.release();
    }
  }
}
