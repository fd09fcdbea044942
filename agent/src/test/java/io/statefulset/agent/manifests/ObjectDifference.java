package io.statefulset.agent.manifests;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The first place where two parsed objects differ, as a path and both values: a readable assertion message. */
final class ObjectDifference {
    private ObjectDifference() {}

    static Optional<String> first(String path, Object left, Object right) {
        if (left instanceof Map<?, ?> l && right instanceof Map<?, ?> r) {
            Set<Object> keys = new TreeSet<>(Comparator.comparing(String::valueOf));
            keys.addAll(l.keySet());
            keys.addAll(r.keySet());
            for (Object k : keys) {
                Optional<String> d = first(path + "." + k, l.get(k), r.get(k));
                if (d.isPresent()) return d;
            }
            return Optional.empty();
        }
        if (left instanceof List<?> l && right instanceof List<?> r) {
            for (int i = 0; i < Math.max(l.size(), r.size()); i++) {
                Optional<String> d = first(path + "[" + i + "]", i < l.size() ? l.get(i) : null, i < r.size() ? r.get(i) : null);
                if (d.isPresent()) return d;
            }
            return Optional.empty();
        }
        return Objects.equals(left, right) ? Optional.empty() : Optional.of(path + ": " + left + " != " + right);
    }
}
