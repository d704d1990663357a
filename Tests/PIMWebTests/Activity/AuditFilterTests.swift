import Foundation
import PIMCore
import Testing
@testable import PIMWeb

struct AuditFilterTests {
    let berlin = TimeZone(identifier: "Europe/Berlin")!
    // 2027-01-15 10:00 UTC = 11:00 in Berlin.
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func todayStartsAtLocalMidnight() {
        let filter = AuditFilterForm(query: ["range": "today"], now: now, timeZone: berlin)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = berlin
        #expect(filter.from == calendar.startOfDay(for: now))
        #expect(filter.to == nil)
    }

    @Test func sevenDaysCoverTodayAndTheSixBefore() throws {
        let filter = AuditFilterForm(query: ["range": "7d"], now: now, timeZone: berlin)
        let from = try #require(filter.from)
        #expect(now.timeIntervalSince(from) > 6 * 86_400 && now.timeIntervalSince(from) < 7 * 86_400)
    }

    @Test func customRangeIncludesTheWholeEndDay() throws {
        let filter = AuditFilterForm(query: ["range": "custom", "from": "2027-01-01", "to": "2027-01-02"], now: now, timeZone: berlin)
        #expect(filter.errors.isEmpty)
        let from = try #require(filter.from), to = try #require(filter.to)
        #expect(to.timeIntervalSince(from) == 2 * 86_400)
    }

    @Test func malformedOrReversedCustomDatesAreReportedAtTheirFields() {
        let bad = AuditFilterForm(query: ["range": "custom", "from": "2027-02-30", "to": "tomorrow"], now: now, timeZone: berlin)
        #expect(bad.errors["from"] != nil)
        #expect(bad.errors["to"] != nil)
        let reversed = AuditFilterForm(query: ["range": "custom", "from": "2027-01-05", "to": "2027-01-01"], now: now, timeZone: berlin)
        #expect(reversed.errors["to"] == "The end date is before the start date.")
    }

    @Test func queryStringCarriesEveryFilterEscaped() {
        let filter = AuditFilterForm(query: ["range": "all", "role": "3", "user": "a&b c", "action": "roleActivated"], now: now, timeZone: berlin)
        #expect(filter.queryString == "range=all&role=3&user=a%26b%20c&action=roleActivated")
        #expect(filter.filter == AuditFilter(roleID: 3, user: "a&b c", action: "roleActivated"))
    }

    @Test func myAuditIsScopedToMeWhateverTheUserField() {
        let filter = AuditFilterForm(query: ["range": "all", "user": "bob"], now: now, timeZone: berlin, scopeUser: "alice")
        #expect(filter.filter.user == "alice")
    }

    @Test func unreadableDatesSelectNoRange() {
        let filter = AuditFilterForm(query: ["range": "custom", "from": "nope"], now: now, timeZone: berlin)
        #expect(filter.filter.since == nil && filter.filter.until == nil)
    }
}
