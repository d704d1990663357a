import Foundation
import Glibc

/// Drops the start-up pages of read-only file mappings from the server's resident set.
///
/// Starting the server runs code it never runs again: argument parsing, settings, migrations,
/// ICU's time zone data, Foundation's and the Swift runtime's initialisation. Their pages stay
/// mapped, and resident, for the life of the process: after Benchmarks/portal.sh's load only
/// 3.3 of the executable's 9.2 MB of resident code had been used during it.
///
/// `madvise(MADV_DONTNEED)` on a private file mapping nobody has written to only unmaps its
/// pages: the file's pages stay in the page cache, and the next access maps them again (a minor
/// fault). Whatever the server goes on using comes back at once and stays; the rest is
/// reclaimable page cache, no longer counted as the server's. A page that *was* written (copy on
/// write: a relocated pointer under RELRO, for instance) would be thrown away and read again from
/// the file, so a mapping with any such page ("Anonymous" above 0 in smaps) is left alone, and so
/// is every writable or shared mapping.
///
/// Only files mapped before the server started (`mappedFiles()`, taken first thing) are touched.
/// A library loaded meanwhile (a PAM or NSS module, one the SMTP client loads) is relocated
/// between the smaps read and the madvise: dropping its pages then undoes its relocations. The
/// SMTP thread died of that in the dynamic loader once, in ServeMailTests.
enum StartupPages {
    /// One mapping `release` would drop.
    struct Mapping: Equatable {
        var start: UInt
        var end: UInt
        var path: String
    }

    /// The files this process maps now: take it before starting anything that may load a
    /// library, and give it to `release(files:)`.
    /// (/proc/self/maps holds the mapping lines of smaps, so the same reading applies.)
    static func mappedFiles() -> Set<String> {
        guard let maps = readWhole("/proc/self/maps") else { return [] }
        return Set(maps.split(separator: "\n").compactMap { line -> String? in
            guard case .mapping(let mapping?) = kind(of: line) else { return nil }
            return mapping.path
        })
    }

    /// Drops the releasable mappings of `files` (see `mappedFiles()`); returns the resident
    /// bytes they held.
    @discardableResult
    static func release(files: Set<String>) -> Int {
        guard let smaps = readWhole("/proc/self/smaps") else { return 0 }
        let before = residentFileBytes()
        for mapping in releasable(smaps: smaps) where files.contains(mapping.path) {
            _ = madvise(UnsafeMutableRawPointer(bitPattern: mapping.start), Int(mapping.end - mapping.start), MADV_DONTNEED)
        }
        return max(0, before - residentFileBytes())
    }

    /// The mappings of a `/proc/PID/smaps` text that may be dropped: private, not writable,
    /// backed by a file that still exists, and without a single page of their own.
    static func releasable(smaps: String) -> [Mapping] {
        var result: [Mapping] = []
        var candidate: Mapping?
        var anonymousSeen = false
        func finish() {
            if let candidate, !anonymousSeen { result.append(candidate) }
            candidate = nil
        }
        for line in smaps.split(separator: "\n", omittingEmptySubsequences: true) {
            switch kind(of: line) {
            case .mapping(let mapping):
                finish()
                candidate = mapping
                anonymousSeen = true  // until its "Anonymous: 0 kB" line says otherwise
            case .field where line.hasPrefix("Anonymous:"):
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                anonymousSeen = fields.count < 2 || fields[1] != "0"
            case .field:
                break
            }
        }
        finish()
        return result
    }

    private enum Line {
        /// A mapping's first line, with the mapping when it is a candidate (a read-only private
        /// mapping of an existing file).
        case mapping(Mapping?)
        /// One of the "Name: value" lines under it.
        case field
    }

    /// "start-end perms offset dev inode path" starts a mapping; the other lines describe it.
    private static func kind(of line: Substring) -> Line {
        let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
        guard fields.count >= 5, let dash = fields[0].firstIndex(of: "-"),
              let start = UInt(fields[0][..<dash], radix: 16),
              let end = UInt(fields[0][fields[0].index(after: dash)...], radix: 16),
              let inode = UInt(fields[4]) else { return .field }
        let perms = Array(fields[1].utf8)
        guard perms.count == 4, start < end else { return .mapping(nil) }
        let path = fields.count > 5 ? String(fields[5]).trimmingCharacters(in: .whitespaces) : ""
        let candidate = perms[0] == UInt8(ascii: "r") && perms[1] == UInt8(ascii: "-") && perms[3] == UInt8(ascii: "p")
            && inode != 0 && path.hasPrefix("/") && !path.hasSuffix(" (deleted)")
        return .mapping(candidate ? Mapping(start: start, end: end, path: path) : nil)
    }

    /// A /proc file, read to its end: those files say their size is 0, and
    /// `String(contentsOfFile:)` reads only the size a file states (the first two mappings).
    static func readWhole(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path), let data = try? handle.readToEnd() else { return nil }
        try? handle.close()
        return String(decoding: data, as: UTF8.self)
    }

    /// Resident pages backed by files (RssFile of /proc/self/status), in bytes.
    static func residentFileBytes() -> Int {
        guard let status = readWhole("/proc/self/status"),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("RssFile:") }) else { return 0 }
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        return (fields.count > 1 ? Int(fields[1]) ?? 0 : 0) * 1024
    }
}
