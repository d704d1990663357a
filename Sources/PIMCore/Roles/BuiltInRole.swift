/// The two roles every PIM has; they can be neither renamed nor deleted.
public enum BuiltInRole: String, Sendable, CaseIterable {
    case pimAdministrator
    case securityReader

    public var name: String {
        switch self {
        case .pimAdministrator: return "PIM Administrator"
        case .securityReader: return "Security Reader"
        }
    }

    var summary: String {
        switch self {
        case .pimAdministrator: return "Manages roles, assignments and settings in PIM."
        case .securityReader: return "Reads audit, alerts and reviews; changes nothing."
        }
    }
}
