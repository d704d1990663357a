/// A render's output: bytes appended straight into the result array's storage.
///
/// `Array.append(contentsOf:)` cost some seventy instructions an append (uniqueness and capacity
/// bookkeeping) before copying, and a page makes some five hundred appends. The renderer writes
/// into the memory of an array made with `init(unsafeUninitializedCapacity:)` instead; a page
/// larger than the program's size estimate moves to a buffer of its own, copied out at the end.
///
/// Copyable for the renderer's sake, but owned by one render: `discard()` it exactly once, and
/// never use a copy.
struct OutputBuffer {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int
    /// False while writing into the result array's memory (which the array frees).
    private(set) var ownsMemory = false

    /// Writes into `memory`, which must stay valid until `discard()`.
    init(into memory: UnsafeMutableBufferPointer<UInt8>) {
        if let start = memory.baseAddress, memory.count > 0 {
            base = start
            capacity = memory.count
        } else {
            capacity = 256
            base = .allocate(capacity: capacity)
            ownsMemory = true
        }
    }

    @inline(__always)
    mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        let n = bytes.count
        if n > capacity - count { grow(n) }
        (base + count).initialize(from: source, count: n)
        count += n
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(1) }
        (base + count).initialize(to: byte)
        count += 1
    }

    /// Lets `body` write up to `limit` bytes at the end; it returns how many it initialized.
    @inline(__always)
    mutating func write(atMost limit: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        if limit > capacity - count { grow(limit) }
        count += body(base + count)
    }

    @inline(never)
    private mutating func grow(_ needed: Int) {
        let newCapacity = max(capacity * 2, count + needed)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.moveInitialize(from: base, count: count)
        if ownsMemory { base.deallocate() }
        base = newBase
        capacity = newCapacity
        ownsMemory = true
    }

    /// The bytes so far, as a new array.
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    mutating func discard() {
        if ownsMemory { base.deallocate() }
        count = 0
        capacity = 0
        ownsMemory = false
    }
}
