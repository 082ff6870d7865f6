package org.rumsessions.generate;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Walks one session's timeline and produces its events: per view a navigation (hard page load or
 * soft SPA navigation on web, a view change on mobile), load and XHR user actions, requests,
 * interactions, the occasional error, replay chunks, and the view and page summaries. One instance
 * per task; its record buffer is reused for every event.
 */
final class EventGenerator {
  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000 * MS;

  private static final Weighted<Integer> STATUS = statuses();
  private static final Weighted<String> WEB_INTERACTIONS =
      Weighted.<String>of().add(0.70, "click").add(0.15, "scroll").add(0.08, "key_press").add(0.05, "change").add(0.02, "zoom");
  private static final Weighted<String> APP_INTERACTIONS =
      Weighted.<String>of().add(0.75, "touch").add(0.20, "scroll").add(0.05, "long_press");
  private static final List<String> UI_ELEMENTS =
      List.of("Add to cart", "Search", "Checkout", "Login", "Menu", "Next", "Filter: Size", "Apply coupon", "Continue", "Close");
  private static final List<String[]> WEB_EXCEPTIONS =
      List.of(
          new String[] {"TypeError", "Cannot read properties of undefined (reading 'price')"},
          new String[] {"ReferenceError", "dtrumConfig is not defined"},
          new String[] {"SyntaxError", "Unexpected token '<', \"<!DOCTYPE \"... is not valid JSON"},
          new String[] {"ChunkLoadError", "Loading chunk 42 failed.\n(error: https://shop.example.com/static/42.js)"});
  private static final List<String[]> APP_EXCEPTIONS =
      List.of(
          new String[] {"java.lang.IllegalStateException", "Fragment CartFragment not attached to a context."},
          new String[] {"java.lang.NullPointerException", "Attempt to invoke virtual method 'int java.lang.String.length()' on a null object reference"},
          new String[] {"NSInvalidArgumentException", "-[__NSCFString count]: unrecognized selector sent to instance 0x600000c2d2c0"});
  private static final List<String> CSP_DIRECTIVES = List.of("script-src-elem", "img-src", "connect-src", "style-src-elem", "frame-src");

  private final EventEmitter emitter;
  private final EventRecord r = new EventRecord();

  private SessionScenario s;
  private SplittableRandom rng;
  private int sequence;
  private long t;
  private long latestEnd;
  private boolean stopped;
  private Frontend frontend;
  private String tag;
  private String ip;
  private boolean propertiesPending;
  private boolean updatePending;

  private boolean pageOpen;
  private long pageStart;
  private String pageName;
  private String pageUrl;
  private int pageErrors;
  private int pageExceptions;
  private int viewErrors;
  private int viewExceptions;

  EventGenerator(EventEmitter emitter) {
    this.emitter = emitter;
  }

  void generate(SessionScenario scenario) {
    s = scenario;
    rng = scenario.rng;
    sequence = 0;
    t = scenario.start;
    latestEnd = t;
    stopped = false;
    frontend = scenario.frontend;
    tag = null;
    ip = scenario.client.place().ip();
    propertiesPending = false;
    updatePending = false;
    pageOpen = false;
    emitter.stats.sessions++;
    if (s.requestsOnly) {
      backgroundRequests();
      return;
    }
    for (int v = 0; !stopped && (s.activeUntil > 0 ? t < s.activeUntil : v < s.views); v++) {
      boolean newPage = false;
      if (v == s.idleGapBeforeView) {
        // The tab was hidden: the page summary goes out before the pause.
        closePage();
        t = Math.max(t, latestEnd) + s.idleGapNanos;
        newPage = true;
      }
      if (v == s.secondFrontendFromView) {
        closePage();
        frontend = s.secondFrontend;
        newPage = true;
      }
      view(v, newPage);
      t = Math.max(t, latestEnd) + think(s.thinkSeconds, s.maxThinkSeconds);
    }
    closePage();
  }

  private void view(int v, boolean newPage) {
    boolean web = !frontend.mobile();
    boolean hard = web && (v == 0 || newPage || !pageOpen || rng.nextDouble() < Proportions.HARD_NAVIGATION);
    if (hard) {
      closePage();
    }
    int page = v == 0 ? 0 : rng.nextInt(frontend.views().size());
    String name = frontend.views().get(page);
    String url = web ? "https://" + frontend.domain() + path(frontend.paths().get(page)) : null;
    long viewStart = t;
    viewErrors = 0;
    viewExceptions = 0;
    if (hard) {
      pageOpen = true;
      pageStart = t;
      pageName = name;
      pageUrl = url;
      pageErrors = 0;
      pageExceptions = 0;
    }
    navigation(name, url, hard);
    if (hard || (!web && v == 0)) {
      loadAction(name, url);
    }
    if (v == s.loginView) {
      tag = s.userTag;
    }
    if (v == s.secondLoginView) {
      tag = s.secondUserTag;
    }
    propertiesPending |= v == s.propertiesView;
    updatePending |= v == s.propertyUpdateView;
    if (v == s.ipChangeView) {
      ip = s.changedIp;
    }

    int requests = s.bounce ? rng.nextInt(3) : SessionScenario.geometric(rng, Proportions.MEAN_REQUESTS_PER_VIEW);
    for (int i = 0; i < requests; i++) {
      t += rng.nextInt(400) * MS;
      request(name, t);
    }
    if (s.interacts && !s.bounce) {
      int interactions = SessionScenario.SYNTHETIC.equals(s.userType)
          ? 1 + rng.nextInt(2)
          : SessionScenario.geometric(rng, Proportions.MEAN_INTERACTIONS_PER_VIEW);
      for (int i = 0; i < interactions; i++) {
        t = Math.max(t, latestEnd) + (1 + rng.nextInt(15)) * SECOND + rng.nextInt(1000) * MS;
        String element = UI_ELEMENTS.get(rng.nextInt(UI_ELEMENTS.size()));
        String type = interaction(name, element);
        if (("click".equals(type) || "touch".equals(type)) && rng.nextDouble() < Proportions.ACTION_PER_INTERACTION) {
          xhrAction(name, element);
        }
      }
    }
    errors(name);
    if (s.replay) {
      replay(viewStart);
    }
    if (s.crash && s.activeUntil == 0 && v == s.views - 1) {
      crash(name);
      stopped = true;
      return;
    }
    viewSummary(name, viewStart);
  }

  private void errors(String view) {
    if (rng.nextDouble() < Proportions.EXCEPTION_PER_VIEW) {
      exception(view);
    }
    if (rng.nextDouble() < Proportions.REPORTED_ERROR_PER_VIEW) {
      reportedError(view);
    }
    if (!frontend.mobile() && rng.nextDouble() < Proportions.CSP_VIOLATION_PER_WEB_VIEW) {
      cspViolation(view);
    }
    if ("Android".equals(frontend.platform()) && rng.nextDouble() < Proportions.ANR_PER_ANDROID_VIEW) {
      anr(view);
    }
  }

  // --- Events -----------------------------------------------------------------------------------

  private void navigation(String name, String url, boolean hard) {
    long duration = hard ? 300 * MS + exponential(1_200 * MS) : 50 * MS + rng.nextInt(750) * MS;
    if (!begin(t, t + duration)) {
      return;
    }
    r.flag(Flags.NAVIGATION);
    r.put(Keys.VIEW_NAME, name);
    if (!frontend.mobile()) {
      r.put(Keys.PAGE_NAME, pageName);
      double kind = rng.nextDouble();
      r.put(Keys.NAVIGATION_TYPE, !hard ? "soft_navigation" : kind < 0.9 ? "navigate" : kind < 0.97 ? "reload" : "back_forward");
    }
    if (hard) {
      // A page load is also the request of the document.
      r.flag(Flags.REQUEST);
      r.put(Keys.HTTP_METHOD, "GET");
      r.put(Keys.URL_FULL, url);
      r.put(Keys.URL_PROVIDER, "first_party");
      r.put(Keys.STATUS_CODE, 200);
    }
    finish();
    t += duration;
  }

  private void loadAction(String name, String url) {
    long start = t - rng.nextInt(200) * MS;
    if (!begin(Math.max(start, s.start), t + 100 * MS + rng.nextInt(1500) * MS)) {
      return;
    }
    r.flag(Flags.USER_ACTION);
    r.put(Keys.USER_ACTION_TYPE, "load");
    r.put(Keys.USER_ACTION_NAME, frontend.mobile() ? "Loading " + name : "Loading of page " + url);
    r.put(Keys.VIEW_NAME, name);
    finish();
  }

  private void request(String view, long start) {
    int status = STATUS.pick(rng);
    long duration = 20 * MS + exponential(250 * MS) + (status >= 500 ? exponential(SECOND) : 0);
    if (!begin(start, start + Math.min(duration, 30 * SECOND))) {
      return;
    }
    r.flag(Flags.REQUEST);
    double provider = rng.nextDouble();
    String domain;
    String path;
    if (provider < 0.8) {
      domain = frontend.domain();
      path = frontend.apiPaths().get(rng.nextInt(frontend.apiPaths().size()));
      r.put(Keys.URL_PROVIDER, "first_party");
    } else if (provider < 0.92) {
      domain = "analytics.example.org";
      path = "/collect";
      r.put(Keys.URL_PROVIDER, "third_party");
    } else {
      domain = "cdn.example.net";
      path = "/assets/app." + Integer.toHexString(frontend.name().hashCode() & 0xffff) + ".js";
      r.put(Keys.URL_PROVIDER, "cdn");
    }
    r.put(Keys.HTTP_METHOD, rng.nextDouble() < 0.7 ? "GET" : "POST");
    r.put(Keys.URL_FULL, "https://" + domain + path);
    r.put(Keys.URL_DOMAIN, domain);
    r.put(Keys.URL_PATH, path);
    r.put(Keys.STATUS_CODE, status);
    r.put(Keys.RESPONSE_SIZE, status == 204 || status == 304 ? 0 : 200 + rng.nextInt(60_000));
    r.put(Keys.VIEW_NAME, view);
    if (status >= 400) {
      r.flag(Flags.ERROR | Flags.FAILED_REQUEST);
      r.put(Keys.ERROR_TYPE, "request");
      r.put(Keys.ERROR_NAME, status + ": " + domain + path);
      countError(false);
    }
    finish();
  }

  private String interaction(String view, String element) {
    String type = (frontend.mobile() ? APP_INTERACTIONS : WEB_INTERACTIONS).pick(rng);
    if (!begin(t, t + rng.nextInt(80) * MS)) {
      return type;
    }
    r.flag(Flags.USER_INTERACTION);
    r.put(rng.nextDouble() < Proportions.INTERACTION_NAME_SPELLING ? Keys.INTERACTION_NAME : Keys.INTERACTION_TYPE, type);
    r.put(Keys.UI_ELEMENT, element);
    r.put(Keys.VIEW_NAME, view);
    finish();
    return type;
  }

  /** A user action started by an interaction, covering the requests it sends. */
  private void xhrAction(String view, String element) {
    long start = t + 5 * MS;
    int requests = 1 + rng.nextInt(2);
    for (int i = 0; i < requests; i++) {
      request(view, start + rng.nextInt(100) * MS);
    }
    if (!begin(start, Math.max(start, latestEnd) + 10 * MS + rng.nextInt(190) * MS)) {
      return;
    }
    r.flag(Flags.USER_ACTION);
    r.put(Keys.USER_ACTION_TYPE, frontend.mobile() ? "custom" : "xhr");
    r.put(Keys.USER_ACTION_NAME, (frontend.mobile() ? "Touch on " : "click on \"") + element + (frontend.mobile() ? "" : "\""));
    r.put(Keys.VIEW_NAME, view);
    finish();
  }

  private void exception(String view) {
    if (!begin(instant(), -1)) {
      return;
    }
    String[] e = (frontend.mobile() ? APP_EXCEPTIONS : WEB_EXCEPTIONS).get(rng.nextInt(frontend.mobile() ? APP_EXCEPTIONS.size() : WEB_EXCEPTIONS.size()));
    r.flag(Flags.ERROR | Flags.EXCEPTION);
    r.put(Keys.ERROR_TYPE, "exception");
    r.put(Keys.ERROR_NAME, e[0]);
    r.put(Keys.EXCEPTION_TYPE, e[0]);
    r.put(Keys.EXCEPTION_MESSAGE, e[1]);
    r.put(Keys.VIEW_NAME, view);
    countError(true);
    finish();
  }

  private void reportedError(String view) {
    if (!begin(instant(), -1)) {
      return;
    }
    r.flag(Flags.ERROR);
    r.put(Keys.ERROR_TYPE, "reported");
    r.put(Keys.ERROR_NAME, rng.nextBoolean() ? "Payment provider unavailable" : "Coupon validation failed");
    r.put(Keys.VIEW_NAME, view);
    countError(false);
    finish();
  }

  private void cspViolation(String view) {
    if (!begin(instant(), -1)) {
      return;
    }
    String directive = CSP_DIRECTIVES.get(rng.nextInt(CSP_DIRECTIVES.size()));
    r.flag(Flags.ERROR | Flags.CSP_VIOLATION);
    r.put(Keys.ERROR_TYPE, "csp");
    r.put(Keys.ERROR_REASON, "csp");
    r.put(Keys.CSP_DIRECTIVE, directive);
    r.put(Keys.ERROR_NAME, "Refused to load https://tracker.example.net/t.js (" + directive + ")");
    r.put(Keys.VIEW_NAME, view);
    countError(false);
    finish();
  }

  private void anr(String view) {
    long start = instant();
    if (!begin(start, start + 5 * SECOND + rng.nextInt(10_000) * MS)) {
      return;
    }
    r.flag(Flags.ERROR | Flags.ANR);
    r.put(Keys.ERROR_TYPE, "anr");
    r.put(Keys.ERROR_IS_FATAL, true);
    r.put(Keys.ERROR_NAME, "Input dispatching timed out");
    r.put(Keys.VIEW_NAME, view);
    countError(false);
    finish();
  }

  private void crash(String view) {
    if (!begin(instant(), -1)) {
      return;
    }
    boolean ios = "iOS".equals(frontend.platform());
    r.flag(Flags.ERROR | Flags.CRASH);
    r.put(Keys.ERROR_TYPE, "crash");
    r.put(Keys.ERROR_IS_FATAL, true);
    r.put(Keys.EXCEPTION_TYPE, ios ? "EXC_BAD_ACCESS" : "java.lang.OutOfMemoryError");
    r.put(Keys.ERROR_NAME, ios ? "EXC_BAD_ACCESS (SIGSEGV)" : "java.lang.OutOfMemoryError: Failed to allocate a 16777232 byte allocation");
    r.put(Keys.VIEW_NAME, view);
    finish();
  }

  private void replay(long viewStart) {
    if (!begin(viewStart, Math.max(viewStart, latestEnd))) {
      return;
    }
    r.flag(Flags.REPLAY);
    finish();
  }

  private void viewSummary(String view, long viewStart) {
    if (!begin(viewStart, Math.max(viewStart, latestEnd))) {
      return;
    }
    r.flag(Flags.VIEW_SUMMARY);
    r.put(Keys.VIEW_NAME, view);
    r.put(Keys.ERROR_COUNT, viewErrors);
    r.put(Keys.ERROR_EXCEPTION_COUNT, viewExceptions);
    finish();
  }

  /** The page summary of a web page, sent when the page is left. */
  private void closePage() {
    if (!pageOpen || stopped) {
      pageOpen = false;
      return;
    }
    pageOpen = false;
    if (!begin(pageStart, Math.max(pageStart, latestEnd))) {
      return;
    }
    r.flag(Flags.PAGE_SUMMARY);
    r.put(Keys.PAGE_NAME, pageName);
    r.put(Keys.URL_FULL, pageUrl);
    r.put(Keys.LCP, 400 * MS + exponential(1_500 * MS));
    r.put(Keys.ERROR_COUNT, pageErrors);
    r.put(Keys.ERROR_EXCEPTION_COUNT, pageExceptions);
    finish();
  }

  /** Keep-alive polling from a tab nobody looks at: requests only, an invalid session. */
  private void backgroundRequests() {
    for (int i = 0; i < s.views && !stopped; i++) {
      request(null, t);
      t = Math.max(t, latestEnd) + (60 + rng.nextInt(600)) * SECOND;
    }
  }

  // --- Record assembly --------------------------------------------------------------------------

  /** Starts a record with the fields every event carries; end -1 means an instant event. */
  private boolean begin(long start, long end) {
    if (stopped) {
      return false;
    }
    long e = end < 0 ? start : end;
    r.begin();
    r.put(Keys.ID, Ids.eventId(s.code, sequence++));
    r.put(Keys.SESSION_ID, s.sessionId);
    r.put(Keys.INSTANCE_ID, s.instanceId);
    r.put(Keys.USER_TYPE, s.userType);
    r.put(Keys.APPLICATION_ID, frontend.applicationId());
    r.put(Keys.APPLICATION_TYPE, frontend.type());
    r.put(Keys.FRONTEND_NAME, frontend.name());
    if (tag != null) {
      r.put(s.tagKey, tag);
    }
    r.times(start, e);
    latestEnd = Math.max(latestEnd, e);
    return true;
  }

  /** Adds the device and place context and pending session properties, then hands the record on. */
  private void finish() {
    if (rng.nextDouble() >= Proportions.CONTEXT_MISSING) {
      Client c = s.client;
      r.put(Keys.BROWSER_NAME, c.browserName());
      r.put(Keys.BROWSER_VERSION, c.browserVersion());
      if (c.windowWidth() > 0) {
        r.put(Keys.WINDOW_WIDTH, c.windowWidth());
        r.put(Keys.WINDOW_HEIGHT, c.windowHeight());
      }
      r.put(Keys.OS_NAME, c.osName());
      r.put(Keys.OS_VERSION, c.osVersion());
      r.put(Keys.DEVICE_TYPE, c.deviceType());
      r.put(Keys.DEVICE_MANUFACTURER, c.manufacturer());
      r.put(Keys.DEVICE_MODEL, c.model());
      r.put(Keys.SCREEN_WIDTH, c.screenWidth());
      r.put(Keys.SCREEN_HEIGHT, c.screenHeight());
      r.put(Keys.COUNTRY, c.place().country());
      r.put(Keys.CLIENT_IP, ip);
      r.put(Keys.CLIENT_ISP, c.place().isp());
      r.put(Keys.APP_VERSION, c.appVersion());
      r.put(Keys.APP_SHORT_VERSION, c.appShortVersion());
    }
    if (propertiesPending) {
      for (int i = 0; i < s.propertyKeys.length; i++) {
        r.put(s.propertyKeys[i], s.propertyValues[i]);
      }
      propertiesPending = false;
    } else if (updatePending) {
      r.put(s.propertyKeys[0], s.updatedValue);
      updatePending = false;
    }
    if (rng.nextDouble() < Proportions.INVALID_EVENT) {
      r.flag(Flags.INVALID);
    }
    if (!emitter.emit(r, rng)) {
      stopped = true;
    }
  }

  private void countError(boolean exception) {
    viewErrors++;
    pageErrors++;
    if (exception) {
      viewExceptions++;
      pageExceptions++;
    }
  }

  private long instant() {
    return Math.max(t, latestEnd - rng.nextInt(500) * MS);
  }

  private String path(String template) {
    return template.replace("{id}", Integer.toString(10_000 + rng.nextInt(90_000)));
  }

  private long think(double meanSeconds, double maxSeconds) {
    return (long) (Math.min(maxSeconds, 1 + meanSeconds * -Math.log(1.0 - rng.nextDouble())) * SECOND);
  }

  private long exponential(long mean) {
    return (long) (mean * -Math.log(1.0 - rng.nextDouble()));
  }

  private static Weighted<Integer> statuses() {
    Weighted<Integer> w = Weighted.of();
    double ok = Proportions.STATUS_2XX;
    double redirect = Proportions.STATUS_3XX;
    double client = Proportions.STATUS_4XX;
    double server = Proportions.STATUS_5XX;
    w.add(ok * 0.85, 200).add(ok * 0.05, 201).add(ok * 0.10, 204);
    w.add(redirect * 0.6, 304).add(redirect * 0.3, 302).add(redirect * 0.1, 301);
    w.add(client * 0.4, 404).add(client * 0.2, 401).add(client * 0.15, 403).add(client * 0.15, 400).add(client * 0.1, 429);
    w.add(server * 0.4, 500).add(server * 0.2, 502).add(server * 0.3, 503).add(server * 0.1, 504);
    return w;
  }
}
