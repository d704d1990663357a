import HTTPTypes
import Testing
@testable import PIMWeb

/// What a parser made of some bytes: the complete requests, how many times it asked for
/// `100 Continue`, and the error it stopped at, if any.
struct ParseOutcome {
    var requests: [ParsedRequest] = []
    var continues = 0
    var error: HTTPParseError?
    /// True when the bytes ended in the middle of a request.
    var partial = false
}

enum ParserHarness {
    /// Feeds `bytes` either whole or one byte at a time and collects every event.
    static func run(_ bytes: [UInt8], byteByByte: Bool, configuration: HTTPConfiguration = HTTPConfiguration()) -> ParseOutcome {
        var parser = RequestParser(configuration: configuration)
        var outcome = ParseOutcome()
        func drain() -> Bool {
            while true {
                switch parser.next() {
                case .needMoreData: return true
                case .continueExpected: outcome.continues += 1
                case .request(let request): outcome.requests.append(request)
                case .failure(let error):
                    outcome.error = error
                    return false
                }
            }
        }
        if byteByByte {
            for byte in bytes {
                parser.feed(CollectionOfOne(byte))
                guard drain() else { break }
            }
        } else {
            parser.feed(bytes)
            _ = drain()
        }
        outcome.partial = outcome.error == nil && parser.hasPartialRequest
        return outcome
    }

    /// Parses whole and byte by byte, checks both ways agree on the requests and the error,
    /// and returns the whole-feed outcome.
    static func both(_ text: String, configuration: HTTPConfiguration = HTTPConfiguration(),
                     sourceLocation: SourceLocation = #_sourceLocation) -> ParseOutcome {
        both(Array(text.utf8), configuration: configuration, sourceLocation: sourceLocation)
    }

    static func both(_ bytes: [UInt8], configuration: HTTPConfiguration = HTTPConfiguration(),
                     sourceLocation: SourceLocation = #_sourceLocation) -> ParseOutcome {
        let whole = run(bytes, byteByByte: false, configuration: configuration)
        let single = run(bytes, byteByByte: true, configuration: configuration)
        #expect(whole.error == single.error, "whole vs byte-by-byte error", sourceLocation: sourceLocation)
        #expect(whole.requests.count == single.requests.count, sourceLocation: sourceLocation)
        for (a, b) in zip(whole.requests, single.requests) {
            #expect(a.head == b.head && a.body == b.body && a.keepAlive == b.keepAlive, sourceLocation: sourceLocation)
        }
        #expect(whole.partial == single.partial, sourceLocation: sourceLocation)
        return whole
    }

    /// The status a request is rejected with, or nil when it parses.
    static func status(_ text: String, configuration: HTTPConfiguration = HTTPConfiguration(),
                       sourceLocation: SourceLocation = #_sourceLocation) -> Int? {
        both(text, configuration: configuration, sourceLocation: sourceLocation).error?.status
    }
}
