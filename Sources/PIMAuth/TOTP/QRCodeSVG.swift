import CQRencode
import Foundation

/// Renders text as an inline SVG QR code with libqrencode (QRcode_encodeString(3)): one `path`,
/// a `viewBox` in module units with a 4-module quiet zone (ISO/IEC 18004 §6.3.8), crisp edges.
enum QRCodeSVG {
    static let quietZone = 4

    struct EncodingFailed: Error {}

    static func render(_ text: String, title: String = "QR code") throws -> String {
        // Level M (15 % recovery) is what authenticator apps scan comfortably; 8-bit mode keeps
        // the URI byte-exact; version 0 lets the library pick the smallest symbol.
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else {
            throw EncodingFailed()
        }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        let modules = UnsafeBufferPointer(start: code.pointee.data, count: width * width)
        var path = ""
        for row in 0..<width {
            var column = 0
            while column < width {
                // Bit 0 of each byte is the module colour (1 = dark), per qrencode.h.
                guard modules[row * width + column] & 1 == 1 else { column += 1; continue }
                let start = column
                while column < width, modules[row * width + column] & 1 == 1 { column += 1 }
                path += "M\(start + quietZone) \(row + quietZone)h\(column - start)v1h-\(column - start)z"
            }
        }
        let size = width + 2 * quietZone
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(size) \(size)" \
            shape-rendering="crispEdges" role="img" aria-label="\(escape(title))">\
            <rect width="\(size)" height="\(size)" fill="#fff"/>\
            <path fill="#000" d="\(path)"/></svg>
            """
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
