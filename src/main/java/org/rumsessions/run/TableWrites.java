package org.rumsessions.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.rumsessions.tables.TableSpec;
import org.rumsessions.write.DeltaTables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's table writes, side by side and all or none. Each write is one atomic Delta commit; when
 * any of them fails, the tables that the others had already committed are restored to the versions
 * found before the first write. Side by side, because most of a small table's write is waiting
 * (Delta's log, job set-up), which then overlaps with the one large write instead of following it.
 */
final class TableWrites {
  private static final Logger LOG = LoggerFactory.getLogger(TableWrites.class);

  /** One table's write. Spark's AnalysisException is checked in Java's eyes, hence the throws. */
  interface Write {
    void run() throws Exception;
  }

  private final DeltaTables tables;
  private final Map<TableSpec, Write> writes = new LinkedHashMap<>();
  private final Map<TableSpec, Long> before = new LinkedHashMap<>();
  private final List<TableSpec> committed = new ArrayList<>();

  TableWrites(DeltaTables tables) {
    this.tables = tables;
  }

  TableWrites add(TableSpec table, Write write) {
    writes.put(table, write);
    return this;
  }

  /** Runs every write added, each on its own thread; returns when all succeeded. */
  void run(Instant runStartedAt) {
    writes.keySet().forEach(t -> before.put(t, tables.version(t)));
    ExecutorService pool =
        Executors.newFixedThreadPool(
            writes.size(),
            r -> {
              Thread t = new Thread(r, "rum-sessions-write");
              t.setDaemon(true);
              return t;
            });
    try {
      Map<TableSpec, Future<?>> running = new LinkedHashMap<>();
      writes.forEach(
          (table, write) ->
              running.put(
                  table,
                  pool.submit(
                      () -> {
                        write.run();
                        LOG.info("write {} done at {} s", table.name(), seconds(runStartedAt));
                        return null;
                      })));
      Exception failure = null;
      for (Map.Entry<TableSpec, Future<?>> e : running.entrySet()) {
        try {
          e.getValue().get();
          committed.add(e.getKey());
        } catch (ExecutionException | InterruptedException ex) {
          Throwable cause = ex instanceof ExecutionException ? ex.getCause() : ex;
          Exception asException = cause instanceof Exception c ? c : new WriteFailedException(cause.toString(), cause);
          if (failure == null) {
            failure = asException;
          } else {
            failure.addSuppressed(asException);
          }
        }
      }
      if (failure != null) {
        throw restoreAfter(failure);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Puts back every table this object committed, for a failure of its writes or of a step after
   * them; returns the failure to throw.
   */
  RuntimeException restoreAfter(Exception failure) {
    for (TableSpec t : committed) {
      try {
        tables.restore(t, before.get(t));
        LOG.warn("restored {} to version {} after a failed write", t.name(), before.get(t));
      } catch (Exception restoreFailure) {
        failure.addSuppressed(restoreFailure);
      }
    }
    committed.clear();
    return failure instanceof RuntimeException r
        ? r
        : new WriteFailedException("writing the tables failed: " + failure.getMessage(), failure);
  }

  private static String seconds(Instant since) {
    return String.format("%.1f", (Instant.now().toEpochMilli() - since.toEpochMilli()) / 1000.0);
  }
}
