package io.newslens.common;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TablesDocTest {
  @Test
  void readmeDocumentsEveryTableExactlyAsDefined() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    assertTrue(readme.contains(Tables.markdown()),
        "README.md's schema section is out of date: regenerate it with io.newslens.common.Tables#main");
  }
}
