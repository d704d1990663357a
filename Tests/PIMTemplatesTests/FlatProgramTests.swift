import Foundation
import Testing
@testable import PIMTemplates

/// Templates render from one flat op array with jumps (`FlatProgram`): text around and between
/// branches and loops must land on the right side of every jump.
struct FlatProgramTests {
    @Test func textAfterABranchFollowsEveryArm() throws {
        let page = "a{% if x %}X{% elif y %}Y{% else %}Z{% end %}b{% if x %}{% end %}c"
        #expect(try render(page, ["x": true, "y": false]) == "aXbc")
        #expect(try render(page, ["x": false, "y": true]) == "aYbc")
        #expect(try render(page, ["x": false, "y": false]) == "aZbc")
    }

    @Test func textAfterALoopFollowsBothTheBodyAndEmpty() throws {
        let page = "[{% for r in rows %}({{ r }}){% empty %}none{% end %}]{% for r in rows %}{% end %}."
        #expect(try render(page, ["rows": [1, 2]]) == "[(1)(2)].")
        #expect(try render(page, ["rows": []]) == "[none].")
        #expect(try render(page, ["rows": nil]) == "[none].")
    }

    @Test func nestedLoopsAndBranchesKeepTheirOwnSlots() throws {
        let page = """
            {% for g in groups %}{{ g.name }}:{% for m in g.members %}{% if loop.first %}{% else %},{% end %}\
            {{ m }}{% if m == g.lead %}*{% end %}{% empty %}-{% end %}({{ loop.index }}/{{ loop.count }}) {% end %}
            """
        let html = try render(page, ["groups": [
            ["name": "a", "members": ["x", "y", "z"], "lead": "y"],
            ["name": "b", "members": [], "lead": "q"],
            ["name": "c", "members": ["w"], "lead": "w"],
        ]])
        #expect(html == "a:x,y*,z(1/3) b:-(2/3) c:w*(3/3) ")
    }

    @Test func aLoopInsideABranchArmJumpsPastTheOtherArms() throws {
        let page = "{% if a %}{% for i in l %}{{ i }}{% end %}{% elif b %}B{% else %}C{% end %}!"
        #expect(try render(page, ["a": true, "b": true, "l": [1, 2, 3]]) == "123!")
        #expect(try render(page, ["a": false, "b": true, "l": [1]]) == "B!")
    }

    /// The output starts in the result array's memory, sized by an estimate; bigger values move
    /// it to a growing buffer of its own.
    @Test func outputLargerThanTheEstimateIsComplete() throws {
        let big = String(repeating: "<a&b>", count: 50_000)
        let html = try render("[{{ s }}|{{ n }}|{{ t }}]", ["s": .string(big), "n": .int(-1234567), "t": .string(big + "x")])
        let escaped = String(repeating: "&lt;a&amp;b&gt;", count: 50_000)
        #expect(html == "[" + escaped + "|-1234567|" + escaped + "x]")
    }

    /// A loop slot keeps its current object unretained for key lookups: items of mixed kinds
    /// must each answer for themselves.
    @Test func loopItemsOfMixedKindsAnswerTheirOwnKeys() throws {
        final class Item: TemplateRenderable {
            let name: String
            init(_ name: String) { self.name = name }
            func templateValue(forKey key: String) -> TemplateValue? { key == "name" ? .string(name) : nil }
        }
        let page = "{% for i in items %}{{ i.name }}{% if i.name %}+{% end %}{% for j in i.kids %}({{ j.name }}){% end %};{% end %}"
        let html = try render(page, ["items": [
            .object(Item("a")), ["name": "b", "kids": [.object(Item("c")), ["name": "d"]]], .object(Item("e")), ["name": ""],
        ]], mode: .production)
        #expect(html == "a+;b+(c)(d);e+;;")
    }

    /// `{% if r.a and r.b %}` on a loop variable is a test of each member in turn: the second
    /// is looked at (and reported when unknown) only when the first is true, as `eval` does.
    @Test func memberConditionsStopAtTheFirstFalseOne() throws {
        let page = "{% for r in rows %}{% if r.on and r.nope %}y{% elif r.on %}on{% else %}off{% end %};{% end %}"
        #expect(try render(page, ["rows": [["on": false]]]) == "off;")
        #expect {
            try render("\n" + page, ["rows": [["on": false], ["on": true]]])
        } throws: { error in
            let e = error as? TemplateError
            return e?.location?.description == "page.html:2:35" && e?.message == "unknown variable 'r.nope'"
        }
        let sink = LogSink()
        let html = try render(["page": page], "page", ["rows": [["on": true], ["on": false], ["on": true]]], mode: .production, logger: sink.logger)
        #expect(html == "on;off;on;")
        #expect(sink.all == Array(repeating: "template warning: page.html:1:35: unknown variable 'r.nope'", count: 2))
    }
}
