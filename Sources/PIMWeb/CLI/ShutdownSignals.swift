import Foundation
import Glibc

/// Write end of the self-pipe that the signal handler writes to. Set once, before the handlers
/// are installed, and only read afterwards (by the handler), so the unsynchronised global is safe.
nonisolated(unsafe) private var shutdownPipeWriteEnd: Int32 = -1

/// The SIGTERM/SIGINT handler: only write(2), which signal-safety(7) allows in a handler.
private func recordShutdownSignal(_ number: Int32) {
    var byte = UInt8(truncatingIfNeeded: number)
    _ = write(shutdownPipeWriteEnd, &byte, 1)
}

/// Waits for SIGTERM or SIGINT with a self-pipe and sigaction(2). The handler is installed
/// synchronously, so a signal sent right after start-up is never lost (a dispatch signal source
/// registers asynchronously and can miss it). SIGPIPE is ignored so a vanished client is an
/// error return, not a kill.
struct ShutdownSignals {
    private let readEnd: Int32

    init() {
        signal(SIGPIPE, SIG_IGN)
        var ends: [Int32] = [-1, -1]
        pipe(&ends)
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        readEnd = ends[0]
        shutdownPipeWriteEnd = ends[1]
        var action = sigaction()
        action.__sigaction_handler.sa_handler = recordShutdownSignal
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGTERM, &action, nil)
        sigaction(SIGINT, &action, nil)
    }

    /// Returns the first signal received; a dedicated thread blocks in read(2) meanwhile.
    func wait() async -> Int32 {
        let readEnd = self.readEnd
        return await withCheckedContinuation { continuation in
            let thread = Thread {
                var byte: UInt8 = 0
                while read(readEnd, &byte, 1) < 0 && errno == EINTR {}
                continuation.resume(returning: Int32(byte))
            }
            thread.name = "pim-signals"
            thread.start()
        }
    }
}
