package org.rumsessions.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The configuration a command runs with, resolved once from three sources in this order: a
 * command-line flag wins over the file, and the file over the default. Every value is typed and
 * checked here; a bad one is a {@link ConfigException} that names its key and what is allowed.
 * The defaults are the data model's (section 2 and 5) and the README's configuration table.
 */
public record PipelineConfig(Input input, Warehouse warehouse, Session session, Quality quality, Spark spark, Privacy privacy) {
  public static final String DEFAULT_TIMEOUT = "30m";
  public static final String DEFAULT_MAX_DURATION = "6h";
  public static final int DEFAULT_MAX_PROPERTIES = 100;
  public static final double DEFAULT_MAX_REJECTED_FRACTION = 0.05;
  public static final String DEFAULT_MASTER = "local[*]";
  public static final String DEFAULT_APP_NAME = "rum-sessions";
  public static final String DEFAULT_USER_TAG_KEY_ENV = "RUM_USER_TAG_KEY";

  /** {@code scheme://user:secret@host}; {@code abfss://container@account} has no colon there. */
  private static final Pattern LOGIN_IN_URI = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://[^/@]*:[^/@]*@");

  private static final String CREDENTIALS_NOT_IN_PATHS =
      "holds a login (user:secret@) in its URI; give object store credentials through the environment,"
          + " the instance's role or spark.conf (see conf/s3.example.yaml), never in a path";

  private static final ObjectMapper JSON = new ObjectMapper();

  public PipelineConfig {
    require(
        input != null && warehouse != null && session != null && quality != null && spark != null && privacy != null,
        "(all)",
        "every section is required");
  }

  /**
   * The configuration from the file, the flags and the defaults, flag over file over default,
   * checked for what the command {@code needs}.
   */
  public static PipelineConfig resolve(ConfigFile file, ConfigFlags flags, Needs needs) {
    return resolve(file, flags, needs, System::getenv);
  }

  /**
   * As {@link #resolve(ConfigFile, ConfigFlags, Needs)}, with the environment variables (where the
   * keys of {@code privacy} are read from) given as a function of their name.
   */
  public static PipelineConfig resolve(ConfigFile file, ConfigFlags flags, Needs needs, Function<String, String> env) {
    String inputPath = first(flags.inputPath(), file.input().path());
    String format = first(flags.inputFormat(), file.input().format(), InputFormat.JSON.label());
    String warehouse = first(flags.warehousePath(), file.warehouse().path());
    if (needs == Needs.INPUT_AND_WAREHOUSE) {
      require(inputPath != null && !inputPath.isBlank(), "input.path", "a path to the raw events is required (or --input)");
    }
    if (needs != Needs.SPARK) {
      require(warehouse != null && !warehouse.isBlank(), "warehouse.path", "a path for the output tables is required (or --warehouse)");
    }
    // Said without the path: Hadoop logs a file system URI as it is, secret and all.
    require(inputPath == null || !LOGIN_IN_URI.matcher(inputPath).find(), "input.path", CREDENTIALS_NOT_IN_PATHS);
    require(warehouse == null || !LOGIN_IN_URI.matcher(warehouse).find(), "warehouse.path", CREDENTIALS_NOT_IN_PATHS);
    ConfigFile.Session s = file.session();
    Map<String, String> conf = file.spark().conf() == null ? Map.of() : file.spark().conf();
    return new PipelineConfig(
        new Input(inputPath, InputFormat.parse(flags.inputFormat() != null ? "--input-format" : "input.format", format)),
        new Warehouse(warehouse),
        new Session(
            Durations.parse("session.timeout", first(s.timeout(), DEFAULT_TIMEOUT)),
            Durations.parse("session.max-duration", first(s.maxDuration(), DEFAULT_MAX_DURATION)),
            s.maxProperties() == null ? DEFAULT_MAX_PROPERTIES : s.maxProperties()),
        new Quality(file.quality().maxRejectedFraction() == null ? DEFAULT_MAX_REJECTED_FRACTION : file.quality().maxRejectedFraction()),
        new Spark(first(file.spark().master(), DEFAULT_MASTER), first(file.spark().appName(), DEFAULT_APP_NAME), conf),
        Privacy.resolve(file.privacy(), env, needs == Needs.INPUT_AND_WAREHOUSE || needs == Needs.WAREHOUSE_AND_TAG_KEYS));
  }

  /** The defaults with the given input and warehouse paths. */
  public static PipelineConfig of(String inputPath, String warehousePath) {
    return resolve(ConfigFile.empty(), new ConfigFlags(inputPath, null, warehousePath), Needs.INPUT_AND_WAREHOUSE);
  }

  public PipelineConfig with(Input i) {
    return new PipelineConfig(i, warehouse, session, quality, spark, privacy);
  }

  public PipelineConfig with(Session s) {
    return new PipelineConfig(input, warehouse, s, quality, spark, privacy);
  }

  public PipelineConfig with(Quality q) {
    return new PipelineConfig(input, warehouse, session, q, spark, privacy);
  }

  public PipelineConfig with(Spark s) {
    return new PipelineConfig(input, warehouse, session, quality, s, privacy);
  }

  public PipelineConfig with(Privacy p) {
    return new PipelineConfig(input, warehouse, session, quality, spark, p);
  }

  /** Where raw events are read from; the path is null for commands that read no input. */
  public record Input(String path, InputFormat format) {
    public Input {
      require(format != null, "input.format", "allowed: " + InputFormat.allowed());
    }
  }

  /** Where the Delta tables live: one folder per table under {@code path}. */
  public record Warehouse(String path) {}

  /** The session rules of the data model (section 2). */
  public record Session(Duration timeout, Duration maxDuration, int maxProperties) {
    // Declared before DEFAULT, whose construction checks against it.
    private static final Duration LONGEST = Duration.ofDays(7);

    public static final Session DEFAULT =
        new Session(
            Durations.parse("session.timeout", DEFAULT_TIMEOUT),
            Durations.parse("session.max-duration", DEFAULT_MAX_DURATION),
            DEFAULT_MAX_PROPERTIES);

    public Session {
      require(timeout != null && timeout.compareTo(Duration.ZERO) > 0, "session.timeout", "must be greater than zero, was " + text(timeout));
      require(maxDuration != null && maxDuration.compareTo(Duration.ZERO) > 0, "session.max-duration", "must be greater than zero, was " + text(maxDuration));
      require(
          timeout.compareTo(LONGEST) <= 0 && maxDuration.compareTo(LONGEST) <= 0,
          "session.timeout / session.max-duration",
          "at most 7 days each, since a run reads that much input around its dates");
      require(maxProperties >= 0 && maxProperties <= 10_000, "session.max-properties", "must be a whole number from 0 to 10000, was " + maxProperties);
    }

    public Session withMaxProperties(int n) {
      return new Session(timeout, maxDuration, n);
    }

    /**
     * Days a run reads on each side of its range (data model, section 5): at least one, and enough
     * that any session that touches the range, timeout + max duration long at most, is seen whole.
     */
    public int paddingDays() {
      long day = Duration.ofDays(1).toNanos();
      long ns = timeout.toNanos() + maxDuration.toNanos();
      return (int) Math.max(1, (ns + day - 1) / day);
    }

    private static String text(Duration d) {
      return d == null ? "nothing" : Durations.format(d);
    }
  }

  /** When a run refuses to write because its input is too broken. */
  public record Quality(double maxRejectedFraction) {
    public static final Quality DEFAULT = new Quality(DEFAULT_MAX_REJECTED_FRACTION);

    public Quality {
      require(
          !Double.isNaN(maxRejectedFraction) && maxRejectedFraction >= 0.0 && maxRejectedFraction <= 1.0,
          "quality.max-rejected-fraction",
          "must be a number from 0 to 1, was " + maxRejectedFraction);
    }
  }

  /**
   * Spark settings. {@code master} applies only when the job is not started by spark-submit (which
   * sets its own); {@code conf} entries are passed to the session unless spark-submit sets the same
   * key, since a flag wins over the file.
   */
  public record Spark(String master, String appName, Map<String, String> conf) {
    public Spark {
      require(master != null && !master.isBlank(), "spark.master", "must not be empty");
      require(appName != null && !appName.isBlank(), "spark.app-name", "must not be empty");
      require(conf != null, "spark.conf", "must be a mapping of Spark settings to values");
      for (Map.Entry<String, String> e : conf.entrySet()) {
        require(e.getValue() != null, "spark.conf." + e.getKey(), "needs a value");
      }
      conf = Collections.unmodifiableMap(new LinkedHashMap<>(conf));
    }
  }

  /**
   * What the tables get of the personal data in events (data model, section 6): client IP addresses
   * masked, kept or dropped; user tags kept, hashed with a secret key, or dropped. The keys are read
   * from the environment variables the file names, never from the file; {@code key} is null when
   * its variable is not set, which only a command that hashes or looks for hashed tags refuses.
   *
   * @param previousKeyEnvs variables of keys that hashed tags before the current one, so that
   *     {@code forget} still finds the tags they hashed
   */
  public record Privacy(
      ClientIpMode clientIp,
      UserTagMode userTag,
      String keyEnv,
      List<String> previousKeyEnvs,
      TagKey key,
      List<TagKey> previousKeys) {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public static final Privacy DEFAULT =
        new Privacy(ClientIpMode.MASK, UserTagMode.KEEP, DEFAULT_USER_TAG_KEY_ENV, List.of(), null, List.of());

    public Privacy {
      require(clientIp != null, "privacy.client-ip", "allowed: " + ClientIpMode.allowed());
      require(userTag != null, "privacy.user-tag", "allowed: " + UserTagMode.allowed());
      require(
          keyEnv != null && ENV_NAME.matcher(keyEnv).matches(),
          "privacy.user-tag-key-env",
          "must be the name of an environment variable (letters, digits, _), was '" + keyEnv + "'");
      require(previousKeyEnvs != null, "privacy.user-tag-previous-key-envs", "must be a list of environment variable names");
      for (String e : previousKeyEnvs) {
        require(
            e != null && ENV_NAME.matcher(e).matches(),
            "privacy.user-tag-previous-key-envs",
            "must name environment variables (letters, digits, _), was '" + e + "'");
      }
      previousKeyEnvs = List.copyOf(previousKeyEnvs);
      previousKeys = previousKeys == null ? List.of() : List.copyOf(previousKeys);
    }

    /** Modes as given, keys from the environment; with {@code needsKeys}, a missing key is an error. */
    static Privacy resolve(ConfigFile.Privacy file, Function<String, String> env, boolean needsKeys) {
      ClientIpMode ip = ClientIpMode.parse("privacy.client-ip", first(file.clientIp(), ClientIpMode.MASK.label()));
      UserTagMode tag = UserTagMode.parse("privacy.user-tag", first(file.userTag(), UserTagMode.KEEP.label()));
      String keyEnv = first(file.userTagKeyEnv(), DEFAULT_USER_TAG_KEY_ENV);
      List<String> previousEnvs = file.userTagPreviousKeyEnvs() == null ? List.of() : file.userTagPreviousKeyEnvs();
      // Checks the names before any variable is read.
      new Privacy(ip, tag, keyEnv, previousEnvs, null, List.of());
      TagKey key = keyFrom(env, keyEnv);
      if (tag == UserTagMode.HASH && needsKeys) {
        require(
            key != null,
            "privacy.user-tag-key-env",
            "privacy.user-tag is hash, but the environment variable " + keyEnv
                + " that must hold the secret key is not set or empty; set it (never in the file)");
      }
      List<TagKey> previous = new ArrayList<>();
      for (String e : previousEnvs) {
        TagKey k = keyFrom(env, e);
        if (k == null && tag == UserTagMode.HASH && needsKeys) {
          throw new ConfigException(
              "privacy.user-tag-previous-key-envs: the environment variable " + e + " that must hold a previous key is not set or empty");
        }
        if (k != null) {
          previous.add(k);
        }
      }
      return new Privacy(ip, tag, keyEnv, previousEnvs, key, previous);
    }

    private static TagKey keyFrom(Function<String, String> env, String name) {
      String v = env.apply(name);
      return v == null || v.isEmpty() ? null : TagKey.of(v);
    }

    /** Every key this configuration knows, the current one first. */
    public List<TagKey> allKeys() {
      List<TagKey> all = new ArrayList<>();
      if (key != null) {
        all.add(key);
      }
      previousKeys.stream().filter(k -> !all.contains(k)).forEach(all::add);
      return all;
    }
  }

  /**
   * The configuration as JSON, keyed as in the file, for the run record. Spark settings that may
   * hold credentials are written as "(redacted)".
   */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode in = root.putObject("input");
    in.put("path", input.path());
    in.put("format", input.format().label());
    root.putObject("warehouse").put("path", warehouse.path());
    ObjectNode s = root.putObject("session");
    s.put("timeout", Durations.format(session.timeout()));
    s.put("max-duration", Durations.format(session.maxDuration()));
    s.put("max-properties", session.maxProperties());
    root.putObject("quality").put("max-rejected-fraction", quality.maxRejectedFraction());
    ObjectNode sp = root.putObject("spark");
    sp.put("master", spark.master());
    sp.put("app-name", spark.appName());
    ObjectNode conf = sp.putObject("conf");
    spark.conf().forEach((k, v) -> conf.put(k, Redaction.hides(k, v) ? Redaction.HIDDEN : v));
    // The names of the key variables and the current key's id; never a key.
    ObjectNode p = root.putObject("privacy");
    p.put("client-ip", privacy.clientIp().label());
    p.put("user-tag", privacy.userTag().label());
    p.put("user-tag-key-env", privacy.keyEnv());
    privacy.previousKeyEnvs().forEach(p.putArray("user-tag-previous-key-envs")::add);
    if (privacy.userTag() == UserTagMode.HASH && privacy.key() != null) {
      p.put("user-tag-key-id", privacy.key().id());
    }
    return root.toString();
  }

  /** Whether a Spark setting's value may be a credential, by its name. */
  public static boolean isSecret(String key) {
    return Redaction.hides(key, null);
  }

  @SafeVarargs
  private static <T> T first(T... values) {
    for (T v : values) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static void require(boolean ok, String key, String what) {
    if (!ok) {
      throw new ConfigException(key + ": " + what);
    }
  }
}
