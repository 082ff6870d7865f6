package org.rumsessions.tables;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * The README lists every column of every table as the declarations say, between markers. When a
 * declaration changes, run this test with {@code -Drum.readme.update=true} to rewrite those lists.
 */
class TableDocsTest {
  private static final Path README = Path.of(System.getProperty("rum.project.dir", "."), "README.md");

  @Test
  void theReadmeListsEveryColumnAsDeclared() throws IOException {
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    String updated = readme;
    for (TableSpec t : Tables.ALL) {
      String begin = "<!-- columns of " + t.name() + ": generated from its declaration, see TableDocsTest -->\n";
      String end = "<!-- end of columns of " + t.name() + " -->";
      int from = updated.indexOf(begin);
      int to = updated.indexOf(end);
      Assertions.assertTrue(from >= 0 && to > from, "README.md has no marked column list for " + t.name() + ": " + begin);
      updated = updated.substring(0, from + begin.length()) + columns(t) + updated.substring(to);
    }
    if (!updated.equals(readme) && Boolean.getBoolean("rum.readme.update")) {
      Files.writeString(README, updated, StandardCharsets.UTF_8);
      return;
    }
    Assertions.assertEquals(
        readme, updated, "README.md's column lists differ from the table declarations; rerun with -Drum.readme.update=true");
  }

  /** Every leaf column of the table, nested names dotted, in declared order. */
  static String columns(TableSpec t) {
    StringBuilder b = new StringBuilder();
    b.append("<details><summary>Every column of <code>").append(t.name()).append("</code></summary>\n\n");
    b.append("| column | type | comment |\n|---|---|---|\n");
    for (ColumnSpec c : t.columns()) {
      b.append("| `").append(c.name()).append("` | ").append(c.type().simpleString()).append(" | ")
          .append(c.comment().replace("|", "\\|")).append(" |\n");
    }
    return b.append("\n</details>\n").toString();
  }
}
