import Foundation
@testable import PIMTemplates

/// Compiles `sources` and renders `name` in strict mode at a fixed `now`.
func render(
    _ sources: [String: String], _ name: String = "page", _ values: TemplateValue = [:],
    now: Date = fixedNow, mode: TemplateMode = .strict, logger: (@Sendable (String) -> Void)? = nil
) throws -> String {
    let set = try TemplateSet(sources: sources, options: .init(mode: mode, logger: logger))
    return try set.render(name, values, now: now)
}

/// Renders a single template called "page".
func render(_ page: String, _ values: TemplateValue = [:], now: Date = fixedNow, mode: TemplateMode = .strict) throws -> String {
    try render(["page": page], "page", values, now: now, mode: mode)
}

/// The compile error of a template set (nil when it compiles).
func compileError(_ sources: [String: String]) -> TemplateError? {
    do {
        _ = try TemplateSet(sources: sources)
        return nil
    } catch {
        return error
    }
}

func compileError(_ page: String) -> TemplateError? { compileError(["page": page]) }

/// 2026-11-25 12:00:00 UTC.
let fixedNow = Date(timeIntervalSince1970: 1_795_608_000)
