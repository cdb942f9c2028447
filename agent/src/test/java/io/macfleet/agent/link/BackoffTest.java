package io.macfleet.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void widensExponentiallyWithJitterUpToTheCap() {
    Backoff b =
        new Backoff(Duration.ofMillis(100), Duration.ofMillis(1600), new SplittableRandom(42));
    long[] windows = {100, 200, 400, 800, 1600, 1600, 1600};
    for (long w : windows) {
      long d = b.next().toMillis();
      assertThat(d).isBetween(w / 2, w);
    }
    b.reset();
    assertThat(b.next().toMillis()).isBetween(50L, 100L);
  }

  @Test
  void theAgentsDefaultNeverWaitsMoreThanFiveSeconds() {
    Backoff b = new Backoff();
    for (int i = 0; i < 40; i++) {
      assertThat(b.next()).isLessThanOrEqualTo(Duration.ofSeconds(5));
    }
    assertThat(b.next())
        .isGreaterThanOrEqualTo(Duration.ofMillis(2500)); // jitter is half the window at most
  }

  @Test
  void jitterSpreadsAFleetOut() {
    Backoff a = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new SplittableRandom(1));
    Backoff c = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new SplittableRandom(2));
    for (int i = 0; i < 4; i++) {
      a.next();
      c.next();
    }
    assertThat(a.next()).isNotEqualTo(c.next());
  }
}
