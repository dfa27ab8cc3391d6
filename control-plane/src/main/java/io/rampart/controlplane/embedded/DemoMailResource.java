package io.rampart.controlplane.embedded;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Date;

import jakarta.annotation.security.PermitAll;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;

import io.rampart.controlplane.shared.NotFound;

/**
 * The demo mailbox as a page: every email Rampart sent in this demo run, newest first. Exists
 * only while the demo runs (404 otherwise); hidden from the API document.
 */
@Path("/demo/mail")
@PermitAll
public class DemoMailResource {

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public String mailbox() {
        GreenMail mail = DemoMailbox.running().orElseThrow(() -> new NotFound("There is a demo mailbox only in the demo"));
        MimeMessage[] messages = mail.getReceivedMessages();
        StringBuilder page = new StringBuilder("""
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Rampart demo mailbox</title>
                <style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}article{border:1px solid #ccc;border-radius:6px;
                padding:1rem;margin:1rem 0}pre{white-space:pre-wrap;font-family:ui-monospace,monospace}small{color:#555}</style></head><body>
                <h1>Rampart demo mailbox</h1><p>Every email Rampart sent since the demo started (nothing leaves this computer).</p>
                """);
        if (messages.length == 0) {
            page.append("<p>No email yet: emails go out when a practice's rule fails or recovers.</p>");
        }
        Arrays.stream(messages).sorted(Comparator.comparing(DemoMailResource::sent).reversed()).forEach(message -> page
                .append("<article><small>").append(escape(String.valueOf(sent(message)))).append(" · to ").append(escape(to(message)))
                .append("</small><h2>").append(escape(subject(message))).append("</h2><pre>")
                .append(escape(GreenMailUtil.getBody(message))).append("</pre></article>"));
        return page.append("</body></html>").toString();
    }

    private static Date sent(MimeMessage message) {
        try {
            return message.getSentDate() == null ? new Date(0) : message.getSentDate();
        } catch (MessagingException e) {
            return new Date(0);
        }
    }

    private static String to(MimeMessage message) {
        try {
            return String.join(", ", Arrays.stream(message.getRecipients(Message.RecipientType.TO)).map(Object::toString).toList());
        } catch (MessagingException e) {
            return "?";
        }
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (MessagingException e) {
            return "?";
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
