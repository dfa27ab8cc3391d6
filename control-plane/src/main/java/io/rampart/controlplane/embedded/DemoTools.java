package io.rampart.controlplane.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The backup tools this machine has, found where Debian installs them, so that the demo shows each
 * layer the machine can run and says which tool is missing for the others (and how to install it).
 */
record DemoTools(Optional<Path> restic, Optional<Nut> nut, Optional<Path> postgresBin) {

    /** The demo's layers beyond the folders every group checks; all but the first two need a tool of this machine. */
    enum Layer {
        /** the NAS copy read back against its SHA256SUMS manifest */
        NAS_READ_BACK,
        /** the archive server's monthly restore points (archive-retention) */
        ARCHIVE,
        /** a restic repository and a restore test of it (restic) */
        CLOUD_COPY,
        /** a UPS served by NUT's upsd (dummy-ups driver) */
        UPS,
        /** a PostgreSQL primary and its streaming standby (PostgreSQL's server programs) */
        DB_SYNC
    }

    /** The layers this machine has the tools for. */
    java.util.Set<Layer> layers() {
        java.util.EnumSet<Layer> layers = java.util.EnumSet.of(Layer.NAS_READ_BACK, Layer.ARCHIVE);
        restic.ifPresent(found -> layers.add(Layer.CLOUD_COPY));
        nut.ifPresent(found -> layers.add(Layer.UPS));
        postgresBin.ifPresent(found -> layers.add(Layer.DB_SYNC));
        return layers;
    }

    /** Network UPS Tools: the dummy-ups driver and upsd (the real program, not Debian's wrapper). */
    record Nut(Path dummyUps, Path upsd) {
    }

    private static final List<String> PATH_PLACES = List.of("/usr/local/bin", "/usr/bin", "/bin");
    private static final List<String> NUT_DRIVER_PLACES = List.of("/lib/nut", "/usr/lib/nut", "/usr/libexec/nut", "/usr/bin", "/usr/sbin");
    // Debian's /usr/sbin/upsd is a wrapper that insists on /etc/nut/nut.conf: the real program comes first
    private static final List<String> UPSD_PLACES = List.of("/lib/nut", "/usr/lib/nut", "/usr/libexec/nut", "/usr/sbin", "/usr/bin");
    private static final List<String> POSTGRES_PROGRAMS = List.of("initdb", "pg_ctl", "postgres", "pg_basebackup", "psql");

    /** Looks on the PATH and in Debian's places. */
    static DemoTools find() {
        List<String> path = Stream.concat(Arrays.stream(Optional.ofNullable(System.getenv("PATH")).orElse("").split(":")),
                PATH_PLACES.stream()).filter(p -> !p.isBlank()).toList();
        Optional<Path> restic = program("restic", path);
        Optional<Nut> nut = program("dummy-ups", NUT_DRIVER_PLACES).flatMap(driver -> program("upsd", UPSD_PLACES).map(upsd -> new Nut(driver, upsd)));
        return new DemoTools(restic, nut, postgresBin(Path.of("/usr/lib/postgresql")));
    }

    /** The newest PostgreSQL of Debian's /usr/lib/postgresql/{version}/bin that has every program the standby needs. */
    static Optional<Path> postgresBin(Path root) {
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(bin -> POSTGRES_PROGRAMS.stream().allMatch(program -> Files.isExecutable(bin.resolve(program))))
                    .max(Comparator.comparingInt(DemoTools::majorVersion));
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Optional<Path> program(String name, List<String> places) {
        return places.stream().map(place -> Path.of(place, name)).filter(Files::isExecutable).findFirst();
    }

    /** What the start log says about a missing tool: which layer is left out, and how to install it. */
    List<String> missing() {
        Stream.Builder<String> lines = Stream.builder();
        if (restic.isEmpty()) {
            lines.add("restic is not installed, so the demo has no cloud copy and no restore test"
                    + " (install it: apt-get install restic, or see https://restic.net)");
        }
        if (nut.isEmpty()) {
            lines.add("Network UPS Tools (upsd and the dummy-ups driver) are not installed, so the demo has no UPS"
                    + " (install them: apt-get install nut-server nut-client)");
        }
        if (postgresBin.isEmpty()) {
            lines.add("PostgreSQL's server programs (initdb, pg_ctl, pg_basebackup, psql in /usr/lib/postgresql/<version>/bin)"
                    + " are not installed, so the demo has no database standby (install them: apt-get install postgresql)");
        }
        return lines.build().toList();
    }
}
