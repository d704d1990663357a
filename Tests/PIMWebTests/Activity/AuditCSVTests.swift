import Foundation
import PIMCore
import Testing
@testable import PIMWeb

/// What the CSV downloads promise (RFC 4180, formula cells neutralised), checked on the encoder
/// they use.
struct AuditCSVTests {
    /// One record as the CSV downloads write it (PIMCore's encoder).
    private func record(_ fields: [String]) -> String { AuditCSV.line(fields) }

    @Test func plainFieldsAreJoinedWithCommasAndEndWithCRLF() {
        #expect(record(["a", "b c", "", ""]) == "a,b c,,\r\n")
    }

    @Test func commasQuotesAndLineBreaksAreQuotedWithInnerQuotesDoubled() {
        #expect(record(["x,y"]) == "\"x,y\"\r\n")
        #expect(record(["say \"hi\""]) == "\"say \"\"hi\"\"\"\r\n")
        #expect(record(["two\nlines", "cr\rhere", "both\r\n"]) == "\"two\nlines\",\"cr\rhere\",\"both\r\n\"\r\n")
    }

    @Test func formulaTriggersAreNeutralisedWithAnApostrophe() {
        for trigger in ["=", "+", "-", "@", "\t", "\r"] {
            #expect(record([trigger + "SUM(A1)"]).contains("'" + trigger + "SUM(A1)"))
        }
        #expect(record(["=HYPERLINK(\"http://x\",\"y\")"]) == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\r\n")
        #expect(record(["@cmd", "-1+1", "a=b"]) == "'@cmd,'-1+1,a=b\r\n")
    }

    @Test func nonASCIITextStaysUTF8() {
        #expect(record(["Zoë „quoted“ 東京"]) == "Zoë „quoted“ 東京\r\n")
    }
}
