import HTTPTypes

/// Routes by path segment: literal segments first, then `:name`, then a final `*name` that
/// takes the rest of the path (still percent-encoded, for handlers that check it themselves).
struct RouteTree: Sendable {
    final class Node: Sendable {
        // Safety of nonisolated(unsafe): nodes are written only inside RouterBuilder.build(),
        // on one thread, before the tree is handed to the Router; afterwards only read.
        nonisolated(unsafe) var literals: [String: Node] = [:]
        nonisolated(unsafe) var parameter: (name: String, node: Node)?
        nonisolated(unsafe) var rest: (name: String, handlers: [HTTPRequest.Method: Handler])?
        nonisolated(unsafe) var handlers: [HTTPRequest.Method: Handler] = [:]
    }

    enum Match {
        case found(Handler, parameters: [String: String])
        case methodNotAllowed(allowed: [HTTPRequest.Method])
        case notFound
        case badPath
    }

    let root = Node()

    /// Adds a route; a duplicate pattern for the same method is a programming error.
    func add(_ method: HTTPRequest.Method, _ pattern: String, _ handler: @escaping Handler) {
        precondition(pattern.hasPrefix("/"), "route pattern must start with /: \(pattern)")
        var node = root
        let segments = pattern.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        for (index, segment) in segments.enumerated() {
            if segment.hasPrefix("*") {
                precondition(index == segments.count - 1, "*name must be the last segment: \(pattern)")
                var handlers = node.rest?.handlers ?? [:]
                precondition(handlers[method] == nil, "duplicate route \(method) \(pattern)")
                handlers[method] = handler
                node.rest = (String(segment.dropFirst()), handlers)
                return
            }
            if segment.hasPrefix(":") {
                let name = String(segment.dropFirst())
                if let existing = node.parameter {
                    precondition(existing.name == name, "conflicting parameter names at \(pattern)")
                    node = existing.node
                } else {
                    let child = Node()
                    node.parameter = (name, child)
                    node = child
                }
            } else {
                let key = String(segment)
                if let child = node.literals[key] {
                    node = child
                } else {
                    let child = Node()
                    node.literals[key] = child
                    node = child
                }
            }
        }
        precondition(node.handlers[method] == nil, "duplicate route \(method) \(pattern)")
        node.handlers[method] = handler
    }

    func match(method: HTTPRequest.Method, path: Substring) -> Match {
        guard path.hasPrefix("/") else { return .badPath }
        var node = root
        var parameters: [String: String] = [:]
        var remaining = path.dropFirst()
        while true {
            let end = remaining.firstIndex(of: "/") ?? remaining.endIndex
            let raw = remaining[remaining.startIndex..<end]
            let isLast = end == remaining.endIndex
            guard let segment = PercentDecoding.decode(raw, plusIsSpace: false) else { return .badPath }
            if let child = node.literals[segment] {
                node = child
            } else if let (name, child) = node.parameter, !segment.isEmpty {
                parameters[name] = segment
                node = child
            } else if let (name, handlers) = node.rest {
                parameters[name] = String(remaining)
                return Self.pick(method, handlers, parameters)
            } else {
                return .notFound
            }
            if isLast { break }
            remaining = remaining[remaining.index(after: end)...]
        }
        return Self.pick(method, node.handlers, parameters)
    }

    private static func pick(_ method: HTTPRequest.Method, _ handlers: [HTTPRequest.Method: Handler],
                             _ parameters: [String: String]) -> Match {
        if handlers.isEmpty { return .notFound }
        if let handler = handlers[method] ?? (method == .head ? handlers[.get] : nil) {
            return .found(handler, parameters: parameters)
        }
        var allowed = Array(handlers.keys)
        if handlers[.get] != nil && handlers[.head] == nil { allowed.append(.head) }
        return .methodNotAllowed(allowed: allowed.sorted { $0.rawValue < $1.rawValue })
    }
}
