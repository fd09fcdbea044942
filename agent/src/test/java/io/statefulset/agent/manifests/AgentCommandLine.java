package io.statefulset.agent.manifests;

import io.statefulset.agent.cli.FlagCatalog;
import io.statefulset.agent.cli.FlagSpec;
import io.statefulset.agent.cli.UsageException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the agent reads one container of the manifests: the mode from the first argument, the flags parsed by the
 * CLI's own parser with the container's env, so a flag or {@code AGENT_*} name the CLI lacks fails as it would in
 * the pod.
 */
record AgentCommandLine(String mode, CommandLine flags, Map<String, String> env) {
    private static final Pattern DOCUMENTED_ENV = Pattern.compile("\\benv ([A-Z][A-Z0-9_]*)");

    /** @param secretValues the Secret's values, standing in for the env vars that reference them */
    static AgentCommandLine of(Container c, Map<String, String> secretValues) throws UsageException {
        if (c.args().isEmpty()) throw new AssertionError("container " + c.name() + " gives the agent no mode");
        Map<String, String> env = new LinkedHashMap<>();
        for (Container.EnvVar e : c.env()) {
            env.put(e.name(), e.fromSecret() ? secretValues.get(e.secretKey()) : e.value());
        }
        String mode = c.args().get(0);
        return new AgentCommandLine(mode, FlagCatalog.parse(mode, c.args().subList(1, c.args().size()), env), env);
    }

    /**
     * The env vars the agent reads in {@code mode}: every flag's {@code AGENT_*} mirror, and the password variables
     * the CLI documents in its --help ("env MYSQL_PASSWORD, else none").
     */
    static Set<String> knownEnvNames(String mode) {
        Set<String> names = new TreeSet<>();
        for (FlagSpec spec : FlagCatalog.ALL) {
            if (!spec.modes().contains(mode)) continue;
            names.add(spec.envName());
            Matcher m = DOCUMENTED_ENV.matcher(spec.defaultText());
            while (m.find()) names.add(m.group(1));
        }
        return names;
    }

    /** The documented default of a flag, as --help prints it. */
    static String documentedDefault(String flag) {
        return FlagCatalog.ALL.stream().filter(s -> s.name().equals(flag)).findFirst()
                .orElseThrow(() -> new AssertionError("FlagCatalog has no --" + flag)).defaultText();
    }

    /** The flag's value when given (flag or env), else empty; a default is not a given value. */
    Optional<String> given(String flag) {
        return FlagCatalog.value(flags, flag).filter(v -> !v.equals(documentedDefault(flag)));
    }

    String value(String flag) {
        return FlagCatalog.value(flags, flag).orElse(documentedDefault(flag));
    }

    List<String> envNames() {
        return List.copyOf(env.keySet());
    }
}
