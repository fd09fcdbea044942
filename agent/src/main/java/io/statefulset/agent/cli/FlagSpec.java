package io.statefulset.agent.cli;

import java.util.Locale;
import java.util.Set;

/**
 * One command-line flag: {@code --name value} or {@code --name=value}, mirrored by env {@code AGENT_NAME}.
 *
 * @param modes       {@code init}, {@code serve} or both
 * @param defaultText what the default is, for --help (the real default is applied where the value is used)
 */
public record FlagSpec(String name, Set<String> modes, String defaultText, String help, boolean repeatable) {
    public static FlagSpec of(String name, String modes, String defaultText, String help) {
        return new FlagSpec(name, Set.of(modes.split(",")), defaultText, help, false);
    }

    public static FlagSpec repeatable(String name, String modes, String defaultText, String help) {
        return new FlagSpec(name, Set.of(modes.split(",")), defaultText, help, true);
    }

    /** {@code --stall-timeout} -> {@code AGENT_STALL_TIMEOUT}. */
    public String envName() {
        return "AGENT_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
