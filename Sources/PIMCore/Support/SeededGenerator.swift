/// A small deterministic random generator (SplitMix64), so seeded data and property tests are
/// reproducible from their seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in 0..<n.
    public mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// A value in `range`.
    public mutating func int(_ range: Range<Int>) -> Int { range.lowerBound + int(range.count) }

    public mutating func pick<T>(_ items: [T]) -> T { items[int(items.count)] }
}
