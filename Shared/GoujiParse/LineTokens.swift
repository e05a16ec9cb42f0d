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
    /// True when `stripDebris` certainly leaves `s` as it is: no `<`, no `*`, and the first byte
    /// after the leading space scalars (the ones `SourceText.trim` drops, so a wide space too:
    /// table rows are often indented with U+3000) is not `-`.
    static func isDebrisFree(_ s: String) -> Bool {
        FastText.scanUTF8(s) { buf -> Bool in
            if FastText.containsByte(buf, 0x3C) || FastText.containsByte(buf, 0x2A) { return false }
            var i = 0
            while i < buf.count {
                let n = FastText.spaceLength(buf, at: i)
                if n == 0 { break }
                i += n
            }
            return i == buf.count || buf[i] != 0x2D
        }
    }

    /// Removes extraction debris: markdown emphasis, list dashes, HTML tags.
    static func stripDebris(_ s: String) -> String {
        if isDebrisFree(s) { return s }
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

    /// True for a column-numbering row (`** ** 1 2 3`, `(公开到项级) ** 1 2 3`): after any leading
    /// words, only `*` marks and small integers counting up from 1.
    static func isNumberingRow(_ text: String, viaCharacters: Bool = false) -> Bool {
        // The last word first: it only reads the line's end (most table rows end in an amount).
        // (A row counting from 1 holds `1` or its full-width form `１`, or `*` marks.)
        guard text.utf8.count <= 400, FastText.lastWordMayBeSmallNumber(text), text.has("*") || text.has("1") || text.has("１")
        else { return false }
        if !viaCharacters && TableReader.allOwnCharacters(text) { return numberingRowOnScalars(text) }
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
    /// (`TableReader.allOwnCharacters`): the words split at space scalars (`FastText.spaceLength`
    /// matches exactly those, at their lead byte), a word all `*` when all its bytes are `*`; no
    /// grapheme breaking, each word read on its bytes (no Substring, no array of words).
    static func numberingRowOnScalars(_ text: String) -> Bool {
        FastText.scanUTF8(text) { buf in
            var words = NumberingWords()
            var lastWordFits = false
            let n = buf.count
            var i = 0
            while i < n {
                let space = FastText.spaceLength(buf, at: i)
                if space > 0 { i += space; continue }
                // A word: its bytes up to the next space scalar or the end.
                let start = i
                while i < n && FastText.spaceLength(buf, at: i) == 0 { i += 1 }
                let w = UnsafeBufferPointer(rebasing: buf[start..<i])
                let allStars = w.allSatisfy { $0 == 0x2A }
                let number = allStars ? nil : foldedInt(w)
                words.add(allStars: allStars, number: number)
                // The last word is all `*` or a number 0…99 (a text word after the numbers, or
                // text words alone, never make a numbering row).
                lastWordFits = allStars || number.map { $0 >= 0 && $0 <= 99 } == true
            }
            return words.count > 0 && lastWordFits && words.result
        }
    }

    /// The decision both readings of `isNumberingRow` share, on the row's words: leading text
    /// words, then only `*` marks and numbers counting up from 1. `starsByBytes`: a word is all
    /// `*` when its bytes are (the scalar reading), else when its Characters are.
    private static func numberingWords(_ words: [Substring], starsByBytes: Bool) -> Bool {
        var decision = NumberingWords()
        for w in words {
            let allStars = starsByBytes ? w.utf8.allSatisfy({ $0 == 0x2A }) : w.allSatisfy({ $0 == "*" })
            decision.add(allStars: allStars, number: allStars ? nil : foldedInt(w))
        }
        return decision.result
    }

    /// `numberingWords`' reading, word by word: only the count of numbers 0…99 and the first two
    /// of them are kept (no array of them).
    private struct NumberingWords {
        var count = 0
        var numbers = 0
        var first = 0
        var second = 0
        var stars = 0
        var textWords = 0
        /// A text word after a number: no numbering row, whatever follows.
        var failed = false

        /// The next word: all `*`, or its `foldedInt` (nil when it reads as no integer).
        mutating func add(allStars: Bool, number: Int?) {
            count += 1
            guard !failed else { return }
            if allStars { stars += 1; return }
            if let n = number, n >= 0, n <= 99 {
                if numbers == 0 { first = n } else if numbers == 1 { second = n }
                numbers += 1
                return
            }
            if numbers > 0 { failed = true; return }
            textWords += 1
        }

        var result: Bool {
            if failed { return false }
            if numbers == 0 { return stars > 0 && textWords == 0 }
            if textWords > 0 && stars == 0 && numbers < 3 { return false }
            return first == 1 && (numbers == 1 ? stars > 0 : second == 2)
        }
    }

    /// `Int(Label.foldWidth(w))`: a word of one to eighteen ASCII digits (the numbers of a
    /// numbering row, `1 2 3`) read off its bytes, which folding leaves as they are and `Int`
    /// reads as their decimal value; any other word (full-width digits, a sign, more digits) as
    /// `Int` reads it folded. No String is made for the word.
    static func foldedInt(_ w: Substring) -> Int? {
        FastText.scanUTF8(w) { foldedInt($0) }
    }

    /// `foldedInt` of a word's UTF-8 bytes. `Int` reads a sign or a digit first, and folding
    /// gives one only from an ASCII byte or a full-width form (EF BC …): a word starting with any
    /// other byte (an ideograph, U+3000 folded to a space) reads as no integer, without folding.
    static func foldedInt(_ buf: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = buf.count
        if n > 0, n <= 18 {
            var v = 0
            var digits = true
            for b in buf {
                guard b >= 0x30 && b <= 0x39 else { digits = false; break }
                v = v * 10 + Int(b - 0x30)
            }
            if digits { return v }
        }
        guard let f = buf.first, (f >= 0x30 && f <= 0x39) || f == 0x2B || f == 0x2D || f == 0xEF else { return nil }
        return Int(Label.foldWidth(String(decoding: buf, as: UTF8.self)))
    }

    /// A page-number line such as `- 3 -`, `— 12 —`, `第 3 页`, `3/12`. A bare number (`12`) is
    /// not one here, since a code may stand alone on a line too: where form feeds show the pages,
    /// `PageFurniture` blanks bare page numbers before the readers see them.
    static func isPageNumber(_ text: String) -> Bool {
        guard text.utf8.count <= 40, mayBePageNumber(text) else { return false }
        let t = FastText.removingWhitespace(Label.foldWidth(text))
        guard !t.isEmpty else { return false }
        var core = Substring(t)
        while let f = core.first, f == "-" || f == "—" || f == "–" { core = core.dropFirst() }
        while let l = core.last, l == "-" || l == "—" || l == "–" { core = core.dropLast() }
        if isPageOfCount(core) { return true }
        if core.begins(with: "第") && core.ends(with: "页") { core = core.dropFirst().dropLast() }
        guard !core.isEmpty, core.count <= 4, core.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        return core.count < t.count
    }

    /// A page of a count, whitespace removed and width folded: `第3页,共12页` (the comma, a slash
    /// or nothing between), `共12页第3页`, `3/12`; page numbers of 1...4 digits.
    static func isPageOfCount(_ s: Substring) -> Bool {
        // Read on scalars (every scalar these forms hold is a Character of its own).
        let u = Array(s.unicodeScalars)
        var i = 0
        func digits() -> Bool {
            let start = i
            while i < u.count, u[i].value >= 0x30 && u[i].value <= 0x39 { i += 1 }
            return i - start >= 1 && i - start <= 4
        }
        func word(_ w: Unicode.Scalar) -> Bool {
            guard i < u.count, u[i] == w else { return false }
            i += 1
            return true
        }
        func separator() { if i < u.count, u[i] == "," || u[i] == "/" || u[i] == "、" || u[i] == "，" { i += 1 } }
        if word("第"), digits(), word("页") {
            separator()
            if word("共"), digits(), word("页"), i == u.count { return true }
        }
        i = 0
        if word("共"), digits(), word("页") {
            separator()
            if word("第"), digits(), word("页"), i == u.count { return true }
        }
        i = 0
        return digits() && word("/") && digits() && i == u.count
    }

    /// `isPageNumber`'s tests before it folds the text, in one pass over the bytes (a table line
    /// is asked on its way to the row reader, most of them holding digits): a digit (ASCII or
    /// full-width, `FastText.hasDigit`), no scalar a page-number line cannot hold
    /// (`onlyPageNumberScalars`), and some scalar other than an ASCII digit or whitespace. A text of
    /// ASCII digits and whitespace alone (a code printed on a line of its own, `2080109`) is, once
    /// folded and without its whitespace, digits with nothing stripped around them: no page of a
    /// count (each needs 第, 共 or `/`), and no page number either (that needs a dash or 第…页 cut
    /// from it), so `isPageNumber` refuses it after its slow reading; here it is refused at once.
    static func mayBePageNumber(_ text: String) -> Bool {
        FastText.scanUTF8(text) { buf in
            var digit = false
            var other = false
            var i = 0
            while i < buf.count {
                let b = buf[i]
                if b >= 0x30 && b <= 0x39 { digit = true; i += 1; continue }
                guard let (v, len) = FastText.decodeScalar(buf, at: i) else { return false }
                switch v {
                case 0xFF10...0xFF19: digit = true; other = true
                case 0x2D, 0x2013, 0x2014, 0x7B2C, 0x9875, 0xFF0D, 0x5171, 0x2C, 0x2F, 0x3001, 0xFF0C, 0xFF0F: other = true
                default:
                    guard let u = Unicode.Scalar(v), FastText.isWhitespaceScalar(u) else { return false }
                }
                i += len
            }
            return digit && other
        }
    }

    /// False when `text` holds a scalar no page-number line can: one that is neither whitespace
    /// (removed) nor a digit, a dash, 第, 页, 共 or a separator (ASCII or full-width). Such a scalar stays in the
    /// folded, whitespace-free text, in a Character that is none of those, so `isPageNumber`
    /// would refuse the line; this test only spares it the work.
    static func onlyPageNumberScalars(_ text: String) -> Bool {
        FastText.scanUTF8(text) { buf in
            var i = 0
            while i < buf.count {
                guard let (v, len) = FastText.decodeScalar(buf, at: i) else { return false }
                switch v {
                case 0x30...0x39, 0x2D, 0x2013, 0x2014, 0x7B2C, 0x9875, 0xFF10...0xFF19, 0xFF0D,
                     0x5171, 0x2C, 0x2F, 0x3001, 0xFF0C, 0xFF0F: break
                default:
                    guard let u = Unicode.Scalar(v), FastText.isWhitespaceScalar(u) else { return false }
                }
                i += len
            }
            return true
        }
    }

    /// Cells of a line: tab fields (blank ones kept) or runs of 2+ spaces; each with its position.
    static func cells(_ raw: String) -> [(text: String, position: Int)] {
        if raw.has("\t") {
            // A tab is a Character of its own: splitting the bytes at 0x09 splits the Characters.
            return FastText.scanUTF8(raw) { buf in
                var out: [(text: String, position: Int)] = []
                var start = 0
                for i in 0...buf.count where i == buf.count || buf[i] == 0x09 {
                    let field = String(decoding: UnsafeBufferPointer(rebasing: buf[start..<i]), as: UTF8.self)
                    out.append((SourceText.trim(stripDebris(field)), out.count))
                    start = i + 1
                }
                return out
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
        FastText.scanUTF8(raw) { buf -> [(String, Int)]? in
            var out: [(String, Int)] = []
            // The current cell is the bytes cellStart..<cellEnd; `plain` while every space inside
            // it is a single ASCII space (it is then copied as is, else rebuilt with ` `).
            var cellStart = -1
            var cellEnd = 0
            var plain = true
            var start = 0
            var col = 0
            var spaces = 0
            var lastSpaceASCII = true
            func emit() {
                let cell = UnsafeBufferPointer(rebasing: buf[cellStart..<cellEnd])
                if plain {
                    out.append((String(decoding: cell, as: UTF8.self), start))
                    return
                }
                var bytes: [UInt8] = []
                bytes.reserveCapacity(cell.count)
                var k = 0
                while k < cell.count {
                    let n = FastText.spaceLength(cell, at: k)
                    if n > 0 { bytes.append(0x20); k += n } else { bytes.append(cell[k]); k += 1 }
                }
                out.append((String(decoding: bytes, as: UTF8.self), start))
            }
            var i = 0
            let n = buf.count
            while i < n {
                guard let (v, len) = FastText.ownCharacter(buf, at: i) else { return nil }
                switch v {
                case 0x20, 0x09, 0x3000, 0xA0, 0x2002, 0x2003:
                    spaces += v == 0x3000 ? 2 : 1
                    lastSpaceASCII = v == 0x20
                default:
                    if spaces >= 2 && cellStart >= 0 {
                        emit()
                        cellStart = -1
                    } else if spaces > 0 && cellStart >= 0 && !lastSpaceASCII {
                        plain = false
                    }
                    if cellStart < 0 { cellStart = i; start = col; plain = true }
                    spaces = 0
                    cellEnd = i + len
                }
                col += v >= 0x2E80 ? 2 : 1
                i += len
            }
            if cellStart >= 0 { emit() }
            return out
        }
    }

    /// Reads an amount token: digits with optional thousands separators and decimals.
    static func amount(_ word: Substring) -> Amount? {
        // Fast reject: an amount starts with a digit (ASCII or full-width) or a minus sign.
        guard let u = word.unicodeScalars.first,
              (u.value >= 0x30 && u.value <= 0x39) || u.value == 0x2D || (u.value >= 0xFF10 && u.value <= 0xFF19) || u.value == 0xFF0D
        else { return nil }
        if word.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }) { return plainAmount(word) ?? Amount(word) }
        // ASCII digits, thousands separators and points (the first a digit): width folding leaves
        // them as they are, so the group check and the reading below run on the word itself.
        if let f = word.utf8.first, f >= 0x30 && f <= 0x39,
           word.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2C }) {
            // Every group after the first (in the part before the first point) has three digits.
            var groupLength = 0
            var sawComma = false
            for b in word.utf8 {
                if b == 0x2E { break }
                if b == 0x2C {
                    if sawComma && groupLength != 3 { return nil }
                    sawComma = true
                    groupLength = 0
                } else {
                    groupLength += 1
                }
            }
            if sawComma && groupLength != 3 { return nil }
            return Amount(word)
        }
        // foldWidth maps the full-width comma (U+FF0C) to `,` already.
        let folded = Label.foldWidth(word)
        guard let first = folded.utf8.first, (first >= 0x30 && first <= 0x39) || first == 0x2D else { return nil }
        if folded == "-" { return nil }
        // Thousands separators must sit between digit groups of three (bytes: an amount is ASCII
        // once folded, so anything else fails `Amount` below anyway).
        if folded.has(",") {
            let intPart = folded.utf8.split(separator: 0x2E, maxSplits: 1).first ?? folded.utf8[...]
            let groups = intPart.split(separator: 0x2C, omittingEmptySubsequences: false)
            for (i, g) in groups.enumerated() where i > 0 && g.count != 3 { return nil }
        }
        return Amount(folded)
    }

    /// `Amount(word)` for the common printed form `digits` or `digits.digits` (at most 18 digits,
    /// at most `Amount.maxDecimals` decimals), read straight off the bytes; nil for anything else,
    /// which `Amount`'s own reader then takes.
    static func plainAmount(_ word: Substring) -> Amount? {
        FastText.scanUTF8(word) { plainAmount(bytes: $0) }
    }

    /// Is this word a classification code (`208`, `20801`, `2080109`, `01`, `[208]`)?
    static func codeText(_ word: Substring) -> String? {
        let w = Label.foldWidth(word)
        return FastText.scanUTF8(w) { buf -> String? in
            var a = 0
            var b = buf.count
            // [208] or 【208】 (a full-width ［ is `[` once folded).
            if b > 0, buf[0] == 0x5B || (b >= 3 && buf[0] == 0xE3 && buf[1] == 0x80 && buf[2] == 0x90) {
                a = buf[0] == 0x5B ? 1 : 3
                if buf[b - 1] == 0x5D { b -= 1 }
                else if b - a >= 3, buf[b - 3] == 0xE3, buf[b - 2] == 0x80, buf[b - 1] == 0x91 { b -= 3 }
                else { return nil }
            }
            let n = b - a
            guard n > 0, [2, 3, 5, 6, 7].contains(n) else { return nil }
            for i in a..<b where buf[i] < 0x30 || buf[i] > 0x39 { return nil }
            return a == 0 && b == buf.count ? w : String(decoding: UnsafeBufferPointer(rebasing: buf[a..<b]), as: UTF8.self)
        }
    }

    /// `codeText` of a token's whole text, the text itself where its bytes are ASCII digits (the
    /// common case, a number token such as `2080101`): width folding leaves those as they are, so
    /// the text is its own code when it has a code's length, and none otherwise; no copy of it
    /// folded. Anything else is read by `codeText`.
    static func codeText(ofToken text: String) -> String? {
        let digits = FastText.scanUTF8(text) { buf -> Bool in
            for b in buf where b < 0x30 || b > 0x39 { return false }
            return true
        }
        guard digits else { return codeText(Substring(text)) }
        switch text.utf8.count {
        case 2, 3, 5, 6, 7: return text
        default: return nil
        }
    }

    /// The code token a line's leading number token is, when text follows it (`textFollows`, or
    /// it stands alone) and it has a code's shape (`codeText`) without separator or decimals; nil
    /// when it stays a number.
    static func leadingCode(_ first: Token, textFollows: Bool) -> Token? {
        // (A code's folded bytes are digits alone, and folding keeps an ASCII `,` or `.` as it
        // is: a text with either has no code, so they need no search of their own.)
        guard first.kind == .number, textFollows, let code = codeText(ofToken: first.text) else { return nil }
        return Token(kind: .code, text: code, amount: nil, position: first.position)
    }

    /// Whether a line's leading integer (`tokens`' first, a number) is a function or economic code
    /// printed with the row's amounts and no label (the label centred above and below it): an
    /// integer of three, five or seven digits, then only amounts, every one printed with decimals
    /// (an integer among them is not an amount of theirs).
    static func codeBeforeAmounts(_ tokens: ArraySlice<Token>) -> Bool {
        guard let n = tokens.first?.text.utf8.count, n == 3 || n == 5 || n == 7 else { return false }
        return onlyAmountsWithDecimals(tokens.dropFirst())
    }

    /// Whether `tokens` are one or more amounts, every one printed with decimals.
    static func onlyAmountsWithDecimals(_ tokens: ArraySlice<Token>) -> Bool {
        guard !tokens.isEmpty else { return false }
        for t in tokens {
            guard t.kind == .number, let a = t.amount, a.decimals > 0 else { return false }
        }
        return true
    }

    /// Joins the split code a line starts with (see `appendTokens`): the tokens from `base` on
    /// are a three-digit integer, one or two two-digit integers and then text (or amounts printed
    /// with decimals, `codeBeforeAmounts`); they become one
    /// code token at the first one's position. Anything else is left as it is.
    static func mergeSplitCode(_ out: inout [Token], from base: Int) {
        guard base + 2 < out.count, out[base].kind == .number, out[base + 1].kind == .number else { return }
        func digits(_ t: Token, _ n: Int) -> String? {
            guard let code = codeText(ofToken: t.text), code.utf8.count == n, code == Label.foldWidth(t.text) else { return nil }
            return code
        }
        guard var code = digits(out[base], 3) else { return }
        var end = base + 1
        while end < out.count, end - base <= 2, out[end].kind == .number, let part = digits(out[end], 2) {
            code += part
            end += 1
        }
        // Then the label, or (the label centred above and below) the row's amounts.
        guard end > base + 1, end < out.count, out[end].kind == .text || onlyAmountsWithDecimals(out[end...]) else { return }
        out[base] = Token(kind: .code, text: code, amount: nil, position: out[base].position)
        out.removeSubrange((base + 1)..<end)
    }

    /// Dashes printed for blank cells (`-`, `—`, `－`, up to three in a word; several words of
    /// them in one text run) after the start of a line are zeros at the line's precision (the
    /// most decimals its amounts print; 2 without any), one per word: the cells after them keep
    /// their places, and the column search is not left to guess where the blanks were.
    static func markBlankCells(_ out: inout [Token], from base: Int) {
        guard out.count > base + 1 else { return }
        // Most lines have no dash word: a text token's first byte (and length) rules it out
        // before its scalars are read.
        func marks(_ t: Token) -> Int {
            guard t.kind == .text, let f = t.text.utf8.first, f == 0x2D || f == 0xE2 || f == 0xEF,
                  t.text.utf8.count <= 48 else { return 0 }
            return blankMarks(t.text)
        }
        var first = -1
        for i in (base + 1)..<out.count where marks(out[i]) > 0 { first = i; break }
        guard first >= 0 else { return }
        var counts: [Int] = []
        for i in (base + 1)..<out.count { counts.append(i < first ? 0 : marks(out[i])) }
        var decimals = -1
        for i in base..<out.count where out[i].kind == .number { decimals = max(decimals, out[i].amount?.decimals ?? 0) }
        let zero = Amount(mantissa: 0, decimals: decimals < 0 ? 2 : decimals)
        var rebuilt: [Token] = []
        rebuilt.reserveCapacity(out.count - base + 4)
        for (k, n) in counts.enumerated() {
            let t = out[base + 1 + k]
            if n == 0 {
                rebuilt.append(t)
                continue
            }
            for _ in 0..<n {
                rebuilt.append(Token(kind: .number, text: "-", amount: zero, position: t.position, ownCell: n == 1 && t.ownCell))
            }
        }
        out.removeSubrange((base + 1)..<out.count)
        out.append(contentsOf: rebuilt)
    }

    /// The number of blank-cell marks `text` is made of: words of one to three dashes (ASCII,
    /// full-width, en, em or horizontal-bar) separated by whitespace; 0 when it holds anything else.
    static func blankMarks(_ text: String) -> Int {
        var words = 0, run = 0
        for u in text.unicodeScalars {
            switch u.value {
            case 0x2D, 0x2010, 0x2012, 0x2013, 0x2014, 0x2015, 0xFF0D:
                run += 1
                if run > 3 { return 0 }
            case 0x20, 0x09, 0xA0, 0x3000:
                if run > 0 { words += 1 }
                run = 0
            default:
                return 0
            }
        }
        if run > 0 { words += 1 }
        return words
    }

    /// Splits a word such as `2,495.56一、本年支出` into its leading number and the rest (byte ranges).
    /// The number may be printed in full-width digits and marks (`２，４９５．５６`).
    static func splitGlued(_ buf: UnsafeBufferPointer<UInt8>, _ word: Range<Int>) -> (Range<Int>, Range<Int>?) {
        // The length of a number's character at `i`: an ASCII digit, `,` `.` `-` (1), their
        // full-width forms EF BC 90…99, 8C, 8E, 8D (3); 0 for anything else.
        @inline(__always) func numberByte(_ i: Int) -> Int {
            let b = buf[i]
            if b >= 0x30 && b <= 0x39 || b == 0x2C || b == 0x2E || b == 0x2D { return 1 }
            guard b == 0xEF, i + 2 < word.upperBound, buf[i + 1] == 0xBC else { return 0 }
            let c = buf[i + 2]
            return c >= 0x90 && c <= 0x99 || c == 0x8C || c == 0x8E || c == 0x8D ? 3 : 0
        }
        let f = buf[word.lowerBound]
        let fullWidthDigit = f == 0xEF && word.count >= 3 && buf[word.lowerBound + 1] == 0xBC
            && buf[word.lowerBound + 2] >= 0x90 && buf[word.lowerBound + 2] <= 0x99
        guard (f >= 0x30 && f <= 0x39) || f == 0x2D || fullWidthDigit else { return (word, nil) }
        var i = word.lowerBound
        while i < word.upperBound {
            let n = numberByte(i)
            if n == 0 { break }
            i += n
        }
        if i == word.upperBound { return (word, nil) }
        guard let (r, _) = FastText.decodeScalar(buf, at: i) else { return (word.lowerBound..<i, i..<word.upperBound) }
        switch r {
        case 0x5E74, 0x25, 0xFF05, 0x6708, 0x65E5, 0x4EBA, 0x4E07, 0x4E2A, 0x2F, 0xFF08, 0x28: // 年 % ％ 月 日 人 万 个 / （ (
            return (word, nil)
        default:
            return r < 0x80 ? (word, nil) : (word.lowerBound..<i, i..<word.upperBound)
        }
    }

    /// The non-empty cells of a line as byte ranges of `buf` (already trimmed) with their positions,
    /// exactly as `cells` reads them, when every cell's text is those bytes: no cell holds `<` or `*`
    /// or starts with `-` (so `stripDebris` leaves it alone), and on space-aligned lines every scalar
    /// is a Character of its own (`spaceCellsFast`'s condition; its re-spaced cells split into the
    /// same words). nil otherwise: `cells` then decides.
    static func cellRanges(_ buf: UnsafeBufferPointer<UInt8>) -> [(range: Range<Int>, position: Int)]? {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * (buf.count + 1)) { cells in
            guard let count = cellRanges(buf, into: cells), count >= 0 else { return nil }
            return (0..<count).map { (cells[3 * $0]..<cells[3 * $0 + 1], cells[3 * $0 + 2]) }
        }
    }

    /// `cellRanges` written into `cells` as (start, end, position) triples, without an array per
    /// line; returns how many cells (nil where `cellRanges` gives nil), or -1 when `cells` has no
    /// room for them all. 3 · (`buf.count` + 1) Ints are always room enough: a line has at most
    /// one tab field more than its bytes, and a space-aligned cell takes at least one byte.
    static func cellRanges(_ buf: UnsafeBufferPointer<UInt8>, into cells: UnsafeMutableBufferPointer<Int>) -> Int? {
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
            // Inside an open cell, right after another of its scalars, a run of scalars that are
            // Characters of their own and no spaces only moves the cell's end and the column (what
            // the general reading below does with each of them): ASCII bytes other than a space, a
            // tab or CR (one column each) and three-byte scalars led by E4…E9 (U+4000…U+9FFF:
            // ideographs, two columns each). Read in one tight loop: the digits of the amounts and
            // the ideographs of the labels are most of a table line's bytes.
            if cellStart >= 0 && spaces == 0 {
                var j = i
                var c = col
                while j < n {
                    let x = buf[j]
                    if x < 0x80 {
                        if x == 0x20 || x == 0x09 || x == 0x0D { break }
                        j += 1
                        c += 1
                    } else if x >= 0xE4 && x <= 0xE9 && j + 2 < n {
                        j += 3
                        c += 2
                    } else {
                        break
                    }
                }
                if j > i {
                    cellEnd = j
                    col = c
                    i = j
                    continue
                }
            }
            let b = buf[i]
            // `FastText.ownCharacter(buf, at: i)`, its two common cases (ASCII, a whole three-byte
            // scalar) decoded here: the call, made for every scalar, was not inlined.
            let v: UInt32
            let len: Int
            if b < 0x80 {
                if b == 0x0D { return nil }
                v = UInt32(b)
                len = 1
            } else if b >= 0xE0 && b < 0xF0 && i + 2 < n {
                v = (UInt32(b & 0x0F) << 12) | (UInt32(buf[i + 1] & 0x3F) << 6) | UInt32(buf[i + 2] & 0x3F)
                len = 3
                guard FastText.isOwnCharacter(v) else { return nil }
            } else {
                guard let (value, length) = FastText.ownCharacter(buf, at: i) else { return nil }
                v = value
                len = length
            }
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

    /// `amount` of a word printed with thousands separators (`1,414.81`, `12,345`): an ASCII
    /// digit first, then only digits, commas and at most one point, every comma before the point
    /// and each group after the first three digits long, at most 18 digits and
    /// `Amount.maxDecimals` decimals; read straight off the bytes. nil for anything else (then
    /// `amount` reads the word: nil here never decides a word is no amount). Such a word passes
    /// `amount`'s group check and `Amount`'s reader gives this mantissa and these decimals.
    static func groupedAmount(bytes buf: UnsafeBufferPointer<UInt8>) -> Amount? {
        guard let f = buf.first, f >= 0x30 && f <= 0x39 else { return nil }
        var mantissa: Int64 = 0
        var digits = 0
        var decimals = 0
        var point = false
        var group = 0
        var sawComma = false
        for b in buf {
            if b == 0x2C {
                if point || (sawComma && group != 3) { return nil }
                sawComma = true
                group = 0
                continue
            }
            if b == 0x2E {
                if point || (sawComma && group != 3) { return nil }
                point = true
                continue
            }
            guard b >= 0x30 && b <= 0x39 else { return nil }
            if digits == 18 { return nil }
            mantissa = mantissa * 10 + Int64(b - 0x30)
            digits += 1
            if point { decimals += 1 } else { group += 1 }
        }
        guard !point || decimals > 0, decimals <= Amount.maxDecimals else { return nil }
        if sawComma && !point && group != 3 { return nil }
        return Amount(mantissa: mantissa, decimals: decimals)
    }

    /// `plainAmount` on bytes.
    @inline(__always)
    static func plainAmount(bytes buf: UnsafeBufferPointer<UInt8>) -> Amount? {
        var mantissa: Int64 = 0
        var digits = 0
        var decimals = 0
        var point = false
        for b in buf {
            if b == 0x2E {
                if point || digits == 0 { return nil }
                point = true
                continue
            }
            guard b >= 0x30 && b <= 0x39 else { return nil }
            // More than 18 digits is refused below; stop before the 19th overflows Int64.
            if digits == 18 { return nil }
            mantissa = mantissa * 10 + Int64(b - 0x30)
            digits += 1
            if point { decimals += 1 }
        }
        guard digits > 0, digits <= 18, decimals <= Amount.maxDecimals, !point || decimals > 0 else { return nil }
        return Amount(mantissa: mantissa, decimals: decimals)
    }

    /// The tokens of one cell (its trimmed text's bytes), appended to `out`. `buf` is bytes
    /// `origin…` of `source`'s UTF-8 (a text token is made as a slice of `source`; `copyRuns`:
    /// every text run copied and decoded instead, the reading the slices must match).
    static func appendTokens(_ buf: UnsafeBufferPointer<UInt8>, source: String, origin: Int, position: Int,
                             into out: inout [Token], run: inout [UInt8], copyRuns: Bool = false) {
        run.removeAll(keepingCapacity: true)
        let firstToken = out.count
        // The reader takes the arrays over (each then has one owner, so appends stay in place)
        // and hands them back at the end.
        var reader = CellReader(buf: buf, source: source, origin: origin, position: position, out: out, run: run,
                                copyRuns: copyRuns)
        out = []
        run = []
        // Words between space scalars (`FastText.forEachWord`), each split into its glued number
        // and the rest.
        readWords(of: buf, in: 0..<buf.count, into: &reader)
        reader.flushText()
        out = reader.out
        run = reader.run
        reader.out = []
        reader.run = []
        // A number that is the whole of its cell: its position is its own column.
        if reader.pieces == 1, out.count == firstToken + 1, out[firstToken].kind == .number { out[firstToken].ownCell = true }
    }

    /// Hands `reader` the words of `buf[range]`: the runs between space scalars
    /// (`FastText.forEachWord`'s words), each as a byte range.
    @inline(__always)
    private static func readWords(of buf: UnsafeBufferPointer<UInt8>, in range: Range<Int>, into reader: inout CellReader) {
        var start = -1
        var i = range.lowerBound
        while i < range.upperBound {
            let n = FastText.spaceLength(buf, at: i)
            if n > 0 {
                if start >= 0 { reader.word(start..<i); start = -1 }
                i += n
            } else {
                if start < 0 { start = i }
                i += FastText.nonSpaceStep(buf, at: i)
                // The ASCII bytes after it other than a space or a tab (the digits of an amount):
                // `spaceLength` gives 0 for each and `nonSpaceStep` 1, stepped over here in a run.
                while i < range.upperBound, buf[i] > 0x20, buf[i] < 0x80 { i += 1 }
            }
        }
        if start >= 0 { reader.word(start..<range.upperBound) }
    }

    /// `appendTokens(_:source:origin:position:into:run:copyRuns:)` for each of a line's cells
    /// (`cellRanges`' first `count` triples in `cells`), read by one `CellReader` over the line's
    /// bytes `buf` (its String `source`) instead of one per cell: the reader and its arrays are set
    /// up and handed back once a line. A cell's words, pieces and text runs are byte ranges of the
    /// line here, the cell's own bytes there (`origin` the cell's start): the same bytes, so the
    /// same tokens. (Scans stop at the cell's end: a cell is trimmed, so a space scalar or the
    /// line's end follows it, and a space scalar is no ideograph for `nonSpaceStep` to step over.)
    static func appendTokens(ofCells cells: UnsafeBufferPointer<Int>, count: Int, in buf: UnsafeBufferPointer<UInt8>,
                             source: String, into out: inout [Token], run: inout [UInt8], copyRuns: Bool) {
        var reader = CellReader(buf: buf, source: source, origin: 0, position: 0, out: out, run: run, copyRuns: copyRuns)
        out = []
        run = []
        for c in 0..<count {
            let a = cells[3 * c]
            let b = cells[3 * c + 1]
            // (Most cells leave the run empty: cleared only where it holds bytes.)
            if !reader.run.isEmpty { reader.run.removeAll(keepingCapacity: true) }
            reader.position = cells[3 * c + 2]
            reader.pieces = 0
            let firstToken = reader.out.count
            readWords(of: buf, in: a..<b, into: &reader)
            reader.flushText()
            // A number that is the whole of its cell: its position is its own column.
            if reader.pieces == 1, reader.out.count == firstToken + 1, reader.out[firstToken].kind == .number {
                reader.out[firstToken].ownCell = true
            }
        }
        out = reader.out
        run = reader.run
        reader.out = []
        reader.run = []
    }

    /// `appendTokens`' state: a struct with mutating methods, so reading a word touches its arrays
    /// directly (no captured variables with an exclusivity check per access).
    private struct CellReader {
        let buf: UnsafeBufferPointer<UInt8>
        /// The String whose UTF-8 bytes `origin…` are `buf`.
        let source: String
        let origin: Int
        /// The cell's position (reset per cell where one reader reads a whole line).
        var position: Int
        var out: [Token]
        /// The text run being built (label words joined by one space): while its bytes are one
        /// span of `buf` (a single word, or words one ASCII space apart), only that span
        /// (`spanStart..<spanEnd`, none when `spanStart` < 0); else (`spilled`) copied into `run`.
        var run: [UInt8]
        var spanStart = -1
        var spanEnd = 0
        var spilled = false
        let copyRuns: Bool
        var pieces = 0

        init(buf: UnsafeBufferPointer<UInt8>, source: String, origin: Int, position: Int, out: [Token], run: [UInt8],
             copyRuns: Bool) {
            self.buf = buf
            self.source = source
            self.origin = origin
            self.position = position
            self.out = out
            self.run = run
            self.copyRuns = copyRuns
        }

        /// Ends the text run: a text token for it, where it holds text (`emitText`). Most calls
        /// come before an amount with no run open, answered here without a call.
        @inline(__always)
        mutating func flushText() {
            if spilled || spanStart >= 0 { emitText() }
        }

        mutating func emitText() {
            if spilled {
                out.append(Token(kind: .text, text: String(decoding: run, as: UTF8.self), amount: nil, position: position))
                run.removeAll(keepingCapacity: true)
                spilled = false
            } else if spanStart >= 0 {
                // A span of the source's bytes at scalar boundaries (words cut where the line's
                // scan found spaces): copied, not decoded again (`FastText.copy`).
                let text = FastText.copy(spanStart..<spanEnd, of: source, bytes: buf, origin: origin,
                                         isASCII: FastText.isASCII(UnsafeBufferPointer(rebasing: buf[spanStart..<spanEnd])))
                out.append(Token(kind: .text, text: text, amount: nil, position: position))
            }
            spanStart = -1
        }

        /// Adds the bytes `r` of `buf` to the text run, after one space when the run has text.
        mutating func appendText(_ r: Range<Int>) {
            guard !r.isEmpty else { return }
            if spilled {
                run.append(0x20)
                run.append(contentsOf: UnsafeBufferPointer(rebasing: buf[r]))
            } else if copyRuns {
                run.append(contentsOf: UnsafeBufferPointer(rebasing: buf[r]))
                spilled = true
            } else if spanStart < 0 {
                spanStart = r.lowerBound
                spanEnd = r.upperBound
            } else if r.lowerBound == spanEnd + 1 && buf[spanEnd] == 0x20 {
                // One ASCII space apart in the source: the joined run is the source's bytes.
                spanEnd = r.upperBound
            } else {
                run.removeAll(keepingCapacity: true)
                run.append(contentsOf: UnsafeBufferPointer(rebasing: buf[spanStart..<spanEnd]))
                run.append(0x20)
                run.append(contentsOf: UnsafeBufferPointer(rebasing: buf[r]))
                spilled = true
            }
        }

        mutating func word(_ r: Range<Int>) {
            let (first, rest) = LineTokens.splitGlued(buf, r)
            read(first)
            if let rest { read(rest) }
        }

        mutating func read(_ r: Range<Int>) {
            pieces += 1
            let piece = UnsafeBufferPointer(rebasing: buf[r])
            let b0 = piece[0]
            // An amount starts with a digit or a minus sign (ASCII or full-width: EF BC 90–99, EF BC 8D).
            let fullWidth = b0 == 0xEF && piece.count >= 3 && piece[1] == 0xBC && (piece[2] == 0x8D || (piece[2] >= 0x90 && piece[2] <= 0x99))
            if (b0 >= 0x30 && b0 <= 0x39) || b0 == 0x2D || fullWidth {
                // Plain digits (and a point) read straight off the bytes: `amount` gives the same.
                if b0 != 0x2D, !fullWidth,
                   let a = LineTokens.plainAmount(bytes: piece) ?? LineTokens.groupedAmount(bytes: piece) {
                    flushText()
                    // The amount readers take only ASCII digits, commas and points: the piece is
                    // ASCII bytes of the source, valid as they are (`FastText.copy`).
                    out.append(Token(kind: .number, text: FastText.copy(r, of: source, bytes: buf, origin: origin, isASCII: true),
                                     amount: a, position: position))
                    return
                }
                let w = String(decoding: piece, as: UTF8.self)
                if let a = LineTokens.amount(Substring(w)), !piece.contains(0x2F) {
                    flushText()
                    out.append(Token(kind: .number, text: w, amount: a, position: position))
                    return
                }
            }
            // [208]… ［208］… 【208】…: a bracketed code, and the text glued after it.
            if b0 == 0x5B || (b0 == 0xEF && piece.count >= 3 && piece[1] == 0xBC && piece[2] == 0xBB)
                || (b0 == 0xE3 && piece.count >= 3 && piece[1] == 0x80 && piece[2] == 0x90) {
                switch LineTokens.bracketedCode(piece) {
                case .code(let code, let end):
                    flushText()
                    out.append(Token(kind: .code, text: code, amount: nil, position: position))
                    // The text glued after the code.
                    appendText((r.lowerBound + end)..<r.upperBound)
                    return
                case .notCode:
                    appendText(r)
                    return
                case .undecided:
                    break
                }
                let w = Substring(String(decoding: piece, as: UTF8.self))
                if let close = w.unicodeScalars.firstIndex(where: { $0 == "]" || $0 == "］" || $0 == "】" }),
                   let code = LineTokens.codeText(w[...close]) {
                    flushText()
                    out.append(Token(kind: .code, text: code, amount: nil, position: position))
                    // The text glued after the code: `w`'s bytes are the piece's.
                    let after = w.utf8.distance(from: w.startIndex, to: w.unicodeScalars.index(after: close))
                    appendText((r.lowerBound + after)..<r.upperBound)
                    return
                }
            }
            appendText(r)
        }
    }

    /// What `CellReader.read` finds in a piece that opens with a bracket, read on its bytes.
    enum BracketedCode: Equatable {
        /// A code (`codeText` of the piece up to its first closing bracket), and the byte where
        /// the text glued after it starts.
        case code(String, end: Int)
        /// No closing bracket, or no code before it: the piece is label text.
        case notCode
        /// Left to the String reading (see `bracketedCode`).
        case undecided
    }

    /// The first closing bracket of `piece` (], ］ EF BC BD, 】 E3 80 91; each matched at a lead
    /// byte only) and `codeText` of the bytes up to it, when the Character that bracket is in ends
    /// with it (what the String reading's `w[...close]` takes): at the piece's end, or before a
    /// scalar that is a Character of its own (`FastText.ownCharacter`). Anything else (a combining
    /// mark after the bracket, say) is `undecided`.
    static func bracketedCode(_ piece: UnsafeBufferPointer<UInt8>) -> BracketedCode {
        var close = -1
        var closeLength = 0
        var k = 0
        while k < piece.count {
            let x = piece[k]
            if x == 0x5D { close = k; closeLength = 1; break }
            if k + 2 < piece.count, (x == 0xEF && piece[k + 1] == 0xBC && piece[k + 2] == 0xBD)
                || (x == 0xE3 && piece[k + 1] == 0x80 && piece[k + 2] == 0x91) { close = k; closeLength = 3; break }
            k += 1
        }
        guard close >= 0 else { return .notCode }
        let end = close + closeLength
        guard end == piece.count || FastText.ownCharacter(piece, at: end) != nil else { return .undecided }
        let bracketed = String(decoding: UnsafeBufferPointer(rebasing: piece[0..<end]), as: UTF8.self)
        guard let code = codeText(Substring(bracketed)) else { return .notCode }
        return .code(code, end: end)
    }

    /// True when every token of `raw` (`tokens(raw)`) is label text, told from its bytes alone:
    /// it holds no ASCII digit, no `-`, no full-width digit or minus (EF BC 90–99, 8D) and no dash
    /// that marks a blank cell (U+2010, U+2012–2015: E2 80 90, 92–95). A number token starts with
    /// a digit, a minus or a full-width one (`CellReader.read`, `splitGlued`); a code holds digits
    /// (`codeText`, width folded); a blank cell is a word of those dashes (`blankMarks`); and the
    /// passes after the split (dates, split codes, leading codes) only rework numbers. (E2 and EF
    /// only lead scalars: a match of their bytes is the scalar.)
    static func readsAsText(_ raw: String) -> Bool {
        FastText.scanUTF8(raw) { buf in
            var i = 0
            let n = buf.count
            while i < n {
                let b = buf[i]
                if b < 0x80 {
                    if (b >= 0x30 && b <= 0x39) || b == 0x2D { return false }
                    i += 1
                    continue
                }
                if b == 0xE2, i + 2 < n, buf[i + 1] == 0x80 {
                    let c = buf[i + 2]
                    if c == 0x90 || (c >= 0x92 && c <= 0x95) { return false }
                } else if b == 0xEF, i + 2 < n, buf[i + 1] == 0xBC {
                    let c = buf[i + 2]
                    if c == 0x8D || (c >= 0x90 && c <= 0x99) { return false }
                }
                i += FastText.scalarLength(lead: b)
            }
            return true
        }
    }

    /// Tokens of one line. `codeFirst`: a leading all-digit word is a code when text follows it
    /// or when it stands alone on the line.
    /// `viaCells`: read every cell through `cells` (the reference the byte-range reading must match;
    /// tests compare the two). `copyRuns`: text tokens copied and decoded, not sliced (`appendTokens`).
    static func tokens(_ raw: String, viaCells: Bool = false, copyRuns: Bool = false) -> [Token] {
        var out: [Token] = []
        appendTokens(of: raw, into: &out, viaCells: viaCells, copyRuns: copyRuns)
        return out
    }

    /// `tokens(raw)` appended to `out` (the tokens before are left alone): a table's lines share
    /// one array of tokens (`TableReader.TokenCache`) instead of an array per line.
    static func appendTokens(of raw: String, into out: inout [Token], viaCells: Bool = false, copyRuns: Bool = false) {
        let base = out.count
        // One byte buffer for every text run of the line (a text token copies it out).
        var run: [UInt8] = []
        // Common case: the cells are byte ranges of the line itself (no debris to strip, every
        // scalar a Character of its own), read without making a String per cell.
        let direct = !viaCells && FastText.scanUTF8(raw) { buf -> Bool in
            // The cells' (start, end, position) in a temporary buffer (no array per line). nil:
            // the buffer had no room for every cell (nothing was appended then). (The arrays it
            // appends to are its arguments: a nested function capturing them, passed on as a
            // value, had every access to them checked at run time.)
            func read(_ cells: UnsafeMutableBufferPointer<Int>, _ out: inout [Token], _ run: inout [UInt8]) -> Bool? {
                guard let count = cellRanges(buf, into: cells) else { return false }
                guard count >= 0 else { return nil }
                // A cell often holds more than one token (a code and its label, glued numbers).
                // A shared array grows geometrically (reserving the exact size per line would
                // copy it every line).
                let needed = base + 2 * count
                if out.capacity < needed { out.reserveCapacity(base == 0 ? needed : max(needed, 2 * out.capacity)) }
                appendTokens(ofCells: UnsafeBufferPointer(cells), count: count, in: buf, source: raw, into: &out, run: &run,
                             copyRuns: copyRuns)
                return true
            }
            // Room for 32 cells first: on the stack (a buffer for every byte of a long line would
            // be allocated on the heap); a line with more cells is read again with room for all.
            let full = 3 * (buf.count + 1)
            if let done = withUnsafeTemporaryAllocation(of: Int.self, capacity: min(full, 3 * 32), { read($0, &out, &run) }) {
                return done
            }
            return withUnsafeTemporaryAllocation(of: Int.self, capacity: full, { read($0, &out, &run) }) ?? false
        }
        if !direct {
            for cell in cells(raw) where !cell.text.isEmpty {
                FastText.scanUTF8(cell.text) {
                    appendTokens($0, source: cell.text, origin: 0, position: cell.position, into: &out, run: &run,
                                 copyRuns: copyRuns)
                }
            }
        }
        // An integer followed by 年/月/日, or a number followed by %, is a date or a ratio, not an
        // amount; in its own cell (`10.00` then a tab then 年末结转和结余) the number is an amount.
        var i = base
        while i < out.count {
            if out[i].kind == .number, i + 1 < out.count, out[i + 1].kind == .text,
               let f = FastText.scanUTF8(out[i + 1].text, { $0.isEmpty ? nil : FastText.decodeScalar($0, at: 0)?.0 }),
               ((f == 0x5E74 || f == 0x6708 || f == 0x65E5) && !FastText.hasByte(out[i].text, 0x2E)) || f == 0x25 || f == 0xFF05,
               !(FastText.hasByte(raw, 0x09) && out[i].position != out[i + 1].position) {
                out[i + 1].text = out[i].text + out[i + 1].text
                out.remove(at: i)
                continue
            }
            i += 1
        }
        // A code printed in split 类/款/项 columns (`208 01 09 社会保险经办机构`, `301 01 基本工资`):
        // a leading three-digit integer and one or two two-digit integers, then the label, are
        // one code (2080109, 30101). Amounts follow the label, never precede it.
        mergeSplitCode(&out, from: base)
        // A leading integer followed by text is a code, not an amount.
        if base < out.count, out[base].kind == .number,
           let code = leadingCode(out[base], textFollows: out.count == base + 1 || out[base + 1].kind == .text
                                  || codeBeforeAmounts(out[base...])) {
            out[base] = code
        }
        markBlankCells(&out, from: base)
    }
}
