package io.rampart.agent.collectors.folder;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A big file is hashed by the real openssl or sha256sum through a pipe, and gives what sha256sum itself prints. */
class Sha256Test {

    @TempDir
    Path dir;

    @Test
    void aFileBigEnoughForTheNativeHasherHashesAsSha256sumDoes() throws Exception {
        Path file = dir.resolve("clinical.bak");
        byte[] bytes = new byte[(int) Sha256.NATIVE_FROM_BYTES + 12_345];
        new Random(7).nextBytes(bytes);
        Files.write(file, bytes);
        ReadBackBudget.Pace pace = new ReadBackBudget.Pace(1e12, () -> 0, nanos -> { });

        String hex = Sha256.of(file, pace);

        Process sum = new ProcessBuilder("sha256sum", file.toString()).start();
        String expected = new String(sum.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).substring(0, 64);
        assertThat(sum.waitFor()).isZero();
        assertThat(hex).isEqualTo(expected).isEqualTo(Sha256.java(file, new ReadBackBudget.Pace(1e12, () -> 0, nanos -> { })));
        assertThat(Sha256.hasherName()).isIn("openssl dgst -sha256 -r", "sha256sum -");
        assertThat(pace.bytes()).as("the agent still reads, and paces, every byte").isEqualTo(bytes.length);
    }
}
