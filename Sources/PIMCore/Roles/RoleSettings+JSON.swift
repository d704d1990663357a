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
        var text = text
        return try text.withUTF8 { try fromJSON(bytes: $0) }
    }

    /// `fromJSON` of the text's UTF-8 bytes (a column read in place). The cache is found by a
    /// 64-bit fingerprint of the bytes and then compared byte for byte: hashing the 1.3 KB
    /// text as a `String` key cost 15K instructions per role fetch.
    static func fromJSON(bytes: UnsafeBufferPointer<UInt8>) throws -> RoleSettings {
        let key = fingerprint(bytes)
        if let cached = decoded.withLock({ $0[key] }), cached.text.withUnsafeBytes({ sameBytes($0, UnsafeRawBufferPointer(bytes)) }) {
            return cached.settings
        }
        let settings = try JSONDecoder().decode(RoleSettings.self, from: Data(bytes))
        decoded.withLock { cache in
            // Few distinct texts exist (roles mostly share the defaults); bound it all the same.
            if cache.count >= decodedLimit { cache.removeAll(keepingCapacity: true) }
            cache[key] = (Array(bytes), settings)
        }
        return settings
    }

    private static func sameBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard let left = a.baseAddress, let right = b.baseAddress else { return true }  // both empty
        return memcmp(left, right, a.count) == 0
    }

    /// FNV-1a over 8-byte words, then the tail bytes. Not for hash tables an attacker fills
    /// (role settings are written by administrators, and a collision only costs a decode).
    static func fingerprint(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let raw = UnsafeRawBufferPointer(bytes)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var offset = 0
        while offset + 8 <= raw.count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x0000_0100_0000_01b3
            offset += 8
        }
        while offset < raw.count {
            hash = (hash ^ UInt64(raw[offset])) &* 0x0000_0100_0000_01b3
            offset += 1
        }
        return hash ^ UInt64(raw.count)
    }

    static let decodedLimit = 512
    private static let decoded = Mutex<[UInt64: (text: [UInt8], settings: RoleSettings)]>([:])
}
