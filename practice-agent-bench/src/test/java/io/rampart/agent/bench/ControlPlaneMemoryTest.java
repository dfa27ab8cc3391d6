package io.rampart.agent.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ControlPlaneMemoryTest {

    @Test
    void sumsHeapAndNonHeapPoolsAndReadsResidentSet() {
        ControlPlaneMemory memory = ControlPlaneMemory.parse("""
                # HELP jvm_memory_used_bytes The amount of used memory
                # TYPE jvm_memory_used_bytes gauge
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.048576E8
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 5.24288E7
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 6.291456E7
                jvm_memory_max_bytes{area="heap",id="G1 Old Gen"} 9.9E9
                process_resident_memory_bytes 3.3554432E8
                """);
        assertThat(memory.heapUsed()).hasValue(157_286_400L);
        assertThat(memory.nonHeapUsed()).hasValue(62_914_560L);
        assertThat(memory.residentSet()).hasValue(335_544_320L);
        assertThat(memory.describe()).isEqualTo("heap used 150 MB, non-heap used 60 MB, rss 320 MB");
    }

    @Test
    void saysWhenTheMetricsAreMissing() {
        ControlPlaneMemory memory = ControlPlaneMemory.parse("# nothing here\n");
        assertThat(memory.describe()).startsWith("unavailable");
        ControlPlaneMemory noRss = ControlPlaneMemory.parse("jvm_memory_used_bytes{area=\"heap\",id=\"x\"} 1048576\n");
        assertThat(noRss.describe()).isEqualTo("heap used 1 MB, non-heap used n/a, rss n/a");
    }
}
