package org.rumsessions.generate;

import java.util.SplittableRandom;

/**
 * Everything decided about one session before its first event: who, on what, when, how long, and
 * the mid-session changes (login, session properties, network switch, idle pause, second frontend).
 * Drawn from the session's own random stream, seeded from (seed, day, index), which the event
 * generator then continues: a session's events depend on nothing else.
 */
final class SessionScenario {
  static final String REAL_USER = "real_user";
  static final String ROBOT = "robot";
  static final String SYNTHETIC = "synthetic";

  private static final String[] PROPERTY_NAMES = {
    "plan", "cart_value", "ab_test_group", "checkout_step", "successful_checkout", "locale", "loyalty_tier", "campaign"
  };
  private static final long MINUTE = 60_000_000_000L;

  final SplittableRandom rng;
  final long code;
  final String sessionId;
  final String instanceId;
  final String userType;
  final Frontend frontend;
  final Client client;
  final long start;

  /** Views to generate; a long session instead runs until {@link #activeUntil}. */
  int views;
  long activeUntil;
  boolean bounce;
  boolean requestsOnly;
  double thinkSeconds = Proportions.MEAN_THINK_SECONDS;
  double maxThinkSeconds = Proportions.MAX_THINK_SECONDS;
  boolean interacts = true;

  int idleGapBeforeView = -1;
  long idleGapNanos;

  Frontend secondFrontend;
  int secondFrontendFromView = -1;

  int loginView = -1;
  String userTag;
  Key tagKey = Keys.USER_TAG;
  int secondLoginView = -1;
  String secondUserTag;

  int propertiesView = -1;
  Key[] propertyKeys = new Key[0];
  String[] propertyValues = new String[0];
  int propertyUpdateView = -1;
  String updatedValue;

  int ipChangeView = -1;
  String changedIp;

  boolean replay;
  boolean crash;

  private SessionScenario(SplittableRandom rng, long code, String sessionId, String instanceId, String userType, Frontend frontend, Client client, long start) {
    this.rng = rng;
    this.code = code;
    this.sessionId = sessionId;
    this.instanceId = instanceId;
    this.userType = userType;
    this.frontend = frontend;
    this.client = client;
    this.start = start;
  }

  static SessionScenario draw(GeneratorSpec spec, long epochDay, long index) {
    long code = Ids.sessionCode(spec.seed(), epochDay, index);
    SplittableRandom rng = new SplittableRandom(Ids.sessionSeed(code));
    double who = rng.nextDouble();
    long start = StartTimes.draw(rng, epochDay);
    if (who < Proportions.ROBOT) {
      return crawler(rng, code, start);
    }
    if (who < Proportions.ROBOT + Proportions.SYNTHETIC) {
      return synthetic(rng, code, start);
    }
    return realUser(spec, rng, code, start);
  }

  private static SessionScenario realUser(GeneratorSpec spec, SplittableRandom rng, long code, long start) {
    long user = rng.nextLong(Math.max(1, spec.sessionsPerDay() * Proportions.USERS_PER_DAILY_SESSION));
    long userSeed = Ids.userSeed(spec.seed(), user);
    SplittableRandom person = new SplittableRandom(userSeed);
    boolean app = person.nextDouble() < Proportions.APP_USER;
    String platform = person.nextDouble() < Proportions.IOS ? "iOS" : "Android";
    Client client = app ? Clients.appUser(person, platform) : Clients.webUser(person);
    Frontend frontend = app ? Frontends.app(platform) : Frontends.web(rng);
    String sessionId = app ? Ids.mobileSessionId(code) : Ids.webSessionId(code, rng.nextLong());
    SessionScenario s = new SessionScenario(rng, code, sessionId, Ids.instanceId(Ids.mix(userSeed)), REAL_USER, frontend, client, start);
    s.userTag = person.nextBoolean() ? "user" + user + "@example.com" : "customer-" + (1_000_000 + user);

    if (!app && rng.nextDouble() < Proportions.REQUESTS_ONLY) {
      s.requestsOnly = true;
      s.views = 1 + rng.nextInt(5);
      return s;
    }
    s.shape();
    if (!app && s.views > 1 && rng.nextDouble() < Proportions.SECOND_FRONTEND) {
      s.secondFrontend = Frontends.otherWeb(rng, frontend);
      s.secondFrontendFromView = 1 + rng.nextInt(s.views - 1);
    }
    if (rng.nextDouble() < Proportions.LOGIN) {
      s.loginView = s.midView();
      if (rng.nextDouble() < Proportions.USER_IDENTIFIER_SPELLING) {
        s.tagKey = Keys.USER_IDENTIFIER;
      }
      if (s.views > 2 && rng.nextDouble() < Proportions.SECOND_LOGIN) {
        s.secondLoginView = s.loginView + 1 + rng.nextInt(Math.max(1, s.views - s.loginView - 1));
        s.secondUserTag = "user" + (user + 1) + "@example.com";
      }
    }
    s.sessionProperties();
    if (app && rng.nextDouble() < Proportions.IP_CHANGE) {
      s.ipChangeView = s.midView();
      s.changedIp = Places.ip(rng);
    }
    s.replay = !app && rng.nextDouble() < Proportions.REPLAY;
    s.crash = app && rng.nextDouble() < Proportions.CRASH_PER_APP_SESSION;
    return s;
  }

  private static SessionScenario crawler(SplittableRandom rng, long code, long start) {
    Client client = Clients.crawler(rng);
    SessionScenario s =
        new SessionScenario(rng, code, Ids.webSessionId(code, rng.nextLong()), Ids.instanceId(Ids.mix(code)), ROBOT, Frontends.web(rng), client, start);
    s.views = 1 + geometric(rng, 7.0);
    s.interacts = false;
    s.thinkSeconds = 3;
    s.maxThinkSeconds = 30;
    return s;
  }

  private static SessionScenario synthetic(SplittableRandom rng, long code, long start) {
    SessionScenario s =
        new SessionScenario(rng, code, Ids.webSessionId(code, rng.nextLong()), Ids.instanceId(Ids.mix(code)), SYNTHETIC, Frontends.web(rng), Clients.syntheticMonitor(rng), start);
    s.views = 3 + rng.nextInt(6);
    s.thinkSeconds = 4;
    s.maxThinkSeconds = 15;
    if (rng.nextBoolean()) {
      s.loginView = 1;
      s.userTag = "synthetic-monitor@example.com";
    }
    return s;
  }

  /** Views, bounce, long activity and idle pause of a real user's session. */
  private void shape() {
    if (rng.nextDouble() < Proportions.LONG_SESSION) {
      // The last events start at most one pause (20 minutes) before this: still more than 6 h in.
      activeUntil = start + 390 * MINUTE + rng.nextLong(90 * MINUTE);
      views = Integer.MAX_VALUE;
      thinkSeconds = 10 * 60;
    } else if (rng.nextDouble() < Proportions.BOUNCE) {
      bounce = true;
      views = 1;
    } else {
      views = Math.min(Proportions.MAX_VIEWS, 2 + geometric(rng, Proportions.MEAN_EXTRA_VIEWS));
    }
    if (views > 1 && rng.nextDouble() < Proportions.IDLE_GAP) {
      idleGapBeforeView = midView();
      idleGapNanos = 31 * MINUTE + rng.nextLong(89 * MINUTE);
    }
  }

  private void sessionProperties() {
    if (rng.nextDouble() < Proportions.MANY_PROPERTIES) {
      int n = 110 + rng.nextInt(71);
      propertyKeys = new Key[n];
      propertyValues = new String[n];
      for (int i = 0; i < n; i++) {
        propertyKeys[i] = Key.sessionProperty(String.format("feature_flag_%03d", i));
        propertyValues[i] = rng.nextBoolean() ? "on" : "off";
      }
      propertiesView = midView();
    } else if (rng.nextDouble() < Proportions.SESSION_PROPERTIES) {
      int n = 1 + rng.nextInt(5);
      int first = rng.nextInt(PROPERTY_NAMES.length);
      propertyKeys = new Key[n];
      propertyValues = new String[n];
      for (int i = 0; i < n; i++) {
        String name = PROPERTY_NAMES[(first + i) % PROPERTY_NAMES.length];
        propertyKeys[i] = Key.sessionProperty(name);
        propertyValues[i] = propertyValue(name);
      }
      propertiesView = midView();
      if (rng.nextDouble() < Proportions.PROPERTY_UPDATE) {
        propertyUpdateView = propertiesView + 1 + rng.nextInt(3);
        updatedValue = propertyValue(propertyKeys[0].propertyName());
      }
    }
  }

  private String propertyValue(String name) {
    switch (name) {
      case "plan":
        return new String[] {"free", "basic", "premium"}[rng.nextInt(3)];
      case "cart_value":
        return String.format("%d.%02d", 5 + rng.nextInt(400), rng.nextInt(100));
      case "ab_test_group":
        return rng.nextBoolean() ? "A" : "B";
      case "checkout_step":
        return Integer.toString(1 + rng.nextInt(4));
      case "successful_checkout":
        return Boolean.toString(rng.nextDouble() < 0.3);
      case "locale":
        return new String[] {"en-US", "de-DE", "fr-FR", "ja-JP", "pt-BR"}[rng.nextInt(5)];
      case "loyalty_tier":
        return new String[] {"none", "silver", "gold"}[rng.nextInt(3)];
      default:
        return "autumn-sale-" + (1 + rng.nextInt(4));
    }
  }

  /** A view after the first where something changes mid-session; the first view for one-view sessions. */
  private int midView() {
    int known = activeUntil > 0 ? 20 : views;
    return known <= 1 ? 0 : 1 + rng.nextInt(known - 1);
  }

  /** Failures before the first success with success probability 1 / (mean + 1): mean {@code mean}. */
  static int geometric(SplittableRandom rng, double mean) {
    double u = 1.0 - rng.nextDouble();
    return (int) Math.min(10_000, Math.floor(Math.log(u) / Math.log(mean / (mean + 1))));
  }
}
