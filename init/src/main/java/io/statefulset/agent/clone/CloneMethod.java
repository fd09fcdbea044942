package io.statefulset.agent.clone;

import java.util.Locale;

/**
 * How an empty replica gets its data: the backup tool's xbstream, pulled by {@code init} from a peer's {@code serve},
 * or MySQL's CLONE plugin, run by {@code serve} on the replica's own mysqld once it is up.
 */
public enum CloneMethod {
    /** The CLONE plugin when this replica runs MySQL 8.0.17+ with a fresh server and no xbstream arrived; xbstream otherwise. */
    AUTO("auto"),
    /** Always the backup tool's stream ({@code init}); {@code serve} never runs CLONE. */
    XBSTREAM("xbstream"),
    /** Always the CLONE plugin ({@code serve}); {@code init} never clones. */
    CLONE_PLUGIN("clone-plugin");

    private final String flag;

    CloneMethod(String flag) {
        this.flag = flag;
    }

    public String flag() {
        return flag;
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static CloneMethod parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (CloneMethod m : values()) if (m.flag.equals(t)) return m;
        throw new IllegalArgumentException("unknown clone method '" + text + "': use auto, xbstream or clone-plugin");
    }

    @Override
    public String toString() {
        return flag;
    }
}
