import GoujiModel
@testable import GoujiParse
import GoujiTestSupport
import Testing

/// `CrossRowResolver.enumeratePruned` (the children's combinations searched in odometer order,
/// subtrees that cannot change the result skipped) gives `enumerate`'s least count and first
/// combinations, on random children: few and many options, ties everywhere or one fit, values
/// that make the parent's sums hold, negatives, tolerances, and values too large for it (the
/// split runs). A fixed-seed generator: the same cases in every run.
@Suite struct PrunedEnumerationTests {
    typealias Generator = SplitMix64

    @Test func prunedEnumerationMatchesOdometer() {
        var g = Generator(seed: 1203)
        for round in 0..<1500 {
            let cols = g.int(0...6)
            let levels = g.int(1...12)
            var counts: [Int] = []
            var base: [Int] = []
            var value: [Int64] = []
            var tol: [Int64] = []
            var combos = 1
            // One option of each child picked to add up to the parent (often: a combination fits).
            var fitting = (0..<cols).map { _ in Int64(0) }
            for _ in 0..<levels {
                let count = combos > 3000 ? 1 : g.int(1...4)
                combos *= count
                counts.append(count)
                base.append(value.count)
                let fit = g.int(0...(count - 1))
                for o in 0..<count {
                    for c in 0..<cols {
                        let v: Int64 = round % 101 == 0 ? Int64(1) << 57 : Int64(g.int(-2...6) * 10)
                        value.append(v)
                        tol.append(Int64(g.int(0...1) * 5))
                        if o == fit { fitting[c] &+= v }
                    }
                }
            }
            let startSum = (0..<cols).map { _ in Int64(g.int(0...3) * 10) }
            let startTol = (0..<cols).map { _ in Int64(g.int(0...1) * 5) }
            let parent = (0..<cols).map { c in g.int(0...1) == 0 ? fitting[c] &+ startSum[c] : Int64(g.int(0...20) * 10) }
            let odometer = CrossRowResolver.enumerate(combos: combos, optionCounts: counts, columnCount: cols, kidBase: base,
                                                      kidValue: value, kidTol: tol, startSum: startSum, startTol: startTol,
                                                      parent: parent)
            let pruned = CrossRowResolver.enumeratePruned(combos: combos, optionCounts: counts, columnCount: cols, kidBase: base,
                                                          kidValue: value, kidTol: tol, startSum: startSum, startTol: startTol,
                                                          parent: parent)
            #expect(odometer.0 == pruned.0, "round \(round)")
            #expect(odometer.1 == pruned.1, "round \(round)")
        }
    }
}
