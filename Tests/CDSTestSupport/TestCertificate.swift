/// A self-signed certificate (P-256, valid for a century) for the tests that register sync clients: only its
/// fingerprint matters to the admin API. Made with `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256`.
public enum TestCertificate {
    public static let pem = """
        -----BEGIN CERTIFICATE-----
        MIIBhDCCASmgAwIBAgIUH+0SIeHqN0IklhWOiruXFFHKgM4wCgYIKoZIzj0EAwIw
        FjEUMBIGA1UEAwwLbWF0cml4LXRlc3QwIBcNMjYxMTI5MDgzMDU1WhgPMjEyNjEx
        MDUwODMwNTVaMBYxFDASBgNVBAMMC21hdHJpeC10ZXN0MFkwEwYHKoZIzj0CAQYI
        KoZIzj0DAQcDQgAEz42hzeeXUFLwMHe63RwG9Dbtom95nkIbtnk3YdOsRtt8vyVA
        OCWi9chGIZZlljWXRjhP31paIiGL8lcHvNyvKqNTMFEwHQYDVR0OBBYEFOuJE5ie
        e/t3f+0vZHz3gE+AOhZMMB8GA1UdIwQYMBaAFOuJE5iee/t3f+0vZHz3gE+AOhZM
        MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSQAwRgIhAMkKvtISPYpd+5Hd
        49O5Fh3zvXpXC8TAOxn/nY+3R4edAiEAhfsk34xWrd7+fByZm5ZKgQxnyK1v44EE
        f2rzbaKt5Nc=
        -----END CERTIFICATE-----
        """

    /// The PEM as a JSON string value.
    public static var json: String {
        "\"" + pem.replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
