package io.rampart.controlplane.embedded;

import java.util.Optional;

import org.jboss.logging.Logger;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * The demo's mail server: a real SMTP server (GreenMail) that keeps every email in memory instead
 * of delivering it, so a newcomer sees what Rampart sends at /demo/mail. Started by RampartMain
 * before Quarkus (whose mailer is pointed at it) and only for the demo.
 */
public final class DemoMailbox {

    private static final Logger LOG = Logger.getLogger(DemoMailbox.class);
    private static volatile GreenMail server;

    private DemoMailbox() {
    }

    static void start(int port) {
        GreenMail mail = new GreenMail(new ServerSetup(port, "localhost", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        server = mail;
        LOG.infof("Demo mailbox: SMTP on localhost:%d; what Rampart sends is shown at /demo/mail", port);
    }

    static void stop() {
        GreenMail mail = server;
        if (mail != null) {
            mail.stop();
        }
    }

    /** The running mailbox, when this is the demo. */
    public static Optional<GreenMail> running() {
        return Optional.ofNullable(server);
    }
}
