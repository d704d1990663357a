import Foundation

/// Demo mode (pam_wrapper + nss_wrapper with demo accounts) is for a laptop, never a network.
public enum DemoMode {
    public struct NonLoopbackAddress: Error, CustomStringConvertible {
        public let address: String
        public var description: String {
            "demo mode listens only on a loopback address (127.0.0.1 or ::1), not \(address)"
        }
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
