package org.rumsessions.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivacyConfigTest {
  private static final String SECRET = "s3cr3t-value-that-must-never-show";
  private static final String BASE = "input: {path: in}\nwarehouse: {path: wh}\n";

  @TempDir Path dir;

  private PipelineConfig load(String yaml, Map<String, String> env, Needs needs) throws IOException {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, BASE + yaml);
    return PipelineConfig.resolve(ConfigLoader.load(f), ConfigFlags.NONE, needs, env::get);
  }

  private String error(String yaml, Map<String, String> env, Needs needs) {
    return assertThrows(ConfigException.class, () -> load(yaml, env, needs)).getMessage();
  }

  @Test
  void byDefaultAddressesAreMaskedAndTagsKept() throws IOException {
    PipelineConfig.Privacy p = load("", Map.of(), Needs.INPUT_AND_WAREHOUSE).privacy();
    assertEquals(ClientIpMode.MASK, p.clientIp());
    assertEquals(UserTagMode.KEEP, p.userTag());
    assertEquals("RUM_USER_TAG_KEY", p.keyEnv());
    assertNull(p.key());
  }

  @Test
  void hashingWithoutItsKeyIsAConfigurationErrorThatNamesTheVariableAndNoValue() {
    String m = error("privacy: {user-tag: hash}\n", Map.of(), Needs.INPUT_AND_WAREHOUSE);
    assertTrue(m.startsWith("privacy.user-tag-key-env:") && m.contains("RUM_USER_TAG_KEY"), m);
    String other = error("privacy: {user-tag: hash, user-tag-key-env: MY_KEY}\n", Map.of("MY_KEY", ""), Needs.WAREHOUSE_AND_TAG_KEYS);
    assertTrue(other.contains("MY_KEY") && other.contains("not set or empty"), other);
  }

  @Test
  void aCommandThatNeitherHashesNorLooksForHashesRunsWithoutTheKey() throws IOException {
    assertNull(load("privacy: {user-tag: hash}\n", Map.of(), Needs.WAREHOUSE).privacy().key());
  }

  @Test
  void theKeyComesFromTheNamedVariableAndOnlyItsIdIsWrittenOut() throws IOException {
    PipelineConfig c =
        load(
            "privacy: {client-ip: drop, user-tag: hash, user-tag-key-env: TAG_KEY, user-tag-previous-key-envs: [OLD_KEY]}\n",
            Map.of("TAG_KEY", SECRET, "OLD_KEY", "older"),
            Needs.INPUT_AND_WAREHOUSE);
    PipelineConfig.Privacy p = c.privacy();
    assertEquals(TagKey.of(SECRET), p.key());
    assertEquals(List.of(TagKey.of(SECRET), TagKey.of("older")), p.allKeys());
    String json = c.toJson();
    JsonNode written = new ObjectMapper().readTree(json).get("privacy");
    assertEquals(
        new ObjectMapper().readTree(
            "{\"client-ip\":\"drop\",\"user-tag\":\"hash\",\"user-tag-key-env\":\"TAG_KEY\","
                + "\"user-tag-previous-key-envs\":[\"OLD_KEY\"],\"user-tag-key-id\":\"" + TagKey.of(SECRET).id() + "\"}"),
        written);
    assertFalse(json.contains(SECRET) || json.contains("older"), json);
    assertFalse(c.toString().contains(SECRET), "nor in the configuration's text");
  }

  @Test
  void aPreviousKeyThatIsNotSetFailsOnlyWhereKeysAreNeeded() throws IOException {
    String yaml = "privacy: {user-tag: hash, user-tag-previous-key-envs: [OLD_KEY]}\n";
    String m = error(yaml, Map.of("RUM_USER_TAG_KEY", SECRET), Needs.WAREHOUSE_AND_TAG_KEYS);
    assertTrue(m.startsWith("privacy.user-tag-previous-key-envs:") && m.contains("OLD_KEY"), m);
    assertEquals(List.of(), load(yaml, Map.of(), Needs.WAREHOUSE).privacy().previousKeys());
  }

  @Test
  void badValuesNameTheKeyAndWhatIsAllowed() {
    String ip = error("privacy: {client-ip: anonymize}\n", Map.of(), Needs.WAREHOUSE);
    assertTrue(ip.contains("privacy.client-ip") && ip.contains("mask, keep, drop"), ip);
    String tag = error("privacy: {user-tag: encrypt}\n", Map.of(), Needs.WAREHOUSE);
    assertTrue(tag.contains("privacy.user-tag") && tag.contains("keep, hash, drop"), tag);
    String env = error("privacy: {user-tag-key-env: \"my key\"}\n", Map.of(), Needs.WAREHOUSE);
    assertTrue(env.contains("privacy.user-tag-key-env") && env.contains("environment variable"), env);
    String list = error("privacy: {user-tag-previous-key-envs: OLD_KEY}\n", Map.of(), Needs.WAREHOUSE);
    assertTrue(list.contains("privacy.user-tag-previous-key-envs") && list.contains("list"), list);
    String unknown = error("privacy: {user-tag-key: abc}\n", Map.of(), Needs.WAREHOUSE);
    assertTrue(unknown.contains("privacy.user-tag-key") && unknown.contains("user-tag-key-env"), unknown);
  }
}
