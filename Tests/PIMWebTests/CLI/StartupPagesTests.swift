import Foundation
import Testing
@testable import PIMWeb

/// Which mappings the server drops after start-up, and that dropping them keeps the process
/// working. In the serial pass of scripts/test.sh: it changes the whole test process's resident
/// set.
struct StartupPagesTests {
    static func mapping(_ header: String, anonymous: String? = "0") -> String {
        var lines = [header, "Size:                 132 kB", "Rss:                  64 kB"]
        if let anonymous { lines.append("Anonymous:      \(anonymous) kB") }
        lines.append("VmFlags: rd ex mr mw me")
        return lines.joined(separator: "\n")
    }

    @Test func onlyUnwrittenReadOnlyPrivateFileMappingsAreReleasable() {
        let smaps = [
            Self.mapping("55d474769000-55d475c16000 r-xp 00504000 fe:00 5333317     /usr/local/bin/pim"),
            Self.mapping("55d475c16000-55d475d00000 r--p 01a0b000 fe:00 5333317     /usr/local/bin/pim"),
            // Relocated under RELRO: a page of its own, which the file could not give back.
            Self.mapping("55d475d00000-55d475e00000 r--p 01b0b000 fe:00 5333317     /usr/local/bin/pim", anonymous: "828"),
            Self.mapping("55d475e00000-55d475f00000 rw-p 01c0b000 fe:00 5333317     /usr/local/bin/pim"),
            Self.mapping("7f0000000000-7f0000100000 r--s 00000000 fe:00 4444        /tmp/pim.sqlite-shm"),
            Self.mapping("7f0000100000-7f0000200000 r--p 00000000 00:00 0 "),
            Self.mapping("7f0000200000-7f0000300000 r--p 00000000 fe:00 777         /usr/lib/old.so (deleted)"),
            Self.mapping("7f0000300000-7f0000400000 r-xp 00000000 fe:00 778         /usr/lib/no-anonymous-line.so", anonymous: nil),
            Self.mapping("7f0000400000-7f0000500000 r-xp 00026000 fe:00 333151      /usr/lib/x86_64-linux-gnu/libc.so.6"),
            Self.mapping("7ffc00000000-7ffc00002000 r-xp 00000000 00:00 0           [vdso]"),
        ].joined(separator: "\n")
        let releasable = StartupPages.releasable(smaps: smaps)
        #expect(releasable == [
            StartupPages.Mapping(start: 0x55d4_7476_9000, end: 0x55d4_75c1_6000, path: "/usr/local/bin/pim"),
            StartupPages.Mapping(start: 0x55d4_75c1_6000, end: 0x55d4_75d0_0000, path: "/usr/local/bin/pim"),
            StartupPages.Mapping(start: 0x7f00_0040_0000, end: 0x7f00_0050_0000, path: "/usr/lib/x86_64-linux-gnu/libc.so.6"),
        ])
    }

    @Test func malformedLinesReleaseNothing() {
        let hostile = [
            "zzzz-1000 r-xp 00000000 fe:00 1 /bin/x", "Anonymous: 0 kB",
            "2000-1000 r-xp 00000000 fe:00 1 /bin/backwards", "Anonymous: 0 kB",
            "1000-2000 r-x 00000000 fe:00 1 /bin/short-perms", "Anonymous: 0 kB",
            "1000-2000 r-xp 00000000 fe:00 notanumber /bin/x", "Anonymous: 0 kB",
            "1000-2000 r-xp", "Anonymous: 0 kB",
            "Anonymous: 0 kB",
            String(repeating: "-", count: 100_000),
            "1000-2000 r-xp 00000000 fe:00 1 relative/path", "Anonymous: 0 kB",
            "1000-2000 r-xp 00000000 fe:00 1 /bin/anonymous-garbled", "Anonymous: lots kB",
        ].joined(separator: "\n")
        #expect(StartupPages.releasable(smaps: hostile).isEmpty)
        #expect(StartupPages.releasable(smaps: "").isEmpty)
    }

    /// /proc files state a size of 0; reading only that much returned the first two mappings.
    @Test func theWholeMapListIsRead() throws {
        let smaps = try #require(StartupPages.readWhole("/proc/self/smaps"))
        #expect(smaps.contains("[stack]"))
        #expect(smaps.utf8.count > 65_536)
    }

    @Test func theFilesMappedAtStartAreListed() throws {
        let files = StartupPages.mappedFiles()
        #expect(files.contains { $0.hasSuffix("/libc.so.6") })
        #expect(files.allSatisfy { $0.hasPrefix("/") })
        #expect(!files.contains("[stack]"))
    }

    /// A file mapped after the snapshot (a library being loaded and relocated meanwhile) keeps
    /// its pages, however releasable its mappings look.
    @Test func filesMappedAfterTheSnapshotAreLeftAlone() throws {
        let before = StartupPages.residentFileBytes()
        #expect(StartupPages.release(files: []) == 0)
        #expect(StartupPages.residentFileBytes() >= before - 64 * 1024, "nothing of note dropped")
    }

    @Test func releasingDropsResidentFilePagesAndTheProcessGoesOn() throws {
        let before = StartupPages.residentFileBytes()
        let released = StartupPages.release(files: StartupPages.mappedFiles())
        #expect(released > 1_000_000, "released \(released) of \(before) resident file bytes")
        #expect(StartupPages.residentFileBytes() < before)
        // Code and constants come back from the page cache when used again.
        let text = (0..<1_000).map { String($0, radix: 16) }.joined(separator: ",")
        #expect(text.split(separator: ",").count == 1_000)
        #expect(Date(timeIntervalSince1970: 0).formatted(.iso8601) == "1970-01-01T00:00:00Z")
    }
}
