import GoujiModel

/// A table body line and its tokens (a slice of the table reader's shared token array).
/// A struct rather than a tuple: arrays of it are copied and destroyed through its own
/// specialised value witnesses, not the runtime's generic tuple ones (`tuple_initializeWithCopy`,
/// `tuple_destroy`), which cost a few hundred instructions per line.
struct BodyLine: Sendable {
    var line: SourceLine
    var tokens: ArraySlice<Token>
    /// The line began with a serial number (序号), dropped from `tokens`
    /// (`NumberingColumns.dropSerialNumbers`): it starts a row.
    var serial = false
}

/// A row as printed, before its amounts are given columns.
struct RawRow: Sendable {
    var code: String?
    var label: String
    var side: Side?
    var amounts: [Amount]
    /// Tab field index of each amount (only where the line keeps blank fields).
    var positions: [Int]?
    /// Right edge (display column) of each amount, on space-aligned lines.
    var rightEdges: [Int]?
    var line: Int
    /// Source lines the row occupies (for prose exclusion).
    var lines: RowLines
    /// Lines of label printed above the row's code and amounts (a cell centred vertically:
    /// `RowReader.takesLabelAbove`); as many may follow them.
    var labelLinesAbove = 0
    /// Where the label starts on its first line (its segment's `position`); -1 unknown.
    var labelPosition = -1

    /// Whether a row whose label was centred on its code line (`labelLinesAbove`) still takes
    /// a line of label below it: it has taken fewer lines after `line` than it had above.
    var takesLabelBelow: Bool {
        var below = 0
        var seen = false
        for n in lines { if seen { below += 1 } else if n == line { seen = true } }
        return seen && below < labelLinesAbove
    }
}

extension Array {
    /// `removeAll(keepingCapacity: true)` for an array of a few elements: removed from the end one
    /// by one, the capacity kept alike. (`removeAll` runs the general `replaceSubrange`, a few
    /// hundred instructions a call however short the array; a line's segments are one to three.)
    @inline(__always)
    mutating func removeAllFromEnd() {
        while !isEmpty { removeLast() }
    }
}

/// The source lines of a row, in order. A row nearly always spans one or two lines: those are
/// kept inline, and only a third line allocates (`rest`), so reading a row costs no array.
struct RowLines: Sendable, Equatable, Sequence, ExpressibleByArrayLiteral {
    private(set) var count = 0
    private var a = 0
    private var b = 0
    private var rest: [Int] = []

    init() {}

    /// One line.
    init(_ n: Int) {
        a = n
        count = 1
    }

    init(arrayLiteral elements: Int...) {
        for e in elements { append(e) }
    }

    var isEmpty: Bool { count == 0 }

    var last: Int? {
        switch count {
        case 0: return nil
        case 1: return a
        case 2: return b
        default: return rest.last
        }
    }

    subscript(i: Int) -> Int {
        precondition(i >= 0 && i < count, "RowLines index out of range")
        return i == 0 ? a : i == 1 ? b : rest[i - 2]
    }

    mutating func append(_ n: Int) {
        switch count {
        case 0: a = n
        case 1: b = n
        default: rest.append(n)
        }
        count += 1
    }

    struct Iterator: IteratorProtocol {
        let lines: RowLines
        var i = 0
        mutating func next() -> Int? {
            guard i < lines.count else { return nil }
            defer { i += 1 }
            return lines[i]
        }
    }

    func makeIterator() -> Iterator { Iterator(lines: self) }
    var underestimatedCount: Int { count }
}

/// One run of a printed line: optional code, label text, then amounts.
struct Segment: Sendable {
    var code: String?
    var text: String
    var amounts: [Amount] = []
    var positions: [Int] = []
    var rightEdges: [Int] = []
    var position: Int
    var sideHint: Side?
}

/// Reads table body lines into rows: wrapped labels joined, codes on their own line attached,
/// a 款 code printed as `01` under its 类 expanded, two-sided lines split into two rows.
enum RowReader {
    static let terminalSuffixes = ["收入", "支出", "合计", "总计", "小计", "结余", "结转", "下年", "拨款", "资金",
                                   "费", "）", ")", "预算", "差额", "经费", "补助", "类"]

    /// True when `s` holds 。 ； ; ， ！ or ？: one pass over the bytes for the six (UTF-8 is
    /// self-synchronising, so a byte match is a character match, as with `has`). Read scalar by
    /// scalar (`FastText.scalarLength`): `;` and the lead bytes E3 and EF only start scalars, so
    /// the rest of a multi-byte scalar is skipped unread.
    static func hasSentencePunctuation(_ s: String) -> Bool {
        FastText.scanUTF8(s) { buf in
            var i = 0
            let n = buf.count
            while i < n {
                let b = buf[i]
                if b < 0x80 {
                    if b == 0x3B { return true } // ;
                    i += 1
                    continue
                }
                if b == 0xE3, i + 2 < n, buf[i + 1] == 0x80, buf[i + 2] == 0x82 { return true } // 。
                if b == 0xEF, i + 2 < n, buf[i + 1] == 0xBC {
                    let c = buf[i + 2]
                    if c == 0x9B || c == 0x8C || c == 0x81 || c == 0x9F { return true } // ； ， ！ ？
                }
                i += FastText.scalarLength(lead: b)
            }
            return false
        }
    }

    static func isSentence(_ s: String) -> Bool {
        if hasSentencePunctuation(s) { return true }
        // At most one Character per byte: 40 bytes or fewer are never more than 40 Characters.
        return s.utf8.count > 40 && FastText.characterCount(s) > 40
    }

    /// Whether a line of label text alone (`text`) ends the label of `row`, the row read just
    /// before it, rather than starting a row of its own. Only for a coded row whose first line
    /// holds code, label and amounts together (wrapped text then follows the amounts, where a layout
    /// that prints the code on a line of its own wraps the label before them), and only when the
    /// next line (`next`, its tokens; nil at the table's end) starts another coded row or is
    /// label text again: label text followed by amounts starts an uncoded row of its own.
    /// A row whose label was centred on its code and amounts (`labelLinesAbove`, coded or not)
    /// takes as many lines below them as it had above, unless the line is the head of the next
    /// row's centred label: a line before a code or amounts printed without a label is that
    /// row's (`takesLabelAbove`).
    static func continuesLabel(of row: RawRow, with text: String, next: ArraySlice<Token>?) -> Bool {
        guard !row.amounts.isEmpty, !row.label.isEmpty else { return false }
        if row.labelLinesAbove > 0 {
            guard row.takesLabelBelow else { return false }
            if let next, isCodeWithoutLabel(next) || isAmountsOnly(next) { return false }
            return isLabelPart(text)
        }
        // (The row's amounts are on its first line: any later line of it is label text already.)
        var lines = row.lines.makeIterator()
        guard row.code != nil, lines.next() == row.line else { return false }
        if let next, let first = next.first {
            let nextIsLabelOnly = first.kind == .text && !next.contains { $0.kind != .text }
            guard first.kind == .code || nextIsLabelOnly else { return false }
            if first.kind == .code && isCodeAndAmountsOnly(next) { return false }
        }
        guard isLabelPart(text) else { return false }
        return true
    }

    /// Whether label text alone on the line `lines[at]` (`segment`) is the rest of the label of the
    /// uncoded row just above (`last`, printed on one line), wrapped below its amounts as
    /// `pdftotext -layout` prints a cell aligned to its top (a project list's long names). With no
    /// code to go by, the line must stand where no row can start: the body ends after it, or, in a
    /// numbered list, the row above and the next line carry serial numbers and this line none. And
    /// the label above must fill its cell (a label wraps only then): as wide as the widest label
    /// printed on one line in the table so far, less one character, with this line starting where
    /// it starts. A label-only line after a shorter label is a row of its own (a heading, a row of
    /// blank cells).
    static func continuesUncodedLabel(of last: RawRow, with segment: Segment, rows: [RawRow], lines: [BodyLine], at: Int) -> Bool {
        guard last.code == nil, !last.amounts.isEmpty, !last.label.isEmpty, last.labelLinesAbove == 0,
              last.lines.count == 1, last.labelPosition >= 0, abs(last.labelPosition - segment.position) <= 1,
              !lines[at].serial, isLabelPart(segment.text) else { return false }
        if let next = lines[(at + 1)...].first(where: { !$0.tokens.isEmpty }) {
            guard next.serial, lines[..<at].last(where: { $0.line.number == last.line })?.serial == true else { return false }
        }
        let width = ColumnPositions.displayWidth(FastText.removingWhitespace(last.label))
        for row in rows where row.lines.count == 1 && !row.label.isEmpty {
            if ColumnPositions.displayWidth(FastText.removingWhitespace(row.label)) > width + 2 { return false }
        }
        return true
    }

    /// A line of a code followed by amounts only, no label text.
    static func isCodeAndAmountsOnly(_ tokens: ArraySlice<Token>) -> Bool {
        tokens.count >= 2 && isCodeWithoutLabel(tokens)
    }

    /// A line of amounts only: no code, no label text.
    static func isAmountsOnly(_ tokens: ArraySlice<Token>) -> Bool {
        !tokens.isEmpty && !tokens.contains { $0.kind != .number }
    }

    /// Whether a table's body prints labels centred on their code and amounts (`takesLabelAbove`):
    /// a code printed with amounts and no label just under a line of label text, or the body
    /// ending in label text, amounts without a label and label text again (the last row's label
    /// halves around its amounts; a layout that wraps labels before the amounts never ends in a
    /// line of label text).
    static func labelsCentred(_ lines: [BodyLine]) -> Bool {
        // Each line's shape from its first token and the kinds after it, read once.
        enum Shape { case text, amounts, codeAndAmounts, other }
        func shape(_ t: ArraySlice<Token>) -> Shape {
            guard let first = t.first else { return .other }
            var rest: Token.Kind?
            for k in t.indices.dropFirst() {
                let kind = t[k].kind
                if first.kind == .code ? kind != .number : kind != first.kind { return .other }
                rest = kind
            }
            switch first.kind {
            case .text: return .text
            case .number: return .amounts
            case .code: return rest == nil ? .other : .codeAndAmounts
            }
        }
        var shapes: (Shape, Shape, Shape) = (.other, .other, .other)
        var lastLine = -1
        for i in lines.indices where !lines[i].tokens.isEmpty {
            let s = shape(lines[i].tokens)
            if s == .codeAndAmounts && shapes.2 == .text { return true }
            shapes = (shapes.1, shapes.2, s)
            lastLine = i
        }
        return shapes == (.text, .amounts, .text) && isLabelPart(lines[lastLine].line.text)
    }

    /// A line of a code alone or followed by amounts only, no label text.
    static func isCodeWithoutLabel(_ tokens: ArraySlice<Token>) -> Bool {
        guard tokens.first?.kind == .code else { return false }
        return !tokens.dropFirst().contains { $0.kind != .number }
    }

    /// Whether the row of label text just read (`label`, over `lineCount` lines, uncoded and
    /// without amounts) is the first part of the label of a coded row printed next with its
    /// amounts (or blank cells) and no label (`segment`, the only segment of its line): its cell
    /// centred vertically, as `pdftotext -layout` prints it, half the label above the code and
    /// amounts, half below. A code printed alone (its cells blank) takes the label above only
    /// once the table has shown such a row with amounts (`centredSeen`): a layout that prints
    /// codes on a line of their own wraps the label after them.
    static func takesLabelAbove(label: String, code: String?, hasAmounts: Bool, lineCount: Int,
                                segment: Segment, segmentCount: Int, twoSided: Bool, centredSeen: Bool) -> Bool {
        guard !twoSided, segmentCount == 1, segment.code != nil, segment.text.isEmpty,
              centredSeen || !segment.amounts.isEmpty,
              code == nil, !hasAmounts, lineCount <= 2, !label.isEmpty else { return false }
        return isLabelPart(label)
    }

    /// Whether `text` may be part of a wrapped label: short, not starting a row of its own (合计,
    /// an enumerator), not a heading (其中：), a note, a unit line or a table title.
    static func isLabelPart(_ text: String) -> Bool {
        let t = FastText.removingWhitespace(text)
        guard !t.isEmpty, FastText.characterCount(t) <= 24, !startsNewRow(t) else { return false }
        // A heading (其中：, 说明:), a note or a table title is not the end of a label.
        if t.ends(with: "：") || t.ends(with: ":") { return false }
        for w in ["注：", "注:", "备注", "说明：", "说明:", "单位：", "单位:", "金额单位", "填报单位", "制表", "数据来源", "资料来源"]
        where t.begins(with: w) { return false }
        return TableKindClassifier.titleCandidate(t) == nil
    }

    /// Whether label text alone on its line (`segment`), in a two-sided table, is the rest of
    /// `label`, read on the line above at `labelPosition`: wrapped in its cell, it starts where
    /// the label starts (the other side's text starts elsewhere). A label that reads as whole
    /// (ends in 收入, 支出, 预算 …) takes only a tail of two characters that keeps it whole
    /// (国有资本经营预算 + 收入); a longer text under it is a row of its own (事业收入, 其他收入).
    static func wrapsInto(_ label: String, labelPosition: Int, _ segment: Segment) -> Bool {
        guard labelPosition >= 0, abs(labelPosition - segment.position) <= 1, segment.code == nil, segment.amounts.isEmpty,
              !label.isEmpty, isLabelPart(segment.text) else { return false }
        if !endsTerminal(label) { return true }
        return FastText.characterCount(segment.text) <= 2 && endsTerminal(label + segment.text)
    }

    static func startsNewRow(_ s: String) -> Bool {
        let t = FastText.removingWhitespace(Label.foldWidth(s))
        if Label.stripEnumerator(t) != t { return true }
        for w in ["合计", "总计", "小计", "其中", "本年", "收入总计", "支出总计"] where t.begins(with: w) { return true }
        return false
    }

    static func endsTerminal(_ s: String) -> Bool {
        let t = FastText.removingWhitespace(s)
        return terminalSuffixes.contains { t.ends(with: $0) }
    }

    /// The label as reported: enumerators, 其中： and spaces removed.
    static func cleanLabel(_ s: String) -> String {
        var t = FastText.removingSpaces(s)
        // Until nothing changes: an enumerator, then the 其中 prefixes (in `whereofPrefixes`'
        // order). All three prefixes start with 其中, so a label not starting with its bytes keeps
        // every one of them out (and stays so: nothing is removed before them in a pass).
        while !t.isEmpty {
            // Nothing to strip and no 其中: this pass would change nothing and end the loop.
            if !enumeratorMayStart(t) && !startsWithWhereof(t) { break }
            let previous = t
            t = Label.stripEnumerator(t)
            if startsWithWhereof(t) {
                for (p, length) in whereofPrefixes where t.begins(with: p) && FastText.characterCount(t) > length + 1 {
                    t = String(t.dropFirst(length))
                }
            }
            if FastText.equalBytes(previous, t) { break }
        }
        return t
    }

    /// False when `Label.stripEnumerator(t)` certainly gives `t` back: `t` is empty, or its first
    /// scalar starts no enumerator (stripEnumerator's own first test: a digit, `(`, `（`, a circled
    /// number or a Chinese numeral), or it is a run of Chinese numerals followed by a scalar that is
    /// none of `)` `）` `、` `.` `．` (一般…, 十分…: a word, returned as it is). Read on the bytes,
    /// for the many labels that start with 一 (一般公共…). (In stripEnumerator's Character reading a
    /// combining mark after a numeral makes that Character no numeral, and a Character equal to one
    /// of the marks is that scalar alone, so it returns the text there too.)
    static func enumeratorMayStart(_ t: String) -> Bool {
        FastText.scanUTF8(t) { b -> Bool in
            let n = b.count
            guard n > 0 else { return false }
            @inline(__always) func scalar(at i: Int) -> UInt32? {
                guard let (v, _) = FastText.decodeScalar(b, at: i) else { return nil }
                return v
            }
            @inline(__always) func isNumeral(_ v: UInt32) -> Bool {
                switch v {
                case 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341, 0x767E: return true
                default: return false
                }
            }
            guard let first = scalar(at: 0) else { return true }
            switch first {
            case 0x30...0x39, 0x28, 0xFF08, 0x2460...0x2469, 0x2474...0x247D: return true
            default: break
            }
            guard isNumeral(first) else { return false }
            // The numerals are three-byte scalars.
            var i = 3
            while i < n, let v = scalar(at: i), isNumeral(v) { i += 3 }
            guard i < n else { return true }
            guard let next = scalar(at: i) else { return true }
            return next == 0x29 || next == 0xFF09 || next == 0x3001 || next == 0x2E || next == 0xFF0E
        }
    }

    /// True when the UTF-8 bytes of `t` start with 其中's (E5 85 B6 E4 B8 AD).
    @inline(__always)
    static func startsWithWhereof(_ t: String) -> Bool {
        FastText.scanUTF8(t) { b in
            b.count >= 6 && b[0] == 0xE5 && b[1] == 0x85 && b[2] == 0xB6 && b[3] == 0xE4 && b[4] == 0xB8 && b[5] == 0xAD
        }
    }

    /// 其中 prefixes a label may carry, with their Character counts, in the order they are removed.
    static let whereofPrefixes: [(String, Int)] = ["其中：", "其中:", "其中"].map { ($0, $0.count) }

    /// Segments of one line. `twoSided`: text runs separated by a cell boundary or a space start
    /// new segments (an income label and an expenditure label on one line).
    /// `tabbed`: nil keeps both `positions` and `rightEdges`; true only `positions` (a tabbed
    /// table's rows use them alone), false only `rightEdges` (a space-aligned table's rows use them alone).
    static func segments(_ tokens: [Token], twoSided: Bool, splitPosition: Int?, tabbed: Bool? = nil) -> [Segment] {
        var out: [Segment] = []
        var scratch: [Segment] = []
        segments(tokens[...], twoSided: twoSided, splitPosition: splitPosition, tabbed: tabbed, into: &out, scratch: &scratch)
        return out
    }

    /// `segments` written into `out` (emptied first, its capacity kept), so a table's lines reuse
    /// one array of segments; `scratch` is the two-sided split's second array, reused likewise.
    static func segments(_ tokens: ArraySlice<Token>, twoSided: Bool, splitPosition: Int?, tabbed: Bool? = nil,
                         into out: inout [Segment], scratch split: inout [Segment]) {
        let keepPositions = tabbed != false
        let keepEdges = tabbed != true
        out.removeAllFromEnd()
        // The segment being built is the last one of `out` (one is open once `out` is not empty),
        // mutated in place there: no copy per token, nor of the segment when the next one starts
        // (appending a local segment copied it, then overwrote the local).
        // Tokens read field by field in place (no copy of each token), the segment pushed inline
        // (no nested function capturing `out`).
        // (A slice of a table's tokens: its indices run startIndex..<endIndex.)
        let end = tokens.endIndex
        var ti = tokens.startIndex
        while ti < end {
            let position = tokens[ti].position
            let cur = out.count - 1
            switch tokens[ti].kind {
            case .code:
                out.append(Segment(code: tokens[ti].text, text: "", position: position))
            case .text:
                if cur >= 0, out[cur].amounts.isEmpty, out[cur].code != nil, out[cur].text.isEmpty {
                    out[cur].text = tokens[ti].text
                } else if cur >= 0, out[cur].amounts.isEmpty, !twoSided || out[cur].text.isEmpty {
                    if out[cur].text.isEmpty { out[cur].text = tokens[ti].text } else { out[cur].text += " "; out[cur].text += tokens[ti].text }
                } else {
                    out.append(Segment(code: nil, text: tokens[ti].text, position: position))
                }
            case .number:
                if cur < 0 { out.append(Segment(code: nil, text: "", position: position)) }
                let c = out.count - 1
                if out[c].amounts.isEmpty {
                    // The amounts of a segment are this run of numbers: room for all of them at once.
                    var run = 1
                    while ti + run < end, tokens[ti + run].kind == .number { run += 1 }
                    out[c].amounts.reserveCapacity(run)
                    if keepPositions { out[c].positions.reserveCapacity(run) }
                    if keepEdges { out[c].rightEdges.reserveCapacity(run) }
                }
                if let a = tokens[ti].amount {
                    out[c].amounts.append(a)
                    if keepPositions { out[c].positions.append(position) }
                    if keepEdges { out[c].rightEdges.append(tokens[ti].ownCell ? position + FastText.characterCount(tokens[ti].text) : -1) }
                }
            }
            ti += 1
        }
        guard twoSided else { return }
        // Split "label1 label2 amounts" where two labels share one run.
        split.removeAllFromEnd()
        for s in out {
            // A coded segment, or one whose text has no ASCII space (one word), is never split.
            if s.code != nil || !FastText.scanUTF8(s.text, { FastText.containsByte($0, 0x20) }) {
                split.append(s)
                continue
            }
            // Split at ASCII spaces on the bytes (a space is a Character of its own).
            let words = s.text.utf8.split(separator: 0x20).map { String(Substring($0)) }
            if s.code == nil, words.count >= 2 {
                var cut: Int?
                for i in 1..<words.count {
                    let left = concatenated(words[..<i])
                    let right = concatenated(words[i...])
                    if FastText.characterCount(left) >= 2 && FastText.characterCount(right) >= 2 && (endsTerminal(left) || startsNewRow(right)) && !isSentence(left) {
                        cut = i
                        break
                    }
                }
                if let cut {
                    split.append(Segment(code: nil, text: concatenated(words[..<cut]), position: s.position))
                    var r = s
                    r.text = concatenated(words[cut...])
                    split.append(r)
                    continue
                }
            }
            split.append(s)
        }
        var labelled = 0
        for i in split.indices where !split[i].text.isEmpty { labelled += 1 }
        if labelled >= 2 {
            var n = 0
            for i in split.indices where !split[i].text.isEmpty {
                split[i].sideHint = n == 0 ? .income : .expenditure
                n += 1
            }
        } else if let splitPosition {
            for i in split.indices { split[i].sideHint = split[i].position >= splitPosition ? .expenditure : .income }
        }
        // The split segments become `out`; the old array is the next line's scratch.
        swap(&out, &split)
    }

    static func side(ofLabel s: String) -> Side {
        let t = FastText.removingWhitespace(s)
        // (年终结转结余, 年末结转和结余: the balance carried out, an expenditure-side line.)
        if t.has("结转下年") || t.has("年末结转") || t.has("年终结转") || t.has("年末结余") || t.has("年终结余") { return .expenditure }
        if t.has("收支") { return .income }
        if t.has("支出") && !t.has("收入") { return .expenditure }
        return .income
    }

    /// `words.joined()`, appended one by one into room for them all: the generic `joined()` runs
    /// unspecialised (~2k instructions a call).
    static func concatenated(_ words: ArraySlice<String>) -> String {
        var out = ""
        var bytes = 0
        for w in words { bytes += w.utf8.count }
        out.reserveCapacity(bytes)
        for w in words { out += w }
        return out
    }

    /// The segments' texts run together (`segs.map { $0.text }.joined()`), appended one by one:
    /// the generic `joined()` runs unspecialised.
    static func joinedTexts(_ segs: [Segment]) -> String {
        var out = ""
        // By index (`for s in segs` copied every segment).
        for i in segs.indices { out += segs[i].text }
        return out
    }

    /// Where a row's code stands among the codes read before it (`fullCode`): the last 类, the
    /// last 款, and where that 款's own two digits stood (nil where it was printed whole).
    struct CodeContext {
        var classCode: String?
        var sectionCode: String?
        var sectionPosition: Int?
        /// The code of five or seven characters read last, whose first three and five are the 类
        /// and 款 (`classCode`, `sectionCode`): cut from it only where a two-digit code asks for
        /// them (`settle`). Most codes are printed whole, and most tables print no two-digit code.
        var whole: String?

        /// `classCode` and `sectionCode` cut from `whole`, where one is waiting.
        mutating func settle() {
            guard let c = whole else { return }
            whole = nil
            // Its first three (five) bytes where all are digits (each its own Character): no
            // grapheme walk (`String(c.prefix(3))` otherwise).
            let prefixes = FastText.scanUTF8(c) { b -> (String, String)? in
                for x in b where x < 0x30 || x > 0x39 { return nil }
                return (String(decoding: UnsafeBufferPointer(rebasing: b[0..<3]), as: UTF8.self),
                        String(decoding: UnsafeBufferPointer(rebasing: b[0..<5]), as: UTF8.self))
            } ?? (String(c.prefix(3)), String(c.prefix(5)))
            classCode = prefixes.0
            sectionCode = prefixes.1
        }
    }

    /// A row's code in full: a 款 code printed as `01` under its 类 (`classCode`, the last
    /// three-digit code or the first three digits of a longer one) takes the 类's digits; a 项
    /// printed as two digits in a column of its own takes its 款's (`position`: its token's).
    static func fullCode(_ c: String, at position: Int, tabbed: Bool, _ ctx: inout CodeContext) -> String {
        // A code is ASCII digits (`LineTokens.codeText`): its bytes are its Characters.
        let length = c.utf8.count
        if length == 3 { ctx = CodeContext(classCode: c); return c }
        if length == 2 { ctx.settle() }
        if length == 2, let cls = ctx.classCode {
            // Codes printed in 类, 款 and 项 columns, each row only its own level's digits (201;
            // 03 under 款; 01 under 项): two digits right of the last 款's two digits are a 项 of
            // that 款. Two digits where the 款's stood are another 款.
            if let section = ctx.sectionCode, let at = ctx.sectionPosition, position >= at + (tabbed ? 1 : 2) {
                return section + c
            }
            ctx.sectionCode = cls + c
            ctx.sectionPosition = position
            return cls + c
        }
        if length == 5 || length == 7 {
            // Its 类 and 款 are cut from it when a two-digit code needs them (`settle`).
            ctx = CodeContext(whole: c)
        }
        return c
    }

    /// Ends the row being read (`pending`): appended to `rows`, its label cleaned and (two-sided)
    /// its side set; dropped where it holds nothing.
    static func flush(_ pending: inout RawRow?, _ rows: inout [RawRow], _ pendingHasCode: inout Bool,
                      _ pendingHint: inout Side?, twoSided: Bool) {
        // Moved into the array (appending a local copy of it copied the row, then destroyed
        // the copy), its label and side set there; taken out again where it holds nothing.
        guard let p = pending.take() else { return }
        rows.append(p)
        let last = rows.count - 1
        rows[last].label = cleanLabel(rows[last].label)
        if twoSided { rows[last].side = pendingHint ?? side(ofLabel: rows[last].label) }
        if rows[last].label.isEmpty && rows[last].code == nil && rows[last].amounts.isEmpty { rows.removeLast() }
        pending = nil
        pendingHasCode = false
        pendingHint = nil
    }

    /// Reads rows from the body lines of one table.
    /// - Returns: rows, and the line numbers of body lines that are prose (notes, goal text).
    static func read(_ lines: [BodyLine], twoSided: Bool, splitPosition: Int?,
                     tabbed: Bool) -> (rows: [RawRow], prose: [Int]) {
        var rows: [RawRow] = []
        // Room for a row per body line at once (about as many as a table has; growing the
        // array from empty copied its rows several times per table).
        rows.reserveCapacity(lines.count)
        var prose: [Int] = []
        var pending: RawRow?
        var pendingHasCode = false
        var pendingHint: Side?
        var codes = CodeContext()
        // Labels are centred on their code and amounts (`takesLabelAbove`): found in the body
        // beforehand, or shown by a coded row on the way.
        var centredSeen = !twoSided && labelsCentred(lines)

        // `fullCode` and `flush` take the state they change as arguments: a nested function that
        // captured it made the compiler check every access to it at run time (three exclusivity
        // checks a line).
        // One array of segments (and one for the two-sided split) for all the table's lines.
        var segs: [Segment] = []
        var scratch: [Segment] = []
        // The number of the line read last (two-sided tables: labels wrapped from it).
        var previousLine = -1
        for idx in lines.indices {
            // Read in place: only the line's number is kept (no copy of the line and its tokens).
            let lineNumber = lines[idx].line.number
            segments(lines[idx].tokens, twoSided: twoSided, splitPosition: splitPosition, tabbed: tabbed,
                     into: &segs, scratch: &scratch)
            if segs.isEmpty { continue }
            defer { previousLine = lineNumber }
            // Two-sided tables: label text alone under a label of the line above, where that label
            // starts, is the rest of it wrapped in its cell (`wrapsInto`).
            if twoSided, previousLine >= 0, !segs.contains(where: { $0.code != nil || !$0.amounts.isEmpty }) {
                segs.removeAll { seg in
                    if let p = pending, p.lines.last == previousLine, wrapsInto(p.label, labelPosition: p.labelPosition, seg) {
                        pending?.label += seg.text
                        pending?.lines.append(lineNumber)
                        return true
                    }
                    var r = rows.count - 1
                    while r >= 0, rows[r].lines.last == previousLine {
                        if wrapsInto(rows[r].label, labelPosition: rows[r].labelPosition, seg) {
                            // A side read from the label's first part is read again from the whole.
                            let label = cleanLabel(rows[r].label + seg.text)
                            if rows[r].side == side(ofLabel: rows[r].label) { rows[r].side = side(ofLabel: label) }
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
            // A code alone on its line is a code only when label text follows on the next line.
            if segs.count == 1, let c = segs[0].code, segs[0].text.isEmpty, segs[0].amounts.isEmpty {
                let next = lines[(idx + 1)...].first { !$0.tokens.isEmpty }
                if next?.tokens.first?.kind != .text, let a = LineTokens.amount(Substring(c)) {
                    segs[0] = Segment(code: nil, text: "", amounts: [a], positions: [segs[0].position], position: segs[0].position)
                }
            }
            let hasAmounts = segs.contains { !$0.amounts.isEmpty }
            if !hasAmounts && segs.allSatisfy({ $0.code == nil })
                && isSentence(segs.count == 1 ? segs[0].text : joinedTexts(segs)) {
                // Label text running into a sentence is the start of that sentence.
                if let p = pending, p.code == nil, p.amounts.isEmpty {
                    prose.append(contentsOf: p.lines)
                    pending = nil
                    pendingHint = nil
                }
                prose.append(lineNumber)
                continue
            }
            // By index, each segment's fields read in place (`for seg in segs` copied every segment).
            for si in segs.indices {
                if let c = segs[si].code {
                    if let p = pending, takesLabelAbove(label: p.label, code: p.code, hasAmounts: !p.amounts.isEmpty,
                                                        lineCount: p.lines.count, segment: segs[si], segmentCount: segs.count,
                                                        twoSided: twoSided, centredSeen: centredSeen) {
                        if !segs[si].amounts.isEmpty { centredSeen = true }
                        var lines = p.lines
                        lines.append(lineNumber)
                        pending = RawRow(code: fullCode(c, at: segs[si].position, tabbed: tabbed, &codes), label: p.label, amounts: [], line: lineNumber, lines: lines,
                                         labelLinesAbove: p.lines.count)
                    } else {
                        flush(&pending, &rows, &pendingHasCode, &pendingHint, twoSided: twoSided)
                        pending = RawRow(code: fullCode(c, at: segs[si].position, tabbed: tabbed, &codes), label: "", amounts: [], line: lineNumber, lines: RowLines(lineNumber))
                    }
                    pendingHasCode = true
                }
                if !segs[si].text.isEmpty {
                    if segs[si].amounts.isEmpty && segs[si].code == nil && isSentence(segs[si].text) {
                        prose.append(lineNumber)
                        continue
                    }
                    // The pending row is changed in place (optional chaining), not copied out and back.
                    if let labelEmpty = pending?.label.isEmpty {
                        if labelEmpty {
                            pending?.label = segs[si].text
                            if pending?.labelPosition == -1 { pending?.labelPosition = segs[si].position }
                            if pendingHint == nil { pendingHint = segs[si].sideHint }
                        } else if pending?.labelLinesAbove == 0 || pending?.takesLabelBelow == true,
                                  // In a table of centred labels, text just above a code printed
                                  // without a label is that row's (`takesLabelAbove`).
                                  !(centredSeen && pendingHasCode && segs.count == 1
                                    && (lines[(idx + 1)...].first { !$0.tokens.isEmpty }).map({ isCodeWithoutLabel($0.tokens) }) == true),
                                  (pendingHasCode && segs[si].code == nil && !startsNewRow(segs[si].text))
                                    || (!startsNewRow(segs[si].text) && !endsTerminal(pending?.label ?? "")
                                        && !(twoSided && segs[si].sideHint != nil && segs[si].sideHint != pendingHint)) {
                            pending?.label += segs[si].text
                            pending?.lines.append(lineNumber)
                        } else {
                            flush(&pending, &rows, &pendingHasCode, &pendingHint, twoSided: twoSided)
                            pending = RawRow(code: nil, label: segs[si].text, amounts: [], line: lineNumber, lines: RowLines(lineNumber),
                                             labelPosition: segs[si].position)
                            pendingHint = segs[si].sideHint
                        }
                    } else if segs.count == 1, segs[si].code == nil, segs[si].amounts.isEmpty, let last = rows.last,
                              continuesLabel(of: last, with: segs[si].text, next: lines[(idx + 1)...].first { !$0.tokens.isEmpty }?.tokens)
                                || (!twoSided && continuesUncodedLabel(of: last, with: segs[si], rows: rows, lines: lines, at: idx)) {
                        // The rest of the label of the coded row printed just above, wrapped below
                        // its amounts (cells aligned to their top, as `pdftotext -layout` prints them).
                        rows[rows.count - 1].label = cleanLabel(last.label + segs[si].text)
                        rows[rows.count - 1].lines.append(lineNumber)
                    } else {
                        pending = RawRow(code: nil, label: segs[si].text, amounts: [], line: lineNumber, lines: RowLines(lineNumber),
                                         labelPosition: segs[si].position)
                        pendingHint = segs[si].sideHint
                    }
                }
                if !segs[si].amounts.isEmpty {
                    if pending == nil {
                        // Amounts with no label: the previous row's, if it printed none.
                        if let last = rows.last, last.amounts.isEmpty {
                            pending = rows.removeLast()
                            pendingHasCode = pending?.code != nil
                            pendingHint = pending?.side
                        } else {
                            pending = RawRow(code: nil, label: "", amounts: [], line: lineNumber, lines: RowLines())
                        }
                    }
                    // Amounts printed without a label under a line of label text, in a table of
                    // centred labels: that text is the first half of the row's label.
                    if centredSeen, segs[si].code == nil, segs[si].text.isEmpty, let p = pending, p.code == nil, p.amounts.isEmpty,
                       p.labelLinesAbove == 0, !p.label.isEmpty, p.lines.count <= 2, p.lines.last != lineNumber {
                        pending?.labelLinesAbove = p.lines.count
                    }
                    pending?.amounts = segs[si].amounts
                    pending?.positions = tabbed ? segs[si].positions : nil
                    pending?.rightEdges = tabbed || segs[si].rightEdges.contains(-1) ? nil : segs[si].rightEdges
                    pending?.line = lineNumber
                    if pending?.lines.last != lineNumber { pending?.lines.append(lineNumber) }
                    if pendingHint == nil { pendingHint = segs[si].sideHint }
                    flush(&pending, &rows, &pendingHasCode, &pendingHint, twoSided: twoSided)
                }
            }
        }
        flush(&pending, &rows, &pendingHasCode, &pendingHint, twoSided: twoSided)
        return (rows, prose)
    }
}
