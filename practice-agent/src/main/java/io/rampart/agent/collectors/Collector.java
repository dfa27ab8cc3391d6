package io.rampart.agent.collectors;

import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;

/** Runs checks of one kind and says, in a person's words, whether they passed. */
public interface Collector {

    CheckKind kind();

    /** Never throws for a problem with the thing checked: that is a result with status ERROR. */
    CheckResult run(CheckDefinition check);
}
