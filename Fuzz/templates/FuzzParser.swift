// libFuzzer entry point for the PIMTemplates parser, linker and renderer. Built by run.sh
// together with the module's sources (one module, so internal API is reachable).
//
// Input layout: up to four templates separated by NUL bytes, named page, layout, p, q, so the
// fuzzer can reach includes, layouts and blocks. Every template that compiles is rendered in
// production mode with a fixed value tree; errors are expected, crashes are bugs.
import Foundation

let fuzzValues: TemplateValue = [
    "x": "<script>alert(1)</script>", "n": 3, "b": true, "d": .date(Date(timeIntervalSince1970: 1_700_000_000)),
    "xs": ["a", "b&c", 1, nil], "u": "javascript:alert(1)", "tz": "Europe/Berlin",
    "user": ["name": "Zoë \"<>\"", "roles": [["name": "r1"], ["name": "r2"]]],
    "t": .trusted(TrustedHTML(unchecked: "<svg/>")),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTemplates(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let parts = bytes.split(separator: 0, maxSplits: 3, omittingEmptySubsequences: false)
    let names = ["page", "layout", "p", "q"]
    var sources: [String: [UInt8]] = [:]
    for (name, part) in zip(names, parts) { sources[name] = Array(part) }
    guard let set = try? TemplateSet(bytes: sources, options: .init(mode: .production)) else { return 0 }
    for template in set.templates.values {
        let out = try? template.renderBytes(fuzzValues, now: Date(timeIntervalSince1970: 1_700_000_100), mode: .production)
        // Valid UTF-8 in, valid UTF-8 out.
        if let out, String(validating: out, as: UTF8.self) == nil, sources.values.allSatisfy({ String(validating: $0, as: UTF8.self) != nil }) {
            fatalError("renderer produced invalid UTF-8 from valid templates")
        }
    }
    return 0
}
