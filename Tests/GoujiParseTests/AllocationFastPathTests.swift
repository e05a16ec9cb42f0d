import Foundation
import GoujiModel
@testable import GoujiParse
import GoujiTestSupport
import Testing

/// The parser's allocation-free readings (reused scratch arrays, inline row lines) against the
/// readings they replaced, on random inputs.
@Suite struct AllocationFastPathTests {
    typealias Generator = SplitMix64

    static let words = ["合计", "一、基本支出", "工资 福利", "收入 合计", "其中", "支出", "本年 收入", "a b c", "经费",
                        "上年结转 结余", "结转下年", "二、项目支出"]
    static let numbers = ["12.5", "1,234.00", "0", "7", "3.14", "-2.00"]

    /// A random table line's tokens: up to `most` codes, label words and numbers (some without
    /// an amount), at increasing positions. (Also the segment tests' lines.)
    static func randomTokens(_ g: inout Generator, most: Int = 9, words: [String] = words,
                             numbers: [String] = numbers) -> [Token] {
        var tokens: [Token] = []
        var position = 0
        for _ in 0..<g.int(0...most) {
            switch g.int(0...2) {
            case 0:
                tokens.append(Token(kind: .code, text: ["208", "20801", "2080109", "01"][g.int(0...3)], amount: nil, position: position))
            case 1:
                tokens.append(Token(kind: .text, text: words[g.int(0...(words.count - 1))], amount: nil, position: position))
            default:
                let n = numbers[g.int(0...(numbers.count - 1))]
                tokens.append(Token(kind: .number, text: n, amount: g.int(0...9) == 0 ? nil : LineTokens.amount(Substring(n)),
                                    position: position, ownCell: g.int(0...1) == 0))
            }
            position += g.int(1...12)
        }
        return tokens
    }

    /// `segments(into:scratch:)` on one pair of arrays reused line after line (stale segments,
    /// capacity kept, the two-sided swap) gives each line's `segments` read afresh.
    @Test func reusedSegmentArraysMatchFreshOnes() {
        var g = Generator(seed: 2026)
        var out: [Segment] = []
        var scratch: [Segment] = []
        for round in 0..<4000 {
            let tokens = Self.randomTokens(&g)
            let twoSided = g.int(0...1) == 0
            let splitPosition: Int? = g.int(0...2) == 0 ? g.int(0...40) : nil
            let tabbed: Bool? = [nil, true, false][g.int(0...2)]
            let fresh = RowReader.segments(tokens, twoSided: twoSided, splitPosition: splitPosition, tabbed: tabbed)
            RowReader.segments(tokens[...], twoSided: twoSided, splitPosition: splitPosition, tabbed: tabbed,
                               into: &out, scratch: &scratch)
            #expect(TableFastPathRound5Tests.same(out, fresh, positions: true, edges: true), "round \(round)")
        }
    }

    /// Lines tokenised one after another into one shared array (`TableReader.TokenCache`) give
    /// each line's own `tokens`, whatever came before (the date and code rules look only at the
    /// line's own tokens).
    @Test func sharedTokenArrayMatchesPerLineTokens() throws {
        var lines = LineTokensFastPathTests.lines + ["2024年 12 3", "208 合计", "12.5%", "- 3 -", "[208]社会保障", "01 二、支出"]
        for url in try SharedData.seedFiles() {
            lines += SourceText(try String(contentsOf: url, encoding: .utf8)).lines.map(\.raw)
        }
        var cache = TableReader.TokenCache(lineCount: lines.count)
        // Out of order (and twice), as the dry run and the real pass ask for them.
        var order = Array(lines.indices)
        var g = Generator(seed: 11)
        for i in order.indices.reversed() { order.swapAt(i, g.int(0...i)) }
        for j in order + order {
            #expect(Array(cache.tokens(ofLine: j, lines[j])) == LineTokens.tokens(lines[j]), "line \(lines[j])")
        }
    }

    /// The assigner's per-column lists of constraints, now laid out flat by counting, are the
    /// lists it built by appending (random constraints, members in and out of range, repeated
    /// last columns); a row with an amount per column gets column j for amount j.
    @Test func columnAssignerEndingListsMatchAppendedOnes() {
        var g = Generator(seed: 303)
        for _ in 0..<3000 {
            let n = g.int(0...9)
            var constraints: [(parent: Int, children: [Int])] = []
            for _ in 0..<g.int(0...5) {
                let parent = g.int(0...(n + 1))
                let children = (0..<g.int(0...4)).map { _ in g.int(0...(n + 1)) }
                constraints.append((parent, children))
            }
            let assigner = ColumnAssigner(columnCount: n, constraints: constraints)
            let kept = constraints.filter { c in c.parent < n && c.children.allSatisfy { $0 < n } }
            var ending = Array(repeating: [Int](), count: max(n, 1))
            for (i, c) in kept.enumerated() { ending[max(c.parent, c.children.max() ?? c.parent)].append(i) }
            #expect(assigner.endingAt == ending)
            if n > 0 {
                let amounts = (0..<n).map { _ in Amount(mantissa: Int64(g.int(0...50)), decimals: g.int(0...2)) }
                #expect(assigner.assign(amounts).assignment == Array(0..<n))
                #expect(assigner.assign(amounts).violations == assigner.assign(amounts, reference: true).violations)
            }
        }
    }

    /// Lines with more cells than the first, small cell buffer holds (32) are read again with room
    /// for all: their tokens are those of the cell-by-cell reading, tab- and space-aligned.
    @Test func linesWithManyCellsMatchCellReading() {
        var g = Generator(seed: 64)
        for _ in 0..<300 {
            let count = g.int(25...90)
            let tabbed = g.int(0...1) == 0
            var fields: [String] = []
            for i in 0..<count {
                switch g.int(0...3) {
                case 0: fields.append(tabbed ? "" : "合计")
                case 1: fields.append("\(g.int(0...9999)).\(g.int(10...99))")
                case 2: fields.append(["208", "20801", "一、基本支出", "其中：工资"][g.int(0...3)])
                default: fields.append("\(i)")
                }
            }
            let line = fields.joined(separator: tabbed ? "\t" : "  ")
            #expect(LineTokens.tokens(line) == LineTokens.tokens(line, viaCells: true), "\(line)")
            let cells = FastText.scanUTF8(line) { LineTokens.cellRanges($0) }
            #expect(cells?.count == LineTokens.cells(line).filter { !$0.text.isEmpty }.count)
        }
    }

    /// Searches with more equally good assignments than the assigner's stack store holds (ties
    /// moved to the heap mid-search) record the same best assignment and ties as the reference.
    @Test func columnSearchWithManyTiesMatchesReference() {
        var g = Generator(seed: 5150)
        for _ in 0..<150 {
            let n = g.int(6...24)
            let k = g.int(1...min(n - 1, 8))
            // No constraints (every placement scores alike) or one loose total: many ties.
            let constraints: [(parent: Int, children: [Int])] = g.int(0...1) == 0 ? [] : [(parent: 0, children: Array(1..<n))]
            let assigner = ColumnAssigner(columnCount: n, constraints: constraints)
            let amounts = (0..<k).map { _ in Amount(mantissa: Int64(g.int(0...3)), decimals: 0) }
            let preferred: [Int]? = g.int(0...2) == 0 ? (0..<k).map { _ in g.int(0...n) } : nil
            let fast = assigner.assign(amounts, preferred: preferred)
            let slow = assigner.assign(amounts, preferred: preferred, reference: true)
            #expect(fast.assignment == slow.assignment)
            #expect(fast.ties == slow.ties)
            #expect(fast.violations == slow.violations)
            #expect(fast.truncated == slow.truncated)
        }
        // 12 columns, 3 amounts, nothing to tell placements apart: 220 leaves, 64 kept.
        let wide = ColumnAssigner(columnCount: 12, constraints: [])
        let r = wide.assign([Amount(mantissa: 1, decimals: 0), Amount(mantissa: 2, decimals: 0), Amount(mantissa: 3, decimals: 0)])
        #expect(r.ties.count == ColumnAssigner.maxTies - 1)
        #expect(r.ties == wide.assign([Amount(mantissa: 1, decimals: 0), Amount(mantissa: 2, decimals: 0),
                                       Amount(mantissa: 3, decimals: 0)], reference: true).ties)
    }

    /// `FastText.characterCount` (now used for the labels `labelBefore` reads up to a colon) is
    /// `String.count` on narrative text, grapheme clusters included.
    @Test func characterCountIsCount() throws {
        var texts = ["", "为", "其中：为", "e\u{0301}为", "👨‍👩‍👧为", "\r\n为", "（一）基本支出为", "一般公共预算财政拨款为"]
        for url in try SharedData.seedFiles() {
            texts += SourceText(try String(contentsOf: url, encoding: .utf8)).lines.map(\.text)
        }
        for s in texts { #expect(FastText.characterCount(s) == s.count, "\(s)") }
    }

    /// A row's values start from a copy of a shared empty dictionary made with room for its k
    /// amounts: once filled it holds what a dictionary made for the row holds, at the same capacity.
    @Test func rowValuesFromSharedEmptyMatchFreshOnes() {
        var g = Generator(seed: 8)
        let keys = ["total", "basic", "project", "general_budget", "gov_fund", "state_capital", "fiscal", "other"]
        for k in 1...8 {
            let shared = [String: Amount](minimumCapacity: k)
            for _ in 0..<50 {
                var fromShared = shared
                var fresh = [String: Amount](minimumCapacity: k)
                for key in keys.shuffled(using: &g).prefix(g.int(1...k)) {
                    let a = Amount(mantissa: Int64(g.int(0...999)), decimals: 2)
                    fromShared[key] = a
                    fresh[key] = a
                }
                #expect(fromShared == fresh)
                #expect(fromShared.capacity == fresh.capacity)
            }
            #expect(shared.isEmpty)
        }
    }

    /// `RowLines` keeps what an `[Int]` would: order, count, last, iteration.
    @Test func rowLinesActLikeAnArray() {
        var g = Generator(seed: 7)
        for _ in 0..<2000 {
            var lines = RowLines()
            var reference: [Int] = []
            if g.int(0...1) == 0 {
                let n = g.int(1...500)
                lines = RowLines(n)
                reference = [n]
            }
            for _ in 0..<g.int(0...6) {
                let n = g.int(1...500)
                lines.append(n)
                reference.append(n)
            }
            #expect(Array(lines) == reference)
            #expect(lines.count == reference.count)
            #expect(lines.isEmpty == reference.isEmpty)
            #expect(lines.last == reference.last)
            var literal: RowLines = []
            for n in reference { literal.append(n) }
            #expect(literal == lines)
        }
        let three: RowLines = [4, 5, 9]
        #expect(Array(three) == [4, 5, 9])
    }

    /// Whole tables read through the reused arrays: every seed's rows are those of a reading that
    /// builds a fresh segment array per line.
    @Test func rowReaderOnSeedsMatchesPerLineSegments() throws {
        for url in try SharedData.seedFiles() {
            let src = SourceText(try String(contentsOf: url, encoding: .utf8))
            var body: [(line: SourceLine, tokens: [Token])] = []
            for l in src.lines where !l.isBlank { body.append((l, LineTokens.tokens(l.raw))) }
            // The reader takes slices of one shared token array, as `TableReader` hands them over.
            var all: [Token] = []
            var ranges: [Range<Int>] = []
            for (_, tokens) in body {
                ranges.append(all.count..<(all.count + tokens.count))
                all.append(contentsOf: tokens)
            }
            var sliced: [BodyLine] = []
            for (b, r) in zip(body, ranges) { sliced.append(BodyLine(line: b.line, tokens: all[r])) }
            for twoSided in [false, true] {
                for tabbed in [false, true] {
                    let (rows, prose) = RowReader.read(sliced, twoSided: twoSided, splitPosition: nil, tabbed: tabbed)
                    let (refRows, refProse) = Self.referenceRead(body, twoSided: twoSided, tabbed: tabbed)
                    #expect(prose == refProse)
                    #expect(rows.count == refRows.count)
                    for (a, b) in zip(rows, refRows) {
                        #expect(a.code == b.code)
                        #expect(a.label == b.label)
                        #expect(a.side == b.side)
                        #expect(a.amounts == b.amounts)
                        #expect(a.positions == b.positions)
                        #expect(a.rightEdges == b.rightEdges)
                        #expect(a.line == b.line)
                        #expect(Array(a.lines) == b.lines)
                    }
                }
            }
        }
    }

    /// `RowReader.read` as it was before the shared segment arrays and inline row lines (one
    /// `segments` array per line, `[Int]` lines), for the test above.
    struct RefRow { var code: String?; var label: String; var side: Side?; var amounts: [Amount]; var positions: [Int]?
                    var rightEdges: [Int]?; var line: Int; var lines: [Int]; var labelPosition = -1 }

    /// A reference row as the reader's row (for the rules both readings share).
    static func rawRow(_ r: RefRow) -> RawRow {
        var lines = RowLines()
        for n in r.lines { lines.append(n) }
        return RawRow(code: r.code, label: r.label, side: r.side, amounts: r.amounts, positions: r.positions,
                      rightEdges: r.rightEdges, line: r.line, lines: lines)
    }

    static func referenceRead(_ lines: [(line: SourceLine, tokens: [Token])], twoSided: Bool,
                              tabbed: Bool) -> (rows: [RefRow], prose: [Int]) {
        var rows: [RefRow] = []
        var previousLine = -1
        var prose: [Int] = []
        var pending: RefRow?
        var pendingHasCode = false
        var pendingHint: Side?
        var classCode: String?
        func fullCode(_ c: String) -> String {
            let length = c.utf8.count
            if length == 3 { classCode = c; return c }
            if length == 2, let cls = classCode { return cls + c }
            if length == 5 || length == 7 { classCode = String(c.prefix(3)) }
            return c
        }
        func flush() {
            guard var p = pending else { return }
            p.label = RowReader.cleanLabel(p.label)
            if twoSided { p.side = pendingHint ?? RowReader.side(ofLabel: p.label) }
            if !p.label.isEmpty || p.code != nil || !p.amounts.isEmpty { rows.append(p) }
            pending = nil
            pendingHasCode = false
            pendingHint = nil
        }
        for idx in lines.indices {
            let lineNumber = lines[idx].line.number
            var segs = RowReader.segments(lines[idx].tokens, twoSided: twoSided, splitPosition: nil, tabbed: tabbed)
            if segs.isEmpty { continue }
            // Two-sided labels wrapped in their cells: the library's rule (`RowReader.wrapsInto`).
            defer { previousLine = lineNumber }
            if twoSided, previousLine >= 0, !segs.contains(where: { $0.code != nil || !$0.amounts.isEmpty }) {
                segs.removeAll { seg in
                    if let p = pending, p.lines.last == previousLine, RowReader.wrapsInto(p.label, labelPosition: p.labelPosition, seg) {
                        pending?.label += seg.text
                        pending?.lines.append(lineNumber)
                        return true
                    }
                    var r = rows.count - 1
                    while r >= 0, rows[r].lines.last == previousLine {
                        if RowReader.wrapsInto(rows[r].label, labelPosition: rows[r].labelPosition, seg) {
                            let label = RowReader.cleanLabel(rows[r].label + seg.text)
                            if rows[r].side == RowReader.side(ofLabel: rows[r].label) { rows[r].side = RowReader.side(ofLabel: label) }
                            rows[r].label = label
                            rows[r].lines.append(lineNumber)
                            return true
                        }
                        r -= 1
                    }
                    return false
                }
                if segs.isEmpty { continue }
            }
            if segs.count == 1, let c = segs[0].code, segs[0].text.isEmpty, segs[0].amounts.isEmpty {
                let next = lines[(idx + 1)...].first { !$0.tokens.isEmpty }
                if next?.tokens.first?.kind != .text, let a = LineTokens.amount(Substring(c)) {
                    segs[0] = Segment(code: nil, text: "", amounts: [a], positions: [segs[0].position], position: segs[0].position)
                }
            }
            let hasAmounts = segs.contains { !$0.amounts.isEmpty }
            if !hasAmounts && segs.allSatisfy({ $0.code == nil }) && RowReader.isSentence(segs.map { $0.text }.joined()) {
                if let p = pending, p.code == nil, p.amounts.isEmpty {
                    prose.append(contentsOf: p.lines)
                    pending = nil
                    pendingHint = nil
                }
                prose.append(lineNumber)
                continue
            }
            for seg in segs {
                if let c = seg.code {
                    flush()
                    pending = RefRow(code: fullCode(c), label: "", amounts: [], line: lineNumber, lines: [lineNumber])
                    pendingHasCode = true
                }
                if !seg.text.isEmpty {
                    if seg.amounts.isEmpty && seg.code == nil && RowReader.isSentence(seg.text) {
                        prose.append(lineNumber)
                        continue
                    }
                    if let p = pending {
                        if p.label.isEmpty {
                            pending?.label = seg.text
                            if pending?.labelPosition == -1 { pending?.labelPosition = seg.position }
                            if pendingHint == nil { pendingHint = seg.sideHint }
                        } else if (pendingHasCode && seg.code == nil && !RowReader.startsNewRow(seg.text))
                                    || (!RowReader.startsNewRow(seg.text) && !RowReader.endsTerminal(p.label)
                                        && !(twoSided && seg.sideHint != nil && seg.sideHint != pendingHint)) {
                            pending?.label += seg.text
                            pending?.lines.append(lineNumber)
                        } else {
                            flush()
                            pending = RefRow(code: nil, label: seg.text, amounts: [], line: lineNumber, lines: [lineNumber],
                                             labelPosition: seg.position)
                            pendingHint = seg.sideHint
                        }
                    } else if segs.count == 1, seg.code == nil, seg.amounts.isEmpty, let last = rows.last,
                              RowReader.continuesLabel(of: Self.rawRow(last), with: seg.text,
                                                       next: lines[(idx + 1)...].first { !$0.tokens.isEmpty }.map { $0.tokens[...] }) {
                        rows[rows.count - 1].label = RowReader.cleanLabel(last.label + seg.text)
                        rows[rows.count - 1].lines.append(lineNumber)
                    } else {
                        pending = RefRow(code: nil, label: seg.text, amounts: [], line: lineNumber, lines: [lineNumber],
                                             labelPosition: seg.position)
                        pendingHint = seg.sideHint
                    }
                }
                if !seg.amounts.isEmpty {
                    if pending == nil {
                        if let last = rows.last, last.amounts.isEmpty {
                            pending = rows.removeLast()
                            pendingHasCode = pending?.code != nil
                            pendingHint = pending?.side
                        } else {
                            pending = RefRow(code: nil, label: "", amounts: [], line: lineNumber, lines: [])
                        }
                    }
                    pending?.amounts = seg.amounts
                    pending?.positions = tabbed ? seg.positions : nil
                    pending?.rightEdges = tabbed || seg.rightEdges.contains(-1) ? nil : seg.rightEdges
                    pending?.line = lineNumber
                    if pending?.lines.last != lineNumber { pending?.lines.append(lineNumber) }
                    if pendingHint == nil { pendingHint = seg.sideHint }
                    flush()
                }
            }
        }
        flush()
        return (rows, prose)
    }

    /// `CrossRowResolver.resolve` with flat child lists and settled children placed in a temporary
    /// buffer gives the choices of the resolver as it was (children arrays, `columnValues` per child).
    @Test func crossRowResolverMatchesReference() {
        var g = Generator(seed: 31)
        let classes = ["201", "205", "208", "213"]
        // Rounds where the resolver changed some row's first choice (the comparison is not vacuous).
        var settled = 0
        for round in 0..<5000 {
            let columns = g.int(1...4)
            var rows: [RawRow] = []
            var results: [ColumnAssigner.Result] = []
            func increasing(_ k: Int) -> [Int] {
                // k distinct columns out of `columns`, in order.
                var cols = Array(0..<columns)
                while cols.count > k { cols.remove(at: g.int(0...(cols.count - 1))) }
                return cols
            }
            let count = g.int(1...14)
            for i in 0..<count {
                var code: String?
                var label = "项目\(i)"
                switch g.int(0...5) {
                case 0: code = nil; label = ["合计", "总计", "小计", "其他"][g.int(0...3)]
                case 1: code = classes[g.int(0...3)]
                case 2: code = classes[g.int(0...3)] + ["01", "02", "99"][g.int(0...2)]
                case 3: code = classes[g.int(0...3)] + ["01", "02"][g.int(0...1)] + ["01", "02", "99"][g.int(0...2)]
                case 4: code = "20801" + "0"
                default: code = nil
                }
                let k = g.int(0...columns)
                let amounts = (0..<k).map { _ in
                    Amount(mantissa: Int64(g.int(0...60)), decimals: g.int(0...9) == 0 ? 7 : g.int(0...2))
                }
                rows.append(RawRow(code: code, label: label, side: nil, amounts: amounts, positions: nil, rightEdges: nil,
                                   line: i + 1, lines: RowLines(i + 1)))
                var ties: [[Int]] = []
                if k > 0 && k < columns && g.int(0...2) > 0 {
                    for _ in 0..<g.int(1...3) { ties.append(increasing(k)) }
                }
                results.append(ColumnAssigner.Result(assignment: increasing(k), ties: ties, violations: 0, truncated: false))
            }
            let fast = CrossRowResolver.resolve(rows: rows, results: results, columnCount: columns)
            let slow = Self.referenceResolve(rows: rows, results: results, columnCount: columns)
            #expect(fast.map(\.assignment) == slow.map(\.assignment), "round \(round)")
            #expect(fast.map(\.ambiguous) == slow.map(\.ambiguous), "round \(round)")
            if zip(slow, results).contains(where: { $0.assignment != $1.assignment }) { settled += 1 }
        }
        #expect(settled > 100)
    }

    /// Parents with too many combinations to enumerate (the uniform-pattern fallback) settle
    /// their children as the previous resolver did.
    @Test func crossRowResolverFallbackMatchesReference() {
        var g = Generator(seed: 77)
        for round in 0..<40 {
            let columns = g.int(3...5)
            var rows = [RawRow(code: nil, label: "合计", side: nil,
                               amounts: (0..<columns).map { _ in Amount(mantissa: Int64(g.int(0...90)), decimals: 0) },
                               positions: nil, rightEdges: nil, line: 1, lines: RowLines(1))]
            var results = [ColumnAssigner.Result(assignment: Array(0..<columns), ties: [], violations: 0, truncated: false)]
            for i in 0..<g.int(10...16) {
                let k = g.int(1...(columns - 1))
                rows.append(RawRow(code: String(201 + i), label: "类\(i)", side: nil,
                                   amounts: (0..<k).map { _ in Amount(mantissa: Int64(g.int(0...12)), decimals: g.int(0...1)) },
                                   positions: nil, rightEdges: nil, line: i + 2, lines: RowLines(i + 2)))
                func pattern() -> [Int] {
                    var cols = Array(0..<columns)
                    while cols.count > k { cols.remove(at: g.int(0...(cols.count - 1))) }
                    return cols
                }
                let ties = (0..<g.int(1...3)).map { _ in pattern() }
                results.append(ColumnAssigner.Result(assignment: pattern(), ties: ties, violations: 0, truncated: false))
            }
            let fast = CrossRowResolver.resolve(rows: rows, results: results, columnCount: columns)
            let slow = Self.referenceResolve(rows: rows, results: results, columnCount: columns)
            #expect(fast.map(\.assignment) == slow.map(\.assignment), "round \(round)")
            #expect(fast.map(\.ambiguous) == slow.map(\.ambiguous), "round \(round)")
        }
    }

    /// The resolver as it was before the flat child lists (for the test above).
    static func referenceResolve(rows: [RawRow], results: [ColumnAssigner.Result], columnCount: Int) -> [CrossRowResolver.Choice] {
        typealias Choice = CrossRowResolver.Choice
        let maxCombinations = CrossRowResolver.maxCombinations
        var chosen = results.map { Choice(assignment: $0.assignment, ambiguous: !$0.ties.isEmpty) }
        guard columnCount > 1 else { return chosen.map { Choice(assignment: $0.assignment, ambiguous: false) } }
        // Parent of each row.
        // The first row of each code: rows visited last to first, so the earliest one is stored last
        // (one hash per row, the table sized once).
        var byCode = [String: Int](minimumCapacity: rows.count)
        for i in rows.indices.reversed() { if let c = rows[i].code { byCode[c] = i } }
        let root = rows.firstIndex { $0.code == nil && ["合计", "总计", "小计"].contains(Label.normalized($0.label)) }
        // Children of each row, by row index (a parent comes before its children).
        var children = CrossRowResolver.filled([Int](), count: rows.count)
        for i in rows.indices {
            guard let c = rows[i].code else { continue }
            // Characters counted once (on the scalars where each is its own Character).
            let length = FastText.characterCount(c)
            guard length != 6 else { continue }
            var parent: Int?
            if length == 7 { parent = byCode[String(c.prefix(5))] ?? byCode[String(c.prefix(3))] ?? root }
            else if length == 5 { parent = byCode[String(c.prefix(3))] ?? root }
            else if length == 3 { parent = root }
            if let parent, parent < i { children[parent].append(i) }
        }
        // Parents top-down, in row order.
        for p in rows.indices where !children[p].isEmpty {
            let kids = children[p]
            let ambiguousKids = kids.filter { !results[$0].ties.isEmpty }
            guard !ambiguousKids.isEmpty else { continue }
            let options = ambiguousKids.map { [results[$0].assignment] + results[$0].ties }
            var combos = 1
            for o in options { combos *= o.count; if combos > maxCombinations { break } }
            guard let parentValues = Self.referenceColumnValues(rows[p].amounts, chosen[p].assignment, columnCount) else { continue }
            var fixed = CrossRowResolver.filled((Int64(0), Int64(0)), count: columnCount)
            for k in kids where results[k].ties.isEmpty {
                guard let v = Self.referenceColumnValues(rows[k].amounts, chosen[k].assignment, columnCount) else { continue }
                for c in 0..<columnCount { fixed[c].0 &+= v[c].0; fixed[c].1 &+= v[c].1 }
            }
            // Each ambiguous child's options as (value, tolerance) per column, flattened so that
            // scoring a combination walks contiguous memory: option o of child n, column c sits
            // at kidBase[n] + o * columnCount + c. A child's amounts are scaled once, then placed
            // by each option (an option that places an unscalable amount is all blanks, as with
            // `columnValues` ?? zeros).
            var kidBase: [Int] = []
            var total = 0
            for o in options { kidBase.append(total); total += o.count * columnCount }
            var kidValue = CrossRowResolver.filled(Int64(0), count: total)
            var kidTol = CrossRowResolver.filled(Int64(0), count: total)
            for (n, k) in ambiguousKids.enumerated() {
                let scaled = CrossRowResolver.scaledAmounts(rows[k].amounts)
                for (oi, o) in options[n].enumerated() {
                    let base = kidBase[n] + oi * columnCount
                    for (a, col) in zip(scaled, o) where col < columnCount {
                        guard let a else {
                            for c in base..<(base + columnCount) { kidValue[c] = 0; kidTol[c] = 0 }
                            break
                        }
                        kidValue[base + col] = a.0
                        kidTol[base + col] = a.1
                    }
                }
            }
            func score(_ pick: [Int]) -> Int {
                kidValue.withUnsafeBufferPointer { kv in
                    kidTol.withUnsafeBufferPointer { kt in
                        kidBase.withUnsafeBufferPointer { kb in
                            pick.withUnsafeBufferPointer { pk in
                                var mismatches = 0
                                for c in 0..<columnCount {
                                    var sum = fixed[c].0
                                    var tol = fixed[c].1 &+ parentValues[c].1
                                    for n in 0..<pk.count {
                                        let at = kb[n] + pk[n] * columnCount + c
                                        sum &+= kv[at]
                                        tol &+= kt[at]
                                    }
                                    let d = sum > parentValues[c].0 ? sum - parentValues[c].0 : parentValues[c].0 - sum
                                    if d > tol { mismatches += 1 }
                                }
                                return mismatches
                            }
                        }
                    }
                }
            }
            var pick = CrossRowResolver.filled(0, count: ambiguousKids.count)
            if combos > maxCombinations {
                // Too many to enumerate: start from the best uniform choice (every child takes
                // the same column pattern), then improve one child at a time. Patterns are tried
                // in a fixed order (earliest columns first: lexicographic on the column indices)
                // and only a strictly better score replaces the current one, so among equally good
                // patterns the earliest-columns one wins, the same in every run.
                let patterns = CrossRowResolver.uniformPatterns(options)
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
                var totalSum = fixed.map { $0.0 }
                var totalTol = (0..<columnCount).map { fixed[$0].1 &+ parentValues[$0].1 }
                for n in 0..<ambiguousKids.count {
                    let base = kidBase[n] + pick[n] * columnCount
                    for c in 0..<columnCount { totalSum[c] &+= kidValue[base + c]; totalTol[c] &+= kidTol[base + c] }
                }
                for _ in 0..<3 {
                    var improved = false
                    for n in 0..<ambiguousKids.count {
                        for o in 0..<options[n].count where o != pick[n] {
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
                    chosen[k] = Choice(assignment: options[n][pick[n]], ambiguous: current > 0)
                }
                continue
            }
            let (_, bestPicks) = CrossRowResolver.enumerateVarying(combos: combos, optionCounts: options.map { $0.count }, columnCount: columnCount,
                                           kidBase: kidBase, kidValue: kidValue, kidTol: kidTol,
                                           startSum: fixed.map { $0.0 },
                                           startTol: (0..<columnCount).map { fixed[$0].1 &+ parentValues[$0].1 },
                                           parent: parentValues.map { $0.0 })
            guard let first = bestPicks.first else { continue }
            for (n, k) in ambiguousKids.enumerated() {
                let stillAmbiguous = bestPicks.contains { $0[n] != first[n] }
                chosen[k] = Choice(assignment: options[n][first[n]], ambiguous: stillAmbiguous)
            }
        }
        return chosen
    }


    static func referenceColumnValues(_ amounts: [Amount], _ assignment: [Int], _ n: Int) -> [(Int64, Int64)]? {
        let scale = CrossRowResolver.scale
        var out = Array(repeating: (Int64(0), Int64(0)), count: n)
        for (a, col) in zip(amounts, assignment) where col < n {
            guard a.decimals < scale, let m = a.mantissa(atDecimals: scale) else { return nil }
            var tol: Int64 = 5
            for _ in 0..<(scale - a.decimals - 1) { tol *= 10 }
            out[col] = (m, tol)
        }
        return out
    }
}
