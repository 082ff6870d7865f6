package org.rumsessions.cli;

import java.io.PrintWriter;
import org.rumsessions.common.Termination;
import org.rumsessions.common.Version;
import org.rumsessions.config.ConfigException;
import org.rumsessions.read.MissingInputException;
import org.rumsessions.run.RejectedFractionExceededException;
import org.rumsessions.run.WriteFailedException;
import org.rumsessions.write.Recovery;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: {@code rum-sessions sessionize | sql | generate | maintain | forget}. */
@Command(
    name = "rum-sessions",
    mixinStandardHelpOptions = true,
    versionProvider = RumSessions.VersionProvider.class,
    description = "Sessionize Real User Monitoring events into Delta Lake session summary tables.",
    subcommands = {
      SessionizeCommand.class,
      SqlCommand.class,
      GenerateCommand.class,
      MaintainCommand.class,
      ForgetCommand.class,
      CommandLine.HelpCommand.class
    })
public final class RumSessions implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** How long a stopped command may take to roll back before the JVM exits regardless. */
  private static final long STOP_GRACE_MS = 120_000;

  public static void main(String[] args) {
    stopOnSigterm();
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
          return ExitCode.USAGE;
        });
    try {
      return cl.execute(args);
    } catch (Throwable e) {
      // An Error (OutOfMemoryError, Hadoop's FSError) passes picocli's handler by.
      return fail(cl.getErr(), e);
    }
  }

  /**
   * SIGTERM, what schedulers send on a timeout, would stop Spark under the command's feet. Instead
   * the command is asked to stop: its Spark jobs are cancelled, it rolls back what it had committed
   * and ends with its plain last line. If that takes longer than {@link #STOP_GRACE_MS}, the JVM
   * exits anyway; the run's record stays, and the next command on the warehouse repairs it.
   */
  private static void stopOnSigterm() {
    try {
      sun.misc.Signal.handle(
          new sun.misc.Signal("TERM"),
          signal -> {
            Termination.request();
            Thread deadline =
                new Thread(
                    () -> {
                      try {
                        Thread.sleep(STOP_GRACE_MS);
                      } catch (InterruptedException e) {
                        return;
                      }
                      System.err.println(
                          "rum-sessions: stopped by SIGTERM; the rollback did not finish within " + STOP_GRACE_MS / 1000
                              + " s. The next rum-sessions command on this warehouse repairs the tables.");
                      System.err.flush();
                      Runtime.getRuntime().halt(ExitCode.STOPPED);
                    },
                    "rum-sessions-stop-deadline");
            deadline.setDaemon(true);
            deadline.start();
          });
    } catch (IllegalArgumentException e) {
      // The JVM reserves the signal (-Xrs): the default handling stays.
    }
  }

  /** Maps a failure to its exit code and ends with one plain line: what failed, what state the tables are in, what to do. */
  static int fail(PrintWriter err, Throwable e) {
    int code;
    String line;
    if (Termination.requested()) {
      code = ExitCode.STOPPED;
      String state = e instanceof WriteFailedException w ? w.tablesState() : "No table was changed.";
      line = "stopped by SIGTERM. " + state + " Run it again to complete it.";
    } else if (e instanceof ConfigException) {
      code = ExitCode.USAGE;
      line = "configuration error: " + e.getMessage() + ". Fix the file or the flag and run again.";
    } else if (e instanceof UsageException) {
      code = ExitCode.USAGE;
      line = "usage error: " + e.getMessage() + ". See rum-sessions help.";
    } else if (e instanceof RejectedFractionExceededException) {
      code = ExitCode.TOO_MANY_REJECTED;
      line = "too many rejected records: " + e.getMessage()
          + ". Inspect the input, or raise quality.max-rejected-fraction if this is expected.";
    } else if (e instanceof MissingInputException) {
      code = ExitCode.FAILED;
      line = "input missing: " + e.getMessage() + ". Check --input and the dates; nothing was written.";
    } else if (e instanceof WriteFailedException w) {
      code = ExitCode.FAILED;
      line = "run failed: " + rootMessage(e) + ". " + w.tablesState() + " See the log above.";
    } else if (e instanceof Recovery.RepairFailedException) {
      code = ExitCode.FAILED;
      line = "repair failed: " + e.getMessage() + ".";
    } else {
      code = ExitCode.FAILED;
      line = "run failed: " + rootMessage(e) + ". No table was changed; see the log above and run again once fixed.";
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
