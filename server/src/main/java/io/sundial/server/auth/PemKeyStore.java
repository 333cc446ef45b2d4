package io.sundial.server.auth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds an in-memory key store from PEM files, the form certificates come in from Let's
 * Encrypt, cert-manager and openssl: a certificate chain (leaf first) and an unencrypted
 * PKCS#8 private key ({@code BEGIN PRIVATE KEY}; RSA, EC or Ed25519).
 */
public final class PemKeyStore {
    /** Password of the in-memory store; it never touches a disk. */
    public static final String PASSWORD = "sundial";
    private static final long PEM_BYTES_MAX = 1 << 20;
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

    private PemKeyStore() {}

    public static KeyStore load(Path certificateFile, Path privateKeyFile) throws IOException {
        List<Certificate> chain;
        try {
            chain = List.copyOf(CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(read(certificateFile))));
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS certificate " + certificateFile + " is not a PEM X.509 certificate chain: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IOException("TLS certificate " + certificateFile + " holds no certificate");
        }
        PrivateKey key = privateKey(privateKeyFile);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("sundial", key, PASSWORD.toCharArray(), chain.toArray(Certificate[]::new));
            return store;
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS key " + privateKeyFile + " does not fit certificate " + certificateFile + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path file) throws IOException {
        String text = new String(read(file), StandardCharsets.US_ASCII);
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            String type = block.group(1);
            if (type.equals("PRIVATE KEY")) {
                byte[] der = Base64.getMimeDecoder().decode(block.group(2));
                for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
                    try {
                        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                    } catch (GeneralSecurityException e) {
                        // Not this algorithm: try the next one.
                    }
                }
                throw new IOException("TLS key " + file + " is a PKCS#8 key of an algorithm other than RSA, EC or Ed25519");
            }
            if (type.endsWith("PRIVATE KEY")) {
                throw new IOException("TLS key " + file + " is a '" + type + "' block; convert it to unencrypted PKCS#8 with "
                        + "'openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem'");
            }
        }
        throw new IOException("TLS key " + file + " has no '-----BEGIN PRIVATE KEY-----' block");
    }

    private static byte[] read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("TLS file " + file + " does not exist or is not a file");
        }
        if (Files.size(file) > PEM_BYTES_MAX) {
            throw new IOException("TLS file " + file + " is larger than " + PEM_BYTES_MAX + " bytes; is it the right file?");
        }
        return Files.readAllBytes(file);
    }
}
