package io.rampart.agent;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this agent build, as stamped by Maven into agent-version.properties. */
public final class AgentVersion {

    private static final String VERSION = read();

    private AgentVersion() {
    }

    public static String current() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = AgentVersion.class.getResourceAsStream("agent-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
