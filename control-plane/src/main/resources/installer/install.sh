#!/bin/sh
# Rampart agent installer for Linux, served by the control plane at @RAMPART_HTTP_URL@/install.sh
#
#   curl -fsSL @RAMPART_HTTP_URL@/install.sh | sudo sh -s -- --token TOKEN
#
# Options:
#   --token TOKEN      the single-use enrolment token from the Rampart web UI (not needed when already enrolled)
#   --server URL       gRPC address the agent reports to (default @RAMPART_GRPC_URL@)
#   --download URL     control plane HTTP address the jar is fetched from (default @RAMPART_HTTP_URL@)
#   --prefix DIR       install under DIR instead of / (a test mode: no system user, no systemctl)
#   --no-systemd       write the unit but neither create the user nor enable or start the service
#   --uninstall        stop the service and remove the program; keeps identity, outbox and checks.properties
#   --purge            with --uninstall: remove those too, and the rampart-agent user
#
# Running it again is safe: it replaces the program, keeps the identity and the configuration.
set -eu

SERVER='@RAMPART_GRPC_URL@'
DOWNLOAD='@RAMPART_HTTP_URL@'
TOKEN=''
PREFIX=''
SYSTEMD=yes
UNINSTALL=no
PURGE=no
SERVICE_USER=rampart-agent

say() { printf 'rampart-install: %s\n' "$*"; }
fail() { printf 'rampart-install: %s\n' "$*" >&2; exit 1; }
usage() {
    cat >&2 <<'EOF'
usage: install.sh --token TOKEN [--server GRPC_URL] [--download BASE_URL] [--prefix DIR] [--no-systemd]
       install.sh --uninstall [--purge] [--prefix DIR] [--no-systemd]
EOF
    exit 64
}

systemd_running() {
    [ "$SYSTEMD" = yes ] && command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]
}

fetch() {
    if command -v curl >/dev/null 2>&1; then
        http_status=$(curl -sSL --retry 3 -o "$2" -w '%{http_code}' "$1") || return 1
        if [ "$http_status" != 200 ]; then
            # the control plane explains itself in a small problem+json body
            printf 'rampart-install: %s answered HTTP %s: %s\n' "$1" "$http_status" "$(head -c 400 "$2")" >&2
            return 1
        fi
    elif command -v wget >/dev/null 2>&1; then
        wget -q -O "$2" "$1"
    else
        fail "neither curl nor wget is installed"
    fi
}

sha256_of() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d' ' -f1
    elif command -v shasum >/dev/null 2>&1; then
        shasum -a 256 "$1" | cut -d' ' -f1
    else
        fail "neither sha256sum nor shasum is installed: cannot verify the download"
    fi
}

# Everything runs from main, called on the last line, so that a download cut short runs nothing.
main() {
while [ $# -gt 0 ]; do
    case "$1" in
        --token) [ $# -ge 2 ] || usage; TOKEN=$2; shift 2 ;;
        --server) [ $# -ge 2 ] || usage; SERVER=$2; shift 2 ;;
        --download) [ $# -ge 2 ] || usage; DOWNLOAD=${2%/}; shift 2 ;;
        --prefix) [ $# -ge 2 ] || usage; PREFIX=${2%/}; shift 2 ;;
        --no-systemd) SYSTEMD=no; shift ;;
        --uninstall) UNINSTALL=yes; shift ;;
        --purge) PURGE=yes; shift ;;
        -h|--help) usage ;;
        *) printf 'rampart-install: unknown option %s\n' "$1" >&2; usage ;;
    esac
done

if [ -n "$PREFIX" ]; then
    case "$PREFIX" in /*) ;; *) PREFIX=$(pwd)/$PREFIX ;; esac
    # a prefix is a test or packaging install: nothing outside it is touched
    SYSTEMD=no
fi

APP_DIR=$PREFIX/opt/rampart-agent
JAR=$APP_DIR/rampart-agent.jar
WRAPPER=$PREFIX/usr/local/bin/rampart-agent
CONFIG_DIR=$PREFIX/etc/rampart-agent
CHECKS=$CONFIG_DIR/checks.properties
STATE_DIR=$PREFIX/var/lib/rampart-agent
UNIT=$PREFIX/etc/systemd/system/rampart-agent.service

if [ -z "$PREFIX" ] && [ "$(id -u)" -ne 0 ]; then
    fail "run me as root (curl ... | sudo sh -s -- ...), or use --prefix DIR to try me out"
fi

# ---------------------------------------------------------------- uninstall
if [ "$UNINSTALL" = yes ]; then
    if systemd_running; then
        systemctl disable --now rampart-agent >/dev/null 2>&1 || true
        say "stopped and disabled the rampart-agent service"
    fi
    rm -f "$UNIT" "$WRAPPER"
    rm -rf "$APP_DIR"
    if systemd_running; then
        systemctl daemon-reload
    fi
    say "removed $JAR, $WRAPPER and $UNIT"
    if [ "$PURGE" = yes ]; then
        rm -rf "$STATE_DIR" "$CONFIG_DIR"
        say "purged $STATE_DIR (identity, outbox) and $CONFIG_DIR"
        if [ "$SYSTEMD" = yes ] && id "$SERVICE_USER" >/dev/null 2>&1; then
            if userdel "$SERVICE_USER" >/dev/null 2>&1; then
                say "removed the user $SERVICE_USER"
            fi
        fi
    else
        say "kept $STATE_DIR (identity, outbox) and $CONFIG_DIR: add --purge to remove them"
    fi
    exit 0
fi

if [ ! -f "$STATE_DIR/agent.properties" ] && [ -z "$TOKEN" ]; then
    fail "not enrolled yet and no --token given: create an enrolment token in the Rampart web UI and run me with --token TOKEN"
fi

# ---------------------------------------------------------------- Java 17+
JAVA=$(command -v java 2>/dev/null || true)
if [ -z "$JAVA" ]; then
    fail "no java found: install Java 17 (Debian: apt-get install openjdk-17-jre-headless) and run me again"
fi
JAVA_VERSION=$("$JAVA" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)
JAVA_MAJOR=${JAVA_VERSION%%.*}
if [ "$JAVA_MAJOR" = 1 ]; then
    JAVA_MAJOR=$(printf '%s' "$JAVA_VERSION" | cut -d. -f2)
fi
JAVA_MAJOR=$(printf '%s' "$JAVA_MAJOR" | sed 's/[^0-9].*//')
if [ -z "$JAVA_MAJOR" ] || [ "$JAVA_MAJOR" -lt 17 ]; then
    fail "$JAVA is Java ${JAVA_VERSION:-of an unknown version}; the agent needs 17 or later: install Java 17 (Debian: apt-get install openjdk-17-jre-headless)"
fi

# ---------------------------------------------------------------- download and verify
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

fetch "$DOWNLOAD/downloads/rampart-agent.jar.sha256" "$WORK/rampart-agent.jar.sha256" \
    || fail "cannot download $DOWNLOAD/downloads/rampart-agent.jar.sha256"
fetch "$DOWNLOAD/downloads/rampart-agent.jar" "$WORK/rampart-agent.jar" \
    || fail "cannot download $DOWNLOAD/downloads/rampart-agent.jar"
EXPECTED=$(cut -d' ' -f1 "$WORK/rampart-agent.jar.sha256")
ACTUAL=$(sha256_of "$WORK/rampart-agent.jar")
if [ "$EXPECTED" != "$ACTUAL" ]; then
    fail "the downloaded jar's SHA-256 is $ACTUAL, not $EXPECTED as the control plane says: not installing it"
fi
say "downloaded the agent from $DOWNLOAD (SHA-256 $ACTUAL, verified)"

# ---------------------------------------------------------------- user
if [ "$SYSTEMD" = yes ] && ! id "$SERVICE_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /var/lib/rampart-agent --shell /usr/sbin/nologin "$SERVICE_USER"
    say "created the system user $SERVICE_USER"
fi

# ---------------------------------------------------------------- files
umask 022
mkdir -p "$APP_DIR" "$(dirname "$WRAPPER")" "$CONFIG_DIR" "$(dirname "$UNIT")"
# the new jar replaces the old one in one step, so a running agent is never left with half a file
# (the service's class-data-sharing archive of the old jar is removed and made anew, see the wrapper)
cp "$WORK/rampart-agent.jar" "$JAR.new"
chmod 0644 "$JAR.new"
mv -f "$JAR.new" "$JAR"
# a list of the old jar's classes is not archived for the new one (the running agent keeps writing its open file)
rm -f "$STATE_DIR/rampart-agent.classlist"
printf '%s  rampart-agent.jar\n' "$ACTUAL" > "$APP_DIR/rampart-agent.jar.sha256"
# the JVM options come with the jar (io.rampart.agent.cli.JvmOptions, measured by the footprint benchmark)
JVM_OPTIONS=$("$JAVA" -Xshare:auto -cp "$JAR" io.rampart.agent.cli.JvmOptions linux) && [ -n "$JVM_OPTIONS" ] \
    || fail "$JAVA cannot run the downloaded agent ($JAR) to ask it for its JVM options: see the message above"

cat > "$WRAPPER.new" <<EOF
#!/bin/sh
# Rampart agent: rampart-agent enroll|run|status|report ... (written by install.sh)
RAMPART_AGENT_HOME="\${RAMPART_AGENT_HOME:-$STATE_DIR}"
export RAMPART_AGENT_HOME
# file names are bytes on Linux: without a UTF-8 locale (a service with no LANG) Java cannot open a non-ASCII name
case "\${LC_ALL:-\${LC_CTYPE:-\${LANG:-}}}" in
    *[Uu][Tt][Ff]-8*|*[Uu][Tt][Ff]8*) ;;
    *) LC_ALL=C.UTF-8; export LC_ALL ;;
esac
# The service keeps its classes in a class-data-sharing archive in its home, made in two steps: the first run lists
# the classes it loads, and the next start archives them (-Xshare:dump, a few seconds once); later runs map the
# archive instead of parsing the jar again (less resident memory than the archive a run writes when it stops, and a
# faster start). An archive of another jar or another Java is removed (the JVM itself says so: -Xshare:on refuses
# it) and made anew the same way.
CDS=""
if [ "\${1:-}" = run ]; then
    ARCHIVE="\$RAMPART_AGENT_HOME/rampart-agent.jsa"
    CLASSES="\$RAMPART_AGENT_HOME/rampart-agent.classlist"
    if [ -f "\$ARCHIVE" ] && ! "$JAVA" -Xmx32m -XX:+UseSerialGC -XX:SharedArchiveFile="\$ARCHIVE" -Xshare:on -Xlog:disable -cp "$JAR" -version >/dev/null 2>&1; then
        rm -f "\$ARCHIVE"
    fi
    # only a list from a run that got as far as its first check results (a run killed early lists too few classes,
    # and a static archive of them would serve fewer than the JDK's own) and not older than the jar; any other list
    # is dropped, and this run lists anew
    if [ ! -f "\$ARCHIVE" ] && [ -f "\$CLASSES" ]; then
        if [ "\$CLASSES" -nt "$JAR" ] && grep -Eq '^io/rampart/agent/collectors/BoundedResult( |\$)' "\$CLASSES"; then
            if ! "$JAVA" $JVM_OPTIONS -Xshare:dump -XX:SharedClassListFile="\$CLASSES" -XX:SharedArchiveFile="\$ARCHIVE" -Xlog:disable -Xlog:all=error:stderr -cp "$JAR" >/dev/null; then
                echo "rampart-agent: could not make the class-data-sharing archive \$ARCHIVE (see above); running without it" >&2
                rm -f "\$ARCHIVE"
            fi
        fi
        rm -f "\$CLASSES"
    fi
    if [ -f "\$ARCHIVE" ]; then
        CDS="-XX:SharedArchiveFile=\$ARCHIVE -Xshare:auto"
    elif [ -w "\$RAMPART_AGENT_HOME" ] && [ -f "\$RAMPART_AGENT_HOME/agent.properties" ]; then
        # only an enrolled agent's run loads the classes worth keeping (one that is not enrolled stops at once)
        CDS="-XX:DumpLoadedClassList=\$CLASSES"
    fi
fi
# small-footprint JVM options, as the agent jar gives them (io.rampart.agent.cli.JvmOptions says why each)
exec "$JAVA" $JVM_OPTIONS \$CDS -jar "$JAR" "\$@"
EOF
chmod 0755 "$WRAPPER.new"
mv -f "$WRAPPER.new" "$WRAPPER"

mkdir -p "$STATE_DIR"
chmod 0700 "$STATE_DIR"

if [ -e "$CHECKS" ]; then
    say "kept your $CHECKS"
else
    cat > "$CHECKS" <<'EOF'
# Where this practice's backups are, one line per check: check.<check-id>.<setting>=value
# The control plane says which checks to run (the group's policy); these settings never leave this computer.
# The agent re-reads this file before every check: no restart needed after editing.
#
# A folder of backup files (NAS share, USB drive, archive server):
# check.nas-copy.path=/mnt/nas/backups
# check.usb-copy.path=/media/backup-usb
#
# The service runs as the user rampart-agent and can read only what that user may read:
# give it read access to the backup folders (for example: setfacl -R -m u:rampart-agent:rX /mnt/nas/backups).
EOF
    chmod 0640 "$CHECKS"
    say "wrote $CHECKS (a commented template)"
fi
# the agent reads checks.properties from its home; the file itself lives with the configuration
if [ ! -e "$STATE_DIR/checks.properties" ] || [ -L "$STATE_DIR/checks.properties" ]; then
    ln -sfn "$CHECKS" "$STATE_DIR/checks.properties"
fi

cat > "$UNIT" <<EOF
# Rampart practice agent (written by install.sh; running install.sh again rewrites it).
# For local changes use a drop-in: systemctl edit rampart-agent
[Unit]
Description=Rampart practice agent (backup assurance)
Wants=network-online.target
After=network-online.target

[Service]
Type=exec
User=$SERVICE_USER
Group=$SERVICE_USER
Environment=RAMPART_AGENT_HOME=$STATE_DIR
ExecStart=$WRAPPER run
# 143 = exit after SIGTERM: the agent closes its outbox cleanly and the JVM reports 128+15
SuccessExitStatus=143
Restart=on-failure
RestartSec=10s
MemoryMax=256M

NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=read-only
ReadWritePaths=$STATE_DIR
# The whole file system is read-only to the agent, which is all it needs to check backups.
# To narrow what it may see, list the backup folders, e.g. in a drop-in:
#   ReadOnlyPaths=/mnt/nas/backups /media/backup-usb
# and to let it read files only a group may read: SupplementaryGroups=backup
PrivateTmp=yes
PrivateDevices=yes
ProtectHostname=yes
ProtectClock=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
UMask=0077
CapabilityBoundingSet=
AmbientCapabilities=
SystemCallArchitectures=native

[Install]
WantedBy=multi-user.target
EOF
chmod 0644 "$UNIT"
say "installed $JAR, $WRAPPER and $UNIT"

# ---------------------------------------------------------------- enrol
if [ -f "$STATE_DIR/agent.properties" ]; then
    AGENT_ID=$(sed -n 's/^agent\.id=//p' "$STATE_DIR/agent.properties" | head -n 1)
    say "already enrolled as agent $AGENT_ID: keeping that identity${TOKEN:+ and not using the token}"
else
    say "enrolling with $SERVER"
    # The control plane's CA, as served with this script: the only one the agent will trust.
    cat > "$WORK/control-plane-ca.crt" <<'RAMPART_AGENT_CA'
@RAMPART_AGENT_CA@
RAMPART_AGENT_CA
    if ! RAMPART_AGENT_HOME=$STATE_DIR "$WRAPPER" enroll --server "$SERVER" --token "$TOKEN" --ca-file "$WORK/control-plane-ca.crt" </dev/null; then
        fail "enrolment failed (see the message above); the program is installed: run me again with a new token"
    fi
fi

if [ "$SYSTEMD" = yes ]; then
    chown -R "$SERVICE_USER:$SERVICE_USER" "$STATE_DIR"
    chown "root:$SERVICE_USER" "$CONFIG_DIR" "$CHECKS"
    chmod 0750 "$CONFIG_DIR"
fi

# ---------------------------------------------------------------- service
if systemd_running; then
    systemctl daemon-reload
    systemctl enable rampart-agent >/dev/null 2>&1
    # restart, not start: after an upgrade the service must pick up the new jar
    systemctl restart rampart-agent
    say "the rampart-agent service is enabled and running (journalctl -u rampart-agent -f)"
elif [ "$SYSTEMD" = yes ]; then
    say "systemd is not running here: start the agent yourself with: $WRAPPER run"
else
    say "not enabling a service (--no-systemd or --prefix): run the agent with: $WRAPPER run"
fi

say "next: say where the backups are in $CHECKS, then check with: $WRAPPER status"
}

main "$@"
