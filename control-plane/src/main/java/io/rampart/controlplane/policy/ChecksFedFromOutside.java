package io.rampart.controlplane.policy;

import java.util.Set;
import java.util.UUID;

/**
 * Checks of a practice whose results come from outside its agents (today: reported jobs with a live ping URL, from the
 * pings feature), so DesiredConfiguration does not tell the agents to run them. Implemented by the feature that feeds
 * them, so policy depends on no such feature.
 */
public interface ChecksFedFromOutside {

    /** The ids of the practice's REPORTED_JOB checks fed from outside, read in the caller's transaction; empty when none. */
    Set<String> of(UUID practiceId);
}
