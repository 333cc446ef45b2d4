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

/**
 * The permissions of user-store users on PostgreSQL statements, the same rules as HTTP: READ on
 * the session's database for SELECT, SHOW and catalog queries, WRITE for INSERT and CREATE TABLE,
 * what {@link QueryAccess} says for SundialQL (ADMIN for DELETE and DROP). The user is looked up
 * per statement so a revoked grant takes effect without a reconnect. A refusal is 42501 and
 * leaves the connection usable.
 */
final class StatementAccess {
    /** Without store users (trust or --pg-user) every connected user may do everything. */
    static final StatementAccess UNRESTRICTED = new StatementAccess(null);

    private final UserStore store;

    private StatementAccess(UserStore store) {
        this.store = store;
    }

    static StatementAccess of(UserStore store) {
        return new StatementAccess(store);
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
        if (store == null || needs.isEmpty()) {
            return;
        }
        Optional<User> user = store.user(session.user());
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
