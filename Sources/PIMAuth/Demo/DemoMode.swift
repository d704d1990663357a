import Foundation

/// Demo mode (pam_wrapper + nss_wrapper with demo accounts) is for a laptop, never a network.
public enum DemoMode {
    public struct NonLoopbackAddress: Error, CustomStringConvertible {
        public let address: String
        public var description: String {
            "demo mode listens only on a loopback address (127.0.0.1 or ::1), not \(address)"
        }
    }

    public struct WrappersMissing: Error, CustomStringConvertible {
        public var description: String {
            "demo mode needs pam_wrapper and nss_wrapper preloaded: start it through scripts/demo/demo-env.sh"
        }
    }

    /// Throws unless the process runs under pam_wrapper and nss_wrapper (pam_wrapper(1),
    /// nss_wrapper(1)): without them the demo would authenticate against the host's real PAM.
    public static func checkWrappers(environment: [String: String]) throws(WrappersMissing) {
        let preload = environment["LD_PRELOAD"] ?? ""
        guard environment["PAM_WRAPPER"] == "1", environment["PAM_WRAPPER_SERVICE_DIR"] != nil,
              preload.contains("libpam_wrapper"), preload.contains("libnss_wrapper"),
              environment["NSS_WRAPPER_PASSWD"] != nil, environment["NSS_WRAPPER_GROUP"] != nil
        else { throw WrappersMissing() }
    }

    /// Throws unless `bindAddress` is a loopback address: 127.0.0.0/8, ::1 or "localhost".
    public static func checkBindAddress(_ bindAddress: String) throws(NonLoopbackAddress) {
        guard isLoopback(bindAddress) else { throw NonLoopbackAddress(address: bindAddress) }
    }

    public static func isLoopback(_ address: String) -> Bool {
        var text = address
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if text == "localhost" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            let bytes = withUnsafeBytes(of: v6) { Array($0) }
            if bytes == Array(repeating: 0, count: 15) + [1] { return true }
            // ::ffff:127.x.y.z (IPv4-mapped loopback)
            return bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF && bytes[12] == 127
        }
        return false
    }
}
