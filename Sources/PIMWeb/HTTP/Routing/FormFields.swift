public import HTTPTypes

/// Bounds on query strings and urlencoded forms (from ``HTTPConfiguration``).
public struct FormLimits: Sendable {
    public var maxFields: Int
    public var maxFieldBytes: Int

    public init(maxFields: Int = 256, maxFieldBytes: Int = 64 * 1024) {
        self.maxFields = maxFields
        self.maxFieldBytes = maxFieldBytes
    }
}

/// A malformed or oversized form or query: answers 400 (415 for a body that is not a form).
public struct FormError: HTTPStatusError, Equatable {
    public enum Reason: Sendable, Equatable { case badEncoding, tooManyFields, fieldTooLarge, notAForm }
    public let reason: Reason
    public var status: HTTPResponse.Status { reason == .notAForm ? .unsupportedMediaType : .badRequest }
}

/// Name/value pairs of a query string or `application/x-www-form-urlencoded` body, decoded
/// (UTF-8, `+` as space, percent escapes), duplicates kept in order (WHATWG URL §5.1).
public struct FormFields: Sendable, Equatable {
    public let pairs: [(name: String, value: String)]

    /// The first value of `name`.
    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Every value of `name`, in order.
    public func all(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    public static func == (lhs: FormFields, rhs: FormFields) -> Bool {
        lhs.pairs.elementsEqual(rhs.pairs) { $0.name == $1.name && $0.value == $1.value }
    }

    public static func parse<C: Collection<UInt8>>(_ bytes: C, limits: FormLimits = FormLimits()) throws(FormError) -> FormFields {
        var pairs: [(name: String, value: String)] = []
        for piece in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            guard pairs.count < limits.maxFields else { throw FormError(reason: .tooManyFields) }
            guard piece.count <= limits.maxFieldBytes else { throw FormError(reason: .fieldTooLarge) }
            let equals = piece.firstIndex(of: UInt8(ascii: "="))
            let rawName = piece[piece.startIndex..<(equals ?? piece.endIndex)]
            let rawValue = equals.map { piece[piece.index(after: $0)...] } ?? piece[piece.endIndex...]
            guard let name = decode(rawName), let value = decode(rawValue) else { throw FormError(reason: .badEncoding) }
            pairs.append((name, value))
        }
        return FormFields(pairs: pairs)
    }

    /// Nil for bad percent escapes, bad UTF-8, or a NUL: no field of ours holds one (nobody
    /// types it), and text stored in SQLite ends at it.
    private static func decode<C: Collection<UInt8>>(_ bytes: C) -> String? {
        guard let decoded = PercentDecoding.decodeBytes(bytes, plusIsSpace: true), !decoded.contains(0) else { return nil }
        // ASCII is valid UTF-8 as it is: the common case skips the validating initializer,
        // whose generic set-up cost more than the rest of the form.
        if decoded.allSatisfy({ $0 < 0x80 }) { return String(decoding: decoded, as: UTF8.self) }
        return String(validating: decoded, as: UTF8.self)
    }
}

extension WebRequest {
    /// The decoded query string (empty when there is none).
    public func queryFields() throws(FormError) -> FormFields {
        try FormFields.parse(rawQuery?.utf8 ?? "".utf8[...], limits: formLimits)
    }

    /// The decoded urlencoded body; throws 415 when the body is of another type.
    public func formFields() throws(FormError) -> FormFields {
        let type = head.headerFields[.contentType]?.split(separator: ";").first?.trimmingOWS().lowercased()
        guard type == "application/x-www-form-urlencoded" else { throw FormError(reason: .notAForm) }
        return try FormFields.parse(body, limits: formLimits)
    }
}
