import COath
import Foundation

/// liboath's TOTP functions (RFC 6238: HMAC-SHA1, 6 digits, 30 s steps from the Unix epoch).
enum OATH {
    static let digits: UInt32 = 6
    static let stepSeconds: UInt32 = 30

    /// oath_init(3) must run once before any other call; Swift runs a static's initializer once,
    /// thread-safely.
    private static let initStatus: Int32 = oath_init()

    static func ensureInitialised() throws(OATHError) {
        guard initStatus == OATH_OK.rawValue else { throw OATHError(function: "oath_init", code: initStatus) }
    }

    /// The time-step counter of `code` if it is valid within ±`window` steps of `now`
    /// (oath_totp_validate3(3)); nil for a wrong code.
    static func validate(secret: [UInt8], code: TOTPCode, now: Date, window: Int = 1) throws(OATHError) -> UInt64? {
        try ensureInitialised()
        var position: Int32 = 0
        var counter: UInt64 = 0
        let status = secret.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                oath_totp_validate3(
                    chars.baseAddress, chars.count, time_t(now.timeIntervalSince1970.rounded(.down)),
                    stepSeconds, OATH_TOTP_DEFAULT_START_TIME, window, &position, &counter, code.digits)
            }
        }
        if status >= 0 { return counter }
        if status == OATH_INVALID_OTP.rawValue { return nil }
        throw OATHError(function: "oath_totp_validate3", code: status)
    }

    /// The code for `secret` at `time` (oath_totp_generate(3)); used by tests and the demo.
    static func generate(secret: [UInt8], at time: Date) throws(OATHError) -> String {
        try ensureInitialised()
        var output = [CChar](repeating: 0, count: Int(digits) + 1)
        let status = secret.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                oath_totp_generate(chars.baseAddress, chars.count, time_t(time.timeIntervalSince1970.rounded(.down)),
                                   stepSeconds, OATH_TOTP_DEFAULT_START_TIME, digits, &output)
            }
        }
        guard status == OATH_OK.rawValue else { throw OATHError(function: "oath_totp_generate", code: status) }
        return String(decoding: output.prefix(Int(digits)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The time-step counter containing `time`.
    static func counter(at time: Date) -> UInt64 {
        UInt64(max(0, time.timeIntervalSince1970) / Double(stepSeconds))
    }
}

/// A liboath call that failed for a reason other than a wrong code.
public struct OATHError: Error, Sendable, Equatable, CustomStringConvertible {
    public let function: String
    public let code: Int32
    public var description: String {
        let name = oath_strerror_name(code).map { String(cString: $0) } ?? "unknown"
        return "\(function) failed: \(name) (\(code))"
    }
}

/// A TOTP code as typed: exactly six ASCII digits once spaces are removed ("123 456" is fine;
/// letters, other lengths, non-ASCII digits such as "١٢٣٤٥٦" and control characters are not).
public struct TOTPCode: Sendable, Equatable {
    let digits: String

    public init?(_ input: String) {
        guard input.utf8.count <= 32 else { return nil }
        let kept = input.utf8.filter { $0 != 0x20 }
        guard kept.count == 6, kept.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        digits = String(decoding: kept, as: UTF8.self)
    }
}
