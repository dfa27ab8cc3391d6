package io.rampart.agent.restore;

import java.util.List;
import java.util.Optional;

import io.rampart.protocol.agent.v1.FutureDatedItem;

/**
 * What a restore method brought back and how it checked it.
 *
 * @param item         what was restored, as a person names it: "snapshot 3f2a1c9e", "archive pc-2026-11-25", "db/2026-11-25.bak"
 * @param verification how it was verified, e.g. "restic --verify passed; every file read back"
 * @param failure      why verification failed, naming the file; empty when it passed
 * @param futureDated  backups passed over because they are dated in the future (a clock problem, never restored)
 */
public record Restored(String item, long filesVerified, long bytesVerified, String verification, Optional<String> failure,
        List<FutureDatedItem> futureDated) {

    public Restored {
        futureDated = List.copyOf(futureDated);
    }

    public Restored(String item, long filesVerified, long bytesVerified, String verification, Optional<String> failure) {
        this(item, filesVerified, bytesVerified, verification, failure, List.of());
    }

    public static Restored verified(String item, long files, long bytes, String verification) {
        return new Restored(item, files, bytes, verification, Optional.empty());
    }

    public static Restored failed(String item, long files, long bytes, String verification, String failure) {
        return new Restored(item, files, bytes, verification, Optional.of(failure));
    }

    /** The same, having passed over these backups dated in the future. */
    public Restored withFutureDated(List<FutureDatedItem> items) {
        return new Restored(item, filesVerified, bytesVerified, verification, failure, items);
    }
}
