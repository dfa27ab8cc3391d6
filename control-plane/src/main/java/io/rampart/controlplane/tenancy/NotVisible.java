package io.rampart.controlplane.tenancy;

import jakarta.ws.rs.NotFoundException;

/**
 * The one answer for a thing outside the caller's tenancy or that does not exist: 404, in words
 * that do not tell the two apart (or echo the id).
 */
public final class NotVisible {

    private NotVisible() {
    }

    public static NotFoundException practice() {
        return new NotFoundException("No such practice, or not one you may see");
    }

    public static NotFoundException group() {
        return new NotFoundException("No such group, or not one you may see");
    }
}
