package io.macfleet.controller.security;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The controller's own small CA: created at first start, it signs the server certificate that agents
 * and the CLI verify by pinning the CA. The server certificate is re-issued when a needed name is
 * missing or it nears expiry; the CA, which every agent pins, is kept.
 */
public final class CertificateAuthority {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration CA_LIFETIME = Duration.ofDays(3650);
  private static final Duration SERVER_LIFETIME = Duration.ofDays(825);
  private static final Duration RENEW_BEFORE = Duration.ofDays(30);

  /** The files a TLS server needs. */
  public record ServerTls(Path certChain, Path privateKey, Path caCert) {}

  private CertificateAuthority() {}

  public static ServerTls ensure(Path tlsDir, Collection<String> names) throws IOException {
    Files.createDirectories(tlsDir);
    Path caCert = tlsDir.resolve("ca.pem");
    Path caKey = tlsDir.resolve("ca.key");
    Path serverCert = tlsDir.resolve("server.pem");
    Path serverKey = tlsDir.resolve("server.key");
    try {
      X509Certificate ca;
      PrivateKey caPrivate;
      if (Files.exists(caCert) && Files.exists(caKey)) {
        PemFiles.requireOwnerOnly(caKey);
        ca = readCert(caCert);
        caPrivate = readKey(caKey);
      } else {
        KeyPair kp = newKeyPair();
        ca = issueCa(kp);
        caPrivate = kp.getPrivate();
        PemFiles.writeOwnerOnly(caKey, pem(kp.getPrivate()));
        PemFiles.writePublic(caCert, pem(ca));
        Files.deleteIfExists(serverCert); // a new CA invalidates any old server certificate
      }
      Set<String> wanted = new LinkedHashSet<>(names);
      if (!Files.exists(serverCert)
          || !Files.exists(serverKey)
          || !covers(readCert(serverCert), wanted)
          || readCert(serverCert)
              .getNotAfter()
              .toInstant()
              .isBefore(Instant.now().plus(RENEW_BEFORE))) {
        KeyPair kp = newKeyPair();
        X509Certificate server = issueServer(ca, caPrivate, kp, wanted);
        PemFiles.writeOwnerOnly(serverKey, pem(kp.getPrivate()));
        PemFiles.writePublic(serverCert, pem(server) + pem(ca));
      }
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(
          "could not create TLS material in " + tlsDir + ": " + e.getMessage(), e);
    }
    return new ServerTls(serverCert, serverKey, caCert);
  }

  /** The names a controller certificate should carry by default: loopback and this host's names. */
  public static List<String> defaultNames() {
    List<String> names = new ArrayList<>(List.of("localhost", "127.0.0.1", "::1"));
    try {
      InetAddress local = InetAddress.getLocalHost();
      names.add(local.getHostName());
      names.add(local.getCanonicalHostName());
    } catch (IOException ignored) {
      // loopback names are enough for a controller without a resolvable host name
    }
    return names;
  }

  public static String caPem(Path tlsDir) throws IOException {
    return Files.readString(tlsDir.resolve("ca.pem"), StandardCharsets.US_ASCII);
  }

  private static KeyPair newKeyPair() throws java.security.GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static X509Certificate issueCa(KeyPair kp) throws Exception {
    X500Name subject = new X500Name("CN=macfleet controller CA " + Instant.now().getEpochSecond());
    Instant now = Instant.now();
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
        subject,
        serial(),
        Date.from(now.minusSeconds(300)),
        Date.from(now.plus(CA_LIFETIME)),
        subject,
        kp.getPublic());
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    b.addExtension(
        Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
    return sign(b, kp.getPrivate());
  }

  private static X509Certificate issueServer(
      X509Certificate ca, PrivateKey caKey, KeyPair kp, Set<String> names) throws Exception {
    Instant now = Instant.now();
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
        ca,
        serial(),
        Date.from(now.minusSeconds(300)),
        Date.from(now.plus(SERVER_LIFETIME)),
        new X500Name("CN=macfleet controller"),
        kp.getPublic());
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    List<GeneralName> sans = new ArrayList<>();
    for (String n : names) {
      if (n == null || n.isBlank()) {
        continue;
      }
      boolean ip = n.matches("[0-9.]+") || n.contains(":");
      sans.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n));
    }
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(
        Extension.keyUsage,
        true,
        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    b.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    b.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(sans.toArray(new GeneralName[0])));
    b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
    return sign(b, caKey);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
      throws OperatorCreationException, CertificateException {
    ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
    return new JcaX509CertificateConverter().getCertificate(b.build(signer));
  }

  private static boolean covers(X509Certificate cert, Set<String> names)
      throws CertificateException {
    Set<String> have = new LinkedHashSet<>();
    Collection<List<?>> sans = cert.getSubjectAlternativeNames();
    if (sans != null) {
      for (List<?> san : sans) {
        have.add(normaliseIp(String.valueOf(san.get(1))));
      }
    }
    for (String n : names) {
      if (n != null && !n.isBlank() && !have.contains(normaliseIp(n))) {
        return false;
      }
    }
    return true;
  }

  private static String normaliseIp(String s) {
    if (s.contains(":")) {
      try {
        return InetAddress.getByName(s).getHostAddress();
      } catch (IOException e) {
        return s;
      }
    }
    return s;
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM);
  }

  private static String pem(Object o) throws IOException {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      if (o instanceof PrivateKey k) {
        // PKCS#8 ("BEGIN PRIVATE KEY"), which gRPC's TLS accepts for EC keys
        w.writeObject(new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY", k.getEncoded()));
      } else {
        w.writeObject(o);
      }
    }
    return sw.toString();
  }

  private static X509Certificate readCert(Path file) throws IOException, CertificateException {
    try (PEMParser p =
        new PEMParser(new StringReader(Files.readString(file, StandardCharsets.US_ASCII)))) {
      Object o = p.readObject();
      if (!(o instanceof org.bouncycastle.cert.X509CertificateHolder h)) {
        throw new IOException(file + " is not a PEM certificate");
      }
      return new JcaX509CertificateConverter().getCertificate(h);
    }
  }

  private static PrivateKey readKey(Path file) throws IOException {
    try (PEMParser p =
        new PEMParser(new StringReader(Files.readString(file, StandardCharsets.US_ASCII)))) {
      Object o = p.readObject();
      if (o instanceof PrivateKeyInfo info) {
        return new JcaPEMKeyConverter().getPrivateKey(info);
      }
      throw new IOException(file + " is not a PKCS#8 private key");
    }
  }
}
