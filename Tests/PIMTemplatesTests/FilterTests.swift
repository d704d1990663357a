import Foundation
import Testing
@testable import PIMTemplates

struct FilterTests {
    // 2026-03-29 00:30:05 UTC: the night Europe/Berlin switches to summer time (at 01:00 UTC).
    let beforeDST = Date(timeIntervalSince1970: 1_774_744_205)

    @Test func dateFormatsInTheGivenTimeZone() throws {
        let values: TemplateValue = ["d": .date(beforeDST), "tz": "Europe/Berlin"]
        #expect(try render("{{ d | date(\"yyyy-MM-dd HH:mm:ss\") }}", values) == "2026-03-29 00:30:05")
        // `zzz` is whatever the platform's time zone database calls it ("CET" on Darwin, "GMT+1" on Linux).
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        #expect(try render("{{ d | date(\"yyyy-MM-dd HH:mm xxx zzz\", tz) }}", values) == "2026-03-29 01:30 +01:00 \(berlin.abbreviation(for: beforeDST)!)")
        #expect(try render("{{ d | date(\"HH:mm xxx zzz\", tz) }}", ["d": .date(beforeDST + 3600), "tz": "Europe/Berlin"]) == "03:30 +02:00 \(berlin.abbreviation(for: beforeDST + 3600)!)")
        #expect(try render("{{ d | date(\"EEE d MMM yy, h:mm a Z\", \"America/New_York\") }}", values) == "Sat 28 Mar 26, 8:30 PM -0400")
        #expect(try render("{{ d | date(\"EEEE d MMMM yyyy 'at' hh 'o''clock'\", \"Asia/Kolkata\") }}", values) == "Sunday 29 March 2026 at 06 o&#39;clock")
    }

    @Test func dateHandlesEarlyAndNegativeEpochs() throws {
        #expect(try render("{{ d | date(\"yyyy-MM-dd HH:mm:ss EEE\") }}", ["d": .date(Date(timeIntervalSince1970: -1))]) == "1969-12-31 23:59:59 Wed")
        #expect(try render("{{ d | date(\"yyyy-MM-dd\") }}", ["d": .date(Date(timeIntervalSince1970: 951_782_400))]) == "2000-02-29")
    }

    @Test func dateWithDynamicPatternOrZoneChecksThemAtRenderTime() throws {
        #expect(try render("{{ d | date(p) }}", ["d": .date(beforeDST), "p": "HH"]) == "00")
        #expect(throws: TemplateError.self) { try render("{{ d | date(p) }}", ["d": .date(beforeDST), "p": "QQQ"]) }
        #expect(throws: TemplateError.self) { try render("{{ d | date(\"HH\", tz) }}", ["d": .date(beforeDST), "tz": "Nowhere/Land"]) }
    }

    @Test func relativeUsesTheRenderCallsNow() throws {
        func rel(_ seconds: TimeInterval) throws -> String {
            try render("{{ d | relative }}", ["d": .date(fixedNow + seconds)])
        }
        #expect(try rel(0) == "just now")
        #expect(try rel(-44) == "just now")
        #expect(try rel(50) == "in 1 min")
        #expect(try rel(42 * 60 + 30) == "in 42 min")
        #expect(try rel(-59 * 60) == "59 min ago")
        #expect(try rel(3 * 3600 + 5) == "in 3 h")
        #expect(try rel(-86_399) == "23 h ago")
        #expect(try rel(86_400) == "in 1 day")
        #expect(try rel(-3 * 86_400 - 10) == "3 days ago")
        let other = try render(["page": "{{ d | relative }}"], "page", ["d": .date(fixedNow)], now: fixedNow - 7200)
        #expect(other == "in 2 h")
    }

    @Test func pluralizeCountsNumbersAndLists() throws {
        let page = "{{ n | pluralize(\"role\", \"roles\") }}"
        #expect(try render(page, ["n": 0]) == "0 roles")
        #expect(try render(page, ["n": 1]) == "1 role")
        #expect(try render(page, ["n": 25]) == "25 roles")
        #expect(try render(page, ["n": ["a"]]) == "1 role")
        #expect(try render("{{ xs | count | pluralize(\"x\", \"xs\") }}", ["xs": [1, 2]]) == "2 xs")
    }

    @Test func countJoinDefaultLowerUpper() throws {
        #expect(try render("{{ l | count }} {{ d | count }} {{ s | count }} {{ n | count }}", ["l": [1, 2, 3], "d": ["a": 1], "s": "e\u{301}😀", "n": nil]) == "3 1 2 0")
        #expect(try render("{{ l | join(\", \") }}", ["l": ["a", 1, true]]) == "a, 1, true")
        #expect(try render("{{ l | join(\", \") }}", ["l": []]) == "")
        #expect(throws: TemplateError.self) { try render("{{ l | join(\",\") }}", ["l": [[1]]]) }
        #expect(try render("{{ s | lower }} {{ s | upper }}", ["s": "ÉtÉ Ok"]) == "été ok ÉTÉ OK")
        #expect(try render("{{ a | default(\"x\") | upper }}") == "X")
    }
}
