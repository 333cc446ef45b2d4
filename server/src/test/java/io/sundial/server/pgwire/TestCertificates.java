package io.sundial.server.pgwire;

import io.sundial.server.auth.SecurityOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A test certificate authority and a server certificate it signed for 127.0.0.1 and localhost,
 * as PEM files (the form {@code --tls-cert}/{@code --tls-key} take), so clients can check the
 * chain and the host name (sslmode=verify-full). Fixed files from the test resources
 * ({@code io/sundial/server/tls/README.md} says how they were made): making them with keytool
 * took seven JVM starts, a minute and a half of the suite at load 30.
 */
record TestCertificates(Path authorityFile, SecurityOptions.Tls server) {
    private static final String RESOURCES = "/io/sundial/server/tls/";

    /** Copies the files into {@code dir}, where the server and psql read them. */
    static TestCertificates create(Path dir) throws IOException {
        Path authority = copy("ca.pem", dir);
        return new TestCertificates(authority, new SecurityOptions.Tls(copy("server.pem", dir), copy("server-key.pem", dir)));
    }

    private static Path copy(String name, Path dir) throws IOException {
        try (InputStream in = TestCertificates.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IOException("test resource " + RESOURCES + name + " is missing");
            }
            Path file = dir.resolve(name);
            Files.copy(in, file);
            return file;
        }
    }

    /** A client TLS context that trusts only the test authority. */
    SSLContext clientContext() throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(authorityFile)) {
            Certificate certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
            trusted.setCertificateEntry("ca", certificate);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
