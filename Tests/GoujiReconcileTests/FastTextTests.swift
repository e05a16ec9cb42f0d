import Foundation
import Testing
import GoujiModel
@testable import GoujiReconcile
import GoujiTestSupport

/// The reconciler's fast text helpers must answer exactly as the definitions they stand in for:
/// `Context.norm` as `Label.normalized`, `includes` as Foundation's `contains`.
@Suite struct FastTextTests {
    static func seedLabels() throws -> [String] {
        var out = trickyLabels
        for name in try Shared.goldNames() {
            let doc = try Shared.gold(name)
            for t in doc.tables { out += t.rows.map(\.label) + [t.title] }
            out += try Shared.seedLines(name)
        }
        return out
    }

    @Test func contextNormAgreesWithLabelNormalized() throws {
        let ctx = Context(doc: try Shared.gold(try #require(Shared.goldNames().first, "no gold readings: set GOUJI_SHARED")), language: .zh)
        for label in trickyLabels + trickyLabels {
            #expect(ctx.norm(label) == Label.normalized(label), "\(label.debugDescription)")
        }
    }

    /// The scalar normaliser of simple labels gives the very bytes `Label.normalized` gives.
    @Test func simpleNormalisationAgreesWithLabelNormalized() throws {
        var labels = try Self.seedLabels()
        labels += ["一、基本支出", "（一）工资福利支出", "(1)办公费", "1、办公费", "1.5万元", "12.办公", "一般公共预算",
                   "十一、其他", "（十）", "一）", "：合计：", "：：", "合　计", "ＡＢＣ１２", "1 、办公", "（1）（2）项目",
                   "一、（一）1、办公费", "\t合计", "合\u{205F}计", "（一", "(一)", "1)", "123、", "1、2", "、", ":"]
        for label in labels {
            guard let fast = FastText.normalizedSimple(label) else { continue }
            let slow = Label.normalized(label)
            #expect(Array(fast.utf8) == Array(slow.utf8), "\(label.debugDescription)")
        }
    }

    /// The D-TEXT line scanner as it was written first: every scalar tested against the stop
    /// scalars and for a doubled word 2…8 places on. The fast scanner must agree on every line.
    static func referenceScan(_ s: String, quoteDepth: inout Int) -> (hits: UInt32, stray: Bool, doubled: String?) {
        let u = s.unicodeScalars.map(\.value) + [UInt32](repeating: 0, count: 16)
        let n = u.count - 16
        var hits: UInt32 = 0
        var stray = false
        var doubled: Range<Int>?
        let patterns = DocumentRules.scanPatterns
        for i in 0..<n {
            let v = u[i]
            if v == DocumentRules.quoteOpen { quoteDepth += 1 }
            else if v == DocumentRules.quoteClose {
                if quoteDepth == 0 { stray = true } else { quoteDepth -= 1 }
            }
            for (k, p) in patterns.enumerated() where i + p.count <= n && Array(u[i..<(i + p.count)]) == p {
                hits |= 1 << UInt32(k)
            }
            if doubled == nil && i < n - 3 && DocumentRules.isHan(v) {
                for len in stride(from: 2, through: min(8, (n - i) / 2), by: 1) {
                    if (0..<len).allSatisfy({ u[i + $0] == u[i + len + $0] && DocumentRules.isHan(u[i + $0]) }) {
                        doubled = i..<(i + len)
                        break
                    }
                }
            }
        }
        let word = doubled.map { String(String.UnicodeScalarView(u[$0].compactMap(Unicode.Scalar.init))) }
        return (hits, stray, word)
    }

    @Test func lineScannerAgreesWithReference() throws {
        var lines: [String] = []
        for name in try Shared.goldNames() { lines += try Shared.seedLines(name) }
        // Lines built from a few characters, so that words double, patterns and quotes meet.
        let alphabet: [Character] = Array("支出经费增加减少下降上升万人元，，。。、“”的 12a;,：；一丁三公政府性基金国有资本经营") + ["\u{4E00}", "\u{5E00}", "\u{1F600}", "é", "e\u{301}", "\u{1000}",
                                                                  "\u{00A0}", "１", "…", "‘", "—", "\u{3000}", "\u{9FFF}", "\u{A000}"]
        var seed: UInt64 = 0x9E3779B97F4A7C15
        for _ in 0..<4000 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let length = Int(seed >> 58)
            var line = ""
            for _ in 0..<length {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                line.append(alphabet[Int(seed >> 33) % alphabet.count])
            }
            lines.append(line)
        }
        lines += ["费用费用", "增加减少增加减", "一一一一", "人人人人人人", "支出支出支出", "ab支出支出", "“引”号””"]
        // The byte scanner's edges: empty and one-byte lines, patterns at either end, doubled words
        // of 2…9 characters (9 is too long), beside ASCII, NBSP, full-width digits and four-byte
        // scalars, quotation marks beside the other E2 marks (… — ‘).
        lines += ["", "a", "“", "”", "；；", ";;", ",,", ";", "，", "万人", "万人万人", "三公", "政府性基金",
                  "国有资本经营预算", "下降上升", "一般公共预算一般公共预算", "一二三四五六七八一二三四五六七八",
                  "一二三四五六七八九一二三四五六七八九", "１２３１２３", "支出\u{00A0}支出", "\u{1F600}支出支出",
                  "支出支出\u{1F600}", "a支出b支出", "“…”—‘’”", "……", "——”", "12万人次，，", "预算预", "预算预算"]
        // The scanner's later edges: amounts' commas beside quotation marks and `;;` (only the
        // marked bytes are read), doubled words and patterns ending a line of every length mod 12
        // (windows four a step, then one at a time; a window past the end is not read), a common
        // word before a longer pattern that starts with it (compared eight bytes at a time).
        for pad in 0..<13 {
            let lead = String(repeating: "a", count: pad)
            lines += [lead + "支出支出", lead + "一般公共预算一般公共预算", lead + "增加减", lead + "增加下", lead + "国有资本经营",
                      lead + "国有资本经", lead + "1,234.5万元，“增加”;;", lead + "下降上升", lead + "下降上", lead + "预算预算a",
                      lead + "，，", lead + "三公三公"]
        }
        // Long lines (16-byte steps and their last step, doubled words and marks across them).
        for _ in 0..<300 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let length = Int(seed >> 56)
            var line = ""
            for _ in 0..<length {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                line.append(alphabet[Int(seed >> 33) % alphabet.count])
            }
            lines.append(line)
        }
        // One scanner for every line, as D-TEXT reads a document; then with the slots' position
        // limit low, so that the scanner moves its slots down within and between lines (as it
        // would after gigabytes of prose): the same answers.
        Self.expectScanAgreesWithReference(lines, limits: [DocumentRules.LineScanner.slotPositionLimit, 256, 301, 1000])
    }

    /// The line scanner, reading `lines` as one document, gives each line the reference scan's
    /// answers (hits, stray closing mark, first doubled word) and ends at the same quote depth,
    /// for each slot position limit of `limits`.
    static func expectScanAgreesWithReference(_ lines: [String], limits: [Int]) {
        for limit in limits {
            var depthA = 0, depthB = 0
            let fast = DocumentRules.scanLines(lines, quoteDepth: &depthA, positionLimit: limit)
            #expect(fast.count == lines.count)
            for (line, a) in zip(lines, fast) {
                let b = referenceScan(line, quoteDepth: &depthB)
                #expect(a.hits == b.hits && a.stray == b.stray && a.doubled == b.doubled, "\(limit) \(line.debugDescription)")
            }
            #expect(depthA == depthB)
        }
    }

    /// The byte compare of `LineScanner.matches` is `==` on the bytes, for every length 0…24 and
    /// every place the bytes first differ.
    @Test func scannerByteCompareAgreesWithArrays() {
        let a = (0..<24).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for len in 0...24 {
            for differ in -1..<len {
                var b = a
                if differ >= 0 { b[differ] ^= 0x40 }
                let same = a.withUnsafeBufferPointer { x in
                    b.withUnsafeBufferPointer { y -> Bool? in
                        guard let xa = x.baseAddress, let ya = y.baseAddress else { return nil }
                        return DocumentRules.LineScanner.equal(xa, ya, len)
                    }
                }
                #expect(same == (Array(a[0..<len]) == Array(b[0..<len])), "\(len) \(differ)")
            }
        }
    }

    /// `doubledLength` with a set of lengths answers the shortest of them that doubles, read plainly.
    @Test func doubledLengthAnswersTheShortestAskedAbout() {
        let words = ["支出支出", "一般公共一般公共", "一二三一二三一二三", "一二一二三四一二一二三四", "预算预", "a支出支出", "支出支出支出"]
        for w in words {
            let b = Array(w.utf8)
            for i in b.indices {
                for mask in [DocumentRules.LineScanner.anyLength, 0x4, 0x10, 0x18, 0x1F0, 0x100, 0] as [UInt32] {
                    var expected: Int?
                    if b[i] >= 0xE4 && b[i] <= 0xE9 {
                        for len in 2...8 where mask & (1 << UInt32(len)) != 0 && i + 6 * len <= b.count {
                            let d = 3 * len
                            let first = Array(b[i..<(i + d)])
                            let han = stride(from: 0, to: d, by: 3).allSatisfy { first[$0] >= 0xE4 && first[$0] <= 0xE9 }
                            if han && first == Array(b[(i + d)..<(i + 2 * d)]) { expected = d; break }
                        }
                    }
                    let got = b.withUnsafeBufferPointer { q in q.baseAddress.flatMap { DocumentRules.LineScanner.doubledLength($0, i, b.count, lengths: mask) } }
                    #expect(got == expected, "\(w) \(i) \(mask)")
                }
            }
        }
    }

    /// D-EMPTY reads which lines hold its keywords from the prose scan: the scan's keyword bits
    /// must be what `includes` answers, line by line.
    @Test func proseScanKeywordsAgreeWithIncludes() throws {
        var texts: [String] = []
        for name in try Shared.goldNames() { texts += try Shared.seedLines(name) }
        texts += ["", "三", "三公", "三三公", "“三公”经费", "政府性基", "政府性基金预算", "国有资本经营预算支出为0万元",
                  "e\u{301}三公", "\u{1F600}国有资本经营", "三\u{301}公", "１２三公"]
        let prose = texts.enumerated().map { TextLine(line: $0.offset + 1, text: $0.element) }
        let scan = DocumentRules.ProseScan(prose)
        #expect(scan.hits.count == prose.count)
        for (i, p) in prose.enumerated() {
            for (k, keyword) in DocumentRules.emptyKeywords.enumerated() {
                let bit = UInt32(1) << UInt32(DocumentRules.emptyKeywordShift + k)
                #expect((scan.hits[i] & bit != 0) == p.text.includes(keyword.word), "\(p.text.debugDescription) / \(keyword.word)")
            }
        }
    }

    /// A word set answers, for every word, what `includes` answers.
    @Test func wordSetAgreesWithIncludes() throws {
        var lines = try Self.seedLabels()
        lines += ["", "合", "合计合", "上年结转结余", "e\u{301}经营", "¢€𝄞其他", "财政拨款（补助）", "a", "计"]
        let lists: [[String]] = [
            LineRole.incomeWords.words, LineRole.expenditureWords.words, CrossRules.sourceWords.words,
            ["", "a", "e", "é", "𝄞", "计", "合计", "合计合计", "ab", "其他", "其", "0", "为0", "¢"],
        ]
        for words in lists {
            let set = WordSet(words)
            for line in lines {
                let found = set.present(line)
                for (k, w) in words.enumerated() where (found & (1 << UInt64(k)) != 0) != line.includes(w) {
                    Issue.record("WordSet ≠ includes: \(line.debugDescription) / \(w)")
                }
            }
        }
    }

    /// The fact-key prefix test answers as `hasPrefix`.
    @Test func keyPrefixesAgreeWithHasPrefix() throws {
        var keys = ["func.", "func.201", "func.一般公共服务支出", "func.\u{301}x", "func.\u{3099}", "func.ﾞ", "func.ア",
                    "funcx", "fun", "", "econ.301", "project.办公楼维修", "project.(一)", "three_public.reception",
                    "func.\u{1F600}", "func.é", "func.\u{2028}", "func.\u{3000}", "func.\u{FF9E}"]
        for name in try Shared.goldNames() { keys += try Shared.gold(name).facts.map(\.key) }
        for k in keys {
            #expect(FastText.starts(k, with: "func.") == k.hasPrefix("func."), "\(k.debugDescription)")
            #expect(FastText.starts(k, with: "project.") == k.hasPrefix("project."), "\(k.debugDescription)")
        }
    }

    @Test func includesAgreesWithFoundationContains() throws {
        let words = ["政府性基金", "国有资本经营", "三公", "没有", "若", "万元", "万人", "合计", "小计", "结转",
                     "一般公共预算", "财政拨款", "支出", "收入", "", "0", ",", "。。"]
        var lines = try Self.seedLabels()
        lines += ["", "万", "万元万元", "政府性基金预算支出为0万元", "没有“三公”经费"]
        for line in lines {
            for w in words where line.includes(w) != line.contains(w) {
                Issue.record("includes ≠ contains: \(line.debugDescription) / \(w)")
            }
            // Ranges, and substrings (the D-EMPTY clause reader searches the rest of a line).
            let tail = line.dropFirst(min(2, line.count))
            for w in words where line.rangeOfWord(w) != line.range(of: w) || tail.includes(w) != tail.contains(w) {
                Issue.record("rangeOfWord/tail: \(line.debugDescription) / \(w)")
            }
        }
    }

    @Test func scalarsDecodeUTF8() {
        var u: [UInt32] = []
        for s in ["", "abc", "合计", "¢€𝄞 mixed 一、", "“引号”"] {
            FastText.scalars(of: s, into: &u)
            #expect(u == s.unicodeScalars.map(\.value))
        }
    }

    @Test func codesComparePrefixesLikeStrings() {
        let codes = ["201", "20101", "2010101", "2", "", "301", "30101", "3010", "二〇一", "二〇一一"]
        for a in codes {
            for b in codes {
                #expect(Code(a).hasPrefix(Code(b)) == a.hasPrefix(b), "\(a) / \(b)")
                #expect(Code(a).length == a.count)
            }
        }
    }

    /// Lines for the byte/scalar readers: every seed line and label, and lines built to hit clause
    /// ends, amounts, negations and text the fast readers must leave to the Character readers.
    static func proseLines() throws -> [String] {
        try seedLabels() + [
            "政府性基金预算支出为0万元", "没有“三公”经费", "政府性基金支出 12.5 万元；国有资本经营支出1,234.00万元。",
            "本单位无政府性基金预算安排，三公经费3万元", "三公,三公;三公？三公！三公", "增加减少，下降增长。增长下降",
            "增加减", "下降上升下降", "三公经费ｅ\u{0301}12万元", "政府性基金\u{200D}支出5万元", "政府性基金，\u{0301}5万元",
            "政府性基金\r\n支出5万元", "が\u{3099}三公12万元", "增\u{0301}加减少", "三公经费12万 元", "三公经费12 万元",
        ]
    }

    @Test func byteClaimsAgreeWithCharacterClaims() throws {
        var simple = 0
        for line in try Self.proseLines() {
            for w in ["政府性基金", "国有资本经营", "三公"] {
                let fast = DocumentRules.simpleClaims(line, word: w)
                if let fast {
                    simple += 1
                    #expect(fast == DocumentRules.characterClaims(line, word: w), "\(line.debugDescription) / \(w)")
                }
                #expect(DocumentRules.claims(line, word: w) == DocumentRules.characterClaims(line, word: w))
            }
        }
        #expect(simple > 0)
    }

    /// D-EMPTY passes over a line `maySpend` refuses when only spent amounts matter: no claim
    /// read from it may be one.
    @Test func maySpendRefusesOnlyLinesWithoutSpending() throws {
        let lines = try Self.proseLines() + [
            "", "政府性基金", "政府性基金支出１２万元", "政府性基金支出12\u{00A0}万元", "政府性基金支出12\u{3000}万元",
            "政府性基金支出12万", "政府性基金支出12元", "政府性基金支出１２．５万元", "政府性基金 abc 12 万元",
        ]
        var refused = 0
        for line in lines {
            for w in ["政府性基金", "国有资本经营", "三公"] where !DocumentRules.maySpend(line) {
                refused += 1
                let spends = DocumentRules.claims(line, word: w).contains { if case .spends = $0 { true } else { false } }
                #expect(!spends, "\(line.debugDescription) / \(w)")
            }
            if line.includes("万元") { #expect(DocumentRules.maySpend(line)) }
        }
        #expect(refused > 0)
    }

    @Test func scalarContradictionsAgreeWithCharacterLoop() throws {
        var u: [UInt32] = []
        // Beside the seeds' prose: scalars that share a first scalar's low bits (之 with 下, 乊
        // with 上), words back to back and overlapping.
        let tricky = ["增加减少之上下降上升", "之乊增长下降", "下降上升下降增长", "增加减增加减少增", "上升下降之", "乊之"]
        for line in try Self.proseLines() + tricky {
            FastText.scalars(of: line, into: &u)
            if let fast = DocumentRules.simpleContradictions(line, u) {
                #expect(fast == DocumentRules.characterContradictions(line), "\(line.debugDescription)")
            }
        }
    }

    @Test func isNormalAgreesWithLabel() throws {
        for label in try Self.seedLabels() + ["", ":", "：合计", "合计：", "一、合计", "（一）合计", "1.合计", "合 计",
                                               "合\u{3000}计", "ＡＢ", "①合计", "合计\u{00A0}", "\t", "合计:"] {
            #expect(FastText.isNormal(label) == Label.isNormal(label), "\(label.debugDescription)")
            if FastText.isNormal(label) { #expect(Label.normalized(label) == label, "\(label.debugDescription)") }
        }
    }

    @Test func printedAmountsMatchText() {
        var amounts: [Amount] = [.zero, Amount(mantissa: Int64.max, decimals: 0), Amount(mantissa: Int64.min, decimals: 8),
                                 Amount(mantissa: Int64.min + 1, decimals: 3)]
        for d in 0...Amount.maxDecimals {
            for m: Int64 in [0, 1, -1, 5, 9, 10, 12, -12, 100, 123, 1000, 141481, -2418, 99999999, 100000000, 123456789012] {
                amounts.append(Amount(mantissa: m, decimals: d))
            }
        }
        for a in amounts { #expect(a.printed == a.text, "\(a.mantissa) \(a.decimals)") }
    }

    @Test func numericCodesCompareLikeStrings() {
        let codes = ["201", "0201", "02", "020", "2", "20101", "2010101", "12345678901234567", "123456789012345678",
                     "1234567890123456789", "201A", "2O1", "", "二〇一"]
        for a in codes {
            for b in codes {
                #expect(Code(a).hasPrefix(Code(b)) == a.hasPrefix(b), "\(a) / \(b)")
                #expect(Code(a).same(Code(b)) == (a == b), "\(a) / \(b)")
            }
        }
    }

    @Test func tableKindsFitABitSet() {
        // D-TABLES keeps kinds as bits of a UInt64, by their position in allCases.
        #expect(TableKind.allCases.count <= 64)
    }

    @Test func columnIDsFindKnownKeysOnly() {
        for (i, k) in Column.all.enumerated() { #expect(ColumnID.of(k) == i) }
        for k in ["", "totals", "Total", "tota", "state_capitak", "special_othe", "x", "合计", "non_fiscal_balancE"] {
            #expect(ColumnID.of(k) == nil, "\(k)")
        }
    }

    @Test func labelTablesAgreeWithDictionaries() throws {
        var labels = try Self.seedLabels().map(Label.normalized)
        labels += Array(RuleTables.functionClasses.keys) + Array(RuleTables.expenditureNatureLines.keys)
        labels += ["基本支出\u{0301}", "ｅ\u{0301}", "教育支出 ", "", "预备费"]
        for l in labels {
            #expect(RuleTables.functionClassTable[l] == RuleTables.functionClasses[l], "\(l.debugDescription)")
            #expect(RuleTables.expenditureNatureTable[l] == RuleTables.expenditureNatureLines[l], "\(l.debugDescription)")
        }
    }

    /// `FastText.after` cuts what `dropFirst` cuts wherever `starts` holds.
    @Test func afterAgreesWithDropFirst() {
        let keys = ["econ.30101", "func.教育支出", "project.某某项目", "econ.", "econ.\u{0301}x", "func.e\u{0301}",
                    "project.\u{1F600}名", "project.ｅ\u{0301}", "econ.\r\n"]
        for k in keys {
            if FastText.starts(k, with: "func.") { #expect(FastText.after(k, prefix: "func.") == String(k.dropFirst(5)), "\(k.debugDescription)") }
            if FastText.starts(k, with: "project.") { #expect(FastText.after(k, prefix: "project.") == String(k.dropFirst(8)), "\(k.debugDescription)") }
            if FastText.starts(k, with: "econ.") { #expect(FastText.after(k, prefix: "econ.") == String(k.dropFirst(5)), "\(k.debugDescription)") }
        }
    }
}

/// The line scanner tests scalars by their UTF-8 bytes packed into one integer (`rawKey`):
/// the packing must be undone by `scalar(ofRawKey:)`, equal only for equal scalars, and keep the
/// order of three-byte scalars (the Han range test reads keys).
@Suite struct RawKeyTests {
    @Test func rawKeysAreTheBytesAndRoundTrip() {
        var seen = Set<UInt32>()
        var wrong: [UInt32] = []
        for v in UInt32(0)...0x10FFFF {
            guard Unicode.Scalar(v) != nil else { continue }
            let key = DocumentRules.rawKey(v)
            // The UTF-8 bytes, as the standard library encodes them.
            var bytes: [UInt8] = []
            if let s = Unicode.Scalar(v) { UTF8.encode(s) { bytes.append($0) } }
            let packed = bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            if key != packed || DocumentRules.scalar(ofRawKey: key) != v || !seen.insert(key).inserted
                || DocumentRules.isHanRaw(key) != DocumentRules.isHan(v) {
                wrong.append(v)
            }
        }
        #expect(wrong.isEmpty, "scalars whose raw key is wrong: \(wrong.prefix(10).map { String($0, radix: 16) })")
    }

    /// Every scan pattern can be found: the slots of its three windows (four bytes at offset 0, 1
    /// and 2) name it when it starts with two three-byte scalars; else it is searched for.
    @Test func everyPatternCanBeFound() {
        let table = DocumentRules.scanTable
        for (k, p) in DocumentRules.scanPatterns.enumerated() {
            let b = Array(String(String.UnicodeScalarView(p.compactMap(Unicode.Scalar.init))).utf8)
            #expect(Array(table.bytes[table.start[k]..<table.start[k + 1]]) == b)
            let bit = UInt32(1) << UInt32(k)
            if b.count >= 6 && b[0] >= 0xE0 && b[0] < 0xF0 && b[3] >= 0xE0 && b[3] < 0xF0 {
                for o in 0..<3 {
                    let key = UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
                    let slot = DocumentRules.windowSlot(key)
                    #expect(table.windows[slot] & bit != 0)
                    #expect(table.keys[slot] == key || table.keys[slot] == DocumentRules.anyWindow)
                }
            } else {
                #expect(table.searched & bit != 0)
            }
        }
    }
}

/// `isSimple` (read on bytes, with a shortcut for lead bytes E4…E9) is its definition on scalars:
/// tab or printable ASCII, or a three-byte scalar `isSimpleScalar` accepts.
@Suite struct IsSimpleTests {
    static func reference(_ s: String) -> Bool {
        s.unicodeScalars.allSatisfy { u in
            let v = u.value
            if v < 0x80 { return v >= 0x20 || v == 0x09 }
            return v >= 0x800 && v < 0x10000 && DocumentRules.isSimpleScalar(v)
        }
    }

    @Test func everyScalarAlone() {
        var wrong: [UInt32] = []
        for v in UInt32(0)...0x10FFFF {
            guard let u = Unicode.Scalar(v) else { continue }
            var s = String(Character(u))
            if s.withUTF8(DocumentRules.isSimple) != Self.reference(s) { wrong.append(v) }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(10).map { String($0, radix: 16) })")
    }

    @Test func seedLabelsAndLines() throws {
        for line in try FastTextTests.seedLabels() + FastTextTests.proseLines() {
            var s = line
            #expect(s.withUTF8(DocumentRules.isSimple) == Self.reference(line), "\(line.debugDescription)")
        }
    }
}
