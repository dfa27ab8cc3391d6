package io.rampart.controlplane.alerts;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.SendFailedException;

import org.jboss.logging.Logger;

/**
 * Why an email was not sent, in words fit for everyone who sees the alert: a fixed vocabulary
 * chosen from the error's type. The mail server's own message (which names hosts, ports and its
 * software) goes to the control plane's log only.
 */
final class MailFailures {

    private static final Logger LOG = Logger.getLogger(MailFailures.class);

    private MailFailures() {
    }

    static String reason(Throwable error) {
        LOG.warnf("The mail server did not take an email: %s", error.getMessage());
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            String type = e.getClass().getSimpleName().toLowerCase(Locale.ROOT);
            if (e instanceof SocketTimeoutException || type.contains("timeout")) {
                return "timed out reaching the mail server";
            }
            if (e instanceof AuthenticationFailedException) {
                return "the mail server refused Rampart's sign-in";
            }
            if (e instanceof SendFailedException) {
                return "the mail server refused the address";
            }
            if (e instanceof ConnectException || e instanceof UnknownHostException || type.contains("mailconnect")) {
                return "the mail server could not be reached";
            }
        }
        return "the mail server did not take the email";
    }
}
