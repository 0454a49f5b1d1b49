package io.newslens;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Every text of the sample corpora in {@code data/}: real articles for the annotator tests. */
public final class SampleTexts {
  private SampleTexts() {}

  public static List<String> all() throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> texts = new ArrayList<>();
    for (String file : List.of("data/sotu-sample.jsonl", "data/europarl-sample.jsonl")) {
      try (BufferedReader reader = Files.newBufferedReader(Path.of(file))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          texts.add(json.readTree(line).get("text").asText());
        }
      }
    }
    texts.add(Files.readString(Path.of("data/sample-article/us-iran-talks-baghdad.txt")));
    return texts;
  }
}
