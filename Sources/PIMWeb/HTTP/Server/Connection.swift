import CEpoll
import Glibc
import HTTPTypes
import Logging

/// One client connection, confined to its event loop's thread.
///
/// Reads are edge-triggered: `readable` remembers an unconsumed edge, so reading can pause
/// (while a request is in flight, pipelined bytes wait in the parser) and resume later.
/// One request is handled at a time, so pipelined requests are answered in order.
final class Connection: ReadinessHandler {
    enum Phase { case open, lingering, closed }

    let descriptor: Int32
    let peer: SocketAddress
    let loop: EventLoop
    let context: ServerContext
    var key: UInt64 = 0
    var parser: RequestParser
    var phase = Phase.open
    var counted: Bool

    var outbound: [UInt8] = []
    var outboundOffset = 0
    var readable = false
    var writable = true
    var peerClosed = false
    var hangupSeen = false
    /// True from a complete request until its response is fully queued.
    var inFlight = false
    var streaming = false
    var closeAfterResponse = false
    var streamWaiter: CheckedContinuation<Void, any Error>?

    // Timestamps (monotonic ns) for the timeouts of HTTPConfiguration.
    var idleSince: UInt64
    var requestStartedAt: UInt64 = 0
    var lastReadAt: UInt64 = 0
    var lastWriteProgressAt: UInt64 = 0
    var lingerDeadline: UInt64 = 0

    static let highWater = 256 * 1024
    static let lowWater = 64 * 1024

    init(descriptor: Int32, peer: SocketAddress, loop: EventLoop, context: ServerContext, counted: Bool) {
        self.descriptor = descriptor
        self.peer = peer
        self.loop = loop
        self.context = context
        self.counted = counted
        self.parser = RequestParser(configuration: context.configuration)
        self.idleSince = MonotonicTime.now()
    }

    /// Takes over an accepted descriptor: registers it, or answers 503 beyond the cap.
    static func open(descriptor: Int32, peer: SocketAddress, loop: EventLoop, context: ServerContext) {
        if context.shuttingDown.load(ordering: .relaxed) {
            Glibc.close(descriptor)
            return
        }
        let open = context.openConnections.wrappingAdd(1, ordering: .relaxed).newValue
        let overCap = open > context.configuration.maxConnections
        if overCap { context.openConnections.wrappingSubtract(1, ordering: .relaxed) }
        let connection = Connection(descriptor: descriptor, peer: peer, loop: loop, context: context, counted: !overCap)
        guard let key = loop.register(descriptor, handler: connection) else {
            connection.hardClose()
            return
        }
        connection.key = key
        if overCap {
            context.logger.warning("connection cap reached", metadata: ["client": "\(peer.host)"])
            connection.sendError(status: .serviceUnavailable, requestID: context.nextRequestID())
        }
    }

    // MARK: Readiness

    func handle(events: UInt32) {
        if events & EPOLLERR.rawValue != 0 {
            hardClose()
            return
        }
        if events & EPOLLOUT.rawValue != 0 {
            writable = true
            flush()
        }
        if events & (EPOLLRDHUP.rawValue | EPOLLHUP.rawValue) != 0 { hangupSeen = true }
        if events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue) != 0 {
            readable = true
            readAvailable()
        }
    }

    func readAvailable() {
        while readable && phase != .closed {
            // Back-pressure: with a request in flight, buffer at most 64 KiB of what follows.
            if inFlight && parser.hasPartialRequest && phase == .open && parser.bufferedCount >= 64 * 1024 { return }
            let count = loop.scratch.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                // A short read emptied the socket; the next arrival raises a new edge, so
                // there is no need for a read that would only say EAGAIN.
                // After EPOLLRDHUP keep reading to see the end of stream.
                if count < loop.scratch.count && !hangupSeen { readable = false }
                if phase == .lingering { continue }
                let now = MonotonicTime.now()
                if !parser.hasPartialRequest && !inFlight { requestStartedAt = now }
                lastReadAt = now
                parser.feed(loop.scratch[0..<count])
                if !inFlight { processBuffered() }
            } else if count == 0 {
                readable = false
                peerClosed = true
                if phase == .lingering || (!inFlight && outboundIsEmpty) {
                    hardClose()
                } else {
                    closeAfterResponse = true
                }
            } else {
                switch errno {
                case EINTR: continue
                case EAGAIN, EWOULDBLOCK: readable = false
                default: hardClose()
                }
            }
        }
    }

    /// Parses what is buffered and starts the next request, if any.
    func processBuffered() {
        while phase == .open && !inFlight {
            switch parser.next() {
            case .needMoreData:
                if peerClosed && !parser.hasPartialRequest && outboundIsEmpty { hardClose() }
                return
            case .continueExpected:
                outbound.append(contentsOf: ResponseEncoder.continueResponse)
                flush()
            case .request(let parsed):
                dispatch(parsed)
            case .failure(let error):
                let requestID = context.nextRequestID()
                context.logger.notice("rejected request", metadata: [
                    "status": "\(error.status)", "reason": "\(error.kind.rawValue)",
                    "client": "\(peer.host)", "request_id": "\(requestID)",
                ])
                sendError(status: HTTPResponse.Status(code: error.status), requestID: requestID)
                return
            }
        }
    }

    var outboundIsEmpty: Bool { outboundOffset == outbound.count }

    // MARK: Requests

    func dispatch(_ parsed: ParsedRequest) {
        inFlight = true
        let configuration = context.configuration
        let client = ClientAddress.resolve(peer: peer.host, fields: parsed.head.headerFields,
                                           trustedProxies: configuration.trustedProxies)
        var incoming = WebRequest(head: parsed.head, body: parsed.body, version: parsed.version, remoteAddress: peer.host,
                                  clientAddress: client.address, clientScheme: client.scheme, id: context.nextRequestID())
        incoming.formLimits = FormLimits(maxFields: configuration.maxFormFields, maxFieldBytes: configuration.maxFormFieldBytes)
        let request = incoming
        let keepAlive = parsed.keepAlive
        let started = MonotonicTime.now()
        let key = self.key
        let loop = self.loop
        let responder = context.responder
        Task(executorPreference: loop) {
            let response = await responder.respond(to: request)
            loop.execute {
                (loop.handler(key) as? Connection)?.respond(response, to: request, keepAlive: keepAlive, started: started)
            }
        }
    }

    func respond(_ response: WebResponse, to request: WebRequest, keepAlive: Bool, started: UInt64) {
        guard phase == .open else { return }
        let keep = keepAlive && !closeAfterResponse && !context.shuttingDown.load(ordering: .relaxed)
        let isHead = request.method == .head
        let code = response.status.code
        let bodyless = code < 200 || code == 204 || code == 304
        var bytesSent = 0
        let date = loop.date()
        switch response.body {
        case .bytes(let bytes):
            let framing: ResponseEncoder.Framing = bodyless ? .none : .length(bytes.count)
            ResponseEncoder.encodeHead(response.head, framing: framing, keepAlive: keep, version: request.version,
                                       date: date, into: &outbound)
            if !isHead && !bodyless {
                sendBody(bytes)
                bytesSent = bytes.count
            }
            closeAfterResponse = !keep
            finishResponse()
        case .stream(let producer):
            let chunked = request.version == .http11
            let framing: ResponseEncoder.Framing = bodyless ? .none : (chunked ? .chunked : .close)
            let keepStream = keep && chunked
            ResponseEncoder.encodeHead(response.head, framing: framing, keepAlive: keepStream, version: request.version,
                                       date: date, into: &outbound)
            closeAfterResponse = !keepStream
            if isHead || bodyless {
                finishResponse()
            } else {
                startStream(producer, chunked: chunked)
            }
        }
        logAccess(request, status: code, bytes: bytesSent, started: started)
    }

    func logAccess(_ request: WebRequest, status: Int, bytes: Int, started: UInt64) {
        let logger = context.logger
        guard logger.logLevel <= .info else { return }
        let micros = (MonotonicTime.now() - started) / 1000
        logger.info("\(request.method.rawValue) \(request.path) \(status)", metadata: [
            "bytes": "\(bytes)", "duration_us": "\(micros)", "client": "\(request.clientAddress)", "request_id": "\(request.id)",
        ])
    }

    /// The response is fully queued: write it, then either close or go on with the next
    /// pipelined request.
    func finishResponse() {
        inFlight = false
        streaming = false
        idleSince = MonotonicTime.now()
        flush()
        guard phase == .open else { return }
        if closeAfterResponse {
            if outboundIsEmpty { beginLingeringClose() }
            return
        }
        if parser.hasPartialRequest { requestStartedAt = MonotonicTime.now() }
        processBuffered()
        if !inFlight && phase == .open { readAvailable() }
    }

    /// Answers with an error page and closes: used for parse errors, timeouts and the cap.
    func sendError(status: HTTPResponse.Status, requestID: String) {
        let page = ErrorPage.response(status, requestID: requestID)
        guard case .bytes(let body) = page.body else { return }
        ResponseEncoder.encodeHead(page.head, framing: .length(body.count), keepAlive: false, version: .http11,
                                   date: loop.date(), into: &outbound)
        outbound.append(contentsOf: body)
        inFlight = false
        closeAfterResponse = true
        flush()
        if outboundIsEmpty && phase == .open { beginLingeringClose() }
    }
}
