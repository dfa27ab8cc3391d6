package io.rampart.agent.collectors.folder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the fingerprint read-back does when reading fails: on real files in a real folder, with the store in a real
 * file. A read error (here: the path reads as a directory, as when a share is swapped under the agent) is retried
 * first on the next run and only a second one in a row is reported; a name that cannot be turned into a path is not
 * verified, and the rest of the folder is still read.
 */
class FingerprintReadBackTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path folder;

    @TempDir
    Path home;

    @Test
    void aReadErrorIsRetriedFirstOnTheNextRunAndNeverReportedWhenTheFileThenReadsFine() throws IOException {
        FingerprintReadBack.Listed old = backup("clinical-2026-11-20.bak", Duration.ofDays(5), 1);
        FingerprintReadBack.Listed recent = backup("clinical-2026-11-24.bak", Duration.ofDays(1), 2);
        List<FingerprintReadBack.Listed> listed = List.of(old, recent);
        run(listed, NOW);
        Instant firstRead = store().get(old.file()).orElseThrow().verifiedAt();

        Path moved = unreadable(old);
        FingerprintReadBack.Outcome dropped = run(listed, NOW.plus(Duration.ofDays(1)));

        assertThat(dropped.problems()).as("one read error is not yet a bad file").isEmpty();
        assertThat(dropped.retrying()).singleElement().satisfies(p -> assertThat(p.reason()).startsWith("read error: "));
        assertThat(store().get(old.file()).orElseThrow().verifiedAt()).as("kept, so it is read again first").isEqualTo(firstRead);

        readable(old, moved);
        // a budget of one file a run: the file that failed comes before the rotation's others
        FingerprintReadBack.Outcome back = new FingerprintReadBack(folder, store(), new ReadBackBudget(30_000, 1.0 / 3600),
                pace(), "pg_restore").run(listed, NOW.plus(Duration.ofDays(2)), Duration.ofDays(1), Optional.empty());

        assertThat(back.filesVerified()).isEqualTo(1);
        assertThat(back.problems()).isEmpty();
        assertThat(back.retrying()).isEmpty();
        assertThat(store().get(old.file()).orElseThrow().verifiedAt()).isEqualTo(NOW.plus(Duration.ofDays(2)));
    }

    @Test
    void aSecondReadErrorInARowIsReportedAsUnreadable() throws IOException {
        FingerprintReadBack.Listed old = backup("clinical-2026-11-20.bak", Duration.ofDays(5), 1);
        List<FingerprintReadBack.Listed> listed = List.of(old);
        run(listed, NOW);
        unreadable(old);

        run(listed, NOW.plus(Duration.ofDays(1)));
        FingerprintReadBack.Outcome again = run(listed, NOW.plus(Duration.ofDays(2)));

        assertThat(again.retrying()).isEmpty();
        assertThat(again.problems()).singleElement().satisfies(p -> assertThat(p.toString())
                .startsWith("clinical-2026-11-20.bak (read error: ").contains("(the disk or share could not read it back)"));
    }

    @Test
    void aNameThatCannotBeAPathIsNotVerifiedAndTheOtherFilesAreStillRead() throws IOException {
        // under a non-UTF-8 locale a non-ASCII name fails the same way (InvalidPathException); a NUL does so under any
        FingerprintReadBack.Listed odd = new FingerprintReadBack.Listed("R\u0000ntgen-2026.bak", 10, NOW.minus(Duration.ofDays(1)));
        FingerprintReadBack.Listed fine = backup("clinical-2026-11-24.bak", Duration.ofDays(1), 2);

        FingerprintReadBack.Outcome outcome = run(List.of(odd, fine), NOW);

        assertThat(outcome.filesFingerprinted()).isEqualTo(1);
        assertThat(outcome.notVerified()).singleElement().asString().startsWith("R\u0000ntgen-2026.bak: the name cannot be opened in the agent's locale")
                .contains("run the agent with LANG=C.UTF-8");
        assertThat(outcome.problems()).isEmpty();
    }

    @Test
    void aDamagedLineOfTheStoreCostsOnlyItsOwnFingerprintAndIsReported() throws IOException {
        FingerprintReadBack.Listed old = backup("clinical-2026-11-20.bak", Duration.ofDays(5), 1);
        FingerprintReadBack.Listed recent = backup("clinical-2026-11-24.bak", Duration.ofDays(1), 2);
        run(List.of(old, recent), NOW);
        Path file = home.resolve("nas-copy.fingerprints");
        List<String> lines = Files.readAllLines(file);
        Files.write(file, lines.stream().map(line -> line.endsWith(old.file() + "\t0") ? line.replaceFirst("\t[0-9a-f]{64}\t", "\tzz\t") : line)
                .toList());

        FingerprintReadBack.Outcome outcome = run(List.of(old, recent), NOW.plus(Duration.ofDays(1)));

        assertThat(outcome.fingerprintsLost()).isEqualTo(1);
        assertThat(store().get(recent.file())).as("the other fingerprints are kept").isPresent();
        assertThat(outcome.filesFingerprinted()).as("the lost one is taken afresh").isEqualTo(1);
    }

    @Test
    void noFurtherFileIsStartedOnceTheBackupWindowOpensDuringARun() throws IOException {
        FingerprintReadBack.Listed a = backup("clinical-2026-11-23.bak", Duration.ofDays(2), 1);
        FingerprintReadBack.Listed b = backup("clinical-2026-11-24.bak", Duration.ofDays(1), 2);
        int[] asked = { 0 };

        FingerprintReadBack.Outcome outcome = new FingerprintReadBack(folder, store(), new ReadBackBudget(1e9, 24), pace(), "pg_restore")
                .run(List.of(a, b), NOW, Duration.ofDays(1), Optional.empty(),
                        () -> asked[0]++ == 0 ? Optional.empty() : Optional.of("the backup window (21:00-06:30) opened"));

        assertThat(outcome.filesFingerprinted()).isEqualTo(1);
        assertThat(outcome.awaiting()).isEqualTo(1);
        assertThat(outcome.notVerified()).containsExactly("reading stopped for this run: the backup window (21:00-06:30) opened");
    }

    @Test
    void aDamagedLineIsFilledInFromThePreviousCopyAndNothingIsLost() throws IOException {
        FingerprintReadBack.Listed old = backup("clinical-2026-11-20.bak", Duration.ofDays(5), 1);
        run(List.of(old), NOW);
        run(List.of(old), NOW.plus(Duration.ofDays(1)));
        Path file = home.resolve("nas-copy.fingerprints");
        assertThat(Fingerprints.previousOf(file)).exists();
        Files.write(file, Files.readAllLines(file).stream().map(line -> line.replaceFirst("\t[0-9a-f]{64}\t", "\tzz\t")).toList());

        FingerprintReadBack.Outcome outcome = run(List.of(old), NOW.plus(Duration.ofDays(2)));

        assertThat(outcome.fingerprintsLost()).isZero();
        assertThat(outcome.filesFingerprinted()).isZero();
        assertThat(outcome.filesVerified()).as("checked against the fingerprint taken on the first day").isEqualTo(1);
    }

    @Test
    void namesWithTabsNewlinesAndBackslashesSurviveTheStoreAndAreReadBackUnchanged() throws IOException {
        FingerprintReadBack.Listed odd = backup("scan\t2026\nletter\\ö.bak", Duration.ofDays(2), 3);
        run(List.of(odd), NOW);

        FingerprintReadBack.Outcome again = run(List.of(odd), NOW.plus(Duration.ofDays(1)));

        assertThat(store().get(odd.file())).isPresent();
        assertThat(again.filesVerified()).isEqualTo(1);
        assertThat(again.filesFingerprinted()).isZero();
        assertThat(again.fingerprintsLost()).isZero();
    }

    private FingerprintReadBack.Outcome run(List<FingerprintReadBack.Listed> listed, Instant now) {
        return new FingerprintReadBack(folder, store(), new ReadBackBudget(1e9, 24), pace(), "pg_restore")
                .run(listed, now, Duration.ofDays(1), Optional.empty());
    }

    private Fingerprints store() {
        return Fingerprints.load(home.resolve("nas-copy.fingerprints"));
    }

    private static ReadBackBudget.Pace pace() {
        return new ReadBackBudget.Pace(1e12, () -> 0, nanos -> {});
    }

    private FingerprintReadBack.Listed backup(String name, Duration age, long seed) throws IOException {
        Path file = folder.resolve(name);
        byte[] bytes = new byte[30_000];
        new Random(seed).nextBytes(bytes);
        Files.write(file, bytes);
        Files.setLastModifiedTime(file, FileTime.from(NOW.minus(age)));
        return new FingerprintReadBack.Listed(name, bytes.length, NOW.minus(age));
    }

    /** The file's place now reads as a directory: opening it for reading fails with an IOException. */
    private Path unreadable(FingerprintReadBack.Listed listed) throws IOException {
        Path moved = home.resolve(listed.file() + ".away");
        Files.move(folder.resolve(listed.file()), moved);
        Files.createDirectory(folder.resolve(listed.file()));
        return moved;
    }

    private void readable(FingerprintReadBack.Listed listed, Path moved) throws IOException {
        Files.delete(folder.resolve(listed.file()));
        Files.move(moved, folder.resolve(listed.file()));
    }
}
