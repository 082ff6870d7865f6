package org.rumsessions.sql;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive {@code sql} prompt: statements end with {@code ;}, arrow keys walk the history,
 * which is kept in {@code ~/.rum-sessions_history} across sessions.
 */
public final class Prompt {
  private Prompt() {}

  public static void run(PrintStream out, Consumer<String> execute) throws IOException {
    try (Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build()) {
      LineReader reader =
          LineReaderBuilder.builder()
              .terminal(terminal)
              .appName("rum-sessions")
              .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".rum-sessions_history"))
              .build();
      out.println("rum-sessions sql: tables user_sessions, user_events, rejected_events, pipeline_runs, input_files.");
      out.println("End statements with ';'. Ctrl-D quits.");
      StringBuilder statement = new StringBuilder();
      while (true) {
        String line;
        try {
          line = reader.readLine(statement.length() == 0 ? "sql> " : "   > ");
        } catch (UserInterruptException e) {
          statement.setLength(0);
          continue;
        } catch (EndOfFileException e) {
          return;
        }
        String trimmed = line.strip();
        if (statement.length() == 0 && (trimmed.equalsIgnoreCase("quit") || trimmed.equalsIgnoreCase("exit"))) {
          return;
        }
        statement.append(line).append('\n');
        if (trimmed.endsWith(";")) {
          String sql = statement.toString().strip();
          statement.setLength(0);
          sql = sql.substring(0, sql.length() - 1);
          if (!sql.isBlank()) {
            try {
              execute.accept(sql);
            } catch (Exception e) {
              // Spark's AnalysisException is a checked exception to Java; a bad query must not end the prompt.
              out.println("error: " + firstLine(e));
            }
          }
        }
      }
    }
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
