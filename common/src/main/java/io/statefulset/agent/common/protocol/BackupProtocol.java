package io.statefulset.agent.common.protocol;

/**
 * The contract of port 3307 (docs/architecture.md, "Wire protocol"), shared by the donor ({@code serve}) and the receiver
 * ({@code init}) so that the two can never drift apart.
 */
public final class BackupProtocol {
    private BackupProtocol() {}

    public static final int DEFAULT_PORT = 3307;
    public static final String BACKUP_PATH = "/backup";
    public static final String HEALTHZ_PATH = "/healthz";
    public static final String READYZ_PATH = "/readyz";
    public static final String METRICS_PATH = "/metrics";

    /** Trailer: {@code success} or {@code failed}. */
    public static final String STATUS_TRAILER = "X-Backup-Status";
    public static final String STATUS_SUCCESS = "success";
    public static final String STATUS_FAILED = "failed";
    /** Trailer: why the backup failed, the backup tool's own error lines first. */
    public static final String ERROR_TRAILER = "X-Backup-Error";
    /** Trailer: the failure's cause label ({@code FailureCause}), e.g. {@code redo-wrap}, when it failed. */
    public static final String CAUSE_TRAILER = "X-Backup-Failure-Cause";
    /** Trailer: body length in bytes, decimal. */
    public static final String BYTES_TRAILER = "X-Backup-Bytes";
    /** Trailer: CRC32C of the whole body, 8 lowercase hex digits. */
    public static final String CRC32C_TRAILER = "X-Backup-Crc32c";
    /** Optional response header: the donor's estimate of the stream size in bytes (its data dir size), for ETAs. */
    public static final String SIZE_ESTIMATE_HEADER = "X-Backup-Size-Estimate";

    public static String crc32cHex(int crc) {
        return String.format("%08x", crc);
    }
}
