package io.rampart.agent.collectors.folder;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
        ReadBackBudget.Pace pace = new ReadBackBudget.Pace(1e12, () -> 0, nanos -> {});

        String hex = Sha256.of(file, pace);

        Process sum = new ProcessBuilder("sha256sum", file.toString()).start();
        String expected = new String(sum.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).substring(0, 64);
        assertThat(sum.waitFor()).isZero();
        assertThat(hex).isEqualTo(expected).isEqualTo(Sha256.java(file, new ReadBackBudget.Pace(1e12, () -> 0, nanos -> {})));
        assertThat(Sha256.hasherName()).matches("/.*/(openssl dgst -sha256 -r|sha256sum -)");
        assertThat(pace.bytes()).as("the agent still reads, and paces, every byte").isEqualTo(bytes.length);
    }

    @Test
    void aHasherThatHangsIsStoppedAtItsTimeLimitAndJavaHashesTheFile() throws Exception {
        Path file = big("hang.bak");
        Path hasher = script("hangs", "exec sleep 600\n");
        long started = System.nanoTime();

        String hex = Sha256.of(file, fast(), List.of(hasher.toString()), Duration.ofSeconds(2));

        assertThat(hex).isEqualTo(Sha256.java(file, fast()));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aHasherThatStopsReadingIsStoppedAtItsTimeLimitAndJavaHashesTheFile() throws Exception {
        Path file = big("stuck.bak");
        // reads nothing and never exits: the agent's write to the pipe blocks once the pipe buffer is full
        Path hasher = script("stuck", "exec sleep 600 </dev/null\n");

        String hex = Sha256.of(file, fast(), List.of(hasher.toString()), Duration.ofSeconds(2));

        assertThat(hex).isEqualTo(Sha256.java(file, fast()));
    }

    @Test
    void aHasherThatFailsOrPrintsGarbageFallsBackToJava() throws Exception {
        Path file = big("odd.bak");
        Path failing = script("fails", "cat >/dev/null; echo 'openssl: error' >&2; exit 1\n");
        Path garbage = script("garbage", "cat >/dev/null; echo 'not a hash at all'\n");

        assertThat(Sha256.of(file, fast(), List.of(failing.toString()), Duration.ofSeconds(30))).isEqualTo(Sha256.java(file, fast()));
        assertThat(Sha256.of(file, fast(), List.of(garbage.toString()), Duration.ofSeconds(30))).isEqualTo(Sha256.java(file, fast()));
    }

    @Test
    void aHasherThatCannotStartIsNeverAReadErrorJavaHashesTheFile() throws Exception {
        Path file = big("gone.bak");

        String hex = Sha256.of(file, fast(), List.of(dir.resolve("no-such-openssl").toString(), "dgst"), Duration.ofSeconds(30));

        assertThat(hex).isEqualTo(Sha256.java(file, fast()));
    }

    @Test
    void theHasherIsFoundByAbsolutePathNeverInTheCurrentDirectory() {
        assertThat(Sha256.onPath(List.of("sha256sum", "-"))).get().satisfies(tool -> assertThat(Path.of(tool.get(0))).isAbsolute());
        assertThat(Sha256.onPath(List.of("no-such-hasher-anywhere"))).isEmpty();
    }

    @Test
    void aFileThatCannotBeReadIsAReadErrorNotAFallback() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Sha256.of(dir.resolve("missing.bak"), fast(),
                List.of("/usr/bin/sha256sum", "-"), Duration.ofSeconds(30))).isInstanceOf(java.io.IOException.class);
    }

    private Path big(String name) throws Exception {
        Path file = dir.resolve(name);
        byte[] bytes = new byte[4 << 20];
        new Random(11).nextBytes(bytes);
        Files.write(file, bytes);
        return file;
    }

    private Path script(String name, String body) throws Exception {
        Path script = dir.resolve(name + ".sh");
        Files.writeString(script, "#!/bin/sh\n" + body);
        script.toFile().setExecutable(true);
        return script;
    }

    private static ReadBackBudget.Pace fast() {
        return new ReadBackBudget.Pace(1e12, () -> 0, nanos -> {});
    }
}
