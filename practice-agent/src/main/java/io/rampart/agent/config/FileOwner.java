package io.rampart.agent.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Who must own what a command creates in the agent's home: the owner (and group) of the home itself, i.e. the
 * service user the installer made. {@code rampart-agent report} is often run as root by backup software's post-job
 * script; a root-owned {@code 0600} event file or a root-owned {@code outbox/} would leave the service unable to read
 * or write its own outbox. Where this process may (root, or CAP_CHOWN) the file is given to the home's owner; where it
 * may not (another unprivileged user in the home's group) it gets the home's group with group read/write instead.
 * On a file system without POSIX attributes (Windows) nothing is changed.
 */
public final class FileOwner {

    private static final Logger LOG = Logger.getLogger(FileOwner.class.getName());
    private static final FileOwner NONE = new FileOwner(null, null);

    private final UserPrincipal owner;
    private final GroupPrincipal group;

    private FileOwner(UserPrincipal owner, GroupPrincipal group) {
        this.owner = owner;
        this.group = group;
    }

    /** The owner of {@code path}, or of its nearest existing parent when it does not exist yet. */
    public static FileOwner of(Path path) {
        Path existing = path.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return NONE;
        }
        PosixFileAttributeView view = Files.getFileAttributeView(existing, PosixFileAttributeView.class);
        if (view == null) {
            return NONE;
        }
        try {
            PosixFileAttributes attributes = view.readAttributes();
            return new FileOwner(attributes.owner(), attributes.group());
        } catch (IOException e) {
            return NONE;
        }
    }

    /** Creates {@code directory} and any missing parents, each new one given to this owner. */
    public void createDirectories(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath();
        Path firstMissing = null;
        for (Path p = absolute; p != null && !Files.exists(p); p = p.getParent()) {
            firstMissing = p;
        }
        Files.createDirectories(absolute);
        if (firstMissing == null) {
            return;
        }
        for (Path p = absolute; p != null; p = p.getParent()) {
            adopt(p);
            if (p.equals(firstMissing)) {
                break;
            }
        }
    }

    /**
     * Gives {@code path}, just created by this process, to this owner when it belongs to someone else. Never throws:
     * the service sets aside an outbox file it cannot read, so a failure here costs a retry, not an event.
     */
    public void adopt(Path path) {
        if (owner == null) {
            return;
        }
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        try {
            PosixFileAttributes attributes = view.readAttributes();
            if (attributes.owner().equals(owner)) {
                return;
            }
            try {
                view.setOwner(owner);
                view.setGroup(group);
                return;
            } catch (IOException notPermitted) {
                // an unprivileged user other than the service's: share through the home's group instead
            }
            view.setGroup(group);
            Set<PosixFilePermission> permissions = EnumSet.copyOf(attributes.permissions());
            permissions.add(PosixFilePermission.GROUP_READ);
            permissions.add(PosixFilePermission.GROUP_WRITE);
            if (attributes.isDirectory()) {
                permissions.add(PosixFilePermission.GROUP_EXECUTE);
            }
            view.setPermissions(permissions);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warning("cannot give " + path + " to " + owner.getName() + " (the owner of the agent's home): " + e
                    + "; the agent service may not be able to read it: run `chown " + owner.getName() + " " + path + "`");
        }
    }

    /** The user name of this owner ("rampart-agent"), empty when unknown. */
    public String name() {
        return owner == null ? "" : owner.getName();
    }
}
