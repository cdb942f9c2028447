package io.macfleet.controller.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void givesItsBurstAtOnceThenItsRate() {
    TokenBucket b = new TokenBucket(5, 20, 0);
    int taken = 0;
    while (b.tryTake(1, 0)) {
      taken++;
    }
    assertThat(taken).isEqualTo(20);
    assertThat(b.tryTake(1, SECOND / 10)).as("half a token after 100 ms").isFalse();
    assertThat(b.tryTake(1, SECOND / 5)).as("one token after 200 ms").isTrue();
    assertThat(b.tryTake(1, SECOND / 5)).isFalse();
    // a long quiet spell refills to the burst, never beyond
    int later = 0;
    while (b.tryTake(1, 100 * SECOND)) {
      later++;
    }
    assertThat(later).isEqualTo(20);
  }

  @Test
  void aCostAboveTheBurstNeverPassesAndTakesNothing() {
    TokenBucket b = new TokenBucket(1024, 4096, 0);
    assertThat(b.tryTake(5000, 0)).isFalse();
    assertThat(b.tryTake(4096, 0)).as("the refused request took nothing").isTrue();
  }

  @Test
  void isFullOnlyAfterRefilling() {
    TokenBucket b = new TokenBucket(10, 10, 0);
    assertThat(b.full(0)).isTrue();
    b.tryTake(10, 0);
    assertThat(b.full(SECOND / 2)).isFalse();
    assertThat(b.full(SECOND)).isTrue();
  }

  @Test
  void aClockThatStepsBackAddsNothing() {
    TokenBucket b = new TokenBucket(1, 1, 10 * SECOND);
    assertThat(b.tryTake(1, 10 * SECOND)).isTrue();
    assertThat(b.tryTake(1, 0)).isFalse();
  }
}
