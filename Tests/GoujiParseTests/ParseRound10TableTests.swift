import Foundation
import GoujiModel
@testable import GoujiParse
import GoujiTestSupport
import Testing

/// Round 10 of the table reader's fast paths: each gives what the reading it replaces gives, on
/// random inputs (a fixed-seed generator: the same cases in every run).
@Suite struct ParseRound10TableTests {
    typealias Generator = SplitMix64

    /// Lines of label text, numbers, codes, dashes and blank marks in every width and spacing.
    static func randomLines(seed: UInt64, count: Int = 6000) -> [String] {
        let pieces = ["合计", "一般公共预算", "（一）", "(二)", "项目", "支出", "单位：万元", " ", "  ", "\u{3000}", "\t", "\u{00A0}",
                      "1", "208", "2080109", "01", "1,414.81", "12.5", "-", "--", "—", "–", "‐", "‒", "―", "－", "１２", "２０８",
                      "[208]", "［２０８］", "【208】", "【", "】", "[", "]", "%", "％", "年", "月", "*", "**", "<b>", "</b>",
                      "“三公”", "…", "·", "e\u{301}", "\u{2212}", "A", "-3-", "第", "页", "共", "/", "，", ",", "、", ".", "．"]
        var g = Generator(seed: seed)
        var out = ["", " ", "合计", "上", "年", "使用非财", "政拨款结", "2080109", "01", "-", "—", "－", "１", "—  —", "[208]",
                   "【二〇八】", "收 入", "项目(按支出功能科目类级)", "一般公共预算拨款收\t入", "\u{2212}5", "−", "a-b", "‐‐"]
        for _ in 0..<count {
            var s = ""
            for _ in 0..<g.int(1...8) { s += pieces[g.int(0...(pieces.count - 1))] }
            out.append(s)
        }
        return out
    }

    /// `LineTokens.readsAsText` only says so of a line whose every token is label text (the
    /// table reader then knows the line's token kinds without reading them); and it says so of
    /// lines of label text alone (not false everywhere).
    @Test func readsAsTextOnlyWhereEveryTokenIsText() {
        var textOnly = 0
        for l in Self.randomLines(seed: 10_001) {
            guard LineTokens.readsAsText(l) else { continue }
            textOnly += 1
            let tokens = LineTokens.tokens(l)
            #expect(tokens.allSatisfy { $0.kind == .text }, "\(l.unicodeScalars.map { String($0.value, radix: 16) })")
            // The reference reading by cells agrees.
            #expect(LineTokens.tokens(l, viaCells: true).allSatisfy { $0.kind == .text }, "\(l)")
        }
        #expect(textOnly > 300)
        for l in ["合计", "上", "收 入", "项目(按支出功能科目类级)", "“三公”经费", "【二〇八】"] { #expect(LineTokens.readsAsText(l)) }
        for l in ["2080109", "01", "-", "—", "－", "１", "合计 1,414.81", "‐", "―"] { #expect(!LineTokens.readsAsText(l)) }
    }

    /// `isPageNumber` with its tests fused into one pass (`mayBePageNumber`) gives what the
    /// reading before it gives (`TableFastPathTests.referencePageNumber`), on digits alone (codes
    /// printed on their own line), digits between spaces, and the page forms.
    @Test func pageNumbersMatchReferenceOnDigitLines() {
        var lines = ["2080109", "01", " 12 ", "1 2 3", "\t7\t", "12\u{3000}", "\u{00A0}3\u{00A0}", "１２", " １ ", "0", "9999", "12345",
                     "- 3 -", "第 3 页", "3/12", "共12页第3页", "１/２", "3\u{2003}", "3\u{2029}", "-\u{3000}3"]
        var g = Generator(seed: 10_002)
        let alphabet: [Character] = ["1", "2", "0", " ", "\t", "\u{3000}", "\u{00A0}", "１", "-", "—", "第", "页", "共", "/", "合"]
        for _ in 0..<6000 {
            var w = ""
            for _ in 0..<g.int(1...9) { w.append(alphabet[g.int(0...(alphabet.count - 1))]) }
            lines.append(w)
        }
        lines += Self.randomLines(seed: 10_003, count: 2000)
        for l in lines {
            #expect(LineTokens.isPageNumber(l) == TableFastPathTests.referencePageNumber(l), "\(l.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    /// `ColumnPositions.columns` handed the header's placed keys as the table reader read them
    /// gives what it gives placing them itself.
    @Test func columnsFromPlacedKeysMatchColumns() {
        let lines = ParseRound3FastPathTests.randomLines(seed: 10_004) + ["合计  基本支出  项目支出", "合计 基本支出", "  合计  小计",
                                                                         "一般公共      政府性基金", "预算拨款      预算拨款", "合计"]
        let layouts = [ColumnLayout(keys: [Column.total, Column.basic, Column.project], groups: [:]),
                       ColumnLayout(keys: [Column.total, Column.generalBudget, Column.govFund], groups: [:]),
                       ColumnLayout(keys: [Column.total], groups: [:])]
        var g = Generator(seed: 10_005)
        for i in lines.indices {
            var header = [SourceLine(number: 1, raw: lines[i])]
            for _ in 0..<g.int(0...3) { header.append(SourceLine(number: header.count + 1, raw: lines[g.int(0...(lines.count - 1))])) }
            let year: Int? = g.int(0...3) == 0 ? 2024 : nil
            let placed = ColumnPositions.placedKeys(headerLines: header, latestYear: year)
            for layout in layouts {
                let handed = ColumnPositions.columns(headerLines: header, layout: layout, latestYear: year, placed: { placed })
                #expect(handed == ColumnPositions.columns(headerLines: header, layout: layout, latestYear: year), "\(header.map(\.raw))")
            }
        }
    }

    /// A header whose lines are free of debris normalises, joined line by line as the table
    /// reader joins it, to its lines' normalised trimmed texts run together (what `readBody`
    /// takes instead of normalising the joined text again).
    @Test func plainHeaderNormalisesLineByLine() {
        let pieces = ["合计", "一般公共预算", "（一）", "(二)", "项目", " ", "  ", "\u{3000}", "\t", "\u{00A0}", "１２", "ＡＢ", "1,414.81",
                      "-", "—", "年", "预算数", "\u{2003}", "e\u{301}", "：", ":", "．"]
        var g = Generator(seed: 10_008)
        var checked = 0
        for _ in 0..<5000 {
            var raws: [String] = []
            for _ in 0..<g.int(1...5) {
                var s = ""
                for _ in 0..<g.int(1...6) { s += pieces[g.int(0...(pieces.count - 1))] }
                raws.append(s)
            }
            let lines = raws.map { SourceLine(number: 1, raw: $0) }
            guard lines.allSatisfy({ !$0.isBlank && LineTokens.isDebrisFree($0.raw) }) else { continue }
            checked += 1
            var headerText = ""
            for (k, l) in lines.enumerated() {
                if k > 0 { headerText += "\n" }
                headerText += LineTokens.stripDebris(l.raw)
            }
            var joined = ""
            for l in lines { joined += HeaderReader.normalize(l.text) }
            #expect(joined == HeaderReader.normalize(headerText), "\(raws)")
            #expect(joined.utf8.elementsEqual(HeaderReader.normalize(headerText).utf8), "\(raws)")
        }
        #expect(checked > 1000)
    }

    /// `LineTokens.foldedInt` reads a word as `Int(Label.foldWidth(w))` does: ASCII digits of
    /// every length (leading zeros, 18 and 19 digits, past `Int.max`), full-width digits, signs,
    /// marks and mixed words.
    @Test func foldedIntMatchesIntOfFoldedWord() {
        var words = ["", "0", "1", "01", "007", "99", "100", "123456789012345678", "1234567890123456789", "9223372036854775807",
                     "9223372036854775808", "99999999999999999999", "１", "１２", "+1", "-1", "＋１", "－１", "1a", "a1", " 1", "1 ",
                     "1\u{301}", "١", "٣", "*", "1.0", "1,0", "0x1"]
        var g = Generator(seed: 10_006)
        let alphabet: [Character] = ["0", "1", "9", "１", "９", "+", "-", "＋", "a", "*", " "]
        for _ in 0..<20_000 {
            var w = ""
            for _ in 0..<g.int(0...22) { w.append(alphabet[g.int(0...(g.int(0...3) == 0 ? alphabet.count - 1 : 2))]) }
            words.append(w)
        }
        for w in words {
            let s = Substring(w)
            #expect(LineTokens.foldedInt(s) == Int(Label.foldWidth(s)), "\(w)")
            // As a slice of a longer text, too.
            let longer = "x \(w) y"
            let slice = longer.dropFirst(2).dropLast(2)
            #expect(LineTokens.foldedInt(slice) == Int(Label.foldWidth(slice)), "\(w)")
        }
    }

    /// `HeaderReader.layouts` with its shortcut for a header without group headings gives what
    /// the reading before it gives, on random key lists of every kind of table.
    @Test func layoutsMatchReference() {
        let keys = HeaderReader.words.map { $0.1 } + ["#open", "#close", "#income", "#cmp", "#total", "#sub", "#skip", "other_funds"]
        let kinds: [TableKind] = [.income, .expenditure, .basicEconomic, .threePublic, .generalFunction, .other, .summary,
                                  .fiscalSummary, .projectList, .basicByCategory, .govFund]
        var g = Generator(seed: 10_007)
        var grouped = 0
        for _ in 0..<20_000 {
            var scanned: [String] = []
            for _ in 0..<g.int(0...9) { scanned.append(keys[g.int(0...(keys.count - 1))]) }
            let kind = kinds[g.int(0...(kinds.count - 1))]
            let maxValues = g.int(0...9)
            let new = HeaderReader.layouts(scanned: scanned, kind: kind, maxValues: maxValues)
            let old = HeaderReader.layouts(scanned: scanned, kind: kind, maxValues: maxValues, shortcut: false)
            #expect(new.layout == old.layout, "\(scanned) \(kind)")
            #expect(new.keepingGroups == old.keepingGroups, "\(scanned) \(kind)")
            if !old.layout.groups.isEmpty || old.keepingGroups != nil { grouped += 1 }
        }
        // Both readings are reached: headers with groups too.
        #expect(grouped > 100)
    }
}
