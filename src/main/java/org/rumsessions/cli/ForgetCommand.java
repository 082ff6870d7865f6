package org.rumsessions.cli;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.rumsessions.common.SparkSessions;
import org.rumsessions.config.ConfigFlags;
import org.rumsessions.config.Needs;
import org.rumsessions.config.PipelineConfig;
import org.rumsessions.run.ForgetJob;
import org.rumsessions.tables.Tables;
import org.rumsessions.write.DeltaTables;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rum-sessions forget}: erase a person from every table, and keep them out of later runs. */
@Command(
    name = "forget",
    mixinStandardHelpOptions = true,
    description = {
      "Delete a person's data from every table, over all dates: every session with the user tag (as received or"
          + " hashed) or the session id, all its events, and the rejected records that name either; then record a"
          + " tombstone (a SHA-256, never the value) that every later sessionize run applies.",
      "The tag or id is never printed. Do not run it while a sessionize run writes to the same warehouse."
    })
final class ForgetCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;
  @Mixin WarehouseOption warehouse;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Who who;

  static final class Who {
    @Option(names = "--user-tag", paramLabel = "TAG", description = "The person's user tag (dt.rum.user_tag or user.identifier), as the application sent it")
    String userTag;

    @Option(names = "--session-id", paramLabel = "ID", description = "A session id (dt.rum.session.id)")
    String sessionId;
  }

  @Option(names = "--dry-run", description = "Change nothing: count what would be deleted")
  boolean dryRun;

  @Override
  public Integer call() {
    ForgetJob.By by = who.userTag != null ? ForgetJob.By.USER_TAG : ForgetJob.By.SESSION_ID;
    String value = who.userTag != null ? who.userTag : who.sessionId;
    if (value.isEmpty()) {
      throw new UsageException("the " + by.label() + " must not be empty");
    }
    ForgetJob.Person person = new ForgetJob.Person(by, value);
    // Looking for hashed tags needs the keys; a session id is found as it is.
    PipelineConfig config =
        options.resolve(
            new ConfigFlags(null, null, warehouse.warehouse),
            person.by() == ForgetJob.By.USER_TAG ? Needs.WAREHOUSE_AND_TAG_KEYS : Needs.WAREHOUSE);
    SparkSession spark = SparkSessions.create(config);
    try {
      DeltaTables tables = Repairs.open(spark, config, "forget", System.out);
      if (!(tables.exists(Tables.SESSIONS) || tables.exists(Tables.EVENTS) || tables.exists(Tables.REJECTED))) {
        // A mistyped warehouse would otherwise get tables of its own, and the report a reassuring 0.
        throw new UsageException(
            "there are no rum-sessions tables under " + config.warehouse().path() + "; give the warehouse that sessionize writes"
                + " (--warehouse or warehouse.path)");
      }
      System.out.print(new ForgetJob(spark, config).run(person, dryRun).report());
      System.out.flush();
      return ExitCode.OK;
    } finally {
      spark.stop();
    }
  }
}
