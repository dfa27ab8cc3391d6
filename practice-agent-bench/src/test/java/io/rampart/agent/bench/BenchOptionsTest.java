package io.rampart.agent.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void defaultsApplyWhenOnlyAgentsIsGiven() {
        BenchOptions options = BenchOptions.parse("--agents", "1000");
        assertThat(options).isEqualTo(new BenchOptions(1000, URI.create("http://localhost:8080"), "localhost:9000",
                Duration.ofSeconds(30), 50, Duration.ofSeconds(5), 64, 4, URI.create("http://localhost:9001")));
    }

    @Test
    void everyOptionCanBeSetInEitherForm() {
        BenchOptions options = BenchOptions.parse("--agents=10", "--http", "http://cp:8081/", "--grpc=cp:9001",
                "--duration", "1m30s", "--batch", "20", "--warmup", "500ms", "--concurrency", "8", "--channels", "2");
        assertThat(options.agents()).isEqualTo(10);
        assertThat(options.metrics()).as("the management port of the --http host").isEqualTo(URI.create("http://cp:9001"));
        assertThat(BenchOptions.parse("--agents=1", "--metrics", "http://cp:19001/").metrics()).isEqualTo(URI.create("http://cp:19001"));
        assertThat(options.http()).isEqualTo(URI.create("http://cp:8081"));
        assertThat(options.grpc()).isEqualTo("cp:9001");
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(90));
        assertThat(options.batch()).isEqualTo(20);
        assertThat(options.warmup()).isEqualTo(Duration.ofMillis(500));
        assertThat(options.concurrency()).isEqualTo(8);
        assertThat(options.channels()).isEqualTo(2);
    }

    @Test
    void durationsAcceptUnitsBareSecondsAndIso() {
        assertThat(BenchOptions.parseDuration("--d", "30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(BenchOptions.parseDuration("--d", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(BenchOptions.parseDuration("--d", "1h")).isEqualTo(Duration.ofHours(1));
        assertThat(BenchOptions.parseDuration("--d", "1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(BenchOptions.parseDuration("--d", "45")).isEqualTo(Duration.ofSeconds(45));
        assertThat(BenchOptions.parseDuration("--d", "PT10S")).isEqualTo(Duration.ofSeconds(10));
        assertThat(BenchOptions.parseDuration("--d", "0s")).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> BenchOptions.parseDuration("--duration", "30 seconds"))
                .isInstanceOf(BenchOptions.UsageException.class).hasMessageContaining("--duration");
        assertThatThrownBy(() -> BenchOptions.parseDuration("--duration", "s30"))
                .isInstanceOf(BenchOptions.UsageException.class);
    }

    @Test
    void badCommandLinesAreRefusedWithAReason() {
        assertThatThrownBy(() -> BenchOptions.parse()).hasMessage("--agents is required");
        assertThatThrownBy(() -> BenchOptions.parse("--agents", "0")).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> BenchOptions.parse("--agents", "ten")).hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> BenchOptions.parse("--agents", "1", "--frobs", "2")).hasMessageContaining("unknown option --frobs");
        assertThatThrownBy(() -> BenchOptions.parse("--agents")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> BenchOptions.parse("--agents", "1", "--duration", "0s")).hasMessageContaining("positive");
        assertThatThrownBy(() -> BenchOptions.parse("--agents", "1", "--grpc", "nohost")).hasMessageContaining("host:port");
    }
}
