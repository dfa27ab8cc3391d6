package io.rampart.agent.restore;

import java.util.Optional;

/**
 * What a restore method brought back and how it checked it.
 *
 * @param item         what was restored, as a person names it: "snapshot 3f2a1c9e", "archive pc-2026-11-25", "db/2026-11-25.bak"
 * @param verification how it was verified, e.g. "restic --verify passed; every file read back"
 * @param failure      why verification failed, naming the file; empty when it passed
 */
public record Restored(String item, long filesVerified, long bytesVerified, String verification, Optional<String> failure) {

    public static Restored verified(String item, long files, long bytes, String verification) {
        return new Restored(item, files, bytes, verification, Optional.empty());
    }

    public static Restored failed(String item, long files, long bytes, String verification, String failure) {
        return new Restored(item, files, bytes, verification, Optional.of(failure));
    }
}
