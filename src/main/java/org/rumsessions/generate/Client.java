package org.rumsessions.generate;

/**
 * The device, software and network a session runs on: what every event of the session repeats in
 * its {@code browser.*}, {@code os.*}, {@code device.*}, {@code geo.*}, {@code client.*} and
 * {@code app.*} fields. Null text and zero sizes are fields the platform does not report.
 */
record Client(
    String browserName,
    String browserVersion,
    int windowWidth,
    int windowHeight,
    String osName,
    String osVersion,
    String deviceType,
    String manufacturer,
    String model,
    int screenWidth,
    int screenHeight,
    Place place,
    String appVersion,
    String appShortVersion) {

  /** Where the client connects from: country, provider and a documentation-range address. */
  record Place(String country, String isp, String ip) {}

  Client withIp(String ip) {
    return new Client(
        browserName, browserVersion, windowWidth, windowHeight, osName, osVersion, deviceType, manufacturer, model,
        screenWidth, screenHeight, new Place(place.country(), place.isp(), ip), appVersion, appShortVersion);
  }
}
