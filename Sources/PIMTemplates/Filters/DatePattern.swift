public import Foundation

/// A date pattern compiled once (`yyyy-MM-dd HH:mm` …) and formatted without DateFormatter:
/// pure arithmetic on the civil date in the requested zone, so rendering stays allocation-light
/// and thread-safe. Letters follow Unicode TR35 for the subset listed in the README. Public so
/// that the application formats its own texts (flash messages…) the same way, without a
/// DateFormatter per call.
public struct DatePattern: Sendable {
    enum Part: Sendable, Equatable {
        case literal(String)
        case year4, year2, month2, month1, monthShort, monthLong, day2, day1
        case hour24two, hour24, hour12two, hour12, minute2, second2, ampm
        case weekdayShort, weekdayLong, offsetColon, offsetPlain, zoneAbbreviation
    }

    let parts: [Part]

    /// Parses `pattern`; the error text says which letters are allowed.
    public init(_ pattern: String) throws(PatternError) {
        var parts: [Part] = []
        let chars = Array(pattern)
        var i = 0
        var literal = ""
        func flush() { if !literal.isEmpty { parts.append(.literal(literal)); literal = "" } }
        while i < chars.count {
            let c = chars[i]
            if c == "'" {
                // 'quoted text'; '' is a literal quote.
                if i + 1 < chars.count, chars[i + 1] == "'" { literal.append("'"); i += 2; continue }
                var j = i + 1
                while j < chars.count {
                    if chars[j] == "'" {
                        guard j + 1 < chars.count, chars[j + 1] == "'" else { break }
                        j += 1  // '' inside quotes is a literal quote
                    }
                    literal.append(chars[j])
                    j += 1
                }
                guard j < chars.count else { throw PatternError(message: "unterminated quote in date pattern") }
                i = j + 1
                continue
            }
            guard c.isASCII, c.isLetter else { literal.append(c); i += 1; continue }
            var run = 1
            while i + run < chars.count, chars[i + run] == c { run += 1 }
            let part: Part? = switch (c, run) {
            case ("y", 4): .year4
            case ("y", 2): .year2
            case ("M", 1): .month1
            case ("M", 2): .month2
            case ("M", 3): .monthShort
            case ("M", 4): .monthLong
            case ("d", 1): .day1
            case ("d", 2): .day2
            case ("H", 1): .hour24
            case ("H", 2): .hour24two
            case ("h", 1): .hour12
            case ("h", 2): .hour12two
            case ("m", 2): .minute2
            case ("s", 2): .second2
            case ("a", 1): .ampm
            case ("E", 3): .weekdayShort
            case ("E", 4): .weekdayLong
            case ("x", 3): .offsetColon
            case ("Z", 1): .offsetPlain
            case ("z", 3): .zoneAbbreviation
            default: nil
            }
            guard let part else {
                throw PatternError(message: "unsupported date pattern '\(String(repeating: c, count: run))'; expected yyyy yy M MM MMM MMMM d dd H HH h hh mm ss a EEE EEEE xxx Z zzz or 'quoted text'")
            }
            flush()
            parts.append(part)
            i += run
        }
        flush()
        self.parts = parts
    }

    public struct PatternError: Error { public let message: String }

    static let monthsShort = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let monthsLong = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    static let weekdaysShort = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let weekdaysLong = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    public func format(_ date: Date, in zone: TimeZone) -> String {
        let offset = zone.secondsFromGMT(for: date)
        let local = Int(date.timeIntervalSince1970.rounded(.down)) + offset
        let days = floorDiv(local, 86_400)
        let secondOfDay = local - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        let hour = secondOfDay / 3600
        let minute = secondOfDay % 3600 / 60
        let second = secondOfDay % 60
        let weekday = ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday (4)
        var out = ""
        out.reserveCapacity(24)
        for part in parts {
            switch part {
            case .literal(let s): out += s
            case .year4: pad(&out, year, 4)
            case .year2: pad(&out, ((year % 100) + 100) % 100, 2)
            case .month2: pad(&out, month, 2)
            case .month1: out += String(month)
            case .monthShort: out += Self.monthsShort[month - 1]
            case .monthLong: out += Self.monthsLong[month - 1]
            case .day2: pad(&out, day, 2)
            case .day1: out += String(day)
            case .hour24two: pad(&out, hour, 2)
            case .hour24: out += String(hour)
            case .hour12two: pad(&out, hour % 12 == 0 ? 12 : hour % 12, 2)
            case .hour12: out += String(hour % 12 == 0 ? 12 : hour % 12)
            case .minute2: pad(&out, minute, 2)
            case .second2: pad(&out, second, 2)
            case .ampm: out += hour < 12 ? "AM" : "PM"
            case .weekdayShort: out += Self.weekdaysShort[weekday]
            case .weekdayLong: out += Self.weekdaysLong[weekday]
            case .offsetColon: appendOffset(&out, offset, colon: true)
            case .offsetPlain: appendOffset(&out, offset, colon: false)
            case .zoneAbbreviation: out += zone.abbreviation(for: date) ?? offsetName(offset)
            }
        }
        return out
    }

    private func offsetName(_ offset: Int) -> String {
        var s = "GMT"
        appendOffset(&s, offset, colon: true)
        return s
    }

    private func appendOffset(_ out: inout String, _ offset: Int, colon: Bool) {
        out += offset < 0 ? "-" : "+"
        let a = abs(offset)
        pad(&out, a / 3600, 2)
        if colon { out += ":" }
        pad(&out, a % 3600 / 60, 2)
    }

    private func pad(_ out: inout String, _ value: Int, _ width: Int) {
        let s = String(value)
        if s.count < width { out += String(repeating: "0", count: width - s.count) }
        out += s
    }
}

@inline(__always) func floorDiv(_ a: Int, _ b: Int) -> Int {
    a >= 0 ? a / b : -((-a + b - 1) / b)
}

/// Days since 1970-01-01 → proleptic Gregorian (year, month, day).
/// Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms", civil_from_days.
func civil(fromDays z0: Int) -> (Int, Int, Int) {
    let z = z0 + 719_468
    let era = floorDiv(z, 146_097)
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
}
