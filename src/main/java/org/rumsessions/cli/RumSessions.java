package org.rumsessions.cli;

import java.io.PrintWriter;
import org.rumsessions.config.ConfigException;
import org.rumsessions.read.MissingInputException;
import org.rumsessions.run.RejectedFractionExceededException;
import org.rumsessions.common.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: {@code rum-sessions sessionize | sql}. */
@Command(
    name = "rum-sessions",
    mixinStandardHelpOptions = true,
    versionProvider = RumSessions.VersionProvider.class,
    description = "Sessionize Real User Monitoring events into Delta Lake session summary tables.",
    subcommands = {
      SessionizeCommand.class,
      SqlCommand.class,
      org.rumsessions.cli.GenerateCommand.class,
      org.rumsessions.cli.MaintainCommand.class,
      CommandLine.HelpCommand.class
    })
public final class RumSessions implements Runnable {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  public static final int TOO_MANY_REJECTED = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  public static int execute(String... args) {
    CommandLine cl = new CommandLine(new RumSessions());
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> fail(commandLine.getErr(), e));
    cl.setParameterExceptionHandler(
        (e, args1) -> {
          PrintWriter err = e.getCommandLine().getErr();
          err.println(e.getMessage());
          e.getCommandLine().usage(err);
          err.println("rum-sessions: usage error: " + e.getMessage() + ". See the usage above.");
          err.flush();
          return USAGE;
        });
    return cl.execute(args);
  }

  /** Maps a failure to its exit code and ends with one plain line: what failed, what to do. */
  static int fail(PrintWriter err, Exception e) {
    int code;
    String line;
    if (e instanceof ConfigException) {
      code = USAGE;
      line = "configuration error: " + e.getMessage() + ". Fix the file or the flag and run again.";
    } else if (e instanceof UsageException) {
      code = USAGE;
      line = "usage error: " + e.getMessage() + ". See rum-sessions help.";
    } else if (e instanceof RejectedFractionExceededException) {
      code = TOO_MANY_REJECTED;
      line = "too many rejected records: " + e.getMessage()
          + ". Inspect the input, or raise quality.max-rejected-fraction if this is expected.";
    } else if (e instanceof MissingInputException) {
      code = FAILED;
      line = "input missing: " + e.getMessage() + ". Check --input and the dates; nothing was written.";
    } else {
      code = FAILED;
      line = "run failed: " + rootMessage(e)
          + ". The tables were left as they were; see the log above and run again once fixed.";
    }
    err.println("rum-sessions: " + line.replace('\n', ' '));
    err.flush();
    return code;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? "" : t.getMessage();
    int nl = m.indexOf('\n');
    m = nl < 0 ? m : m.substring(0, nl);
    return t.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + m);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** picocli's {@code --version}. */
  public static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"rum-sessions " + Version.get()};
    }
  }
}
