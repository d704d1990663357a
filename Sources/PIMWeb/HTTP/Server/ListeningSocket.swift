import CEpoll
import Glibc

/// Listening TCP sockets: socket(2), bind(2), listen(2), accept4(2).
enum ListeningSocket {
    /// Binds `host:port` non-blocking and listens. `host` is a numeric IPv4/IPv6 address or a
    /// name resolved with getaddrinfo(3); the first address that binds wins. Returns the
    /// descriptor and the port actually bound (useful when 0 asked for an ephemeral one).
    static func bind(host: String, port: Int, backlog: Int32) throws(SocketError) -> (descriptor: Int32, port: Int) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw SocketError("resolving \(host)", code: status == EAI_SYSTEM ? errno : EADDRNOTAVAIL)
        }
        defer { freeaddrinfo(list) }
        var lastError = SocketError("bind", code: EADDRNOTAVAIL)
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            candidate = info.pointee.ai_next
            let flags = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
            let descriptor = socket(info.pointee.ai_family, flags, 0)
            guard descriptor >= 0 else { lastError = SocketError("socket"); continue }
            var one: Int32 = 1
            // SO_REUSEADDR lets a restarted server bind while old connections sit in TIME_WAIT.
            setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            guard Glibc.bind(descriptor, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
                lastError = SocketError("bind \(host):\(port)")
                close(descriptor)
                continue
            }
            guard listen(descriptor, backlog) == 0 else {
                lastError = SocketError("listen")
                close(descriptor)
                continue
            }
            return (descriptor, boundPort(descriptor) ?? port)
        }
        throw lastError
    }

    static func boundPort(_ descriptor: Int32) -> Int? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard result == 0 else { return nil }
        return SocketAddress(storage).port
    }

    /// Accepts one pending connection, or nil when none is pending (EAGAIN).
    static func accept(_ descriptor: Int32) throws(SocketError) -> (descriptor: Int32, address: SocketAddress)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        while true {
            let client = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    accept4(descriptor, $0, &length, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
                }
            }
            if client >= 0 {
                var one: Int32 = 1
                setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return (client, SocketAddress(storage))
            }
            switch errno {
            case EINTR, ECONNABORTED: continue
            case EAGAIN, EWOULDBLOCK: return nil
            default: throw SocketError("accept4")
            }
        }
    }
}

/// A peer's IP address and port, as text for logs and proxy checks.
struct SocketAddress: Sendable {
    let host: String
    let port: Int

    init(_ storage: sockaddr_storage) {
        var storage = storage
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch Int32(storage.ss_family) {
        case AF_INET:
            var (address, port) = withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { ($0.pointee.sin_addr, $0.pointee.sin_port) }
            }
            inet_ntop(AF_INET, &address, &text, socklen_t(text.count))
            self.port = Int(UInt16(bigEndian: port))
        case AF_INET6:
            var (address, port) = withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { ($0.pointee.sin6_addr, $0.pointee.sin6_port) }
            }
            inet_ntop(AF_INET6, &address, &text, socklen_t(text.count))
            self.port = Int(UInt16(bigEndian: port))
        default:
            self.port = 0
        }
        self.host = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
