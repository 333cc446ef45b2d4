package io.sundial.server.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The durable user store of a data directory: {@code <data-dir>/auth/users.json}. Every change
 * is written (atomically, fsynced) before the method returns. Thread-safe: readers see an
 * immutable snapshot; changes are serialized. A server picks up changes another process made
 * through {@link #reloadIfChanged}.
 *
 * <p>Password checks derive the SCRAM key (thousands of HMAC rounds); to keep HTTP basic auth
 * cheap on every request, a successful check is remembered as an HMAC of the password under a
 * per-process random key, dropped when the user changes.
 */
public final class UserStore {
    public static final String DIRECTORY = "auth";
    public static final String FILE_NAME = "users.json";
    /** Printed in front of every token so leaked tokens are easy to find by scanners. */
    public static final String TOKEN_PREFIX = "sdl_";
    public static final int TOKEN_BYTES = 32;
    public static final int USERS_MAX = 10_000;
    public static final int TOKENS_MAX = 100_000;
    public static final int PASSWORD_CHARS_MIN = 8;
    public static final int PASSWORD_CHARS_MAX = 1_024;
    public static final int DESCRIPTION_CHARS_MAX = 256;
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.@-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Snapshot(Map<String, User> users, List<ApiToken> tokens, Map<String, ApiToken> tokensByHash) {}

    /** How often a running server looks at the file for changes made by {@code sundial user}. */
    public static final long RELOAD_CHECK_NANOS = 1_000_000_000L;
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(UserStore.class.getName());

    private final Path file;
    private volatile Snapshot snapshot;
    /** Identity of the file the snapshot came from (inode, size, mtime); null when there was none. */
    private volatile List<Object> loadedVersion;
    private volatile long checkedNanos = Long.MIN_VALUE;
    private final byte[] cacheKey = new byte[32];
    /** A password check that succeeded against exactly this user record (a changed user misses). */
    private record Verified(User user, byte[] mark) {}

    private final Map<String, Verified> verifiedPasswords = new ConcurrentHashMap<>();

    private UserStore(Path file, Snapshot snapshot) {
        this.file = file;
        this.snapshot = snapshot;
        RANDOM.nextBytes(cacheKey);
    }

    /** Opens (or, when absent, starts empty) the user store of {@code dataDir}. Nothing is written until a change. */
    public static UserStore open(Path dataDir) throws IOException {
        Path file = dataDir.resolve(DIRECTORY).resolve(FILE_NAME);
        List<Object> version = versionOf(file);
        if (version == null) {
            return new UserStore(file, snapshotOf(List.of(), List.of()));
        }
        UsersFile.Contents contents = UsersFile.read(file);
        UserStore store = new UserStore(file, snapshotOf(contents.users(), contents.tokens()));
        store.loadedVersion = version;
        return store;
    }

    /**
     * Reads the file again when another process (the {@code sundial user} command) replaced it
     * since it was loaded; looks at most once per {@link #RELOAD_CHECK_NANOS}. A damaged new file
     * is logged and the users loaded before stay in force.
     *
     * @return whether new contents were loaded
     */
    public boolean reloadIfChanged(long nowNanos) {
        if (nowNanos - checkedNanos < RELOAD_CHECK_NANOS && checkedNanos != Long.MIN_VALUE) {
            return false;
        }
        synchronized (this) {
            checkedNanos = nowNanos;
            try {
                List<Object> version = versionOf(file);
                if (version == null || version.equals(loadedVersion)) {
                    return false;
                }
                UsersFile.Contents contents = UsersFile.read(file);
                snapshot = snapshotOf(contents.users(), contents.tokens());
                loadedVersion = version;
                verifiedPasswords.clear();
                LOG.info(() -> "reloaded " + file + ": " + contents.users().size() + " users, " + contents.tokens().size() + " tokens");
                return true;
            } catch (IOException e) {
                LOG.warning(() -> "cannot reload " + file + ", keeping the users loaded before: " + e.getMessage());
                return false;
            }
        }
    }

    private static List<Object> versionOf(Path file) throws IOException {
        try {
            java.nio.file.attribute.BasicFileAttributes attributes =
                    Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
            Object key = attributes.fileKey();
            return java.util.Arrays.asList(key == null ? "" : key, attributes.size(), attributes.lastModifiedTime());
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    public Path file() {
        return file;
    }

    public boolean isEmpty() {
        return snapshot.users().isEmpty();
    }

    /** Every user, by name. */
    public List<User> users() {
        return List.copyOf(snapshot.users().values());
    }

    public Optional<User> user(String name) {
        return Optional.ofNullable(snapshot.users().get(name));
    }

    /** Every token (hashes only), in creation order. */
    public List<ApiToken> tokens() {
        return snapshot.tokens();
    }

    /** The SCRAM-SHA-256 verifier of {@code user} for the PostgreSQL wire protocol, if the user exists. */
    public Optional<ScramVerifier> scramVerifier(String user) {
        return user(user).map(User::verifier);
    }

    public synchronized User createUser(String name, String password, boolean isAdmin) throws IOException {
        if (name == null || !USER_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("user name '" + name + "' is not allowed: use 1 to 64 of letters, digits, "
                    + "'_', '.', '@', '-' (not starting with '.', '@' or '-')");
        }
        checkPassword(password);
        Snapshot current = snapshot;
        if (current.users().containsKey(name)) {
            throw new IllegalArgumentException("user '" + name + "' already exists; delete it first or choose another name");
        }
        if (current.users().size() >= USERS_MAX) {
            throw new IllegalArgumentException("the store already holds " + USERS_MAX + " users, the most allowed");
        }
        User user = new User(name, ScramVerifier.create(password), isAdmin, Map.of());
        Map<String, User> users = new TreeMap<>(current.users());
        users.put(name, user);
        commit(users.values(), current.tokens());
        return user;
    }

    public synchronized void setPassword(String name, String password) throws IOException {
        checkPassword(password);
        User old = existing(name);
        replace(new User(name, ScramVerifier.create(password), old.isAdmin(), old.grants()));
    }

    /** Deletes the user and its tokens; false when there was no such user. */
    public synchronized boolean deleteUser(String name) throws IOException {
        Snapshot current = snapshot;
        if (!current.users().containsKey(name)) {
            return false;
        }
        Map<String, User> users = new TreeMap<>(current.users());
        users.remove(name);
        commit(users.values(), current.tokens().stream().filter(t -> !t.user().equals(name)).toList());
        return true;
    }

    public synchronized void grant(String name, String database, Permission permission) throws IOException {
        checkDatabase(database);
        User old = existing(name);
        Map<String, Set<Permission>> grants = new LinkedHashMap<>(old.grants());
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        permissions.addAll(grants.getOrDefault(database, Set.of()));
        permissions.add(permission);
        grants.put(database, permissions);
        replace(new User(name, old.verifier(), old.isAdmin(), grants));
    }

    /** Takes {@code permission} on {@code database} away; false when the user did not hold it. */
    public synchronized boolean revoke(String name, String database, Permission permission) throws IOException {
        User old = existing(name);
        Set<Permission> held = old.grants().getOrDefault(database, Set.of());
        if (!held.contains(permission)) {
            return false;
        }
        Map<String, Set<Permission>> grants = new LinkedHashMap<>(old.grants());
        Set<Permission> permissions = EnumSet.copyOf(held);
        permissions.remove(permission);
        grants.put(database, permissions);
        replace(new User(name, old.verifier(), old.isAdmin(), grants));
        return true;
    }

    public synchronized void setAdmin(String name, boolean isAdmin) throws IOException {
        User old = existing(name);
        replace(new User(name, old.verifier(), isAdmin, old.grants()));
    }

    /**
     * Creates an API token for {@code user} and returns its text, the only time it is seen:
     * only its SHA-256 is stored.
     */
    public synchronized String createToken(String user, String description) throws IOException {
        existing(user);
        String text = description == null ? "" : description;
        if (text.length() > DESCRIPTION_CHARS_MAX) {
            throw new IllegalArgumentException("token description is " + text.length() + " characters, more than " + DESCRIPTION_CHARS_MAX);
        }
        Snapshot current = snapshot;
        if (current.tokens().size() >= TOKENS_MAX) {
            throw new IllegalArgumentException("the store already holds " + TOKENS_MAX + " tokens, the most allowed; delete unused ones");
        }
        byte[] secret = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(secret);
        String token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String hash = tokenHash(token);
        List<ApiToken> tokens = new ArrayList<>(current.tokens());
        tokens.add(new ApiToken(hash.substring(0, 12), user, text, hash, Instant.now()));
        commit(current.users().values(), tokens);
        return token;
    }

    /** Deletes the token with this id (see {@link ApiToken#id()}); false when none has it. */
    public synchronized boolean deleteToken(String id) throws IOException {
        Snapshot current = snapshot;
        List<ApiToken> tokens = current.tokens().stream().filter(t -> !t.id().equals(id)).toList();
        if (tokens.size() == current.tokens().size()) {
            return false;
        }
        commit(current.users().values(), tokens);
        return true;
    }

    /** The user when {@code password} is theirs; empty for an unknown user or a wrong password. */
    public Optional<User> authenticate(String name, String password) {
        User user = snapshot.users().get(name);
        if (user == null || password == null || password.length() > PASSWORD_CHARS_MAX) {
            return Optional.empty();
        }
        Verified remembered = verifiedPasswords.get(name);
        byte[] mark = ScramVerifier.hmac(cacheKey, (name + "\0" + password).getBytes(StandardCharsets.UTF_8));
        if (remembered != null && remembered.user() == user && MessageDigest.isEqual(remembered.mark(), mark)) {
            return Optional.of(user);
        }
        if (!user.verifier().matches(password)) {
            return Optional.empty();
        }
        if (verifiedPasswords.size() < USERS_MAX) {
            verifiedPasswords.put(name, new Verified(user, mark));
        }
        return Optional.of(user);
    }

    /** The user owning {@code token}; empty when no stored token matches. */
    public Optional<User> authenticateToken(String token) {
        if (token == null || !token.startsWith(TOKEN_PREFIX) || token.length() > 128) {
            return Optional.empty();
        }
        Snapshot current = snapshot;
        ApiToken stored = current.tokensByHash().get(tokenHash(token));
        return stored == null ? Optional.empty() : Optional.ofNullable(current.users().get(stored.user()));
    }

    private User existing(String name) {
        User user = snapshot.users().get(name);
        if (user == null) {
            throw new IllegalArgumentException("no user '" + name + "'; list users with 'sundial user list'");
        }
        return user;
    }

    private void replace(User user) throws IOException {
        Map<String, User> users = new TreeMap<>(snapshot.users());
        users.put(user.name(), user);
        commit(users.values(), snapshot.tokens());
    }

    private void commit(java.util.Collection<User> users, List<ApiToken> tokens) throws IOException {
        List<User> userList = List.copyOf(users);
        UsersFile.write(file, userList, tokens);
        snapshot = snapshotOf(userList, tokens);
        loadedVersion = versionOf(file);
        verifiedPasswords.clear();
    }

    private static Snapshot snapshotOf(List<User> users, List<ApiToken> tokens) {
        Map<String, User> byName = new TreeMap<>();
        users.forEach(u -> byName.put(u.name(), u));
        Map<String, ApiToken> byHash = new ConcurrentHashMap<>();
        tokens.forEach(t -> byHash.put(t.sha256Hex(), t));
        return new Snapshot(java.util.Collections.unmodifiableMap(byName), List.copyOf(tokens), byHash);
    }

    static String tokenHash(String token) {
        return HexFormat.of().formatHex(ScramVerifier.sha256(token.getBytes(StandardCharsets.UTF_8)));
    }

    private static void checkPassword(String password) {
        if (password == null || password.length() < PASSWORD_CHARS_MIN || password.length() > PASSWORD_CHARS_MAX) {
            throw new IllegalArgumentException("a password needs " + PASSWORD_CHARS_MIN + " to " + PASSWORD_CHARS_MAX + " characters");
        }
    }

    private static void checkDatabase(String database) {
        if (database == null || database.isEmpty() || database.length() > 255) {
            throw new IllegalArgumentException("database name for a grant must be 1 to 255 characters, or '*' for every database");
        }
    }
}
