import Foundation
@testable import GoujiModel
@testable import GoujiParse
import GoujiTestSupport
import Testing

/// Round 14 of the source text and classifier fast paths: each gives what the reading it replaces
/// gives, on random inputs (a fixed-seed generator: the same cases in every run) and on every seed
/// line.
@Suite struct ParseRound14SourceTests {
    /// Random texts from title words, enumerators, digits, brackets, spaces and scalars of every
    /// length (two-byte, four-byte, combining marks), and every seed line.
    static func texts(seed: UInt64) throws -> [String] {
        let pieces = ["绩效目标", "绩效指标", "绩效", "三公", "政府性基金", "国有资本经营", "一般公共预算", "基本支出", "项目支出", "经济分类",
                      "预算表", "情况表", "明细表", "决算表", "汇总表", "收支", "收入支出", "财政拨款", "总表", "总体", "收入", "支出", "采购",
                      "表", "收", "支", "预算", "年度", "年", "2024", "２０２４", "，", ",", " ", "\u{3000}", "\t", "一、", "（一）", "十一、",
                      "(1)", "1、", "1.5", "①", "⑴", "一般", "（", "）", "(", ")", "《", "》", "\u{FFFD}", "é", "\u{301}", "𠀀", "\u{F9D1}",
                      "a", "-", "．", "、", ".", "０", "９"]
        return randomTexts(from: pieces, seed: seed) + (try SharedFiles.seedLines())
    }

    /// `TableKindClassifier.kind(ofWords:)` as it was: every word searched for in the title.
    static func referenceKind(_ t: String) -> TableKind? {
        func has(_ w: String) -> Bool { t.has(w) }
        if has("绩效目标") || has("绩效指标") { return .performance }
        if has("三公") { return .threePublic }
        if has("政府性基金") { return .govFund }
        if has("国有资本经营") { return .stateCapital }
        if has("一般公共预算") {
            if has("基本支出") { return .basicEconomic }
            if has("项目支出") { return .projectEconomic }
            if has("经济分类") { return .generalEconomic }
            return .generalFunction
        }
        if has("基本支出") && (has("预算表") || has("情况表")) { return .basicByCategory }
        if has("项目支出") && !has("绩效") && (has("预算表") || has("情况表") || has("明细表") || t.ends(with: "项目支出表")) {
            return .projectList
        }
        let named = has("预算表") || has("决算表") || has("情况表") || has("汇总表")
        if has("收支") || has("收入支出") {
            if has("财政拨款") { return .fiscalSummary }
            if has("总表") || has("总体") || named { return .summary }
            return nil
        }
        if has("收入") && (has("总表") || has("总体") || named || t.ends(with: "收入表")) { return .income }
        if has("支出") && (has("总表") || has("总体") || (has("决算表") && !has("基本支出") && !has("项目支出"))) { return .expenditure }
        if has("支出") && (named || t.ends(with: "支出表")) && !has("基本支出") && !has("项目支出") && !has("财政拨款")
            && !has("采购") {
            return .expenditure
        }
        if has("财政拨款") && (has("预算表") || has("情况表")) { return .other }
        return nil
    }

    /// The words ruled out by the title's scalar mask are the words the title does not hold.
    @Test func kindOfWordsMatchesSearchingEveryWord() throws {
        var kinds: Set<String> = []
        for t in try Self.texts(seed: 14_001) {
            let new = TableKindClassifier.kind(ofWords: t)
            #expect(new == Self.referenceKind(t), "\(t)")
            kinds.insert(new.map { "\($0)" } ?? "nil")
        }
        #expect(kinds.count >= 12)
    }

    /// `Label.stripEnumerator` as it was: the first scalar read on the scalar view, then the
    /// scalar reading (the byte reading's twin), else the Character reading.
    static func referenceStrip(_ s: String) -> String {
        guard let u = s.unicodeScalars.first, Label.mayStartEnumerator(u) else { return s }
        return Label.stripEnumeratorOnScalars(s) ?? Label.stripEnumeratorByCharacters(s)
    }

    @Test func stripEnumeratorReadsTheFirstScalarOnBytes() throws {
        var stripped = 0
        for t in try Self.texts(seed: 14_002) + ["", "一", "①", "(", "（", "1", "é1、", "\u{301}1、"] {
            let new = Label.stripEnumerator(t)
            #expect(Array(new.utf8) == Array(Self.referenceStrip(t).utf8), "\(t)")
            let first = FastText.scanUTF8(t) { Label.mayStartEnumerator(firstOf: $0) }
            #expect(first == (t.unicodeScalars.first.map(Label.mayStartEnumerator) ?? false), "\(t)")
            if !FastText.equalBytes(new, t) { stripped += 1 }
        }
        #expect(stripped > 100)
    }

    /// `cleanTitle` stops stripping enumerators when the length stays: each step gives the text
    /// itself (the same bytes) or a shorter one.
    @Test func stripEnumeratorKeepsOrShortens() throws {
        for t in try Self.texts(seed: 14_007) + ["一、二、三、", "（一）1.收入", "①②", "1、2、3、"] {
            let s = Label.stripEnumerator(t)
            #expect(s.utf8.count < t.utf8.count || Array(s.utf8) == Array(t.utf8), "\(t)")
        }
    }

    /// The word tests (`has`, `begins`, `ends`, `byteRange`; prefixes and suffixes compared four
    /// bytes at a time) against a plain search of the byte arrays, with
    /// words of every length from one byte to whole texts, at the texts' starts and ends.
    @Test func wordTestsMatchAByteArraySearch() throws {
        let texts = try Self.texts(seed: 14_008)
        var g = SplitMix64(seed: 14_009)
        func occurrences(_ w: [UInt8], _ t: [UInt8]) -> [Int] {
            guard !w.isEmpty, w.count <= t.count else { return [] }
            return (0...(t.count - w.count)).filter { t[$0..<($0 + w.count)].elementsEqual(w) }
        }
        var found = 0
        for t in texts {
            let tb = Array(t.utf8)
            var words = ["", "收支", "预算表", "合计", " ", "一般公共预算", t]
            for _ in 0..<3 {
                // A whole-scalar piece of another text, or of this one (a prefix, a suffix, a middle).
                let other = texts[g.int(0...(texts.count - 1))]
                let scalars = Array((g.int(0...1) == 0 ? t : other).unicodeScalars)
                guard !scalars.isEmpty else { continue }
                let a = g.int(0...(scalars.count - 1)), b = g.int(a...scalars.count)
                var w = ""
                w.unicodeScalars.append(contentsOf: scalars[a..<b])
                words.append(w)
            }
            for w in words {
                let wb = Array(w.utf8)
                let at = occurrences(wb, tb)
                #expect(t.has(w) == (w.isEmpty || !at.isEmpty), "has \(t) \(w)")
                #expect(t.begins(with: w) == (wb.count <= tb.count && Array(tb.prefix(wb.count)) == wb), "begins \(t) \(w)")
                #expect(t.ends(with: w) == (wb.count <= tb.count && Array(tb.suffix(wb.count)) == wb), "ends \(t) \(w)")
                let r = t.byteRange(of: w)
                #expect(r.map { t.utf8.distance(from: t.startIndex, to: $0.lowerBound) } == (w.isEmpty ? 0 : at.first), "range \(t) \(w)")
                if !at.isEmpty && !w.isEmpty { found += 1 }
            }
        }
        #expect(found > 1000)
    }

    /// `removingSpaces` (written to a scratch buffer, copied without validation) gives the text
    /// without its space scalars, read on the scalars.
    @Test func removingSpacesMatchesTheCharacterFilter() throws {
        for t in try Self.texts(seed: 14_010) + ["a b\tc\u{3000}d\u{00A0}e\u{2002}f\u{2003}", String(repeating: "收 支 ", count: 400)] {
            let reference = String(String.UnicodeScalarView(t.unicodeScalars.filter { !SourceText.isSpaceScalar($0) }))
            #expect(Array(FastText.removingSpaces(t).utf8) == Array(reference.utf8), "\(t)")
        }
    }

    /// `core`'s first-scalar test on the bytes answers as the scalar test did.
    @Test func mayStartYearMatchesTheScalarTest() throws {
        for t in try Self.texts(seed: 14_003) + ["", "０", "９", "\u{FF0F}", "\u{FF1A}", "，", "\u{FF0B}"] {
            let f = t.unicodeScalars.first?.value
            let reference = f.map { $0 == 0x20 || $0 == 0x2C || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0xFF0C || ($0 >= 0xFF10 && $0 <= 0xFF19) } ?? false
            #expect(FastText.scanUTF8(t, TableKindClassifier.mayStartYear) == reference, "\(t)")
        }
    }

    /// `tocTitle` reads 《…》 only on lines whose mask holds both marks: the same titles as on a
    /// line whose mask rules nothing out.
    @Test func tocTitleOnTheLineMaskMatchesEveryLine() throws {
        var titles = 0
        let extra = ["《2024年部门收支总表》", "见《部门预算支出表》和《财政拨款收支总表》", "》收入总表《", "<b>《支出总表》</b>", "**《收入总表》**"]
        for t in try Self.texts(seed: 14_004) + extra {
            let line = SourceLine(number: 1, raw: t)
            let unmasked = SourceLine(number: 1, raw: line.raw, text: line.text, mask: ~0)
            let new = TableKindClassifier.tocTitle(line)
            #expect(new.map { Array($0.utf8) } == TableKindClassifier.tocTitle(unmasked).map { Array($0.utf8) }, "\(t)")
            if new != nil { titles += 1 }
        }
        #expect(titles > 3)
    }

    /// `SourceText.trim` copies the kept bytes without decoding them: the String decoding gives,
    /// ASCII flag included.
    @Test func trimCopiesWhatDecodingGives() throws {
        for t in try Self.texts(seed: 14_006) + ["  abcdefghijklmnopqrstuvwxyz  ", "\u{3000}收入支出决算总表\u{3000}", " \t "] {
            let new = SourceText.trim(t)
            let reference = FastText.scanUTF8(t) { buf -> String in
                let (a, b) = FastText.trimmedRange(buf)
                return String(decoding: UnsafeBufferPointer(rebasing: buf[a..<b]), as: UTF8.self)
            }
            #expect(Array(new.utf8) == Array(reference.utf8), "\(t)")
            if #available(macOS 26.0, *) {
                #expect(new.utf8Span.isKnownASCII == reference.utf8Span.isKnownASCII, "\(t)")
            }
        }
    }
}
