package io.rampart.agent.collectors.folder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.agent.collectors.ExternalCommand;

/**
 * How a pg_restore outcome is classified: its own limits (time, compression, archive version) are "not verified",
 * never damage. The real pg_restore 15 cases are in FolderFingerprintsDumpTest; here the outcomes that are hard to
 * produce on demand (a 10-minute time limit, a build without lz4), in the words pg_restore 15-17 print.
 */
class FileStructureTest {

    @TempDir
    Path dir;

    @Test
    void aPgRestoreThatRanOutOfTimeIsNotVerifiedNeverDamaged() throws IOException {
        ExternalCommand.Outcome slow = new ExternalCommand.Outcome(-1, "", "", true, Duration.ofMinutes(12));

        assertThat(FileStructure.toolProblem(slow, dump(), "pg_restore")).get().asString()
                .isEqualTo("the dump's structure was not checked: pg_restore did not finish within 12 minutes (a slow disk or share); "
                        + "its bytes were read back");
    }

    @Test
    void aPgRestoreBuiltWithoutTheDumpsCompressionIsNotVerifiedNeverDamaged() throws IOException {
        for (String said : new String[] { "pg_restore: error: this build does not support compression with lz4",
                "pg_restore: error: cannot restore from compressed archive (compression not supported in this installation)" }) {
            ExternalCommand.Outcome outcome = new ExternalCommand.Outcome(1, "", said + "\n", false, Duration.ofSeconds(1));

            assertThat(FileStructure.toolProblem(outcome, dump(), "pg_restore")).as(said).get().asString()
                    .contains("cannot read this dump's compression").contains("the dump was not checked");
        }
    }

    @Test
    void aDataErrorFromAPgRestoreThatReadTheVersionIsDamage() throws IOException {
        ExternalCommand.Outcome outcome = new ExternalCommand.Outcome(1, "",
                "pg_restore: error: could not read from input file: end of file\n", false, Duration.ofSeconds(1));

        assertThat(FileStructure.toolProblem(outcome, dump(), "pg_restore")).isEmpty();
    }

    @Test
    void readsTheArchiveVersionFromTheDumpsHeader() throws IOException {
        assertThat(FileStructure.archiveVersion(dump())).isEqualTo("1.14");
    }

    private Path dump() throws IOException {
        Path file = dir.resolve("clinical.dump");
        if (!Files.exists(file)) {
            try (InputStream in = getClass().getResourceAsStream("/dumps/clinical.dump")) {
                Files.copy(in, file);
            }
        }
        return file;
    }
}
