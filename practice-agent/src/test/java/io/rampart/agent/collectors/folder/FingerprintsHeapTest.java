package io.rampart.agent.collectors.folder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fingerprint store at its bound ({@link Fingerprints#MAX_FILES}) fits the agent's heap: filled, saved, loaded and
 * saved again in a JVM started with the Linux installer's options (install.sh: {@code -Xmx32m
 * -XX:TieredStopAtLevel=1 -XX:+UseSerialGC}), while the folder's listing of as many files is held too, as the
 * folder check holds it.
 */
class FingerprintsHeapTest {

    @TempDir
    Path dir;

    @Test
    void aStoreAtItsBoundSavesAndLoadsInTheAgentsThirtyTwoMegabyteHeap() throws Exception {
        Path store = dir.resolve("nas-copy.fingerprints");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx32m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), AtTheBound.class.getName(), store.toString()).redirectErrorStream(true).start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();

        assertThat(process.exitValue()).as(printed).isZero();
        assertThat(printed).contains("kept " + Fingerprints.MAX_FILES);
        assertThat(Files.size(store)).as("bytes on disk").isGreaterThan(Fingerprints.MAX_FILES * 150L);
    }

    /** Run in the forked JVM: fills the store to its bound with names like a practice's scans, saves, loads, saves. */
    public static final class AtTheBound {
        public static void main(String[] args) throws IOException {
            Path file = Path.of(args[0]);
            Fingerprints store = Fingerprints.load(file);
            Instant now = Instant.parse("2026-11-30T12:00:00.123456789Z");
            List<FingerprintReadBack.Listed> listing = new ArrayList<>();
            byte[] sha = new byte[32];
            for (int i = 0; store.size() < Fingerprints.MAX_FILES; i++) {
                String name = String.format("Scans/%d/Patient-%06d/letter-%06d-referral-cardiology.pdf", 2020 + i % 5, i / 7, i);
                sha[i % 32]++;
                store.put(new Fingerprints.Fingerprint(name, HexFormat.of().formatHex(sha), 1_000_000L + i, now.minusSeconds(i), now, now,
                        "", null));
                listing.add(new FingerprintReadBack.Listed(name, 1_000_000L + i, now.minusSeconds(i)));
            }
            store.save();
            Fingerprints loaded = Fingerprints.load(file);
            loaded.save();
            System.out.println("kept " + loaded.size() + ", listed " + listing.size() + ", damaged lines " + loaded.damagedLines());
            if (loaded.damagedLines() > 0 || loaded.size() != Fingerprints.MAX_FILES) {
                System.exit(2);
            }
        }
    }
}
