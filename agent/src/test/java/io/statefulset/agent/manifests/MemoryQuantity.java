package io.statefulset.agent.manifests;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes in bytes from Kubernetes quantities ({@code 100Mi}, {@code 1Gi}) and JVM sizes ({@code 48m}, {@code 512k}). */
final class MemoryQuantity {
    private static final Pattern KUBERNETES = Pattern.compile("(\\d+)(Ki|Mi|Gi|Ti|k|M|G|T)?");
    private static final Pattern JVM = Pattern.compile("(\\d+)([kKmMgG])?");
    private static final long KI = 1024;
    private static final Map<String, Long> KUBERNETES_UNITS = Map.of("Ki", KI, "Mi", KI * KI, "Gi", KI * KI * KI,
            "Ti", KI * KI * KI * KI, "k", 1000L, "M", 1000_000L, "G", 1000_000_000L, "T", 1000_000_000_000L);

    private MemoryQuantity() {}

    static long kubernetes(Object quantity) {
        Matcher m = KUBERNETES.matcher(String.valueOf(quantity));
        if (!m.matches()) throw new IllegalArgumentException("not a memory quantity this check understands: " + quantity);
        return Long.parseLong(m.group(1)) * (m.group(2) == null ? 1 : KUBERNETES_UNITS.get(m.group(2)));
    }

    static long jvm(String size) {
        Matcher m = JVM.matcher(size);
        if (!m.matches()) throw new IllegalArgumentException("not a JVM size: " + size);
        long n = Long.parseLong(m.group(1));
        if (m.group(2) == null) return n;
        return switch (Character.toLowerCase(m.group(2).charAt(0))) {
            case 'k' -> n * KI;
            case 'm' -> n * KI * KI;
            default -> n * KI * KI * KI;
        };
    }

    static long mebibytes(long n) {
        return n * KI * KI;
    }
}
