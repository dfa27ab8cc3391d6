package io.rampart.controlplane.tenancy;

import io.rampart.controlplane.shared.NotFound;

/**
 * The one answer for a thing outside the caller's tenancy or that does not exist: 404, in words
 * that do not tell the two apart (or echo the id).
 */
public final class NotVisible {

    private NotVisible() {
    }

    public static NotFound practice() {
        return new NotFound("No such practice, or not one you may see");
    }

    public static NotFound group() {
        return new NotFound("No such group, or not one you may see");
    }
}
