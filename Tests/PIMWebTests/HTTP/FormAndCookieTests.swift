import HTTPTypes
import Testing
@testable import PIMWeb

struct FormAndCookieTests {
    @Test func formDecodesPlusPercentAndUTF8KeepingDuplicatesInOrder() throws {
        let fields = try FormFields.parse(Array("a=1&b=x+y&a=%C3%A9t%C3%A9&empty=&flag&%2B=%26".utf8))
        #expect(fields.pairs.map(\.name) == ["a", "b", "a", "empty", "flag", "+"])
        #expect(fields.all("a") == ["1", "été"])
        #expect(fields["b"] == "x y" && fields["empty"] == "" && fields["flag"] == "" && fields["+"] == "&")
    }

    @Test func malformedEncodingIsRejected() {
        #expect(throws: FormError(reason: .badEncoding)) { try FormFields.parse(Array("a=%G1".utf8)) }
        #expect(throws: FormError(reason: .badEncoding)) { try FormFields.parse(Array("a=%C3".utf8)) }
        #expect(throws: FormError(reason: .badEncoding)) { try FormFields.parse(Array("a=%".utf8)) }
        // A NUL, escaped or raw, in a value or a name.
        #expect(throws: FormError(reason: .badEncoding)) { try FormFields.parse(Array("justification=why%00not".utf8)) }
        #expect(throws: FormError(reason: .badEncoding)) { try FormFields.parse(Array("a%00=1".utf8)) }
        #expect(throws: FormError(reason: .badEncoding)) { try FormFields.parse([UInt8(ascii: "a"), UInt8(ascii: "="), 0]) }
    }

    @Test func fieldCountIsBoundedAtTheLimit() throws {
        let limits = FormLimits(maxFields: 3, maxFieldBytes: 100)
        #expect(try FormFields.parse(Array("a=1&b=2&c=3".utf8), limits: limits).pairs.count == 3)
        #expect(throws: FormError(reason: .tooManyFields)) { try FormFields.parse(Array("a=1&b=2&c=3&d=4".utf8), limits: limits) }
    }

    @Test func fieldSizeIsBoundedAtTheLimit() throws {
        let limits = FormLimits(maxFields: 10, maxFieldBytes: 5)
        #expect(try FormFields.parse(Array("a=123".utf8), limits: limits)["a"] == "123")
        #expect(throws: FormError(reason: .fieldTooLarge)) { try FormFields.parse(Array("a=1234".utf8), limits: limits) }
    }

    @Test func requestQueryAndFormUseTheRequestLimits() throws {
        var request = WebRequest(head: HTTPRequest(method: .post, scheme: nil, authority: "a", path: "/f?q=a+b&q=c",
                                                   headerFields: [.contentType: "application/x-www-form-urlencoded; charset=UTF-8"]),
                                 body: Array("role_id=7&justification=needed+now".utf8))
        #expect(try request.queryFields().all("q") == ["a b", "c"])
        #expect(try request.formFields()["justification"] == "needed now")
        request.formLimits = FormLimits(maxFields: 1, maxFieldBytes: 100)
        #expect(throws: FormError(reason: .tooManyFields)) { try request.formFields() }
    }

    @Test func formOfAnotherContentTypeAnswers415() {
        let request = WebRequest(head: HTTPRequest(method: .post, scheme: nil, authority: "a", path: "/f",
                                                   headerFields: [.contentType: "application/json"]), body: Array("{}".utf8))
        #expect(throws: FormError(reason: .notAForm)) { try request.formFields() }
        #expect(FormError(reason: .notAForm).status == .unsupportedMediaType)
    }

    @Test func cookiesAreParsedPerRFC6265SkippingInvalidPairs() {
        var fields = HTTPFields()
        fields.append(HTTPField(name: .cookie, value: "sid=abc123; theme=\"dark\"; bad name=x; novalue; csrf=t0k"))
        fields.append(HTTPField(name: .cookie, value: "sid=second; spaced=a b"))
        let request = WebRequest(head: HTTPRequest(method: .get, scheme: nil, authority: "a", path: "/", headerFields: fields))
        #expect(request.cookies.map(\.name) == ["sid", "theme", "csrf", "sid"])
        #expect(request.cookie("sid") == "abc123" && request.cookie("theme") == "dark" && request.cookie("spaced") == nil)
    }

    @Test func setCookieDefaultsAreSafe() {
        let cookie = SetCookie(name: "sid", value: "abc")
        #expect(cookie.headerValue == "sid=abc; Path=/; Secure; HttpOnly; SameSite=Lax")
        var custom = SetCookie(name: "pref", value: "1")
        custom.maxAge = 3600
        custom.secure = false
        custom.sameSite = .strict
        #expect(custom.headerValue == "pref=1; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict")
    }

    @Test func deletionCookieExpiresAtOnce() {
        #expect(SetCookie.deletion(of: "sid").headerValue
            == "sid=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=Lax")
    }

    @Test func severalCookiesGiveSeveralFields() {
        var response = WebResponse.text("x")
        response.setCookie(SetCookie(name: "a", value: "1"))
        response.setCookie(SetCookie(name: "b", value: "2"))
        #expect(response.headerFields[values: .setCookie].count == 2)
    }

    @Test func clientAddressIgnoresForwardedHeadersFromUntrustedPeers() {
        let fields: HTTPFields = [ClientAddress.forwardedFor: "198.51.100.1, 10.0.0.2", ClientAddress.forwardedProto: "https"]
        let untrusted = ClientAddress.resolve(peer: "10.0.0.9", fields: fields, trustedProxies: ["10.0.0.2"])
        #expect(untrusted.address == "10.0.0.9" && untrusted.scheme == "http")
        let trusted = ClientAddress.resolve(peer: "10.0.0.2", fields: fields, trustedProxies: ["10.0.0.2"])
        #expect(trusted.address == "198.51.100.1" && trusted.scheme == "https")
        // A client cannot push a fake address past an untrusted hop.
        let spoofed: HTTPFields = [ClientAddress.forwardedFor: "1.2.3.4, 198.51.100.7"]
        #expect(ClientAddress.resolve(peer: "10.0.0.2", fields: spoofed, trustedProxies: ["10.0.0.2"]).address == "198.51.100.7")
    }

    /// The path is read from the head once, and again whenever the head changes.
    @Test func pathAndQueryFollowTheHead() {
        var request = WebRequest(head: HTTPRequest(method: .get, scheme: nil, authority: "a", path: "/a/b?x=1&y=%3F"))
        #expect(request.path == "/a/b" && request.rawQuery == "x=1&y=%3F")
        request.head.path = "/c"
        #expect(request.path == "/c" && request.rawQuery == nil)
        request.head = HTTPRequest(method: .get, scheme: nil, authority: "a", path: "/d?")
        #expect(request.path == "/d" && request.rawQuery == "")
    }
}
