package io.rampart.controlplane.people;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

import org.awaitility.Awaitility;

import io.rampart.controlplane.testing.RealServers;

/** Keycloak's own emails as the tests' GreenMail received them: to whom, and the link they carry. */
final class KeycloakEmails {

    private static final Pattern ACTION_LINK = Pattern.compile("https?://[^\\s\"<>]+/login-actions/action-token\\?[^\\s\"<>]+");

    private KeycloakEmails() {
    }

    /** The emails to this address so far. */
    static List<MimeMessage> to(String address) {
        return Arrays.stream(RealServers.mail().getReceivedMessages()).filter(message -> {
            try {
                return Arrays.stream(message.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().contains(address));
            } catch (MessagingException e) {
                return false;
            }
        }).toList();
    }

    /** Waits (up to 30 s) for the first email to this address. */
    static MimeMessage awaitFirst(String address) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !to(address).isEmpty());
        return to(address).get(0);
    }

    /** The email's plain text (the text/plain part of a multipart email). */
    static String text(Part part) {
        try {
            if (part.isMimeType("text/plain")) {
                return (String) part.getContent();
            }
            if (part.isMimeType("multipart/*")) {
                Multipart multipart = (Multipart) part.getContent();
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < multipart.getCount(); i++) {
                    text.append(text(multipart.getBodyPart(i)));
                }
                return text.toString();
            }
            return "";
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The set-password link in a Keycloak "execute actions" email. */
    static String actionLink(MimeMessage message) {
        Matcher link = ACTION_LINK.matcher(text(message));
        if (!link.find()) {
            throw new AssertionError("no action link in: " + text(message));
        }
        return link.group();
    }
}
