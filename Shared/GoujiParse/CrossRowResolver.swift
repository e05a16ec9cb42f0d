import GoujiModel

/// Settles rows whose amounts fit several columns equally well by the table's vertical
/// arithmetic: a parent row (类 over 款 over 项, 合计 over 类) equals the sum of its children in
/// every column. Works top-down; children of one parent are chosen jointly.
enum CrossRowResolver {
    struct Choice: Sendable { var assignment: [Int]; var ambiguous: Bool }
    static let maxCombinations = 16384
    static let scale = 6

    static func resolve(rows: [RawRow], results: [ColumnAssigner.Result], columnCount: Int) -> [Choice] {
        var chosen = results.map { Choice(assignment: $0.assignment, ambiguous: !$0.ties.isEmpty) }
        guard columnCount > 1 else { return chosen.map { Choice(assignment: $0.assignment, ambiguous: false) } }
        // Only a row with ties is ever re-decided (as a parent's ambiguous child): a table whose
        // rows the per-row search settled keeps their assignments, without the family tree.
        guard results.contains(where: { !$0.ties.isEmpty }) else { return chosen }
        // Parent of each row.
        let parentOf = parents(rows)
        // Children of each row, by row index (a parent comes before its children), as one flat
        // list: the children of row p are childList[childStart[p]..<childStart[p + 1]], in row
        // order (no array per parent).
        var childStart = filled(0, count: rows.count + 1)
        for i in rows.indices where parentOf[i] >= 0 { childStart[parentOf[i] + 1] += 1 }
        for p in rows.indices { childStart[p + 1] += childStart[p] }
        var childList = filled(0, count: childStart[rows.count])
        do {
            // Rows in order: each parent's children land in row order.
            var next = childStart
            for i in rows.indices where parentOf[i] >= 0 {
                childList[next[parentOf[i]]] = i
                next[parentOf[i]] += 1
            }
        }
        // Parents top-down, in row order.
        for p in rows.indices where childStart[p] < childStart[p + 1] {
            let kids = childList[childStart[p]..<childStart[p + 1]]
            // Most parents have no ambiguous child: they are passed over without building a list.
            guard kids.contains(where: { !results[$0].ties.isEmpty }) else { continue }
            let ambiguousKids = kids.filter { !results[$0].ties.isEmpty }
            // Child n's options: its assignment, then its ties (read in place, not copied into an
            // array of options per child).
            let optionCounts = ambiguousKids.map { 1 + results[$0].ties.count }
            func option(_ n: Int, _ o: Int) -> [Int] {
                o == 0 ? results[ambiguousKids[n]].assignment : results[ambiguousKids[n]].ties[o - 1]
            }
            var combos = 1
            for count in optionCounts { combos *= count; if combos > maxCombinations { break } }
            // Everything scored below lives in two temporary buffers, not arrays per parent:
            // Int64s: kidValue, kidTol (`total` each), then startSum, startTol, parent (one per
            // column); (value, tolerance) pairs: the parent's column values, then the settled
            // children's sums (`fixed`), then one child's values.
            var total = 0
            for count in optionCounts { total += count * columnCount }
            withUnsafeTemporaryAllocation(of: (Int64, Int64).self, capacity: 3 * columnCount) { pairs in
            withUnsafeTemporaryAllocation(of: Int64.self, capacity: 2 * total + 3 * columnCount) { numbers in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: ambiguousKids.count) { kidBase in
                let parentValues = UnsafeMutableBufferPointer(rebasing: pairs[0..<columnCount])
                let fixed = UnsafeMutableBufferPointer(rebasing: pairs[columnCount..<(2 * columnCount)])
                let v = UnsafeMutableBufferPointer(rebasing: pairs[(2 * columnCount)..<(3 * columnCount)])
                guard placeColumnValues(rows[p].amounts, chosen[p].assignment, into: parentValues) else { return }
                for c in 0..<columnCount { fixed[c] = (0, 0) }
                // Each settled child's column values, added up.
                for k in kids where results[k].ties.isEmpty {
                    guard placeColumnValues(rows[k].amounts, chosen[k].assignment, into: v) else { continue }
                    for c in 0..<columnCount { fixed[c].0 &+= v[c].0; fixed[c].1 &+= v[c].1 }
                }
                // Each ambiguous child's options as (value, tolerance) per column, flattened so that
                // scoring a combination walks contiguous memory: option o of child n, column c sits
                // at kidBase[n] + o * columnCount + c. A child's amounts are scaled once, then placed
                // by each option (an option that places an unscalable amount is all blanks, as with
                // `columnValues` ?? zeros).
                let kidValue = UnsafeMutableBufferPointer(rebasing: numbers[0..<total])
                let kidTol = UnsafeMutableBufferPointer(rebasing: numbers[total..<(2 * total)])
                let startSum = UnsafeMutableBufferPointer(rebasing: numbers[(2 * total)..<(2 * total + columnCount)])
                let startTol = UnsafeMutableBufferPointer(rebasing: numbers[(2 * total + columnCount)..<(2 * total + 2 * columnCount)])
                let parentSum = UnsafeMutableBufferPointer(rebasing: numbers[(2 * total + 2 * columnCount)..<(2 * total + 3 * columnCount)])
                for i in 0..<total { kidValue[i] = 0; kidTol[i] = 0 }
                var at = 0
                for (n, count) in optionCounts.enumerated() { kidBase[n] = at; at += count * columnCount }
                for (n, k) in ambiguousKids.enumerated() {
                    let amounts = rows[k].amounts
                    // The child's scaled amounts in a temporary buffer; a tolerance of 0 marks one that
                    // does not scale (`scaledAmounts`' nil: a scaled amount's tolerance is at least 5).
                    withUnsafeTemporaryAllocation(of: (Int64, Int64).self, capacity: amounts.count) { scaled in
                        for (i, a) in amounts.enumerated() { scaled[i] = scaledAmount(a) ?? (0, 0) }
                        for oi in 0..<optionCounts[n] {
                            let o = option(n, oi)
                            let base = kidBase[n] + oi * columnCount
                            for i in 0..<min(amounts.count, o.count) where o[i] < columnCount {
                                let a = scaled[i]
                                guard a.1 != 0 else {
                                    for c in base..<(base + columnCount) { kidValue[c] = 0; kidTol[c] = 0 }
                                    break
                                }
                                kidValue[base + o[i]] = a.0
                                kidTol[base + o[i]] = a.1
                            }
                        }
                    }
                }
                for c in 0..<columnCount {
                    startSum[c] = fixed[c].0
                    startTol[c] = fixed[c].1 &+ parentValues[c].1
                    parentSum[c] = parentValues[c].0
                }
                func score(_ pick: [Int]) -> Int {
                    var mismatches = 0
                    for c in 0..<columnCount {
                        var sum = fixed[c].0
                        var tol = fixed[c].1 &+ parentValues[c].1
                        for n in 0..<pick.count {
                            let at = kidBase[n] + pick[n] * columnCount + c
                            sum &+= kidValue[at]
                            tol &+= kidTol[at]
                        }
                        let d = sum > parentValues[c].0 ? sum - parentValues[c].0 : parentValues[c].0 - sum
                        if d > tol { mismatches += 1 }
                    }
                    return mismatches
                }
                if combos > maxCombinations {
                    // Too many to enumerate: start from the best uniform choice (every child takes
                    // the same column pattern), then improve one child at a time. Patterns are tried
                    // in a fixed order (earliest columns first: lexicographic on the column indices)
                    // and only a strictly better score replaces the current one, so among equally good
                    // patterns the earliest-columns one wins, the same in every run.
                    var pick = filled(0, count: ambiguousKids.count)
                    let options = (0..<ambiguousKids.count).map { n in (0..<optionCounts[n]).map { option(n, $0) } }
                    let patterns = uniformPatterns(options)
                    var start = pick
                    var startScore = score(start)
                    for pattern in patterns {
                        let trial = options.map { $0.firstIndex(of: pattern) ?? 0 }
                        let s = score(trial)
                        if s < startScore { start = trial; startScore = s }
                    }
                    pick = start
                    var current = startScore
                    // Column totals of the current pick; a trial that changes one child's option
                    // swaps that child's values in and out (wrapping arithmetic: exact in any order).
                    var totalSum = (0..<columnCount).map { fixed[$0].0 }
                    var totalTol = (0..<columnCount).map { fixed[$0].1 &+ parentValues[$0].1 }
                    for n in 0..<ambiguousKids.count {
                        let base = kidBase[n] + pick[n] * columnCount
                        for c in 0..<columnCount { totalSum[c] &+= kidValue[base + c]; totalTol[c] &+= kidTol[base + c] }
                    }
                    for _ in 0..<3 {
                        var improved = false
                        for n in 0..<ambiguousKids.count {
                            for o in 0..<optionCounts[n] where o != pick[n] {
                                let old = kidBase[n] + pick[n] * columnCount
                                let new = kidBase[n] + o * columnCount
                                var s = 0
                                for c in 0..<columnCount {
                                    let sum = totalSum[c] &- kidValue[old + c] &+ kidValue[new + c]
                                    let tol = totalTol[c] &- kidTol[old + c] &+ kidTol[new + c]
                                    let d = sum > parentValues[c].0 ? sum - parentValues[c].0 : parentValues[c].0 - sum
                                    if d > tol { s += 1 }
                                }
                                if s < current {
                                    current = s
                                    for c in 0..<columnCount {
                                        totalSum[c] = totalSum[c] &- kidValue[old + c] &+ kidValue[new + c]
                                        totalTol[c] = totalTol[c] &- kidTol[old + c] &+ kidTol[new + c]
                                    }
                                    pick[n] = o
                                    improved = true
                                }
                            }
                        }
                        if !improved { break }
                    }
                    for (n, k) in ambiguousKids.enumerated() {
                        chosen[k] = Choice(assignment: option(n, pick[n]), ambiguous: current > 0)
                    }
                    return
                }
                let (_, bestPicks) = optionCounts.withUnsafeBufferPointer { counts in
                    enumerateVarying(combos: combos, optionCounts: counts, columnCount: columnCount,
                                     kidBase: UnsafeBufferPointer(kidBase), kidValue: UnsafeBufferPointer(kidValue),
                                     kidTol: UnsafeBufferPointer(kidTol), startSum: UnsafeBufferPointer(startSum),
                                     startTol: UnsafeBufferPointer(startTol), parent: UnsafeBufferPointer(parentSum))
                }
                guard let first = bestPicks.first else { return }
                for (n, k) in ambiguousKids.enumerated() {
                    let stillAmbiguous = bestPicks.contains { $0[n] != first[n] }
                    chosen[k] = Choice(assignment: option(n, first[n]), ambiguous: stillAmbiguous)
                }
            }
            }
            }
        }
        return chosen
    }

    /// The first `k` Characters of code `c` (`length` of them): on the UTF-8 bytes when every
    /// Character is one byte (as many bytes as Characters: ASCII digits), a small string without
    /// walking graphemes; `String(c.prefix(k))` otherwise.
    @inline(__always)
    /// The parent of each row (an index before it), or -1: a 项 (7 digits) under its 款 or else
    /// its 类, a 款 under its 类, a 类 (and an unplaced 款 or 项) under the 合计 row.
    static func parents(_ rows: [RawRow]) -> [Int] {
        // Codes are ASCII digits (`LineTokens.codeText`, `RowReader.fullCode`): each is keyed by
        // its value and length (a String key hashed its text), a prefix of k digits by the value
        // divided down. A code with another scalar (none is made) has no key: no parent, no child.
        func key(_ c: String) -> (value: Int, length: Int)? {
            FastText.scanUTF8(c) { b -> (value: Int, length: Int)? in
                guard b.count <= 7 else { return nil }
                var v = 0
                for x in b {
                    guard x >= 0x30 && x <= 0x39 else { return nil }
                    v = v * 10 + Int(x - 0x30)
                }
                return (v, b.count)
            }
        }
        @inline(__always) func packed(_ value: Int, _ length: Int) -> Int { value &* 8 &+ length }
        let keys = rows.map { $0.code.flatMap(key) }
        // The first row of each code: rows visited last to first, so the earliest one is stored last
        // (one hash per row, the table sized once).
        var byCode = [Int: Int](minimumCapacity: rows.count)
        for i in rows.indices.reversed() { if let k = keys[i] { byCode[packed(k.value, k.length)] = i } }
        func row(_ k: (value: Int, length: Int), prefix n: Int) -> Int? {
            var v = k.value
            for _ in n..<k.length { v /= 10 }
            return byCode[packed(v, n)]
        }
        let root = rows.firstIndex { $0.code == nil && ["合计", "总计", "小计"].contains(Label.normalized($0.label)) }
        var parentOf = filled(-1, count: rows.count)
        for i in rows.indices {
            guard let k = keys[i], k.length != 6 else { continue }
            var parent: Int?
            if k.length == 7 { parent = row(k, prefix: 5) ?? row(k, prefix: 3) ?? root }
            else if k.length == 5 { parent = row(k, prefix: 3) ?? root }
            else if k.length == 3 { parent = root }
            if let parent, parent < i { parentOf[i] = parent }
        }
        return parentOf
    }

    /// How many (parent, column) pairs of the table, its rows' amounts placed by `assignments`,
    /// break the vertical arithmetic: the children's sum outside the parent's rounding interval.
    static func treeViolations(rows: [RawRow], assignments: [[Int]], columnCount: Int) -> Int {
        let parentOf = parents(rows)
        var sums = [(Int64, Int64)](repeating: (0, 0), count: rows.count * columnCount)
        var hasChildren = [Bool](repeating: false, count: rows.count)
        var values = [(Int64, Int64)](repeating: (0, 0), count: columnCount)
        for i in rows.indices where parentOf[i] >= 0 {
            let p = parentOf[i]
            hasChildren[p] = true
            guard values.withUnsafeMutableBufferPointer({ placeColumnValues(rows[i].amounts, assignments[i], into: $0) }) else { continue }
            for c in 0..<columnCount {
                sums[p * columnCount + c].0 &+= values[c].0
                sums[p * columnCount + c].1 &+= values[c].1
            }
        }
        var broken = 0
        for p in rows.indices where hasChildren[p] {
            guard values.withUnsafeMutableBufferPointer({ placeColumnValues(rows[p].amounts, assignments[p], into: $0) }) else { continue }
            for c in 0..<columnCount {
                let (sum, tol) = sums[p * columnCount + c]
                let d = sum > values[c].0 ? sum - values[c].0 : values[c].0 - sum
                if d > tol &+ values[c].1 { broken += 1 }
            }
        }
        return broken
    }

    /// Scores every combination of the children's options in odometer order (the last child's
    /// wheel turns fastest) and returns the fewest mismatching columns with the first (at most 8)
    /// combinations reaching it. Running sums per child level (level n: the fixed part plus the
    /// picks of children before n) are kept, so a step recomputes only the levels whose wheels turned.
    static func enumerate(combos: Int, optionCounts: [Int], columnCount: Int, kidBase: [Int], kidValue: [Int64],
                          kidTol: [Int64], startSum: [Int64], startTol: [Int64], parent: [Int64]) -> (Int, [[Int]]) {
        let levels = optionCounts.count
        let cols = columnCount
        var best = Int.max
        var bestPicks: [[Int]] = []
        var pick = filled(0, count: levels)
        var runSum = filled(Int64(0), count: (levels + 1) * cols)
        var runTol = filled(Int64(0), count: (levels + 1) * cols)
        for c in 0..<cols { runSum[c] = startSum[c]; runTol[c] = startTol[c] }
        kidValue.withUnsafeBufferPointer { kv in
        kidTol.withUnsafeBufferPointer { kt in
        kidBase.withUnsafeBufferPointer { kb in
        parent.withUnsafeBufferPointer { pv in
        runSum.withUnsafeMutableBufferPointer { rs in
        runTol.withUnsafeMutableBufferPointer { rt in
        pick.withUnsafeMutableBufferPointer { pk in
            let last = (levels - 1) * cols
            var level = 0 // the first level whose running sums are stale
            for _ in 0..<combos {
                // Running sums up to the last child; the last child's values are added while scoring.
                for n in level..<(levels - 1) {
                    let base = kb[n] + pk[n] * cols
                    let from = n * cols
                    let to = from + cols
                    for c in 0..<cols {
                        rs[to + c] = rs[from + c] &+ kv[base + c]
                        rt[to + c] = rt[from + c] &+ kt[base + c]
                    }
                }
                let lastBase = kb[levels - 1] + pk[levels - 1] * cols
                var mismatches = 0
                for c in 0..<cols {
                    let sum = rs[last + c] &+ kv[lastBase + c]
                    let tol = rt[last + c] &+ kt[lastBase + c]
                    let d = sum > pv[c] ? sum - pv[c] : pv[c] - sum
                    // Past the best count the combination is neither best nor a tie: stop counting.
                    if d > tol { mismatches += 1; if mismatches > best { break } }
                }
                if mismatches < best { best = mismatches; bestPicks = [Array(pk)] }
                else if mismatches == best && bestPicks.count < 8 { bestPicks.append(Array(pk)) }
                // next combination (odometer)
                var n = levels - 1
                while n >= 0 {
                    pk[n] += 1
                    if pk[n] < optionCounts[n] { break }
                    pk[n] = 0
                    n -= 1
                }
                level = max(n, 0)
            }
        }
        }
        }
        }
        }
        }
        }
        return (best, bestPicks)
    }

    /// `enumerate`'s result, scoring only the columns where some child's options differ. A column
    /// every option of every child fills alike has the same sum, tolerance and so mismatch in every
    /// combination: it adds one constant to every score, which changes neither which combinations
    /// score least nor their order (the best combinations are the first ones, in odometer order, to
    /// reach the least score). The varying columns are scored by `enumerate` itself, the constant
    /// mismatches added to its count.
    static func enumerateVarying(combos: Int, optionCounts: [Int], columnCount: Int, kidBase: [Int], kidValue: [Int64],
                                 kidTol: [Int64], startSum: [Int64], startTol: [Int64], parent: [Int64]) -> (Int, [[Int]]) {
        withBuffers(optionCounts, kidBase, kidValue, kidTol, startSum, startTol, parent) {
            enumerateVarying(combos: combos, optionCounts: $0, columnCount: columnCount, kidBase: $1,
                             kidValue: $2, kidTol: $3, startSum: $4, startTol: $5, parent: $6)
        }
    }

    /// The enumerations' inputs as buffers, for their array forms.
    static func withBuffers<R>(_ optionCounts: [Int], _ kidBase: [Int], _ kidValue: [Int64], _ kidTol: [Int64],
                               _ startSum: [Int64], _ startTol: [Int64], _ parent: [Int64],
                               _ body: (UnsafeBufferPointer<Int>, UnsafeBufferPointer<Int>, UnsafeBufferPointer<Int64>,
                                        UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Int64>,
                                        UnsafeBufferPointer<Int64>) -> R) -> R {
        optionCounts.withUnsafeBufferPointer { optionCounts in
        kidBase.withUnsafeBufferPointer { kidBase in
        kidValue.withUnsafeBufferPointer { kidValue in
        kidTol.withUnsafeBufferPointer { kidTol in
        startSum.withUnsafeBufferPointer { startSum in
        startTol.withUnsafeBufferPointer { startTol in
        parent.withUnsafeBufferPointer { parent in
            body(optionCounts, kidBase, kidValue, kidTol, startSum, startTol, parent)
        }
        }
        }
        }
        }
        }
        }
    }

    /// `enumerateVarying` on buffers (`resolve` keeps a parent's values in temporary buffers).
    static func enumerateVarying(combos: Int, optionCounts: UnsafeBufferPointer<Int>, columnCount: Int,
                                 kidBase: UnsafeBufferPointer<Int>, kidValue: UnsafeBufferPointer<Int64>,
                                 kidTol: UnsafeBufferPointer<Int64>, startSum: UnsafeBufferPointer<Int64>,
                                 startTol: UnsafeBufferPointer<Int64>, parent: UnsafeBufferPointer<Int64>) -> (Int, [[Int]]) {
        let cols = columnCount
        var varying: [Int] = []
        var constantMismatches = 0
        for c in 0..<cols {
            var sum = startSum[c]
            var tol = startTol[c]
            var differs = false
            for (n, count) in optionCounts.enumerated() {
                let first = kidBase[n] + c
                for o in 1..<max(count, 1) where kidValue[first + o * cols] != kidValue[first] || kidTol[first + o * cols] != kidTol[first] {
                    differs = true
                    break
                }
                if differs { break }
                if count > 0 { sum &+= kidValue[first]; tol &+= kidTol[first] }
            }
            if differs { varying.append(c); continue }
            let d = sum > parent[c] ? sum - parent[c] : parent[c] - sum
            if d > tol { constantMismatches += 1 }
        }
        if varying.count == cols {
            return enumeratePruned(combos: combos, optionCounts: optionCounts, columnCount: cols, kidBase: kidBase, kidValue: kidValue,
                             kidTol: kidTol, startSum: startSum, startTol: startTol, parent: parent)
        }
        let v = varying.count
        var total = 0
        for count in optionCounts { total += count * v }
        // The varying columns' values and tolerances (each option of each child), then their start
        // sums, start tolerances and parent values, in one temporary buffer; the children's bases
        // in another.
        let (best, picks) = withUnsafeTemporaryAllocation(of: Int64.self, capacity: 2 * total + 3 * v) { buf -> (Int, [[Int]]) in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: optionCounts.count) { base -> (Int, [[Int]]) in
                var at = 0
                for (n, count) in optionCounts.enumerated() {
                    base[n] = at
                    for o in 0..<count {
                        for c in varying {
                            buf[at] = kidValue[kidBase[n] + o * cols + c]
                            buf[total + at] = kidTol[kidBase[n] + o * cols + c]
                            at += 1
                        }
                    }
                }
                for (i, c) in varying.enumerated() {
                    buf[2 * total + i] = startSum[c]
                    buf[2 * total + v + i] = startTol[c]
                    buf[2 * total + 2 * v + i] = parent[c]
                }
                func part(_ r: Range<Int>) -> UnsafeBufferPointer<Int64> { UnsafeBufferPointer(rebasing: buf[r]) }
                return enumeratePruned(combos: combos, optionCounts: optionCounts, columnCount: v,
                                   kidBase: UnsafeBufferPointer(base), kidValue: part(0..<total),
                                   kidTol: part(total..<(2 * total)), startSum: part((2 * total)..<(2 * total + v)),
                                   startTol: part((2 * total + v)..<(2 * total + 2 * v)),
                                   parent: part((2 * total + 2 * v)..<(2 * total + 3 * v)))
            }
        }
        return (best == Int.max ? best : best + constantMismatches, picks)
    }

    /// `enumerate`'s result, every combination scored at once instead of one after another: the
    /// children are split into a first half and a second half; the column sums (and tolerances) of
    /// every pick of the first half (fixed part included) and of every pick of the second half are
    /// made once, and a combination's sum is the sum of its two halves' (exact: no value is large
    /// enough to overflow, else `enumerate` runs). Combination i, in odometer order, is first-half
    /// pick i / (second-half picks) and second-half pick i % (second-half picks); its mismatches
    /// are counted column by column over all second-half picks in a tight loop. The result is the
    /// least count and the first (at most 8) combinations, in odometer order, reaching it:
    /// `enumerate`'s, whose best count only ever falls and whose ties are appended in that order.
    static func enumerateSplit(combos: Int, optionCounts: [Int], columnCount: Int, kidBase: [Int], kidValue: [Int64],
                               kidTol: [Int64], startSum: [Int64], startTol: [Int64], parent: [Int64]) -> (Int, [[Int]]) {
        withBuffers(optionCounts, kidBase, kidValue, kidTol, startSum, startTol, parent) {
            enumerateSplit(combos: combos, optionCounts: $0, columnCount: columnCount, kidBase: $1,
                           kidValue: $2, kidTol: $3, startSum: $4, startTol: $5, parent: $6)
        }
    }

    /// The inputs `enumerateSplit` and `enumeratePruned` take (anything else goes to `enumerate`):
    /// 1 to 60 levels, every option count at least 1 with `combos` their product (at most
    /// `maxCombinations`), a value per column, and values small enough (|v| < 2^56) that no sum or
    /// bound of theirs overflows.
    static func fitsFastWalks(combos: Int, optionCounts: UnsafeBufferPointer<Int>, columnCount cols: Int,
                              kidValue: UnsafeBufferPointer<Int64>, kidTol: UnsafeBufferPointer<Int64>,
                              startSum: UnsafeBufferPointer<Int64>, startTol: UnsafeBufferPointer<Int64>,
                              parent: UnsafeBufferPointer<Int64>) -> Bool {
        let levels = optionCounts.count
        let limit: Int64 = 1 << 56
        func small(_ v: Int64) -> Bool { v > -limit && v < limit }
        var product = 1
        for count in optionCounts {
            let (p, overflow) = product.multipliedReportingOverflow(by: count)
            product = overflow || count < 1 ? -1 : p
            if product < 0 || product > maxCombinations { break }
        }
        return levels >= 1 && levels <= 60 && combos >= 1 && combos <= maxCombinations && product == combos
            && startSum.count == cols && startTol.count == cols && parent.count == cols
            && kidValue.allSatisfy(small) && kidTol.allSatisfy(small)
            && startSum.allSatisfy(small) && startTol.allSatisfy(small) && parent.allSatisfy(small)
    }

    /// `enumerateSplit` on buffers (`enumerateVarying` passes its varying columns' values from
    /// one temporary buffer, not arrays).
    static func enumerateSplit(combos: Int, optionCounts: UnsafeBufferPointer<Int>, columnCount: Int,
                               kidBase: UnsafeBufferPointer<Int>, kidValue: UnsafeBufferPointer<Int64>,
                               kidTol: UnsafeBufferPointer<Int64>, startSum: UnsafeBufferPointer<Int64>,
                               startTol: UnsafeBufferPointer<Int64>, parent: UnsafeBufferPointer<Int64>) -> (Int, [[Int]]) {
        let levels = optionCounts.count
        let cols = columnCount
        guard fitsFastWalks(combos: combos, optionCounts: optionCounts, columnCount: cols, kidValue: kidValue, kidTol: kidTol,
                            startSum: startSum, startTol: startTol, parent: parent) else {
            return enumerate(combos: combos, optionCounts: Array(optionCounts), columnCount: cols, kidBase: Array(kidBase),
                             kidValue: Array(kidValue), kidTol: Array(kidTol), startSum: Array(startSum),
                             startTol: Array(startTol), parent: Array(parent))
        }
        let half = levels / 2
        // Sums of every pick of children from..<to, in odometer order, `cols` per pick, starting
        // from `sum`/`tol` (nil: zeros), written into `sums`/`tols` (room for every pick). Each
        // child's level is expanded in place, last pick first: pick e of the levels so far and
        // option o of this one become pick e · count + o, never below e, so no entry is
        // overwritten before it is read (the same sums, in the same order, as building a new
        // array per level).
        func picks(_ from: Int, _ to: Int, _ sum: UnsafeBufferPointer<Int64>?, _ tol: UnsafeBufferPointer<Int64>?,
                   into sums: UnsafeMutableBufferPointer<Int64>, _ tols: UnsafeMutableBufferPointer<Int64>) {
            for c in 0..<cols {
                sums[c] = sum?[c] ?? 0
                tols[c] = tol?[c] ?? 0
            }
            var entries = 1
            for n in from..<to {
                let count = optionCounts[n]
                var e = entries - 1
                while e >= 0 {
                    let src = e * cols
                    var o = count - 1
                    while o >= 0 {
                        let dst = (e * count + o) * cols
                        let base = kidBase[n] + o * cols
                        for c in 0..<cols {
                            sums[dst + c] = sums[src + c] &+ kidValue[base + c]
                            tols[dst + c] = tols[src + c] &+ kidTol[base + c]
                        }
                        o -= 1
                    }
                    e -= 1
                }
                entries *= count
            }
        }
        var firstCount = 1
        for n in 0..<half { firstCount *= optionCounts[n] }
        let secondCount = combos / firstCount
        // The mismatch counts and the second half's column-major sums live in temporary buffers
        // (no scratch arrays to allocate per parent).
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: combos) { mm -> (Int, [[Int]]) in
            mm.initialize(repeating: 0)
            if cols > 0 {
                let span = secondCount * cols
                let firstSpan = firstCount * cols
                // Both halves' sums and tolerances by pick, then the second half's by column.
                withUnsafeTemporaryAllocation(of: Int64.self, capacity: 2 * firstSpan + 4 * span) { scratch in
                    let firstSum = UnsafeMutableBufferPointer(rebasing: scratch[0..<firstSpan])
                    let firstTol = UnsafeMutableBufferPointer(rebasing: scratch[firstSpan..<(2 * firstSpan)])
                    let secondRowSum = UnsafeMutableBufferPointer(rebasing: scratch[(2 * firstSpan)..<(2 * firstSpan + span)])
                    let secondRowTol = UnsafeMutableBufferPointer(rebasing: scratch[(2 * firstSpan + span)..<(2 * firstSpan + 2 * span)])
                    let second = UnsafeMutableBufferPointer(rebasing: scratch[(2 * firstSpan + 2 * span)...])
                    picks(0, half, startSum, startTol, into: firstSum, firstTol)
                    picks(half, levels, nil, nil, into: secondRowSum, secondRowTol)
                    // Second-half sums column by column (the inner loop walks one column's picks).
                    for b in 0..<secondCount {
                        for c in 0..<cols {
                            second[c * secondCount + b] = secondRowSum[b * cols + c]
                            second[span + c * secondCount + b] = secondRowTol[b * cols + c]
                        }
                    }
                    let sb = UnsafeBufferPointer(rebasing: second[0..<span])
                    let tb = UnsafeBufferPointer(rebasing: second[span..<(2 * span)])
                    // Wrapping operators, exact here: every value and tolerance is below 2^56 in
                    // magnitude and at most 60 children plus the fixed part are summed, so no sum,
                    // difference or tolerance reaches 2^63 (checked ones would only stop vectorising).
                    for a in 0..<firstCount {
                        let row = a * secondCount
                        for c in 0..<cols {
                            let x = firstSum[a * cols + c] &- parent[c]
                            let t = firstTol[a * cols + c]
                            let column = c * secondCount
                            for b in 0..<secondCount {
                                let d = x &+ sb[column &+ b]
                                let distance = d < 0 ? 0 &- d : d
                                mm[row &+ b] &+= distance > t &+ tb[column &+ b] ? 1 : 0
                            }
                        }
                    }
                }
            }
            var best = Int.max
            for m in mm where m < best { best = m }
            var bestPicks: [[Int]] = []
            for (i, m) in mm.enumerated() where m == best {
                var pick = filled(0, count: levels)
                var rest = i
                for n in stride(from: levels - 1, through: 0, by: -1) {
                    pick[n] = rest % optionCounts[n]
                    rest /= optionCounts[n]
                }
                bestPicks.append(pick)
                if bestPicks.count == 8 { break }
            }
            return (best, bestPicks)
        }
    }

    /// `enumerateSplit`'s result (the least count, the first (at most 8) combinations in odometer
    /// order reaching it) by a search over the children in odometer order that skips every
    /// combination of a prefix which cannot change the result. With some children picked, each
    /// column's sum can still move only within the later children's least and greatest values
    /// and its tolerance grow by at most their greatest tolerances: a column that misses its parent
    /// by more than that whatever they pick is lost for the whole subtree. A subtree losing more
    /// columns than the best count, or as many once 8 combinations reach it, holds no combination
    /// that would be recorded; the rest are met in odometer order, so the count and the
    /// combinations are `enumerate`'s. Most parents' children fit in few ways: the first good
    /// combinations found leave the rest of the tree cut at its top levels instead of every
    /// combination scored.
    static func enumeratePruned(combos: Int, optionCounts: [Int], columnCount: Int, kidBase: [Int], kidValue: [Int64],
                                kidTol: [Int64], startSum: [Int64], startTol: [Int64], parent: [Int64]) -> (Int, [[Int]]) {
        withBuffers(optionCounts, kidBase, kidValue, kidTol, startSum, startTol, parent) {
            enumeratePruned(combos: combos, optionCounts: $0, columnCount: columnCount, kidBase: $1,
                            kidValue: $2, kidTol: $3, startSum: $4, startTol: $5, parent: $6)
        }
    }

    /// `enumeratePruned` on buffers.
    static func enumeratePruned(combos: Int, optionCounts: UnsafeBufferPointer<Int>, columnCount: Int,
                                kidBase: UnsafeBufferPointer<Int>, kidValue: UnsafeBufferPointer<Int64>,
                                kidTol: UnsafeBufferPointer<Int64>, startSum: UnsafeBufferPointer<Int64>,
                                startTol: UnsafeBufferPointer<Int64>, parent: UnsafeBufferPointer<Int64>) -> (Int, [[Int]]) {
        let levels = optionCounts.count
        let cols = columnCount
        // The same inputs as the split's, with a column to score; anything else goes where it went.
        guard cols >= 1, fitsFastWalks(combos: combos, optionCounts: optionCounts, columnCount: cols, kidValue: kidValue,
                                       kidTol: kidTol, startSum: startSum, startTol: startTol, parent: parent) else {
            return enumerateSplit(combos: combos, optionCounts: optionCounts, columnCount: cols, kidBase: kidBase,
                                  kidValue: kidValue, kidTol: kidTol, startSum: startSum, startTol: startTol, parent: parent)
        }
        // Per level n and column c: the least and greatest sum and the greatest tolerance the
        // children n..<levels can add (level `levels`: zeros), then the running sums and
        // tolerances with children 0..<n picked, then the pick.
        let span = (levels + 1) * cols
        return withUnsafeTemporaryAllocation(of: Int64.self, capacity: 5 * span) { buf -> (Int, [[Int]]) in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: levels) { pick -> (Int, [[Int]]) in
                let low = UnsafeMutableBufferPointer(rebasing: buf[0..<span])
                let high = UnsafeMutableBufferPointer(rebasing: buf[span..<(2 * span)])
                let slack = UnsafeMutableBufferPointer(rebasing: buf[(2 * span)..<(3 * span)])
                let runSum = UnsafeMutableBufferPointer(rebasing: buf[(3 * span)..<(4 * span)])
                let runTol = UnsafeMutableBufferPointer(rebasing: buf[(4 * span)..<(5 * span)])
                for c in 0..<cols {
                    low[levels * cols + c] = 0
                    high[levels * cols + c] = 0
                    slack[levels * cols + c] = 0
                    runSum[c] = startSum[c]
                    runTol[c] = startTol[c]
                }
                var n = levels - 1
                while n >= 0 {
                    for c in 0..<cols {
                        var lo = kidValue[kidBase[n] + c]
                        var hi = lo
                        var tl = kidTol[kidBase[n] + c]
                        for o in 1..<optionCounts[n] {
                            let at = kidBase[n] + o * cols + c
                            lo = min(lo, kidValue[at])
                            hi = max(hi, kidValue[at])
                            tl = max(tl, kidTol[at])
                        }
                        low[n * cols + c] = low[(n + 1) * cols + c] + lo
                        high[n * cols + c] = high[(n + 1) * cols + c] + hi
                        slack[n * cols + c] = slack[(n + 1) * cols + c] + tl
                    }
                    n -= 1
                }
                var search = PrunedSearch(levels: levels, cols: cols, optionCounts: optionCounts, kidBase: kidBase,
                                          kidValue: kidValue, kidTol: kidTol, parent: parent,
                                          low: UnsafeBufferPointer(low), high: UnsafeBufferPointer(high),
                                          slack: UnsafeBufferPointer(slack), runSum: runSum, runTol: runTol, pick: pick)
                search.visit(0)
                return (search.best, search.picks)
            }
        }
    }

    /// `enumeratePruned`'s search state (a struct with a mutating recursion: no boxed captures).
    private struct PrunedSearch {
        let levels: Int
        let cols: Int
        let optionCounts: UnsafeBufferPointer<Int>
        let kidBase: UnsafeBufferPointer<Int>
        let kidValue: UnsafeBufferPointer<Int64>
        let kidTol: UnsafeBufferPointer<Int64>
        let parent: UnsafeBufferPointer<Int64>
        let low: UnsafeBufferPointer<Int64>
        let high: UnsafeBufferPointer<Int64>
        let slack: UnsafeBufferPointer<Int64>
        let runSum: UnsafeMutableBufferPointer<Int64>
        let runTol: UnsafeMutableBufferPointer<Int64>
        let pick: UnsafeMutableBufferPointer<Int>
        var best = Int.max
        var picks: [[Int]] = []

        init(levels: Int, cols: Int, optionCounts: UnsafeBufferPointer<Int>, kidBase: UnsafeBufferPointer<Int>,
             kidValue: UnsafeBufferPointer<Int64>, kidTol: UnsafeBufferPointer<Int64>, parent: UnsafeBufferPointer<Int64>,
             low: UnsafeBufferPointer<Int64>, high: UnsafeBufferPointer<Int64>, slack: UnsafeBufferPointer<Int64>,
             runSum: UnsafeMutableBufferPointer<Int64>, runTol: UnsafeMutableBufferPointer<Int64>,
             pick: UnsafeMutableBufferPointer<Int>) {
            self.levels = levels
            self.cols = cols
            self.optionCounts = optionCounts
            self.kidBase = kidBase
            self.kidValue = kidValue
            self.kidTol = kidTol
            self.parent = parent
            self.low = low
            self.high = high
            self.slack = slack
            self.runSum = runSum
            self.runTol = runTol
            self.pick = pick
        }

        /// Columns lost whatever children n..<levels pick, children 0..<n picked (at n == levels:
        /// the combination's mismatches).
        @inline(__always)
        func lost(_ n: Int) -> Int {
            var count = 0
            let at = n * cols
            for c in 0..<cols {
                let s = runSum[at + c]
                let t = runTol[at + c] + slack[at + c]
                if s + low[at + c] - parent[c] > t || parent[c] - (s + high[at + c]) > t { count += 1 }
            }
            return count
        }

        mutating func visit(_ n: Int) {
            let bound = lost(n)
            if bound > best || (bound == best && picks.count == 8) { return }
            if n == levels {
                if bound < best { best = bound; picks.removeAll(keepingCapacity: true) }
                picks.append(Array(pick))
                return
            }
            let from = n * cols
            let to = from + cols
            for o in 0..<optionCounts[n] {
                pick[n] = o
                let base = kidBase[n] + o * cols
                for c in 0..<cols {
                    runSum[to + c] = runSum[from + c] + kidValue[base + c]
                    runTol[to + c] = runTol[from + c] + kidTol[base + c]
                }
                visit(n + 1)
            }
        }
    }

    /// The distinct column patterns among the children's options, earliest columns first
    /// (lexicographic on the column indices; a pattern that is a prefix of another comes first).
    static func uniformPatterns(_ options: [[[Int]]]) -> [[Int]] {
        var seen = Set<[Int]>()
        var out: [[Int]] = []
        for o in options { for p in o where seen.insert(p).inserted { out.append(p) } }
        out.sort { $0.lexicographicallyPrecedes($1) }
        return out
    }

    /// (value, tolerance) of each amount at the fixed scale, as `columnValues` places them; nil
    /// for one that does not scale (an assignment that places it has no column values).
    static func scaledAmounts(_ amounts: [Amount]) -> [(Int64, Int64)?] {
        amounts.map(scaledAmount)
    }

    /// One amount of `scaledAmounts`.
    @inline(__always)
    static func scaledAmount(_ a: Amount) -> (Int64, Int64)? {
        guard a.decimals < scale, let m = a.mantissa(atDecimals: scale) else { return nil }
        var tol: Int64 = 5
        for _ in 0..<(scale - a.decimals - 1) { tol *= 10 }
        return (m, tol)
    }

    /// (value, tolerance) per column at a fixed scale; blanks are exact zeros.
    static func columnValues(_ amounts: [Amount], _ assignment: [Int], _ n: Int) -> [(Int64, Int64)]? {
        var out = filled((Int64(0), Int64(0)), count: n)
        let placed = out.withUnsafeMutableBufferPointer { placeColumnValues(amounts, assignment, into: $0) }
        return placed ? out : nil
    }

    /// `columnValues` written into `out` (its n = `out.count` columns, every one set): false where
    /// `columnValues` gives nil (an amount placed that does not scale; `out` is then partly set).
    static func placeColumnValues(_ amounts: [Amount], _ assignment: [Int], into out: UnsafeMutableBufferPointer<(Int64, Int64)>) -> Bool {
        let n = out.count
        for c in 0..<n { out[c] = (0, 0) }
        for (a, col) in zip(amounts, assignment) where col < n {
            guard a.decimals < scale, let m = a.mantissa(atDecimals: scale) else { return false }
            var tol: Int64 = 5
            for _ in 0..<(scale - a.decimals - 1) { tol *= 10 }
            out[col] = (m, tol)
        }
        return true
    }
    /// `Array(repeating: value, count: n)`, built by reserving and appending. `Array(repeating:count:)`
    /// allocates through the standard library's unspecialised `_allocateBufferUninitialized`, which
    /// looks up the storage class's generic metadata on every call (~600 instructions, hundreds of
    /// scratch arrays per parse); the reserved empty array takes the specialised path.
    @inline(__always)
    static func filled<T>(_ value: T, count n: Int) -> [T] {
        var out: [T] = []
        out.reserveCapacity(n)
        out.append(contentsOf: repeatElement(value, count: n))
        return out
    }
}
