import Glibc

/// Accepts connections on the first loop and hands them out round-robin to all loops.
final class Listener: ReadinessHandler {
    private var descriptor: Int32
    private let loops: [EventLoop]
    private let context: ServerContext
    private var next = 0

    init(descriptor: Int32, loops: [EventLoop], context: ServerContext) {
        self.descriptor = descriptor
        self.loops = loops
        self.context = context
    }

    func handle(events: UInt32) {
        while descriptor >= 0 {
            let accepted: (descriptor: Int32, address: SocketAddress)?
            do {
                accepted = try ListeningSocket.accept(descriptor)
            } catch {
                // EMFILE and friends: log and wait for the next readiness edge.
                context.logger.warning("accept failed", metadata: ["error": "\(error)"])
                return
            }
            guard let (client, address) = accepted else { return }
            let loop = loops[next % loops.count]
            next += 1
            let context = self.context
            let handedOver = loop.execute { [loop] in
                Connection.open(descriptor: client, peer: address, loop: loop, context: context)
            }
            if !handedOver { Glibc.close(client) }
        }
    }

    /// Stops accepting: new connection attempts are refused by the kernel from now on.
    func close() {
        guard descriptor >= 0 else { return }
        Glibc.close(descriptor)
        descriptor = -1
    }

    deinit { close() }
}
