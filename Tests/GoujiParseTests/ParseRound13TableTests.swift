import Foundation
import GoujiModel
@testable import GoujiParse
import GoujiTestSupport
import Testing

/// Round 13 of the table reader's fast paths: each gives what the reading it replaces gives, on
/// random inputs (a fixed-seed generator: the same cases in every run) and on every seed line.
@Suite struct ParseRound13TableTests {
    typealias Generator = SplitMix64

    /// Lines of unit words, brackets, codes, amounts and spaces of every kind.
    static func unitLines(seed: UInt64, count: Int = 8000) -> [String] {
        let pieces = ["单位", "：", ":", "万元", "元", "千元", "亿元", "填报", "部门", "名称", "编制", "合计", "[", "]", "［", "］", "【", "】",
                      "208", "1,414.81", "12", " ", "  ", "\u{3000}", "\t", "\u{00A0}", "\u{2002}", "\u{2003}", "\u{301}", "e\u{301}",
                      "（", "）", "(", ")", "一般公共预算", "收入", "填", "名", "编", "单", "位", "部", "门", "*", "-"]
        var g = Generator(seed: seed)
        var out = ["", " ", "单位：万元", "单位: 万元", "单 位 ： 万 元", "填报单位：某某局  单位：元", "[208] 某某局", "【208】某某局 1.00",
                   "[\u{301}208] 某某局", "［208］ 合计", "部门：某某局 填报部门", "编制单位：某某局", "金额单位：万元"]
        for _ in 0..<count {
            var s = ""
            for _ in 0..<g.int(1...8) { s += pieces[g.int(0...(pieces.count - 1))] }
            out.append(s)
        }
        return out
    }

    /// `TableReader.isUnitLine` as it was: its words looked for in the text without its spaces
    /// made as a String (`FastText.removingSpaces`), after the `unitWordsMayOccur` prefilter: the
    /// round-3 reading with that guard (each test is pure, so their order does not matter).
    static func referenceIsUnitLine(_ text: String, mask: UInt64 = ~0, tokens lineTokens: () -> ArraySlice<Token>) -> Bool {
        TableReader.unitWordsMayOccur(text) && ParseRound3FastPathTests.referenceIsUnitLine(text, mask: mask, tokens: lineTokens)
    }

    /// `isUnitLine` on the bytes of the text without its spaces gives the String reading's answer,
    /// with every mask and with the line's own.
    @Test func isUnitLineMatchesReference() throws {
        var unitLines = 0
        let lines = Self.unitLines(seed: 13_001) + (try SharedFiles.seedLines())
        for l in lines {
            let ownMask = FastText.scanUTF8(l) { ScalarMask.of($0) }
            for mask in [~UInt64(0), ownMask] {
                let new = TableReader.isUnitLine(l, mask: mask) { LineTokens.tokens(l)[...] }
                #expect(new == Self.referenceIsUnitLine(l, mask: mask) { LineTokens.tokens(l)[...] }, "\(l)")
                if new { unitLines += 1 }
            }
        }
        #expect(unitLines > 100)
    }

    /// `RowValues` gives each row the dictionary the rows were given key by key (same contents,
    /// same capacity), on random tables: keys, amounts and assignments (columns past the keys,
    /// repeated columns, rows without amounts), many rows sharing a run of columns.
    @Test func rowValuesMatchKeyByKey() {
        var g = Generator(seed: 13_002)
        var reused = 0
        for _ in 0..<400 {
            let keyCount = g.int(1...6)
            let keys = (0..<keyCount).map { "k\($0 % max(1, keyCount - g.int(0...1)))" }
            var builder = TableReader.RowValues(keys: keys)
            // A few runs of columns the table's rows mostly repeat.
            let runs: [[Int]] = (0..<g.int(1...3)).map { _ in (0..<g.int(0...5)).map { _ in g.int(0...(keyCount + 1)) } }
            for _ in 0..<g.int(1...40) {
                let run = g.int(0...4) == 0 ? (0..<g.int(0...5)).map { _ in g.int(0...(keyCount + 1)) } : runs[g.int(0...(runs.count - 1))]
                let amountCount = max(0, run.count + g.int(-1...1))
                let amounts = (0..<amountCount).map { _ in Amount(mantissa: Int64(g.int(0...99_999)), decimals: g.int(0...2)) }
                var reference: [String: Amount] = [:]
                if !amounts.isEmpty {
                    reference = Dictionary(minimumCapacity: amounts.count)
                    for (a, col) in zip(amounts, run) where col < keys.count { reference[keys[col]] = a }
                }
                let values = builder.values(amounts, run)
                #expect(values == reference, "\(keys) \(run) \(amounts)")
                #expect(values.capacity == reference.capacity, "\(keys) \(run) \(amounts)")
                if values.count > 1 { reused += 1 }
            }
        }
        #expect(reused > 1000)
    }

    /// `CurrencyUnits.unit(ofText:)` with its bracketed names made once reads what it read
    /// joining them per line.
    @Test func unitOfTextMatchesReference() throws {
        func reference(_ t: String) -> String? {
            if let u = MetaScan.currencyUnit(t) { return u }
            guard t.has("元）") || t.has("元)") else { return nil }
            for (name, _) in CurrencyUnit.known {
                if t.has("（" + name + "）") || t.has("(" + name + ")") { return name }
            }
            return nil
        }
        var named = 0
        for l in Self.unitLines(seed: 13_003) + (try SharedFiles.seedLines()) {
            let u = CurrencyUnits.unit(ofText: l)
            #expect(u == reference(l), "\(l)")
            if u != nil { named += 1 }
        }
        #expect(named > 100)
    }

    /// `isNumberingRow`, its words now read on the bytes, agrees with its reading before this
    /// round on every seed line (random lines: `ParseRound3FastPathTests`).
    @Test func numberingRowMatchesReferenceOnSeeds() throws {
        for l in try SharedFiles.seedLines() {
            #expect(LineTokens.isNumberingRow(l) == ParseRound3FastPathTests.referenceIsNumberingRow(l), "\(l)")
        }
    }

    /// `unitMention` with its brackets found on the bytes reads what the Character reading reads,
    /// on random lines (brackets of both kinds, unclosed, empty, full-width digits, combining
    /// marks) and every seed line.
    @Test func unitMentionMatchesCharacterReading() throws {
        let pieces = ["[", "]", "【", "】", "［", "］", "208", "２０８", "1a", "某某局", "单位：万元", "单位:元", "单位名称：", "单位名称:",
                      " ", "\u{3000}", "\u{00A0}", "\t", "\u{301}", "e\u{301}", "备注"]
        var mentions = 0
        for l in randomTexts(from: pieces, seed: 13_004) + (try SharedFiles.seedLines()) {
            let fast = TableReader.unitMention(l, line: 3)
            let slow = TableReader.unitMention(l, line: 3, viaCharacters: true)
            #expect(fast?.name == slow?.name, "\(l)")
            #expect(fast?.code == slow?.code, "\(l)")
            if fast != nil { mentions += 1 }
        }
        #expect(mentions > 500)
    }

    /// The repeated-header test passes over a line without debris whose ideographs are as many as
    /// no header line's: normalising keeps a debris-free text's ideographs (random lines of full-width
    /// forms, spaces of every kind and ideographs, and every seed line).
    @Test func normalizingKeepsIdeographs() throws {
        let pieces = ["项目", "本年", "收入", "１", "Ａ", "（", "）", "\u{3000}", " ", "\t", "\u{00A0}", "\u{2002}", "\u{1680}",
                      "\u{2028}", "\u{85}", "\u{FF5E}", "\u{FF5F}", "\u{F900}", "e\u{301}", "一", "鿿", "䀀"]
        var checked = 0
        for l in randomTexts(from: pieces, seed: 13_005) + (try SharedFiles.seedLines()) {
            guard LineTokens.isDebrisFree(l) else { continue }
            let text = SourceText.trim(l)
            #expect(TableReader.ideographCount(HeaderReader.normalize(text)) == TableReader.ideographCount(text), "\(l)")
            checked += 1
        }
        #expect(checked > 5000)
    }

    /// `LineTokens.bracketedCode` on a piece's bytes finds the code and the glued text's start
    /// the String reading finds (first closing bracket by scalar, `codeText` of the piece through
    /// the Character it ends), or no code where it finds none; it leaves a piece to that reading
    /// only where a scalar after the bracket may join its Character.
    @Test func bracketedCodeMatchesStringReading() throws {
        func reference(_ piece: String) -> (code: String, end: Int)? {
            let w = Substring(piece)
            guard let close = w.unicodeScalars.firstIndex(where: { $0 == "]" || $0 == "］" || $0 == "】" }),
                  let code = LineTokens.codeText(w[...close]) else { return nil }
            return (code, w.utf8.distance(from: w.startIndex, to: w.unicodeScalars.index(after: close)))
        }
        let pieces = ["[", "［", "【", "]", "］", "】", "208", "2080109", "01", "２０８", "1a", "", "行政运行", "\u{301}", "\u{200D}",
                      "\u{0600}", "\r", "\n", "a", "-", "（", "）", "😀", "\u{FF9E}"]
        var g = Generator(seed: 13_006)
        var texts: [String] = []
        for _ in 0..<20_000 {
            var s = ["[", "［", "【"][g.int(0...2)]
            for _ in 0..<g.int(0...6) { s += pieces[g.int(0...(pieces.count - 1))] }
            texts.append(s)
        }
        for l in try SharedFiles.seedLines() {
            for w in l.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{3000}" })
            where w.hasPrefix("[") || w.hasPrefix("［") || w.hasPrefix("【") { texts.append(String(w)) }
        }
        var codes = 0
        var undecided = 0
        for t in texts {
            let fast = FastText.scanUTF8(t) { LineTokens.bracketedCode($0) }
            let ref = reference(t)
            switch fast {
            case .code(let code, let end):
                #expect(ref?.code == code && ref?.end == end, "\(t.unicodeScalars.map { String($0.value, radix: 16) })")
                codes += 1
            case .notCode:
                #expect(ref == nil, "\(t.unicodeScalars.map { String($0.value, radix: 16) })")
            case .undecided:
                undecided += 1
            }
        }
        #expect(codes > 200)
        #expect(undecided < texts.count / 4)
    }

    /// `isPartHeading` with its first-scalar test on the bytes reads what it read before, on random
    /// and seed lines.
    @Test func partHeadingMatchesReference() throws {
        func reference(_ text: String) -> Bool {
            guard text.has("部分") else { return false }
            let t = FastText.removingSpaces(LineTokens.stripDebris(text))
            guard t.begins(with: "第"), let r = t.byteRange(of: "部分") else { return false }
            if let onScalars = TableReader.partNumeralsOnScalars(t, upTo: t.utf8.distance(from: t.startIndex, to: r.lowerBound)) {
                return onScalars
            }
            let mid = t[t.index(after: t.startIndex)..<r.lowerBound]
            return !mid.isEmpty && FastText.characterCount(mid) <= 3 && mid.allSatisfy { TableReader.chineseDigits.contains($0) }
        }
        let pieces = ["第", "一", "二", "十", "部分", "部", "分", " ", "\u{3000}", "\u{00A0}", "\t", "<b>", "</b>", "**", "- ", "-",
                      "收入", "2024", "年", "\u{301}", "*"]
        var headings = 0
        for l in randomTexts(from: pieces, seed: 13_007) + (try SharedFiles.seedLines()) {
            let new = TableReader.isPartHeading(l)
            #expect(new == reference(l), "\(l)")
            if new { headings += 1 }
        }
        #expect(headings > 50)
    }

    /// `HeaderReader.normalize` in one pass over the bytes gives what folding and then removing
    /// whitespace and `*` gave: full-width forms at and past both ends of FF01–FF5E, ＊, every
    /// whitespace scalar (C2, E1, E2, E3 led) and near misses, debris, ideographs; and every seed line.
    @Test func normalizeMatchesReference() throws {
        func reference(_ s: String) -> String {
            let f = Label.foldWidth(LineTokens.stripDebris(s))
            if !FastText.mayHaveWhitespace(f) && !FastText.hasByte(f, UInt8(ascii: "*")) { return f }
            return FastText.removingScalars(f) { FastText.isWhitespaceScalar($0) || $0 == "*" }
        }
        let pieces = ["项目", "合计", "１", "Ａ", "＊", "*", "**", "\u{FF00}", "\u{FF01}", "\u{FF5E}", "\u{FF5F}", "\u{FF60}", "\u{FFE0}",
                      " ", "\t", "\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{A0}", "\u{A1}", "\u{1680}", "\u{1681}", "\u{2000}",
                      "\u{200A}", "\u{200B}", "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}", "\u{3001}", "\u{E000}",
                      "<b>", "</b>", "- ", "-", "e\u{301}", "😀", "(", "（", "）", "2024年"]
        var changed = 0
        for l in randomTexts(from: pieces, seed: 13_008) + (try SharedFiles.seedLines()) {
            let new = HeaderReader.normalize(l)
            let ref = reference(l)
            #expect(new.utf8.elementsEqual(ref.utf8), "\(l.unicodeScalars.map { String($0.value, radix: 16) })")
            if !new.utf8.elementsEqual(l.utf8) { changed += 1 }
        }
        #expect(changed > 1000)
    }
}
