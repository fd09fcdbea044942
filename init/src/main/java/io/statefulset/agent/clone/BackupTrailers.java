package io.statefulset.agent.clone;

import io.netty.handler.codec.http.HttpHeaders;
import io.statefulset.agent.common.backuptool.FailureCause;
import io.statefulset.agent.common.backuptool.RedoWrap;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.protocol.BackupProtocol;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The trailers that end a donor's {@code /backup} body: the donor's own verdict on what it sent. */
record BackupTrailers(Optional<String> status, Optional<String> error, Optional<String> cause, Optional<String> bytes,
                      Optional<String> crc32c) {
    /**
     * Longest donor error text quoted in our own messages. The donor's text is logged whole (it is already bounded
     * by the HTTP decoder's header limit); this only guards against a donor that is not an agent.
     */
    private static final int MAX_ERROR = 8192;
    private static final Pattern BYTE_COUNT = Pattern.compile("[0-9]+");

    static BackupTrailers from(HttpHeaders trailers) {
        return new BackupTrailers(
                Optional.ofNullable(trailers.get(BackupProtocol.STATUS_TRAILER)).map(String::trim),
                Optional.ofNullable(trailers.get(BackupProtocol.ERROR_TRAILER)).map(String::trim).filter(s -> !s.isEmpty()),
                Optional.ofNullable(trailers.get(BackupProtocol.CAUSE_TRAILER)).map(String::trim).filter(s -> !s.isEmpty()),
                Optional.ofNullable(trailers.get(BackupProtocol.BYTES_TRAILER)).map(String::trim),
                Optional.ofNullable(trailers.get(BackupProtocol.CRC32C_TRAILER)).map(String::trim));
    }

    /**
     * Trust only a body the donor calls a success and whose length and CRC32C match what arrived.
     *
     * @throws DonorFailedException saying which check failed, with the donor's error text when it sent one
     */
    void verify(HostPort donor, long receivedBytes, int receivedCrc) throws DonorFailedException {
        if (status.isEmpty()) {
            throw new DonorFailedException(FailureCause.CORRUPT_STREAM, "donor " + donor + " ended its body without an "
                    + BackupProtocol.STATUS_TRAILER + " trailer, so nothing vouches for the stream: is --donor an agent"
                    + " `serve` (or the tutorial's ncat sidecar)?");
        }
        if (!status.get().equalsIgnoreCase(BackupProtocol.STATUS_SUCCESS)) throw donorFailed(donor);
        long declared = parseBytes(donor);
        if (declared != receivedBytes) {
            throw new DonorFailedException(FailureCause.CORRUPT_STREAM, "donor " + donor + " says it sent " + declared
                    + " bytes but " + receivedBytes + " arrived: the stream was cut or altered on the way; check proxies and the network path");
        }
        String expected = crc32c.orElseThrow(() -> new DonorFailedException(FailureCause.CORRUPT_STREAM, "donor " + donor
                + " sent no " + BackupProtocol.CRC32C_TRAILER + " trailer: refusing a stream that cannot be checked"));
        String actual = BackupProtocol.crc32cHex(receivedCrc);
        if (!expected.equalsIgnoreCase(actual)) {
            throw new DonorFailedException(FailureCause.CORRUPT_STREAM, "CRC32C of the " + receivedBytes + " bytes from donor "
                    + donor + " is " + actual + " but the donor computed " + expected
                    + ": the stream was corrupted on the way; check the network path");
        }
    }

    /**
     * The donor's own account, whole: its backup tool's error lines and (from an agent) the cause and what to change.
     * A donor that sent no cause (not an agent, or an older one) gets it from the tool's words.
     */
    private DonorFailedException donorFailed(HostPort donor) {
        String text = error.map(BackupTrailers::oneLine).orElse("(no " + BackupProtocol.ERROR_TRAILER + " sent)");
        List<String> lines = Arrays.asList(text.split(" \\| "));
        FailureCause why = cause.flatMap(FailureCause::ofLabel).orElseGet(() -> RedoWrap.causeOf(lines));
        String advice = switch (why) {
            case REDO_WRAP -> cause.isPresent() ? "" : "; the donor's redo log wrapped during the backup: raise innodb_log_file_size"
                    + " (MySQL 8.0.30+: innodb_redo_log_capacity) on the donors so it holds the redo written during a backup";
            case DONOR_STOPPING -> "; the donor was shutting down";
            default -> "; check the donor's mysqld and its backup tool (serve logs)";
        };
        return new DonorFailedException(why, "donor " + donor + " reported its backup " + status.orElse("failed") + ": " + text + advice);
    }

    private long parseBytes(HostPort donor) throws DonorFailedException {
        String text = bytes.orElseThrow(() -> new DonorFailedException(FailureCause.CORRUPT_STREAM, "donor " + donor + " sent no "
                + BackupProtocol.BYTES_TRAILER + " trailer: refusing a stream whose length cannot be checked"));
        // Decimal ASCII digits only, as Content-Length is written: Long.parseLong alone would also take a sign and
        // other scripts' digits, which no agent sends.
        if (BYTE_COUNT.matcher(text).matches()) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException tooLarge) {
                // falls through to the refusal below
            }
        }
        throw new DonorFailedException(FailureCause.CORRUPT_STREAM, "donor " + donor + " sent " + BackupProtocol.BYTES_TRAILER
                + " '" + oneLine(text) + "', not a byte count");
    }

    private static String oneLine(String text) {
        String s = text.replaceAll("[\\r\\n]+", " | ").strip();
        return s.length() <= MAX_ERROR ? s : "..." + s.substring(s.length() - MAX_ERROR);
    }
}
