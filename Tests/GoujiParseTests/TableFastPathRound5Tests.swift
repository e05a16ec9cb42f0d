import GoujiModel
@testable import GoujiParse
import Testing

/// Round 5 fast paths of the table side, each against the reading it replaces (kept here as the
/// reference), on fixed cases and fixed-seed random ones.
@Suite struct TableFastPathRound5Tests {
    typealias Generator = TableFastPathTests.Generator

    static func randomText(_ alphabet: [String], _ g: inout Generator, _ lengths: ClosedRange<Int>) -> String {
        var w = ""
        for _ in 0..<g.int(lengths) { w += alphabet[g.int(0...(alphabet.count - 1))] }
        return w
    }

    /// `RowReader.cleanLabel` as it was: a fixed point from "", `sameBytes` on a fresh array, every
    /// 其中 prefix tried on every pass.
    static func referenceCleanLabel(_ s: String) -> String {
        var t = FastText.removingSpaces(s)
        var previous = ""
        while !FastText.sameBytes(previous, t) {
            previous = t
            t = Label.stripEnumerator(t)
            for (p, length) in [("其中：", 3), ("其中:", 3), ("其中", 2)] where t.begins(with: p) && FastText.characterCount(t) > length + 1 {
                t = String(t.dropFirst(length))
            }
        }
        return t
    }

    @Test func cleanLabelMatchesReference() {
        var labels = ["", " ", "其中", "其中：", "其中：人员经费", "其中:公用经费", "其中其中：a", "一、其中：工资", "（一）其中 基本",
                      "1、2、3、合计", "其中：（一）工资福利", "其 中：x", "其中：其中：其中：", "①其中伙食", "其中：1.5", "(1)其中:办公费",
                      "十一、 其中 ：差旅", "其中\u{3000}福利", "其中：一、", "一般公共预算", "其中中", "其"]
        var g = Generator(seed: 55)
        let alphabet = ["其", "中", "：", ":", "一", "、", "（", "）", "(", ")", "1", "2", ".", " ", "\u{3000}", "工", "资", "①", "十", "合", "计"]
        for _ in 0..<4000 { labels.append(Self.randomText(alphabet, &g, 0...9)) }
        for l in labels {
            #expect(RowReader.cleanLabel(l) == Self.referenceCleanLabel(l), "\(l)")
        }
    }

    /// `FastText.removingScalars` as it was: kept bytes appended to an array, then decoded.
    static func referenceRemovingScalars(_ s: String, where drop: (Unicode.Scalar) -> Bool) -> String {
        var bytes: [UInt8] = []
        let buf = Array(s.utf8)
        let n = buf.count
        var i = 0
        while i < n {
            let b0 = buf[i]
            if b0 < 0x80 {
                if !drop(Unicode.Scalar(b0)) { bytes.append(b0) }
                i += 1
            } else if b0 == 0xC2, i + 1 < n {
                let v = (UInt32(b0 & 0x1F) << 6) | UInt32(buf[i + 1] & 0x3F)
                if !(Unicode.Scalar(v).map(drop) ?? false) { bytes.append(b0); bytes.append(buf[i + 1]) }
                i += 2
            } else if b0 >= 0xE1 && b0 <= 0xE3, i + 2 < n {
                let v = (UInt32(b0 & 0x0F) << 12) | (UInt32(buf[i + 1] & 0x3F) << 6) | UInt32(buf[i + 2] & 0x3F)
                if !(Unicode.Scalar(v).map(drop) ?? false) { bytes.append(b0); bytes.append(buf[i + 1]); bytes.append(buf[i + 2]) }
                i += 3
            } else {
                bytes.append(b0)
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Written into the String's storage: the same bytes as the array-based removal (which drops
    /// space scalars, so a space carrying a combining mark leaves the mark, unlike a Character filter).
    @Test func removingScalarsMatchesReference() {
        var g = Generator(seed: 77)
        let alphabet = ["a", " ", "\t", "\u{3000}", "\u{00A0}", "\u{2002}", "\u{2003}", "\u{2009}", "\u{1680}", "\u{2028}", "\u{0085}",
                        "合", "计", "é", "\u{301}", "😀", "１", "\r", "\n", "·", "\u{200B}", "*", "＊"]
        var texts = FastTextTests.samples
        for _ in 0..<4000 { texts.append(Self.randomText(alphabet, &g, 0...12)) }
        for s in texts {
            let codes = s.unicodeScalars.map { $0.value }
            #expect(FastText.removingSpaces(s) == Self.referenceRemovingScalars(s, where: SourceText.isSpaceScalar), "spaces \(codes)")
            #expect(FastText.removingWhitespace(s) == Self.referenceRemovingScalars(s, where: FastText.isWhitespaceScalar), "whitespace \(codes)")
            #expect(HeaderReader.normalize(s) == Self.referenceRemovingScalars(Label.foldWidth(LineTokens.stripDebris(s))) {
                FastText.isWhitespaceScalar($0) || $0 == "*"
            }, "normalize \(codes)")
        }
    }

    /// `TableKindClassifier.titleCandidate` as it was: a search per punctuation mark.
    static func referenceTitleCandidate(_ text: String) -> String? {
        let t = TableKindClassifier.cleanTitle(text)
        let length = FastText.characterCount(t)
        guard length >= 3, length <= 48 else { return nil }
        for p in ["。", "，", "；", ",", ";", "？", "！", "…", "《", "》"] where t.has(p) { return nil }
        var body = Substring(t)
        // (Since: up to two bracketed parts after 表, as the library reads them.)
        for _ in 0..<2 {
            guard let last = body.last, last == "）" || last == ")" else { break }
            guard let open = body.lastIndex(where: { $0 == "（" || $0 == "(" }) else { return nil }
            body = body[..<open]
        }
        guard body.ends(with: "表") else { return nil }
        return t
    }

    @Test func titlePunctuationInOnePass() {
        var texts = ["2024年部门收支总表", "表3 一般公共预算支出表（按功能分类）", "附件2-7：收入总表", "说明，本表", "《收入总表》", "收支…表",
                     "项目支出表；", "a,b表", "a;b表", "何？表", "注！表", "一、部门预算表", "（单位：万元）表", "\u{3000}表 3\u{3000}支出表"]
        var g = Generator(seed: 123)
        let alphabet = ["表", "收", "入", "（", "）", "(", ")", "。", "，", "；", ",", ";", "？", "！", "…", "《", "》", " ", "3", "、",
                        "附件", "-", "：", "\u{3000}", "一", "。\u{301}", "\u{2026}", "〈", "＂"]
        for _ in 0..<4000 { texts.append(Self.randomText(alphabet, &g, 0...10)) }
        for t in texts {
            let marks = ["。", "，", "；", ",", ";", "？", "！", "…", "《", "》"].contains { t.has($0) }
            #expect(TableKindClassifier.hasTitlePunctuation(t) == marks, "\(t)")
            #expect(TableKindClassifier.titleCandidate(t) == Self.referenceTitleCandidate(t), "\(t)")
        }
    }

    /// `ScalarMask.of` as it was: every multi-byte scalar through the length computation.
    static func referenceMask(_ s: String) -> UInt64 { Array(s.utf8).withUnsafeBufferPointer(referenceMask) }

    /// The same on bytes (a range may end inside a scalar: its lead byte's length is cut short).
    static func referenceMask(_ buf: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var m: UInt64 = 0
        var i = 0
        let n = buf.count
        while i < n {
            let b = buf[i]
            if b < 0x80 {
                m |= 1 << UInt64(b & 63)
                i += 1
                continue
            }
            let len = b < 0xE0 ? 2 : (b < 0xF0 ? 3 : 4)
            let end = min(i + len, n)
            let prev = end - 2 >= i ? buf[end - 2] : 0
            let h = UInt32(buf[end - 1]) &+ UInt32(prev) &* 7
            m |= 1 << UInt64(h & 63)
            i = end
        }
        return m
    }

    @Test func scalarMaskMatchesReference() {
        var g = Generator(seed: 314)
        let alphabet = ["a", " ", "合", "计", "é", "\u{301}", "😀", "１", "\u{3000}", "表", "（", "\u{00A0}", "€", "𠀀", "\t", "万元"]
        var texts = FastTextTests.samples
        for _ in 0..<4000 { texts.append(Self.randomText(alphabet, &g, 0...12)) }
        for t in texts {
            #expect(ScalarMask.of(t) == Self.referenceMask(t), "\(t.unicodeScalars.map { $0.value })")
        }
    }

    @Test func parentsByIntegerKeysMatchTheStringReading() {
        // Codes keyed by value and length, against the reading keyed by their text (prefixes as
        // Characters), over random tables of codes at every level, some repeated, some orphaned.
        var g = Generator(seed: 1313)
        let labels = ["合计", "小计", "行政运行", "总计 ", ""]
        for _ in 0..<500 {
            var rows: [RawRow] = []
            for _ in 0..<g.int(0...25) {
                let code: String?
                switch g.int(0...4) {
                case 0: code = nil
                case 1: code = String(200 + g.int(0...3))
                case 2: code = String(200 + g.int(0...3)) + ["01", "02", "99"][g.int(0...2)]
                case 3: code = String(200 + g.int(0...3)) + ["01", "02"][g.int(0...1)] + ["01", "05"][g.int(0...1)]
                default: code = ["208011", "30", "0208"][g.int(0...2)]
                }
                rows.append(RawRow(code: code, label: labels[g.int(0...(labels.count - 1))], side: nil, amounts: [], positions: nil,
                                   rightEdges: nil, line: rows.count + 1, lines: RowLines(rows.count + 1)))
            }
            #expect(CrossRowResolver.parents(rows) == Self.referenceParents(rows))
        }
    }

    /// `CrossRowResolver.parents` as it read the codes' texts.
    static func referenceParents(_ rows: [RawRow]) -> [Int] {
        var byCode: [String: Int] = [:]
        for i in rows.indices.reversed() { if let c = rows[i].code { byCode[c] = i } }
        let root = rows.firstIndex { $0.code == nil && ["合计", "总计", "小计"].contains(Label.normalized($0.label)) }
        var parentOf = [Int](repeating: -1, count: rows.count)
        for i in rows.indices {
            guard let c = rows[i].code else { continue }
            let length = c.count
            guard length != 6 else { continue }
            var parent: Int?
            if length == 7 { parent = byCode[String(c.prefix(5))] ?? byCode[String(c.prefix(3))] ?? root }
            else if length == 5 { parent = byCode[String(c.prefix(3))] ?? root }
            else if length == 3 { parent = root }
            if let parent, parent < i { parentOf[i] = parent }
        }
        return parentOf
    }

    /// `RowReader.segments` as it was (every segment split into words, both position arrays built).
    static func referenceSegments(_ tokens: [Token], twoSided: Bool, splitPosition: Int?) -> [Segment] {
        var out: [Segment] = []
        // The segment being built (when `open`), mutated in place: no copy per token.
        var cur = Segment(code: nil, text: "", position: 0)
        var open = false
        func push() { if open { out.append(cur) }; open = false }
        for (ti, t) in tokens.enumerated() {
            switch t.kind {
            case .code:
                push()
                cur = Segment(code: t.text, text: "", position: t.position)
                open = true
            case .text:
                if open, cur.amounts.isEmpty, cur.code != nil, cur.text.isEmpty {
                    cur.text = t.text
                } else if open, cur.amounts.isEmpty, !twoSided || cur.text.isEmpty {
                    if cur.text.isEmpty { cur.text = t.text } else { cur.text += " "; cur.text += t.text }
                } else {
                    push()
                    cur = Segment(code: nil, text: t.text, position: t.position)
                    open = true
                }
            case .number:
                if !open { cur = Segment(code: nil, text: "", position: t.position); open = true }
                if cur.amounts.isEmpty {
                    // The amounts of a segment are this run of numbers: room for all of them at once.
                    var run = 1
                    while ti + run < tokens.count, tokens[ti + run].kind == .number { run += 1 }
                    cur.amounts.reserveCapacity(run)
                    cur.positions.reserveCapacity(run)
                    cur.rightEdges.reserveCapacity(run)
                }
                if let a = t.amount {
                    cur.amounts.append(a)
                    cur.positions.append(t.position)
                    cur.rightEdges.append(t.ownCell ? t.position + FastText.characterCount(t.text) : -1)
                }
            }
        }
        push()
        guard twoSided else { return out }
        // Split "label1 label2 amounts" where two labels share one run.
        var split: [Segment] = []
        for s in out {
            // Split at ASCII spaces on the bytes (a space is a Character of its own).
            let words = s.text.utf8.split(separator: 0x20).map { String(Substring($0)) }
            if s.code == nil, words.count >= 2 {
                var cut: Int?
                for i in 1..<words.count {
                    let left = words[..<i].joined()
                    let right = words[i...].joined()
                    if FastText.characterCount(left) >= 2 && FastText.characterCount(right) >= 2 && (RowReader.endsTerminal(left) || RowReader.startsNewRow(right)) && !RowReader.isSentence(left) {
                        cut = i
                        break
                    }
                }
                if let cut {
                    split.append(Segment(code: nil, text: words[..<cut].joined(), position: s.position))
                    var r = s
                    r.text = words[cut...].joined()
                    split.append(r)
                    continue
                }
            }
            split.append(s)
        }
        let labelled = split.filter { !$0.text.isEmpty }
        if labelled.count >= 2 {
            var n = 0
            for i in split.indices where !split[i].text.isEmpty {
                split[i].sideHint = n == 0 ? .income : .expenditure
                n += 1
            }
        } else if let splitPosition {
            for i in split.indices { split[i].sideHint = split[i].position >= splitPosition ? .expenditure : .income }
        }
        return split
    }

    static func same(_ a: [Segment], _ b: [Segment], positions: Bool, edges: Bool) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            guard x.code == y.code, x.text == y.text, x.amounts == y.amounts, x.position == y.position,
                  x.sideHint == y.sideHint else { return false }
            if positions && x.positions != y.positions { return false }
            if edges && x.rightEdges != y.rightEdges { return false }
        }
        return true
    }

    @Test func segmentsMatchReference() {
        var g = Generator(seed: 99)
        let words = ["合计", "一、基本支出", "工资 福利", "收入 合计", "其中", "支出", "本年 收入", "a b c", "经费", "上年结转 结余"]
        let numbers = ["12.5", "1,234.00", "0", "7", "3.14"]
        for round in 0..<3000 {
            let tokens = AllocationFastPathTests.randomTokens(&g, most: 8, words: words, numbers: numbers)
            let twoSided = round % 2 == 0
            let splitPosition: Int? = round % 3 == 0 ? g.int(0...40) : nil
            let reference = Self.referenceSegments(tokens, twoSided: twoSided, splitPosition: splitPosition)
            let all = RowReader.segments(tokens, twoSided: twoSided, splitPosition: splitPosition)
            let tabbed = RowReader.segments(tokens, twoSided: twoSided, splitPosition: splitPosition, tabbed: true)
            let spaced = RowReader.segments(tokens, twoSided: twoSided, splitPosition: splitPosition, tabbed: false)
            #expect(Self.same(all, reference, positions: true, edges: true))
            #expect(Self.same(tabbed, reference, positions: true, edges: false))
            #expect(Self.same(spaced, reference, positions: false, edges: true))
        }
    }
}
