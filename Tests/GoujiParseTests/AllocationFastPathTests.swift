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

    static func randomTokens(_ g: inout Generator) -> [Token] {
        var tokens: [Token] = []
        var position = 0
        for _ in 0..<g.int(0...9) {
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
            RowReader.segments(tokens, twoSided: twoSided, splitPosition: splitPosition, tabbed: tabbed,
                               into: &out, scratch: &scratch)
            #expect(TableFastPathRound5Tests.same(out, fresh, positions: true, edges: true), "round \(round)")
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
            for twoSided in [false, true] {
                for tabbed in [false, true] {
                    let (rows, prose) = RowReader.read(body, twoSided: twoSided, splitPosition: nil, tabbed: tabbed)
                    let (refRows, refProse) = Self.referenceRead(body, twoSided: twoSided, tabbed: tabbed)
                    #expect(prose == refProse)
                    #expect(rows.count == refRows.count)
                    for (a, b) in zip(rows, refRows) {
                        #expect(a.code == b.code && a.label == b.label && a.side == b.side && a.amounts == b.amounts
                                && a.positions == b.positions && a.rightEdges == b.rightEdges && a.line == b.line
                                && Array(a.lines) == b.lines)
                    }
                }
            }
        }
    }

    /// `RowReader.read` as it was before the shared segment arrays and inline row lines (one
    /// `segments` array per line, `[Int]` lines), for the test above.
    struct RefRow { var code: String?; var label: String; var side: Side?; var amounts: [Amount]; var positions: [Int]?
                    var rightEdges: [Int]?; var line: Int; var lines: [Int] }

    static func referenceRead(_ lines: [(line: SourceLine, tokens: [Token])], twoSided: Bool,
                              tabbed: Bool) -> (rows: [RefRow], prose: [Int]) {
        var rows: [RefRow] = []
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
                            if pendingHint == nil { pendingHint = seg.sideHint }
                        } else if (pendingHasCode && seg.code == nil && !RowReader.startsNewRow(seg.text))
                                    || (!RowReader.startsNewRow(seg.text) && !RowReader.endsTerminal(p.label)
                                        && !(twoSided && seg.sideHint != nil && seg.sideHint != pendingHint)) {
                            pending?.label += seg.text
                            pending?.lines.append(lineNumber)
                        } else {
                            flush()
                            pending = RefRow(code: nil, label: seg.text, amounts: [], line: lineNumber, lines: [lineNumber])
                            pendingHint = seg.sideHint
                        }
                    } else {
                        pending = RefRow(code: nil, label: seg.text, amounts: [], line: lineNumber, lines: [lineNumber])
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
}
