package io.rampart.agent.collectors.database;

/**
 * A PostgreSQL WAL position (log sequence number), a byte offset into the WAL, as PostgreSQL prints it:
 * two hexadecimal halves, "0/3016E68" (pg_lsn; docs: "pg_lsn Type").
 */
public record Lsn(long value) {

    /** @throws IllegalArgumentException when the text is not an LSN */
    public static Lsn parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("not a WAL position: " + text);
        }
        try {
            long high = Long.parseUnsignedLong(text.substring(0, slash).trim(), 16);
            long low = Long.parseUnsignedLong(text.substring(slash + 1).trim(), 16);
            if (high > 0xFFFFFFFFL || low > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("not a WAL position: " + text);
            }
            return new Lsn(high << 32 | low);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a WAL position: " + text, e);
        }
    }

    /** Bytes from {@code earlier} to this position, as pg_wal_lsn_diff(this, earlier); never below 0. */
    public long bytesAfter(Lsn earlier) {
        return Long.compareUnsigned(value, earlier.value) <= 0 ? 0 : value - earlier.value;
    }

    @Override
    public String toString() {
        return Long.toHexString(value >>> 32).toUpperCase() + "/" + Long.toHexString(value & 0xFFFFFFFFL).toUpperCase();
    }
}
