import Benchmark
import RolesFixture

/// Built once per benchmark process; refuses to run when the variants' pages differ.
let renderers: RolesRenderers = {
    let r = try! RolesRenderers()
    try! r.checkEquivalent()
    return r
}()

// GET /roles of the peer: layout + 25-row table, same data, same HTML (checked above).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .throughput, .mallocCountTotal, .memoryLeaked],
        maxDuration: .seconds(4),
        maxIterations: 1_000_000
    )

    Benchmark("swift-mustache (Mirror)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(renderers.mustacheMirror()) }
    }

    Benchmark("swift-mustache (MustacheParent)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(renderers.mustacheParent()) }
    }

    Benchmark("PIMTemplates (String)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try renderers.pimString()) }
    }

    Benchmark("PIMTemplates ([UInt8])") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try renderers.pimBytes()) }
    }
}
