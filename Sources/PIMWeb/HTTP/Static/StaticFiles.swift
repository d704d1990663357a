import Crypto
import Foundation
import HTTPTypes

/// The files of a public folder, read once at start-up and served from memory under a URL
/// prefix (default `/static/`), with ETag, Last-Modified, 304s and cache lifetimes.
///
/// Only files found under the folder at start-up can ever be served: a request is answered by a
/// dictionary lookup, never by opening a path built from the URL, and symlinks are followed only
/// when they resolve inside the folder. Each file is also served under a fingerprinted name
/// (`app.css` → `app.3f2a9c1b.css`, from its SHA-256) with a one-year immutable lifetime; pages
/// link to it through ``url(for:)`` so a changed file gets a new URL.
public struct StaticFiles: Sendable {
    struct Asset: Sendable {
        let body: [UInt8]
        let fields: HTTPFields
        let etag: String
        let modified: Int
    }

    public struct LoadError: Error, CustomStringConvertible {
        public let description: String
    }

    let assets: [String: Asset]
    let fingerprinted: [String: String]
    public let urlPrefix: String

    static let immutable = "public, max-age=31536000, immutable"
    static let revalidate = "no-cache"

    /// Loads every regular file under `directory` (dot-files skipped; files over `maxFileBytes`
    /// refused so a stray dump cannot eat the memory).
    public init(directory: String, urlPrefix: String = "/static/", maxFileBytes: Int = 16 * 1024 * 1024) throws {
        precondition(urlPrefix.hasPrefix("/") && urlPrefix.hasSuffix("/"), "prefix must be /…/")
        self.urlPrefix = urlPrefix
        guard let root = Self.realPath(directory) else {
            throw LoadError(description: "public folder \(directory) does not exist")
        }
        var assets: [String: Asset] = [:]
        var fingerprinted: [String: String] = [:]
        for relative in try Self.files(under: root) {
            let full = root + "/" + relative
            let attributes = try FileManager.default.attributesOfItem(atPath: full)
            let size = (attributes[.size] as? Int) ?? 0
            guard size <= maxFileBytes else { throw LoadError(description: "\(relative) is larger than \(maxFileBytes) bytes") }
            guard let data = FileManager.default.contents(atPath: full) else {
                throw LoadError(description: "cannot read \(relative)")
            }
            let body = [UInt8](data)
            let modified = Int(((attributes[.modificationDate] as? Date) ?? Date(timeIntervalSince1970: 0)).timeIntervalSince1970)
            let digest = SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
            let etag = "\"\(digest.prefix(16))\""
            let isFingerprinted = Self.looksFingerprinted(relative)
            func asset(cacheControl: String) -> Asset {
                var fields = HTTPFields()
                fields[.contentType] = MediaType.forPath(relative)
                fields[.eTag] = etag
                fields[.lastModified] = HTTPDateCache.format(modified)
                fields[.cacheControl] = cacheControl
                return Asset(body: body, fields: fields, etag: etag, modified: modified)
            }
            assets[relative] = asset(cacheControl: isFingerprinted ? Self.immutable : Self.revalidate)
            if !isFingerprinted {
                let name = Self.fingerprintedName(relative, digest: String(digest.prefix(8)))
                assets[name] = asset(cacheControl: Self.immutable)
                fingerprinted[relative] = name
            } else {
                fingerprinted[relative] = relative
            }
        }
        self.assets = assets
        self.fingerprinted = fingerprinted
    }

    /// The URL to put in pages for a file of the folder, e.g. `url(for: "app.css")` →
    /// `/static/app.3f2a9c1b.css`; nil when there is no such file.
    public func url(for logicalName: String) -> String? {
        fingerprinted[logicalName].map { urlPrefix + $0 }
    }

    /// Adds `GET <prefix>*path` (HEAD comes with it) to `router`.
    public func register(in router: inout RouterBuilder) {
        let files = self
        router.get(urlPrefix + "*path") { request in files.respond(to: request) }
    }

    /// Answers a request whose `path` parameter is the part after the prefix, still encoded.
    public func respond(to request: WebRequest) -> WebResponse {
        guard let relative = Self.sanitize(request.parameters["path"] ?? ""), let asset = assets[relative] else {
            return ErrorPage.response(.notFound, requestID: request.id)
        }
        if Self.isNotModified(asset, request.head.headerFields) {
            var fields = asset.fields
            fields[.contentType] = nil
            return WebResponse(status: .notModified, headerFields: fields)
        }
        return WebResponse(status: .ok, headerFields: asset.fields, body: .bytes(asset.body))
    }
}
