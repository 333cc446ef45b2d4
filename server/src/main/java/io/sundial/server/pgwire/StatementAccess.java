package io.sundial.server.pgwire;

import io.sundial.query.sundialql.Query;
import io.sundial.query.sundialql.Statement;
import io.sundial.server.auth.Permission;
import io.sundial.server.auth.QueryAccess;
import io.sundial.server.auth.Requirement;
import io.sundial.server.auth.User;
import io.sundial.server.auth.UserStore;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The permissions of user-store users on PostgreSQL statements, the same rules as HTTP: READ on
 * the session's database for SELECT, SHOW and catalog queries, WRITE for INSERT and CREATE TABLE,
 * what {@link QueryAccess} says for SundialQL (ADMIN for DELETE and DROP). The user is looked up
 * per statement so a revoked grant takes effect without a reconnect. A refusal is 42501 and
 * leaves the connection usable.
 *
 * <p>As on HTTP, the store is in force once it has a user, also when the first user is created
 * while the server runs, and stays in force when every user is deleted (nobody can then log in).
 * Until then (trust or {@code --pg-user}) every connected user may do everything.
 */
final class StatementAccess {
    private final UserStore store;
    private final AtomicBoolean isStoreInForce = new AtomicBoolean();

    /** @param store the user store shared with HTTP, or null for none */
    StatementAccess(UserStore store) {
        this.store = store;
    }

    /** The user store when its users decide who logs in and what they may do; picks up file changes (at most once a second). */
    Optional<UserStore> storeInForce() {
        if (store == null) {
            return Optional.empty();
        }
        store.reloadIfChanged(System.nanoTime());
        if (!isStoreInForce.get() && !store.isEmpty()) {
            isStoreInForce.set(true);
        }
        return isStoreInForce.get() ? Optional.of(store) : Optional.empty();
    }

    void require(Session session, SqlCommands.Kind kind) throws PgException {
        switch (kind) {
            case INSERT, CREATE_TABLE -> require(session, Set.of(new Requirement(Permission.WRITE, session.database())));
            case CATALOG -> require(session, Set.of(new Requirement(Permission.READ, session.database())));
            default -> { }
        }
    }

    void require(Session session, Statement statement) throws PgException {
        if (store != null) {
            require(session, QueryAccess.required(new Query(List.of(statement)), session.database()));
        }
    }

    private void require(Session session, Set<Requirement> needs) throws PgException {
        if (needs.isEmpty()) {
            return;
        }
        Optional<UserStore> inForce = storeInForce();
        if (inForce.isEmpty()) {
            return;
        }
        Optional<User> user = inForce.get().user(session.user());
        if (user.isEmpty()) {
            throw new PgException(SqlState.INSUFFICIENT_PRIVILEGE, "user \"" + session.user()
                    + "\" no longer exists in the user store; reconnect as an existing user");
        }
        for (Requirement need : needs) {
            if (!need.isMetBy(user.get())) {
                throw new PgException(SqlState.INSUFFICIENT_PRIVILEGE, "permission denied: user \"" + session.user()
                        + "\" needs " + need.describe() + "; an admin can grant it with 'sundial user grant "
                        + session.user() + " " + need.database() + " " + need.permission().label() + "'");
            }
        }
    }
}
