import GoujiModel

/// Assigns a row's printed amounts to its columns. Extracted text drops blank cells, so a row may
/// print k amounts for n columns; the assignment keeps the printed order and is chosen to satisfy
/// the table's arithmetic (`parent = Σ children` between columns), with interval tolerance for
/// rounding (a value with d decimals stands for v ± ½·10⁻ᵈ). Remaining ties go to the earliest
/// columns. Branch and bound over order-preserving assignments with a node budget.
struct ColumnAssigner: Sendable {
    let columnCount: Int
    let constraints: [(parent: Int, children: [Int])]
    /// Constraint indices that become decidable once column j is decided (their largest member is
    /// j), as arrays: what the reference search reads (`FastSearch` reads `flat`).
    var endingAt: [[Int]] {
        (0..<(flat.endStart.count - 1)).map { Array(flat.endList[flat.endStart[$0]..<flat.endStart[$0 + 1]]) }
    }
    /// Column j at j: the assignment of a row that prints an amount for every column (shared by
    /// those rows, not made per row).
    private let identity: [Int]
    static let nodeBudget = 200_000
    static let maxTies = 64
    /// The most columns whose whole search tree fits the node budget: the tree over n columns has
    /// at most 2^(n+1) − 1 nodes (Σ C(j, i) over the prefixes), 131 071 at 16.
    static let exactColumns = 16

    init(columnCount: Int, constraints: [(parent: Int, children: [Int])]) {
        self.columnCount = columnCount
        // The constraints within the columns, kept in order (into an array with room for all:
        // `filter` grew its result from empty).
        var kept: [(parent: Int, children: [Int])] = []
        kept.reserveCapacity(constraints.count)
        for c in constraints where c.parent < columnCount && c.children.allSatisfy({ $0 < columnCount }) { kept.append(c) }
        self.constraints = kept
        // The constraints ending at each column (decidable once it is: their largest member),
        // in constraint order, as one flat list: column j's are endList[endStart[j]..<endStart[j + 1]].
        let slots = max(columnCount, 1)
        var endStart = CrossRowResolver.filled(0, count: slots + 1)
        for c in self.constraints { endStart[max(c.parent, c.children.max() ?? c.parent) + 1] += 1 }
        for j in 0..<slots { endStart[j + 1] += endStart[j] }
        var endList = CrossRowResolver.filled(0, count: self.constraints.count)
        // endStart[m] walks column m's part of the list; after the pass it holds the part's end,
        // which is column m + 1's start: shifted back by one column below.
        for (i, c) in self.constraints.enumerated() {
            let m = max(c.parent, c.children.max() ?? c.parent)
            endList[endStart[m]] = i
            endStart[m] += 1
        }
        for j in stride(from: slots, to: 0, by: -1) { endStart[j] = endStart[j - 1] }
        endStart[0] = 0
        // The same constraints flattened into index arrays (`FastSearch` reads them through
        // buffer pointers: no array of arrays to retain per constraint checked).
        var parents: [Int] = []
        var childStart: [Int] = [0]
        var childList: [Int] = []
        parents.reserveCapacity(self.constraints.count)
        childStart.reserveCapacity(self.constraints.count + 1)
        childList.reserveCapacity(self.constraints.reduce(0) { $0 + $1.children.count })
        for c in self.constraints {
            parents.append(c.parent)
            childList.append(contentsOf: c.children)
            childStart.append(childList.count)
        }
        // Whether columns j..<n all play the same part in every constraint (parent or not, how many
        // times a child): amounts placed among them add the same to every sum and tolerance
        // whichever of them each takes, so every placement of the rest costs the same violations.
        var tail = CrossRowResolver.filled(true, count: slots + 1)
        if columnCount > 1 {
            for j in stride(from: columnCount - 2, through: 0, by: -1) {
                var same = tail[j + 1]
                if same {
                    for c in self.constraints where (c.parent == j) != (c.parent == j + 1)
                        || c.children.reduce(0, { $0 + ($1 == j ? 1 : 0) - ($1 == j + 1 ? 1 : 0) }) != 0 {
                        same = false
                        break
                    }
                }
                tail[j] = same
            }
        }
        tailUniform = tail
        identity = Array(0..<columnCount)
        flat = Flat(parents: parents, childStart: childStart, childList: childList, endStart: endStart, endList: endList)
    }

    /// `constraints` and `endingAt` as flat index arrays.
    private struct Flat: Sendable {
        var parents: [Int]
        var childStart: [Int]
        var childList: [Int]
        var endStart: [Int]
        var endList: [Int]
    }
    private let flat: Flat
    /// tailUniform[j]: columns j..<n are interchangeable for the constraints (n + 1 entries; the
    /// last, no columns, is true).
    private let tailUniform: [Bool]

    struct Result: Sendable {
        /// Column index of each amount, in printed order.
        var assignment: [Int]
        /// Other assignments that scored exactly as well (ambiguity), at most `maxTies`.
        var ties: [[Int]]
        /// Violated constraints of the chosen assignment.
        var violations: Int
        /// True when the search hit its budget (the result is the best seen).
        var truncated: Bool
    }

    /// Scaled value and tolerance (both at `scale` decimals).
    private struct Scaled { var value: Int64; var tolerance: Int64 }

    /// `reference`: run the original branch and bound (`Search`, arrays of arrays) instead of
    /// `FastSearch`; both visit the same nodes in the same order (tests compare them).
    func assign(_ amounts: [Amount], preferred: [Int]? = nil, reference: Bool = false) -> Result {
        let k = amounts.count
        let n = columnCount
        if k == 0 || n == 0 { return Result(assignment: [], ties: [], violations: 0, truncated: false) }
        if k > n {
            // More amounts than columns: keep the first n.
            return Result(assignment: Array(0..<n) + Array(repeating: n - 1, count: k - n), ties: [], violations: 0, truncated: false)
        }
        var maxDecimals = 0
        for a in amounts where a.decimals > maxDecimals { maxDecimals = a.decimals }
        // One decimal beyond the finest printed one, so every amount's half-unit tolerance
        // (5 at the next decimal) is a whole number, even at Amount.maxDecimals; an amount that
        // does not fit Int64 at this scale makes the search give up (truncated), as before.
        let scale = maxDecimals + 1
        if reference { return assignReference(amounts, scale: scale, preferred: preferred) }
        // Values then tolerances, k each, in one temporary buffer (on the stack when small).
        return withUnsafeTemporaryAllocation(of: Int64.self, capacity: 2 * k) { buf -> Result in
            for (i, a) in amounts.enumerated() {
                guard let m = a.mantissa(atDecimals: scale) else {
                    return Result(assignment: Array(0..<k), ties: [], violations: 0, truncated: true)
                }
                var tol: Int64 = 5
                for _ in 0..<(scale - a.decimals - 1) { tol *= 10 }
                buf[i] = m
                buf[k + i] = tol
            }
            let value = UnsafeBufferPointer(rebasing: buf[0..<k])
            let tolerance = UnsafeBufferPointer(rebasing: buf[k..<(2 * k)])
            // k == n leaves one order-preserving assignment (every column filled in order): the
            // search would reach only that leaf, whatever the preferred columns (they only add < 1000
            // to its cost). Amount j sits in column j.
            if k == n {
                var v = 0
                for ci in flat.parents.indices {
                    let p = flat.parents[ci]
                    var sum: Int64 = 0
                    var tol = tolerance[p]
                    for m in flat.childStart[ci]..<flat.childStart[ci + 1] {
                        let ch = flat.childList[m]
                        sum &+= value[ch]
                        tol &+= tolerance[ch]
                    }
                    let diff = value[p] > sum ? value[p] - sum : sum - value[p]
                    if diff > tol { v += 1 }
                }
                return Result(assignment: identity, ties: [], violations: v, truncated: false)
            }
            let pref = preferred ?? []
            // Up to `exactColumns` columns the whole tree (every order-preserving placement and its
            // prefixes) has fewer nodes than the budget, so the search cannot be cut short: its
            // result is a function of the leaves' costs alone (the least cost; the first `maxTies`
            // leaves reaching it, earliest columns first), whichever subtrees are skipped on the way.
            if n <= ColumnAssigner.exactColumns {
                // Preferred columns for every amount, in order and in range, under which no sum is
                // broken: that leaf costs 0 and every other one at least 1 (some amount away from its
                // column), so it is the only best leaf. The common row, decided without a search.
                if let preferred, preferred.count >= k, preferredLeafFits(preferred, k: k, n: n, value: value, tolerance: tolerance) {
                    return Result(assignment: k == preferred.count ? preferred : Array(preferred[0..<k]), ties: [],
                                  violations: 0, truncated: false)
                }
            }
            // The slots (n), then the best assignments recorded so far, k columns each: one
            // temporary buffer (kept within 128 Ints, so on the stack) instead of an array per leaf
            // recorded. More ties than it holds (up to `maxTies`) move the store to the heap.
            let maxTies = ColumnAssigner.maxTies
            let inline = max(1, min(maxTies, (128 - n) / k))
            return withUnsafeTemporaryAllocation(of: Int.self, capacity: n + inline * k) { buffer -> Result in
                let slot = UnsafeMutableBufferPointer(rebasing: buffer[0..<n])
                let store = UnsafeMutableBufferPointer(rebasing: buffer[n...])
                slot.initialize(repeating: -1)
                return pref.withUnsafeBufferPointer { pref in
                flat.parents.withUnsafeBufferPointer { parents in
                flat.childStart.withUnsafeBufferPointer { childStart in
                flat.childList.withUnsafeBufferPointer { childList in
                flat.endStart.withUnsafeBufferPointer { endStart in
                flat.endList.withUnsafeBufferPointer { endList in
                    if n <= ColumnAssigner.exactColumns {
                        return tailUniform.withUnsafeBufferPointer { uniform in
                        exactSearch(uniform: uniform, k: k, n: n, value: value, tolerance: tolerance, preferred: preferred, pref: pref,
                                           parents: parents, childStart: childStart, childList: childList,
                                           endStart: endStart, endList: endList, slot: slot, store: store)
                        }
                    }
                    var search = FastSearch(k: k, n: n, value: value, tolerance: tolerance, hasPreferred: preferred != nil,
                                            preferred: pref, parents: parents, childStart: childStart, childList: childList,
                                            endStart: endStart, endList: endList, slot: slot, store: store,
                                            budget: ColumnAssigner.nodeBudget, maxTies: maxTies)
                    search.dfs(0, 0, 0)
                    defer { search.heap?.deallocate() }
                    guard search.stored > 0 else {
                        return Result(assignment: Array(0..<k), ties: [], violations: 0, truncated: true)
                    }
                    let store = search.store
                    let first = Array(store[0..<k])
                    var ties: [[Int]] = []
                    if search.stored > 1 {
                        ties.reserveCapacity(search.stored - 1)
                        for t in 1..<search.stored { ties.append(Array(store[(t * k)..<((t + 1) * k)])) }
                    }
                    return Result(assignment: first, ties: ties, violations: search.best / 1000, truncated: search.truncated)
                }
                }
                }
                }
                }
                }
            }
        }
    }

    /// True when `preferred` (its first k entries) places the amounts in order in columns 0..<n
    /// and that placement breaks no constraint (blank columns count as exact zeros, as in the
    /// search's `check`, which evaluates each constraint on the same values once its last member is
    /// decided).
    private func preferredLeafFits(_ preferred: [Int], k: Int, n: Int, value: UnsafeBufferPointer<Int64>,
                                   tolerance: UnsafeBufferPointer<Int64>) -> Bool {
        var previous = -1
        for i in 0..<k {
            let c = preferred[i]
            guard c > previous, c < n else { return false }
            previous = c
        }
        // The amount in each column (-1 blank): the search's slots at this leaf.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: n) { slot -> Bool in
            slot.initialize(repeating: -1)
            for i in 0..<k { slot[preferred[i]] = i }
            for ci in flat.parents.indices {
                var sum: Int64 = 0
                var tol: Int64 = 0
                for m in flat.childStart[ci]..<flat.childStart[ci + 1] {
                    let s = slot[flat.childList[m]]
                    if s >= 0 {
                        sum &+= value[s]
                        tol &+= tolerance[s]
                    }
                }
                var p: Int64 = 0
                let ps = slot[flat.parents[ci]]
                if ps >= 0 { p = value[ps]; tol &+= tolerance[ps] }
                let diff = p > sum ? p - sum : sum - p
                if diff > tol { return false }
            }
            return true
        }
    }

    /// `FastSearch`'s result where the budget cannot cut it short (`exactColumns`): `ExactSearch`
    /// with the least preference cost of every subtree worked out first.
    private func exactSearch(uniform: UnsafeBufferPointer<Bool>, k: Int, n: Int, value: UnsafeBufferPointer<Int64>, tolerance: UnsafeBufferPointer<Int64>,
                             preferred: [Int]?, pref: UnsafeBufferPointer<Int>, parents: UnsafeBufferPointer<Int>,
                             childStart: UnsafeBufferPointer<Int>, childList: UnsafeBufferPointer<Int>,
                             endStart: UnsafeBufferPointer<Int>, endList: UnsafeBufferPointer<Int>,
                             slot: UnsafeMutableBufferPointer<Int>, store: UnsafeMutableBufferPointer<Int>) -> Result {
        let width = k + 1
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: (n + 1) * width) { least -> Result in
            // least[j * width + i]: the fewest amounts i..<k away from their preferred columns when
            // placed in order in columns j..<n (0 without preferred columns; entries with fewer
            // columns than amounts are never read).
            least.initialize(repeating: 0)
            if preferred != nil {
                var j = n - 1
                while j >= 0 {
                    var i = max(0, k - (n - j))
                    while i <= k {
                        var m = Int.max
                        if i < k {
                            m = least[(j + 1) * width + i + 1] + (i < pref.count && pref[i] != j ? 1 : 0)
                        }
                        if k - i <= n - j - 1 { m = min(m, least[(j + 1) * width + i]) }
                        least[j * width + i] = m
                        i += 1
                    }
                    j -= 1
                }
            }
            var search = ExactSearch(uniform: uniform, k: k, n: n, value: value, tolerance: tolerance, hasPreferred: preferred != nil,
                                     preferred: pref, least: UnsafeBufferPointer(least), parents: parents,
                                     childStart: childStart, childList: childList, endStart: endStart, endList: endList,
                                     slot: slot, store: store, maxTies: ColumnAssigner.maxTies)
            search.dfs(0, 0, 0)
            defer { search.heap?.deallocate() }
            let stored = search.stored
            let found = search.store
            let first = Array(found[0..<k])
            var ties: [[Int]] = []
            if stored > 1 {
                ties.reserveCapacity(stored - 1)
                for t in 1..<stored { ties.append(Array(found[(t * k)..<((t + 1) * k)])) }
            }
            return Result(assignment: first, ties: ties, violations: search.best / 1000, truncated: false)
        }
    }

    /// `FastSearch` without the budget (it cannot be reached: `exactColumns`) and with a tighter
    /// bound: a subtree is entered only if its cheapest leaf could still be recorded, i.e. the
    /// cost so far plus the subtree's least preference cost (`least`, exact) is below the best, or
    /// equal to it while fewer than `maxTies` are stored. Every leaf skipped would have been
    /// passed over by `FastSearch` (dearer than the best, or a tie past `maxTies`), and the leaves
    /// are still met earliest columns first, so the best, the stored leaves and their order are
    /// `FastSearch`'s.
    private struct ExactSearch {
        /// `ColumnAssigner.tailUniform`.
        let uniform: UnsafeBufferPointer<Bool>
        let k: Int
        let n: Int
        let value: UnsafeBufferPointer<Int64>
        let tolerance: UnsafeBufferPointer<Int64>
        let hasPreferred: Bool
        let preferred: UnsafeBufferPointer<Int>
        let least: UnsafeBufferPointer<Int>
        let parents: UnsafeBufferPointer<Int>
        let childStart: UnsafeBufferPointer<Int>
        let childList: UnsafeBufferPointer<Int>
        let endStart: UnsafeBufferPointer<Int>
        let endList: UnsafeBufferPointer<Int>
        let slot: UnsafeMutableBufferPointer<Int>
        var store: UnsafeMutableBufferPointer<Int>
        var heap: UnsafeMutableBufferPointer<Int>?
        let maxTies: Int
        var best = Int.max
        var stored = 0

        init(uniform: UnsafeBufferPointer<Bool>, k: Int, n: Int, value: UnsafeBufferPointer<Int64>,
             tolerance: UnsafeBufferPointer<Int64>, hasPreferred: Bool, preferred: UnsafeBufferPointer<Int>, least: UnsafeBufferPointer<Int>, parents: UnsafeBufferPointer<Int>,
             childStart: UnsafeBufferPointer<Int>, childList: UnsafeBufferPointer<Int>, endStart: UnsafeBufferPointer<Int>,
             endList: UnsafeBufferPointer<Int>, slot: UnsafeMutableBufferPointer<Int>, store: UnsafeMutableBufferPointer<Int>,
             maxTies: Int) {
            self.uniform = uniform
            self.k = k
            self.n = n
            self.value = value
            self.tolerance = tolerance
            self.hasPreferred = hasPreferred
            self.preferred = preferred
            self.least = least
            self.parents = parents
            self.childStart = childStart
            self.childList = childList
            self.endStart = endStart
            self.endList = endList
            self.slot = slot
            self.store = store
            self.maxTies = maxTies
        }

        /// `ColumnAssigner.recordLeaf`.
        mutating func record(at index: Int) {
            ColumnAssigner.recordLeaf(at: index, k: k, n: n, maxTies: maxTies, slot: slot, store: &store, heap: &heap)
        }

        /// `ColumnAssigner.violations`.
        @inline(__always)
        func check(_ j: Int) -> Int {
            ColumnAssigner.violations(endingAt: j, slot: slot, value: value, tolerance: tolerance, parents: parents,
                                      childStart: childStart, childList: childList, endStart: endStart, endList: endList)
        }

        /// The subtree at column j, amount i, whose remaining columns are interchangeable (`uniform`)
        /// and where no amount has a preferred column: every leaf costs the same (the violations of
        /// any one placement of the rest: here amounts i..<k in columns j, j + 1, ...), so its
        /// leaves are recorded as the search would meet them, earliest columns first (the
        /// combinations of k − i of columns j..<n in lexicographic order), without scoring each.
        mutating func sameCostLeaves(_ j: Int, _ i: Int, _ cost: Int) {
            let r = k - i
            for t in 0..<r { slot[j + t] = i + t }
            var leafCost = cost
            for col in j..<n { leafCost += check(col) * 1000 }
            for t in 0..<r { slot[j + t] = -1 }
            guard worth(leafCost) else { return }
            if leafCost < best { best = leafCost; stored = 0 }
            // The columns of amounts i..<k, lexicographically from j, j + 1, ...
            withUnsafeTemporaryAllocation(of: Int.self, capacity: max(r, 1)) { cols in
                for t in 0..<r { cols[t] = j + t }
                while stored < maxTies {
                    for t in 0..<r { slot[cols[t]] = i + t }
                    record(at: stored)
                    stored += 1
                    for t in 0..<r { slot[cols[t]] = -1 }
                    // The next combination: the last column that can move right moves by one, the
                    // ones after it follow it.
                    var t = r - 1
                    while t >= 0 && cols[t] == n - r + t { t -= 1 }
                    if t < 0 { break }
                    cols[t] += 1
                    for u in (t + 1)..<r { cols[u] = cols[u - 1] + 1 }
                }
            }
        }

        /// Whether a subtree whose leaves cost at least `bound` can still change the result.
        @inline(__always)
        func worth(_ bound: Int) -> Bool { bound < best || (bound == best && stored < maxTies) }

        mutating func dfs(_ j: Int, _ i: Int, _ cost: Int) {
            if j == n {
                if cost < best { best = cost; record(at: 0); stored = 1 }
                else if cost == best && stored < maxTies { record(at: stored); stored += 1 }
                return
            }
            if !hasPreferred && uniform[j] {
                sameCostLeaves(j, i, cost)
                return
            }
            let width = k + 1
            // assign amount i to column j
            if i < k && k - i <= n - j {
                slot[j] = i
                var c = cost + check(j) * 1000
                if hasPreferred, i < preferred.count, preferred[i] != j { c += 1 }
                if worth(c + least[(j + 1) * width + i + 1]) { dfs(j + 1, i + 1, c) }
                slot[j] = -1
            }
            // leave column j blank
            if k - i <= n - j - 1 {
                let c = cost + check(j) * 1000
                if worth(c + least[(j + 1) * width + i]) { dfs(j + 1, i, c) }
            }
        }
    }

    /// The assignment as first written: scaled amounts in an array, `Search` over arrays of
    /// arrays, violations of k == n through per-column copies. `assign` must give the same.
    private func assignReference(_ amounts: [Amount], scale: Int, preferred: [Int]?) -> Result {
        let k = amounts.count
        let n = columnCount
        var scaled: [Scaled] = []
        for a in amounts {
            guard let m = a.mantissa(atDecimals: scale) else {
                return Result(assignment: Array(0..<k), ties: [], violations: 0, truncated: true)
            }
            var tol: Int64 = 5
            for _ in 0..<(scale - a.decimals - 1) { tol *= 10 }
            scaled.append(Scaled(value: m, tolerance: tol))
        }
        if k == n {
            return Result(assignment: Array(0..<k), ties: [], violations: violations(Array(0..<k), scaled), truncated: false)
        }
        var search = Search(k: k, n: n, scaled: scaled, preferred: preferred, constraints: constraints,
                            endingAt: endingAt, slot: Array(repeating: -1, count: n))
        search.dfs(0, 0, 0)
        guard let first = search.bestAssignments.first else {
            return Result(assignment: Array(0..<k), ties: [], violations: 0, truncated: true)
        }
        return Result(assignment: first, ties: Array(search.bestAssignments.dropFirst()), violations: search.best / 1000,
                      truncated: search.truncated)
    }

    /// Writes a leaf's assignment (the column of each amount, read off `slot`) as stored assignment
    /// `index` of the searches over buffers (`ExactSearch`, `FastSearch`). At a leaf every amount
    /// has its column: k of the n slots are filled. Past the caller's buffer, `heap` takes over with
    /// room for `maxTies` assignments, the ones stored so far copied over.
    @inline(__always)
    fileprivate static func recordLeaf(at index: Int, k: Int, n: Int, maxTies: Int, slot: UnsafeMutableBufferPointer<Int>,
                                       store: inout UnsafeMutableBufferPointer<Int>, heap: inout UnsafeMutableBufferPointer<Int>?) {
        if (index + 1) * k > store.count {
            let bigger = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(maxTies, index + 1) * k)
            for i in 0..<(index * k) { bigger[i] = store[i] }
            heap?.deallocate()
            heap = bigger
            store = bigger
        }
        var at = index * k
        for col in 0..<n where slot[col] >= 0 {
            store[at] = col
            at += 1
        }
    }

    /// The constraints decided at column j (`endList[endStart[j]..<endStart[j + 1]]`) that the
    /// placement in `slot` breaks: parent and placed children apart by more than their tolerances.
    @inline(__always)
    fileprivate static func violations(endingAt j: Int, slot: UnsafeMutableBufferPointer<Int>, value: UnsafeBufferPointer<Int64>,
                                       tolerance: UnsafeBufferPointer<Int64>, parents: UnsafeBufferPointer<Int>,
                                       childStart: UnsafeBufferPointer<Int>, childList: UnsafeBufferPointer<Int>,
                                       endStart: UnsafeBufferPointer<Int>, endList: UnsafeBufferPointer<Int>) -> Int {
        var v = 0
        var e = endStart[j]
        let eEnd = endStart[j + 1]
        while e < eEnd {
            let ci = endList[e]
            var sum: Int64 = 0
            var tol: Int64 = 0
            var m = childStart[ci]
            let mEnd = childStart[ci + 1]
            while m < mEnd {
                let s = slot[childList[m]]
                if s >= 0 {
                    sum &+= value[s]
                    tol &+= tolerance[s]
                }
                m += 1
            }
            var p: Int64 = 0
            let ps = slot[parents[ci]]
            if ps >= 0 { p = value[ps]; tol &+= tolerance[ps] }
            let diff = p > sum ? p - sum : sum - p
            if diff > tol { v += 1 }
            e += 1
        }
        return v
    }

    /// `Search` over buffer pointers: the same recursion, the same node count and budget, the same
    /// costs and tie order, without array uniqueness checks or retains per node.
    private struct FastSearch {
        let k: Int
        let n: Int
        let value: UnsafeBufferPointer<Int64>
        let tolerance: UnsafeBufferPointer<Int64>
        let hasPreferred: Bool
        let preferred: UnsafeBufferPointer<Int>
        let parents: UnsafeBufferPointer<Int>
        let childStart: UnsafeBufferPointer<Int>
        let childList: UnsafeBufferPointer<Int>
        let endStart: UnsafeBufferPointer<Int>
        let endList: UnsafeBufferPointer<Int>
        let slot: UnsafeMutableBufferPointer<Int>
        /// The best assignments so far, k columns each, in the order found (`stored` of them,
        /// at most `maxTies`): what `Search.bestAssignments` holds, flat. The caller's buffer, or
        /// `heap` once more are recorded than it holds (the caller deallocates `heap`).
        var store: UnsafeMutableBufferPointer<Int>
        var heap: UnsafeMutableBufferPointer<Int>?
        let budget: Int
        let maxTies: Int
        var best = Int.max
        var stored = 0
        var nodes = 0
        var truncated = false

        init(k: Int, n: Int, value: UnsafeBufferPointer<Int64>, tolerance: UnsafeBufferPointer<Int64>, hasPreferred: Bool,
             preferred: UnsafeBufferPointer<Int>, parents: UnsafeBufferPointer<Int>, childStart: UnsafeBufferPointer<Int>,
             childList: UnsafeBufferPointer<Int>, endStart: UnsafeBufferPointer<Int>, endList: UnsafeBufferPointer<Int>,
             slot: UnsafeMutableBufferPointer<Int>, store: UnsafeMutableBufferPointer<Int>, budget: Int, maxTies: Int) {
            self.k = k
            self.n = n
            self.value = value
            self.tolerance = tolerance
            self.hasPreferred = hasPreferred
            self.preferred = preferred
            self.parents = parents
            self.childStart = childStart
            self.childList = childList
            self.endStart = endStart
            self.endList = endList
            self.slot = slot
            self.store = store
            self.budget = budget
            self.maxTies = maxTies
        }

        @inline(__always)
        func lateAmounts(from i: Int, shift: Int) -> Int {
            guard hasPreferred else { return 0 }
            var count = 0
            var t = i
            let end = min(k, preferred.count)
            while t < end {
                if preferred[t] - t < shift { count += 1 }
                t += 1
            }
            return count
        }

        /// `ColumnAssigner.recordLeaf`.
        mutating func record(at index: Int) {
            ColumnAssigner.recordLeaf(at: index, k: k, n: n, maxTies: maxTies, slot: slot, store: &store, heap: &heap)
        }

        @inline(__always)
        func check(_ j: Int) -> Int {
            ColumnAssigner.violations(endingAt: j, slot: slot, value: value, tolerance: tolerance, parents: parents,
                                      childStart: childStart, childList: childList, endStart: endStart, endList: endList)
        }

        mutating func dfs(_ j: Int, _ i: Int, _ cost: Int) {
            nodes += 1
            if nodes > budget { truncated = true; return }
            if j == n {
                if i < k { return }
                if cost < best { best = cost; record(at: 0); stored = 1 }
                else if cost == best && stored < maxTies { record(at: stored); stored += 1 }
                return
            }
            // assign amount i to column j
            if i < k && k - i <= n - j {
                slot[j] = i
                var c = cost + check(j) * 1000
                if hasPreferred, i < preferred.count, preferred[i] != j { c += 1 }
                if c <= best { dfs(j + 1, i + 1, c) }
                slot[j] = -1
            }
            // leave column j blank
            if k - i <= n - j - 1 {
                let c = cost + check(j) * 1000
                if c <= best && c + lateAmounts(from: i, shift: j + 1 - i) <= best { dfs(j + 1, i, c) }
            }
        }
    }

    /// The branch-and-bound state: a struct with mutating methods, so the recursion touches its
    /// state directly (no boxed captures with a dynamic exclusivity check per access).
    private struct Search {
        let k: Int
        let n: Int
        let scaled: [Scaled]
        let preferred: [Int]?
        let constraints: [(parent: Int, children: [Int])]
        let endingAt: [[Int]]
        var slot: [Int] // amount index per column, -1 blank
        var best = Int.max
        var bestAssignments: [[Int]] = []
        var nodes = 0
        var truncated = false

        init(k: Int, n: Int, scaled: [Scaled], preferred: [Int]?, constraints: [(parent: Int, children: [Int])],
             endingAt: [[Int]], slot: [Int]) {
            self.k = k
            self.n = n
            self.scaled = scaled
            self.preferred = preferred
            self.constraints = constraints
            self.endingAt = endingAt
            self.slot = slot
        }

        /// A lower bound on the preference cost still to come: with amount `i` at column ≥ i + shift,
        /// every later amount t lands at column ≥ t + shift, so each whose preferred column is
        /// left of that costs 1. Subtrees whose every leaf costs more than the best are skipped
        /// (the leaves recorded, best and ties, are the same as without the bound).
        @inline(__always)
        func lateAmounts(from i: Int, shift: Int) -> Int {
            guard let preferred else { return 0 }
            var count = 0
            var t = i
            let end = min(k, preferred.count)
            while t < end {
                if preferred[t] - t < shift { count += 1 }
                t += 1
            }
            return count
        }

        /// The column of each amount, read off `slot` at a leaf (amounts fill columns in order).
        func assignment() -> [Int] {
            var out: [Int] = []
            out.reserveCapacity(k)
            for col in 0..<n where slot[col] >= 0 { out.append(col) }
            return out
        }

        func check(_ j: Int) -> Int {
            var v = 0
            for ci in endingAt[j] {
                let c = constraints[ci]
                var sum: Int64 = 0
                var tol: Int64 = 0
                for ch in c.children where slot[ch] >= 0 {
                    sum &+= scaled[slot[ch]].value
                    tol &+= scaled[slot[ch]].tolerance
                }
                var p: Int64 = 0
                if slot[c.parent] >= 0 { p = scaled[slot[c.parent]].value; tol &+= scaled[slot[c.parent]].tolerance }
                let diff = p > sum ? p - sum : sum - p
                if diff > tol { v += 1 }
            }
            return v
        }

        mutating func dfs(_ j: Int, _ i: Int, _ cost: Int) {
            nodes += 1
            if nodes > ColumnAssigner.nodeBudget { truncated = true; return }
            if j == n {
                if i < k { return }
                if cost < best { best = cost; bestAssignments = [assignment()] }
                else if cost == best && bestAssignments.count < ColumnAssigner.maxTies { bestAssignments.append(assignment()) }
                return
            }
            // assign amount i to column j
            if i < k && k - i <= n - j {
                slot[j] = i
                var c = cost + check(j) * 1000
                if let preferred, i < preferred.count, preferred[i] != j { c += 1 }
                if c <= best { dfs(j + 1, i + 1, c) }
                slot[j] = -1
            }
            // leave column j blank
            if k - i <= n - j - 1 {
                let c = cost + check(j) * 1000
                if c <= best && c + lateAmounts(from: i, shift: j + 1 - i) <= best { dfs(j + 1, i, c) }
            }
        }
    }

    private func violations(_ assignment: [Int], _ scaled: [Scaled]) -> Int {
        var slotValue = Array(repeating: Int64(0), count: columnCount)
        var slotTol = Array(repeating: Int64(0), count: columnCount)
        for (i, col) in assignment.enumerated() where col < columnCount {
            slotValue[col] = scaled[i].value
            slotTol[col] = scaled[i].tolerance
        }
        var v = 0
        for c in constraints {
            var sum: Int64 = 0
            var tol = slotTol[c.parent]
            for ch in c.children { sum &+= slotValue[ch]; tol &+= slotTol[ch] }
            let diff = slotValue[c.parent] > sum ? slotValue[c.parent] - sum : sum - slotValue[c.parent]
            if diff > tol { v += 1 }
        }
        return v
    }
}
