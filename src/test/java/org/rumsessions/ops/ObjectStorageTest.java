package org.rumsessions.ops;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Input and warehouse on object storage through the S3 API, end to end: a real S3 server (s3proxy,
 * started from its runnable jar as a child process on loopback, checking every request's AWS
 * signature) and the command line as users run it, through jobs/rum-sessions and the S3A connector
 * it carries. The same runs over the same input on local disk must give the same tables, row for
 * row, and no credential may appear in any output or in pipeline_runs.config.
 *
 * <p>Each call starts a JVM and Spark, so the calls are few and the input small; the order of the
 * calls is the story of a warehouse: a range, its rerun, a run refused for its rejected records,
 * late data picked up by --changed, maintenance, and queries throughout.
 */
class ObjectStorageTest {
  private static final String BUCKET = "rum-test";
  private static final String S3_INPUT = "s3a://" + BUCKET + "/raw";
  private static final String S3_WAREHOUSE = "s3a://" + BUCKET + "/warehouse";
  private static final String FROM = "2026-11-25";
  private static final String TO = "2026-11-27";
  // A guard against a hung call, not a performance goal: on a busy machine maintain alone took 5 minutes.
  private static final Duration CALL = Duration.ofMinutes(10);
  private static final List<String> TABLES = List.of("user_sessions", "user_events", "rejected_events", "pipeline_runs", "input_files");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private static Path tmp;
  private static Path logs;
  private static Process s3proxy;
  private static String endpoint;
  private static String accessKey;
  private static String secretKey;
  /** A setting Spark's default redaction would print (fs.azure.account.key.*), in every S3 run's configuration. */
  private static String azureKey;
  private static FileSystem s3;
  private static int calls;

  @BeforeAll
  static void startS3() throws Exception {
    Path jar = Processes.ROOT.resolve("target/s3proxy/s3proxy.jar");
    assertTrue(Files.isRegularFile(jar), jar + " is missing: the Maven build copies it there (generate-test-resources)");
    // Under target/, where the logs of every call stay for a look after a failure.
    tmp = Files.createDirectories(Processes.ROOT.resolve("target/object-storage-test/run-" + System.currentTimeMillis()));
    logs = tmp.resolve("logs");
    // Fresh per run, so that a hit in any output can only come from this test's configuration.
    accessKey = "AKIA" + random("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
    secretKey = random("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+", 40);
    azureKey = random("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 40);

    int port = freePort();
    endpoint = "http://127.0.0.1:" + port;
    Path properties = tmp.resolve("s3proxy.properties");
    Files.writeString(properties, String.join("\n",
        "s3proxy.endpoint=" + endpoint,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + accessKey,
        "s3proxy.credential=" + secretKey,
        "jclouds.provider=filesystem-nio2",
        "jclouds.filesystem.basedir=" + Files.createDirectories(tmp.resolve("s3-data")),
        ""));
    s3proxy = Processes.builder(logs, "s3proxy", Map.of(), List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
            "-jar", jar.toString(), "--properties", properties.toString()))
        .start();
    awaitS3();
    createBucket();

    Configuration conf = new Configuration();
    s3Settings(true, secretKey).forEach((k, v) -> conf.set(k.substring("spark.hadoop.".length()), v));
    // Not the cached instance: nothing else in this JVM shares its settings.
    s3 = FileSystem.newInstance(URI.create("s3a://" + BUCKET + "/"), conf);
  }

  @AfterAll
  static void stopS3() throws Exception {
    if (s3 != null) {
      s3.close();
    }
    Processes.stop(s3proxy);
    if (tmp != null) {
      try (Stream<Path> s = Files.walk(tmp)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).filter(p -> !p.startsWith(logs) && !logs.startsWith(p)).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @Test
  void theTablesOnS3AreThoseOfLocalDiskThroughRerunsFailuresLateDataAndMaintenance() throws Exception {
    Path localRaw = StandaloneClusterTest.writeInput(tmp.resolve("raw"));
    s3.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(localRaw.toUri()), new org.apache.hadoop.fs.Path(S3_INPUT));
    Path s3Config = config("s3.yaml", S3_INPUT, S3_WAREHOUSE, "0.5", s3Settings(true, secretKey));
    Path localWarehouse = tmp.resolve("warehouse-local");
    Path localConfig = config("local.yaml", localRaw.toString(), localWarehouse.toString(), "0.5", Map.of());

    // A range, then the same range again: the second run replaces it with the same content.
    Processes.Result first = cli("sessionize", "--config", s3Config.toString(), "--from", FROM, "--to", TO);
    assertEquals(0, first.exit(), first.describe());
    assertTrue(first.out().contains("sessions written"), first.describe());
    // Spark printed its configuration (spark.logConf), the object store keys hidden.
    assertTrue(first.err().contains("spark.hadoop.fs.azure.account.key.") && first.err().contains("spark.hadoop.fs.s3a.access.key"),
        "Spark's configuration was not logged: " + first.describe());
    Map<String, Long> afterFirst = versions();
    Processes.Result rerun = cli("sessionize", "--config", s3Config.toString(), "--from", FROM, "--to", TO);
    assertEquals(0, rerun.exit(), rerun.describe());

    // Too many rejected records: exit 3, and not one object of the warehouse changed.
    TreeMap<String, String> objects = objects(S3_WAREHOUSE);
    Path strict = config("strict.yaml", S3_INPUT, S3_WAREHOUSE, "0.01", s3Settings(true, secretKey));
    Processes.Result refused = cli("sessionize", "--config", strict.toString(), "--from", FROM, "--to", TO);
    assertEquals(3, refused.exit(), refused.describe());
    assertTrue(lastLine(refused.err()).startsWith("rum-sessions: too many rejected records"), refused.describe());
    assertEquals(objects, objects(S3_WAREHOUSE), "the refused run changed the warehouse");

    // sql over s3a: the tables by name, and through time travel as the first run left them.
    List<String> queries = new ArrayList<>();
    for (String t : TABLES) {
      queries.add("SELECT 'now." + t + "' AS _t, * FROM " + t);
      queries.add("SELECT 'first." + t + "' AS _t, * FROM delta.`" + S3_WAREHOUSE + "/" + t + "` VERSION AS OF " + afterFirst.get(t));
    }
    Processes.Result dump = cli(sqlArgs(s3Config, queries));
    assertEquals(0, dump.exit(), dump.describe());
    Map<String, List<ObjectNode>> tables = byTable(dump.out());
    for (String t : List.of("user_sessions", "user_events", "rejected_events")) {
      assertFalse(tables.get("now." + t).isEmpty(), t + " is empty");
      assertEquals(sorted(tables.get("first." + t)), sorted(tables.get("now." + t)), t + " changed on rerun");
    }
    assertEquals(sorted(tables.get("first.input_files"), "run_id"), sorted(tables.get("now.input_files"), "run_id"));
    List<String> runRows = sorted(tables.get("now.pipeline_runs"), "run_id", "started_at", "ended_at");
    assertEquals(2, runRows.size(), "one pipeline_runs row per successful run: " + runRows);
    assertEquals(runRows.get(0), runRows.get(1), "the rerun counted what the first run counted");
    String recordedConfig = tables.get("now.pipeline_runs").get(0).get("config").asText();
    assertTrue(recordedConfig.contains("\"spark.hadoop.fs.s3a.access.key\":\"(redacted)\"")
        && recordedConfig.contains("\"spark.hadoop.fs.s3a.bucket." + BUCKET + ".secret.key\":\"(redacted)\""), recordedConfig);

    // Late data: a file uploaded after the runs. --changed must see the new object and recompute
    // the date its events start on and the dates their session already had events on, nothing else.
    Processes.Result local = cli("sessionize", "--config", localConfig.toString(), "--from", FROM, "--to", TO);
    assertEquals(0, local.exit(), local.describe());
    Path late = localRaw.resolve("date=2026-11-26/late.jsonl");
    Files.writeString(late, String.join("\n",
        "{\"dt.rum.session.id\":\"s2\",\"id\":\"e20\",\"start_time\":\"2026-11-26T00:20:00Z\",\"characteristics.has_request\":true,\"http.response.status_code\":404}",
        "{\"dt.rum.session.id\":\"s8\",\"id\":\"e21\",\"start_time\":\"2026-11-26T16:00:00Z\",\"characteristics.has_navigation\":true}",
        ""));
    s3.copyFromLocalFile(new org.apache.hadoop.fs.Path(late.toUri()), new org.apache.hadoop.fs.Path(S3_INPUT + "/date=2026-11-26/late.jsonl"));
    Processes.Result changed = cli("sessionize", "--config", s3Config.toString(), "--changed");
    assertEquals(0, changed.exit(), changed.describe());
    assertTrue(changed.out().contains("sessionize 2026-11-25..2026-11-26 "), changed.describe());
    Processes.Result localChanged = cli("sessionize", "--config", localConfig.toString(), "--changed");
    assertEquals(0, localChanged.exit(), localChanged.describe());

    // Maintenance with credentials from the environment, as conf/s3.example.yaml advises: OPTIMIZE,
    // then a VACUUM that really deletes the files the rerun and --changed replaced.
    Path envConfig = config("s3-env.yaml", S3_INPUT, S3_WAREHOUSE, "0.5", s3Settings(false, null));
    Processes.Result maintain = cli(Map.of("AWS_ACCESS_KEY_ID", accessKey, "AWS_SECRET_ACCESS_KEY", secretKey),
        "maintain", "--config", envConfig.toString(), "--retention", "0h", "--force", "--all-partitions");
    assertEquals(0, maintain.exit(), maintain.describe());
    Matcher deleted = Pattern.compile("user_events\\n(?:.*\\n)*?\\s+vacuum\\s+retain [^:\\n]+: ([\\d,]+) files deleted").matcher(maintain.out());
    assertTrue(deleted.find() && Long.parseLong(deleted.group(1).replace(",", "")) > 0,
        "VACUUM deleted the replaced files of user_events: " + maintain.describe());

    // Every table, as on local disk.
    queries.clear();
    for (String t : TABLES) {
      queries.add("SELECT 's3." + t + "' AS _t, * FROM " + t);
      queries.add("SELECT 'local." + t + "' AS _t, * FROM delta.`" + localWarehouse.resolve(t) + "`");
    }
    Processes.Result compare = cli(sqlArgs(s3Config, queries));
    assertEquals(0, compare.exit(), compare.describe());
    tables = byTable(compare.out().replace("file:" + localRaw, "<input>").replace(S3_INPUT, "<input>"));
    for (String t : List.of("user_sessions", "user_events")) {
      assertEquals(sorted(tables.get("local." + t)), sorted(tables.get("s3." + t)), t + " differs between S3 and local disk");
    }
    assertEquals(sorted(tables.get("local.rejected_events"), "run_id"), sorted(tables.get("s3.rejected_events"), "run_id"));
    assertEquals(
        sorted(tables.get("local.input_files"), "run_id", "modification_time"),
        sorted(tables.get("s3.input_files"), "run_id", "modification_time"));
    assertTrue(tables.get("s3.input_files").stream().anyMatch(r -> r.get("path").asText().endsWith("/late.jsonl")));
    // The same runs, but for the rerun; the configuration names different paths and keys.
    List<String> s3Runs = sorted(tables.get("s3.pipeline_runs"), "run_id", "started_at", "ended_at", "config");
    assertEquals(3, s3Runs.size());
    assertEquals(sorted(tables.get("local.pipeline_runs"), "run_id", "started_at", "ended_at", "config"),
        new ArrayList<>(new TreeSet<>(s3Runs)));
    ObjectNode lastRun = tables.get("s3.pipeline_runs").stream()
        .max(Comparator.comparing(r -> r.get("ended_at").asText())).orElseThrow();
    assertEquals("changed", lastRun.get("trigger").asText());
    assertEquals("2026-11-25", lastRun.get("from_date").asText());
    assertEquals("2026-11-26", lastRun.get("to_date").asText());
    String reason = lastRun.get("reason").asText();
    assertTrue(reason.contains("2026-11-25: ") && reason.contains("2026-11-26: ") && reason.contains("new input files"), reason);
    assertTrue(tables.get("s3.user_sessions").stream().anyMatch(r -> r.at("/dt/rum/session/id").asText().equals("s8")),
        "the late file's new session was written");
  }

  @Test
  void aWrongSecretFailsWithAPlainMessageThatShowsNoCredential() throws Exception {
    String wrong = random("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 40);
    Path bad = config("wrong-secret.yaml", S3_INPUT, S3_WAREHOUSE, "0.5", s3Settings(true, wrong));
    Processes.Result r = cli(List.of(wrong), Map.of(), "sessionize", "--config", bad.toString(), "--date", "2026-11-26");
    assertEquals(1, r.exit(), r.describe());
    String last = lastLine(r.err());
    assertTrue(last.startsWith("rum-sessions: run failed: ") && last.contains("403"), r.describe());
  }

  /**
   * The S3A settings of the runs, as spark.conf entries. With {@code keysInFile} false the keys come
   * from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, which Spark copies into fs.s3a.access.key and
   * fs.s3a.secret.key: the first source of S3A's default chain. The chain is pinned to that source,
   * so that no run ever asks an instance metadata service (no network here but loopback).
   */
  private static Map<String, String> s3Settings(boolean keysInFile, String secret) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("spark.hadoop.fs.s3a.endpoint", endpoint);
    m.put("spark.hadoop.fs.s3a.endpoint.region", "us-east-1");
    m.put("spark.hadoop.fs.s3a.path.style.access", "true");
    m.put("spark.hadoop.fs.s3a.connection.ssl.enabled", "false");
    m.put("spark.hadoop.fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    if (keysInFile) {
      m.put("spark.hadoop.fs.s3a.access.key", accessKey);
      // The per-bucket spelling, which overrides fs.s3a.secret.key for this bucket.
      m.put("spark.hadoop.fs.s3a.bucket." + BUCKET + ".secret.key", secret);
    }
    return m;
  }

  private static Path config(String name, String input, String warehouse, String maxRejected, Map<String, String> conf)
      throws IOException {
    List<String> lines = new ArrayList<>(List.of(
        "input: {path: \"" + input + "\"}",
        "warehouse: {path: \"" + warehouse + "\"}",
        "quality: {max-rejected-fraction: " + maxRejected + "}   # two of the fifteen records are bad on purpose",
        "spark:",
        "  master: local[2]",
        "  conf:",
        "    spark.sql.shuffle.partitions: \"2\"",
        "    spark.ui.enabled: \"false\"",
        "    spark.driver.host: 127.0.0.1",
        "    spark.driver.bindAddress: 127.0.0.1",
        "    spark.logConf: \"true\""));
    if (!conf.isEmpty()) {
      lines.add("    spark.hadoop.fs.azure.account.key.rumtest.dfs.core.windows.net: \"" + azureKey + "\"");
    }
    conf.forEach((k, v) -> lines.add("    " + k + ": \"" + v + "\""));
    lines.add("");
    return Files.writeString(tmp.resolve(name), String.join("\n", lines));
  }

  private static Processes.Result cli(String... args) throws Exception {
    return cli(List.of(), Map.of(), args);
  }

  private static Processes.Result cli(Map<String, String> env, String... args) throws Exception {
    return cli(List.of(), env, args);
  }

  /**
   * Runs jobs/rum-sessions to its end, and checks that none of the credentials (nor {@code
   * alsoSecret}) is in what it printed.
   */
  private static Processes.Result cli(List<String> alsoSecret, Map<String, String> env, String... args) throws Exception {
    String name = String.format("call%02d-%s", ++calls, args[0]);
    Map<String, String> childEnv = new HashMap<>(env);
    childEnv.put("RUM_SESSIONS_NO_BUILD", "1");
    childEnv.put("SPARK_LOCAL_IP", "127.0.0.1");
    // The later -D wins: Spark's configuration (spark.logConf) is logged at INFO.
    childEnv.put("JAVA_OPTS", "-Xmx1g -Dlog4j2.configurationFile=" + logConfig());
    childEnv.put("AWS_EC2_METADATA_DISABLED", "true");
    List<String> cmd = new ArrayList<>(List.of("bash", "jobs/rum-sessions"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = Processes.builder(logs, name, childEnv, cmd);
    for (String v : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_REGION")) {
      if (!env.containsKey(v)) {
        pb.environment().remove(v);
      }
    }
    long started = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(CALL.toMillis(), TimeUnit.MILLISECONDS)) {
      Processes.stop(p);
      throw new AssertionError(name + " did not finish within " + CALL + ": " + Processes.read(logs, name).describe());
    }
    Processes.Result read = Processes.read(logs, name);
    Processes.Result r = new Processes.Result(p.exitValue(), read.out(), read.err());
    Files.writeString(logs.resolve("calls.txt"),
        String.format("%s exit %d %.1f s%n", name, r.exit(), (System.nanoTime() - started) / 1e9),
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    List<String> secrets = new ArrayList<>(List.of(accessKey, secretKey, azureKey));
    secrets.addAll(alsoSecret);
    for (String s : secrets) {
      assertFalse(r.out().contains(s) || r.err().contains(s), name + " printed a credential: " + r.describe());
    }
    return r;
  }

  private static String[] sqlArgs(Path config, List<String> queries) {
    List<String> a = new ArrayList<>(List.of("sql", "--config", config.toString(), "--format", "json"));
    a.addAll(queries);
    return a.toArray(String[]::new);
  }

  private static Path logConfig() throws IOException {
    Path f = tmp.resolve("log4j2.properties");
    if (!Files.exists(f)) {
      Files.writeString(f, Files.readString(Processes.ROOT.resolve("conf/log4j2.properties"))
          + "\nlogger.sparkcontext.name = org.apache.spark.SparkContext\nlogger.sparkcontext.level = info\n");
    }
    return f;
  }

  /** JSON Lines tagged with their table in {@code _t}, grouped by it, the tag removed. */
  private static Map<String, List<ObjectNode>> byTable(String jsonLines) throws IOException {
    Map<String, List<ObjectNode>> m = new HashMap<>();
    for (String line : jsonLines.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      ObjectNode row = (ObjectNode) JSON.readTree(line);
      m.computeIfAbsent(row.remove("_t").asText(), k -> new ArrayList<>()).add(row);
    }
    return m;
  }

  /** Rows as JSON text without the columns that must differ, sorted, so that order does not matter. */
  private static List<String> sorted(List<ObjectNode> rows, String... without) {
    assertTrue(rows != null, "a table is missing from the output");
    List<String> out = new ArrayList<>();
    for (ObjectNode r : rows) {
      ObjectNode copy = r.deepCopy();
      copy.remove(List.of(without));
      out.add(copy.toString());
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  /** Each table's newest commit, from its log's listing on S3. */
  private static Map<String, Long> versions() throws IOException {
    Map<String, Long> v = new HashMap<>();
    for (String t : TABLES) {
      long newest = -1;
      for (FileStatus f : s3.listStatus(new org.apache.hadoop.fs.Path(S3_WAREHOUSE + "/" + t + "/_delta_log"))) {
        String n = f.getPath().getName();
        if (n.matches("\\d{20}\\.json")) {
          newest = Math.max(newest, Long.parseLong(n.substring(0, 20)));
        }
      }
      v.put(t, newest);
    }
    return v;
  }

  /** Every object under a prefix with its size and ETag-backed modification time. */
  private static TreeMap<String, String> objects(String prefix) throws IOException {
    TreeMap<String, String> m = new TreeMap<>();
    RemoteIterator<LocatedFileStatus> it = s3.listFiles(new org.apache.hadoop.fs.Path(prefix), true);
    while (it.hasNext()) {
      LocatedFileStatus f = it.next();
      m.put(f.getPath().toString(), f.getLen() + " " + f.getModificationTime());
    }
    return m;
  }

  private static String lastLine(String s) {
    String[] lines = s.strip().split("\n");
    return lines[lines.length - 1];
  }

  /** Polls until s3proxy answers; an unsigned request must be refused, or credentials test nothing. */
  private static void awaitS3() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest anonymous = HttpRequest.newBuilder(URI.create(endpoint + "/")).timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!s3proxy.isAlive()) {
        throw new AssertionError("s3proxy exited: " + Processes.read(logs, "s3proxy").describe());
      }
      try {
        int status = http.send(anonymous, HttpResponse.BodyHandlers.discarding()).statusCode();
        assertEquals(403, status, "s3proxy let an unsigned request through");
        return;
      } catch (IOException notYet) {
        Thread.sleep(250);
      }
    }
    throw new AssertionError("s3proxy did not answer within 60 s: " + Processes.read(logs, "s3proxy").describe());
  }

  /** PUT Bucket, signed with AWS signature version 2: S3A does not create buckets. */
  private static void createBucket() throws Exception {
    String date = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).format(ZonedDateTime.now(ZoneOffset.UTC));
    String resource = "/" + BUCKET;
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(secretKey.getBytes(UTF_8), "HmacSHA1"));
    String signature = Base64.getEncoder().encodeToString(mac.doFinal(("PUT\n\n\n\nx-amz-date:" + date + "\n" + resource).getBytes(UTF_8)));
    HttpRequest put = HttpRequest.newBuilder(URI.create(endpoint + resource))
        .header("x-amz-date", date)
        .header("Authorization", "AWS " + accessKey + ":" + signature)
        .PUT(HttpRequest.BodyPublishers.noBody())
        .build();
    HttpResponse<String> r = HttpClient.newHttpClient().send(put, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), "PUT Bucket: " + r.body());
  }

  private static String random(String alphabet, int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
