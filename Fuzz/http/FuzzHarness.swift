// libFuzzer entry point for the HTTP request parser; built by Fuzz/http/run.sh, not by SwiftPM.
//
// Each input is parsed twice, once whole and once in pieces whose sizes come from the input's
// first byte, with small limits so the limit paths are reached. Besides crashes (traps, ASan),
// it checks two invariants: both feeds agree, and a parsed body never exceeds the limit.

var fuzzConfiguration: HTTPConfiguration {
    var configuration = HTTPConfiguration()
    configuration.maxRequestTargetLength = 64
    configuration.maxHeaderBytes = 512
    configuration.maxHeaderFields = 8
    configuration.maxBodyBytes = 256
    configuration.maxChunkLineLength = 64
    return configuration
}

func outcome(_ bytes: UnsafeBufferPointer<UInt8>, pieceSize: Int) -> (requests: [ParsedRequest], error: HTTPParseError?) {
    var parser = RequestParser(configuration: fuzzConfiguration)
    var requests: [ParsedRequest] = []
    var offset = 0
    while offset < bytes.count {
        let end = min(bytes.count, offset + pieceSize)
        parser.feed(bytes[offset..<end])
        offset = end
        loop: while true {
            switch parser.next() {
            case .needMoreData: break loop
            case .continueExpected: continue
            case .request(let request):
                precondition(request.body.count <= fuzzConfiguration.maxBodyBytes, "body over limit")
                requests.append(request)
            case .failure(let error): return (requests, error)
            }
        }
    }
    return (requests, nil)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequestParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 1 else { return 0 }
    let pieceSize = Int(data[0] % 16) + 1
    let bytes = UnsafeBufferPointer(start: data + 1, count: size - 1)
    let whole = outcome(bytes, pieceSize: bytes.count)
    let pieces = outcome(bytes, pieceSize: pieceSize)
    precondition(whole.error == pieces.error, "whole and piecewise feeds disagree on the error")
    precondition(whole.requests.count == pieces.requests.count, "whole and piecewise feeds disagree on requests")
    for (a, b) in zip(whole.requests, pieces.requests) {
        precondition(a.head == b.head && a.body == b.body && a.keepAlive == b.keepAlive, "request mismatch")
    }
    return 0
}
