package io.sundial.server.auth;

/** One permission a request needs: {@code permission} on {@code database} ({@code "*"}: on every database). */
public record Requirement(Permission permission, String database) {
    /** Sundial-wide administration (backups, database creation, killing queries). */
    public static final Requirement SERVER_ADMIN = new Requirement(Permission.ADMIN, User.EVERY_DATABASE);

    public boolean isMetBy(User user) {
        return user.isAllowed(permission, database);
    }

    public String describe() {
        return database.equals(User.EVERY_DATABASE) ? permission.label() + " on every database"
                : permission.label() + " on database \"" + database + "\"";
    }
}
