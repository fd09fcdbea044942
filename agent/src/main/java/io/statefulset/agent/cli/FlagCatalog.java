package io.statefulset.agent.cli;

import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * The agent's flags, read off the picocli commands {@link InitFlags} and {@link ServeFlags}: their annotations are
 * the one home of every flag's name, default and help, which --help prints, the parser applies and the manifest
 * tests check against k8s/.
 */
public final class FlagCatalog {
    public static final List<String> MODES = List.of("init", "serve");
    public static final List<FlagSpec> ALL = catalog();

    private FlagCatalog() {}

    /**
     * Parses one mode's flags: argv first, then the {@code AGENT_*} env mirror, then the flag's default.
     *
     * @return the parsed picocli command ({@link InitFlags} or {@link ServeFlags} as its user object)
     * @throws UsageException on an unknown flag, a missing or malformed value, or a flag given twice
     */
    public static CommandLine parse(String mode, List<String> args, Map<String, String> env) throws UsageException {
        CommandLine cl = command(mode);
        cl.setDefaultValueProvider(new EnvMirror(env));
        try {
            cl.parseArgs(args.toArray(String[]::new));
        } catch (ParameterException e) {
            throw new UsageException(e.getMessage() + "; see `java -jar agent.jar " + mode + " --help`");
        }
        return cl;
    }

    /** A parsed flag's value as text (the default when it was not given), for tests that read manifests. */
    public static Optional<String> value(CommandLine parsed, String flag) {
        OptionSpec o = parsed.getCommandSpec().findOption("--" + flag);
        if (o == null) throw new IllegalArgumentException("no flag --" + flag + " in " + parsed.getCommandName());
        Object v = o.getValue();
        if (v == null || (v instanceof List<?> l && l.isEmpty())) return Optional.empty();
        return Optional.of(v instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList()) : String.valueOf(v));
    }

    /** A bash completion script for both modes' flags: {@code source <(java -jar agent.jar completion)}. */
    public static String bashCompletion() {
        CommandLine root = new CommandLine(CommandSpec.create().name("agent.jar"));
        for (String mode : MODES) root.addSubcommand(mode, command(mode));
        return AutoComplete.bash("agent.jar", root);
    }

    static CommandLine command(String mode) {
        CommandLine cl = switch (mode) {
            case "init" -> new CommandLine(new InitFlags());
            case "serve" -> new CommandLine(new ServeFlags());
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        };
        // A non-repeatable flag given twice is a mistake worth stopping for, not a silent override.
        cl.setOverwrittenOptionsAllowed(false);
        cl.setAbbreviatedOptionsAllowed(false);
        return cl;
    }

    private static List<FlagSpec> catalog() {
        Map<String, FlagSpec> byName = new LinkedHashMap<>();
        for (String mode : MODES) {
            for (OptionSpec o : command(mode).getCommandSpec().options()) {
                String name = o.longestName().substring(2);
                FlagSpec seen = byName.get(name);
                Set<String> modes = new TreeSet<>(seen == null ? Set.of() : seen.modes());
                modes.add(mode);
                byName.put(name, new FlagSpec(name, Set.copyOf(modes), defaultText(o), o.description()[0], o.isMultiValue()));
            }
        }
        return List.copyOf(byName.values());
    }

    private static String defaultText(OptionSpec o) {
        if (o.defaultValue() != null) return o.defaultValue();
        if (o.userObject() instanceof Field f && f.isAnnotationPresent(DefaultText.class)) {
            return f.getAnnotation(DefaultText.class).value();
        }
        throw new IllegalStateException("flag " + o.longestName() + " has neither a defaultValue nor a @DefaultText");
    }
}
