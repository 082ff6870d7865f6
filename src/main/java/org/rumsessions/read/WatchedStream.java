package org.rumsessions.read;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A file's stream that remembers whether the storage below it failed. A decoder above it (gzip,
 * Parquet) fails too when the bytes are damaged; only this tells the two apart: damaged bytes are
 * data to reject, a failed read is a task for Spark to retry.
 */
final class WatchedStream extends FilterInputStream {
  private final boolean[] failed;

  /** @param failed set to true at the first failure of {@code in} */
  WatchedStream(InputStream in, boolean[] failed) {
    super(in);
    this.failed = failed;
  }

  @Override
  public int read() throws IOException {
    try {
      return super.read();
    } catch (IOException e) {
      failed[0] = true;
      throw e;
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      return super.read(b, off, len);
    } catch (IOException e) {
      failed[0] = true;
      throw e;
    }
  }

  @Override
  public long skip(long n) throws IOException {
    try {
      return super.skip(n);
    } catch (IOException e) {
      failed[0] = true;
      throw e;
    }
  }
}
