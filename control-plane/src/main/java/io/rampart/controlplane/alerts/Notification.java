package io.rampart.controlplane.alerts;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An email (or webhook call) owed to one recipient about one alert, and what became of each attempt to send it. */
@Entity
@Table(name = "notification")
public class Notification extends PanacheEntityBase {

    public enum Kind {
        /** the rule is AT_RISK (groups that ask to hear of it) */
        WARNING,
        FAILURE,
        RECOVERY,
        REMINDER,
        /** to the provider's on-call address: a critical alert nobody acknowledged */
        ESCALATION,
        /** the daily summary of a provider or group, about no one alert */
        DIGEST
    }

    public enum Status {
        /** to be sent at nextAttemptAt; lastError says why the previous attempt failed, if one did */
        PENDING,
        SENT,
        /** no more attempts: too many failed, or the destination is not allowed; lastError says why */
        GIVEN_UP,
        /**
         * never sent, and never will be: what it was about ended before it went out (a failure that recovered before its
         * grouped email or inside a maintenance window, and that failure's recovery); lastError says so
         */
        SKIPPED
    }

    public enum Channel {
        /** {@code recipient} is an email address, {@code body} plain text */
        EMAIL,
        /** {@code recipient} is the webhook's URL, {@code body} the JSON to POST */
        WEBHOOK
    }

    @Id
    public UUID id;
    /** Null for a digest. */
    public UUID alertId;
    @Enumerated(EnumType.STRING)
    public Channel channel = Channel.EMAIL;
    /** The webhook whose secret signs the body (WEBHOOK only). */
    public UUID webhookId;
    public UUID providerId;
    /** Null for a provider's digest. */
    public UUID groupId;
    /** Null for a digest. */
    public UUID practiceId;
    @Enumerated(EnumType.STRING)
    public Kind kind;
    public String recipient;
    /**
     * What the delivery job sends to one at a time: {@code email:<address>} or {@code webhook:<host>:<port>}
     * ({@link #destinationOf}).
     */
    public String destination;
    /** Which reminder (1, 2, ...); 0 for the failure and recovery emails. */
    public int sequence;
    public String subject;
    public String body;
    @Enumerated(EnumType.STRING)
    public Status status;
    public int attempts;
    public String lastError;
    public Instant nextAttemptAt;
    public Instant createdAt;
    public Instant sentAt;
    /** Set on a claimed delivery only (never stored): the other rows of its incident sent in the same email. */
    @jakarta.persistence.Transient
    public java.util.List<UUID> groupedWith = java.util.List.of();

    /** The destination key of a recipient: the lower-cased address of an email, the host and port of a webhook's URL. */
    public static String destinationOf(Channel channel, String recipient) {
        if (channel == Channel.EMAIL) {
            return "email:" + recipient.toLowerCase(java.util.Locale.ROOT);
        }
        try {
            java.net.URI uri = java.net.URI.create(recipient);
            int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            return "webhook:" + String.valueOf(uri.getHost()).toLowerCase(java.util.Locale.ROOT) + ":" + port;
        } catch (IllegalArgumentException e) {
            return "webhook:" + recipient;
        }
    }
}
