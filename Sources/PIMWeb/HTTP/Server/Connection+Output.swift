import Glibc
import HTTPTypes
import Logging

/// The client went away while a streamed body was being written.
public struct ConnectionClosedError: Error, Sendable {}

extension Connection {
    /// Writes queued bytes until done or the socket would block (send(2) with MSG_NOSIGNAL so a
    /// vanished client is an error, not a SIGPIPE).
    func flush() {
        guard phase != .closed else { return }
        while outboundOffset < outbound.count && writable {
            let written = outbound.withUnsafeBytes { bytes in
                send(descriptor, bytes.baseAddress! + outboundOffset, bytes.count - outboundOffset, Int32(MSG_NOSIGNAL))
            }
            if written > 0 {
                outboundOffset += written
                lastWriteProgressAt = MonotonicTime.now()
            } else if written < 0 {
                switch errno {
                case EINTR: continue
                case EAGAIN, EWOULDBLOCK: writable = false
                default:
                    hardClose()
                    return
                }
            }
        }
        if outboundOffset == outbound.count {
            // An idle keep-alive connection keeps a small buffer, not its last response's (a
            // 20 KB page at 256 connections kept 5+ MB): a large buffer goes back to malloc.
            outbound.removeAll(keepingCapacity: outbound.capacity <= 4 * 1024)
            outboundOffset = 0
        } else if outboundOffset >= 64 * 1024 {
            outbound.removeSubrange(0..<outboundOffset)
            outboundOffset = 0
        }
        if let waiter = streamWaiter, outbound.count - outboundOffset <= Self.lowWater {
            streamWaiter = nil
            waiter.resume()
        }
        if outboundIsEmpty && closeAfterResponse && !inFlight && !streaming && phase == .open {
            beginLingeringClose()
        }
    }

    /// Queues a response body behind the head already in `outbound`. When nothing else waits,
    /// head and body go out in one sendmsg(2) straight from the body's own memory, and only what
    /// the socket did not take is copied: a page is not copied into the buffer first (an 18 KB
    /// copy and a buffer to grow for every My roles answer).
    func sendBody(_ body: [UInt8]) {
        guard outboundOffset == 0, writable, phase != .closed, !body.isEmpty else {
            outbound.append(contentsOf: body)
            return
        }
        var written = 0
        outbound.withUnsafeBytes { head in
            body.withUnsafeBytes { body in
                // The two iovecs on the stack: an array of them was a heap allocation per response.
                withUnsafeTemporaryAllocation(of: iovec.self, capacity: 2) { parts in
                    parts[0] = iovec(iov_base: UnsafeMutableRawPointer(mutating: head.baseAddress), iov_len: head.count)
                    parts[1] = iovec(iov_base: UnsafeMutableRawPointer(mutating: body.baseAddress), iov_len: body.count)
                    var message = msghdr()
                    message.msg_iov = parts.baseAddress
                    message.msg_iovlen = 2
                    repeat {
                        written = sendmsg(descriptor, &message, Int32(MSG_NOSIGNAL))
                    } while written < 0 && errno == EINTR
                }
            }
        }
        if written < 0 {
            // flush() meets the same error and handles it (would block: wait; else close).
            outbound.append(contentsOf: body)
            return
        }
        lastWriteProgressAt = MonotonicTime.now()
        let headCount = outbound.count
        if written < headCount {
            outboundOffset = written
            outbound.append(contentsOf: body)
        } else {
            outbound.removeAll(keepingCapacity: outbound.capacity <= 4 * 1024)
            outboundOffset = 0
            // What the socket did not take (flush() then meets "would block" and waits).
            outbound.append(contentsOf: body[(written - headCount)...])
        }
    }

    // MARK: Streams

    func startStream(_ producer: @escaping @Sendable (BodyWriter) async throws -> Void, chunked: Bool) {
        streaming = true
        flush()
        let key = self.key
        let loop = self.loop
        let writer = BodyWriter { bytes in
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let accepted = loop.execute {
                    guard let connection = loop.handler(key) as? Connection, connection.streaming, connection.phase == .open else {
                        continuation.resume(throwing: ConnectionClosedError())
                        return
                    }
                    connection.appendStreamPiece(bytes, chunked: chunked, continuation: continuation)
                }
                if !accepted { continuation.resume(throwing: ConnectionClosedError()) }
            }
        }
        let logger = context.logger
        Task(executorPreference: loop) {
            var succeeded = true
            do {
                try await producer(writer)
            } catch {
                succeeded = false
                if !(error is ConnectionClosedError) {
                    logger.error("streamed response failed", metadata: ["error": "\(type(of: error))"])
                }
            }
            loop.execute { [succeeded] in
                (loop.handler(key) as? Connection)?.endStream(succeeded: succeeded, chunked: chunked)
            }
        }
    }

    func appendStreamPiece(_ bytes: [UInt8], chunked: Bool, continuation: CheckedContinuation<Void, any Error>) {
        if chunked {
            ResponseEncoder.appendChunk(bytes, to: &outbound)
        } else {
            outbound.append(contentsOf: bytes)
        }
        flush()
        if phase != .open {
            continuation.resume(throwing: ConnectionClosedError())
        } else if outbound.count - outboundOffset > Self.highWater {
            streamWaiter = continuation
        } else {
            continuation.resume()
        }
    }

    func endStream(succeeded: Bool, chunked: Bool) {
        guard streaming, phase == .open else { return }
        guard succeeded else {
            // Mid-body there is no way to send an error; an incomplete body tells the client.
            hardClose()
            return
        }
        if chunked { outbound.append(contentsOf: ResponseEncoder.lastChunk) }
        finishResponse()
    }

    // MARK: Closing

    /// Half-closes after the last response and reads until the client closes, so unread
    /// request bytes do not turn our close into a reset that destroys the response in flight
    /// (RFC 9112 §9.6).
    func beginLingeringClose() {
        guard phase == .open else { return }
        if peerClosed {
            hardClose()
            return
        }
        shutdown(descriptor, Int32(SHUT_WR))
        phase = .lingering
        lingerDeadline = MonotonicTime.now() + 2_000_000_000
        readable = true
        readAvailable()
    }

    func hardClose() {
        guard phase != .closed else { return }
        phase = .closed
        loop.unregister(key)
        Glibc.close(descriptor)
        if counted {
            context.openConnections.wrappingSubtract(1, ordering: .relaxed)
            counted = false
        }
        if let waiter = streamWaiter {
            streamWaiter = nil
            waiter.resume(throwing: ConnectionClosedError())
        }
    }

    // MARK: Timeouts and shutdown

    /// Applies the timeouts of HTTPConfiguration; called by the loop every tick.
    func checkTimeouts(now: UInt64) {
        let configuration = context.configuration
        switch phase {
        case .closed:
            return
        case .lingering:
            if now >= lingerDeadline { hardClose() }
            return
        case .open:
            break
        }
        if !outboundIsEmpty {
            if now - lastWriteProgressAt >= MonotonicTime.nanoseconds(configuration.writeTimeout) { hardClose() }
            return
        }
        if inFlight || streaming { return }
        let expired: Bool
        if parser.isReadingBody {
            expired = now - lastReadAt >= MonotonicTime.nanoseconds(configuration.bodyProgressTimeout)
        } else if parser.hasPartialRequest {
            expired = now - requestStartedAt >= MonotonicTime.nanoseconds(configuration.headerTimeout)
        } else {
            if now - idleSince >= MonotonicTime.nanoseconds(configuration.idleTimeout) { hardClose() }
            return
        }
        if expired {
            let requestID = context.nextRequestID()
            context.logger.notice("request timeout", metadata: ["client": "\(peer.host)", "request_id": "\(requestID)"])
            sendError(status: .requestTimeout, requestID: requestID)
        }
    }

    /// Graceful shutdown: idle connections close now, busy ones after their response.
    func beginShutdown() {
        guard phase == .open else { return }
        if !inFlight && !streaming && !parser.hasPartialRequest && outboundIsEmpty {
            hardClose()
        } else {
            closeAfterResponse = true
        }
    }
}
