import Foundation
import Testing
@testable import PIMTemplates

/// Any string rendered in text or attribute context decodes back to exactly itself.
struct PropertyTests {
    static let contexts: [(String, String)] = [("<p>", "</p>"), ("<p title=\"", "\"></p>"), ("<p title='", "'></p>")]

    @Test func randomStringsRoundTripThroughTheStrictDecoder() throws {
        var rng = SplitMix64(state: 0xC0FFEE)
        let sets = try Self.contexts.map { try TemplateSet(sources: ["page": "\($0.0){{ s }}\($0.1)"]) }
        for _ in 0..<5_000 {
            let s = hostileString(&rng)
            for (set, (prefix, suffix)) in zip(sets, Self.contexts) {
                let html = try set.render("page", ["s": .string(s)], now: fixedNow)
                let inner = between(html, prefix, suffix)
                #expect(try StrictDecoder.decode(inner) == s, "\(s.debugDescription)")
            }
        }
    }

    /// The same property judged by an independent HTML parser (CPython's html.parser), over one
    /// document holding many samples. Skipped when no python3 is installed.
    @Test(.enabled(if: PropertyTests.python3 != nil))
    func randomStringsRoundTripThroughPythonsHTMLParser() throws {
        var rng = SplitMix64(state: 0xBADC0DE)
        var samples: [String] = []
        while samples.count < 2_000 {
            // html.parser reports "\r" as-is but browsers normalise newlines; keep the check about escaping.
            let s = hostileString(&rng)
            if !s.unicodeScalars.contains("\r") && !s.unicodeScalars.contains("\0") { samples.append(s) }
        }
        let page = "{% for s in samples %}<p title=\"{{ s }}\" data-q='{{ s }}'>{{ s }}</p>\n{% end %}"
        let html = try render(page, ["samples": .list(samples.map(TemplateValue.string))])
        let script = """
            import sys, json
            from html.parser import HTMLParser
            class P(HTMLParser):
                def __init__(self):
                    super().__init__(convert_charrefs=True); self.out = []; self.cur = None
                def handle_starttag(self, tag, attrs):
                    if tag == 'p': self.cur = {'title': dict(attrs)['title'], 'q': dict(attrs)['data-q'], 'text': ''}
                def handle_data(self, data):
                    if self.cur is not None: self.cur['text'] += data
                def handle_endtag(self, tag):
                    if tag == 'p': self.out.append(self.cur); self.cur = None
            p = P(); p.feed(sys.stdin.buffer.read().decode('utf-8')); p.close()
            sys.stdout.buffer.write(json.dumps(p.out).encode('utf-8'))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PropertyTests.python3!)
        process.arguments = ["-c", script]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(html.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let parsed = try JSONDecoder().decode([[String: String]].self, from: data)
        #expect(parsed.count == samples.count)
        for (sample, p) in zip(samples, parsed) {
            #expect(p["title"] == sample, "\(sample.debugDescription)")
            #expect(p["q"] == sample, "\(sample.debugDescription)")
            #expect(p["text"] == sample, "\(sample.debugDescription)")
        }
    }

    static let python3: String? = ["/usr/bin/python3", "/usr/local/bin/python3"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    @Test func urlCheckNeverFlagsRandomSchemelessValues() throws {
        var rng = SplitMix64(state: 42)
        for _ in 0..<2_000 {
            let s = "/" + hostileString(&rng)
            #expect(!URLSafety.isDangerous(s), "\(s.debugDescription)")
        }
    }
}
