import Foundation

extension RoleSettings {
    /// The stored form: JSON with sorted keys so equal settings store equal text.
    func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    static func fromJSON(_ text: String) throws -> RoleSettings {
        try JSONDecoder().decode(RoleSettings.self, from: Data(text.utf8))
    }
}
