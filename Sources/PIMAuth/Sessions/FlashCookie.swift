import Crypto
public import Foundation

/// One-time messages for the next page ("Role activated until 15:30."), carried by the browser
/// in a short-lived cookie signed for one session (post/redirect/get).
///
/// Not in the database: there each message cost a trip to the single writer for the action that
/// made it and another for the page that showed and cleared it. The cookie holds nothing the
/// user may not see, and the signature binds it to the session: a cookie planted by a
/// neighbouring site, or taken from another session, shows nothing.
///
/// Value: `<issued>.<signature>.<message>~<message>…`, each message its kind's letter and its
/// text in base64url: only cookie-octets (RFC 6265 §4.1.1).
public struct FlashCookie: Sendable {
    /// `__Host-pim-flash` over TLS, else `pim-flash`.
    public static func name(secure: Bool) -> String { secure ? "__Host-pim-flash" : "pim-flash" }
    /// Messages kept at most; older ones are dropped.
    public static let maxMessages = 8
    /// A message's text is cut to this many characters.
    static let maxTextCharacters = 300
    /// Browsers keep at least 4,096 bytes per cookie, name and attributes included (RFC 6265 §6.1).
    static let maxValueBytes = 3_600
    /// How long the messages wait for the next page. Default 10 minutes.
    public let lifetime: TimeInterval

    private let keyed: KeyedHMAC

    public init(keys: AuthKeys, lifetime: TimeInterval = 10 * 60) {
        self.keyed = KeyedHMAC(HMAC<SHA256>(key: keys.flashKey))
        self.lifetime = lifetime
    }

    /// The `Set-Cookie` carrying `messages` (oldest first) for session `id`: the newest
    /// `maxMessages` that fit in one cookie.
    public func setCookie(_ messages: [FlashMessage], for id: SessionID, now: Date, secure: Bool) -> String {
        let issued = String(Int64(now.timeIntervalSince1970))
        var encoded = messages.suffix(Self.maxMessages).map(Self.encode)
        while encoded.joined(separator: "~").utf8.count + 120 > Self.maxValueBytes { encoded.removeFirst() }
        let body = encoded.joined(separator: "~")
        let value = "\(issued).\(signature(issued: issued, body: body, session: id)).\(body)"
        return SessionCookie.attributes(name: Self.name(secure: secure), value: value, secure: secure) + "; Max-Age=\(Int(lifetime))"
    }

    /// The `Set-Cookie` that removes the messages once a page has shown them.
    public static func clearCookie(secure: Bool) -> String {
        SessionCookie.attributes(name: name(secure: secure), value: "", secure: secure) + "; Max-Age=0"
    }

    /// The flash cookie's value from a request's `Cookie` headers, if present once.
    public static func value(fromCookieHeaders headers: [String], secure: Bool) -> String? {
        CookieHeader.value(named: name(secure: secure), in: headers)
    }

    /// The messages of `value` when it is ours, signed for session `id` and not older than
    /// `lifetime`; otherwise none.
    public func messages(in value: String?, for id: SessionID, now: Date) -> [FlashMessage] {
        guard let value, value.utf8.count <= Self.maxValueBytes else { return [] }
        let parts = value.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let issuedSeconds = Int64(parts[0]) else { return [] }
        let expected = signature(issued: parts[0], body: parts[2], session: id)
        guard ConstantTime.equal(Array(parts[1].utf8), Array(expected.utf8)) else { return [] }
        let age = now.timeIntervalSince1970 - TimeInterval(issuedSeconds)
        guard age >= -60, age <= lifetime, !parts[2].isEmpty else { return [] }
        var messages: [FlashMessage] = []
        for item in parts[2].split(separator: "~", omittingEmptySubsequences: false) {
            guard let message = Self.decode(item) else { return [] }
            messages.append(message)
        }
        return messages
    }

    private static let kindLetters: [(FlashMessage.Kind, Character)] = [(.success, "s"), (.info, "i"), (.warning, "w"), (.error, "e")]

    private static func encode(_ message: FlashMessage) -> String {
        let letter = kindLetters.first { $0.0 == message.kind }!.1
        return String(letter) + Base64URL.encode(message.text.prefix(maxTextCharacters).utf8)
    }

    private static func decode(_ item: Substring) -> FlashMessage? {
        guard let letter = item.first, let kind = kindLetters.first(where: { $0.1 == letter })?.0,
              let bytes = Base64URL.decode(String(item.dropFirst())),
              let text = String(validating: bytes, as: UTF8.self) else { return nil }
        return FlashMessage(kind, text)
    }

    private func signature(issued: String, body: String, session id: SessionID) -> String {
        var mac = keyed.start
        mac.update(data: Array("flash|".utf8))
        mac.update(data: id.storageHash)
        mac.update(data: Array("|\(issued)|\(body)".utf8))
        return Base64URL.encode(mac.finalize())
    }
}

/// An HMAC already keyed, copied for each message: keying it (the key's two padded blocks
/// hashed) was 40% of a signature, made on every redirect with a message.
/// `@unchecked Sendable`: `start` never changes after init, and an `HMAC` is a value whose
/// hash state is copied before a copy's first update (swift-crypto's digests are copy-on-write).
private final class KeyedHMAC: @unchecked Sendable {
    let start: HMAC<SHA256>
    init(_ start: HMAC<SHA256>) { self.start = start }
}
