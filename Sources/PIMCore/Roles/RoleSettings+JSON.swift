import Foundation
import Synchronization

extension RoleSettings {
    /// The stored form: JSON with sorted keys so equal settings store equal text.
    func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Decodes the stored text, once per distinct text: every role fetch asks, and decoding JSON
    /// costs more than the query. The text is the key, so an edit (new text) decodes afresh.
    static func fromJSON(_ text: String) throws -> RoleSettings {
        if let cached = decoded.withLock({ $0[text] }) { return cached }
        let settings = try JSONDecoder().decode(RoleSettings.self, from: Data(text.utf8))
        decoded.withLock { cache in
            // Few distinct texts exist (roles mostly share the defaults); bound it all the same.
            if cache.count >= decodedLimit { cache.removeAll(keepingCapacity: true) }
            cache[text] = settings
        }
        return settings
    }

    static let decodedLimit = 512
    private static let decoded = Mutex<[String: RoleSettings]>([:])
}
