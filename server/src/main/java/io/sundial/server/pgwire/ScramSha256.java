package io.sundial.server.pgwire;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL speaks it: no channel
 * binding ({@code n,,} or {@code y,,}), the user name inside the exchange ignored in favour of
 * the startup message's. One instance is one exchange: {@link #serverFirst} then {@link #serverFinal}.
 */
final class ScramSha256 {
    static final String MECHANISM = "SCRAM-SHA-256";
    static final int ITERATIONS = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Salted credentials of one user: PostgreSQL stores the same (SCRAM-SHA-256$iter:salt$StoredKey:ServerKey). */
    record Credentials(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
        static Credentials of(String password) {
            byte[] salt = new byte[16];
            RANDOM.nextBytes(salt);
            return of(password, salt, ITERATIONS);
        }

        static Credentials of(String password, byte[] salt, int iterations) {
            byte[] salted = pbkdf2(password, salt, iterations);
            return new Credentials(salt, iterations, sha256(hmac(salted, "Client Key")), hmac(salted, "Server Key"));
        }
    }

    private final Credentials credentials;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;
    private String gs2Header;

    private final Supplier<String> serverNonce;

    ScramSha256(Credentials credentials) {
        this(credentials, ScramSha256::randomNonce);
    }

    /** With a chosen server nonce, for the RFC 7677 test vector. */
    ScramSha256(Credentials credentials, Supplier<String> serverNonce) {
        this.credentials = credentials;
        this.serverNonce = serverNonce;
    }

    private static String randomNonce() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Answers client-first-message ({@code n,,n=user,r=nonce}) with server-first-message. */
    String serverFirst(String clientFirst) throws PgException {
        if (clientFirst.startsWith("p=")) {
            throw PgException.fatal(SqlState.PROTOCOL_VIOLATION, "SCRAM channel binding is not supported (Sundial's "
                    + "PostgreSQL listener has no TLS); connect with channel_binding=disable or prefer");
        }
        if (!clientFirst.startsWith("n,") && !clientFirst.startsWith("y,")) {
            throw malformed("client-first-message must start with n, or y,");
        }
        int bareStart = clientFirst.indexOf(',', 2);
        if (bareStart < 0) {
            throw malformed("client-first-message has no authzid separator");
        }
        gs2Header = clientFirst.substring(0, bareStart + 1);
        clientFirstBare = clientFirst.substring(bareStart + 1);
        Map<String, String> attributes = attributes(clientFirstBare);
        String clientNonce = attributes.get("r");
        if (clientNonce == null || clientNonce.isEmpty()) {
            throw malformed("client-first-message has no nonce r=");
        }
        nonce = clientNonce + serverNonce.get();
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credentials.salt()) + ",i="
                + credentials.iterations();
        return serverFirst;
    }

    /**
     * Checks client-final-message ({@code c=..,r=..,p=proof}) and answers server-final-message
     * ({@code v=signature}).
     *
     * @throws PgException 28P01 when the proof is wrong
     */
    String serverFinal(String clientFinal, String user) throws PgException {
        int proofAt = clientFinal.lastIndexOf(",p=");
        if (proofAt < 0 || serverFirst == null) {
            throw malformed("client-final-message has no proof p=");
        }
        String withoutProof = clientFinal.substring(0, proofAt);
        Map<String, String> attributes = attributes(withoutProof);
        String expectedBinding = Base64.getEncoder().encodeToString(gs2Header.getBytes(StandardCharsets.UTF_8));
        if (!expectedBinding.equals(attributes.get("c"))) {
            throw malformed("channel binding c= does not repeat the GS2 header");
        }
        if (!nonce.equals(attributes.get("r"))) {
            throw malformed("nonce r= differs from the one the server sent");
        }
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(clientFinal.substring(proofAt + 3));
        } catch (IllegalArgumentException e) {
            throw malformed("proof p= is not base64");
        }
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] clientSignature = hmac(credentials.storedKey(), authMessage);
        if (proof.length != clientSignature.length) {
            throw failed(user);
        }
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
        }
        if (!MessageDigest.isEqual(sha256(clientKey), credentials.storedKey())) {
            throw failed(user);
        }
        return "v=" + Base64.getEncoder().encodeToString(hmac(credentials.serverKey(), authMessage));
    }

    static PgException failed(String user) {
        return PgException.fatal(SqlState.INVALID_PASSWORD, "password authentication failed for user \"" + user + "\"");
    }

    private static PgException malformed(String detail) {
        return PgException.fatal(SqlState.PROTOCOL_VIOLATION, "malformed SCRAM message: " + detail);
    }

    private static Map<String, String> attributes(String message) {
        Map<String, String> attributes = new HashMap<>();
        for (String part : message.split(",")) {
            if (part.length() >= 2 && part.charAt(1) == '=') {
                attributes.putIfAbsent(part.substring(0, 1), part.substring(2));
            }
        }
        return attributes;
    }

    static byte[] pbkdf2(String password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA256", e);
        }
    }

    static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }

    static byte[] sha256(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
