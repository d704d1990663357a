/// `HOST:PORT` as given to `pim serve --listen`: an IPv4 address or name, or a bracketed IPv6
/// address (`[::1]:8080`), and a port 0–65535.
struct ListenAddress: Equatable, CustomStringConvertible {
    let host: String
    let port: Int

    struct Invalid: Error, CustomStringConvertible {
        let text: String
        var description: String { "invalid --listen '\(text)': expected HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080" }
    }

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    init(parsing text: String) throws(Invalid) {
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw Invalid(text: text)
            }
            hostPart = text[text.index(after: text.startIndex)..<close]
            portPart = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else { throw Invalid(text: text) }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
        }
        let hostAllowed = hostPart.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || ".-:".contains($0)) }
        guard !hostPart.isEmpty, hostAllowed, !portPart.isEmpty, portPart.allSatisfy({ $0.isASCII && $0.isNumber }),
              portPart.count <= 5, let port = Int(portPart), (0...65535).contains(port) else {
            throw Invalid(text: text)
        }
        self.host = String(hostPart)
        self.port = port
    }

    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
