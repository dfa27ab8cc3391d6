package io.rampart.agent.collectors;

import java.time.Instant;
import java.util.Optional;

import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;

/** Runs checks of one kind and says, in a person's words, whether they passed. */
public interface Collector {

    CheckKind kind();

    /** Never throws for a problem with the thing checked: that is a result with status ERROR. */
    CheckResult run(CheckDefinition check);

    /**
     * When a due check must wait rather than run now, and until when (e.g. a restore that would lock a repository
     * inside the practice's backup window): the agent then runs it at that instant and reports nothing before, so the
     * last result stays the evidence. Empty: run now.
     */
    default Optional<Instant> deferredUntil(CheckDefinition check) {
        return Optional.empty();
    }
}
