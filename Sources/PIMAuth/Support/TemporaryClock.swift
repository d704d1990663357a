public import Foundation
// Stand-in for PIMCore's PIMClock until the `core` branch is merged; removed at that merge.
public protocol PIMClock: Sendable { func now() -> Date }
