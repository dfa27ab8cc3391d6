package io.rampart.agent.cli;

import java.nio.file.Path;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.schedule.RepositoryTurn;

/**
 * Another process on the computer that has the repository turn, as the running service has it while it runs a
 * {@code restic check}: takes the turn of the home given as the argument, prints "holding", and keeps it until its
 * standard input closes.
 */
public final class RepositoryTurnHolder {

    private RepositoryTurnHolder() {
    }

    public static void main(String[] args) throws Exception {
        RepositoryTurn turn = RepositoryTurn.in(AgentHome.at(Path.of(args[0])));
        if (!turn.tryTake()) {
            System.out.println("busy");
            return;
        }
        System.out.println("holding");
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the test closes our input
        }
        turn.give();
    }
}
