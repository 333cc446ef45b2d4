package io.sundial.server.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SCRAM-SHA-256 exchange of RFC 7677 section 3, byte for byte, and the ways a client can get it wrong. */
class ScramSha256Test {
    private static final String CLIENT_FIRST = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
    private static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static final String NONCE = "rOprNGfwEbeRWgbNEkqO" + SERVER_NONCE;
    private static final String CLIENT_FINAL = "c=biws,r=" + NONCE + ",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";

    private static ScramSha256 exchange(String password) {
        byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
        return new ScramSha256(ScramSha256.Credentials.of(password, salt, 4096), () -> SERVER_NONCE);
    }

    @Test
    void rfc7677Example() throws PgException {
        ScramSha256 scram = exchange("pencil");
        assertEquals("r=" + NONCE + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", scram.serverFirst(CLIENT_FIRST));
        assertEquals("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", scram.serverFinal(CLIENT_FINAL, "user"));
    }

    @Test
    void wrongPasswordIs28P01() throws PgException {
        ScramSha256 scram = exchange("not pencil");
        scram.serverFirst(CLIENT_FIRST);
        PgException error = assertThrows(PgException.class, () -> scram.serverFinal(CLIENT_FINAL, "user"));
        assertEquals("28P01", error.sqlState());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            channel binding requested | p=tls-server-end-point,,n=user,r=abc | c=biws,r=abcX,p=AAAA
            no gs2 header             | n=user,r=abc                         | c=biws,r=abcX,p=AAAA
            no client nonce           | n,,n=user                            | c=biws,r=abcX,p=AAAA
            """)
    void malformedClientFirstIsAProtocolViolation(String name, String clientFirst, String clientFinal) {
        PgException error = assertThrows(PgException.class, () -> exchange("pencil").serverFirst(clientFirst));
        assertEquals("08P01", error.sqlState(), name);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            other nonce       | c=biws,r=rOprNGfwEbeRWgbNEkqOother,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=
            wrong binding     | c=eSws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=
            proof not base64  | c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=***
            no proof          | c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0
            """)
    void malformedClientFinalIsAProtocolViolation(String name, String clientFinal) throws PgException {
        ScramSha256 scram = exchange("pencil");
        scram.serverFirst(CLIENT_FIRST);
        PgException error = assertThrows(PgException.class, () -> scram.serverFinal(clientFinal, "user"));
        assertEquals("08P01", error.sqlState(), name);
    }
}
