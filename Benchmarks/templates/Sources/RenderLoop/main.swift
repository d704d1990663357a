import Foundation
import RolesFixture

// `RenderLoop VARIANT N`: renders N times, for instruction counts under callgrind
// (Ir per render = (Ir(N2) - Ir(N1)) / (N2 - N1)). `RenderLoop dump DIR` writes the pages.
let arguments = CommandLine.arguments
let variant = arguments.count > 1 ? arguments[1] : "my-roles"
let n = arguments.count > 2 ? Int(arguments[2]) ?? 1 : 1
var checksum = 0
switch variant {
case "my-roles":
    let fixture = try MyRolesFixture()
    for _ in 0..<n { checksum &+= try fixture.render().count }
case "roles":
    let renderers = try RolesRenderers()
    for _ in 0..<n { checksum &+= try renderers.pimBytes().count }
case "dump":
    let dir = URL(fileURLWithPath: arguments.count > 2 ? arguments[2] : ".")
    let plain = try MyRolesFixture()
    let mixed = try MyRolesFixture(rows: 12, mixed: true)
    let ended = try MyRolesFixture(rows: 12, mixed: true, permanent: false)
    for tab in ["eligible", "active", "expired"] {
        if tab != "expired" { try Data(try plain.render(tab: tab)).write(to: dir.appendingPathComponent("my-roles-\(tab).html")) }
        try Data(try (tab == "expired" ? ended : mixed).render(tab: tab)).write(to: dir.appendingPathComponent("my-roles-mixed-\(tab).html"))
    }
    try Data(try RolesRenderers().pimBytes()).write(to: dir.appendingPathComponent("roles.html"))
default:
    fatalError("unknown variant \(variant)")
}
print(checksum)
