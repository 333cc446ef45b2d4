package io.sundial.server.auth;

import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One user: name, SCRAM verifier, the admin flag (every permission on every database) and the
 * permissions granted per database; the database {@value #EVERY_DATABASE} stands for all of them.
 */
public record User(String name, ScramVerifier verifier, boolean isAdmin, Map<String, Set<Permission>> grants) {
    public static final String EVERY_DATABASE = "*";

    public User {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(verifier, "verifier");
        TreeMap<String, Set<Permission>> copy = new TreeMap<>();
        grants.forEach((database, permissions) -> {
            if (!permissions.isEmpty()) {
                copy.put(database, Set.copyOf(EnumSet.copyOf(permissions)));
            }
        });
        grants = java.util.Collections.unmodifiableMap(copy);
    }

    /** Whether this user may do {@code wanted} in {@code database}. */
    public boolean isAllowed(Permission wanted, String database) {
        if (isAdmin) {
            return true;
        }
        return holds(grants.get(database), wanted) || holds(grants.get(EVERY_DATABASE), wanted);
    }

    private static boolean holds(Set<Permission> permissions, Permission wanted) {
        if (permissions == null) {
            return false;
        }
        for (Permission p : permissions) {
            if (p.allows(wanted)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "User[" + name + (isAdmin ? ", admin" : "") + ", grants=" + grants + "]";
    }
}
