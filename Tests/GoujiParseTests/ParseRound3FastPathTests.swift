import GoujiModel
@testable import GoujiParse
import GoujiTestSupport
import Testing

/// Parser speed, round 3: each shortcut against the reading it replaces (kept here as the
/// reference), on fixed cases and fixed-seed random ones.
@Suite struct ParseRound3FastPathTests {
    /// Header and table line pieces: column words, single characters of vertical headers, the
    /// space scalars (single and runs), tabs and debris.
    static let headerPieces = ["合计", "基本支出", "项目支出", "一般公共预算", "财政拨款", "上年结转", "小计", "科目编码", "科目名称",
                               "预算数", "事业收入", "其他收入", "人员经费", "公用经费", "年", "结", "转", "单", "位", "（", "）",
                               " ", "  ", "   ", "\u{3000}", "\u{00A0}", "\u{2002}", "\u{2003}", "\t", "*", "**", "<b>", "- ",
                               "1", "2", "12.5", "-3", "a", "e\u{301}", "\u{301}", "\r"]

    static func randomLines(seed: UInt64, count: Int = 1500) -> [String] {
        var g = SplitMix64(seed: seed)
        var out: [String] = []
        for _ in 0..<count {
            var s = ""
            for _ in 0..<g.int(0...9) { s += headerPieces[g.int(0...(headerPieces.count - 1))] }
            out.append(s)
        }
        return out
    }

    // MARK: ColumnPositions.columns

    /// `ColumnPositions.columns` as it was: every header line split into cells and scanned,
    /// whitespace or not.
    static func referenceColumns(headerLines: [SourceLine], layout: ColumnLayout) -> [Int]? {
        guard layout.keys.count >= 2 else { return nil }
        for l in headerLines.reversed() where !l.raw.has("\t") {
            let runs = LineTokens.cells(l.raw)
            guard runs.filter({ !HeaderReader.scan(HeaderReader.normalize($0.text)).filter { !$0.begins(with: "#skip") }.isEmpty }).count >= 2
            else { continue }
            var cells: [(text: String, position: Int)] = []
            for c in runs {
                var x = c.position
                for w in c.text.split(separator: " ", omittingEmptySubsequences: false) {
                    if !w.isEmpty { cells.append((String(w), x)) }
                    x += ColumnPositions.displayWidth(String(w)) + 1
                }
            }
            var edges: [Int] = []
            var keys: [String] = []
            for c in cells {
                let found = HeaderReader.scan(HeaderReader.normalize(c.text)).filter { !$0.begins(with: "#skip") }
                guard let k = found.first else { continue }
                let key = k == "#total" || k == "#sub" ? Column.total : k
                keys.append(key)
                edges.append(c.position + ColumnPositions.displayWidth(c.text))
            }
            if keys.count == layout.keys.count { return edges }
        }
        return nil
    }

    @Test func columnPositionsMatchReference() {
        let lines = Self.randomLines(seed: 3_001) + ["合计  基本支出  项目支出", "合计 基本支出", "合计\u{3000}项目支出", "  合计  小计",
                                                      "合计", "年", "科目编码  合计", "合计\t基本支出"]
        let layouts = [ColumnLayout(keys: [Column.total, Column.basic, Column.project], groups: [:]),
                       ColumnLayout(keys: [Column.total, Column.basic], groups: [:]),
                       ColumnLayout(keys: [Column.total], groups: [:])]
        var g = SplitMix64(seed: 3_002)
        var found = 0
        for i in lines.indices {
            // One to three header lines, the line under test among them.
            var header = [SourceLine(number: 1, raw: lines[i])]
            for _ in 0..<g.int(0...2) { header.append(SourceLine(number: header.count + 1, raw: lines[g.int(0...(lines.count - 1))])) }
            for layout in layouts {
                let new = ColumnPositions.columns(headerLines: header, layout: layout)
                #expect(new == Self.referenceColumns(headerLines: header, layout: layout), "\(header.map(\.raw))")
                if new != nil { found += 1 }
            }
        }
        // The random lines reach the positions, not only the early exits.
        #expect(found > 50)
    }

    // MARK: TableReader.isUnitLine

    /// `TableReader.isUnitLine` as it was: every line that passes the first word guard copied
    /// without its spaces and searched.
    static func referenceIsUnitLine(_ text: String, mask: UInt64 = ~0, tokens lineTokens: () -> ArraySlice<Token>) -> Bool {
        func may(_ m: UInt64) -> Bool { mask & m == m }
        guard (may(Words.danwei) && text.has("单位")) || (may(Words.bumen) && text.has("部门")) || (may(Words.openBracket) && text.has("["))
                || (may(Words.fullOpenBracket) && text.has("［")) || (may(Words.lenticular) && text.has("【")) else { return false }
        let t = FastText.removingSpaces(text)
        if may(Words.danwei) && (t.has("填报单位") || t.has("单位名称：") || t.has("单位名称:") || t.has("编制单位")
            || t.begins(with: "单位：") || t.begins(with: "单位:") || t.ends(with: "单位：万元")
            || t.ends(with: "单位:万元") || t.ends(with: "单位：元")) { return true }
        if may(Words.bumen) && t.has("填报部门") { return true }
        if let f = t.first, f == "[" || f == "［" || f == "【", !t.has("合计") {
            let tokens = lineTokens()
            return tokens.count <= 3 && !tokens.contains { $0.kind == .number }
        }
        return false
    }

    static let unitPieces = ["单位", "单", "位", "部门", "填报", "填", "名称", "编制", "：", ":", "万元", "元", "[", "［", "【", "]", "］", "】",
                             "208", "合计", "行政", "事业", "社会保险", "12.5", "3", " ", "  ", "\u{3000}", "\u{00A0}", "\u{2002}", "\t",
                             "\u{301}", "e\u{301}", "*", "-", "名", "编"]

    @Test func unitLineMatchesReference() {
        var texts = randomTexts(from: Self.unitPieces, seed: 3_101)
        texts += ["单位：万元", " 单 位：万元 ", "填报单位:[601017]南昌市", "[208]社会保障和就业支出 2,957.80", "【单位】", "［部门］ 名称",
                  "编制单位", "行政事业单位医疗 120.44", "单位名称：某局", "填报部门", "部门预算", "[\u{301}单位]", "\u{3000}[001]部门",
                  "单位：元\u{3000}", "金额单位：元", "[", "单", "元单位", "合计[单位]"]
        var lines = 0
        for text in texts {
            let tokens = { LineTokens.tokens(text)[...] }
            #expect(TableReader.isUnitLine(text) == Self.referenceIsUnitLine(text, tokens: tokens), "\(text)")
            // With the line's mask, as `readBody` asks (the mask of the untrimmed line).
            let mask = ScalarMask.of("  " + text)
            let new = TableReader.isUnitLine(text, mask: mask, tokens: tokens)
            #expect(new == Self.referenceIsUnitLine(text, mask: mask, tokens: tokens), "\(text)")
            if new { lines += 1 }
        }
        // The random texts reach both answers.
        #expect(lines > 100)
    }

    // MARK: LineTokens.isDebrisFree

    /// `LineTokens.stripDebris` as it was (the old `isDebrisFree` first: leading ASCII spaces only).
    static func referenceStripDebris(_ s: String) -> String {
        let oldFree = FastText.scanUTF8(s) { buf -> Bool in
            if FastText.containsByte(buf, 0x3C) || FastText.containsByte(buf, 0x2A) { return false }
            var i = 0
            while i < buf.count, buf[i] == 0x20 || buf[i] == 0x09 { i += 1 }
            if i < buf.count, buf[i] == 0x2D || buf[i] == 0xC2 || buf[i] == 0xE2 || buf[i] == 0xE3 { return false }
            return true
        }
        if oldFree { return s }
        var t = s
        if t.has("<") {
            var out = ""
            var inTag = false
            for c in t {
                if c == "<" { inTag = true; continue }
                if c == ">" && inTag { inTag = false; continue }
                if !inTag { out.append(c) }
            }
            t = out
        }
        if t.has("**") { t = t.replacingAll("**", with: "") }
        let trimmed = SourceText.trim(t)
        if trimmed.begins(with: "- ") { return String(trimmed.dropFirst(2)) }
        return t
    }

    @Test func debrisFreeMatchesReference() {
        let pieces = ["-", "- ", " ", "\u{3000}", "\u{00A0}", "\u{2002}", "\u{2003}", "\t", "—", "–", "*", "**", "<b>", "</b>", "<", ">",
                      "合计", "[208]", "12.5", "a", "\u{301}", "e\u{301}", "\u{2014}"]
        var texts = randomTexts(from: pieces, seed: 3_201)
        texts += ["\u{3000}- 合计", "\u{3000}-3", "\u{3000}[208]社会保障", "\u{00A0}- x", "\u{2003}—合计", " - ", "-", "\u{3000}"]
        var free = 0
        for s in texts {
            let stripped = LineTokens.stripDebris(s)
            #expect(FastText.equalBytes(stripped, Self.referenceStripDebris(s)), "\(s)")
            if LineTokens.isDebrisFree(s) {
                free += 1
                #expect(FastText.equalBytes(Self.referenceStripDebris(s), s), "\(s)")
            }
        }
        #expect(free > 100)
    }

    // MARK: TableKindClassifier.core

    /// `TableKindClassifier.core` as it was: every title's leading Characters compared.
    static func referenceCore(_ title: String) -> String {
        var t = Substring(title)
        var digits = 0
        while let f = t.first, (f.isASCII && f.isNumber) || ("０"..."９").contains(f) || f == "," || f == "，" || f == " " {
            t = t.dropFirst(); digits += 1
        }
        if digits >= 4 {
            if t.begins(with: "年度") { t = t.dropFirst(2) } else if t.begins(with: "年") { t = t.dropFirst() }
        }
        return String(t)
    }

    @Test func titleCoreMatchesReference() {
        let pieces = ["2024", "2", "０", "２０２４", "９", "９\u{301}", "０\u{301}", "1\u{301}", ",", "，", " ", "\u{3000}", "年", "年度",
                      "部门", "收支总表", "表", "a", "\u{301}", "\u{FF0F}", "\u{FF1A}", "\u{FF0B}", "-", "/", ":", "\r\n", "¹", "٣"]
        var titles = randomTexts(from: pieces, seed: 3_301)
        titles += ["2024年度部门收支总表", "２０２４年收入总表", " 2024 年度支出总表", "2,024年度", "部门收支总表", "", "\u{301}2024年"]
        var stripped = 0
        for t in titles {
            let new = TableKindClassifier.core(t)
            #expect(FastText.equalBytes(new, Self.referenceCore(t)), "\(t)")
            if !FastText.equalBytes(new, t) { stripped += 1 }
        }
        #expect(stripped > 100)
    }

    // MARK: Label.foldWidth

    /// The generic `Label.foldWidth` (a generic context picks it over the concrete forms).
    static func genericFold<S: StringProtocol>(_ s: S) -> String { Label.foldWidth(s) }

    @Test func foldWidthMatchesLabel() {
        let pieces = ["Ａ", "１", "２０２４", "（", "）", "：", "\u{3000}", "\u{FF5E}", "\u{FF5F}", "\u{FF01}", "\u{FF00}", "\u{FF61}", "\u{FFE5}",
                      "ｶ", "\u{3001}", "\u{3002}", "合计", "a", "1", " ", "\t", "\u{301}", "e\u{301}", "😀", "\u{00A0}", "\u{2003}"]
        let texts = randomTexts(from: pieces, seed: 3_401)
        var folded = 0
        for t in texts {
            let new = Label.foldWidth(t)
            #expect(FastText.equalBytes(new, Self.genericFold(t)), "\(t)")
            if !FastText.equalBytes(new, t) { folded += 1 }
            // A Substring inside a longer text (its bytes are not the whole String's).
            let wide = "Ｘ" + t + "\u{3000}"
            let sub = wide.dropFirst().dropLast()
            #expect(FastText.equalBytes(Label.foldWidth(sub), Self.genericFold(sub)), "\(t)")
        }
        #expect(folded > 100)
    }

    // MARK: LineTokens.cellRanges

    /// `LineTokens.cellRanges(_:into:)` as it was: every scalar read through `FastText.ownCharacter`.
    static func referenceCellRanges(_ buf: UnsafeBufferPointer<UInt8>, into cells: UnsafeMutableBufferPointer<Int>) -> Int? {
        var count = 0
        @inline(__always) func add(_ a: Int, _ b: Int, _ position: Int) -> Bool {
            guard 3 * count + 3 <= cells.count else { return false }
            cells[3 * count] = a
            cells[3 * count + 1] = b
            cells[3 * count + 2] = position
            count += 1
            return true
        }
        let n = buf.count
        if FastText.containsByte(buf, 0x3C) || FastText.containsByte(buf, 0x2A) { return nil }
        if FastText.containsByte(buf, 0x09) {
            var start = 0
            var field = 0
            var i = 0
            while i <= n {
                if i == n || buf[i] == 0x09 {
                    let (a, b) = FastText.trimmedRange(UnsafeBufferPointer(rebasing: buf[start..<i]))
                    if a < b {
                        if buf[start + a] == 0x2D { return nil }
                        guard add(start + a, start + b, field) else { return -1 }
                    }
                    field += 1
                    start = i + 1
                }
                i += 1
            }
            return count
        }
        // Runs of 2+ spaces (U+3000 counts two) separate cells; position = display column.
        var cellStart = -1
        var cellEnd = 0
        var startCol = 0
        var col = 0
        var spaces = 0
        var i = 0
        while i < n {
            guard let (v, len) = FastText.ownCharacter(buf, at: i) else { return nil }
            switch v {
            case 0x20, 0x09, 0x3000, 0xA0, 0x2002, 0x2003:
                spaces += v == 0x3000 ? 2 : 1
            default:
                if spaces >= 2 && cellStart >= 0 {
                    guard add(cellStart, cellEnd, startCol) else { return -1 }
                    cellStart = -1
                }
                if cellStart < 0 {
                    if v == 0x2D { return nil }
                    cellStart = i
                    startCol = col
                }
                spaces = 0
                cellEnd = i + len
            }
            col += v >= 0x2E80 ? 2 : 1
            i += len
        }
        if cellStart >= 0, !add(cellStart, cellEnd, startCol) { return -1 }
        return count
    }

    @Test func cellRangesMatchReference() {
        let pieces = ["合计", "基本支出", "[208]", "1,148.95", "0.00", "-3", " ", "  ", "   ", "\u{3000}", "\u{00A0}", "\u{2002}", "\u{2003}",
                      "\t", "\r", "a", "Ｂ", "\u{301}", "e\u{301}", "😀", "\u{200D}", "\u{1100}", "\u{FF9E}", "é", "<", "*", "ｶ"]
        let lines = randomTexts(from: pieces, seed: 3_501) + ["[208]社会保障和就业支出  2,957.80  1,520.31", "合计\t1.0\t\t2.0", "\u{3000}行政运行  1,148.95"]
        var read = 0
        for line in lines {
            var copy = line
            copy.withUTF8 { buf in
                // Room for every cell, and room for two only (the -1 answer).
                for capacity in [3 * (buf.count + 1), 6] {
                    withUnsafeTemporaryAllocation(of: Int.self, capacity: capacity) { a in
                        withUnsafeTemporaryAllocation(of: Int.self, capacity: capacity) { b in
                            let new = LineTokens.cellRanges(buf, into: a)
                            let old = Self.referenceCellRanges(buf, into: b)
                            #expect(new == old, "\(line)")
                            if let count = new, count > 0, new == old {
                                read += 1
                                #expect(Array(a[0..<(3 * count)]) == Array(b[0..<(3 * count)]), "\(line)")
                            }
                        }
                    }
                }
            }
        }
        #expect(read > 1000)
    }

    // MARK: FastText.lastWordMayBeSmallNumber

    /// `FastText.lastWordMayBeSmallNumber` as it was: any non-ASCII byte answered "maybe".
    static func referenceLastWordMayBeSmallNumber(_ s: String) -> Bool {
        FastText.scanUTF8(s) { buf in
            var end = buf.count
            while end > 0 {
                let b = buf[end - 1]
                if b == 0x20 || b == 0x09 { end -= 1; continue }
                if b >= 0x80 { return true } // a trailing wide space or a full-width digit: let the reader decide
                break
            }
            var i = end
            while i > 0 {
                let b = buf[i - 1]
                if b == 0x20 || b == 0x09 { break }
                if b >= 0x80 { return true }
                if !(b == 0x2A || b == 0x2B || b == 0x2D || (b >= 0x30 && b <= 0x39)) { return false }
                i -= 1
            }
            return end > 0
        }
    }

    /// `LineTokens.isNumberingRow` as it was (with the guard above), its helpers copied; its
    /// guard since asks for a full-width `１` too (full-width numbering rows).
    static func referenceIsNumberingRow(_ text: String, viaCharacters: Bool = false) -> Bool {
        // The last word first: it only reads the line's end (most table rows end in an amount).
        guard text.utf8.count <= 400, referenceLastWordMayBeSmallNumber(text), text.has("*") || text.has("1") || text.has("１")
        else { return false }
        if !viaCharacters && TableReader.allOwnCharacters(text) { return referenceNumberingRowOnScalars(text) }
        // Necessary condition: the last word is all `*` or a number 0…99 (a text word after the
        // numbers, or text words alone, never make a numbering row).
        var end = text.endIndex
        while end > text.startIndex, SourceText.isSpace(text[text.index(before: end)]) { end = text.index(before: end) }
        guard end > text.startIndex else { return false }
        var start = end
        while start > text.startIndex, !SourceText.isSpace(text[text.index(before: start)]) { start = text.index(before: start) }
        let lastWord = text[start..<end]
        if !lastWord.allSatisfy({ $0 == "*" }) {
            guard let n = Int(Label.foldWidth(lastWord)), n >= 0, n <= 99 else { return false }
        }
        let words = text.split(whereSeparator: { SourceText.isSpace($0) })
        guard !words.isEmpty else { return false }
        return numberingWords(words, starsByBytes: false)
    }

    /// `isNumberingRow`'s reading (past its guards) for a text whose scalars are its Characters
    /// (`TableReader.allOwnCharacters`): the words split at space scalars, a word all `*` when all
    /// its bytes are `*`; no grapheme breaking.
    static func referenceNumberingRowOnScalars(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        var words: [Substring] = []
        var start: String.Index?
        var i = scalars.startIndex
        while i < scalars.endIndex {
            if SourceText.isSpaceScalar(scalars[i]) {
                if let s = start { words.append(text[s..<i]); start = nil }
            } else if start == nil {
                start = i
            }
            i = scalars.index(after: i)
        }
        if let s = start { words.append(text[s..<scalars.endIndex]) }
        // The last word is all `*` or a number 0…99.
        guard let lastWord = words.last else { return false }
        if !lastWord.utf8.allSatisfy({ $0 == 0x2A }) {
            guard let n = Int(Label.foldWidth(lastWord)), n >= 0, n <= 99 else { return false }
        }
        return numberingWords(words, starsByBytes: true)
    }

    /// The decision both readings of `isNumberingRow` share, on the row's words: leading text
    /// words, then only `*` marks and numbers counting up from 1. `starsByBytes`: a word is all
    /// `*` when its bytes are (the scalar reading), else when its Characters are.
    static func numberingWords(_ words: [Substring], starsByBytes: Bool) -> Bool {
        var numbers: [Int] = []
        var stars = 0
        var textWords = 0
        for w in words {
            let allStars = starsByBytes ? w.utf8.allSatisfy({ $0 == 0x2A }) : w.allSatisfy({ $0 == "*" })
            if allStars { stars += 1; continue }
            if let n = Int(Label.foldWidth(w)), n >= 0, n <= 99 { numbers.append(n); continue }
            if !numbers.isEmpty { return false }
            textWords += 1
        }
        if numbers.isEmpty { return stars > 0 && textWords == 0 }
        if textWords > 0 && stars == 0 && numbers.count < 3 { return false }
        return numbers.first == 1 && (numbers.count == 1 ? stars > 0 : numbers[1] == 2)
    }

    @Test func numberingRowMatchesReference() {
        let pieces = ["*", "**", "1", "2", "3", "12", "１", "２", "＋", "－", "+", "-", "＊", " ", "  ", "\u{3000}", "\u{00A0}", "\u{2002}", "\t",
                      "合计", "(公开到项级)", "a", "\u{301}", "e\u{301}", "1.5", "１\u{301}", "\u{FF11}\u{FF10}", "😀"]
        let texts = randomTexts(from: pieces, seed: 3_601) + ["** ** 1 2 3", "(公开到项级) ** 1 2 3", "科目 1 2 3 4", "１\u{3000}２\u{3000}３", "合计 1"]
        var rows = 0
        for t in texts {
            let new = LineTokens.isNumberingRow(t)
            #expect(new == Self.referenceIsNumberingRow(t), "\(t)")
            #expect(LineTokens.isNumberingRow(t, viaCharacters: true) == Self.referenceIsNumberingRow(t, viaCharacters: true), "\(t)")
            if new { rows += 1 }
        }
        #expect(rows >= 4)
    }

    // MARK: RowReader.enumeratorMayStart / cleanLabel

    @Test func enumeratorShortcutMatchesStripEnumerator() {
        let pieces = ["一", "二", "十", "百", "一般", "公共", "、", ".", "．", ")", "）", "(", "（", "1", "12", "5", "①", "⑴", "其中", "：", ":",
                      " ", "\u{3000}", "\u{301}", "e\u{301}", "😀", "a", "支出", "十分"]
        var labels = randomTexts(from: pieces, seed: 3_701)
        labels += ["一般公共服务支出", "一、一般公共服务", "（一）工资", "十一、其他", "一二", "一\u{301}、x", "一)\u{301}、", "1.5", "1、收入", "其中：一、工资"]
        var kept = 0
        for l in labels {
            if !RowReader.enumeratorMayStart(l) {
                kept += 1
                #expect(FastText.equalBytes(Label.stripEnumerator(l), l), "\(l)")
            }
            #expect(RowReader.cleanLabel(l) == TableFastPathRound5Tests.referenceCleanLabel(l), "\(l)")
        }
        #expect(kept > 1000)
    }

    // MARK: TableKindClassifier.titleCandidate

    /// `TableKindClassifier.titleCandidate` as it was: every text cleaned before its marks are read.
    static func referenceTitleCandidate(_ text: String) -> String? {
        let t = TableKindClassifier.cleanTitle(text)
        let length = FastText.characterCount(t)
        guard length >= 3, length <= 48 else { return nil }
        if TableKindClassifier.hasTitlePunctuation(t) { return nil }
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

    @Test func titleCandidateMatchesReference() {
        let pieces = ["部门", "收支总表", "表", "附表", "附件", "3", "2-7", "：", ":", "、", "。", "，", ",", ";", "；", "？", "！", "…", "《", "》",
                      "<b>", "</b>", "<", ">", "**", "- ", " ", "\u{3000}", "一、", "（一）", "(", ")", "（", "）", "\u{301}", "e\u{301}", "—",
                      "预算", "2024年度"]
        let texts = randomTexts(from: pieces, seed: 3_801) + ["表3：部门收支总表", "<b>部门收支总表</b>", "<a，b>部门收支总表", "详见附表，部门收支总表",
                                                             "一、部门收支总表（公开）", "附件2-7:财政拨款收支总表"]
        var titles = 0
        for t in texts {
            let new = TableKindClassifier.titleCandidate(t)
            #expect(new == Self.referenceTitleCandidate(t), "\(t)")
            if new != nil { titles += 1 }
        }
        #expect(titles > 10)
    }

    // MARK: HeaderReader.scan

    @Test func headerScanMatchesReference() {
        let texts = Self.randomLines(seed: 3_901) + ["合计基本支出项目支出", "一般公共预算拨款政府性基金", "科目编码科目名称合计", "", "😀合计"]
        var keys = 0
        for t in texts {
            for s in [t, HeaderReader.normalize(t)] {
                let new = HeaderReader.scan(s)
                // The reading as first written (`SourceTextSlicingTests` keeps it).
                #expect(new == SourceTextSlicingTests.referenceScan(s), "\(s)")
                keys += new.count
            }
        }
        #expect(keys > 1000)
    }
}
