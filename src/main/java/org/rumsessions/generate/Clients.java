package org.rumsessions.generate;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Browser, OS and device mixes. The shares follow the usual public browser-statistics picture
 * (Chrome first, Safari strong on Apple devices, a desktop/mobile split near 60/40); versions are
 * the ones current in late 2025.
 */
final class Clients {
  private record Software(String os, List<String> osVersions, String browser, List<String> browserVersions) {}

  private record Screen(int width, int height) {}

  private record Phone(String manufacturer, String model, Screen screen) {}

  private static final List<String> CHROME = List.of("142.0.0.0", "141.0.0.0", "140.0.0.0");
  private static final List<String> WINDOWS = List.of("11", "10");
  private static final List<String> MACOS = List.of("15.6", "26.1", "14.7");
  private static final List<String> ANDROID = List.of("15", "14", "16", "13");
  private static final List<String> IOS = List.of("18.6", "26.1", "17.7");

  /** Desktop web: Windows with Chrome and Edge, macOS with Safari, a little Linux and Firefox. */
  private static final Weighted<Software> DESKTOP =
      Weighted.<Software>of()
          .add(0.40, new Software("Windows", WINDOWS, "Chrome", CHROME))
          .add(0.14, new Software("Windows", WINDOWS, "Edge", List.of("142.0.0.0", "141.0.0.0")))
          .add(0.05, new Software("Windows", WINDOWS, "Firefox", List.of("145.0", "144.0")))
          .add(0.12, new Software("macOS", MACOS, "Safari", List.of("18.6", "26.1")))
          .add(0.09, new Software("macOS", MACOS, "Chrome", CHROME))
          .add(0.01, new Software("macOS", MACOS, "Firefox", List.of("145.0")))
          .add(0.03, new Software("Linux", List.of("x86_64"), "Chrome", CHROME))
          .add(0.02, new Software("Linux", List.of("x86_64"), "Firefox", List.of("145.0", "140.5.0esr")));

  /** Mobile web: Chrome and Samsung Internet on Android, Safari on iOS. */
  private static final Weighted<Software> MOBILE_WEB =
      Weighted.<Software>of()
          .add(0.50, new Software("Android", ANDROID, "Chrome Mobile", CHROME))
          .add(0.10, new Software("Android", ANDROID, "Samsung Internet", List.of("28.0", "27.1")))
          .add(0.37, new Software("iOS", IOS, "Mobile Safari", List.of("18.6", "26.1")))
          .add(0.03, new Software("iOS", IOS, "Chrome Mobile iOS", List.of("142.0.7444.46")));

  private static final Weighted<Software> TABLET_WEB =
      Weighted.<Software>of()
          .add(0.70, new Software("iPadOS", IOS, "Mobile Safari", List.of("18.6", "26.1")))
          .add(0.30, new Software("Android", ANDROID, "Chrome Mobile", CHROME));

  private static final Weighted<Screen> DESKTOP_SCREENS =
      Weighted.<Screen>of()
          .add(0.40, new Screen(1920, 1080))
          .add(0.12, new Screen(1366, 768))
          .add(0.12, new Screen(1536, 864))
          .add(0.14, new Screen(2560, 1440))
          .add(0.10, new Screen(1440, 900))
          .add(0.05, new Screen(3840, 2160))
          .add(0.07, new Screen(1280, 720));

  private static final Weighted<Screen> PHONE_SCREENS =
      Weighted.<Screen>of()
          .add(0.25, new Screen(390, 844))
          .add(0.20, new Screen(393, 852))
          .add(0.20, new Screen(412, 915))
          .add(0.15, new Screen(360, 800))
          .add(0.10, new Screen(430, 932))
          .add(0.10, new Screen(384, 854));

  private static final Weighted<Screen> TABLET_SCREENS =
      Weighted.<Screen>of().add(0.5, new Screen(820, 1180)).add(0.3, new Screen(810, 1080)).add(0.2, new Screen(800, 1280));

  /** Phones of the app users; screens in pixels, natural orientation. */
  private static final Weighted<Phone> IPHONES =
      Weighted.<Phone>of()
          .add(0.20, new Phone("Apple", "iPhone15,4", new Screen(1179, 2556)))
          .add(0.15, new Phone("Apple", "iPhone16,2", new Screen(1290, 2796)))
          .add(0.20, new Phone("Apple", "iPhone14,7", new Screen(1170, 2532)))
          .add(0.15, new Phone("Apple", "iPhone17,1", new Screen(1206, 2622)))
          .add(0.20, new Phone("Apple", "iPhone17,3", new Screen(1179, 2556)))
          .add(0.10, new Phone("Apple", "iPhone13,2", new Screen(1170, 2532)));

  private static final Weighted<Phone> ANDROID_PHONES =
      Weighted.<Phone>of()
          .add(0.22, new Phone("samsung", "SM-S921B", new Screen(1080, 2340)))
          .add(0.18, new Phone("samsung", "SM-A546B", new Screen(1080, 2340)))
          .add(0.12, new Phone("Google", "Pixel 8", new Screen(1080, 2400)))
          .add(0.08, new Phone("Google", "Pixel 9 Pro", new Screen(1280, 2856)))
          .add(0.15, new Phone("Xiaomi", "23129RAA4G", new Screen(1080, 2400)))
          .add(0.10, new Phone("OnePlus", "CPH2581", new Screen(1240, 2772)))
          .add(0.15, new Phone("motorola", "moto g84 5G", new Screen(1080, 2400)));

  /** App releases in use: most users update within weeks, a tail stays behind, a few run the beta. */
  private static final Weighted<String> APP_RELEASES =
      Weighted.<String>of().add(0.50, "4.12.0").add(0.30, "4.11.2").add(0.15, "4.10.1").add(0.05, "4.13.0-beta.2");

  private static final Weighted<String> CRAWLERS =
      Weighted.<String>of()
          .add(0.40, "Googlebot")
          .add(0.20, "bingbot")
          .add(0.15, "AhrefsBot")
          .add(0.10, "YandexBot")
          .add(0.10, "Applebot")
          .add(0.05, "DuckDuckBot");

  private static final List<String> HOSTERS = List.of("Google LLC", "Microsoft Corporation", "Amazon.com", "Hetzner Online", "OVH SAS");
  private static final List<String> SYNTHETIC_LOCATIONS = List.of("US", "DE", "GB", "JP", "AU");

  /** Web users' device classes: desktop, phone, tablet. */
  private static final double WEB_PHONE = 0.36;
  private static final double WEB_TABLET = 0.06;

  private Clients() {}

  static Client webUser(SplittableRandom rng) {
    double d = rng.nextDouble();
    if (d < WEB_PHONE + WEB_TABLET) {
      boolean tablet = d >= WEB_PHONE;
      Software s = (tablet ? TABLET_WEB : MOBILE_WEB).pick(rng);
      Screen screen = (tablet ? TABLET_SCREENS : PHONE_SCREENS).pick(rng);
      return new Client(
          s.browser(), any(rng, s.browserVersions()), screen.width(), screen.height() - 60 - rng.nextInt(120),
          s.os(), any(rng, s.osVersions()), tablet ? "tablet" : "mobile", null, null, screen.width(), screen.height(),
          Places.draw(rng), null, null);
    }
    Software s = DESKTOP.pick(rng);
    Screen screen = DESKTOP_SCREENS.pick(rng);
    int window = Math.max(1024, screen.width() - rng.nextInt(400));
    return new Client(
        s.browser(), any(rng, s.browserVersions()), Math.min(window, screen.width()), screen.height() - 70 - rng.nextInt(150),
        s.os(), any(rng, s.osVersions()), "desktop", null, null, screen.width(), screen.height(), Places.draw(rng), null, null);
  }

  static Client appUser(SplittableRandom rng, String platform) {
    boolean ios = "iOS".equals(platform);
    Phone p = (ios ? IPHONES : ANDROID_PHONES).pick(rng);
    String release = APP_RELEASES.pick(rng);
    return new Client(
        null, null, 0, 0, platform, any(rng, ios ? IOS : ANDROID), "mobile", p.manufacturer(), p.model(),
        p.screen().width(), p.screen().height(), Places.draw(rng), build(release), release);
  }

  static Client crawler(SplittableRandom rng) {
    return new Client(
        CRAWLERS.pick(rng), "2.1", 1920, 1080, "Linux", "x86_64", "desktop", null, null, 1920, 1080,
        Places.dataCenter(rng, "US", any(rng, HOSTERS)), null, null);
  }

  static Client syntheticMonitor(SplittableRandom rng) {
    return new Client(
        "Chrome", "138.0.0.0", 1920, 1080, "Linux", "x86_64", "desktop", null, null, 1920, 1080,
        Places.dataCenter(rng, any(rng, SYNTHETIC_LOCATIONS), rng.nextBoolean() ? "Amazon.com" : "Microsoft Corporation"),
        null, null);
  }

  /** The build number an app release reports as app.version: 4.12.0 -> 412000, 4.13.0-beta.2 -> 413002. */
  private static String build(String release) {
    String[] parts = release.split("[.-]");
    int code = Integer.parseInt(parts[0]) * 10_000 + Integer.parseInt(parts[1]) * 100 + Integer.parseInt(parts[2]);
    int beta = parts.length > 4 ? Integer.parseInt(parts[4]) : 0;
    return Integer.toString(code * 10 + beta);
  }

  private static String any(SplittableRandom rng, List<String> values) {
    return values.get(rng.nextInt(values.size()));
  }
}
