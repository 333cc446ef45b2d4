package io.sundial.server.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ScramVerifierTest {
    /**
     * RFC 7677 section 3: user "user", password "pencil". The client proof and server signature
     * printed there must agree with the StoredKey and ServerKey we derive.
     */
    @Test
    void rfc7677ExampleProofAndSignatureMatchDerivedKeys() {
        byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
        ScramVerifier verifier = ScramVerifier.derive("pencil", salt, 4096);
        String authMessage = "n=user,r=rOprNGfwEbeRWgbNEkqO,"
                + "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,"
                + "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
        byte[] message = authMessage.getBytes(StandardCharsets.US_ASCII);
        byte[] serverSignature = ScramVerifier.hmac(verifier.serverKey(), message);
        assertEquals("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", Base64.getEncoder().encodeToString(serverSignature));
        byte[] proof = Base64.getDecoder().decode("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        byte[] clientSignature = ScramVerifier.hmac(verifier.storedKey(), message);
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
        }
        assertArrayEquals(verifier.storedKey(), ScramVerifier.sha256(clientKey));
    }

    @Test
    void matchesOnlyTheOriginalPassword() {
        ScramVerifier verifier = ScramVerifier.create("correct horse");
        assertTrue(verifier.matches("correct horse"));
        assertFalse(verifier.matches("correct horsE"));
        assertFalse(verifier.matches(""));
    }

    @Test
    void freshSaltEachTime() {
        assertNotEquals(ScramVerifier.create("same password"), ScramVerifier.create("same password"));
    }
}
