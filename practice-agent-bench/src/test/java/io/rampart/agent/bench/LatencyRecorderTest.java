package io.rampart.agent.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    @Test
    void percentilesAreNearestRankOverAllValues() {
        LatencyRecorder recorder = new LatencyRecorder();
        for (int i = 100; i >= 1; i--) {
            recorder.record(i);
        }
        assertThat(recorder.count()).isEqualTo(100);
        assertThat(recorder.percentile(50)).isEqualTo(50);
        assertThat(recorder.percentile(90)).isEqualTo(90);
        assertThat(recorder.percentile(99)).isEqualTo(99);
        assertThat(recorder.percentile(99.9)).isEqualTo(100);
        assertThat(recorder.percentile(100)).isEqualTo(100);
        assertThat(recorder.percentile(0)).isEqualTo(1);
        assertThat(recorder.max()).isEqualTo(100);
        assertThat(recorder.mean()).isEqualTo(50.5);
    }

    @Test
    void mergeCombinesRecordersAndGrowsPastTheInitialCapacity() {
        LatencyRecorder a = new LatencyRecorder();
        LatencyRecorder b = new LatencyRecorder();
        for (int i = 0; i < 5000; i++) {
            a.record(1);
            b.record(1000);
        }
        b.record(5000);
        a.merge(b);
        assertThat(a.count()).isEqualTo(10_001);
        assertThat(a.percentile(49.99)).isEqualTo(1); // rank 5000 of 10001
        assertThat(a.percentile(50)).isEqualTo(1000); // rank 5001
        assertThat(a.max()).isEqualTo(5000);
        a.record(0);
        assertThat(a.percentile(0)).isZero();
    }

    @Test
    void emptyRecorderAnswersZero() {
        LatencyRecorder recorder = new LatencyRecorder();
        assertThat(recorder.percentile(99)).isZero();
        assertThat(recorder.max()).isZero();
        assertThatThrownBy(() -> recorder.percentile(101)).isInstanceOf(IllegalArgumentException.class);
    }
}
