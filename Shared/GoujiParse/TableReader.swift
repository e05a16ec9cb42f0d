import GoujiModel

/// What the table reader hands back to `BudgetParser`.
struct TableReading: Sendable {
    var tables: [Table] = []
    var toc: [TocEntry] = []
    var captions: [Caption] = []
    var prose: [SourceLine] = []
    var notes: [ParseNote] = []
    /// For each performance table (index into `tables`), the source lines from its title to the
    /// line before the next table's title.
    var performanceSlices: [(table: Int, lines: ArraySlice<SourceLine>)] = []
    var pendingThreePublic: [ThreePublicReader.Pending] = []
}

/// Finds tables (titles, extents), reads headers and rows, assigns amounts to columns, and
/// collects the TOC, captions and prose. Independent of how cells are separated.
enum TableReader {
    struct TitleHit { var index: Int; var kind: TableKind; var title: String }

    /// A two-sided table as the dry run read it: its inputs that can differ in the real pass
    /// (the end line, the next table's kind, the consumed flags of its lines) and all it produced.
    struct DryRun {
        var to: Int
        var nextKind: TableKind?
        var consumedBefore: [Bool]
        var consumedAfter: [Bool]
        var table: Table
        var pendingNote: String?
        var shaped: Bool
        var notes: [ParseNote]
        var captions: [Caption]
    }

    /// The tokens of every line read so far, in one array (`LineTokens.appendTokens`): line j's
    /// are `all[start[j]..<end[j]]` (`start[j]` < 0: not read yet). The dry run and the real
    /// pass read the same lines: each line is tokenised once, without an array of its own.
    struct TokenCache {
        var all: [Token] = []
        var start: [Int]
        var end: [Int]

        init(lineCount: Int) {
            start = CrossRowResolver.filled(-1, count: lineCount)
            end = CrossRowResolver.filled(0, count: lineCount)
            // About as many tokens as the document has lines (most lines are blank or prose, never
            // read; a table row holds a few): room for them at once instead of doubling from small.
            all.reserveCapacity(lineCount)
        }

        /// Line j's tokens (`LineTokens.tokens(clean)`), read now if not yet.
        mutating func range(ofLine j: Int, _ clean: String) -> Range<Int> {
            if start[j] < 0 {
                start[j] = all.count
                LineTokens.appendTokens(of: clean, into: &all)
                end[j] = all.count
            }
            return start[j]..<end[j]
        }

        mutating func tokens(ofLine j: Int, _ clean: String) -> ArraySlice<Token> {
            let r = range(ofLine: j, clean)
            return all[r]
        }
    }

    /// Rows' `values` for one list of column keys: for each amount in order, `values[keys[col]] =
    /// amount` where its column `col` is a key's, into a dictionary with room for every amount
    /// (no rehashing as they are added). The rows of a table mostly fill the same columns: the
    /// first row with a given run of columns (and count of amounts) builds its dictionary so, key
    /// by key, and keeps it with the index of each column's key in it; a later row with the same
    /// run takes a copy (the same capacity, the same keys inserted in the same order: the same
    /// dictionary) and writes its amounts at those indices, hashing no key. (A column repeated in
    /// the run has one index: its later amount overwrites the earlier, as by key.)
    struct RowValues {
        let keys: [String]
        private struct Template {
            var count: Int
            var columns: [Int]
            var values: [String: Amount]
            var slots: [Dictionary<String, Amount>.Index]
        }
        private var templates: [Template] = []
        /// The most runs kept (a table has a few; the search for one stays short).
        private static let maxTemplates = 16

        init(keys: [String]) { self.keys = keys }

        mutating func values(_ amounts: [Amount], _ assignment: [Int]) -> [String: Amount] {
            guard !amounts.isEmpty else { return [:] }
            let n = keys.count
            let k = amounts.count
            let pairs = min(k, assignment.count)
            search: for t in templates.indices where templates[t].count == k {
                // The row's run of columns (those under `n`, in order) against the template's.
                var m = 0
                for p in 0..<pairs where assignment[p] < n {
                    guard m < templates[t].columns.count, templates[t].columns[m] == assignment[p] else { continue search }
                    m += 1
                }
                guard m == templates[t].columns.count else { continue }
                var values = templates[t].values
                m = 0
                for p in 0..<pairs where assignment[p] < n {
                    values.values[templates[t].slots[m]] = amounts[p]
                    m += 1
                }
                return values
            }
            var values = [String: Amount](minimumCapacity: k)
            var columns: [Int] = []
            for p in 0..<pairs where assignment[p] < n {
                values[keys[assignment[p]]] = amounts[p]
                columns.append(assignment[p])
            }
            guard templates.count < Self.maxTemplates else { return values }
            var slots: [Dictionary<String, Amount>.Index] = []
            slots.reserveCapacity(columns.count)
            for c in columns {
                guard let slot = values.index(forKey: keys[c]) else { return values }
                slots.append(slot)
            }
            templates.append(Template(count: k, columns: columns, values: values, slots: slots))
            return values
        }
    }

    static let chineseDigits: Set<Character> = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]

    static func isPartHeading(_ text: String) -> Bool {
        guard text.has("部分") else { return false }
        // A text without debris is its own `stripDebris`: it must start with 第 past its space
        // scalars (the ones `removingSpaces` drops), read on its bytes before any copy is made.
        if LineTokens.isDebrisFree(text) && !startsWithDi(text) { return false }
        let t = FastText.removingSpaces(LineTokens.stripDebris(text))
        guard t.begins(with: "第"), let r = t.byteRange(of: "部分") else { return false }
        if let onScalars = partNumeralsOnScalars(t, upTo: t.utf8.distance(from: t.startIndex, to: r.lowerBound)) {
            return onScalars
        }
        let mid = t[t.index(after: t.startIndex)..<r.lowerBound]
        return !mid.isEmpty && FastText.characterCount(mid) <= 3 && mid.allSatisfy { chineseDigits.contains($0) }
    }

    /// Whether the first scalar of `text` past its space scalars (`FastText.spaceLength`) is 第
    /// (E7 AC AC).
    static func startsWithDi(_ text: String) -> Bool {
        FastText.scanUTF8(text) { buf in
            var i = 0
            while i < buf.count {
                let n = FastText.spaceLength(buf, at: i)
                if n == 0 { break }
                i += n
            }
            return i + 3 <= buf.count && buf[i] == 0xE7 && buf[i + 1] == 0xAC && buf[i + 2] == 0xAC
        }
    }

    /// `isPartHeading`'s numeral test read on the scalars between 第 (the first three bytes of
    /// `t`) and byte `end`, without hashing Characters: one to three of 一…十. nil (the Character
    /// reading decides) unless every scalar of `t` is a Character of its own, or where a CJK
    /// compatibility ideograph stands there (some are canonically equivalent to a numeral, which
    /// the set of Characters matches).
    static func partNumeralsOnScalars(_ t: String, upTo end: Int) -> Bool? {
        guard allOwnCharacters(t) else { return nil }
        return FastText.scanUTF8(t) { buf -> Bool? in
            var i = 3
            var count = 0
            guard end > i else { return false }
            while i < end {
                guard let (v, length) = FastText.decodeScalar(buf, at: i) else { return nil }
                if v >= 0xF900 && v <= 0xFAFF { return nil }
                switch v {
                case 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341: break
                default: return false
                }
                count += 1
                i += length
            }
            return count <= 3
        }
    }

    static func isUnitLine(_ text: String) -> Bool { isUnitLine(text) { LineTokens.tokens(text)[...] } }

    /// `tokens`: the line's tokens (only their count and kinds are read, which leading spaces do not
    /// change), asked for only when the line opens with a bracket.
    /// `mask`: the scalar mask of a text that holds every scalar of `text` (its source line), to
    /// skip the searches for words it cannot contain.
    static func isUnitLine(_ text: String, mask: UInt64 = ~0, tokens lineTokens: () -> ArraySlice<Token>) -> Bool {
        func may(_ m: UInt64) -> Bool { mask & m == m }
        guard (may(Words.danwei) && text.has("单位")) || (may(Words.bumen) && text.has("部门")) || (may(Words.openBracket) && text.has("["))
                || (may(Words.fullOpenBracket) && text.has("［")) || (may(Words.lenticular) && text.has("【")) else { return false }
        // Most lines that pass (a row label holding 单位 or 部门, a code in brackets) fail here,
        // before the text is copied without its spaces.
        guard unitWordsMayOccur(text) else { return false }
        // The words are looked for in the text without its space scalars (`FastText.removingSpaces`),
        // its bytes copied to the stack: the same bytes as that String's, without making it.
        // (`spaceLength` matches only at a space scalar's lead byte, never inside another scalar.)
        let words = FastText.scanUTF8(text) { buf -> UnitWords in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: buf.count) { out -> UnitWords in
                // Bounds: at most one byte written per byte read, so k <= i < buf.count.
                var k = 0
                var i = 0
                while i < buf.count {
                    let n = FastText.spaceLength(buf, at: i)
                    if n > 0 { i += n; continue }
                    out[k] = buf[i]
                    k += 1
                    i += 1
                }
                let t = UnsafeBufferPointer(rebasing: out[0..<k])
                func has(_ w: StaticString) -> Bool { w.withUTF8Buffer { ByteSearch.first($0, in: t) != nil } }
                func begins(_ w: StaticString) -> Bool { w.withUTF8Buffer { FastText.bytes($0, occurAt: 0, in: t) } }
                func ends(_ w: StaticString) -> Bool { w.withUTF8Buffer { FastText.bytes($0, occurAt: t.count - $0.count, in: t) } }
                // Every word below holds 单位 or 部门, whose scalars the line must hold (its mask) for `t`
                // (the text without spaces, so the same scalars) to contain it.
                if may(Words.danwei) && (has("填报单位") || has("单位名称：") || has("单位名称:") || has("编制单位")
                    || begins("单位：") || begins("单位:") || ends("单位：万元")
                    || ends("单位:万元") || ends("单位：元")) { return .word }
                if may(Words.bumen) && has("填报部门") { return .word }
                // A first Character [, ［ or 【 starts with that scalar's bytes.
                let bracket = k > 0 && t[0] == 0x5B ? 1
                    : k >= 3 && ((t[0] == 0xEF && t[1] == 0xBC && t[2] == 0xBB) || (t[0] == 0xE3 && t[1] == 0x80 && t[2] == 0x90)) ? 3 : 0
                guard bracket > 0 else { return .neither }
                // The Character is that scalar alone where nothing follows it or the next scalar is
                // a Character of its own (`FastText.ownCharacter`: no combining mark joins it to the
                // bracket); otherwise the String reading decides.
                guard bracket == k || FastText.ownCharacter(t, at: bracket) != nil else { return .bracket }
                return has("合计") ? .neither : .bracketAlone
            }
        }
        switch words {
        case .word: return true
        case .neither: return false
        case .bracket, .bracketAlone:
            if words == .bracket {
                // Read on the String itself (its first Character may hold a combining mark too).
                let t = FastText.removingSpaces(text)
                guard let f = t.first, f == "[" || f == "［" || f == "【", !t.has("合计") else { return false }
            }
            let tokens = lineTokens()
            return tokens.count <= 3 && !tokens.contains { $0.kind == .number }
        }
    }

    /// What `isUnitLine` finds in a text without its spaces: one of its words; a bracket first
    /// (the line may be a bracketed code and name), as a Character of its own and without 合计
    /// (`bracketAlone`) or to be read on the String (`bracket`); or neither.
    private enum UnitWords { case word, bracket, bracketAlone, neither }

    /// A necessary condition for `isUnitLine`'s tests on `t`, the text without its space scalars:
    /// each needs `t` to start with 单 (单位：), [, ［ or 【, to end with 元 (单位：万元), or to hold 填
    /// (填报单位, 填报部门), 名 (单位名称) or 编 (编制单位). `t`'s first and last scalars are the text's
    /// first and last ones once its space scalars are trimmed from both ends (the same scalars
    /// `removingSpaces` drops), and it holds a scalar wherever the text does. (A Character such as
    /// `[` can only be the scalar itself: no other spelling is canonically equivalent to it.)
    static func unitWordsMayOccur(_ text: String) -> Bool {
        let edges = FastText.scanUTF8(text) { buf -> Bool in
            let (a, b) = FastText.trimmedRange(buf)
            guard a < b else { return false }
            if buf[a] == 0x5B { return true } // [
            guard b - a >= 3 else { return false }
            let (x, y, z) = (buf[a], buf[a + 1], buf[a + 2])
            if x == 0xE5 && y == 0x8D && z == 0x95 { return true } // 单
            if x == 0xEF && y == 0xBC && z == 0xBB { return true } // ［
            if x == 0xE3 && y == 0x80 && z == 0x90 { return true } // 【
            return buf[b - 3] == 0xE5 && buf[b - 2] == 0x85 && buf[b - 1] == 0x83 // 元
        }
        return edges || text.has("填") || text.has("名") || text.has("编")
    }

    static func unitMention(_ text: String, line: Int, viaCharacters: Bool = false) -> UnitMention? {
        // Both readings below need a bracket ([, or ［ which width folding turns into it, or 【) or
        // 单位名称 (ideographs, which folding keeps as they are): a line with none of them mentions
        // no unit, known before the text is folded.
        guard text.has("[") || text.has("［") || text.has("【") || text.has("单位名称") else { return nil }
        let t = Label.foldWidth(text)
        if !viaCharacters, let onBytes = unitMentionOnBytes(t, line: line) { return onBytes }
        var code: String?
        var name: String?
        if let open = t.firstIndex(where: { $0 == "[" || $0 == "【" }),
           let close = t[open...].firstIndex(where: { $0 == "]" || $0 == "】" }) {
            let inner = t[t.index(after: open)..<close]
            if !inner.isEmpty && inner.allSatisfy({ $0.isASCII && $0.isNumber }) { code = String(inner) }
            var rest = SourceText.trim(t[t.index(after: close)...])
            if let r = rest.byteRange(of: "单位:") ?? rest.byteRange(of: "单位：") { rest = SourceText.trim(rest[..<r.lowerBound]) }
            if let sp = rest.firstIndex(where: { SourceText.isSpace($0) }) { rest = String(rest[..<sp]) }
            if !rest.isEmpty { name = rest }
        } else if let r = t.byteRange(of: "单位名称:") ?? t.byteRange(of: "单位名称：") {
            var rest = SourceText.trim(t[r.upperBound...])
            if let sp = rest.firstIndex(where: { SourceText.isSpace($0) }) { rest = String(rest[..<sp]) }
            if !rest.isEmpty { name = rest }
        }
        if code == nil && name == nil { return nil }
        return UnitMention(name: name, code: code, line: line)
    }

    /// True when every scalar of `s` is a Character by itself (`FastText.isOwnCharacter`): its
    /// Characters are then its scalars, and a Character search may run on the scalars.
    static func allOwnCharacters(_ s: String) -> Bool {
        FastText.scanUTF8(s) { allOwnCharacters($0) }
    }

    static func allOwnCharacters(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < buf.count {
            guard let (_, len) = FastText.ownCharacter(buf, at: i) else { return false }
            i += len
        }
        return true
    }

    /// `unitMention` on a width-folded text whose scalars are its Characters (`allOwnCharacters`),
    /// read on its bytes: the same searches on byte offsets (the Character ones on the scalars,
    /// which skip grapheme breaking; the trims on the space scalars `SourceText.trim` drops), each
    /// piece made a String only when it is kept: `.some(nil)` where it mentions no unit. nil where
    /// some scalar is not a Character of its own: the Character reading decides there.
    static func unitMentionOnBytes(_ t: String, line: Int) -> UnitMention?? {
        FastText.scanUTF8(t) { buf -> UnitMention?? in
            guard allOwnCharacters(buf) else { return nil }
            // (Every range below lies inside `buf` and starts and ends at scalar boundaries.)
            func string(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: buf[r]), as: UTF8.self) }
            func trimmed(_ r: Range<Int>) -> Range<Int> {
                let (a, b) = FastText.trimmedRange(UnsafeBufferPointer(rebasing: buf[r]))
                return (r.lowerBound + a)..<(r.lowerBound + b)
            }
            func find(_ w: StaticString, in r: Range<Int>) -> Range<Int>? {
                w.withUTF8Buffer { nd in
                    ByteSearch.first(nd, in: UnsafeBufferPointer(rebasing: buf[r])).map { (r.lowerBound + $0)..<(r.lowerBound + $0 + nd.count) }
                }
            }
            // A name ends at its first space scalar (`spaceLength` matches only at a lead byte).
            func upToSpace(_ r: Range<Int>) -> Range<Int> {
                var k = r.lowerBound
                while k < r.upperBound && FastText.spaceLength(buf, at: k) == 0 { k += 1 }
                return r.lowerBound..<k
            }
            var code: String?
            var rest: Range<Int>?
            if let b = bracketedSpan(buf) {
                if b.digits { code = string(b.inner) }
                var r = trimmed((b.inner.upperBound + b.closeLength)..<buf.count)
                if let u = find("单位:", in: r) ?? find("单位：", in: r) { r = trimmed(r.lowerBound..<u.lowerBound) }
                rest = r
            } else if let u = find("单位名称:", in: 0..<buf.count) ?? find("单位名称：", in: 0..<buf.count) {
                rest = trimmed(u.upperBound..<buf.count)
            }
            let nameRange = rest.map(upToSpace)
            let name = nameRange.flatMap { $0.isEmpty ? nil : string($0) }
            if code == nil && name == nil { return .some(nil) }
            return .some(UnitMention(name: name, code: code, line: line))
        }
    }

    /// The first `[` or `【` of `b` and the first `]` or `】` after it, on the bytes (each a
    /// scalar's whole bytes, matched only at a lead byte): the bytes between them (`inner`),
    /// whether those are one or more ASCII digits, and the closing bracket's length.
    static func bracketedSpan(_ b: UnsafeBufferPointer<UInt8>) -> (inner: Range<Int>, digits: Bool, closeLength: Int)? {
        let n = b.count
        var start = -1
        var i = 0
        while i < n {
            let x = b[i]
            if start < 0 {
                if x == 0x5B { start = i + 1 }
                else if x == 0xE3, i + 2 < n, b[i + 1] == 0x80, b[i + 2] == 0x90 { start = i + 3; i += 2 }
            } else {
                var closeLength = 0
                if x == 0x5D { closeLength = 1 }
                else if x == 0xE3, i + 2 < n, b[i + 1] == 0x80, b[i + 2] == 0x91 { closeLength = 3 }
                if closeLength > 0 {
                    var digits = i > start
                    for k in start..<i where b[k] < 0x30 || b[k] > 0x39 { digits = false; break }
                    return (start..<i, digits, closeLength)
                }
            }
            i += 1
        }
        return nil
    }

    /// A printed year such as `2024 年`, `2,024 年度`, `２０２４年`: (year, formatted).
    static func year(in text: String) -> (Int, Bool)? {
        guard text.has("年") else { return nil }
        // The scalars decoded into a temporary buffer (on the stack when small), not an array.
        return FastText.scanUTF8(text) { buf in
            withUnsafeTemporaryAllocation(of: Unicode.Scalar.self, capacity: buf.count) { tmp in
                year(in: UnsafeBufferPointer(rebasing: tmp[0..<NarrText.decodeScalars(buf, into: tmp)]))
            }
        }
    }

    /// `year(in:)` on a text's scalars.
    static func year(in chars: UnsafeBufferPointer<Unicode.Scalar>) -> (Int, Bool)? {
        var i = 0
        while i < chars.count {
            if let d = digit(chars[i]) {
                var value = d
                // Formatted: a thousands separator inside the year (2,024). Full-width digits
                // (２０２４) are a way of printing them, not number formatting.
                var formatted = false
                var count = 1
                var j = i + 1
                while j < chars.count {
                    if let d2 = digit(chars[j]) { value = value &* 10 &+ d2; count += 1 }
                    else if chars[j] == "," || chars[j] == "，", j + 1 < chars.count, digit(chars[j + 1]) != nil { formatted = true }
                    else { break }
                    j += 1
                }
                var k = j
                while k < chars.count, SourceText.isSpaceScalar(chars[k]) { k += 1 }
                if count == 4, k < chars.count, chars[k] == "年", value >= 1990, value <= 2100 { return (value, formatted) }
                i = j
            } else { i += 1 }
        }
        return nil
    }

    /// The value of an ASCII or full-width digit.
    static func digit(_ u: Unicode.Scalar) -> Int? {
        let v = u.value
        if v >= 0x30 && v <= 0x39 { return Int(v - 0x30) }
        if v >= 0xFF10 && v <= 0xFF19 { return Int(v - 0xFF10) }
        return nil
    }

    static func read(_ src: SourceText) -> TableReading {
        let lines = src.lines
        var out = TableReading()
        var consumed = Array(repeating: false, count: lines.count)
        var isToc = Array(repeating: false, count: lines.count)

        // 1. Titles and TOC entries.
        var hits: [TitleHit] = []
        // Lines are tested in place and copied only when they pass (a copy retains its Strings).
        // The masks first (a field read, no String retained), hoisted out of the loops (a global's
        // every read is a `swift_once` call).
        let biao = Words.biao, bufen = Words.bufen, tab = Words.tab
        for i in lines.indices where lines[i].mayContain(biao) && !lines[i].isBlank && lines[i].text.utf8.count <= 240
                                     && lines[i].text.has("表") {
            let l = lines[i]
            if let tocTitle = TableKindClassifier.tocTitle(l) {
                if let k = TableKindClassifier.kind(ofTitle: tocTitle) {
                    out.toc.append(TocEntry(title: tocTitle, kind: k, line: l.number))
                }
                isToc[i] = true
                continue
            }
            guard let title = TableKindClassifier.titleCandidate(l.text),
                  let kind = TableKindClassifier.kind(ofTitle: title) else { continue }
            // A table printed over several pages may repeat its title with a continuation mark
            // (单位收入总表（续）, 续表：单位收入总表): the table goes on under it.
            if let last = hits.last, last.kind == kind, l.mayContain(Words.xu), marksContinuation(title) {
                consumed[i] = true
                continue
            }
            // A table printed over several pages may repeat its title on each page without a mark
            // (收入预算总表 … rows, page break, 2024年度收入预算总表, its header again, more rows): the
            // same title of a table of amounts, with rows under the first and a table (not prose)
            // under the repeat, goes on the table. Performance and other tables are left apart:
            // each project's table may bear one shared title.
            if let last = hits.last, last.kind == kind, kind.repeatsTitleOnEachPage,
               last.title == TableKindClassifier.core(title),
               lines[(last.index + 1)..<i].contains(where: holdsRowAmounts),
               !opensProse(lines, after: i), !opensWithTotal(lines, after: i) {
                consumed[i] = true
                continue
            }
            // The same title repeated right under another (a year caption) is not a new table.
            if let last = hits.last, last.kind == kind, i - last.index <= 4,
               lines[(last.index + 1)..<i].allSatisfy({ $0.isBlank || LineTokens.isPageNumber($0.text) }) {
                consumed[i] = true
                if let (y, f) = year(in: l.text) {
                    out.captions.append(Caption(role: .table, text: l.text, year: y, formatted: f, line: l.number,
                                                table: hits.count - 1))
                }
                continue
            }
            hits.append(TitleHit(index: i, kind: kind, title: TableKindClassifier.core(title)))
        }
        // Part headings (a blank line is none), found once: the tables' extents below stop at them.
        var partHeadings: [Int] = []
        for i in lines.indices where lines[i].mayContain(bufen) && !lines[i].isBlank && isPartHeading(lines[i].text) { partHeadings.append(i) }
        // Part titles with a year.
        for i in partHeadings where !isToc[i] {
            let l = lines[i]
            var text = l.text
            // A part title wrapped onto the next line (…单位预\n算表). (Character counts here and in
            // the line tests below through `FastText.characterCount`: no grapheme breaking where
            // every scalar is a Character of its own.)
            if let next = lines[(i + 1)...].prefix(3).first(where: { !$0.isBlank }), FastText.characterCount(next.text) <= 4, next.text.ends(with: "表") {
                text += next.text
            }
            if let (y, f) = year(in: text) {
                out.captions.append(Caption(role: .part, text: text, year: y, formatted: f, line: l.number))
            }
        }

        // 2. Each table's extent: to the next title, part heading or the end.
        var tableLineIndex: [Int] = [] // index into out.tables for each hit
        var carriedNote: String?
        var lostTitles = Set<Int>()
        // Two-sided summaries first (a dry run): their income rows are evidence for the income table.
        var evidence: [Table] = []
        // Tokens of each line, computed once: the dry run and the real pass read the same lines.
        var tokenCache = TokenCache(lineCount: lines.count)
        // The dry run's reading of each two-sided table, kept so that the real pass can take it
        // instead of reading the table again when it would read it from the same inputs.
        var dryRuns: [Int: DryRun] = [:]
        do {
            var scratch = TableReading()
            var scratchConsumed = consumed
            for (h, hit) in hits.enumerated() where hit.kind.isTwoSided {
                let end = h + 1 < hits.count ? hits[h + 1].index : lines.count
                // The kind of the table that follows, as the real pass sees it when no part heading
                // cuts this one short (only trailing unit and note lines depend on it, never rows).
                let nextKind: TableKind? = h + 1 < hits.count ? hits[h + 1].kind : nil
                var table = Table(kind: hit.kind, title: hit.title, line: lines[hit.index].number)
                var note: String?
                let from = hit.index + 1
                let consumedBefore = from < end ? Array(scratchConsumed[from..<end]) : []
                let notesBefore = scratch.notes.count
                let captionsBefore = scratch.captions.count
                let shaped = readBody(lines: lines, from: from, to: end, table: &table, tableIndex: h, nextKind: nextKind,
                                      pendingNote: &note, evidence: [], consumed: &scratchConsumed, out: &scratch,
                                      tokenCache: &tokenCache)
                evidence.append(table)
                dryRuns[h] = DryRun(to: end, nextKind: nextKind, consumedBefore: consumedBefore,
                                    consumedAfter: from < end ? Array(scratchConsumed[from..<end]) : [],
                                    table: table, pendingNote: note, shaped: shaped,
                                    notes: Array(scratch.notes[notesBefore...]),
                                    captions: Array(scratch.captions[captionsBefore...]))
            }
        }
        for (h, hit) in hits.enumerated() {
            var end = h + 1 < hits.count ? hits[h + 1].index : lines.count
            // (The first part heading after the title, from the ascending list.)
            if let part = partHeadings.first(where: { $0 > hit.index }), part < end { end = part }
            consumed[hit.index] = true
            let tableIndex = out.tables.count
            tableLineIndex.append(tableIndex)
            if hit.kind == .performance {
                let fullEnd = h + 1 < hits.count ? hits[h + 1].index : lines.count
                out.tables.append(Table(kind: .performance, title: hit.title, line: lines[hit.index].number))
                out.performanceSlices.append((tableIndex, lines[hit.index..<fullEnd]))
                for j in (hit.index + 1)..<end where !lines[j].isBlank {
                    if !RowReader.isSentence(lines[j].text) { consumed[j] = true }
                    if j - hit.index <= 4, let (y, f) = year(in: lines[j].text), FastText.characterCount(lines[j].text) <= 16 {
                        out.captions.append(Caption(role: .table, text: lines[j].text, year: y, formatted: f,
                                                    line: lines[j].number, table: tableIndex))
                        consumed[j] = true
                    }
                }
                continue
            }
            var table = Table(kind: hit.kind, title: hit.title, line: lines[hit.index].number)
            if let carried = carriedNote { table.note = carried; carriedNote = nil }
            let nextKind: TableKind? = h + 1 < hits.count && end == hits[h + 1].index ? hits[h + 1].kind : nil
            var pendingNote: String?
            let before = consumed
            let notesBefore = out.notes.count
            let captionsBefore = out.captions.count
            let shaped: Bool
            let from = hit.index + 1
            if let dry = dryRuns[h], dry.to == end, dry.nextKind == nextKind, tableIndex == h, table.note == nil,
               from < end, consumed[from..<end].elementsEqual(dry.consumedBefore) {
                // readBody reads and writes `consumed` only inside from..<end, appends to the
                // notes and captions only, and two-sided tables take no evidence: with these
                // inputs equal, its result is the dry run's.
                table = dry.table
                pendingNote = dry.pendingNote
                consumed.replaceSubrange(from..<end, with: dry.consumedAfter)
                out.notes.append(contentsOf: dry.notes)
                out.captions.append(contentsOf: dry.captions)
                shaped = dry.shaped
            } else {
                shaped = readBody(lines: lines, from: from, to: end, table: &table, tableIndex: tableIndex,
                                  nextKind: nextKind, pendingNote: &pendingNote, evidence: evidence,
                                  consumed: &consumed, out: &out, tokenCache: &tokenCache)
            }
            if !shaped {
                // A title-like line with neither a header nor rows nor a note under it is prose
                // (a heading that happens to end in 表), not a table.
                consumed = before
                out.notes.removeSubrange(notesBefore...)
                out.captions.removeSubrange(captionsBefore...)
                tableLineIndex.removeLast()
                lostTitles.insert(h)
                continue
            }
            carriedNote = pendingNote
            out.tables.append(table)
        }
        // A unit line printed just before a table's title (or its 表N line) belongs to it.
        for (h, hit) in hits.enumerated() where !lostTitles.contains(h) {
            var j = hit.index - 1
            var steps = 0
            while j >= 0, steps < 4 {
                let l = lines[j]
                if l.isBlank || isTableNumber(l.text) { if !l.isBlank { consumed[j] = true }; j -= 1; steps += 1; continue }
                if isUnitLine(l.text, mask: l.mask, tokens: { LineTokens.tokens(l.text)[...] }) {
                    consumed[j] = true
                    if let u = unitMention(l.text, line: l.number), let ti = out.tables.firstIndex(where: { $0.line == lines[hit.index].number }) {
                        out.tables[ti].units.append(u)
                    }
                }
                break
            }
        }

        // 3. Untitled tab-separated blocks outside any table: `other` tables titled by the heading above.
        var i = 0
        while i < lines.count {
            // `isTabRow` asks the mask first too: asked here, most lines are not copied for the call.
            if consumed[i] || isToc[i] || !lines[i].mayContain(tab) || !isTabRow(lines[i]) { i += 1; continue }
            var j = i
            while j < lines.count, !consumed[j], lines[j].mayContain(tab), isTabRow(lines[j]) { j += 1 }
            if j - i >= 2, let titleIndex = headingAbove(lines, i) {
                var table = Table(kind: .other, title: TableKindClassifier.cleanTitle(lines[titleIndex].text),
                                  line: lines[titleIndex].number)
                for k in (i + 1)..<j {
                    let fields = LineTokens.cells(lines[k].raw).map { $0.text }.filter { !$0.isEmpty }
                    if let first = fields.first { table.rows.append(Row(code: nil, label: first, line: lines[k].number)) }
                }
                for k in i..<j { consumed[k] = true }
                consumed[titleIndex] = true
                let insertAt = out.tables.firstIndex { $0.line > table.line } ?? out.tables.count
                out.tables.insert(table, at: insertAt)
                for c in out.captions.indices { if let t = out.captions[c].table, t >= insertAt { out.captions[c].table = t + 1 } }
                for p in out.performanceSlices.indices where out.performanceSlices[p].table >= insertAt { out.performanceSlices[p].table += 1 }
                for n in out.notes.indices { if let t = out.notes[n].table, t >= insertAt { out.notes[n].table = t + 1 } }
            }
            i = max(j, i + 1)
        }

        // 4. Prose: every non-blank line not taken by a table.
        for k in lines.indices where !consumed[k] && !lines[k].isBlank {
            let l = lines[k]
            if LineTokens.isPageNumber(l.text) { continue }
            out.prose.append(l)
        }
        ThreePublicReader.crossCheck(&out)
        return out
    }

    /// Whether a line may be a row of a table of amounts: it holds a number with decimals
    /// (1,234.56) or two numbers apart, and is not a page number. A line of headers or a unit line
    /// (单位：万元) holds neither; a year caption (2024年度…) holds one number.
    static func holdsRowAmounts(_ line: SourceLine) -> Bool {
        guard !line.isBlank else { return false }
        var runs = 0, inRun = false, prev: UInt8 = 0, decimal = false
        for b in line.text.utf8 {
            let isDigit = b >= 0x30 && b <= 0x39
            if isDigit {
                if !inRun { runs += 1 }
                if prev == 0x2E, inRun { decimal = true }
            }
            inRun = isDigit || (inRun && (b == 0x2C || b == 0x2E))
            prev = b
        }
        guard decimal || runs >= 2 else { return false }
        return !LineTokens.isPageNumber(line.text)
    }

    /// Whether the first row of amounts after line `i` is a total (合计, 总计): a table of the same
    /// title starting again (another unit's, in a department's set), not the rest of one.
    static func opensWithTotal(_ lines: [SourceLine], after i: Int) -> Bool {
        guard let first = lines[(i + 1)...].prefix(12).first(where: holdsRowAmounts) else { return false }
        let t = FastText.removingWhitespace(LineTokens.stripDebris(first.text))
        return t.hasPrefix("合计") || t.hasPrefix("总计")
    }

    /// Whether the first line with text after line `i` is a sentence (it holds 。 or ，), as a
    /// section of prose under a heading that repeats a table's title would start.
    static func opensProse(_ lines: [SourceLine], after i: Int) -> Bool {
        guard let next = lines[(i + 1)...].prefix(6).first(where: { !$0.isBlank }) else { return false }
        return next.text.has("。") || next.text.has("，")
    }

    /// A line that only says the table goes on from the page before: 续表, 续表1, 续上表, （续）,
    /// 表1（续）, 附表1-2（续表）.
    static func isContinuationMark(_ text: String) -> Bool {
        guard text.utf8.count <= 40, text.has("续") else { return false }
        let t = FastText.removingWhitespace(Label.foldWidth(text))
        return FastText.characterCount(t) <= 12 && (t.has("续表") || t.has("(续") || t.has("续上表"))
            && t.allSatisfy { "续表附上()-:：".contains($0) || ($0.isASCII && $0.isNumber) }
    }

    /// Whether a title carries a continuation mark at either end: 单位收入总表（续）, …总表(续表),
    /// …总表 续, 续表：单位收入总表, 续上表 单位收入总表.
    static func marksContinuation(_ title: String) -> Bool {
        let t = FastText.removingWhitespace(Label.foldWidth(title))
        return t.ends(with: "(续)") || t.ends(with: "(续表)") || t.ends(with: "续表") || t.ends(with: "续")
            || t.begins(with: "续表") || t.begins(with: "续上表")
    }

    static func isTableNumber(_ text: String) -> Bool {
        guard text.utf8.count <= 24, text.has("表") else { return false }
        let t = FastText.removingWhitespace(Label.foldWidth(text))
        guard t.begins(with: "表") || t.begins(with: "附表") else { return false }
        let rest = t.drop { !$0.isNumber }
        return !rest.isEmpty && rest.allSatisfy { $0.isNumber || $0 == "-" } && FastText.characterCount(t) <= 6
    }

    static func isTabRow(_ l: SourceLine) -> Bool {
        guard l.mayContain(Words.tab), l.raw.has("\t") else { return false }
        if let count = nonBlankTabFields(l.raw) { return count >= 3 }
        return LineTokens.cells(l.raw).filter { !$0.text.isEmpty }.count >= 3
    }

    /// How many of a tabbed line's fields `LineTokens.cells` reads as non-empty, counted on the
    /// bytes (no String per field); nil when a field may hold debris (`<`, `*` anywhere, or a field
    /// whose first non-space byte is `-`), which `cells` then reads. Without debris `stripDebris`
    /// leaves a field as it is, so its cell is empty exactly when every scalar of it is a space
    /// (`FastText.spaceLength`, what `SourceText.trim` drops).
    static func nonBlankTabFields(_ raw: String) -> Int? {
        FastText.scanUTF8(raw) { buf -> Int? in
            if FastText.containsByte(buf, 0x3C) || FastText.containsByte(buf, 0x2A) { return nil }
            let n = buf.count
            var count = 0
            var i = 0
            var nonSpace = false
            while i < n {
                let b = buf[i]
                if b == 0x09 {
                    if nonSpace { count += 1 }
                    nonSpace = false
                    i += 1
                    continue
                }
                let space = FastText.spaceLength(buf, at: i)
                if space > 0 { i += space; continue }
                // The field's first non-space byte: a `-` there is a list dash `stripDebris` may cut.
                if !nonSpace && b == 0x2D { return nil }
                nonSpace = true
                i += 1
            }
            if nonSpace { count += 1 }
            return count
        }
    }

    /// No U+FFFD and no control characters but tabs; at least one CJK character.
    static func isPrintable(_ s: String) -> Bool {
        var cjk = false
        for u in s.unicodeScalars {
            if u.value == 0xFFFD || (u.value < 0x20 && u.value != 9) || (u.value >= 0x7F && u.value < 0xA0) { return false }
            if u.value >= 0x4E00 && u.value <= 0x9FFF { cjk = true }
        }
        return cjk
    }

    /// The heading printed above line `i` (a short line that is no sentence), a unit line
    /// (单位：万元) between them passed over.
    static func headingAbove(_ lines: [SourceLine], _ i: Int) -> Int? {
        var j = i - 1
        var seen = 0
        while j >= 0 && seen < 4 {
            let l = lines[j]
            if l.isBlank || isUnitLine(l.text) { j -= 1; continue }
            seen += 1
            if !RowReader.isSentence(l.text) && l.text.count <= 30 && !l.raw.has("\t") && isPrintable(l.text) { return j }
            j -= 1
        }
        return nil
    }

    /// How many scalars U+4000…U+9FFF (ideographs) `s` holds: its bytes E4…E9, each the lead
    /// byte of one of them (a continuation byte is 80…BF). `HeaderReader.normalize` keeps every
    /// one of them in a text without debris: width folding changes only full-width forms (EF BC,
    /// EF BD) and U+3000, and no whitespace scalar is among them.
    static func ideographCount(_ s: String) -> Int {
        FastText.scanUTF8(s) { buf in
            var n = 0
            for b in buf { n &+= b &- 0xE4 < 6 ? 1 : 0 }
            return n
        }
    }

    /// Reads header, rows and notes of one table between `from` and `to` (line indices).
    /// The table kind a note's words are about (政府性基金 → gov_fund …), if any.
    static func subject(of text: String) -> TableKind? {
        if text.has("政府性基金") { return .govFund }
        if text.has("国有资本") { return .stateCapital }
        if text.has("三公") { return .threePublic }
        return nil
    }

    static func readBody(lines: [SourceLine], from: Int, to: Int, table: inout Table, tableIndex: Int,
                         nextKind: TableKind?, pendingNote: inout String?, evidence: [Table],
                         consumed: inout [Bool], out: inout TableReading, tokenCache: inout TokenCache) -> Bool {
        guard from < to else { table.empty = true; return false }
        var headerLines: [SourceLine] = []
        // Body lines as (line index, token range): all trivial values, so the array is filled and
        // freed without a copy of each line (its Strings retained and released).
        var bodyRanges: [(line: Int, tokens: Range<Int>)] = []
        var dataStarted = false
        // Normalised header lines, compared by bytes (a few per table; hashing CJK text normalises it).
        var headerTexts: [String] = []
        // The fewest bytes of a normalised header line: normalising never lengthens a text, so a
        // shorter line cannot be a repeated header.
        var shortestHeaderText = Int.max
        // Each normalised header line's ideographs (`ideographCount`): a line without debris keeps
        // its own in normalising, so one whose count is none of these repeats no header line.
        // (Counted when a body line is first compared with the header lines.)
        var headerIdeographs: [Int] = []
        var tabbed = false
        // Whether every header line is free of debris (`LineTokens.isDebrisFree`): the whole
        // header's normalised text is then its lines' normalised texts run together (below).
        var headerPlain = true
        var noteLines: [SourceLine] = []
        // Room for every line at once (most of a table's lines are body lines).
        bodyRanges.reserveCapacity(to - from)
        // (A global's every read is a `swift_once` call: read once, not per line.)
        let biao = Words.biao, xu = Words.xu
        for j in from..<to {
            if consumed[j] || lines[j].isBlank { continue }
            let l = lines[j]
            let plain = LineTokens.isDebrisFree(l.raw)
            let clean = plain ? l.raw : LineTokens.stripDebris(l.raw)
            // Without debris the trimmed text is the line's own `text` (SourceText trims alike).
            let text = plain ? l.text : SourceText.trim(clean)
            if text.isEmpty { consumed[j] = true; continue }
            // (`text` holds only scalars of the line: a 表N line's 表 is in its mask.)
            if LineTokens.isPageNumber(text) || LineTokens.isNumberingRow(text) || NumberingColumns.isColumnNumberRow(text)
                || (l.mayContain(biao) && isTableNumber(text)) || (l.mayContain(xu) && isContinuationMark(text)) {
                consumed[j] = true
                continue
            }
            // Only unit and note lines ask whether nothing but blanks and 表N lines follow.
            func trailing() -> Bool { ((j + 1)..<to).allSatisfy { lines[$0].isBlank || isTableNumber(lines[$0].text) } }
            // The tokens asked for here are the ones the row reading below takes (cached).
            let isUnit = isUnitLine(text, mask: l.mask) { tokenCache.tokens(ofLine: j, clean) }
            if isUnit {
                if nextKind != nil && trailing() { continue } // printed above the next table's title
                consumed[j] = true
                if let u = unitMention(text, line: l.number) { table.units.append(u) }
                continue
            }
            // A note (注: / 注： / 备注), read on the line itself: width folding only turns the
            // full-width colon into `:`. (The width-folded test for 说明： could never match, the
            // colon being folded, so it is not made here either.)
            if text.begins(with: "注:") || text.begins(with: "注：") || text.begins(with: "备注") {
                // A note just above the next title that names the next table's subject is that table's.
                if let nextKind, nextKind != table.kind, subject(of: text) == nextKind, trailing() {
                    pendingNote = SourceText.trim(LineTokens.stripDebris(text))
                    continue
                }
                noteLines.append(l)
                continue
            }
            // A line whose tokens are all label text (`LineTokens.readsAsText`: no digit, dash or
            // blank mark) has no number and starts with no code: that much is known without its
            // tokens, which are read only where it is kept as a body line. (A header line, most of
            // a header printed one character per line, is never tokenised.)
            let textOnly = LineTokens.readsAsText(clean)
            var range = 0..<0
            var hasNumber = false
            var opensData = false
            if !textOnly {
                range = tokenCache.range(ofLine: j, clean)
                let tokens = tokenCache.all[range]
                hasNumber = tokens.contains { $0.kind == .number }
                let startsWithCode = tokens.first?.kind == .code
                opensData = hasNumber || (startsWithCode && (tokens.count >= 2 || (tokens.first?.text.count ?? 0) >= 3))
            }
            if !dataStarted && !hasNumber && RowReader.hasSentencePunctuation(text) {
                continue // prose between the title and the table (left for `prose`)
            }
            if !dataStarted {
                if opensData {
                    dataStarted = true
                } else {
                    headerLines.append(l)
                    if !plain { headerPlain = false }
                    let normalized = HeaderReader.normalize(text, debrisFree: plain)
                    headerTexts.append(normalized)
                    shortestHeaderText = min(shortestHeaderText, normalized.utf8.count)
                    consumed[j] = true
                    if l.raw.has("\t") { tabbed = true }
                    if let (y, f) = year(in: text) {
                        let role: Caption.Role = (text.has("年度") && FastText.characterCount(text) <= 16) ? .table : .column
                        out.captions.append(Caption(role: role, text: text, year: y, formatted: f, line: l.number, table: tableIndex))
                    }
                    continue
                }
            }
            // A header repeated after a page break.
            if !hasNumber && !headerTexts.isEmpty && text.utf8.count >= shortestHeaderText {
                var mayRepeat = true
                if plain {
                    while headerIdeographs.count < headerTexts.count { headerIdeographs.append(ideographCount(headerTexts[headerIdeographs.count])) }
                    mayRepeat = headerIdeographs.contains(ideographCount(text))
                }
                if mayRepeat && FastText.isOneOf(HeaderReader.normalize(text, debrisFree: plain), headerTexts) {
                    consumed[j] = true
                    continue
                }
            }
            if l.raw.has("\t") { tabbed = true }
            if textOnly { range = tokenCache.range(ofLine: j, clean) }
            bodyRanges.append((j, range))
        }
        // The body lines' tokens as slices of the shared array, made once every line is read (no
        // line is added to it while they are held, so it is never copied).
        var body: [BodyLine] = []
        body.reserveCapacity(bodyRanges.count)
        for (j, r) in bodyRanges { body.append(BodyLine(line: lines[j], tokens: tokenCache.all[r])) }
        // The header's lines joined, debris stripped: made only where it is read (a header with
        // debris is normalised from it, the three-public reader reads it), not for every table.
        // Joined line by line: the generic `joined(separator:)` runs unspecialised (~4k
        // instructions a table).
        func joinedHeader() -> String {
            var headerText = ""
            for (k, l) in headerLines.enumerated() {
                if k > 0 { headerText += "\n" }
                headerText += LineTokens.stripDebris(l.raw)
            }
            return headerText
        }
        if let note = noteLines.first, table.note == nil { table.note = SourceText.trim(LineTokens.stripDebris(note.text)) }

        // The header's column words, scanned once: the one-sided layout and the shape check read them.
        // Where no header line holds debris, neither does the joined text (no `<` or `*` in any
        // line, the first line's first byte past its spaces no `-`), and normalising it (width
        // folded scalar by scalar, whitespace and `*` dropped, the line breaks with them) gives its
        // lines' normalised texts run together: those are at hand (`headerTexts`, each line's
        // trimmed text, whose trimmed spaces normalising drops anyway).
        let normalizedHeader: String
        if headerPlain {
            // (Room for every line at once: grown line by line, the text was copied each time.)
            var joined = ""
            var bytes = 0
            for t in headerTexts { bytes += t.utf8.count }
            joined.reserveCapacity(bytes)
            for t in headerTexts { joined += t }
            normalizedHeader = joined
        } else {
            normalizedHeader = HeaderReader.normalize(joinedHeader())
        }
        // (A header comparing years reads the earlier years' columns as comparisons.)
        let latestYear = HeaderReader.latestComparedYear(normalizedHeader)
        // Shape check: a table titled like a two-sided summary but listing classification codes is
        // one-sided (决算 sets print 财政拨款收入支出决算表 by function item); it is some other table.
        if table.kind.isTwoSided, TwoSidedReader.isCodedList(body) { table.kind = .other }
        let oneSided = !table.kind.isTwoSided && table.kind != .threePublic
        // The header's keys placed by their cells, read once: the keys' order here, the columns'
        // right edges in `readOneSided` (a stacked header's, `ColumnPositions.stackedColumns`).
        let placed = oneSided ? ColumnPositions.placedKeys(headerLines: headerLines, latestYear: latestYear) : nil
        let headerKeys = placed?.map(\.key)
            ?? HeaderReader.scan(latestYear.flatMap { HeaderReader.markingEarlierYears(normalizedHeader, latest: $0) } ?? normalizedHeader)
        NumberingColumns.dropSerialNumbers(&body, declared: NumberingColumns.declaresSerialNumbers(normalizedHeader))
        if table.kind == .threePublic {
            // (A space-aligned header over several lines read column by column: see
            // `ColumnPositions.columnOrderedText`.)
            let headerText = tabbed ? nil : ColumnPositions.columnOrderedText(headerLines: headerLines)
            ThreePublicReader.read(headerText: headerText ?? joinedHeader(), body: body, tabbed: tabbed, table: &table,
                                   tableIndex: tableIndex, consumed: &consumed, lines: lines, from: from, out: &out)
        } else if oneSided && SideBySideReader.groupCount(headerLines: headerLines) >= 2 {
            SideBySideReader.read(body: body, table: &table, consumed: &consumed)
        } else if table.kind.isTwoSided {
            TwoSidedReader.read(headerLines: headerLines, body: body, table: &table, tableIndex: tableIndex,
                                consumed: &consumed, from: from, out: &out)
        } else {
            readOneSided(headerKeys: headerKeys, headerLines: headerLines, latestYear: latestYear, placed: placed, body: body, tabbed: tabbed,
                         lineNumbers: NumberingColumns.declaresLineNumbers(normalizedHeader), table: &table,
                         tableIndex: tableIndex, evidence: evidence, consumed: &consumed, from: from, out: &out)
        }
        // Shape check: a 支出总表 without 基本/项目 columns is some other table.
        if table.kind == .expenditure, !table.columns.contains(Column.basic), !table.columns.contains(Column.project) {
            table.kind = .other
        }
        let hasValue = table.rows.contains { $0.values.values.contains { !$0.isZero } }
        let headerWords = headerKeys.contains { !$0.begins(with: "#skip") }
        let shaped = headerWords || !table.rows.isEmpty || table.note != nil || pendingNote != nil
        if !hasValue {
            table.empty = true
            table.rows = []
        }
        return shaped
    }

    /// The summary tables' income rows state each source's total (一般公共预算拨款收入 1,414.81,
    /// 上年结转 blank …). Where a 合计 row's amounts fit several source columns equally well, prefer
    /// the assignment those rows confirm.
    static func settleByIncomeSummary(raw: [RawRow], results: inout [ColumnAssigner.Result], layout: ColumnLayout,
                                      tables: [Table]) {
        let keys = layout.keys
        // Only the root row's ties are settled here: where no row has any (most tables), there is
        // nothing to settle, and the rows' labels are not normalised to find the root.
        guard results.contains(where: { !$0.ties.isEmpty }) else { return }
        guard let root = raw.firstIndex(where: { $0.code == nil && ["合计", "总计"].contains(Label.normalized($0.label)) }),
              !results[root].ties.isEmpty else { return }
        var evidence: [String: Amount] = [:]
        for t in tables where t.kind.isTwoSided {
            for r in t.rows where r.side == .income {
                guard let key = HeaderReader.scan(HeaderReader.normalize(r.label)).first(where: { !$0.begins(with: "#") }),
                      keys.contains(key) || HeaderReader.groupChildren[key] != nil, evidence[key] == nil else { continue }
                evidence[key] = r.values[Column.total] ?? Amount.zero
            }
        }
        guard !evidence.isEmpty else { return }
        let options = [results[root].assignment] + results[root].ties
        func score(_ a: [Int]) -> Int {
            var s = 0
            var placed: [String: Amount] = [:]
            for (amount, col) in zip(raw[root].amounts, a) where col < keys.count {
                placed[keys[col]] = amount
                guard let e = evidence[keys[col]] else { continue }
                s += e.sameValue(as: amount) ? 2 : -1
            }
            // A group (财政拨款) stated in the summary but not a column here: its children's sum.
            for (group, children) in HeaderReader.groupChildren where !keys.contains(group) {
                guard let e = evidence[group], !e.isZero else { continue }
                let parts = children.compactMap { placed[$0] }
                guard !parts.isEmpty, let sum = Amount.sum(parts) else { continue }
                s += e.sameValue(as: sum) ? 1 : -1
            }
            return s
        }
        var best = options[0]
        var bestScore = score(best)
        for o in options.dropFirst() {
            let sc = score(o)
            if sc > bestScore { best = o; bestScore = sc }
        }
        if bestScore > 0 {
            results[root] = ColumnAssigner.Result(assignment: best, ties: [], violations: results[root].violations,
                                                  truncated: results[root].truncated)
        }
    }

    static func markRows(_ rows: [RawRow], prose: [Int], consumed: inout [Bool], from: Int, lines: [SourceLine]) {
        let proseSet = Set(prose)
        // By index, each row's lines read in place (`for r in rows` copied every row).
        for i in rows.indices {
            for n in rows[i].lines where n - 1 < consumed.count && !proseSet.contains(n) { consumed[n - 1] = true }
            let line = rows[i].line
            if line - 1 < consumed.count && !proseSet.contains(line) { consumed[line - 1] = true }
        }
    }

    /// Whether a row's amounts may include a group's own amount: one after the first (the
    /// total) that equals the sum of a run of the amounts right after it, to within their last
    /// printed digits.
    static func mayPrintGroup(_ amounts: [Amount]) -> Bool {
        guard amounts.count >= 3 else { return false }
        let scale = amounts.map(\.decimals).max() ?? 0
        guard scale <= 6 else { return false }
        func scaled(_ a: Amount) -> Int64 {
            var m = a.mantissa
            for _ in a.decimals..<scale { m = m.multipliedReportingOverflow(by: 10).partialValue }
            return m
        }
        let values = amounts.map(scaled)
        for i in 1..<(values.count - 1) {
            var sum: Int64 = 0
            for j in (i + 1)..<values.count {
                sum &+= values[j]
                if abs(sum - values[i]) <= Int64(j - i) { return true }
                if sum > values[i] + Int64(j - i) { break }
            }
        }
        return false
    }

    /// Where a tab layout's value fields start (tab layouts keep blank fields): the first value
    /// field of a full row; or, where no row prints the first column (a flow table's 年初结转和结余
    /// blank in every row), the field after the labels, when every labelled line agrees on it and
    /// the values then fit the columns.
    static func valueField(raw: [RawRow], body: [BodyLine], columnCount: Int) -> Int? {
        guard let first = raw.compactMap({ $0.positions?.first }).min() else { return nil }
        var labelEnd: Int?
        var last = first
        for b in body {
            guard let n = b.tokens.firstIndex(where: { $0.kind == .number }) else { continue }
            last = max(last, b.tokens[b.tokens.index(before: b.tokens.endIndex)].position)
            guard n > b.tokens.startIndex else { continue }
            let end = b.tokens[b.tokens.index(before: n)].position + 1
            if let labelEnd, labelEnd != end { return first }
            labelEnd = end
        }
        guard let labelEnd, labelEnd < first, last - labelEnd < columnCount else { return first }
        return labelEnd
    }

    /// `lineNumbers`: the header declares a 行次 column (`NumberingColumns`).
    /// `placed`: the header's `ColumnPositions.placedKeys` (with `headerLines` and `latestYear`).
    static func readOneSided(headerKeys: [String], headerLines: [SourceLine], latestYear: Int? = nil,
                             placed: [ColumnPositions.PlacedKey]?, body: [BodyLine], tabbed: Bool,
                             lineNumbers: Bool = false, table: inout Table, tableIndex: Int, evidence: [Table], consumed: inout [Bool], from: Int,
                             out: inout TableReading) {
        var (raw, prose) = RowReader.read(body, twoSided: false, splitPosition: nil, tabbed: tabbed)
        NumberingColumns.dropLineNumbers(&raw, income: lineNumbers, expenditure: lineNumbers)
        let maxValues = raw.map { $0.amounts.count }.max() ?? 0
        var (layout, keepingGroups) = HeaderReader.layouts(scanned: headerKeys, kind: table.kind, maxValues: maxValues)
        // A group heading printed without a subtotal is a column of its own where that fits the
        // rows' arithmetic better: fewer violated constraints over the fullest rows (up to three
        // that print the most amounts, where a group's own amount shows); a tie keeps the heading
        // a heading.
        if let keepingGroups {
            var fullest: [Int] = []
            for i in raw.indices where raw[i].amounts.count == maxValues && maxValues > 2 && fullest.count < 3 { fullest.append(i) }
            // (Only where a row may print a group's own amount at all: see `mayPrintGroup`.)
            if !fullest.contains(where: { mayPrintGroup(raw[$0].amounts) }) { fullest = [] }
            func violations(_ l: ColumnLayout) -> Int {
                let a = ColumnAssigner(columnCount: l.keys.count, constraints: l.constraints)
                return fullest.reduce(0) { $0 + a.assign(raw[$1].amounts).violations }
            }
            // (Only where the heading as a heading leaves some sum broken.)
            let asHeading = violations(layout)
            if asHeading > 0 && violations(keepingGroups) < asHeading { layout = keepingGroups }
        }
        table.columns = layout.keys
        let assigner = ColumnAssigner(columnCount: layout.keys.count, constraints: layout.constraints)
        let valueStart = tabbed ? valueField(raw: raw, body: body, columnCount: layout.keys.count) : nil
        let xColumns = tabbed ? nil : ColumnPositions.columns(headerLines: headerLines, layout: layout, latestYear: latestYear,
                                                              placed: { placed })
        var results: [ColumnAssigner.Result] = []
        results.reserveCapacity(raw.count)
        // Each row's preferred columns, refilled in one array (the assigner only reads them), and
        // the previous row's (swapped with it after each row).
        var preferred: [Int] = []
        var previousPreferred: [Int] = []
        var previousHadPreferred = false
        var anyPreferred = false
        // By index, each row's fields read in place (`for r in raw` copied every row).
        for i in raw.indices {
            preferred.removeAllFromEnd()
            var hasPreferred = true
            if let valueStart, let p = raw[i].positions {
                for x in p { preferred.append(x - valueStart) }
            } else if let xColumns, let edges = raw[i].rightEdges {
                for e in edges { preferred.append(ColumnPositions.nearest(e, xColumns)) }
            } else {
                hasPreferred = false
            }
            // A parent printed over its only child (类 over 款 over 项) repeats its amounts, often
            // under the same columns: the assignment is a function of the amounts (values and
            // printed decimals) and the preferred columns alone, so the row above's result is this
            // row's when both are equal.
            if i > 0, hasPreferred == previousHadPreferred, raw[i].amounts == raw[i - 1].amounts,
               !hasPreferred || preferred == previousPreferred {
                results.append(results[i - 1])
            } else {
                results.append(assigner.assign(raw[i].amounts, preferred: hasPreferred ? preferred : nil))
            }
            swap(&preferred, &previousPreferred)
            previousHadPreferred = hasPreferred
            anyPreferred = anyPreferred || hasPreferred
        }
        if [.income, .basicByCategory, .projectList].contains(table.kind) {
            settleByIncomeSummary(raw: raw, results: &results, layout: layout, tables: evidence)
        }
        var chosen = CrossRowResolver.resolve(rows: raw, results: results, columnCount: layout.keys.count)
        // Positions are a preference: where the columns they chose break the table's vertical sums
        // (a parent the sum of its children), and the arithmetic alone places every amount so that
        // all of them hold, the arithmetic decides (amounts centred in their cells, or wider than
        // them, stand nearer another column's edge). A table whose sums break either way keeps
        // the positions' reading: the document's own discrepancy.
        if anyPreferred {
            let columnCount = layout.keys.count
            let broken = CrossRowResolver.treeViolations(rows: raw, assignments: chosen.map(\.assignment), columnCount: columnCount)
            if broken > 0 {
                var plain = raw.map { assigner.assign($0.amounts) }
                if [.income, .basicByCategory, .projectList].contains(table.kind) {
                    settleByIncomeSummary(raw: raw, results: &plain, layout: layout, tables: evidence)
                }
                let arithmetic = CrossRowResolver.resolve(rows: raw, results: plain, columnCount: columnCount)
                if CrossRowResolver.treeViolations(rows: raw, assignments: arithmetic.map(\.assignment), columnCount: columnCount) == 0 {
                    chosen = arithmetic
                }
            }
        }
        // One row per raw row: room for all of them at once.
        table.rows.reserveCapacity(table.rows.count + raw.count)
        // By index: the enumerated iterator handed out a copy of each raw row (its Strings and
        // arrays retained, then released).
        // The row's fields are read in place (`let r = raw[i]` copied the whole row).
        let keys = layout.keys
        var rowValues = RowValues(keys: keys)
        for i in raw.indices {
            let amounts = raw[i].amounts
            let line = raw[i].line
            let values = rowValues.values(amounts, chosen[i].assignment)
            if chosen[i].ambiguous {
                out.notes.append(ParseNote(line: line, table: tableIndex,
                    message: "ambiguous column assignment for \(raw[i].code ?? raw[i].label): \(amounts.count) amounts under \(keys.count) columns; chose \(chosen[i].assignment.map { keys[min($0, keys.count - 1)] }.joined(separator: ","))"))
            }
            if amounts.count > keys.count {
                out.notes.append(ParseNote(line: line, table: tableIndex,
                    message: "row prints \(amounts.count) amounts but the header names \(keys.count) columns; extra amounts dropped"))
            }
            table.rows.append(Row(code: raw[i].code, label: raw[i].label, values: values, line: line))
        }
        // Comparison columns (上年预算数, 增减额 …) held their amounts' places; the year's own
        // figures are what the table states.
        if keys.contains(where: HeaderReader.isComparison) {
            table.columns.removeAll(where: HeaderReader.isComparison)
            for r in table.rows.indices { table.rows[r].values = table.rows[r].values.filter { !HeaderReader.isComparison($0.key) } }
        }
        markRows(raw, prose: prose, consumed: &consumed, from: from, lines: [])
    }
}
