import Foundation
import HTTPTypes
import Testing
@testable import PIMWeb

/// Static files over real sockets: types, validators, 304s, fingerprints and escapes.
struct StaticFilesTests {
    /// A scratch tree: public/{app.css, sub/notes.txt, app.0123abcd.js, .hidden, inside-link.css,
    /// outside-link.txt -> ../secret.txt} and secret.txt beside public/.
    final class Tree {
        let root: String
        let publicDirectory: String

        init() throws {
            root = NSTemporaryDirectory() + "pim-static-\(UUID().uuidString)"
            publicDirectory = root + "/public"
            let files = FileManager.default
            try files.createDirectory(atPath: publicDirectory + "/sub", withIntermediateDirectories: true)
            try Data("body { color: red }\n".utf8).write(to: URL(fileURLWithPath: publicDirectory + "/app.css"))
            try Data("notes".utf8).write(to: URL(fileURLWithPath: publicDirectory + "/sub/notes.txt"))
            try Data("let x = 1".utf8).write(to: URL(fileURLWithPath: publicDirectory + "/app.0123abcd.js"))
            try Data("hidden".utf8).write(to: URL(fileURLWithPath: publicDirectory + "/.hidden"))
            try Data("TOP-SECRET".utf8).write(to: URL(fileURLWithPath: root + "/secret.txt"))
            try files.createSymbolicLink(atPath: publicDirectory + "/outside-link.txt", withDestinationPath: root + "/secret.txt")
            try files.createSymbolicLink(atPath: publicDirectory + "/inside-link.css", withDestinationPath: publicDirectory + "/app.css")
        }

        deinit { try? FileManager.default.removeItem(atPath: root) }
    }

    static func server(_ tree: Tree) throws -> (HTTPServer, StaticFiles) {
        let files = try StaticFiles(directory: tree.publicDirectory)
        var routes = RouterBuilder()
        files.register(in: &routes)
        let server = try TestServer.start(responder: routes.build(logger: LogRecorder().logger()))
        return (server, files)
    }

    static func get(_ port: Int, _ target: String, headers: String = "", method: String = "GET") async throws -> TestClient.Response {
        try await TestServer.clients.run {
            let client = try TestClient(port: port)
            try client.send("\(method) \(target) HTTP/1.1\r\nHost: a\r\n\(headers)\r\n")
            return try client.readResponse(head: method == "HEAD")
        }
    }

    @Test func fileIsServedWithTypeValidatorsAndRevalidation() async throws {
        let tree = try Tree()
        let (server, _) = try Self.server(tree)
        let response = try await Self.get(server.port, "/static/app.css")
        #expect(response.status == 200 && response.text == "body { color: red }\n")
        #expect(response.header("Content-Type") == "text/css; charset=utf-8")
        #expect(response.header("ETag")?.hasPrefix("\"") == true)
        #expect(response.header("Last-Modified")?.hasSuffix("GMT") == true)
        #expect(response.header("Cache-Control") == "no-cache")
        let nested = try await Self.get(server.port, "/static/sub/notes.txt")
        #expect(nested.text == "notes" && nested.header("Content-Type") == "text/plain; charset=utf-8")
        await server.shutdown()
    }

    @Test func matchingETagOrDateAnswers304WithoutBody() async throws {
        let tree = try Tree()
        let (server, _) = try Self.server(tree)
        let first = try await Self.get(server.port, "/static/app.css")
        let etag = try #require(first.header("ETag"))
        let lastModified = try #require(first.header("Last-Modified"))
        let byTag = try await Self.get(server.port, "/static/app.css", headers: "If-None-Match: \"other\", W/\(etag)\r\n")
        #expect(byTag.status == 304 && byTag.body.isEmpty && byTag.header("ETag") == etag)
        let byDate = try await Self.get(server.port, "/static/app.css", headers: "If-Modified-Since: \(lastModified)\r\n")
        #expect(byDate.status == 304)
        let stale = try await Self.get(server.port, "/static/app.css", headers: "If-None-Match: \"other\"\r\nIf-Modified-Since: \(lastModified)\r\n")
        #expect(stale.status == 200)
        let old = try await Self.get(server.port, "/static/app.css", headers: "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n")
        #expect(old.status == 200)
        await server.shutdown()
    }

    @Test func fingerprintedURLIsServedWithLongLifetime() async throws {
        let tree = try Tree()
        let (server, files) = try Self.server(tree)
        let url = try #require(files.url(for: "app.css"))
        #expect(url.wholeMatch(of: /\/static\/app\.[0-9a-f]{8}\.css/) != nil)
        let response = try await Self.get(server.port, url)
        #expect(response.status == 200 && response.text == "body { color: red }\n")
        #expect(response.header("Cache-Control") == "public, max-age=31536000, immutable")
        // A name that is already fingerprinted keeps its name and gets the long lifetime.
        #expect(files.url(for: "app.0123abcd.js") == "/static/app.0123abcd.js")
        let prebuilt = try await Self.get(server.port, "/static/app.0123abcd.js")
        #expect(prebuilt.header("Cache-Control") == "public, max-age=31536000, immutable")
        #expect(prebuilt.header("Content-Type") == "text/javascript; charset=utf-8")
        #expect(try await Self.get(server.port, "/static/app.deadbeef.css").status == 404)
        await server.shutdown()
    }

    @Test func headGivesLengthWithoutBody() async throws {
        let tree = try Tree()
        let (server, _) = try Self.server(tree)
        let response = try await Self.get(server.port, "/static/app.css", method: "HEAD")
        #expect(response.status == 200 && response.header("Content-Length") == "20" && response.body.isEmpty)
        await server.shutdown()
    }

    @Test func symlinkInsideTheFolderIsServed() async throws {
        let tree = try Tree()
        let (server, _) = try Self.server(tree)
        #expect(try await Self.get(server.port, "/static/inside-link.css").status == 200)
        await server.shutdown()
    }

    static let escapes = [
        "/static/../secret.txt",
        "/static/%2e%2e/secret.txt",
        "/static/%2E%2E%2Fsecret.txt",
        "/static/sub/..%2f..%2fsecret.txt",
        "/static/%252e%252e/secret.txt",
        "/static/%252e%252e%252fsecret.txt",
        "/static/..%5csecret.txt",
        "/static/sub\\..\\..\\secret.txt",
        "/static/%5c..%5csecret.txt",
        "/static/secret.txt%00.css",
        "/static/app.css%00",
        "/static/outside-link.txt",
        "/static/.hidden",
        "/static/%2ehidden",
        "/static//etc/passwd",
        "/static/%2fetc%2fpasswd",
        "/static/./app.css",
        "/static/",
    ]

    @Test(arguments: escapes)
    func pathsLeavingTheFolderAreNotFound(_ target: String) async throws {
        let tree = try Tree()
        let (server, _) = try Self.server(tree)
        let response = try await Self.get(server.port, target)
        #expect(response.status == 404 || response.status == 400)
        #expect(!response.text.contains("TOP-SECRET") && !response.text.contains("root:"))
        await server.shutdown()
    }

    @Test func sanitizerAcceptsPlainPathsOnly() {
        #expect(StaticFiles.sanitize("css/app.css") == "css/app.css")
        #expect(StaticFiles.sanitize("my%20file.txt") == "my file.txt")
        #expect(StaticFiles.sanitize("a/../b") == nil)
        #expect(StaticFiles.sanitize("%2e%2e") == nil)
        #expect(StaticFiles.sanitize("%252e") == nil)
        #expect(StaticFiles.sanitize("a%5cb") == nil)
    }
}
