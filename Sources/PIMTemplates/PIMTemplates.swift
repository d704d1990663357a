/// PIMTemplates: a small, safe template engine. Knows nothing of PIM.
public enum PIMTemplatesInfo {
    public static let name = "PIMTemplates"
}
