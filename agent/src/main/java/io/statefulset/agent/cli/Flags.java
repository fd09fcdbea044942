package io.statefulset.agent.cli;

import io.statefulset.agent.common.identity.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsed flags of one mode: argv first, then the {@code AGENT_*} env mirror, then the caller's default. */
public final class Flags {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

    private final String mode;
    private final Map<String, List<String>> values;

    private Flags(String mode, Map<String, List<String>> values) {
        this.mode = mode;
        this.values = values;
    }

    public static Flags parse(String mode, List<String> args, Map<String, String> env, List<FlagSpec> specs)
            throws UsageException {
        Map<String, FlagSpec> known = new LinkedHashMap<>();
        for (FlagSpec s : specs) if (s.modes().contains(mode)) known.put(s.name(), s);
        Map<String, List<String>> fromArgs = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument '" + arg + "' for " + mode + ": flags look like --name value");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            FlagSpec spec = known.get(name);
            if (spec == null) {
                throw new UsageException("unknown flag --" + name + " for " + mode + "; see `java -jar agent.jar " + mode + " --help`");
            }
            if (value == null) {
                if (i + 1 >= args.size()) throw new UsageException("flag --" + name + " needs a value (" + spec.help() + ")");
                value = args.get(++i);
            }
            List<String> list = fromArgs.computeIfAbsent(name, k -> new ArrayList<>());
            if (!spec.repeatable() && !list.isEmpty()) {
                throw new UsageException("flag --" + name + " given twice; it takes one value");
            }
            list.add(value);
        }
        Map<String, List<String>> merged = new LinkedHashMap<>();
        for (FlagSpec spec : known.values()) {
            List<String> v = fromArgs.get(spec.name());
            if (v == null) {
                String e = env.get(spec.envName());
                // A repeatable flag's env mirror holds a comma-separated list.
                if (e != null && !e.isBlank()) v = spec.repeatable() ? List.of(e.split("\\s*,\\s*")) : List.of(e);
            }
            if (v != null) merged.put(spec.name(), List.copyOf(v));
        }
        return new Flags(mode, merged);
    }

    public Optional<String> value(String name) {
        List<String> v = values.get(name);
        return v == null ? Optional.empty() : Optional.of(v.get(0));
    }

    public String value(String name, String defaultValue) {
        return value(name).orElse(defaultValue);
    }

    public List<String> values(String name) {
        return values.getOrDefault(name, List.of());
    }

    public Optional<Path> path(String name) {
        return value(name).map(Path::of);
    }

    public int integer(String name, int defaultValue) throws UsageException {
        Optional<String> v = value(name);
        if (v.isEmpty()) return defaultValue;
        try {
            return Integer.parseInt(v.get().trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, got '" + v.get() + "'");
        }
    }

    /** {@code 90}, {@code 90s}, {@code 500ms}, {@code 5m}, {@code 1h}; a bare number is seconds. */
    /** {@code true}/{@code false} (also {@code yes}/{@code no}, {@code 1}/{@code 0}). */
    public boolean bool(String name, boolean defaultValue) throws UsageException {
        Optional<String> v = value(name);
        if (v.isEmpty()) return defaultValue;
        switch (v.get().trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1": return true;
            case "false", "no", "0": return false;
            default: throw new UsageException("--" + name + " must be true or false, not '" + v.get() + "'");
        }
    }

    public Duration duration(String name, Duration defaultValue) throws UsageException {
        Optional<String> v = value(name);
        if (v.isEmpty()) return defaultValue;
        Matcher m = DURATION.matcher(v.get().trim());
        if (!m.matches()) throw new UsageException("--" + name + " must be a duration like 60s, 500ms or 5m, got '" + v.get() + "'");
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    public HostPort hostPort(String name, HostPort defaultValue) throws UsageException {
        Optional<String> v = value(name);
        if (v.isEmpty()) return defaultValue;
        return parseHostPort(name, v.get(), defaultValue.port());
    }

    public List<HostPort> hostPorts(String name, int defaultPort) throws UsageException {
        List<HostPort> out = new ArrayList<>();
        for (String v : values(name)) out.add(parseHostPort(name, v, defaultPort));
        return out;
    }

    private static HostPort parseHostPort(String name, String value, int defaultPort) throws UsageException {
        try {
            return HostPort.parse(value, defaultPort);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--" + name + ": " + e.getMessage());
        }
    }

    public String mode() {
        return mode;
    }
}
