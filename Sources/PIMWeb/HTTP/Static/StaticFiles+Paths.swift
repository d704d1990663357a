import Foundation
import HTTPTypes

extension StaticFiles {
    /// Decodes the encoded remainder of a URL once and refuses anything that is not a plain
    /// relative path: backslashes, NUL, a "%" left after decoding (double encoding), empty,
    /// "." or ".." segments, and dot-files. The result is only ever a dictionary key.
    static func sanitize(_ raw: String) -> String? {
        // Byte checks: cheaper than Foundation's String.contains on this per-request path.
        let backslash = UInt8(ascii: "\\")
        guard !raw.isEmpty, !raw.utf8.contains(backslash),
              let decoded = PercentDecoding.decodeBytes(raw.utf8, plusIsSpace: false),
              !decoded.contains(UInt8(ascii: "%")), !decoded.contains(backslash), !decoded.contains(0) else { return nil }
        let segments = decoded.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard segments.allSatisfy({ !$0.isEmpty && $0.first != UInt8(ascii: ".") }) else { return nil }
        return String(validating: decoded, as: UTF8.self)
    }

    /// RFC 9110 §13.1.2 (If-None-Match, weak comparison) and §13.1.3 (If-Modified-Since, only
    /// without If-None-Match).
    static func isNotModified(_ asset: Asset, _ fields: HTTPFields) -> Bool {
        let candidates = fields[values: .ifNoneMatch].flatMap { $0.split(separator: ",") }.map { $0.trimmingOWS() }
        if !candidates.isEmpty {
            return candidates.contains { $0 == "*" || ($0.hasPrefix("W/") ? $0.dropFirst(2) : $0) == asset.etag }
        }
        if let since = fields[.ifModifiedSince].flatMap(HTTPDateCache.parse) {
            return asset.modified <= since
        }
        return false
    }

    static func looksFingerprinted(_ path: String) -> Bool {
        let parts = (path.split(separator: "/").last ?? "").split(separator: ".")
        guard parts.count >= 3 else { return false }
        let hash = parts[parts.count - 2]
        return hash.count >= 8 && hash.allSatisfy(\.isHexDigit)
    }

    static func fingerprintedName(_ path: String, digest: String) -> String {
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        guard let dot = path[slash...].lastIndex(of: "."), dot > slash else { return path + "." + digest }
        return String(path[..<dot]) + "." + digest + String(path[dot...])
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Regular files under `root`, relative, following symlinks only to files inside `root`.
    static func files(under root: String) throws -> [String] {
        var result: [String] = []
        var pending = [""]
        while let relative = pending.popLast() {
            let directory = relative.isEmpty ? root : root + "/" + relative
            for name in try FileManager.default.contentsOfDirectory(atPath: directory).sorted() where !name.hasPrefix(".") {
                let childRelative = relative.isEmpty ? name : relative + "/" + name
                let child = root + "/" + childRelative
                var info = stat()
                guard lstat(child, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR:
                    pending.append(childRelative)
                case S_IFREG:
                    result.append(childRelative)
                case S_IFLNK:
                    var target = stat()
                    if let resolved = realPath(child), resolved.hasPrefix(root + "/"),
                       stat(resolved, &target) == 0, target.st_mode & S_IFMT == S_IFREG {
                        result.append(childRelative)
                    }
                default:
                    break
                }
            }
        }
        return result
    }
}
