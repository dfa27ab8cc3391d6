package io.rampart.agent.explain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.rampart.agent.collectors.HumanText;

/** Free room on a disk, in words. */
final class Disk {

    private Disk() {
    }

    /** Bytes this process may still write on the file system of {@code path}; -1 when it cannot tell. */
    static long usableBytes(Path path) {
        try {
            return Files.getFileStore(path).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    /** "12.3 GB", or "an unknown amount". */
    static String free(Path path) {
        long bytes = usableBytes(path);
        return bytes < 0 ? "an unknown amount" : HumanText.bytes(bytes);
    }
}
