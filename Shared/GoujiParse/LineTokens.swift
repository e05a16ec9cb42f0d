import GoujiModel

/// One piece of a printed table line: a classification code, an amount, or label text.
struct Token: Sendable, Equatable {
    enum Kind: Sendable, Equatable { case code, number, text }
    var kind: Kind
    var text: String
    /// For numbers, the parsed amount.
    var amount: Amount?
    /// Tab field index (tab-separated lines) or character column (space-separated lines).
    var position: Int
    /// True when the token is the whole of its cell (so `position` is its own column).
    var ownCell: Bool = false
}

/// Splits printed lines into cells and tokens, independent of how cells are separated
/// (tabs with blank fields kept, runs of spaces, single spaces).
enum LineTokens {
    /// Removes extraction debris: markdown emphasis, list dashes, HTML tags.
    static func stripDebris(_ s: String) -> String {
        // Fast path: no `<`, no `*`, and the first non-space byte is not `-`: nothing to strip.
        let plain = FastText.scanUTF8(s) { buf -> Bool in
            var leading = true
            for b in buf {
                if b == 0x3C || b == 0x2A { return false }
                if leading {
                    // Skip leading ASCII space/tab; any other possible space (non-ASCII) → slow path.
                    if b == 0x20 || b == 0x09 { continue }
                    if b >= 0x80 && (b == 0xC2 || b == 0xE2 || b == 0xE3) { return false }
                    if b == 0x2D { return false }
                    leading = false
                }
            }
            return true
        }
        if plain { return s }
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
        if t.has("**") { t = t.replacing("**", with: "") }
        let trimmed = SourceText.trim(t)
        if trimmed.hasPrefix("- ") { return String(trimmed.dropFirst(2)) }
        return t
    }

    /// True for a column-numbering row (`** ** 1 2 3`, `(公开到项级) ** 1 2 3`): after any leading
    /// words, only `*` marks and small integers counting up from 1.
    static func isNumberingRow(_ text: String) -> Bool {
        guard text.utf8.count <= 400, text.has("*") || text.has("1") else { return false }
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
        var numbers: [Int] = []
        var stars = 0
        var textWords = 0
        for w in words {
            if w.allSatisfy({ $0 == "*" }) { stars += 1; continue }
            if let n = Int(Label.foldWidth(w)), n >= 0, n <= 99 { numbers.append(n); continue }
            if !numbers.isEmpty { return false }
            textWords += 1
        }
        if numbers.isEmpty { return stars > 0 && textWords == 0 }
        if textWords > 0 && stars == 0 && numbers.count < 3 { return false }
        return numbers.first == 1 && (numbers.count == 1 ? stars > 0 : numbers[1] == 2)
    }

    /// A page-number line such as `- 3 -`, `— 12 —`, `第 3 页`, or a bare small number.
    static func isPageNumber(_ text: String) -> Bool {
        guard text.utf8.count <= 24 else { return false }
        let t = FastText.removingWhitespace(Label.foldWidth(text))
        guard !t.isEmpty else { return false }
        var core = Substring(t)
        while let f = core.first, f == "-" || f == "—" || f == "–" { core = core.dropFirst() }
        while let l = core.last, l == "-" || l == "—" || l == "–" { core = core.dropLast() }
        if core.hasPrefix("第") && core.hasSuffix("页") { core = core.dropFirst().dropLast() }
        guard !core.isEmpty, core.count <= 4, core.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        return core.count < t.count
    }

    /// Cells of a line: tab fields (blank ones kept) or runs of 2+ spaces; each with its position.
    static func cells(_ raw: String) -> [(text: String, position: Int)] {
        if raw.has("\t") {
            return raw.split(separator: "\t", omittingEmptySubsequences: false).enumerated().map {
                (SourceText.trim(stripDebris(String($0.element))), $0.offset)
            }
        }
        if let fast = spaceCellsFast(raw) {
            return fast.map { (SourceText.trim(stripDebris($0.0)), $0.1) }
        }
        var out: [(String, Int)] = []
        var current = ""
        var start = 0
        var col = 0
        var spaces = 0
        for c in raw {
            let v = c.unicodeScalars.first?.value ?? 0
            if SourceText.isSpace(c) {
                spaces += v == 0x3000 ? 2 : 1
            } else {
                if spaces >= 2 && !current.isEmpty {
                    out.append((current, start))
                    current = ""
                } else if spaces > 0 && !current.isEmpty {
                    current.append(" ")
                }
                if current.isEmpty { start = col }
                spaces = 0
                current.append(c)
            }
            col += v >= 0x2E80 ? 2 : 1
        }
        if !current.isEmpty { out.append((current, start)) }
        return out.map { (SourceText.trim(stripDebris($0.0)), $0.1) }
    }

    /// The space-separated split of `cells` on UTF-8 bytes, for lines where every scalar is its own
    /// Character (`FastText.isOwnCharacter`); nil otherwise (the Character loop then runs).
    private static func spaceCellsFast(_ raw: String) -> [(String, Int)]? {
        var copy = raw
        return copy.withUTF8 { buf -> [(String, Int)]? in
            var out: [(String, Int)] = []
            var cur: [UInt8] = []
            cur.reserveCapacity(64)
            var start = 0
            var col = 0
            var spaces = 0
            var i = 0
            let n = buf.count
            while i < n {
                guard let (v, len) = FastText.decodeScalar(buf, at: i) else { return nil }
                guard FastText.isOwnCharacter(v) else { return nil }
                switch v {
                case 0x20, 0x09, 0x3000, 0xA0, 0x2002, 0x2003:
                    spaces += v == 0x3000 ? 2 : 1
                default:
                    if spaces >= 2 && !cur.isEmpty {
                        out.append((String(decoding: cur, as: UTF8.self), start))
                        cur.removeAll(keepingCapacity: true)
                    } else if spaces > 0 && !cur.isEmpty {
                        cur.append(0x20)
                    }
                    if cur.isEmpty { start = col }
                    spaces = 0
                    for k in i..<(i + len) { cur.append(buf[k]) }
                }
                col += v >= 0x2E80 ? 2 : 1
                i += len
            }
            if !cur.isEmpty { out.append((String(decoding: cur, as: UTF8.self), start)) }
            return out
        }
    }

    /// Reads an amount token: digits with optional thousands separators and decimals.
    static func amount(_ word: Substring) -> Amount? {
        // Fast reject: an amount starts with a digit (ASCII or full-width) or a minus sign.
        guard let u = word.unicodeScalars.first,
              (u.value >= 0x30 && u.value <= 0x39) || u.value == 0x2D || (u.value >= 0xFF10 && u.value <= 0xFF19) || u.value == 0xFF0D
        else { return nil }
        if word.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }) { return Amount(word) }
        // foldWidth maps the full-width comma (U+FF0C) to `,` already.
        let folded = Label.foldWidth(word)
        guard let first = folded.first, (first.isASCII && first.isNumber) || first == "-" else { return nil }
        if folded.hasPrefix("-") && folded.count == 1 { return nil }
        // Thousands separators must sit between digit groups of three.
        if folded.has(",") {
            let intPart = folded.split(separator: ".", maxSplits: 1).first ?? ""
            let groups = intPart.split(separator: ",", omittingEmptySubsequences: false)
            for (i, g) in groups.enumerated() where i > 0 && g.count != 3 { return nil }
        }
        return Amount(folded)
    }

    /// Is this word a classification code (`208`, `20801`, `2080109`, `01`, `[208]`)?
    static func codeText(_ word: Substring) -> String? {
        var w = Label.foldWidth(word)
        if let f = w.first, f == "[" || f == "【" || f == "［" {
            guard let l = w.last, l == "]" || l == "】" || l == "］" else { return nil }
            w = String(w.dropFirst().dropLast())
        }
        guard !w.isEmpty, w.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return [2, 3, 5, 6, 7].contains(w.count) ? w : nil
    }

    /// Splits a word such as `2,495.56一、本年支出` into its leading number and the rest.
    static func splitGlued(_ word: Substring) -> [Substring] {
        guard let f = word.first, f.isASCII && (f.isNumber || f == "-") else { return [word] }
        var i = word.startIndex
        while i < word.endIndex, let a = word[i].asciiValue, (a >= 48 && a <= 57) || a == 44 || a == 46 || a == 45 {
            i = word.index(after: i)
        }
        if i == word.endIndex || i == word.startIndex { return [word] }
        let rest = word[i...]
        if let r = rest.first, r == "年" || r == "%" || r == "％" || r == "月" || r == "日" || r == "人" || r == "万" || r == "个" || r == "/" || r == "（" || r == "(" { return [word] }
        if let r = rest.first, !r.isASCII { return [word[..<i], rest] }
        return [word]
    }

    /// Tokens of one line. `codeFirst`: a leading all-digit word is a code when text follows it
    /// or when it stands alone on the line.
    static func tokens(_ raw: String) -> [Token] {
        var out: [Token] = []
        for cell in cells(raw) where !cell.text.isEmpty {
            let words = cell.text.split(whereSeparator: { SourceText.isSpace($0) }).flatMap { splitGlued($0) }
            var textRun = ""
            func flushText() {
                if !textRun.isEmpty {
                    out.append(Token(kind: .text, text: textRun, amount: nil, position: cell.position))
                    textRun = ""
                }
            }
            for w in words {
                if let a = amount(w), !w.has("/") {
                    flushText()
                    out.append(Token(kind: .number, text: String(w), amount: a, position: cell.position,
                                     ownCell: words.count == 1))
                } else if let f = w.first, f == "[" || f == "［" || f == "【",
                          let close = w.firstIndex(where: { $0 == "]" || $0 == "］" || $0 == "】" }),
                          let code = codeText(w[...close]) {
                    flushText()
                    out.append(Token(kind: .code, text: code, amount: nil, position: cell.position))
                    let rest = w[w.index(after: close)...]
                    if !rest.isEmpty { textRun += rest }
                } else {
                    textRun += textRun.isEmpty ? String(w) : " " + w
                }
            }
            flushText()
        }
        // An integer followed by 年/月/% is a date or a ratio, not an amount.
        var i = 0
        while i < out.count {
            if out[i].kind == .number, i + 1 < out.count, out[i + 1].kind == .text,
               let f = out[i + 1].text.first, f == "年" || f == "月" || f == "日" || f == "%" || f == "％" {
                out[i + 1].text = out[i].text + out[i + 1].text
                out.remove(at: i)
                continue
            }
            i += 1
        }
        // A leading integer followed by text is a code, not an amount.
        if let first = out.first, first.kind == .number, let code = codeText(Substring(first.text)),
           !first.text.has(","), !first.text.has("."), out.count == 1 || out[1].kind == .text {
            out[0] = Token(kind: .code, text: code, amount: nil, position: first.position)
        }
        return out
    }
}


extension StringProtocol {
    /// Substring test on UTF-8 bytes (exact, no Unicode folding): fast, and free of Foundation's
    /// locale-aware `contains`.
    func has(_ needle: String) -> Bool {
        var n = needle
        return n.withUTF8 { nb -> Bool in
            if let r = self.utf8.withContiguousStorageIfAvailable({ hb in StringSearch.find(hb, nb) }) { return r }
            var copy = String(self)
            return copy.withUTF8 { StringSearch.find($0, nb) }
        }
    }
}

enum StringSearch {
    static func find(_ h: UnsafeBufferPointer<UInt8>, _ n: UnsafeBufferPointer<UInt8>) -> Bool {
        let m = n.count
        guard m > 0 else { return true }
        guard h.count >= m else { return false }
        let first = n[0]
        var i = 0
        let last = h.count - m
        while i <= last {
            if h[i] == first {
                var j = 1
                while j < m && h[i + j] == n[j] { j += 1 }
                if j == m { return true }
            }
            i += 1
        }
        return false
    }
}
