import HTTPTypes

/// Who the client is when a reverse proxy stands in front (RFC 7239 §5.2 and the de-facto
/// X-Forwarded-For / X-Forwarded-Proto). The headers are believed only when the TCP peer is a
/// configured trusted proxy; otherwise anyone could claim any address.
enum ClientAddress {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!

    /// Walks X-Forwarded-For from the right, skipping trusted proxies, and returns the first
    /// address no trusted proxy is; the peer itself when it is not trusted.
    static func resolve(peer: String, fields: HTTPFields, trustedProxies: Set<String>) -> (address: String, scheme: String) {
        guard trustedProxies.contains(peer) else { return (peer, "http") }
        let hops = fields[values: forwardedFor]
            .flatMap { $0.split(separator: ",") }
            .map { String($0.trimmingOWS()) }
        var address = peer
        for hop in hops.reversed() {
            guard !hop.isEmpty else { break }
            address = hop
            if !trustedProxies.contains(hop) { break }
        }
        let proto = fields[forwardedProto]?.split(separator: ",").last.map { $0.trimmingOWS().lowercased() }
        return (address, proto == "https" ? "https" : "http")
    }
}
