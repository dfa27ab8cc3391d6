package io.rampart.agent.collectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.UsbRotationSettings;

class UsbRotationCollectorTest {

    private static final CheckDefinition USB_ROTATION = CheckDefinition.newBuilder()
            .setCheckId("usb-rotation")
            .setKind(CheckKind.CHECK_KIND_USB_ROTATION)
            .setUsbRotation(UsbRotationSettings.newBuilder()
                    .setMaxAttached(DesiredConfiguration.toProto(Duration.ofDays(7)))
                    .setMinDrives(2))
            .build();

    @TempDir
    Path home;
    @TempDir
    Path drives;

    /** The mount point; a drive is "plugged in" by moving its folder here. */
    private Path mount;
    private Path mondayDrive;
    private Path thursdayDrive;
    private final MovingClock clock = new MovingClock(Instant.parse("2026-11-03T09:00:00Z"));

    @BeforeEach
    void drives() throws IOException {
        mount = drives.resolve("mnt-usb");
        mondayDrive = Files.createDirectories(drives.resolve("monday"));
        thursdayDrive = Files.createDirectories(drives.resolve("thursday"));
    }

    @Test
    void writesTheMarkerOnFirstSightAndKeepsItStable() throws IOException {
        plugIn(mondayDrive);

        CheckResult first = collector().run(USB_ROTATION);
        String marker = Files.readString(mount.resolve(".rampart-media-id"), StandardCharsets.UTF_8);
        clock.advance(Duration.ofHours(1));
        CheckResult second = collector().run(USB_ROTATION);

        assertThat(Files.readString(mount.resolve(".rampart-media-id"), StandardCharsets.UTF_8)).isEqualTo(marker);
        String id = first.getUsbRotation().getAttachedMediaId();
        assertThat(marker).contains("id=" + id);
        assertThat(second.getUsbRotation().getAttachedMediaId()).isEqualTo(id);
        assertThat(second.getUsbRotation().getAttachedLabel()).isEqualTo(id.substring(0, 8));
        assertThat(second.getUsbRotation().getAttachedSince().getSeconds()).isEqualTo(Instant.parse("2026-11-03T09:00:00Z").getEpochSecond());
        assertThat(second.getUsbRotation().getMediaList()).hasSize(1);
        assertThat(Files.readString(home.resolve("usb-media.properties"), StandardCharsets.UTF_8)).contains(id);
    }

    @Test
    void passesWhenTwoDrivesAreRotatedInTime() throws IOException {
        labelled(mondayDrive, "Monday");
        labelled(thursdayDrive, "Thursday");
        plugIn(mondayDrive);
        collector().run(USB_ROTATION);
        clock.advance(Duration.ofDays(3));
        unplug(mondayDrive);
        plugIn(thursdayDrive);
        collector().run(USB_ROTATION);
        clock.advance(Duration.ofDays(4));
        unplug(thursdayDrive);
        plugIn(mondayDrive);
        collector().run(USB_ROTATION);
        clock.advance(Duration.ofDays(1));

        CheckResult result = collector().run(USB_ROTATION);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        // the Monday drive came back on 10 Nov: attached since then, not since its first sight a week earlier
        assertThat(result.getSummary()).isEqualTo("USB drive Monday attached since 10 Nov (for 24 h, limit 7 days); 2 drives in rotation");
        assertThat(result.getUsbRotation().getMediaList()).extracting(m -> m.getLabel()).containsExactly("Monday", "Thursday");
        assertThat(result.getUsbRotation().getMedia(0).getFirstSeenAt().getSeconds())
                .isEqualTo(Instant.parse("2026-11-03T09:00:00Z").getEpochSecond());
    }

    @Test
    void failsNamingTheDriveAndTheDayWhenTheSameDriveStaysAttachedTooLong() throws IOException {
        labelled(thursdayDrive, "Thursday");
        plugIn(thursdayDrive);
        collector().run(USB_ROTATION);
        unplug(thursdayDrive);
        plugIn(mondayDrive);
        clock.advance(Duration.ofHours(1));
        String label = collector().run(USB_ROTATION).getUsbRotation().getAttachedLabel();
        for (int day = 1; day <= 8; day++) {
            clock.advance(Duration.ofDays(1));
            collector().run(USB_ROTATION);
        }

        CheckResult result = collector().run(USB_ROTATION);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("USB drive " + label + " attached since 3 Nov: not rotated for 8 days (limit 7 days)");
    }

    @Test
    void failsWhenNoDriveIsAttachedSayingWhichWasSeenLast() throws IOException {
        labelled(mondayDrive, "Monday");
        plugIn(mondayDrive);
        collector().run(USB_ROTATION);
        unplug(mondayDrive);
        clock.advance(Duration.ofDays(2));

        CheckResult result = collector().run(USB_ROTATION);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).startsWith("no USB drive attached at the place set in check.usb-rotation.path (last seen: Monday on 3 Nov)");
        assertThat(result.getUsbRotation().getAttachedMediaId()).isEmpty();
    }

    @Test
    void failsWhenOnlyOneDriveWasEverSeen() throws IOException {
        labelled(mondayDrive, "Monday");
        plugIn(mondayDrive);

        CheckResult result = collector().run(USB_ROTATION);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("only 1 drive seen; rotation needs 2");
    }

    @Test
    void neverMarksTheBareMountPointFolderOfAnUnpluggedDrive() throws IOException {
        Files.createDirectories(mount);
        // where /tmp is a filesystem of its own (tmpfs) the folder looks mounted: nothing to show there
        Assumptions.assumeFalse(UsbRotationCollector.isOnItsOwnFilesystem(mount), "the temp folder is not on the root filesystem");
        UsbRotationCollector realMountCheck = new UsbRotationCollector(AgentHome.at(home),
                LocalChecks.of(Map.of("usb-rotation", mount)), clock);

        CheckResult result = realMountCheck.run(USB_ROTATION);

        assertThat(result.getSummary()).startsWith("no USB drive attached");
        assertThat(mount.resolve(".rampart-media-id")).doesNotExist();
    }

    @Test
    void aFolderHoldingAMarkerIsADriveEvenOnTheRootFilesystem() throws IOException {
        Files.createDirectories(mount);
        Files.writeString(mount.resolve(".rampart-media-id"), "id=4f2a\nlabel=USB-A\n");
        UsbRotationCollector realMountCheck = new UsbRotationCollector(AgentHome.at(home),
                LocalChecks.of(Map.of("usb-rotation", mount)), clock);

        CheckResult result = realMountCheck.run(USB_ROTATION);

        assertThat(result.getUsbRotation().getAttachedMediaId()).isEqualTo("4f2a");
        assertThat(result.getUsbRotation().getAttachedLabel()).isEqualTo("USB-A");
    }

    @Test
    void errorsNamingThePropertyWhenNoMountPointIsSet() {
        CheckResult result = new UsbRotationCollector(AgentHome.at(home), LocalChecks.of(Map.of()), clock).run(USB_ROTATION);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).contains("set check.usb-rotation.path=<mount point> in checks.properties");
    }

    /** In tests every folder at the mount point counts as a mounted drive. */
    private UsbRotationCollector collector() {
        return new UsbRotationCollector(AgentHome.at(home), LocalChecks.of(Map.of("usb-rotation", mount)), clock, Files::isDirectory);
    }

    private void plugIn(Path drive) throws IOException {
        Files.move(drive, mount);
    }

    private void unplug(Path drive) throws IOException {
        Files.move(mount, drive);
    }

    private static void labelled(Path drive, String label) throws IOException {
        // what a person does to name a drive: a label line in the marker the agent wrote
        Files.writeString(drive.resolve(".rampart-media-id"), "id=" + java.util.UUID.randomUUID() + "\nlabel=" + label + "\n",
                StandardCharsets.UTF_8);
    }

    static final class MovingClock extends Clock {
        private Instant now;

        MovingClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
