import Foundation

/// A self-signed certificate for 127.0.0.1/localhost made with `openssl` at test time.
struct TestCertificate {
    let certificate: String
    let key: String

    init() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pim-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        certificate = directory.appendingPathComponent("cert.pem").path
        key = directory.appendingPathComponent("key.pem").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                             "-keyout", key, "-out", certificate, "-subj", "/CN=localhost",
                             "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CertificateError.opensslFailed }
    }

    enum CertificateError: Error { case opensslFailed }
}
