/// Signed-out visitors of a signed-in page go to sign-in and come back; signed-in users without
/// the role get the 403 page.
enum AccessControl {
    enum Decision: Equatable {
        case allow
        case signIn(next: String)
        case forbidden
    }

    static func decide(_ access: Access, context: AppContext) -> Decision {
        if access.allows(context.roles, signedIn: context.isSignedIn) { return .allow }
        if !context.isSignedIn {
            // After a POST the form is gone; come back to Home rather than to a POST-only path.
            let next = context.request.head.method == .get ? context.request.pathAndQuery : "/"
            return .signIn(next: next)
        }
        return .forbidden
    }

    /// `/signin?next=…` with the path escaped.
    static func signInLocation(next: String, expired: Bool = false) -> String {
        var pairs: [(String, String)] = []
        if next != "/" { pairs.append(("next", next)) }
        if expired { pairs.append(("expired", "1")) }
        return pairs.isEmpty ? "/signin" : "/signin?" + FormData.encode(pairs)
    }

    /// A `next` target is followed only when it is a path on this site: it starts with one `/`
    /// and no scheme or host can hide in it (`//evil`, `/\evil`, control characters).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"),
              next.utf8.count <= 2048,
              !next.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "\\" })
        else { return "/" }
        return next
    }
}
