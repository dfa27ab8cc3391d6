package io.rampart.controlplane.pings;

import static io.rampart.controlplane.pings.PingTesting.CHECK;
import static io.rampart.controlplane.pings.PingTesting.addContact;
import static io.rampart.controlplane.pings.PingTesting.awaitAlert;
import static io.rampart.controlplane.pings.PingTesting.awaitState;
import static io.rampart.controlplane.pings.PingTesting.messagesTo;
import static io.rampart.controlplane.pings.PingTesting.path;
import static io.rampart.controlplane.pings.PingTesting.pingUrl;
import static io.rampart.controlplane.pings.PingTesting.practiceWithPingedJob;
import static io.rampart.controlplane.pings.PingTesting.sendAllDue;
import static io.rampart.controlplane.pings.PingTesting.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import io.rampart.controlplane.alerts.NotificationDelivery;
import io.rampart.controlplane.fleet.CheckOutcome;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestEvidence;
import io.rampart.controlplane.testing.TestFleet;

/**
 * Debian's borgmatic 1.7.7 (/usr/bin/borgmatic), a client nobody here wrote, with its healthchecks hook pointed at the
 * control plane's /ping URL, backing up to real borg repositories: a good run passes, a run whose repository is missing
 * fails with borg's own words in the alert and in the email GreenMail receives, and a run killed (SIGKILL) while borg
 * creates its archive is a hung job once its expected run time has passed.
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class BorgmaticPingTest {

    @TestHTTPResource("/")
    URI base;
    @Inject
    TestFleet fleet;
    @Inject
    TestEvidence evidence;
    @Inject
    NotificationDelivery delivery;
    @TempDir
    Path work;

    @Test
    void aGoodRunStartsAndFinishesAndTheCopyPasses() throws Exception {
        Practice practice = practiceWithPingedJob(fleet, "Borg Street Surgery", Duration.ofHours(1));
        Path repository = newRepository("good.borg");
        Path config = config("good.yaml", sources(1024), repository, ping(practice), "");

        Process run = borgmatic(config);
        assertThat(run.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(output(run)).isZero();

        assertThat(awaitState(practice, "succeeded at").status).isEqualTo(CheckOutcome.PASS);
        PingUrl url = stored(practice);
        assertThat(url.lastMessage).contains("Creating archive at \"" + repository + "::");
        assertThat(url.lastDurationMs).as("start and finish of one run").isNotNull();
        assertThat(url.runStartedAt).isNull();
        evidence.evaluateAllDue(Instant.now());
        assertThat(ruleStatus(practice)).isEqualTo("PASS");
    }

    @Test
    void aRunWhoseRepositoryIsMissingFailsWithBorgsWordsInTheAlertAndTheEmail() throws Exception {
        Practice practice = practiceWithPingedJob(fleet, "Missing Repo Clinic", Duration.ofHours(1));
        String it = "it-" + UUID.randomUUID() + "@northwind.example";
        addContact(practice, it);
        Path missing = work.resolve("no-such-dir").resolve("repo.borg");
        Path config = config("fail.yaml", sources(1024), missing, ping(practice), "");

        Process run = borgmatic(config);
        assertThat(run.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(output(run)).isEqualTo(1);

        awaitState(practice, "failed at");
        evidence.evaluateAllDue(Instant.now());
        String borgSays = "Repository " + missing + " does not exist.";
        Map<String, Object> alert = awaitAlert(practice, "OPEN", borgSays);
        assertThat((String) alert.get("reason")).startsWith("the last cloud copy job failed: reported by a fail ping, log:")
                .contains("returned non-zero exit status 2.");

        sendAllDue(delivery);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(messagesTo(it)).anySatisfy(message -> {
            assertThat(message.getSubject()).startsWith("[Rampart] FAILED").contains(practice.name);
            assertThat(text(message)).contains(borgSays).contains("Command 'borg prune");
        }));
    }

    @Test
    void aRunKilledWhileBorgCreatesItsArchiveIsAHungJobOnceItsExpectedRunTimeHasPassed() throws Exception {
        Practice practice = practiceWithPingedJob(fleet, "Killed Run Practice", Duration.ofHours(1));
        Path repository = newRepository("slow.borg");
        // incompressible data under lzma level 9: borg create takes long enough to be killed in the middle
        Path config = config("slow.yaml", sources(48 * 1024 * 1024), repository, ping(practice), "    compression: lzma,9\n");

        Process run = borgmatic(config, "create");
        await().atMost(Duration.ofSeconds(60)).until(() -> stored(practice).runStartedAt != null);
        await().atMost(Duration.ofSeconds(60)).until(() -> run.descendants()
                .anyMatch(p -> p.info().commandLine().orElse("").contains("create")));
        List<ProcessHandle> borg = new ArrayList<>(run.descendants().toList());
        run.destroyForcibly();                                                       // kill -9 of borgmatic
        assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).isEqualTo(137);
        borg.forEach(ProcessHandle::destroy);                                        // the orphaned borg would run on

        // a start is no backup: the killed first run is never PASS, neither as the check's state nor as the rule
        assertThat(awaitState(practice, "has not finished yet").status).isEqualTo(CheckOutcome.WARN);
        evidence.evaluateAllDue(Instant.now());
        assertThat(ruleStatus(practice)).isEqualTo("UNKNOWN");
        assertThat(ruleReason(practice)).startsWith("the first cloud copy job started at ")
                .endsWith(" UTC, still running (expected to finish within 1 h); no run of it has finished yet, so no copy is known");
        evidence.evaluateAllDue(Instant.now().plus(Duration.ofMinutes(61)));
        Map<String, Object> hung = awaitAlert(practice, "OPEN", "did not finish within 1 h");
        assertThat((String) hung.get("reason")).startsWith("the cloud copy job started at ")
                .contains("it hung, was killed or its computer went down; no run of it has finished yet");
        assertThat(stored(practice).lastFinishedAt).as("borgmatic sent nothing after its start").isNull();
    }

    /** The full URL borgmatic pings: this test server's address with the check's /ping/<id>. */
    private String ping(Practice practice) {
        return base.resolve(path(pingUrl(practice)).substring(1)).toString();
    }

    private Path sources(int bytes) throws IOException {
        Path sources = Files.createDirectories(work.resolve("sources-" + UUID.randomUUID()));
        byte[] data = new byte[bytes];
        new SecureRandom().nextBytes(data);
        Files.write(sources.resolve("clinical.db"), data);
        Files.writeString(sources.resolve("letters.txt"), "Dear patient\n");
        return sources;
    }

    private Path newRepository(String name) throws Exception {
        Path repository = work.resolve(name);
        Process init = tool(List.of("borg", "init", "--encryption", "none", repository.toString()));
        assertThat(init.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(init.exitValue()).as(output(init)).isZero();
        return repository;
    }

    /** A borgmatic 1.7 configuration (sectioned) with its healthchecks hook. */
    private Path config(String name, Path sources, Path repository, String pingUrl, String storage) throws IOException {
        return Files.writeString(work.resolve(name), "location:\n"
                + "    source_directories:\n        - " + sources + "\n"
                + "    repositories:\n        - " + repository + "\n"
                + (storage.isEmpty() ? "" : "storage:\n" + storage)
                + "retention:\n    keep_daily: 7\n"
                + "hooks:\n    healthchecks:\n        ping_url: " + pingUrl + "\n");
    }

    private Process borgmatic(Path config, String... actions) throws IOException {
        List<String> command = new ArrayList<>(List.of("borgmatic", "-c", config.toString(), "--monitoring-verbosity", "1"));
        command.addAll(List.of(actions));
        return tool(command);
    }

    private Process tool(List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("output-" + UUID.randomUUID() + ".log").toFile());
        // borg's cache, keys and security files in the test's own directory, never the user's
        builder.environment().put("BORG_BASE_DIR", work.resolve("borg-base").toString());
        builder.environment().put("BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK", "yes");
        builder.environment().put("BORG_RELOCATED_REPO_ACCESS_IS_OK", "yes");
        return builder.start();
    }

    private String output(Process process) {
        try (var logs = Files.list(work)) {
            // every tool writes its own output-*.log; on a failure, show them all
            StringBuilder text = new StringBuilder();
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("output-")).toList()) {
                text.append(Files.readString(log)).append('\n');
            }
            return text.toString();
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** The cloud-copy rule's status on the practice's compliance page. */
    private static String ruleReason(Practice practice) {
        return QuarkusTransaction.requiringNew().call(() -> (String) PingUrl.getEntityManager().createNativeQuery(
                "select reason from rule_state where practice_id = ?1 and rule_id = ?2").setParameter(1, practice.id)
                .setParameter(2, CHECK).getSingleResult());
    }

    private static String ruleStatus(Practice practice) {
        return QuarkusTransaction.requiringNew().call(() -> (String) PingUrl.getEntityManager().createNativeQuery(
                "select status from rule_state where practice_id = ?1 and rule_id = ?2").setParameter(1, practice.id)
                .setParameter(2, CHECK).getSingleResult());
    }

    /** The email's text as a person reads it (quoted-printable and multipart decoded). */
    private static String text(MimeMessage message) throws Exception {
        Object content = message.getContent();
        if (content instanceof String text) {
            return text;
        }
        Multipart parts = (Multipart) content;
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart part = parts.getBodyPart(i);
            if (part.isMimeType("text/plain")) {
                text.append(part.getContent());
            } else if (part.getContent() instanceof Multipart) {
                Multipart inner = (Multipart) part.getContent();
                for (int j = 0; j < inner.getCount(); j++) {
                    if (inner.getBodyPart(j).isMimeType("text/plain")) {
                        text.append(inner.getBodyPart(j).getContent());
                    }
                }
            } else if (part.getContent() instanceof InputStream stream) {
                text.append(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return text.toString();
    }

}
