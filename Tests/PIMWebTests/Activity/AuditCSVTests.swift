import Foundation
import Testing
@testable import PIMWeb

struct AuditCSVTests {
    private func record(_ fields: [String?]) -> String {
        var buffer: [UInt8] = []
        AuditCSV.appendRecord(fields, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    @Test func plainFieldsAreJoinedWithCommasAndEndWithCRLF() {
        #expect(record(["a", "b c", nil, ""]) == "a,b c,,\r\n")
    }

    @Test func commasQuotesAndLineBreaksAreQuotedWithInnerQuotesDoubled() {
        #expect(record(["x,y"]) == "\"x,y\"\r\n")
        #expect(record(["say \"hi\""]) == "\"say \"\"hi\"\"\"\r\n")
        #expect(record(["two\nlines", "cr\rhere", "both\r\n"]) == "\"two\nlines\",\"cr\rhere\",\"both\r\n\"\r\n")
    }

    @Test func formulaTriggersAreNeutralisedWithAnApostrophe() {
        for trigger in ["=", "+", "-", "@", "\t", "\r"] {
            #expect(AuditCSV.neutralised(trigger + "SUM(A1)").hasPrefix("'" + trigger))
        }
        #expect(record(["=HYPERLINK(\"http://x\",\"y\")"]) == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\r\n")
        #expect(record(["@cmd", "-1+1", "a=b"]) == "'@cmd,'-1+1,a=b\r\n")
    }

    @Test func nonASCIITextStaysUTF8() {
        #expect(record(["Zoë „quoted“ 東京"]) == "Zoë „quoted“ 東京\r\n")
    }
}
