import GoujiModel

/// Recognises a table title and its kind by meaningful words, never by an exact string.
enum TableKindClassifier {
    /// The title as it should be reported: prefixes such as `表3`, `附件2-7:`, `一、`, a leading
    /// year (`2024 年度`) and debris removed; internal spaces removed.
    static func cleanTitle(_ text: String) -> String {
        var t = LineTokens.stripDebris(text)
        t = FastText.removingSpaces(t)
        // 附件2-7: / 附表3 / 表3 prefixes
        for prefix in numberedPrefixes {
            if t.begins(with: prefix) {
                var rest = Substring(t.dropFirst(prefix.count))
                var n = 0
                while let f = rest.first, (f.isASCII && f.isNumber) || f == "-" || f == "—" || f == "." { rest = rest.dropFirst(); n += 1 }
                if n > 0 {
                    while let f = rest.first, f == ":" || f == "：" || f == "、" || f == "." { rest = rest.dropFirst() }
                    t = String(rest)
                }
            }
        }
        // Each step gives the text itself or a proper part of it (shorter): an unchanged length is
        // the fixed point, without comparing the bytes.
        while true {
            let length = t.utf8.count
            t = Label.stripEnumerator(t)
            if t.utf8.count == length { return t }
        }
    }

    /// Prefixes that number a table (`cleanTitle`): one array for every title, not one per title.
    private static let numberedPrefixes = ["附件", "附表", "表"]

    /// Strips a leading year (`2024年度`, `2024年`) and unit-ish prefixes for matching only.
    static func core(_ title: String) -> String {
        // Only a first Character that is an ASCII or full-width digit, `,`, `，` or a space starts a
        // year to strip, and each of those begins with that very scalar (none has another
        // canonically equivalent spelling; a Character between "０" and "９" starts with U+FF10…U+FF19).
        // Any other first scalar: the title is its own core (most titles start with an ideograph),
        // without comparing Characters. (An empty title is its own core too.)
        if !FastText.scanUTF8(title, mayStartYear) { return title }
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

    /// True when the first scalar of `b` (a title's UTF-8) is one `core` may strip: an ASCII or
    /// full-width digit, `,`, `，` or a space. Read on the bytes: the scalar view's `first` costs a
    /// hundred instructions.
    static func mayStartYear(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let b0 = b.first else { return false }
        if b0 < 0x80 { return b0 == 0x20 || b0 == 0x2C || (b0 >= 0x30 && b0 <= 0x39) }
        // ， (EF BC 8C) and ０…９ (EF BC 90…99).
        return b0 == 0xEF && b.count >= 3 && b[1] == 0xBC && (b[2] == 0x8C || (b[2] >= 0x90 && b[2] <= 0x99))
    }

    /// Is this line shaped like a table title (short, no sentence punctuation, ends with 表 or
    /// 表（…）)? Returns the cleaned title.
    static func titleCandidate(_ text: String) -> String? {
        // Cleaning removes no mark that `hasTitlePunctuation` looks for, but for the insides of
        // HTML tags (`<`): without one, a marked text gives a marked title, so it is refused
        // without cleaning it (prose lines that mention a 表).
        if hasTitlePunctuation(text) && !FastText.hasByte(text, 0x3C) { return nil }
        let t = cleanTitle(withoutTrailingUnit(text))
        let length = FastText.characterCount(t)
        guard length >= 3, length <= 48 else { return nil }
        if hasTitlePunctuation(t) { return nil }
        if TableReader.allOwnCharacters(t) { return endsWithTableWord(t) ? t : nil }
        var body = Substring(t)
        // Up to two bracketed parts after 表: （按功能分类科目）, then a continuation mark （续）.
        for _ in 0..<2 {
            guard let last = body.last, last == "）" || last == ")" else { break }
            guard let open = body.lastIndex(where: { $0 == "（" || $0 == "(" }) else { return nil }
            body = body[..<open]
        }
        guard body.ends(with: "表") else { return nil }
        return t
    }

    /// `titleCandidate`'s last test read on the bytes, for a title whose scalars are its Characters
    /// (`TableReader.allOwnCharacters`; each bracket is then the scalar itself, no other spelling
    /// being canonically equivalent to it): up to two bracketed parts cut from the end (a last
    /// `)`/`）` back to the last `(`/`（` before it; none there refuses the title), then 表 at the end.
    static func endsWithTableWord(_ t: String) -> Bool {
        FastText.scanUTF8(t) { buf in
            var end = buf.count
            for _ in 0..<2 {
                // ) or ） (EF BC 89) last.
                guard end > 0, buf[end - 1] == 0x29 || (end >= 3 && buf[end - 3] == 0xEF && buf[end - 2] == 0xBC && buf[end - 1] == 0x89)
                else { break }
                // The last ( or （ (EF BC 88, found by its last byte: EF only leads a scalar).
                var k = end - 1
                var open = -1
                while k >= 0 {
                    if buf[k] == 0x28 { open = k; break }
                    if buf[k] == 0x88 && k >= 2 && buf[k - 2] == 0xEF && buf[k - 1] == 0xBC { open = k - 2; break }
                    k -= 1
                }
                guard open >= 0 else { return false }
                end = open
            }
            // 表 (E8 A1 A8).
            return end >= 3 && buf[end - 3] == 0xE8 && buf[end - 2] == 0xA1 && buf[end - 1] == 0xA8
        }
    }

    /// A title printed with the table's unit on its line (`收支预算总表      单位：万元`): the text
    /// before the unit part, which starts after a space with 单位：, 金额单位, （单位, 编制单位 or
    /// 填报单位. Any other text is returned as it is.
    static func withoutTrailingUnit(_ text: String) -> String {
        guard FastText.mayHaveWhitespace(text), text.has("单位") else { return text }
        for mark in unitParts {
            if let r = text.byteRange(of: mark) { return SourceText.trim(text[..<r.lowerBound]) }
        }
        return text
    }

    /// The starts of a unit part after a title (`withoutTrailingUnit`), each after a space.
    private static let unitParts: [String] = [" ", "\t", "\u{3000}"].flatMap { space in
        ["单位：", "单位:", "金额单位", "（单位", "(单位", "编制单位", "填报单位"].map { space + $0 }
    }

    /// True when `s` holds one of 。 ， ； , ; ？ ！ … 《 》 (no title prints them): one pass over the
    /// bytes instead of a search per mark (UTF-8 is self-synchronising, so a byte match at a lead
    /// byte is a character match, as with `has`).
    static func hasTitlePunctuation(_ s: String) -> Bool {
        FastText.scanUTF8(s) { buf in
            var i = 0
            let n = buf.count
            while i < n {
                let b = buf[i]
                // An ideograph (lead byte E4–E9: none of the marks) is stepped over at once; a title
                // is mostly ideographs.
                if b &- 0xE4 < 6 { i &+= 3; continue }
                if b == 0x2C || b == 0x3B { return true } // , ;
                if b >= 0xE2, i + 2 < n {
                    let b1 = buf[i + 1]
                    let b2 = buf[i + 2]
                    if b == 0xE3 && b1 == 0x80 && (b2 == 0x82 || b2 == 0x8A || b2 == 0x8B) { return true } // 。 《 》
                    if b == 0xEF && b1 == 0xBC && (b2 == 0x8C || b2 == 0x9B || b2 == 0x9F || b2 == 0x81) { return true } // ， ； ？ ！
                    if b == 0xE2 && b1 == 0x80 && b2 == 0xA6 { return true } // …
                }
                // Scalar by scalar: `,` `;` and the lead bytes E2, E3, EF only start scalars.
                i += FastText.scalarLength(lead: b)
            }
            return false
        }
    }

    /// The kind a title names; nil when the words name no table we know (a part title such as
    /// `2024 年部门预算表`).
    static func kind(ofTitle title: String) -> TableKind? {
        // Every word `kind(ofWords:)` looks for is ideographs only. Folding the title's width and
        // brackets (full-width forms to ASCII, then ASCII brackets to full-width ones) maps a
        // character to one character, never to or from an ideograph, so it changes no match: the
        // words are searched in the core as it is (a test holds this to the folded reading).
        kind(ofWords: core(title))
    }

    /// The kind the words of a title's core name. Budgets and final accounts (决算) name the
    /// same tables in different words: 收支总表 / 收入支出决算总表, 收入总表 / 收入决算表,
    /// 支出总表 / 支出决算表, 财政拨款收支总表 / 财政拨款收入支出决算总表.
    static func kind(ofWords t: String) -> TableKind? {
        FastText.scanUTF8(t) { title in kind(ofWords: t, bytes: title, mask: ScalarMask.of(title)) }
    }

    /// `kind(ofWords:)` of `t`, whose UTF-8 is `title` and scalar mask `mask`: a word whose mask is
    /// not within the title's cannot occur in it and is not searched for (most of the twenty words
    /// are in no given title; the mask of a title is one pass, each search a call and a memchr).
    private static func kind(ofWords t: String, bytes title: UnsafeBufferPointer<UInt8>, mask: UInt64) -> TableKind? {
        func has(_ w: StaticString) -> Bool {
            w.withUTF8Buffer { word in
                let m = ScalarMask.of(word)
                return mask & m == m && ByteSearch.first(word, in: title, from: 0) != nil
            }
        }
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
        // Many regions title the summaries without 总: 部门收支预算表, 部门支出预算表, 部门预算支出表,
        // 收支情况表. An 支出 title so worded is the expenditure table unless it names a part of
        // the spending (基本支出, 项目支出: read above), its 财政拨款 share or procurement.
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

    /// The mask bits of 《 and 》 (`tocTitle`).
    static let bookTitleMarks = ScalarMask.of("《》")

    /// Table-of-contents line: 《…》 titles or a trailing page number (`…表\t7`, `…表……7`).
    static func tocTitle(_ line: SourceLine) -> String? {
        var t = LineTokens.stripDebris(line.text)
        // (Cleaning only drops scalars, so a mark in `t` is in the line: its mask tells first.)
        if line.mayContain(bookTitleMarks), let open = t.byteRange(of: "《"), let close = t.byteRange(of: "》"),
           open.lowerBound < close.lowerBound {
            let inner = String(t[open.upperBound..<close.lowerBound])
            return titleCandidate(inner)
        }
        // trailing page number (read on scalars: digits and leaders are Characters of their own)
        t = SourceText.trim(t)
        let u = t.unicodeScalars
        var end = u.endIndex
        var digits = 0
        while end > u.startIndex, NarrText.isDigitU(u[u.index(before: end)]) { end = u.index(before: end); digits += 1 }
        guard digits > 0, digits <= 3, end > u.startIndex else { return nil }
        var headEnd = end
        var leaders = 0
        while headEnd > u.startIndex {
            let l = u[u.index(before: headEnd)]
            guard SourceText.isSpaceScalar(l) || l == "." || l == "…" || l == "·" || l == "-" else { break }
            headEnd = u.index(before: headEnd)
            leaders += 1
        }
        guard leaders > 0 else { return nil }
        return titleCandidate(String(t[..<headEnd]))
    }
}
