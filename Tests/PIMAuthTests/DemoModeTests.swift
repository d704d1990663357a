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

struct DemoWrapperCheckTests {
    let complete = [
        "LD_PRELOAD": "/usr/lib/x86_64-linux-gnu/libpam_wrapper.so:/usr/lib/x86_64-linux-gnu/libnss_wrapper.so",
        "PAM_WRAPPER": "1", "PAM_WRAPPER_SERVICE_DIR": "/tmp/s",
        "NSS_WRAPPER_PASSWD": "/tmp/p", "NSS_WRAPPER_GROUP": "/tmp/g",
    ]

    @Test func completeWrapperEnvironmentPasses() throws {
        try DemoMode.checkWrappers(environment: complete)
    }

    @Test(arguments: ["LD_PRELOAD", "PAM_WRAPPER", "PAM_WRAPPER_SERVICE_DIR", "NSS_WRAPPER_PASSWD", "NSS_WRAPPER_GROUP"])
    func anyMissingPieceFails(key: String) {
        var environment = complete
        environment[key] = nil
        #expect(throws: DemoMode.WrappersMissing.self) { try DemoMode.checkWrappers(environment: environment) }
    }
}
