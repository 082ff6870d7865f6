package org.rumsessions.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.junit.jupiter.api.Test;
import org.rumsessions.config.ClientIpMode;
import org.rumsessions.config.PipelineConfig;
import org.rumsessions.config.TagKey;
import org.rumsessions.config.UserTagMode;
import scala.collection.JavaConverters;

class PersonalDataTest {
  private static final TagKey KEY = TagKey.of("test key, not a secret");

  private static PersonalData data(ClientIpMode ip, UserTagMode tag, Tombstones t) {
    return PersonalData.of(new PipelineConfig.Privacy(ip, tag, "RUM_USER_TAG_KEY", List.of(), KEY, List.of()), t);
  }

  private static PersonalData data(ClientIpMode ip, UserTagMode tag) {
    return data(ip, tag, Tombstones.NONE);
  }

  @Test
  void theHashIsHmacSha256BehindTheKeyId() {
    // RFC 4231, test case 2; the key id is the first 8 hex digits of SHA-256("Jefe").
    assertEquals(
        "005725b4:5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        PersonalData.hashedTag(TagKey.of("Jefe"), "what do ya want for nothing?"));
    assertEquals("005725b4", TagKey.of("Jefe").id());
    assertEquals("key 005725b4", TagKey.of("Jefe").toString(), "a key shows its id only");
  }

  @Test
  void eachModeOfTheFields() {
    PersonalData hash = data(ClientIpMode.MASK, UserTagMode.HASH);
    assertEquals("203.0.113.0", hash.clientIp("203.0.113.7"));
    assertNull(hash.clientIp("not an address"));
    assertEquals(PersonalData.hashedTag(KEY, "alice"), hash.userTag("alice"));
    assertTrue(hash.userTag("alice").matches(KEY.id() + ":[0-9a-f]{64}"));
    assertNotEquals(hash.userTag("alice"), PersonalData.hashedTag(TagKey.of("another key"), "alice"), "another key, another value");
    PersonalData drop = data(ClientIpMode.DROP, UserTagMode.DROP);
    assertNull(drop.clientIp("203.0.113.7"));
    assertNull(drop.userTag("alice"));
    PersonalData keep = data(ClientIpMode.KEEP, UserTagMode.KEEP);
    assertEquals("203.0.113.7", keep.clientIp("203.0.113.7"));
    assertEquals("alice", keep.userTag("alice"));
  }

  @Test
  void aParsedRecordGetsOnlyItsPersonalValuesRewrittenTheRestByteForByte() {
    String raw =
        "{\"dt.rum.session.id\":\"s1\",  \"client.ip\" : \"203.0.113.7\" ,\"dt\":{\"rum\":{\"user_tag\":\"al\\u0069ce\"}},"
            + "\"user\":{\"identifier\":42},\"note\":\"keep \\\"me\\\" as written\",\"start_time\":\"bad\", \"n\": 1.50}";
    String expected =
        "{\"dt.rum.session.id\":\"s1\",  \"client.ip\" : \"203.0.113.0\" ,\"dt\":{\"rum\":{\"user_tag\":\""
            + PersonalData.hashedTag(KEY, "alice") + "\"}},"
            + "\"user\":{\"identifier\":\"" + PersonalData.hashedTag(KEY, "42")
            + "\"},\"note\":\"keep \\\"me\\\" as written\",\"start_time\":\"bad\", \"n\": 1.50}";
    assertEquals(expected, data(ClientIpMode.MASK, UserTagMode.HASH).rawRecord(raw).text());

    assertEquals(
        "{\"client.ip\":{\"v\":\"203.0.113.0\",\"w\":[null,\"2001:db8::\",null]},\"dt.rum.user_tag\":null,\"x\":[1,2]}",
        data(ClientIpMode.MASK, UserTagMode.DROP)
            .rawRecord("{\"client.ip\":{\"v\":\"203.0.113.7\",\"w\":[1,\"2001:db8::1\",true]},\"dt.rum.user_tag\":\"alice\",\"x\":[1,2]}")
            .text());
    assertEquals(
        "{\"client\":{\"ip\":null},\"user.identifier\":\"alice\"}",
        data(ClientIpMode.DROP, UserTagMode.KEEP).rawRecord("{\"client\":{\"ip\":\"203.0.113.7\"},\"user.identifier\":\"alice\"}").text());
  }

  @Test
  void recordsWithoutPersonalDataAndTheKeepModesLeaveTheTextAlone() {
    String raw = "{\"dt.rum.session.id\": \"s1\",\"client.ip\":\"203.0.113.7\", \"dt.rum.user_tag\":\"alice\"}";
    assertSame(raw, data(ClientIpMode.KEEP, UserTagMode.KEEP).rawRecord(raw).text());
    String none = "{\"dt.rum.session.id\": \"s1\",\"client.isp\":\"x\"}";
    assertSame(none, data(ClientIpMode.MASK, UserTagMode.HASH).rawRecord(none).text());
  }

  @Test
  void textThatIsNoJsonHasItsAddressesAndTagValuesFoundByTheirLook() {
    PersonalData hash = data(ClientIpMode.MASK, UserTagMode.HASH);
    assertEquals(
        "{\"client.ip\":\"203.0.113.0\",\"dt.rum.user_tag\": \"" + PersonalData.hashedTag(KEY, "alice")
            + "\",\"ua\":\"x 2001:db8:1::\", \"dt.rum.session.id\":",
        hash.rawRecord("{\"client.ip\":\"203.0.113.7\",\"dt.rum.user_tag\": \"alice\",\"ua\":\"x 2001:db8:1:2::7\", \"dt.rum.session.id\":")
            .text());
    assertEquals("{\"user.identifier\":null", hash.rawRecord("{\"user.identifier\":\"ali").text(), "a tag cut short goes whole");
    assertEquals(
        "{\"x\":1, \"user_tag\": \"" + PersonalData.hashedTag(KEY, "bob") + "\" } trailing 203.0.113.0",
        hash.rawRecord("{\"x\":1, \"user_tag\": bob } trailing 203.0.113.9").text());
    assertEquals(
        "{\"a\":1} {\"client.ip\":\"\",\"user.identifier\":null}",
        data(ClientIpMode.DROP, UserTagMode.DROP).rawRecord("{\"a\":1} {\"client.ip\":\"198.51.100.4\",\"user.identifier\":\"carol\"}").text(),
        "a second object after the first is no JSON record: all of it is read as text");
  }

  @Test
  void tombstonesMatchSessionIdsAndTagsAsReceivedWhereverARecordHasThem() {
    Tombstones t = new Tombstones(Set.of(PersonalData.sha256("gone-session")), Set.of(PersonalData.sha256("alice")));
    PersonalData p = data(ClientIpMode.MASK, UserTagMode.HASH, t);
    EventParser parser = new EventParser(1, p);
    String start = "\"start_time\":\"2026-11-26T10:00:00Z\"";
    assertTrue(forgotten(parser, "{\"dt.rum.session.id\":\"gone-session\"," + start + "}"));
    assertTrue(forgotten(parser, "{\"dt.rum.session.id\":\"s2\"," + start + ",\"dt\":{\"rum\":{\"user_tag\":\"alice\"}}}"));
    assertTrue(forgotten(parser, "{\"dt.rum.session.id\":\"s2\"," + start + ",\"user.identifier\":\"alice\"}"), "the alias");
    assertFalse(forgotten(parser, "{\"dt.rum.session.id\":\"s2\"," + start + ",\"dt.rum.user_tag\":\"bob\"}"));
    // Rejected records: parsed (no start_time), and text that is no JSON.
    assertTrue(forgotten(parser, "{\"dt.rum.session.id\":\"gone-session\"}"));
    assertTrue(forgotten(parser, "{\"user.identifier\":\"alice\",\"dt.rum.session.id\":\"s3\"}"));
    assertTrue(forgotten(parser, "{\"whatever\":\"alice\", broken"));
    assertFalse(forgotten(parser, "{\"whatever\":\"malice\", broken"));
    assertFalse(forgotten(parser, "{\"dt.rum.session.id\":\"s3\"}"));
  }

  private static boolean forgotten(EventParser parser, String raw) {
    Row r = parser.parse(raw, "f", "2026-11-26");
    return Boolean.TRUE.equals(r.get(ParsedEvents.FORGOTTEN_INDEX));
  }

  @Test
  void theDecoderTreatsEventsAndRejectedRecordsByDefaultAndDeduplicatesOnWhatItReceived() {
    EventParser parser = new EventParser(1);
    Row a = row(parser.parse("{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\",\"client.ip\":\"203.0.113.7\"}", "f", "2026-11-26"));
    Row b = row(parser.parse("{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\",\"client.ip\":\"203.0.113.8\"}", "f", "2026-11-26"));
    assertEquals("203.0.113.0", a.getAs(EventField.columnOf("client.ip")));
    assertEquals("203.0.113.0", b.getAs(EventField.columnOf("client.ip")));
    assertNotEquals(a.<String>getAs(ParsedEvents.DEDUP_KEY), b.getAs(ParsedEvents.DEDUP_KEY), "two events, whatever the mask makes of them");
    Row rejected = row(parser.parse("{\"dt.rum.session.id\":\"s\",\"client.ip\":\"2001:db8:aa:bb::1\"}", "f", "2026-11-26"));
    assertEquals("invalid_start_time", rejected.getAs(ParsedEvents.REJECT_REASON));
    assertEquals("{\"dt.rum.session.id\":\"s\",\"client.ip\":\"2001:db8:aa::\"}", rejected.getAs(ParsedEvents.RAW));
  }

  private static Row row(Row r) {
    return new GenericRowWithSchema(JavaConverters.seqAsJavaList(r.toSeq()).toArray(), ParsedEvents.SCHEMA);
  }

  @Test
  void mentionsFindsAValueUnderAnyKeyByItsHash() {
    Set<String> needles = Set.of(PersonalData.sha256("alice"));
    assertTrue(PersonalData.mentions("{\"a\":{\"b\":[\"alice\"]}}", needles));
    assertTrue(PersonalData.mentions("{\"a\": \"al\\u0069ce\", broken", needles));
    assertFalse(PersonalData.mentions("{\"alice\":\"bob\"}", needles), "a key is no value");
    assertFalse(PersonalData.mentions(null, needles));
  }

  @Test
  void itTravelsToTheExecutorsAndStillHashesThere() throws Exception {
    PersonalData p = data(ClientIpMode.MASK, UserTagMode.HASH, new Tombstones(Set.of("x"), Set.of()));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(p);
    }
    PersonalData back;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (PersonalData) in.readObject();
    }
    assertEquals(p.userTag("alice"), back.userTag("alice"));
    assertEquals(Set.of("x"), back.tombstones().sessionIds());
  }
}
