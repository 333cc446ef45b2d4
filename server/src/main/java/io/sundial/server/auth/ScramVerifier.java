package io.sundial.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A SCRAM-SHA-256 password verifier (RFC 5802 section 3, RFC 7677): what a server keeps so it
 * can run SCRAM without the password. {@code SaltedPassword = PBKDF2-HMAC-SHA-256(password,
 * salt, iterations)}, {@code StoredKey = SHA-256(HMAC(SaltedPassword, "Client Key"))},
 * {@code ServerKey = HMAC(SaltedPassword, "Server Key")}. The same verifier checks plain
 * passwords (HTTP basic): derive again and compare StoredKey in constant time.
 *
 * <p>The password is used as its UTF-8 bytes without SASLprep; PostgreSQL does the same for
 * passwords that SASLprep would reject, and ASCII passwords are unchanged by SASLprep.
 */
public record ScramVerifier(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
    /** PostgreSQL's default (scram_iterations) and RFC 7677's minimum recommendation. */
    public static final int ITERATIONS_DEFAULT = 4_096;
    /** Bound on the work one password check costs when reading a stored verifier. */
    public static final int ITERATIONS_MAX = 1_000_000;
    public static final int SALT_BYTES = 16;
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    public ScramVerifier {
        if (iterations < 1 || iterations > ITERATIONS_MAX) {
            throw new IllegalArgumentException("SCRAM iteration count " + iterations + " is outside [1, " + ITERATIONS_MAX + "]");
        }
        if (salt.length == 0 || storedKey.length != KEY_BYTES || serverKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("SCRAM verifier needs a salt and 32-byte StoredKey and ServerKey");
        }
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    /** A verifier for {@code password} with a fresh random salt and the default iteration count. */
    public static ScramVerifier create(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return derive(password, salt, ITERATIONS_DEFAULT);
    }

    public static ScramVerifier derive(String password, byte[] salt, int iterations) {
        byte[] salted = saltedPassword(password, salt, iterations);
        byte[] clientKey = hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
        return new ScramVerifier(salt, iterations, sha256(clientKey),
                hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII)));
    }

    /** Whether {@code password} is the one this verifier was made from (constant-time compare). */
    public boolean matches(String password) {
        ScramVerifier candidate = derive(password, salt, iterations);
        return MessageDigest.isEqual(candidate.storedKey, storedKey);
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScramVerifier v && iterations == v.iterations && Arrays.equals(salt, v.salt)
                && Arrays.equals(storedKey, v.storedKey) && Arrays.equals(serverKey, v.serverKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(storedKey);
    }

    @Override
    public String toString() {
        return "ScramVerifier[iterations=" + iterations + "]";
    }

    static byte[] saltedPassword(String password, byte[] salt, int iterations) {
        char[] chars = password.toCharArray();
        try {
            // PBEKeySpec turns chars into bytes as UTF-8 for PBKDF2WithHmacSHA256 (the JDK's PBKDF2 is UTF-8 based).
            PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, KEY_BYTES * 8);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /** HMAC-SHA-256, the SCRAM {@code HMAC} function. */
    public static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    /** SHA-256, the SCRAM {@code H} function. */
    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
