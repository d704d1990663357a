/// A template file's bytes with a line table, so any byte offset maps to line and column.
struct SourceText: Sendable {
    let file: String
    let bytes: [UInt8]
    private let lineStarts: [Int]

    init(file: String, bytes: [UInt8]) {
        self.file = file
        self.bytes = bytes
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        self.lineStarts = starts
    }

    func location(_ offset: Int) -> SourceLocation {
        // Binary search the last line start <= offset.
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        var column = 1
        var i = lineStarts[lo]
        let end = min(offset, bytes.count)
        while i < end {
            // Count scalars: skip UTF-8 continuation bytes.
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return SourceLocation(file: file, line: lo + 1, column: column)
    }

    func error(_ kind: TemplateError.Kind, _ offset: Int, _ message: String) -> TemplateError {
        TemplateError(kind, at: location(offset), message)
    }
}
