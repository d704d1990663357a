/// Why a request was rejected by ``RequestParser``.
///
/// The kind is for the log only; the client sees just the status and a generic page, never
/// the offending bytes (RFC 9112 §2.2 leaves the response to the server; echoing input would
/// help reflection attacks).
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        case badRequestLine, badMethod, methodTooLong, badTarget, targetTooLong
        case badVersion, unsupportedVersion
        case bareCR, bareLF, obsFold, whitespaceBeforeColon, badFieldName, badFieldValue
        case headerSectionTooLarge, tooManyFields
        case missingHost, duplicateHost, badHost
        case badContentLength, contentLengthWithTransferEncoding, transferEncodingInHTTP10
        case transferEncodingNotChunked, unsupportedTransferCoding
        case badChunkSize, badChunkExtension, badChunkTerminator, chunkLineTooLong
        case bodyTooLarge, unsupportedExpectation
    }

    public let kind: Kind
    /// HTTP status code to answer with; the connection is always closed afterwards.
    public let status: Int

    init(_ kind: Kind) {
        self.kind = kind
        self.status = switch kind {
        case .targetTooLong: 414
        case .headerSectionTooLarge, .tooManyFields: 431
        case .bodyTooLarge: 413
        case .unsupportedVersion: 505
        case .methodTooLong, .unsupportedTransferCoding: 501
        case .unsupportedExpectation: 417
        default: 400
        }
    }

    public var description: String { "\(status) \(kind.rawValue)" }
}
