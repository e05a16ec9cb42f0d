import Foundation
import Testing
import GoujiModel
@testable import GoujiReconcile

@Suite struct SeedFindingsTests {
    @Test func dumpFindings() throws {
        for name in try Shared.goldNames() {
            let doc = try Shared.augmented(name)
            let fs = Reconciler(language: .en).findings(for: doc)
            print("=== \(name)")
            for f in fs { print("  \(f.severity.rawValue) \(f.rule): \(f.message) | exp \(f.expected) found \(f.found)") }
        }
    }
}
