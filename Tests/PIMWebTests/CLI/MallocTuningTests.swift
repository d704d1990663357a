import CMalloc
import Foundation
import Testing
@testable import PIMWeb

/// Memory freed in the middle of an arena goes back to the system once the trimmer runs. In the
/// serial pass of scripts/test.sh: it reads the whole test process's resident size.
struct MallocTuningTests {
    static func residentBytes() -> Int {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = statm.split(separator: " ")
        return (fields.count > 1 ? Int(fields[1]) ?? 0 : 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// 24 MB in 48,000 blocks, freed below a block that stays: glibc's `free` cannot give
    /// those pages back (only an arena's top shrinks), the trimmer does.
    @Test func freedMemoryBelowALiveBlockIsGivenBackByTheTrimmer() async throws {
        let blocks = (0..<48_000).map { _ in malloc(512)! }
        for block in blocks { memset(block, 1, 512) }
        let pin = malloc(512)!
        defer { free(pin) }
        let before = Self.residentBytes()
        for block in blocks { free(block) }
        try await Task.sleep(for: .milliseconds(300))
        #expect(Self.residentBytes() > before - 8_000_000, "free alone kept the pages")

        let trimmer = MallocTuning.startTrimming(every: 0.05)
        defer { trimmer.stop() }
        let deadline = ContinuousClock.now + .seconds(5)
        while Self.residentBytes() > before - 16_000_000, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(Self.residentBytes() <= before - 16_000_000, "resident \(Self.residentBytes()) bytes, \(before) before the free")
    }
}
