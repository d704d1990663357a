@testable import PIMAuth
import Testing

struct DemoModeTests {
    @Test(arguments: ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"])
    func loopbackAddressesAreAllowed(address: String) throws {
        try DemoMode.checkBindAddress(address)
    }

    @Test(arguments: ["0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "128.0.0.1", "example.org", "", "127.0.0.1 ", "::2"])
    func otherAddressesAreRefused(address: String) {
        #expect(throws: DemoMode.NonLoopbackAddress.self) { try DemoMode.checkBindAddress(address) }
    }
}
