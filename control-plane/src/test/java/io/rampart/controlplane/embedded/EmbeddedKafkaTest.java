package io.rampart.controlplane.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {

    /** An id starting with '-' made the storage tool take it for an option: one start in 64 failed. */
    @Test
    void clusterIdsAreKafkasShapeAndNeverLookLikeAnOption() {
        IntStream.range(0, 5_000).mapToObj(i -> EmbeddedKafka.clusterId()).forEach(id -> {
            assertThat(id).hasSize(22).matches("[A-Za-z0-9_][A-Za-z0-9_-]{21}");
        });
    }
}
