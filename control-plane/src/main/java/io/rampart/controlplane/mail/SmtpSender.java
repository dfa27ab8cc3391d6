package io.rampart.controlplane.mail;

import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import io.rampart.controlplane.RampartConfig;

/**
 * Hands one plain-text email to the SMTP server over a connection of its own (Jakarta Mail),
 * returning once the server accepted it or throwing why not. A connection per email, with
 * timeouts, so a mail server that went away and came back is simply reached again: the pooled
 * Vert.x client behind Quarkus' mailer stopped sending after an outage until restarted
 * (FailureEmailsTest caught it), and at our volume a pool buys nothing.
 */
@ApplicationScoped
public class SmtpSender {

    @Inject
    RampartConfig config;

    public void send(String to, String subject, String text) {
        RampartConfig.Mail mail = config.mail();
        Properties properties = new Properties();
        properties.put("mail.smtp.host", mail.host());
        properties.put("mail.smtp.port", String.valueOf(mail.port()));
        String timeout = String.valueOf(mail.timeout().toMillis());
        properties.put("mail.smtp.connectiontimeout", timeout);
        properties.put("mail.smtp.timeout", timeout);
        properties.put("mail.smtp.writetimeout", timeout);
        properties.put("mail.smtp.starttls.enable", String.valueOf(mail.startTls()));
        properties.put("mail.smtp.starttls.required", String.valueOf(mail.startTls()));
        properties.put("mail.smtp.auth", String.valueOf(mail.username().isPresent()));
        Session session = Session.getInstance(properties);
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress(mail.from()));
            message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to));
            message.setSubject(subject, "UTF-8");
            message.setText(text, "UTF-8");
            if (mail.username().isPresent()) {
                Transport.send(message, mail.username().get(), mail.password().orElse(""));
            } else {
                Transport.send(message);
            }
        } catch (MessagingException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
