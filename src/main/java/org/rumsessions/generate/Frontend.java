package org.rumsessions.generate;

import java.util.List;

/**
 * A monitored application: a web frontend (pages reached by URL) or a mobile app (views). Names,
 * ids and domains are made up; the domains are under the reserved {@code example.*} names.
 */
record Frontend(
    String name,
    String applicationId,
    boolean mobile,
    /** iOS or Android for an app; null for web. */
    String platform,
    String domain,
    /** Page or view names; for web also their URL paths, same index. */
    List<String> views,
    List<String> paths,
    /** First-party API endpoints the pages call. */
    List<String> apiPaths) {

  String type() {
    return mobile ? "mobile" : "web";
  }
}
