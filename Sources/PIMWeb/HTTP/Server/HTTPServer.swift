public import Logging
import Glibc
import Synchronization

/// The HTTP/1.1 server: a listening socket, event-loop threads, and a responder.
///
/// ```swift
/// let server = HTTPServer(configuration: HTTPConfiguration(), responder: router, logger: logger)
/// let port = try server.start(host: "127.0.0.1", port: 8080)
/// ...
/// await server.shutdown()   // stop accepting, finish in-flight requests, close the rest
/// ```
public final class HTTPServer: Sendable {
    private struct State {
        var loops: [EventLoop] = []
        var listenerKey: UInt64?
        var port = 0
        var stopped = false
    }

    private let context: ServerContext
    private let state = Mutex(State())

    public init(configuration: HTTPConfiguration = HTTPConfiguration(), responder: any HTTPResponder, logger: Logger) {
        self.context = ServerContext(configuration: configuration, responder: responder, logger: logger)
    }

    /// The bound port once started (useful with port 0).
    public var port: Int { state.withLock { $0.port } }

    /// Number of connections currently open (not counting ones refused at the cap).
    public var openConnections: Int { context.openConnections.load(ordering: .relaxed) }

    /// Binds and starts serving; returns the bound port. Throws ``SocketError`` when the address
    /// cannot be used.
    @discardableResult
    public func start(host: String, port: Int) throws -> Int {
        let configuration = context.configuration
        let (descriptor, boundPort) = try ListeningSocket.bind(host: host, port: port, backlog: configuration.backlog)
        let shortest = [configuration.headerTimeout, configuration.bodyProgressTimeout, configuration.idleTimeout,
                        configuration.writeTimeout].min()!
        let tick = min(max(shortest / 4, .milliseconds(5)), .seconds(1))
        var loops: [EventLoop] = []
        for index in 0..<max(1, configuration.eventLoopCount) {
            let loop = try EventLoop(tickInterval: tick)
            loop.start(name: "pim-http-\(index)")
            loops.append(loop)
        }
        for loop in loops {
            loop.execute { [loop] in
                loop.onTick = { [loop] now in
                    for handler in loop.registeredHandlers {
                        (handler as? Connection)?.checkTimeouts(now: now)
                    }
                }
            }
        }
        let context = self.context
        let first = loops[0]
        let keyBox = Mutex<UInt64?>(nil)
        first.execute { [loops] in
            let listener = Listener(descriptor: descriptor, loops: loops, context: context)
            keyBox.withLock { $0 = first.register(descriptor, handler: listener, writable: false) }
        }
        state.withLock {
            $0.loops = loops
            $0.port = boundPort
        }
        // Registration runs on the loop; wait for it so shutdown can always find the listener.
        while keyBox.withLock({ $0 }) == nil { sched_yield() }
        state.withLock { $0.listenerKey = keyBox.withLock { $0 } }
        context.logger.info("listening", metadata: ["address": "\(host):\(boundPort)"])
        return boundPort
    }

    /// Graceful shutdown: stops accepting, closes idle connections, lets in-flight requests
    /// finish for up to `HTTPConfiguration.shutdownGracePeriod`, then closes everything and
    /// stops the loop threads. Safe to call more than once.
    public func shutdown() async {
        let (loops, listenerKey, alreadyStopped) = state.withLock { state in
            defer { state.stopped = true }
            return (state.loops, state.listenerKey, state.stopped)
        }
        guard !alreadyStopped, let first = loops.first else { return }
        context.shuttingDown.store(true, ordering: .relaxed)
        first.execute { [first] in
            if let key = listenerKey, let listener = first.handler(key) as? Listener {
                listener.close()
                first.unregister(key)
            }
        }
        for loop in loops {
            loop.execute { [loop] in
                for handler in loop.registeredHandlers { (handler as? Connection)?.beginShutdown() }
            }
        }
        let clock = ContinuousClock()
        let deadline = clock.now + context.configuration.shutdownGracePeriod
        while context.openConnections.load(ordering: .relaxed) > 0 && clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
        for loop in loops {
            loop.execute { [loop] in
                for handler in loop.registeredHandlers { (handler as? Connection)?.hardClose() }
            }
            await loop.stop()
        }
        context.logger.info("stopped")
    }
}
