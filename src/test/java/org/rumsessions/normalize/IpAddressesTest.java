package org.rumsessions.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressesTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "203.0.113.7|203.0.113.0",
        "' 203.0.113.7 '|203.0.113.0",
        "010.001.002.255|10.1.2.0",
        "2001:db8:85a3:8d3:1319:8a2e:370:7348|2001:db8:85a3::",
        "2001:DB8:0:0:8:800:200C:417A|2001:db8::",
        "2001:db8::1|2001:db8::",
        "2001:db8:1a2b:3c4d::1|2001:db8:1a2b::",
        "2001:0:5:1::1|2001:0:5::",
        "0:0:5::1|0:0:5::",
        "::1:2:3:4:5:6:7|0:1:2::",
        "1:2:3:4:5:6:7::|1:2:3::",
        "1:2:3:4:5:6:1.2.3.4|1:2:3::",
        "::1|::",
        "::|::",
        "::1.2.3.4|::",
        "::ffff:203.0.113.7|::ffff:203.0.113.0",
        "64:ff9b::203.0.113.7|64:ff9b::",
        "fe80::1%eth0|fe80::",
      })
  void anAddressKeepsItsNetworkPartInCanonicalText(String address, String masked) {
    assertEquals(masked, IpAddresses.mask(address));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", " ", "256.1.1.1", "1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.4.", "203.0.113.7:443", "[2001:db8::1]", "example.com",
        "host-203-0-113-7.example.net", "12345", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1::2::3", "2001:db8:::1", ":1::",
        "1::1.2.3.4.5", "12345::1", "g::1", "203.0.113.7, 198.51.100.1", "localhost"
      })
  void anythingElseIsNoAddress(String text) {
    assertNull(IpAddresses.mask(text), text);
  }

  @Test
  void nullStaysNull() {
    assertNull(IpAddresses.mask(null));
  }

  @Test
  void inFreeTextEveryAddressIsMaskedAndTheRestKept() {
    assertEquals(
        "{\"client.ip\":\"203.0.113.0\",\"x\":\"from 2001:db8:1::, at 10:00:00, v 1.2.3.4.5\", oops",
        IpAddresses.maskWithin("{\"client.ip\":\"203.0.113.7\",\"x\":\"from 2001:db8:1:2::3, at 10:00:00, v 1.2.3.4.5\", oops", false));
    assertEquals(
        "a 203.0.113.0 b ::ffff:198.51.100.0 c fe80::%eth0", IpAddresses.maskWithin("a 203.0.113.7 b ::ffff:198.51.100.9 c fe80::1%eth0", false));
    assertEquals("ip= and =ip, 999.1.1.1 stays", IpAddresses.maskWithin("ip=203.0.113.7 and 2001:db8::9=ip, 999.1.1.1 stays", true));
    assertEquals("no address here: 12:30:00, 00:1a:2b:3c:4d:5e, std::vector", IpAddresses.maskWithin(
        "no address here: 12:30:00, 00:1a:2b:3c:4d:5e, std::vector", false));
  }
}
