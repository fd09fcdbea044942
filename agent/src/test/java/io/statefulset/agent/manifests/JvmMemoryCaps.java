package io.statefulset.agent.manifests;

import java.util.List;
import java.util.Optional;

/**
 * The ceilings a JVM command line sets on the memory pools that grow: heap, direct buffers (Netty), metaspace,
 * JIT code cache and thread stacks. A pool without a ceiling grows with the node's RAM, not with the pod's limit.
 */
record JvmMemoryCaps(long heap, long direct, long metaspace, long codeCache, long threadStack) {
    static JvmMemoryCaps of(List<String> options) {
        return new JvmMemoryCaps(
                required(options, "-Xmx"),
                required(options, "-XX:MaxDirectMemorySize="),
                required(options, "-XX:MaxMetaspaceSize="),
                required(options, "-XX:ReservedCodeCacheSize="),
                required(options, "-Xss"));
    }

    private static long required(List<String> options, String prefix) {
        Optional<String> value = options.stream().filter(o -> o.startsWith(prefix)).map(o -> o.substring(prefix.length()))
                .reduce((first, later) -> later); // the JVM takes the last one given
        return MemoryQuantity.jvm(value.orElseThrow(() -> new AssertionError(
                "JVM options set no " + prefix + "<size>, so that pool is unbounded: " + options)));
    }

    /** The most this JVM can hold, given how many threads it may run (each with one stack). */
    long worstCase(int threads, long internals) {
        return heap + direct + metaspace + codeCache + threads * threadStack + internals;
    }
}
