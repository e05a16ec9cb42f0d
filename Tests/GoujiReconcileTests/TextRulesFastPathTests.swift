import Foundation
import Testing
import GoujiModel
@testable import GoujiReconcile
import GoujiTestSupport

/// The shortcuts of the text rules and the table indexes must answer exactly as the code they
/// replaced: `shareWhole` as the word-by-word search, `digitCode` as `isDigits` then `Code`,
/// `TextRules.includes` as `includes`, and `TextBuffer`'s integers and substrings as their Strings.
@Suite struct TextRulesFastPathTests {
    /// `shareWhole` as it was written first: one `includes` per word, in list order.
    static func referenceShareWhole(of f: Fact) -> String? {
        if let base = f.shareOf {
            guard let entry = RuleTables.shareBases.first(where: { base.includes($0.words) }), !entry.whole.isEmpty else { return nil }
            return entry.whole
        }
        let text = f.text ?? ""
        if text.includes("一般公共预算") { return "general" }
        if text.includes("财政拨款") || text.isEmpty { return TextRules.Key.fiscalTotal }
        if text.includes("支出") { return TextRules.Key.expenditureTotal }
        if text.includes("收入") { return TextRules.Key.incomeTotal }
        return TextRules.Key.fiscalTotal
    }

    /// Texts made of the words the rules look for, pieces of them, and other characters.
    static func randomText(_ g: inout SplitMix64) -> String {
        let pieces = RuleTables.shareBases.map(\.words) + ["一般公共预算", "财政拨款", "支出", "收入"]
            + ["占", "的", "预算", "公", "三", "支", "出", " ", "a", "1", "é", "e\u{301}", "𠀀", "（", "拨款"]
        var s = ""
        for _ in 0..<g.int(0...6) {
            let p = pieces[g.int(0...(pieces.count - 1))]
            // Sometimes only part of a word (its first or last characters).
            switch g.int(0...5) {
            case 0: s += String(p.prefix(max(1, p.count - 1)))
            case 1: s += String(p.suffix(max(1, p.count - 1)))
            default: s += p
            }
        }
        return s
    }

    static func seedTexts() throws -> [String] {
        var out: [String] = []
        for name in try Shared.goldNames() {
            let doc = try Shared.gold(name)
            out += doc.facts.compactMap(\.shareOf) + doc.facts.compactMap(\.text)
            out += try Shared.seedLines(name)
        }
        return out
    }

    @Test func shareWholeAgreesWithWordByWordSearch() throws {
        var g = SplitMix64(seed: 0x5AE1)
        var texts = try Self.seedTexts() + ["", "支出", "占", "三公经费", "一般公共预算财政拨款", "收入支出"]
        for _ in 0..<20_000 { texts.append(Self.randomText(&g)) }
        for text in texts {
            for f in [Fact(key: "x", value: .zero, line: 1, text: text), Fact(key: "x", value: .zero, shareOf: text, line: 1),
                      Fact(key: "x", value: .zero, line: 1)] {
                #expect(TextRules.shareWhole(of: f) == Self.referenceShareWhole(of: f), "\(text.debugDescription)")
            }
        }
    }

    @Test func includesAgreesWithStringIncludes() throws {
        var g = SplitMix64(seed: 0x1C1D)
        var texts = try Self.seedTexts().prefix(3_000).map { $0 }
        for _ in 0..<3_000 { texts.append(Self.randomText(&g)) }
        for _ in 0..<60_000 {
            let a = texts[g.int(0...(texts.count - 1))], b = texts[g.int(0...(texts.count - 1))]
            #expect(TextRules.includes(a, b) == a.includes(b), "\(a.debugDescription) \(b.debugDescription)")
        }
        for a in texts.prefix(500) {
            for b in ["", "支出", a, String(a.dropFirst()), String(a.dropLast()), a + "的"] {
                #expect(TextRules.includes(a, b) == a.includes(b), "\(a.debugDescription) \(b.debugDescription)")
            }
        }
    }

    @Test func digitCodeAgreesWithIsDigitsAndCode() throws {
        var g = SplitMix64(seed: 0xD161)
        var texts = ["", "0", "201", "2080109", "01", "12345678901234567", "123456789012345678", "1234567890123456789012",
                     "２０１", "201a", "a201", "20 1", "一般公共服务支出", "2-01", "9" + String(repeating: "0", count: 30)]
        let alphabet: [String] = ["0", "1", "5", "9", "a", "-", " ", "一", "２", "é", "."]
        for _ in 0..<20_000 {
            var s = ""
            for _ in 0..<g.int(0...24) { s += alphabet[g.int(0...(g.int(0...9) < 8 ? 3 : alphabet.count - 1))] }
            texts.append(s)
        }
        for name in try Shared.goldNames() {
            let doc = try Shared.gold(name)
            texts += doc.facts.map(\.key).filter { $0.hasPrefix("func.") }.map { String($0.dropFirst(5)) }
            for t in doc.tables { texts += t.rows.compactMap(\.code) + t.rows.map(\.label) }
        }
        for text in texts {
            let fast = TextRules.digitCode(text)
            #expect((fast != nil) == FastText.isDigits(text), "\(text.debugDescription)")
            if let fast {
                let code = Code(text)
                #expect(fast.text == code.text && fast.number == code.number && fast.length == code.length && fast.ascii == code.ascii,
                        "\(text.debugDescription)")
            }
        }
    }

    /// A message written piece by piece is the concatenation of the pieces' Strings, however
    /// small the room it starts with.
    @Test func textBufferAgreesWithStrings() throws {
        var g = SplitMix64(seed: 0x7B0F)
        let words = ["第 ", "行", "、", ", ", "the item changes on lines ", "（", "e\u{301}", "𠀀", "", "一般公共预算财政拨款支出合计"]
        for _ in 0..<5_000 {
            var m = TextBuffer(capacity: g.int(0...40))
            var expected = ""
            for _ in 0..<g.int(0...30) {
                switch g.int(0...4) {
                case 0:
                    let n = g.int(0...3) == 0 ? -g.int(0...100_000) : g.int(0...Int.max / 2)
                    m.add(n)
                    expected += String(n)
                case 1:
                    let w = words[g.int(0...(words.count - 1))] + words[g.int(0...(words.count - 1))]
                    let cut = w.dropFirst(g.int(0...3))
                    m.add(cut)
                    expected += String(cut)
                case 2:
                    let a = Amount(mantissa: Int64(g.int(0...2_000_000)) - 1_000_000, decimals: g.int(0...4))
                    m.add(a)
                    expected += a.printed
                default:
                    let w = words[g.int(0...(words.count - 1))]
                    m.add(w)
                    expected += w
                }
            }
            let written = m.string
            #expect(written == expected)
        }
        for line in try Shared.seedLines(try #require(Shared.goldNames().first, "no gold readings: set GOUJI_SHARED")) {
            var m = TextBuffer(capacity: 16)
            m.add(line)
            m.add(line.dropFirst(5))
            let written = m.string
            #expect(written == line + String(line.dropFirst(5)))
        }
    }

    /// A message of whole Strings, amounts and integers is made from its bytes without checking
    /// them again; it must be the very String the pieces concatenate to (equal, same UTF-8, same
    /// characters, same hash). Bytes of unknown origin (a buffer, possibly cut inside a
    /// character) are read, with the rest, as `String(decoding:)` reads the whole.
    @Test func textBufferUncheckedMessagesAreTheirPieces() throws {
        var g = SplitMix64(seed: 0x5EED_7B0F)
        var words = ["第 ", "行", "、", ", ", "（", "e\u{301}", "\u{301}", "𠀀", "", "一般公共预算财政拨款支出合计", "Å", "\r\n", "🇨🇳"]
        if let name = try Shared.goldNames().first { words += try Shared.seedLines(name).filter { !$0.isEmpty } }
        for round in 0..<4_000 {
            var m = TextBuffer(capacity: g.int(0...40))
            var expected = ""
            var bytes: [UInt8] = []
            let raw = round % 4 == 0
            for _ in 0..<g.int(0...20) {
                switch g.int(0...3) {
                case 0:
                    let n = g.int(0...3) == 0 ? -g.int(0...100_000) : g.int(0...Int.max / 2)
                    m.add(n)
                    expected += String(n)
                    bytes += Array(String(n).utf8)
                case 1:
                    let a = Amount(mantissa: Int64(g.int(0...2_000_000)) - 1_000_000, decimals: g.int(0...4))
                    m.add(a)
                    expected += a.printed
                    bytes += Array(a.printed.utf8)
                case 2 where raw:
                    // Some bytes of a word, possibly cut inside a character.
                    let w = Array(words[g.int(0...(words.count - 1))].utf8)
                    let cut = Array(w.prefix(g.int(0...w.count)))
                    cut.withUnsafeBufferPointer { m.add($0) }
                    bytes += cut
                default:
                    let w = words[g.int(0...(words.count - 1))]
                    m.add(w)
                    expected += w
                    bytes += Array(w.utf8)
                }
            }
            let written = m.string
            let reference = raw ? String(decoding: bytes, as: UTF8.self) : expected
            #expect(written == reference)
            #expect(written.utf8.elementsEqual(reference.utf8))
            #expect(written.count == reference.count && written.unicodeScalars.count == reference.unicodeScalars.count)
            #expect(written.hashValue == reference.hashValue)
            #expect(Array(written) == Array(reference))
        }
    }

    @Test func distinctLinesAgreeWithSetSorted() {
        var g = SplitMix64(seed: 0x11E5)
        for _ in 0..<5_000 {
            let facts = (0..<g.int(0...12)).map { _ in Fact(key: "func.201", value: .zero, line: g.int(1...8)) }
            let lo = g.int(0...facts.count), hi = g.int(lo...facts.count)
            #expect(TextRules.distinctLines(facts, lo..<hi) == Array(Set(facts[lo..<hi].map(\.line))).sorted())
        }
    }

    /// The per-kind arrays are indexed by a kind's position in `TableKind.allCases`.
    @Test func kindOrdinalsAreAllCasesPositions() {
        for (i, kind) in TableKind.allCases.enumerated() {
            #expect(Context.ordinal(kind) == i, "\(kind)")
        }
    }
}
