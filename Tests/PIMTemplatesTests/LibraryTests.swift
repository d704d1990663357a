import Foundation
import Testing
@testable import PIMTemplates

/// Loading a real directory, errors naming the file, and development reload.
struct LibraryTests {
    func makeDirectory(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pimtpl-\(UUID().uuidString)")
        for (path, text) in files { try write(text, to: dir.appendingPathComponent(path)) }
        return dir
    }

    func write(_ text: String, to url: URL, mtime: Date? = nil) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        if let mtime { try FileManager.default.setAttributes([.modificationDate: mtime], ofItemAtPath: url.path) }
    }

    @Test func loadsNestedDirectoriesByRelativeName() throws {
        let dir = try makeDirectory([
            "layout.html": "<main>{% block content %}{% end %}</main>",
            "pages/roles.html": "{% extends \"layout\" %}{% block content %}{% include \"partials/row\" %}{% end %}",
            "partials/row.html": "<p>{{ name }}</p>",
            "notes.txt": "{{ not a template",
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let library = try TemplateLibrary(directory: dir)
        #expect(try library.render("pages/roles", ["name": "<b>"], now: fixedNow) == "<main><p>&lt;b&gt;</p></main>")
        #expect(try library.templates().templates.keys.sorted() == ["layout", "pages/roles", "partials/row"])
    }

    @Test func aBrokenFileStopsStartUpWithItsPath() throws {
        let dir = try makeDirectory(["ok.html": "fine", "partials/bad.html": "<p>\n<a title={{ x }}>"])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect {
            try TemplateLibrary(directory: dir)
        } throws: { error in
            (error as? TemplateError)?.description.hasPrefix("partials/bad.html:2:13: unquoted attribute value") == true
        }
    }

    @Test func aMissingDirectoryIsAnError() {
        #expect(throws: TemplateError.self) { try TemplateLibrary(directory: URL(fileURLWithPath: "/nonexistent/templates")) }
    }

    @Test func developmentReloadPicksUpChangedAddedAndBrokenFiles() throws {
        let dir = try makeDirectory(["page.html": "v1"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let library = try TemplateLibrary(directory: dir, options: .init(reloadOnChange: true))
        #expect(try library.render("page", [:], now: fixedNow) == "v1")

        try write("v2 {% include \"part\" %}", to: dir.appendingPathComponent("page.html"), mtime: Date(timeIntervalSinceNow: 10))
        try write("p", to: dir.appendingPathComponent("part.html"))
        #expect(try library.render("page", [:], now: fixedNow) == "v2 p")

        // A broken edit is reported by render; the last good set stays loaded.
        try write("{% if %}", to: dir.appendingPathComponent("page.html"), mtime: Date(timeIntervalSinceNow: 20))
        #expect(throws: TemplateError.self) { try library.render("page", [:], now: fixedNow) }
        #expect(try library.current.render("page", [:], now: fixedNow) == "v2 p")

        try write("v3", to: dir.appendingPathComponent("page.html"), mtime: Date(timeIntervalSinceNow: 30))
        #expect(try library.render("page", [:], now: fixedNow) == "v3")
    }

    @Test func withoutReloadChangesAreIgnored() throws {
        let dir = try makeDirectory(["page.html": "v1"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let library = try TemplateLibrary(directory: dir)
        try write("v2", to: dir.appendingPathComponent("page.html"), mtime: Date(timeIntervalSinceNow: 10))
        #expect(try library.render("page", [:], now: fixedNow) == "v1")
        #expect(try library.reloadIfChanged())
        #expect(try library.render("page", [:], now: fixedNow) == "v2")
        #expect(try library.reloadIfChanged() == false)
    }
}
