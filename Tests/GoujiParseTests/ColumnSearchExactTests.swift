import GoujiModel
@testable import GoujiParse
import GoujiTestSupport
import Testing

/// The column search without a node count (up to `ColumnAssigner.exactColumns` columns, where the
/// budget cannot cut it short) and its shortcut for a row whose preferred columns break no sum give
/// exactly the reference search's assignment, ties (order and count), violations and truncation,
/// on rows generated here: varied widths and amount counts, overlapping and nested constraints,
/// mixed decimals and signs, amounts that make sums hold, preferred columns that are exact,
/// partial, too long, out of order or out of range (a fixed-seed generator: the same cases in
/// every run).
@Suite struct ColumnSearchExactTests {
    typealias Generator = SplitMix64

    /// Constraints as headers give them (totals over groups over columns), plus random ones that
    /// overlap, repeat members or reach past the last column (filtered by the assigner).
    static func constraints(_ n: Int, _ g: inout Generator) -> [(parent: Int, children: [Int])] {
        switch g.int(0...5) {
        case 0: return []
        case 1: return [(parent: 0, children: Array(1..<max(n, 1)))]
        case 2:
            guard n >= 5 else { return [(parent: 0, children: Array(1..<max(n, 1)))] }
            return [(parent: 0, children: [1, 2] + Array(5..<n)), (parent: 2, children: [3, 4])]
        case 3:
            // Pairs of column groups: 合计 = 基本 + 项目 repeated for each year printed.
            var out: [(parent: Int, children: [Int])] = []
            var c = 0
            while c + 2 < n { out.append((parent: c, children: [c + 1, c + 2])); c += 3 }
            return out
        default:
            var out: [(parent: Int, children: [Int])] = []
            for _ in 0..<g.int(1...4) {
                let parent = g.int(0...n)
                let children = (0..<g.int(0...4)).map { _ in g.int(0...n) }
                out.append((parent: parent, children: children))
            }
            return out
        }
    }

    /// Amounts for k columns: small values (so that sums and ties happen), some made to satisfy a
    /// constraint of the layout under some placement, with 0 to 3 decimals and a few negatives.
    static func amounts(_ k: Int, _ constraints: [(parent: Int, children: [Int])], _ g: inout Generator) -> [Amount] {
        var mantissas = (0..<k).map { _ in Int64(g.int(0...30)) - (g.int(0...9) == 0 ? 20 : 0) }
        var decimals = (0..<k).map { _ in g.int(0...9) < 6 ? 0 : g.int(1...3) }
        if k >= 2, g.int(0...1) == 0 {
            // Amount p is the sum of a few amounts after it, at their decimals.
            let p = g.int(0...(k - 2))
            let parts = (p + 1..<k).filter { _ in g.int(0...1) == 0 }
            let d = parts.map { decimals[$0] }.max() ?? 0
            var sum: Int64 = 0
            for q in parts {
                var m = mantissas[q]
                for _ in 0..<(d - decimals[q]) { m *= 10 }
                sum += m
            }
            mantissas[p] = sum
            decimals[p] = d
        }
        return (0..<k).map { Amount(mantissa: mantissas[$0], decimals: decimals[$0]) }
    }

    /// Preferred columns: none, an order-preserving placement (the shortcut's case), one with an
    /// entry off by one, too few or too many entries, or random columns (repeats, out of range).
    static func preferred(_ k: Int, _ n: Int, _ g: inout Generator) -> [Int]? {
        var placement = Array(0..<n)
        while placement.count > k { placement.remove(at: g.int(0...(placement.count - 1))) }
        switch g.int(0...6) {
        case 0: return nil
        case 1, 2: return placement
        case 3:
            if !placement.isEmpty { placement[g.int(0...(placement.count - 1))] += g.int(0...1) == 0 ? 1 : -1 }
            return placement
        case 4: return Array(placement.prefix(g.int(0...k)))
        case 5: return placement + [g.int(0...n)]
        default: return (0..<g.int(0...(k + 1))).map { _ in g.int(-1...(n + 1)) }
        }
    }

    static func expectSame(_ assigner: ColumnAssigner, _ amounts: [Amount], _ preferred: [Int]?) {
        let fast = assigner.assign(amounts, preferred: preferred)
        let slow = assigner.assign(amounts, preferred: preferred, reference: true)
        #expect(fast.assignment == slow.assignment, "\(amounts) \(String(describing: preferred))")
        #expect(fast.ties == slow.ties, "\(amounts) \(String(describing: preferred))")
        #expect(fast.violations == slow.violations)
        #expect(fast.truncated == slow.truncated)
    }

    @Test func exactSearchMatchesReference() {
        var g = Generator(seed: 2_026_1203)
        for _ in 0..<4000 {
            let n = g.int(1...10)
            let constraints = Self.constraints(n, &g)
            let assigner = ColumnAssigner(columnCount: n, constraints: constraints)
            let k = g.int(0...(n + 1))
            Self.expectSame(assigner, Self.amounts(k, constraints, &g), Self.preferred(k, n, &g))
        }
    }

    /// Wide rows up to the last width searched without a node count, and just past it (the
    /// budgeted search): many ties (past `maxTies`) where no constraint decides.
    @Test func exactSearchMatchesReferenceOnWideRows() {
        var g = Generator(seed: 16_17)
        for round in 0..<60 {
            let n = ColumnAssigner.exactColumns - 3 + round % 5
            let constraints = Self.constraints(n, &g)
            let assigner = ColumnAssigner(columnCount: n, constraints: constraints)
            let k = g.int(1...5)
            Self.expectSame(assigner, Self.amounts(k, constraints, &g), Self.preferred(k, n, &g))
        }
    }

    /// The shortcut: preferred columns that place every amount and break no sum are the only best
    /// leaf; the same columns breaking a sum, or not in order, go to the search.
    @Test func preferredPlacementShortcut() {
        let a = ColumnAssigner(columnCount: 4, constraints: [(parent: 0, children: [1, 2])])
        let fits = [Amount(mantissa: 5, decimals: 0), Amount(mantissa: 2, decimals: 0), Amount(mantissa: 3, decimals: 0)]
        let shortcut = a.assign(fits, preferred: [0, 1, 2])
        #expect(shortcut.assignment == [0, 1, 2] && shortcut.ties.isEmpty && shortcut.violations == 0)
        Self.expectSame(a, fits, [0, 1, 2])
        Self.expectSame(a, fits, [0, 1, 3])
        Self.expectSame(a, fits, [1, 0, 2])
        Self.expectSame(a, fits, [0, 1, 2, 3])
        Self.expectSame(a, [Amount(mantissa: 5, decimals: 0), Amount(mantissa: 2, decimals: 0), Amount(mantissa: 4, decimals: 0)], [0, 1, 2])
        Self.expectSame(a, [Amount(mantissa: 50, decimals: 1), Amount(mantissa: 204, decimals: 2), Amount(mantissa: 3, decimals: 0)], [0, 1, 2])
        Self.expectSame(a, [], [])
        Self.expectSame(a, [Amount(mantissa: 1, decimals: 0)], [])
    }
}
