package io.sundial.server.pgwire;

import io.sundial.server.auth.SecurityOptions;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A test certificate authority and a server certificate it signed for 127.0.0.1 and localhost,
 * made with the JDK's keytool as PEM files (the form {@code --tls-cert}/{@code --tls-key} take),
 * so clients can check the chain and the host name (sslmode=verify-full).
 */
record TestCertificates(Path authorityFile, SecurityOptions.Tls server) {
    private static final String PASSWORD = "changeit";

    static TestCertificates create(Path dir) throws Exception {
        Path authorityStore = dir.resolve("ca.p12");
        Path serverStore = dir.resolve("server.p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Sundial Test CA",
                "-ext", "bc:c", "-validity", "2", "-storetype", "PKCS12", "-storepass", PASSWORD, "-keystore",
                authorityStore.toString());
        Path authority = dir.resolve("ca.pem");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-storepass", PASSWORD, "-keystore", authorityStore.toString(),
                "-file", authority.toString());
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-validity", "2", "-storetype", "PKCS12", "-storepass", PASSWORD, "-keystore", serverStore.toString());
        Path request = dir.resolve("server.csr");
        keytool("-certreq", "-alias", "server", "-storepass", PASSWORD, "-keystore", serverStore.toString(),
                "-file", request.toString());
        Path signed = dir.resolve("server-signed.pem");
        keytool("-gencert", "-rfc", "-alias", "ca", "-storepass", PASSWORD, "-keystore", authorityStore.toString(),
                "-infile", request.toString(), "-outfile", signed.toString(), "-validity", "2",
                "-ext", "san=ip:127.0.0.1,dns:localhost");
        Path chain = dir.resolve("server.pem");
        Files.writeString(chain, Files.readString(signed) + Files.readString(authority));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(serverStore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        byte[] pkcs8 = store.getKey("server", PASSWORD.toCharArray()).getEncoded();
        Path key = dir.resolve("server-key.pem");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n");
        return new TestCertificates(authority, new SecurityOptions.Tls(chain, key));
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

    private static void keytool(String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("keytool " + arguments[0] + " did not finish within 60 s");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", arguments) + " failed: " + output);
        }
    }
}
