package io.statefulset.agent.cli;

import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every flag {@code --some-name} may come from env {@code AGENT_SOME_NAME}: the flag wins, then the env, then the
 * flag's own default (picocli falls back to it when this returns null). A repeatable flag's env value is a
 * comma-separated list, split like the flag's values.
 */
final class EnvMirror implements IDefaultValueProvider {
    private final Map<String, String> env;

    EnvMirror(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) return null;
        String value = env.get(FlagSpec.envName(option.longestName()));
        return value == null || value.isBlank() ? null : value.trim();
    }
}
