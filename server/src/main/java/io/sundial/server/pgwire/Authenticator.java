package io.sundial.server.pgwire;

import io.sundial.server.auth.ScramVerifier;
import io.sundial.server.auth.UserStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the authentication exchange after the startup message. Once the user store shared with
 * HTTP has users ({@link StatementAccess#storeInForce()}), SCRAM-SHA-256 runs from each user's
 * stored verifier and cleartext checks the password against it (MD5 is refused: a SCRAM verifier
 * cannot answer it). Without store users, the {@link PgWireOptions#users()} map is used, and with neither
 * every client is trusted. A wrong password or unknown user is the same fatal 28P01, so the
 * answer does not tell which.
 */
final class Authenticator {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PgWireOptions options;
    private final StatementAccess access;
    /** PBKDF2 with 4096 rounds costs milliseconds; the salted keys are derived once per user and server run. */
    private final Map<String, ScramSha256.Credentials> scramCredentials = new ConcurrentHashMap<>();

    /** @param access says when the user store is in force (then it replaces {@code options.users()}) */
    Authenticator(PgWireOptions options, StatementAccess access) {
        this.options = options;
        this.access = access;
    }

    /** Authenticates {@code user}; returns normally when the client may proceed (AuthenticationOk not yet sent). */
    void authenticate(String user, MessageReader reader, MessageWriter writer) throws IOException, PgException {
        Optional<UserStore> store = access.storeInForce();
        if (store.isPresent()) {
            authenticateFromStore(store.get(), user, reader, writer);
            return;
        }
        if (options.users().isEmpty()) {
            return;
        }
        String password = options.users().get(user);
        switch (options.authMethod()) {
            case CLEARTEXT -> {
                writer.authenticationCleartext();
                writer.flush();
                String sent = passwordMessage(reader).cstring();
                if (password == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                        password.getBytes(StandardCharsets.UTF_8))) {
                    throw ScramSha256.failed(user);
                }
            }
            case MD5 -> {
                byte[] salt = new byte[4];
                RANDOM.nextBytes(salt);
                writer.authenticationMd5(salt);
                writer.flush();
                String sent = passwordMessage(reader).cstring();
                if (password == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                        md5Response(user, password, salt).getBytes(StandardCharsets.UTF_8))) {
                    throw ScramSha256.failed(user);
                }
            }
            case SCRAM_SHA_256 -> {
                ScramSha256.Credentials credentials = password == null ? null
                        : scramCredentials.computeIfAbsent(user, u -> ScramSha256.Credentials.of(password));
                scram(user, credentials, reader, writer);
            }
        }
    }

    /** Looks the user up at each login so users created, changed or deleted while running count at once. */
    private void authenticateFromStore(UserStore store, String user, MessageReader reader, MessageWriter writer)
            throws IOException, PgException {
        switch (options.authMethod()) {
            case CLEARTEXT -> {
                writer.authenticationCleartext();
                writer.flush();
                String sent = passwordMessage(reader).cstring();
                if (store.authenticate(user, sent).isEmpty()) {
                    throw ScramSha256.failed(user);
                }
            }
            case MD5 -> throw PgException.fatal(SqlState.INVALID_AUTHORIZATION, Authenticator.MD5_WITH_STORE);
            case SCRAM_SHA_256 -> {
                Optional<ScramVerifier> verifier = store.scramVerifier(user);
                scram(user, verifier.map(v -> new ScramSha256.Credentials(v.salt(), v.iterations(), v.storedKey(),
                        v.serverKey())).orElse(null), reader, writer);
            }
        }
    }

    static final String MD5_WITH_STORE = "PostgreSQL MD5 authentication cannot work with users of the user store: "
            + "it needs the clear password, and the store keeps only SCRAM-SHA-256 verifiers. Use --pg-auth "
            + "scram-sha-256 (the default) or password (cleartext, only with TLS or on loopback)";

    /** @param credentials the user's, or null for an unknown user (the exchange still runs, then fails) */
    private void scram(String user, ScramSha256.Credentials credentials, MessageReader reader, MessageWriter writer)
            throws IOException, PgException {
        writer.authenticationSasl(ScramSha256.MECHANISM);
        writer.flush();
        Payload initial = passwordMessage(reader);
        String mechanism = initial.cstring();
        if (!mechanism.equals(ScramSha256.MECHANISM)) {
            throw PgException.fatal(SqlState.PROTOCOL_VIOLATION, "SASL mechanism " + mechanism + " is not supported; "
                    + "use " + ScramSha256.MECHANISM);
        }
        int length = initial.int32();
        String clientFirst = new String(initial.bytes(length), StandardCharsets.UTF_8);
        // An unknown user runs the exchange against throwaway credentials so timing and messages do not reveal it.
        ScramSha256 exchange = new ScramSha256(credentials == null ? ScramSha256.Credentials.of(randomPassword())
                : credentials);
        writer.authenticationSaslContinue(exchange.serverFirst(clientFirst).getBytes(StandardCharsets.UTF_8));
        writer.flush();
        String clientFinal = new String(passwordMessage(reader).rest(), StandardCharsets.UTF_8);
        String serverFinal = exchange.serverFinal(clientFinal, user);
        if (credentials == null) {
            throw ScramSha256.failed(user);
        }
        writer.authenticationSaslFinal(serverFinal.getBytes(StandardCharsets.UTF_8));
    }

    private static String randomPassword() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static Payload passwordMessage(MessageReader reader) throws IOException, PgException {
        Payload message = reader.read();
        if (message == null) {
            throw PgException.fatal(SqlState.INVALID_PASSWORD, "the client closed the connection during authentication");
        }
        if (message.type() != 'p') {
            throw PgException.fatal(SqlState.PROTOCOL_VIOLATION, "expected a password message ('p') during "
                    + "authentication, got '" + MessageReader.printable(message.type()) + "'");
        }
        return message;
    }

    /** {@code "md5" + md5hex(md5hex(password + user) + salt)}, what libpq and pgjdbc send. */
    static String md5Response(String user, String password, byte[] salt) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            String inner = HexFormat.of().formatHex(md5.digest((password + user).getBytes(StandardCharsets.UTF_8)));
            md5.update(inner.getBytes(StandardCharsets.UTF_8));
            md5.update(salt);
            return "md5" + HexFormat.of().formatHex(md5.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks MD5", e);
        }
    }
}
