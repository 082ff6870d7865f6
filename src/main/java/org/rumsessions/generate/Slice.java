package org.rumsessions.generate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;

/**
 * One task's share of the sessions: a contiguous range of the global session index, which runs
 * day by day. Sessions are generated in index order, so a slice's output depends only on the
 * arguments and the slice number.
 */
final class Slice {
  private final GeneratorSpec spec;
  private long next;
  private final long end;

  Slice(GeneratorSpec spec, int index) {
    this.spec = spec;
    this.next = spec.sliceStart(index);
    this.end = spec.sliceStart(index + 1);
  }

  boolean hasNext() {
    return next < end;
  }

  SessionScenario nextSession() {
    long i = next++;
    return SessionScenario.draw(spec, spec.firstDay() + i / spec.sessionsPerDay(), i % spec.sessionsPerDay());
  }

  /** Generates the slice into JSON Lines files under {@code folder}. */
  static GenerateStats writeJson(GeneratorSpec spec, int index, FileSystem fs, Path folder) {
    EventEmitter emitter;
    try (JsonFilesSink sink = new JsonFilesSink(fs, folder, index)) {
      emitter = new EventEmitter(spec, sink);
      EventGenerator generator = new EventGenerator(emitter);
      Slice slice = new Slice(spec, index);
      while (slice.hasNext()) {
        generator.generate(slice.nextSession());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot finish the files of slice " + index + " under " + folder, e);
    }
    return emitter.stats;
  }

  /** What {@link #rows} generates for the slice, counted without keeping the rows. */
  static GenerateStats count(GeneratorSpec spec, int index) {
    ParquetRows sink = new ParquetRows();
    EventEmitter emitter = new EventEmitter(spec, sink);
    EventGenerator generator = new EventGenerator(emitter);
    Slice slice = new Slice(spec, index);
    while (slice.hasNext()) {
      generator.generate(slice.nextSession());
      sink.drain();
    }
    return emitter.stats;
  }

  /** The slice as Parquet rows, generated lazily session by session. */
  static Iterator<Row> rows(GeneratorSpec spec, int index) {
    ParquetRows sink = new ParquetRows();
    EventEmitter emitter = new EventEmitter(spec, sink);
    EventGenerator generator = new EventGenerator(emitter);
    Slice slice = new Slice(spec, index);
    return new Iterator<>() {
      private Iterator<Row> buffered = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!buffered.hasNext() && slice.hasNext()) {
          generator.generate(slice.nextSession());
          buffered = sink.drain().iterator();
        }
        return buffered.hasNext();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return buffered.next();
      }
    };
  }
}
