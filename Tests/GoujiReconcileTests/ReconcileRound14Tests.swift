import Foundation
import Testing
import GoujiModel
@testable import GoujiReconcile
import GoujiTestSupport

/// The shortcuts of round 14 must answer exactly as the code they replaced: `CrossRules.projectKey`
/// (a key of another byte length is no project key) as the two String comparisons it stands for.
@Suite struct ReconcileRound14Tests {
    /// What X-PROJ asked of a fact's key before: two String comparisons.
    static func referenceProjectKey(_ key: String) -> Int {
        key == "projects.total" ? 1 : key == "projects.count" ? 2 : 0
    }

    /// Keys made of pieces of the project keys, other fact keys, and characters that compose,
    /// decompose or have another spelling (é and e + U+0301, K and the Kelvin sign).
    static func randomKey(_ g: inout SplitMix64) -> String {
        let pieces = ["projects", ".", "total", "count", "project", "s.", "tota", "l", "coun", "t", "income", "expenditure",
                      "econ.", "301", "é", "e\u{301}", "\u{212A}", "K", "\u{0301}", " ", "项目", "。", "𠀀"]
        var s = ""
        for _ in 0..<g.int(0...5) { s += pieces[g.int(0...(pieces.count - 1))] }
        return s
    }

    @Test func projectKeyAgreesWithStringComparison() throws {
        var keys = ["", "projects.total", "projects.count", "projects.totaL", "projects.tota", "projects.totals",
                    "projects.count\u{301}", "projects.totale\u{301}", "projects_total", "Projects.total", "projects.tot\u{0101}l"]
        for name in try Shared.goldNames() { keys += try Shared.gold(name).facts.map(\.key) }
        var g = SplitMix64(seed: 1401)
        for _ in 0..<20_000 { keys.append(Self.randomKey(&g)) }
        for key in keys {
            #expect(CrossRules.projectKey(key) == Self.referenceProjectKey(key), "\(key.debugDescription)")
        }
    }
}
