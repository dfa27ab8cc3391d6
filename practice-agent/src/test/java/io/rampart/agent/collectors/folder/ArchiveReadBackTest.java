package io.rampart.agent.collectors.folder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.rampart.agent.collectors.BackupArchives;

/**
 * Archives made by the real tools (GNU tar 1.34, Info-ZIP zip 3.0, bsdtar from libarchive-tools, 7z from
 * p7zip-full), each a kind that readers get wrong: what the tool itself reads back is readable here, and what is
 * truly damaged is damaged naming the entry.
 */
class ArchiveReadBackTest {

    @TempDir
    static Path work;

    @BeforeAll
    static void theFilesAPracticeBacksUp() throws IOException {
        BackupArchives.documents(work);
        BackupArchives.sparseImage(work);
        // data 7-Zip compresses with the method asked for (random bytes it would store as they are)
        Files.writeString(work.resolve("letters.txt"), "Dear Dr Smith, the results are attached.\n".repeat(2000));
    }

    static Stream<Arguments> readable() {
        return Stream.of(
                // tar: every header format GNU tar and bsdtar write, with long and non-ASCII names and links
                Arguments.of("gnu.tar", "tar --format=gnu -cf gnu.tar documents", 7),
                Arguments.of("oldgnu.tar", "tar --format=oldgnu -cf oldgnu.tar documents", 7),
                Arguments.of("pax.tar", "tar --format=pax -cf pax.tar documents", 7),
                Arguments.of("bsdtar-pax.tar", "bsdtar --format=pax -cf bsdtar-pax.tar documents", 7),
                // a name that is not UTF-8 (Latin-1 "Müller.txt"): GNU tar in the C locale writes pax hdrcharset=BINARY
                Arguments.of("latin1-pax.tar", "mkdir -p latin1 && printf hi > \"latin1/$(printf 'M\\374ller.txt')\" "
                        + "&& LC_ALL=C tar --format=pax -cf latin1-pax.tar latin1", 2),
                Arguments.of("latin1-bsdtar.tar", "mkdir -p latin1 && printf hi > \"latin1/$(printf 'M\\374ller.txt')\" "
                        + "&& LC_ALL=C.UTF-8 bsdtar --format=pax -cf latin1-bsdtar.tar latin1", 2),
                Arguments.of("latin1.zip", "mkdir -p latin1 && printf hi > \"latin1/$(printf 'M\\374ller.txt')\" "
                        + "&& LC_ALL=C zip -q -r latin1.zip latin1", 2),
                Arguments.of("bsdtar-ustar.tar", "bsdtar --format=ustar -cf bsdtar-ustar.tar documents/scans documents/Bücher", 4),
                Arguments.of("hard-links.tar", "mkdir -p linked && cp documents/scans/0042.pdf linked/a.pdf "
                        + "&& ln -f linked/a.pdf linked/b.pdf && tar -cf hard-links.tar linked", 3),
                // sparse files in every form: GNU, old GNU, pax 0.0, 0.1 and 1.0, and bsdtar's
                Arguments.of("sparse-oldgnu.tar", "tar --format=oldgnu --sparse -cf sparse-oldgnu.tar s.img", 1),
                Arguments.of("sparse-pax00.tar", "tar --format=pax --sparse --sparse-version=0.0 -cf sparse-pax00.tar s.img", 1),
                Arguments.of("sparse-pax01.tar", "tar --format=pax --sparse --sparse-version=0.1 -cf sparse-pax01.tar s.img", 1),
                Arguments.of("sparse-pax10.tar", "tar --format=pax --sparse --sparse-version=1.0 -cf sparse-pax10.tar s.img", 1),
                Arguments.of("sparse-bsdtar.tar", "bsdtar --read-sparse -cf sparse-bsdtar.tar s.img", 1),
                // GNU incremental backups: directories as 'D' entries carrying their listing
                Arguments.of("level0.tar", "tar --format=gnu -g level0.snar -cf level0.tar documents", 7),
                Arguments.of("level0-pax.tar", "tar --format=pax -g level0-pax.snar -cf level0-pax.tar documents", 7),
                // the second volume of a multi-volume set starts with a continuation ('M') entry
                Arguments.of("volume2.tar", "head -c 30000 documents/scans/0042.pdf > part.bin && "
                        + "tar -M -L 20 -cf volume1.tar -f volume2.tar part.bin", 1),
                Arguments.of("empty.tar", "tar -cf empty.tar -T /dev/null", 0),
                // compressed tars, including gzip members written one after the other (pigz, appended backups)
                Arguments.of("documents.tar.gz", "tar -czf documents.tar.gz documents", 7),
                Arguments.of("documents.tgz", "tar -czf documents.tgz documents", 7),
                Arguments.of("concatenated.tar.gz", "tar -cf whole.tar documents && head -c 10240 whole.tar | gzip > c1 "
                        + "&& tail -c +10241 whole.tar | gzip > c2 && cat c1 c2 > concatenated.tar.gz", 7),
                Arguments.of("documents.tar.bz2", "tar -cjf documents.tar.bz2 documents", 7),
                Arguments.of("documents.tar.xz", "tar -cJf documents.tar.xz documents", 7),
                // zip: every name encoding
                Arguments.of("unicode-path.zip", "zip -q -r unicode-path.zip documents", 7),
                Arguments.of("utf8-flag.zip", "zip -q -r -UN=UTF8 utf8-flag.zip documents", 7),
                Arguments.of("oem-850.zip", "7z a -tzip -mcp=850 -bso0 -bsp0 oem-850.zip documents", 7),
                Arguments.of("bsdtar.zip", "bsdtar --format=zip -cf bsdtar.zip documents", 7),
                // zip: data descriptors (zip -fd, and streamed to a pipe), zip64, deflate64 and bzip2 from 7-Zip
                Arguments.of("descriptors.zip", "zip -q -r -fd descriptors.zip documents", 7),
                Arguments.of("streamed.zip", "cd documents && zip -q -r - . > ../streamed.zip", 6),
                Arguments.of("zip64.zip", "zip -q -r -fz zip64.zip documents", 7),
                // more than 65 535 entries: the count is only in the zip64 end of central directory
                Arguments.of("many.zip", "mkdir many && cd many && seq 1 66000 | xargs touch && cd .. && zip -q -r many.zip many", 66_001),
                Arguments.of("deflate64.zip", "7z a -tzip -mm=Deflate64 -bso0 -bsp0 deflate64.zip documents letters.txt", 8),
                Arguments.of("bzip2.zip", "7z a -tzip -mm=BZip2 -bso0 -bsp0 bzip2.zip documents letters.txt", 8),
                Arguments.of("empty.zip", "zip -q empty.zip letters.txt && zip -q -d empty.zip letters.txt", 0),
                // 7-Zip's own format, solid and not, and a database dump compressed on its own
                Arguments.of("documents.7z", "7z a -bso0 -bsp0 documents.7z documents", 7),
                Arguments.of("ultra.7z", "7z a -mx=9 -bso0 -bsp0 ultra.7z documents letters.txt", 8),
                Arguments.of("non-solid.7z", "7z a -ms=off -bso0 -bsp0 non-solid.7z documents", 7),
                Arguments.of("dump.sql.gz", "gzip -c letters.txt > dump.sql.gz", 1),
                Arguments.of("dump.sql.bz2", "bzip2 -c letters.txt > dump.sql.bz2", 1),
                Arguments.of("dump.sql.xz", "xz -c letters.txt > dump.sql.xz", 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readable")
    void readsBackWhatTheToolItselfReadsBack(String archive, String commandLine, long entries) throws IOException {
        BackupArchives.shell(work, commandLine);

        ArchiveReadBack.Result result = read(archive);

        assertThat(result.damage()).as(archive).isEmpty();
        assertThat(result.notVerified()).isEmpty();
        assertThat(result.entries()).isEqualTo(entries);
    }

    @Test
    void readsTheIssuesGnuSparseTarWithSixDataSegments() throws IOException {
        Path archive = BackupArchives.issueInput("sparse6.tar", work.resolve("issue-sparse6.tar"));
        BackupArchives.run(work, "tar", "-tf", archive.toString());

        assertThat(ArchiveReadBack.read(archive, ArchiveReadBack.Kind.TAR))
                .isEqualTo(new ArchiveReadBack.Result(1, java.util.Optional.empty(), java.util.List.of()));
    }

    @Test
    void readsTheIssuesZipWithACodePage437NameAndNamesItsEntriesAsUnzipDoes() throws IOException {
        Path archive = BackupArchives.issueInput("cp437.zip", work.resolve("issue-cp437.zip"));
        BackupArchives.run(work, "unzip", "-tq", archive.toString());

        ArchiveReadBack.Result result = ArchiveReadBack.read(archive, ArchiveReadBack.Kind.ZIP);

        assertThat(result.damage()).isEmpty();
        assertThat(result.entries()).isEqualTo(2);
    }

    @Test
    void namesTheIssuesCodePage437EntryAsUnzipDoesWhenItsDataIsDamaged() throws IOException {
        Path archive = BackupArchives.issueInput("cp437.zip", work.resolve("issue-cp437-damaged.zip"));
        // "Müller_Brief.txt" is stored (15 bytes) right after its 30-byte local header and 16-byte name
        BackupArchives.flipByte(archive, 30 + 16 + 3);

        assertThat(ArchiveReadBack.read(archive, ArchiveReadBack.Kind.ZIP).damage()).hasValue("entry 'Müller_Brief.txt' fails its CRC-32");
    }

    @Test
    void namesACodePageEntryAsItWasMeantWhenItsDataIsDamaged() throws IOException {
        // one entry, "Müller_Brief.txt" in code page 850 (7-Zip's OEM names), stored so that its bytes can be hit
        Files.write(work.resolve("Müller_Befund.pdf"), BackupArchives.SCAN);
        BackupArchives.shell(work, "7z a -tzip -mcp=850 -mx=0 -bso0 -bsp0 befund.zip Müller_Befund.pdf");
        BackupArchives.damageTheScan(work.resolve("befund.zip"));

        assertThat(read("befund.zip").damage()).hasValue("entry 'Müller_Befund.pdf' fails its CRC-32");
    }

    static Stream<Arguments> notVerifiable() {
        return Stream.of(
                Arguments.of("zipcrypto.zip", "zip -q -r -P secret zipcrypto.zip documents/scans",
                        "entry 'documents/scans/0042.pdf' is encrypted: its CRC-32 can only be checked with the password"),
                Arguments.of("aes.zip", "7z a -tzip -psecret -mem=AES256 -bso0 -bsp0 aes.zip documents/scans",
                        "entry 'documents/scans/0042.pdf' is encrypted: its CRC-32 can only be checked with the password"),
                Arguments.of("ppmd.zip", "7z a -tzip -mm=PPMd -bso0 -bsp0 ppmd.zip letters.txt",
                        "entry 'letters.txt' is compressed with PPMd (zip method 98), which the agent cannot decompress to check its CRC-32"),
                Arguments.of("encrypted.7z", "7z a -psecret -bso0 -bsp0 encrypted.7z documents/scans",
                        "entry 'documents/scans/0042.pdf' is encrypted: its CRC-32 can only be checked with the password"),
                Arguments.of("encrypted-names.7z", "7z a -psecret -mhe=on -bso0 -bsp0 encrypted-names.7z documents/scans",
                        "the archive is encrypted, its list of files too: its CRCs can only be checked with the password"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notVerifiable")
    void aZipEntryThatNeedsAPasswordOrAnUnknownMethodIsNotVerifiedButNotDamaged(String archive, String commandLine, String why)
            throws IOException {
        BackupArchives.shell(work, commandLine);

        ArchiveReadBack.Result result = read(archive);

        assertThat(result.damage()).isEmpty();
        assertThat(result.notVerified()).contains(why);
    }

    static Stream<Arguments> damaged() {
        return Stream.of(
                // a byte flipped inside the scan's data: the entry fails its CRC-32
                Arguments.of("flipped.zip", "zip -q -r flipped.zip documents", "flip-scan",
                        "entry 'documents/scans/0042.pdf' fails its CRC-32"),
                Arguments.of("flipped-descriptors.zip", "zip -q -r -fd flipped-descriptors.zip documents", "flip-scan",
                        "entry 'documents/scans/0042.pdf' fails its CRC-32"),
                Arguments.of("flipped-streamed.zip", "cd documents && zip -q -r - . > ../flipped-streamed.zip", "flip-scan",
                        "entry 'scans/0042.pdf' fails its CRC-32"),
                Arguments.of("flipped-7z.zip", "7z a -tzip -mm=Deflate64 -bso0 -bsp0 flipped-7z.zip documents", "flip-scan",
                        "entry 'documents/scans/0042.pdf' fails its CRC-32"),
                // cut off: a zip loses its central directory, a tar ends inside an entry or without its end marker
                Arguments.of("cut.zip", "zip -q -r cut.zip documents", "cut:40000",
                        "its central directory cannot be read (cut off, or not a zip): Archive is not a ZIP archive"),
                Arguments.of("cut.tar", "tar --format=gnu -cf cut.tar documents/scans", "cut:40000",
                        "entry 'documents/scans/0042.pdf' is cut off (the archive ends inside it)"),
                Arguments.of("no-end-marker.tar", "tar --format=gnu -cf no-end-marker.tar documents/Bücher", "cut:2048",
                        "it ends without its end-of-archive marker after entry 'documents/Bücher/Müller_Brief.txt' (cut off?)"),
                Arguments.of("cut-sparse.tar", "tar --format=pax --sparse --sparse-version=1.0 -cf cut-sparse.tar s.img", "cut:2000",
                        "entry 's.img' is cut off (the archive ends inside it)"),
                Arguments.of("cut.tar.gz", "tar -czf cut.tar.gz documents/scans", "cut:40000",
                        "entry 'documents/scans/0042.pdf' is cut off (the archive ends inside it)"),
                // xz decodes a block only whole: the damage comes before the first entry it could read
                Arguments.of("cut.tar.xz", "tar -cJf cut.tar.xz documents/scans", "cut:40000",
                        "its xz data is cut off before its first entry"),
                // the first volume of a multi-volume set alone: GNU tar too says "Unexpected EOF in archive"
                Arguments.of("volume1.tar", "head -c 30000 documents/scans/0042.pdf > part1.bin && "
                        + "tar -M -L 20 -cf volume1.tar -f volume1b.tar part1.bin", "none",
                        "entry 'part1.bin' is cut off (the archive ends inside it)"),
                Arguments.of("flipped.7z", "7z a -ms=off -mx=0 -bso0 -bsp0 flipped.7z documents/scans", "flip-scan",
                        "entry 'documents/scans/0042.pdf' fails its CRC-32"),
                Arguments.of("cut.7z", "7z a -bso0 -bsp0 cut.7z documents", "cut:40000",
                        "its header cannot be read (cut off, or not a 7z archive): nextHeaderOffset is out of bounds"),
                Arguments.of("cut.sql.gz", "gzip -c documents/scans/0042.pdf > cut.sql.gz", "cut:40000", "its gzip data is cut off"),
                Arguments.of("flipped.sql.gz", "gzip -c letters.txt > flipped.sql.gz", "flip:-6", "its gzip data fails its CRC"),
                Arguments.of("cut.sql.bz2", "bzip2 -c documents/scans/0042.pdf > cut.sql.bz2", "cut:40000",
                        "its bzip2 data is cut off"),
                Arguments.of("cut.tar.bz2", "tar -cjf cut.tar.bz2 documents/scans", "cut:40000",
                        "its bzip2 data is cut off before its first entry"),
                // a tar header's name changed: its header checksum no longer matches
                Arguments.of("first-header.tar", "tar --format=gnu -cf first-header.tar documents/scans", "flip:12",
                        "the first tar header fails its header checksum"),
                Arguments.of("second-header.tar", "tar --format=gnu -cf second-header.tar documents/scans", "flip:520",
                        "the tar header after entry 'documents/scans/' fails its header checksum"),
                // gzip's CRC-32 covers the whole stream: the damage is placed after the last whole entry
                Arguments.of("trailer.tar.gz", "tar -czf trailer.tar.gz documents/scans", "flip:-6",
                        "its gzip data fails its CRC after entry 'documents/scans/0042.pdf'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damaged")
    void aTrulyDamagedArchiveIsDamagedNamingTheEntry(String archive, String commandLine, String damage, String why)
            throws IOException {
        BackupArchives.shell(work, commandLine);
        Path file = work.resolve(archive);
        if (damage.equals("flip-scan")) {
            BackupArchives.damageTheScan(file);
        } else if (damage.startsWith("cut:")) {
            BackupArchives.cut(file, Long.parseLong(damage.substring(4)));
        } else if (damage.startsWith("flip:")) {
            BackupArchives.flipByte(file, Long.parseLong(damage.substring(5)));
        }

        assertThat(read(archive).damage()).as(archive).hasValue(why);
    }

    @Test
    void otherFileTypesAreNotArchivesToTheReadBack() {
        assertThat(ArchiveReadBack.Kind.of("clinical.bak")).isEmpty();
        assertThat(ArchiveReadBack.Kind.of("documents.tar.zst")).isEmpty();
        assertThat(ArchiveReadBack.Kind.of("documents.rar")).isEmpty();
        assertThat(ArchiveReadBack.Kind.of("dump.sql.zst")).isEmpty();
        assertThat(ArchiveReadBack.Kind.of("documents.tar.gz")).hasValue(ArchiveReadBack.Kind.TAR_GZ);
        assertThat(ArchiveReadBack.Kind.of("dump.sql.gz")).hasValue(ArchiveReadBack.Kind.GZIP);
        assertThat(ArchiveReadBack.Kind.of("DOCUMENTS.TGZ")).hasValue(ArchiveReadBack.Kind.TAR_GZ);
    }

    private static ArchiveReadBack.Result read(String archive) throws IOException {
        Path file = work.resolve(archive);
        return ArchiveReadBack.read(file, ArchiveReadBack.Kind.of(archive).orElseThrow());
    }
}
