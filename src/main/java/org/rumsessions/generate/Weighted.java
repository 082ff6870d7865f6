package org.rumsessions.generate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** A fixed mix of values with relative weights; {@link #pick} draws one. */
final class Weighted<T> implements Serializable {
  private final List<T> values = new ArrayList<>();
  private double[] cumulative = new double[0];
  private double total;

  static <T> Weighted<T> of() {
    return new Weighted<>();
  }

  Weighted<T> add(double weight, T value) {
    if (weight <= 0) {
      throw new IllegalArgumentException("weight must be positive: " + value);
    }
    values.add(value);
    total += weight;
    cumulative = Arrays.copyOf(cumulative, values.size());
    cumulative[values.size() - 1] = total;
    return this;
  }

  T pick(SplittableRandom rng) {
    double x = rng.nextDouble() * total;
    for (int i = 0; i < cumulative.length; i++) {
      if (x < cumulative[i]) {
        return values.get(i);
      }
    }
    return values.get(values.size() - 1);
  }
}
