import Foundation
import Mustache
import PIMTemplates

/// The three ways of rendering the peer's /roles page that the benchmark compares.
public struct RolesRenderers: Sendable {
    public let page: RolesPage
    let mustache: MustacheLibrary
    let pim: TemplateSet
    let now = Date(timeIntervalSince1970: 1_795_608_000)

    public init() throws {
        page = RolesPage.peerBenchmarkPage()
        let resources = Bundle.module.resourceURL!
        var mustache = MustacheLibrary()
        for name in ["layout", "roles"] {
            let text = try String(contentsOf: resources.appendingPathComponent("Mustache/\(name).mustache"), encoding: .utf8)
            try mustache.register(text, named: name)
        }
        self.mustache = mustache
        pim = try TemplateLibrary(directory: resources.appendingPathComponent("Templates"), options: .init(mode: .strict)).templates()
    }

    /// swift-mustache as its docs show it: plain structs read through Mirror.
    public func mustacheMirror() -> String {
        mustache.render(page, withTemplate: "roles")!
    }

    /// swift-mustache tuned as the peer does: MustacheParent boxes built per request.
    public func mustacheParent() -> String {
        mustache.render(RolesPageBox(page), withTemplate: "roles")!
    }

    /// PIMTemplates, view models built per request, output as a String.
    public func pimString() throws -> String {
        try pim.render("roles", .object(RolesPageView(page: page)), now: now)
    }

    /// PIMTemplates, output as bytes (what the HTTP server writes).
    public func pimBytes() throws -> [UInt8] {
        try pim.renderBytes("roles", .object(RolesPageView(page: page)), now: now)
    }

    /// The HTML with all whitespace removed: the outputs must agree byte for byte apart from it.
    public static func withoutWhitespace(_ html: String) -> [UInt8] {
        html.utf8.filter { !($0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D) }
    }

    /// Throws unless all variants render the same page (apart from whitespace).
    public func checkEquivalent() throws {
        let reference = Self.withoutWhitespace(mustacheParent())
        guard Self.withoutWhitespace(mustacheMirror()) == reference,
              Self.withoutWhitespace(try pimString()) == reference,
              Self.withoutWhitespace(String(decoding: try pimBytes(), as: UTF8.self)) == reference
        else { throw Mismatch() }
    }

    struct Mismatch: Error, CustomStringConvertible {
        var description: String { "PIMTemplates and swift-mustache render different pages" }
    }
}
