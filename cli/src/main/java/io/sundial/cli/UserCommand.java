package io.sundial.cli;

import io.sundial.server.auth.ApiToken;
import io.sundial.server.auth.Permission;
import io.sundial.server.auth.User;
import io.sundial.server.auth.UserStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * User administration on a data directory's {@code auth/users.json}, with or without a running
 * server (it notices the replaced file within a second).
 */
@Command(name = "user", mixinStandardHelpOptions = true,
        description = {"Manage users, permissions and API tokens of a data directory (a running server applies changes within a second)."},
        subcommands = {UserCommand.Create.class, UserCommand.Delete.class, UserCommand.ListUsers.class,
                UserCommand.Grant.class, UserCommand.Revoke.class, UserCommand.Token.class, UserCommand.DeleteToken.class})
final class UserCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options every subcommand shares. */
    static class Store {
        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "Data directory (default: $SUNDIAL_DATA_DIR or ./sundial-data).")
        Path dataDir;

        UserStore open() throws IOException {
            return UserStore.open(DataDirectory.resolve(dataDir));
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a user.")
    static final class Create extends Store implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--admin", description = "Every permission on every database, and the admin API.")
        boolean isAdmin;

        @Option(names = "--password", paramLabel = "PASSWORD",
                description = "The password (visible to other local users in the process list: prefer --password-stdin).")
        String password;

        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
        boolean isPasswordFromStdin;

        @Override
        public Integer call() throws IOException {
            String secret = password(password, isPasswordFromStdin);
            open().createUser(name, secret, isAdmin);
            System.out.println("created user " + name + (isAdmin ? " (admin)" : ""));
            return 0;
        }
    }

    static String password(String given, boolean isFromStdin) throws IOException {
        if (given != null && isFromStdin) {
            throw new IllegalArgumentException("give either --password or --password-stdin, not both");
        }
        if (isFromStdin) {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                throw new IllegalArgumentException("--password-stdin: standard input is empty");
            }
            return line;
        }
        if (given == null) {
            throw new IllegalArgumentException("a password is needed: --password-stdin (recommended) or --password");
        }
        return given;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a user and its tokens.")
    static final class Delete extends Store implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws IOException {
            if (!open().deleteUser(name)) {
                System.err.println("sundial: no user '" + name + "'");
                return 1;
            }
            System.out.println("deleted user " + name);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List users, their permissions and tokens.")
    static final class ListUsers extends Store implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            UserStore store = open();
            List<User> users = store.users();
            if (users.isEmpty()) {
                System.out.println("no users: authentication is off (loopback only); create one with 'sundial user create --admin NAME'");
                return 0;
            }
            for (User user : users) {
                System.out.println(user.name() + (user.isAdmin() ? " admin" : "") + " grants: " + grants(user.grants()));
                for (ApiToken token : store.tokens()) {
                    if (token.user().equals(user.name())) {
                        System.out.println("  token " + token.id() + " created " + token.created()
                                + (token.description().isEmpty() ? "" : " \"" + token.description() + "\""));
                    }
                }
            }
            return 0;
        }

        private static String grants(Map<String, Set<Permission>> grants) {
            if (grants.isEmpty()) {
                return "none";
            }
            StringJoiner text = new StringJoiner(", ");
            grants.forEach((database, permissions) -> {
                Set<String> labels = new TreeSet<>();
                permissions.forEach(p -> labels.add(p.label()));
                text.add(database + "=" + String.join("+", labels));
            });
            return text.toString();
        }
    }

    @Command(name = "grant", mixinStandardHelpOptions = true,
            description = "Grant read, write or admin on a database ('*' for every database).")
    static final class Grant extends Store implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "DATABASE")
        String database;
        @Parameters(index = "2", paramLabel = "PERMISSION", description = "read, write or admin")
        String permission;

        @Override
        public Integer call() throws IOException {
            Permission p = Permission.parse(permission);
            open().grant(name, database, p);
            System.out.println("granted " + p.label() + " on " + database + " to " + name);
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a permission on a database.")
    static final class Revoke extends Store implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "DATABASE")
        String database;
        @Parameters(index = "2", paramLabel = "PERMISSION", description = "read, write or admin")
        String permission;

        @Override
        public Integer call() throws IOException {
            Permission p = Permission.parse(permission);
            if (!open().revoke(name, database, p)) {
                System.err.println("sundial: " + name + " does not hold " + p.label() + " on " + database);
                return 1;
            }
            System.out.println("revoked " + p.label() + " on " + database + " from " + name);
            return 0;
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true,
            description = "Create an API token for a user; it is printed once and stored only as a hash.")
    static final class Token extends Store implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Option(names = "--description", paramLabel = "TEXT", defaultValue = "", description = "What the token is for.")
        String description;

        @Override
        public Integer call() throws IOException {
            System.out.println(open().createToken(name, description));
            System.err.println("sundial: this token is shown once; send it as 'Authorization: Bearer <token>'");
            return 0;
        }
    }

    @Command(name = "delete-token", mixinStandardHelpOptions = true, description = "Delete an API token by its id (see 'user list').")
    static final class DeleteToken extends Store implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() throws IOException {
            if (!open().deleteToken(id)) {
                System.err.println("sundial: no token with id '" + id + "'");
                return 1;
            }
            System.out.println("deleted token " + id);
            return 0;
        }
    }
}
