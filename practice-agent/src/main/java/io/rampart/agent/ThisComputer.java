package io.rampart.agent;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** What the agent tells the control plane about the computer it runs on. */
public final class ThisComputer {

    private ThisComputer() {
    }

    public static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            // a computer without a resolvable name still has one in its environment
            String fromEnvironment = System.getenv("HOSTNAME");
            if (fromEnvironment == null) {
                fromEnvironment = System.getenv("COMPUTERNAME");
            }
            return fromEnvironment == null ? "unknown" : fromEnvironment;
        }
    }

    /** Name, version and architecture, as reported at enrolment. */
    public static String operatingSystem() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version") + " (" + System.getProperty("os.arch") + ")";
    }
}
