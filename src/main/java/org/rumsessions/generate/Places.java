package org.rumsessions.generate;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Countries with their share of traffic and a few of their providers, and fake client addresses:
 * IPv4 from the documentation ranges of RFC 5737 and IPv6 from 2001:db8::/32 (RFC 3849), so that no
 * generated address belongs to anyone.
 */
final class Places {
  private record Country(String code, List<String> isps) {}

  private static final Weighted<Country> COUNTRIES =
      Weighted.<Country>of()
          .add(0.30, new Country("US", List.of("Comcast Cable", "AT&T Internet", "Verizon Fios", "Charter Spectrum", "T-Mobile USA")))
          .add(0.12, new Country("DE", List.of("Deutsche Telekom", "Vodafone Germany", "Telefonica Germany", "1&1 Versatel")))
          .add(0.10, new Country("GB", List.of("BT", "Virgin Media", "Sky Broadband", "EE")))
          .add(0.07, new Country("FR", List.of("Orange", "Free", "SFR", "Bouygues Telecom")))
          .add(0.08, new Country("IN", List.of("Reliance Jio", "Bharti Airtel", "Vodafone Idea")))
          .add(0.06, new Country("BR", List.of("Claro", "Vivo", "TIM Brasil")))
          .add(0.05, new Country("JP", List.of("NTT Communications", "KDDI", "SoftBank")))
          .add(0.05, new Country("CA", List.of("Rogers", "Bell Canada", "Telus")))
          .add(0.04, new Country("AT", List.of("A1 Telekom Austria", "Magenta Telekom", "Drei")))
          .add(0.04, new Country("AU", List.of("Telstra", "Optus", "TPG")))
          .add(0.05, new Country("NL", List.of("KPN", "Ziggo", "Odido")))
          .add(0.04, new Country("ES", List.of("Movistar", "Orange Spain", "Vodafone Spain")));

  private static final String[] IPV4_PREFIXES = {"192.0.2.", "198.51.100.", "203.0.113."};
  /** Share of clients seen over IPv6. */
  private static final double IPV6 = 0.2;

  private Places() {}

  static Client.Place draw(SplittableRandom rng) {
    Country c = COUNTRIES.pick(rng);
    return new Client.Place(c.code(), c.isps().get(rng.nextInt(c.isps().size())), ip(rng));
  }

  /** A data-center place, for crawlers and synthetic monitors. */
  static Client.Place dataCenter(SplittableRandom rng, String country, String provider) {
    return new Client.Place(country, provider, ip(rng));
  }

  static String ip(SplittableRandom rng) {
    if (rng.nextDouble() < IPV6) {
      return String.format("2001:db8:%x:%x::%x", rng.nextInt(0x10000), rng.nextInt(0x10000), 1 + rng.nextInt(0xfffe));
    }
    return IPV4_PREFIXES[rng.nextInt(IPV4_PREFIXES.length)] + (1 + rng.nextInt(254));
  }
}
