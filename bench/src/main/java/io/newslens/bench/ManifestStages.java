package io.newslens.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.util.Iterator;
import java.util.Map;

/**
 * Prints each stage entry of a run manifest as "stage TAB seconds TAB peak_heap_mb" (an empty
 * field when the manifest has no such value), for bench/run.sh. Prints nothing when the file is
 * missing or unreadable: the benchmark's own measurements do not depend on it.
 *
 * <pre>ManifestStages OUTPUT_DIR/manifest.json</pre>
 */
public final class ManifestStages {
  private ManifestStages() {}

  public static void main(String[] args) {
    try {
      JsonNode stages = new ObjectMapper().readTree(new File(args[0])).path("stages");
      for (Iterator<Map.Entry<String, JsonNode>> it = stages.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> stage = it.next();
        System.out.println(stage.getKey() + "\t" + text(stage.getValue().get("seconds"))
            + "\t" + text(stage.getValue().get("peak_heap_mb")));
      }
    } catch (Exception e) {
      System.err.println("ManifestStages: " + args[0] + ": " + e);
    }
  }

  private static String text(JsonNode node) {
    return node == null || !node.isNumber() ? "" : node.asText();
  }
}
