package io.rampart.controlplane;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The control plane's own settings (prefix `rampart`); Quarkus' settings stay under `quarkus`. */
@ConfigMapping(prefix = "rampart")
public interface RampartConfig {

    Kafka kafka();

    Agents agents();

    Embedded embedded();

    Web web();

    Compliance compliance();

    Notifications notifications();

    Mail mail();

    Webhooks webhooks();

    Operator operator();

    Consumers consumers();

    People people();

    Pings pings();

    /** Healthchecks-style ping URLs of reported-job checks (/ping/<id>, PingResource). */
    interface Pings {
        /**
         * Bytes of a ping's body kept (the first ones, as healthchecks does); the answer's Ping-Body-Limit header says it, and
         * runitor adapts to it. borgmatic sends at most 100000 by default.
         */
        @WithDefault("100000")
        @Min(0)
        int bodyLimitBytes();

        /** Pings one URL may make per minute, sustained (a borgmatic run makes 2-3, a cron job with start and finish 2). */
        @WithDefault("10")
        @Min(1)
        double ratePerMinute();

        /** Pings one URL may make at once after a quiet spell; above it a ping gets 429 with Retry-After and changes nothing. */
        @WithDefault("10")
        @Min(1)
        int rateBurst();

        /**
         * Pings one client address may make per minute, sustained, whatever ids it sends (an unknown id counts too): a
         * host that runs the jobs of many practices pings from one address.
         */
        @WithDefault("600")
        @Min(1)
        double ratePerAddressPerMinute();

        /** Pings one client address may make at once; above it a ping gets 429 with Retry-After before any database work. */
        @WithDefault("200")
        @Min(1)
        int ratePerAddressBurst();

        /**
         * Pings in the database at once, per replica (each holds one connection of the shared pool,
         * quarkus.datasource.jdbc.max-size); the others wait up to 2 s, then get 503 with Retry-After.
         */
        @WithDefault("4")
        @Min(1)
        int maxConcurrent();

        /** Seconds an id answered 404 is answered 404 again without a database query. */
        @WithDefault("60")
        @Min(0)
        int unknownIdCacheSeconds();

        /** Characters of a finish's log (its last ones: where a job's error is) carried into the verdict, the alert and the email. */
        @WithDefault("2000")
        @Min(100)
        @Max(6000)
        int excerptChars();
    }

    /** The platform operator: the person who runs this installation (not a tenant). */
    interface Operator {
        /**
         * Where operator alerts go (OperatorAlerts), e.g. dead-lettered records; at most one email per
         * consumer per {@code alert-every}. Without it they are only logged.
         */
        Optional<String> email();

        /** The least time between two operator emails about the same thing (one consumer's dead letters). */
        @WithDefault("1h")
        Duration alertEvery();

        /**
         * The first platform operator, created in Keycloak at start when no user has this username (never changed
         * afterwards, so removing the setting or restarting is harmless). Without it no operator is created.
         */
        Optional<String> bootstrapUsername();

        /** The first operator's email: Keycloak sends the set-password email there (required with the username). */
        Optional<String> bootstrapEmail();

        /**
         * Instead of the email: a temporary password Keycloak makes the operator change at the first sign-in. Meant for
         * installations without SMTP; take it from a secret, never from a file in the repository.
         */
        Optional<String> bootstrapPassword();
    }

    /**
     * People (PeopleDirectory): who may sign in, with which role and reach, kept in Keycloak and managed through its
     * admin API by the service account of a confidential client that holds only realm-management's manage-users,
     * view-users and query-users.
     */
    interface People {
        /** Keycloak's base address (e.g. https://sso.example.org); derived from quarkus.oidc.auth-server-url when not set. */
        Optional<String> serverUrl();

        /** The realm Rampart's people live in. */
        @WithDefault("rampart")
        String realm();

        /** The confidential client whose service account calls the admin API. */
        @WithDefault("rampart-people")
        String clientId();

        /**
         * That client's secret; embedded mode sets the demo realm's. Without it the People pages answer 503 and say
         * so: nothing else of Rampart depends on it.
         */
        Optional<String> clientSecret();

        /** Where Keycloak's set-password page sends a person when done: the web UI (a redirect URI of rampart-web). */
        @WithDefault("http://localhost:8080/")
        String signInUrl();

        /** How long the link in an invitation (set-password email) works. */
        @WithDefault("72h")
        Duration invitationValidity();

        /**
         * The master realm's admin password, known only in embedded mode and the tests: with it the control plane
         * points the realm's SMTP settings at rampart.mail.* at start, so Keycloak's own emails reach the same
         * mailbox as Rampart's. Without it the realm's SMTP settings are left as Keycloak's administrator set them.
         */
        Optional<String> keycloakAdminPassword();
    }

    /** How every topic consumer (TopicConsumer) retries, dead-letters and reports whether it keeps up. */
    interface Consumers {
        /** Tries of a failing poll as a whole before its records are applied one by one to find the bad one(s). */
        @WithDefault("3")
        @Min(1)
        int pollAttempts();

        /** Tries of one record on its own (while a known-good record applies) before it goes to the dead letters. */
        @WithDefault("3")
        @Min(1)
        int recordAttempts();

        /** The pause after the first failure; doubled after each next one up to {@code max-backoff}. */
        @WithDefault("1s")
        Duration backoff();

        @WithDefault("1m")
        Duration maxBackoff();

        /** Readiness is DOWN once a poll has kept failing (database or Kafka away) for longer than this. */
        @WithDefault("2m")
        Duration failingThreshold();

        /** Readiness is DOWN once the oldest record waiting to be applied is older than this. */
        @WithDefault("5m")
        Duration maxRecordAge();
    }

    Outbox outbox();

    interface Web {
        /** The identity provider's client the web UI signs in with (public, PKCE). */
        @WithDefault("rampart-web")
        String clientId();
    }

    interface Kafka {
        /** host:port list; embedded mode sets it to the broker it started. */
        String bootstrapServers();

        @WithDefault("agent-events")
        String agentEventsTopic();

        /** Partitions of agent-events when the control plane creates it; bounds the consumer replicas. */
        @WithDefault("12")
        int agentEventsPartitions();

        /** Replication factor when the control plane creates its topics (3 in production). */
        @WithDefault("1")
        short replicationFactor();

        /** Every change a person makes, keyed by provider. */
        @WithDefault("audit")
        String auditTopic();

        /** Every change of a practice's compliance (per rule and overall), keyed by practice. */
        @WithDefault("compliance")
        String complianceTopic();

        @WithDefault("rampart-projections")
        String projectionsConsumerGroup();

        /** Records a consumer could not apply after a few tries, with the reason in their headers (DeadLetters). */
        @WithDefault("rampart.dead-letters")
        String deadLettersTopic();

        /** security.protocol of every Kafka client, e.g. SASL_SSL. */
        Optional<String> securityProtocol();

        /** sasl.mechanism, e.g. SCRAM-SHA-512. */
        Optional<String> saslMechanism();

        /** sasl.jaas.config; a secret, so only ever from a Secret or environment file. */
        Optional<String> saslJaasConfig();

        /** Any other client property for every producer, consumer and admin client. */
        Map<String, String> client();
    }

    /** The SMTP server failure and recovery emails go through (embedded demo: its own mailbox). */
    interface Mail {
        @WithDefault("localhost")
        String host();

        @WithDefault("25")
        int port();

        Optional<String> username();

        Optional<String> password();

        /** Require STARTTLS (port 587 servers). */
        @WithDefault("false")
        boolean startTls();

        @WithDefault("Rampart <rampart@localhost>")
        String from();

        /** For connecting, and for each step of the conversation. */
        @WithDefault("30s")
        Duration timeout();
    }

    interface Notifications {
        /** How often every replica sends the emails that are due (NotificationDelivery). */
        @WithDefault("10s")
        Duration sendEvery();

        /** An open alert nobody acknowledged is emailed again this often (at least a minute is used, whatever is set). */
        @WithDefault("24h")
        Duration remindEvery();

        /**
         * Attempts at one email or webhook call before it is given up and shown as failed; between them the wait
         * doubles from {@link #firstRetry()} up to {@link #longestRetry()} (1 min, 2, 4, ... 1 h: about 9 h for 12 attempts).
         */
        @WithDefault("12")
        @Min(1)
        @Max(100)
        int maxAttempts();

        /** The wait after the first failed attempt (clamped to 1 s .. 1 day). */
        @WithDefault("1m")
        Duration firstRetry();

        /** The longest wait between two attempts (clamped to firstRetry .. 7 days). */
        @WithDefault("1h")
        Duration longestRetry();

        /**
         * Emails and webhook calls sent at once by each replica. One destination (an email address, a webhook's
         * host) has at most one in flight, so a slow one holds one worker and never the others.
         */
        @WithDefault("4")
        @Min(1)
        @Max(64)
        int workers();

        /**
         * The group window of groups that did not set their own (GroupNotificationSettings): a practice's failure,
         * warning and recovery emails wait this long after the first of them, so an incident (a NAS that died takes
         * nas-copy, restore-test and archive with it) is one email per person. 0s: each alert its own email. Held
         * within 0s..15m.
         */
        @WithDefault("5m")
        Duration groupWindow();
    }

    interface Webhooks {
        /**
         * Whether webhooks may point at loopback, link-local (cloud metadata), private, CGNAT, multicast or other
         * non-public addresses. Off in production: a webhook is a request the control plane makes inside its network.
         */
        @WithDefault("false")
        boolean allowPrivateDestinations();

        /** Networks (CIDR, e.g. 10.20.0.0/16 or fd00:1::/64) webhooks may reach even though they are not public. */
        Optional<List<String>> allowedNetworks();

        /** How long to wait for the webhook's server to accept the connection (and the TLS handshake). */
        @WithDefault("3s")
        Duration connectTimeout();

        /** How long to wait for its answer once the request is sent. */
        @WithDefault("5s")
        Duration readTimeout();
    }

    /** The transactional outbox that carries compliance changes and audit records to Kafka (OutboxRelay). */
    interface Outbox {
        /** How often every replica looks for records to relay (a commit that wrote one also wakes the relay). */
        @WithDefault("200ms")
        Duration relayEvery();

        /** Records per relay transaction. */
        @WithDefault("500")
        @Min(1)
        int batchSize();

        /** Readiness is DOWN while the oldest record waiting for Kafka is older than this. */
        @WithDefault("5m")
        Duration maxAge();
    }

    interface Compliance {
        /** How often every replica looks for practices due for evaluation (ComplianceScheduler). */
        @WithDefault("5s")
        Duration evaluateEvery();

        /** Practices per evaluation transaction: large enough to be set-based, small enough to hold locks briefly. */
        @WithDefault("500")
        @Min(1)
        int batchSize();
    }

    interface Agents {
        /** The most events one ReportEvents call may carry. */
        @WithDefault("500")
        @Min(1)
        @Max(10000)
        int maxBatchSize();

        /** Sustained calls per second one agent may make (a healthy agent makes a few per minute). */
        @WithDefault("20")
        @Min(1)
        double ratePerSecond();

        /** Calls one agent may make at once after a quiet spell (an outbox draining after an outage). */
        @WithDefault("100")
        @Min(1)
        int rateBurst();

        /** An agent that has not called in for longer than this makes its practice fail. */
        @WithDefault("10m")
        Duration silenceThreshold();

        /** How long an enrolment token is valid when its creator does not say. */
        @WithDefault("24h")
        Duration enrolmentTokenValidity();

        /** The gRPC address agents are told to use in install commands (TLS: https://). */
        @WithDefault("https://localhost:9000")
        String publicGrpcUrl();

        /**
         * How often each replica reads configuration changes other replicas committed (configuration_change), to
         * push them to the agents watching it: the delay a change made on another replica can take at most.
         */
        @WithDefault("1s")
        Duration configurationWatchPoll();

        /**
         * The agents' CA and the gRPC server's certificate (see AgentCaFiles), shared by every
         * replica; made at first start when missing. Embedded mode: {@code <data-dir>/ca}.
         */
        @WithDefault("ca")
        Path caDir();

        /** The host names and addresses agents reach the gRPC server by; its certificate names them all. */
        @WithDefault("localhost,127.0.0.1")
        List<String> serverNames();

        /** How long an agent's certificate lasts; agents renew once a third of it is left. */
        @WithDefault("30d")
        Duration certificateValidity();

        /** The control plane's own address as agents' computers reach it: the installers and the agent jar are fetched from it. */
        @WithDefault("http://localhost:8080")
        String publicHttpUrl();

        /** The agent's runnable jar served at /downloads/rampart-agent.jar; found next to the build when not set. */
        Optional<Path> agentJar();
    }

    interface Embedded {
        /** Start PostgreSQL and Kafka in-process (read by RampartMain before Quarkus starts). */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("data")
        Path dataDir();

        @WithDefault("15432")
        int postgresPort();

        @WithDefault("19092")
        int kafkaPort();

        Keycloak keycloak();

        /** Folder of the broker's jars; found next to the build when not set. */
        Optional<String> kafkaBrokerLib();

        /**
         * PostgreSQL (fsync, synchronous_commit, full_page_writes) and Kafka (a flush per message)
         * put what they acknowledge on the disk first (read by RampartMain before Quarkus starts);
         * false is faster and a power cut can lose acknowledged events.
         */
        @WithDefault("true")
        boolean durable();

        Demo demo();
    }

    interface Keycloak {
        /** Start Keycloak with the demo realm (read by RampartMain before Quarkus starts). */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("18080")
        int port();
    }

    interface Demo {
        /** Seed one provider, one group and three practices, and run their agents. */
        @WithDefault("false")
        boolean enabled();

        /** The agent's runnable jar, started once per demo practice. */
        Optional<Path> agentJar();

        /** The demo mailbox's SMTP port (read by RampartMain; emails are shown at /demo/mail). */
        @WithDefault("12525")
        int smtpPort();
    }
}
