package io.statefulset.agent.clone;

import io.statefulset.agent.common.identity.HostPort;
import java.util.OptionalLong;

/**
 * What a donor sent so far, shared by the handlers of one connection: counted by {@link BodyCheck}, worded by
 * {@link ProgressTicker}, quoted in error messages. Used on the event loop only.
 */
public final class TransferProgress {
    private final HostPort donor;
    private long startNanos;
    private long bytes;
    private long lastBytes;
    private long lastNanos;
    private OptionalLong estimate = OptionalLong.empty();

    public TransferProgress(HostPort donor) {
        this.donor = donor;
    }

    HostPort donor() {
        return donor;
    }

    /** The connection is up and the request sent: rates and the transfer's duration count from here. */
    public void begin(long nowNanos) {
        startNanos = nowNanos;
        lastNanos = nowNanos;
    }

    long elapsedNanos(long nowNanos) {
        return nowNanos - startNanos;
    }

    public void estimate(long estimatedBytes) {
        if (estimatedBytes > 0) estimate = OptionalLong.of(estimatedBytes);
    }

    public void received(long n) {
        bytes += n;
    }

    public long bytes() {
        return bytes;
    }

    /** "clone from h:p: 812.3 MB received, 95.1 MB/s, ETA 14 s of ~2.1 GB" (rate over the last interval). */
    public String line(long nowNanos) {
        double interval = Math.max(nowNanos - lastNanos, 1) / 1e9;
        double rate = (bytes - lastBytes) / 1e6 / interval;
        lastBytes = bytes;
        lastNanos = nowNanos;
        StringBuilder sb = new StringBuilder("clone from ").append(donor).append(": ")
                .append(megabytes(bytes)).append(" received, ").append(String.format("%.1f MB/s", rate));
        if (estimate.isPresent()) {
            double average = bytes / Math.max(nowNanos - startNanos, 1.0) * 1e9;
            long left = Math.max(estimate.getAsLong() - bytes, 0);
            sb.append(average > 0 ? String.format(", ETA %d s", Math.round(left / average)) : ", ETA unknown")
                    .append(" of ~").append(megabytes(estimate.getAsLong()));
        }
        return sb.toString();
    }

    public static String megabytes(long n) {
        return n >= 10_000_000_000L ? String.format("%.2f GB", n / 1e9) : String.format("%.1f MB", n / 1e6);
    }
}
