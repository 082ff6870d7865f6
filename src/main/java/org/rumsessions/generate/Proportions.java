package org.rumsessions.generate;

/**
 * How often each feature of the contract occurs. The values aim at a plausible production mix
 * that still shows every rare case in a few hundred sessions, so that small test data exercises the
 * whole contract. docs/generator.md lists them for readers of the data.
 */
final class Proportions {
  private Proportions() {}

  // --- Who is behind a session ---------------------------------------------------------------

  /** Crawlers that run the RUM JavaScript; they navigate fast and never interact. */
  static final double ROBOT = 0.06;
  /** Synthetic browser monitors: short scripted journeys at regular pace. */
  static final double SYNTHETIC = 0.03;
  /** Share of real users on the mobile apps instead of the web frontends. */
  static final double APP_USER = 0.35;
  /** Of the app users, iOS (the rest Android: ANRs exist only there). */
  static final double IOS = 0.45;
  /**
   * Size of the returning-user pool per daily session. Users are drawn from it, so one person
   * (same instance id, device, place and user tag) shows up in several sessions over the days.
   */
  static final int USERS_PER_DAILY_SESSION = 2;

  // --- Session shape --------------------------------------------------------------------------

  /** One page or view and no interaction: a bounce. */
  static final double BOUNCE = 0.25;
  /** Mean number of further views in a session that does not bounce (geometric). */
  static final double MEAN_EXTRA_VIEWS = 5.0;
  static final int MAX_VIEWS = 80;
  /** Mean pause between views, in seconds (exponential, capped below the 30-minute timeout). */
  static final double MEAN_THINK_SECONDS = 40;
  static final double MAX_THINK_SECONDS = 20 * 60;
  /** Dashboards and kiosk pages left open: active for 6 h 15 min to 8 h, so max-duration ends them. */
  static final double LONG_SESSION = 0.01;
  /** A pause of 31 to 120 minutes after which the same session id sends events again. */
  static final double IDLE_GAP = 0.05;
  /** Starts forced into the last 45 minutes of the day, so that sessions crossing midnight are common. */
  static final double LATE_EVENING_START = 0.03;
  /** Web sessions that move on to a second frontend (frontend.name becomes a list of two). */
  static final double SECOND_FRONTEND = 0.05;
  /** Later web views reached by a full page load; the rest are single-page-app soft navigations. */
  static final double HARD_NAVIGATION = 0.3;
  /** Sessions of background requests only (no navigation, action or interaction): invalid sessions. */
  static final double REQUESTS_ONLY = 0.01;

  // --- Within a view --------------------------------------------------------------------------

  static final double MEAN_REQUESTS_PER_VIEW = 3.0;
  static final double MEAN_INTERACTIONS_PER_VIEW = 2.0;
  /** Interactions that start a user action (with its own XHRs), like a click on "Add to cart". */
  static final double ACTION_PER_INTERACTION = 0.4;
  /** Interaction types spelled {@code interaction.name} (older semantic-dictionary pages) instead of {@code interaction.type}. */
  static final double INTERACTION_NAME_SPELLING = 0.1;
  static final double EXCEPTION_PER_VIEW = 0.03;
  static final double REPORTED_ERROR_PER_VIEW = 0.005;
  static final double CSP_VIOLATION_PER_WEB_VIEW = 0.01;
  static final double ANR_PER_ANDROID_VIEW = 0.005;
  /** App sessions that end in a crash (the crash is their last event): a poor but common 98% crash-free rate. */
  static final double CRASH_PER_APP_SESSION = 0.02;
  /** Web sessions of real users recorded by Session Replay. */
  static final double REPLAY = 0.15;
  /** Events that ingest validation flags as invalid ({@code characteristics.is_invalid}). */
  static final double INVALID_EVENT = 0.002;
  /** Events without their device, place and network fields (lost context), to exercise first-non-null. */
  static final double CONTEXT_MISSING = 0.03;
  /** App sessions that change network mid-session, so client.ip changes. */
  static final double IP_CHANGE = 0.03;

  // --- Request status mix (of request events) -------------------------------------------------

  static final double STATUS_2XX = 0.90;
  static final double STATUS_3XX = 0.04;
  static final double STATUS_4XX = 0.045;
  static final double STATUS_5XX = 0.015;

  // --- Session properties and user tags -------------------------------------------------------

  /** Sessions that set 1 to 5 session properties mid-session. */
  static final double SESSION_PROPERTIES = 0.30;
  /** Of those, sessions that later change a property (the last value counts). */
  static final double PROPERTY_UPDATE = 0.3;
  /** Sessions that set 110 to 180 properties: more than the default cap of 100 names. */
  static final double MANY_PROPERTIES = 0.01;
  /** Real users who log in mid-session; from then on their events carry the user tag. */
  static final double LOGIN = 0.4;
  /** Of those, apps that send the tag as {@code user.identifier} instead of {@code dt.rum.user_tag}. */
  static final double USER_IDENTIFIER_SPELLING = 0.2;
  /** Of those, sessions where a second person logs in later (the last tag counts). */
  static final double SECOND_LOGIN = 0.05;

  // --- Spelling of a record -------------------------------------------------------------------

  /** Flat dotted keys, the way exports look; nested objects; a mix in one record. */
  static final double KEYS_FLAT = 0.6;
  static final double KEYS_NESTED = 0.25;
  /** Records that list every characteristics flag, false ones too; the rest list only the true ones. */
  static final double EXPLICIT_FLAGS = 0.2;
  /** Times as epoch-nanosecond integers; the rest as ISO-8601 text. */
  static final double TIMES_AS_NANOS = 0.3;
  /** Fractional digits of ISO times: milliseconds most, then micro- and nanoseconds, a few odd ones. */
  static final int[] FRACTION_DIGITS = {3, 3, 3, 3, 6, 6, 6, 9, 9, 4, 5, 7, 8};
  /** ISO times with a non-zero offset (same instant), and with a zero offset written +00:00. */
  static final double NON_UTC_OFFSET = 0.05;
  static final double NUMERIC_ZERO_OFFSET = 0.05;
  /** Which of end_time and duration a record carries; the rest carry neither. */
  static final double END_AND_DURATION = 0.25;
  static final double END_ONLY = 0.35;
  static final double DURATION_ONLY = 0.25;
  /** Records that also carry {@code timestamp}. */
  static final double TIMESTAMP = 0.3;

  // --- Delivery -------------------------------------------------------------------------------

  /** Events uploaded twice after a retry: same id, identical content. */
  static final double DUPLICATE = 0.01;
  /** Where the second copy lands: right after the first, in the retry file of the folder, or in the next day's folder. */
  static final double DUPLICATE_SAME_FILE = 0.5;
  static final double DUPLICATE_RETRY_FILE = 0.35;
  /** Events this close to midnight may be exported with the next day's batch (late arrival). */
  static final long LATE_WINDOW_MINUTES = 15;
  static final double LATE_TO_NEXT_DAY = 0.3;

  // --- Corrupt lines (their share is --bad-fraction) -------------------------------------------

  static final double CORRUPT_TRUNCATED = 0.4;
  static final double CORRUPT_NO_SESSION_ID = 0.2;
  static final double CORRUPT_BAD_START = 0.2;
  /** The rest: end_time before start_time. */
  static final double CORRUPT_END_BEFORE_START = 0.2;
}
