package io.statefulset.agent.cli;

import java.util.Locale;
import java.util.Set;

/**
 * One command-line flag as {@code --help}, the docs and the manifest tests see it: {@code --name value} or
 * {@code --name=value}, mirrored by env {@code AGENT_NAME}. Read off the picocli model, never written by hand.
 *
 * @param modes       {@code init}, {@code serve} or both
 * @param defaultText the default as --help prints it
 */
public record FlagSpec(String name, Set<String> modes, String defaultText, String help, boolean repeatable) {
    /** {@code --stall-timeout} -> {@code AGENT_STALL_TIMEOUT}. */
    public String envName() {
        return envName(name);
    }

    static String envName(String flag) {
        String bare = flag.startsWith("--") ? flag.substring(2) : flag;
        return "AGENT_" + bare.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
