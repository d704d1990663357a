/// PIMCore: the domain of PIM (roles, settings, assignments, requests, audit) with no HTTP or HTML.
public enum PIMCoreInfo {
    public static let name = "PIMCore"
}
