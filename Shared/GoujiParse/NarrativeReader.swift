import GoujiModel

/// Facts stated in the narrative (MODEL.md "Facts").
///
/// The narrative part (第三部分 …情况说明, or the whole prose when there is no such part) is read
/// paragraph by paragraph: wrapped lines are joined to read a sentence, but each amount keeps the
/// line it is printed on. Every amount in 万元 gets its key from the words printed just before it
/// (its label), or, where the label names nothing, from the heading it sits under. A number after
/// 增加/减少/增长/下降 is the change (or, with %, the percentage) of the amount before it; a % after
/// 占 is its share.
public enum NarrativeReader {
    /// `prose`: the document's non-table lines, in order, with their source numbers.
    /// `projects`: the document's projects, so that a "…项目情况说明" heading is keyed by the
    /// project's own name. `tables`: the document's tables, whose coded rows name function items.
    /// `finalAccounts`: the document is a 决算, whose narrative states the year's budget beside its
    /// outturn (支出预算为 12.00 万元，支出决算为 10.50 万元): the budget figures are no facts.
    public static func facts(in prose: [SourceLine], projects: [Project] = [], tables: [Table] = [],
                             finalAccounts: Bool = false) -> [Fact] {
        let region = NarrRegion.find(prose)
        var reader = NarrScanner(projects: projects, tables: tables)
        reader.finalAccounts = finalAccounts
        reader.read(region)
        return reader.facts
    }
}

/// Locates the narrative part among the prose lines.
enum NarrRegion {
    static func find(_ lines: [SourceLine]) -> ArraySlice<SourceLine> {
        // (Room for every line at once; each line's fields read in place, no copy of the line.)
        var nonblank: [Int] = []
        nonblank.reserveCapacity(lines.count)
        for idx in lines.indices where !lines[idx].text.isEmpty { nonblank.append(idx) }
        var start: Int?
        for (n, idx) in nonblank.enumerated() {
            guard lines[idx].mask & Words.bufen == Words.bufen, NarrText.has(lines[idx].text, "部分") else { continue }
            let t = NarrText.stripDebris(lines[idx].text)
            guard isPartTitle(t) else { continue }
            var probe = t
            for k in nonblank[(n + 1)..<min(nonblank.count, n + 3)] { probe += lines[k].text }
            guard NarrText.has(probe, "说明") && !NarrText.has(probe, "名词解释") else { continue }
            // The table of contents prints the same title; the body's is followed by amounts.
            let ahead = nonblank[(n + 1)..<min(nonblank.count, n + 16)]
            if ahead.contains(where: { NarrText.has(lines[$0].text, "万元") || NarrText.has(lines[$0].text, "元，") }) { start = idx }
        }
        guard let s = start else { return lines[...] }
        var end = lines.count
        for idx in (s + 1)..<lines.count where !lines[idx].text.isEmpty {
            let m = lines[idx].mask
            guard (m & Words.bufen == Words.bufen && NarrText.has(lines[idx].text, "部分"))
                    || (m & Words.mingcijieshi == Words.mingcijieshi && NarrText.has(lines[idx].text, "名词解释")) else { continue }
            let t = NarrText.stripDebris(lines[idx].text)
            if isPartTitle(t) || (FastText.characterCount(t) <= 12 && NarrText.has(t, "名词解释")) { end = idx; break }
        }
        return lines[s..<end]
    }

    /// 第 first, and 部分 within the first six scalars (read in place, no array of them).
    static func isPartTitle(_ t: String) -> Bool {
        var n = 0
        var prev: Unicode.Scalar = " "
        for u in t.unicodeScalars {
            if n == 0 {
                guard u == "第" else { return false }
            } else if prev == "部" && u == "分" {
                return true
            }
            prev = u
            n += 1
            if n == 6 { break }
        }
        return false
    }
}

/// Heading levels: 第三部分 (0), 一、(1), （一）(2), 1. / 1、(3), 1) / ⑴ (4).
enum NarrHeading {
    static let numerals: Set<Character> = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
    static let circled: Set<Character> = ["⑴", "⑵", "⑶", "⑷", "⑸", "⑹", "⑺", "⑻", "⑼", "⑽", "①", "②", "③", "④", "⑤", "⑥", "⑦", "⑧", "⑨", "⑩"]

    static func level(_ t: String) -> Int? {
        // Most lines start with a word: only these first scalars can begin a heading.
        guard let f = Scalars.first(t), NarrHeading.mayStart(f) else { return nil }
        if f == "第" { return NarrRegion.isPartTitle(t) ? 0 : nil }
        // The first eight scalars, on the stack, decoded off the UTF-8 (the scalar view's iterator
        // cost more than the reading of them).
        return withUnsafeTemporaryAllocation(of: Unicode.Scalar.self, capacity: 8) { buf in
            var n = 0
            FastText.scanUTF8(t) { bytes in
                var i = 0
                while i < bytes.count && n < 8 {
                    let b = bytes[i]
                    buf.initializeElement(at: n, to: Unicode.Scalar(MetaScan.scalar(at: i, in: bytes)) ?? "\u{FFFD}")
                    n += 1
                    i += b < 0x80 ? 1 : (b < 0xE0 ? 2 : (b < 0xF0 ? 3 : 4))
                }
            }
            return level(f, UnsafeBufferPointer(rebasing: buf[..<n]))
        }
    }

    /// The level read from the first scalars `c` (`f` is `c[0]`).
    private static func level(_ f: Unicode.Scalar, _ c: UnsafeBufferPointer<Unicode.Scalar>) -> Int? {
        if isCircled(f) { return 4 }
        if isNumeral(f) {
            var i = 0
            while i < c.count, isNumeral(c[i]) { i += 1 }
            return i < c.count && c[i] == "、" ? 1 : nil
        }
        if f == "（" || f == "(" {
            var i = 1
            while i < c.count, c[i] == " " { i += 1 }
            if i < c.count, isNumeral(c[i]) {
                while i < c.count, isNumeral(c[i]) { i += 1 }
                while i < c.count, c[i] == " " { i += 1 }
                return i < c.count && (c[i] == "）" || c[i] == ")") ? 2 : nil
            }
            if i < c.count, NarrText.isDigitU(c[i]) {
                while i < c.count, NarrText.isDigitU(c[i]) { i += 1 }
                return i < c.count && (c[i] == "）" || c[i] == ")") ? 4 : nil
            }
            return nil
        }
        if NarrText.isDigitU(f) {
            var i = 0
            while i < c.count, NarrText.isDigitU(c[i]) { i += 1 }
            guard i <= 2, i < c.count else { return nil }
            let next: Unicode.Scalar? = i + 1 < c.count ? c[i + 1] : nil
            if c[i] == "、" { return 3 }
            if c[i] == "." || c[i] == "．" {
                if let n = next, NarrText.isDigitU(n) { return nil }
                return 3
            }
            if c[i] == ")" || c[i] == "）" { return 4 }
        }
        return nil
    }

    /// A Chinese numeral 一 … 十.
    @inline(__always) static func isNumeral(_ u: Unicode.Scalar) -> Bool {
        switch u {
        case "一", "二", "三", "四", "五", "六", "七", "八", "九", "十": return true
        default: return false
        }
    }
    /// A circled or bracketed number ⑴ … ⑽, ① … ⑩.
    @inline(__always) static func isCircled(_ u: Unicode.Scalar) -> Bool {
        switch u {
        case "⑴", "⑵", "⑶", "⑷", "⑸", "⑹", "⑺", "⑻", "⑼", "⑽", "①", "②", "③", "④", "⑤", "⑥", "⑦", "⑧", "⑨", "⑩": return true
        default: return false
        }
    }

    /// The first scalars `level` reads a heading from: 第, a circled number, a numeral, a bracket, a digit.
    @inline(__always) static func mayStart(_ f: Unicode.Scalar) -> Bool {
        switch f {
        case "第", "（", "(", "0"..."9", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
             "⑴", "⑵", "⑶", "⑷", "⑸", "⑹", "⑺", "⑻", "⑼", "⑽", "①", "②", "③", "④", "⑤", "⑥", "⑦", "⑧", "⑨", "⑩":
            return true
        default: return false
        }
    }

    /// The heading's words: enumerator removed (`3、12333公益性岗位项目` keeps its number).
    static func words(_ t: String) -> String {
        var s = t
        if NarrRegion.isPartTitle(s), let r = s.byteRange(of: "部分") { s = String(s[r.upperBound...]) }
        // `3、…`: one or two digits and 、 (scalars: the digits and 、 are Characters of their own).
        let u = s.unicodeScalars
        var at = u.startIndex
        var digits = 0
        while digits < 2, at < u.endIndex, NarrText.isDigitU(u[at]) { at = u.index(after: at); digits += 1 }
        if digits > 0, at < u.endIndex, u[at] == "、" { return SourceText.trim(s[u.index(after: at)...]) }
        let stripped = Label.stripEnumerator(s)
        return SourceText.trim(stripped)
    }
}

struct NarrScanner {
    let projects: [Project]
    let tableIndex: NarrTableIndex
    var facts: [Fact] = []
    /// A 决算's narrative: amounts labelled as the budget (`budgetLabelEndings`) are comparisons.
    var finalAccounts = false

    // Heading context, by level 0...3.
    var headings: [String?] = [nil, nil, nil, nil]
    /// Per heading, read once when it is entered: whether it is about performance targets
    /// (绩效目标), and the key its words give (`NarrKeys.sectionKey`).
    var headingIsTargets: [Bool] = [false, false, false, false]
    var headingKeys: [String?] = [nil, nil, nil, nil]
    var headingProject: [String?] = [nil, nil, nil, nil]
    /// A heading that introduces project descriptions (九、项目情况说明): its sub-headings name projects.
    var projectSection: [Bool] = [false, false, false, false]

    // Attachment state.
    var lastByDepth: [Int: Int] = [:]
    /// The income total that took the last change too (`attach(change:both:)`), for its percentage.
    var pairedSide: Int?
    var part: String?
    var expectProjectsTotal = false
    /// A project list printed in the narrative: its column header (项目 预算数（单位：万元）) was seen.
    var listHeaderSeen = false
    /// The currency unit that list's header names (`预算数（单位：万元）`), if any.
    var listUnit: String?
    /// In a project list sentence, after its total or a first project: the next amounts are projects.
    var listChain = false
    /// Inside "按支出功能科目划分：…": an unknown item name is keyed `func.<name>`.
    var functionMode = false
    /// Room for a paragraph's scalars and line starts (`scan`), kept between paragraphs.
    var scalarBuffer: [Unicode.Scalar] = []
    var spanBuffer: [(start: Int, line: Int)] = []

    init(projects: [Project], tables: [Table]) {
        self.projects = projects
        var named: [(key: String, code: String)] = []
        var inert = true
        for t in tables where [.generalFunction, .expenditure, .fiscalSummary, .govFund, .stateCapital].contains(t.kind) {
            for r in t.rows {
                // (`characterCount`: `count` without grapheme breaking where it is not needed.)
                guard let code = r.code, NarrScanner.startsWithTwo(code), [3, 5, 7].contains(FastText.characterCount(code)) else { continue }
                let k = NarrativeClassification.key(Label.normalized(r.label))
                guard Scalars.hasTwoCharacters(k) else { continue }
                named.append((k, code))
                if inert && !NFCInert.check(k) { inert = false }
            }
        }
        self.tableIndex = NarrTableIndex(named: named, inert: inert)
    }

    /// `code.first == "2"`, read on the bytes where they decide it: a first scalar other than 2
    /// starts no Character equal to "2" (no other text is canonically equivalent to it), and a 2
    /// alone, or followed by a scalar that is a Character of its own (`FastText.isOwnCharacter`),
    /// is that Character. (Building the first Character cost more than the rest of the test.)
    static func startsWithTwo(_ code: String) -> Bool {
        let fast = FastText.scanUTF8(code) { b -> Bool? in
            guard let f = b.first, f == 0x32 else { return false }
            if b.count == 1 { return true }
            guard let (v1, _) = FastText.decodeScalar(b, at: 1), FastText.isOwnCharacter(v1) else { return nil }
            return true
        }
        return fast ?? (code.first == "2")
    }

    /// (name, `func.` + code) for every name the tables print, in name order. A name printed at two
    /// levels (20899/2089999 其他社会保障和就业支出): the narrative names the deepest item (the first
    /// printed among equally deep ones). Names are compared as Strings; when every name is
    /// `NFCInert` that is a comparison of bytes, which needs no hashing through normalisation.
    static func deepestCodes(_ named: [(key: String, code: String)], inert: Bool) -> [(String, String)] {
        guard inert else {
            var codes: [String: String] = [:]
            for (k, code) in named where codes[k].map({ $0.count < code.count }) ?? true { codes[k] = code }
            return NarrativeClassification.sortedPairs(codes, prefix: "func.")
        }
        var codes: [ByteKey: String] = [:]
        codes.reserveCapacity(named.count)
        for (k, code) in named {
            let key = ByteKey(text: k)
            if codes[key].map({ FastText.characterCount($0) < FastText.characterCount(code) }) ?? true { codes[key] = code }
        }
        return codes.sorted { Scalars.bytesPrecede($0.key.text, $1.key.text) }
            .map { ($0.key.text, "func." + $0.value) }
    }

    // MARK: Context

    var projectName: String? {
        for l in stride(from: 3, through: 0, by: -1) { if let p = headingProject[l] { return p } }
        return nil
    }

    /// Under a heading about performance targets (七、预算绩效目标情况, （九）绩效目标设置情况): the
    /// deepest heading decides, so a later （一）机关运行经费 ends the list even when the 八、 heading
    /// between them was lost.
    var inProjectList: Bool {
        for l in stride(from: 3, through: 0, by: -1) {
            if headingProject[l] != nil { return false }
            if headings[l] != nil { return headingIsTargets[l] }
        }
        return false
    }

    var sectionKey: String? {
        for l in stride(from: 3, through: 1, by: -1) {
            if headings[l] != nil, let k = headingKeys[l] { return k }
        }
        return nil
    }

    mutating func enterHeading(_ text: String, level: Int) {
        guard level <= 3 else { return }
        let words = NarrHeading.words(NarrText.foldDigits(text))
        headings[level] = words
        let masked = MaskedText(words)
        headingIsTargets[level] = masked.has(NarrWords.jixiaomubiao)
        headingKeys[level] = NarrKeys.sectionKey(masked)
        var proj: String?
        let parentIsProject = (0..<level).contains { headingProject[$0] != nil || projectSection[$0] }
        projectSection[level] = NarrText.has(words, "项目") && !NarrText.has(words, "绩效目标") && !NarrText.has(words, "支出项目")
            && (words.ends(with: "说明") || words.ends(with: "情况") || words.ends(with: "介绍"))
        if let name = projectHeadingName(words) {
            proj = name
        } else if parentIsProject, level >= 2, !NarrText.has(words, "绩效目标"), FastText.characterCount(words) <= 40 {
            proj = cleanProjectName(words)
        }
        headingProject[level] = proj
        for l in (level + 1)..<4 {
            headings[l] = nil; headingProject[l] = nil; projectSection[l] = false
            headingIsTargets[l] = false; headingKeys[l] = nil
        }
        lastByDepth = [:]
        part = nil
        expectProjectsTotal = false
        listHeaderSeen = false
        listUnit = nil
        functionMode = false
    }

    /// A heading that names one project: `1. 社会保险经办业务项目`, `（九）…经费项目情况说明`,
    /// `（十）重点项目：…项目情况说明`.
    func projectHeadingName(_ words: String) -> String? {
        guard NarrText.has(words, "项目"), !NarrText.has(words, "绩效目标") else { return nil }
        var w = words
        var isReference = false
        if let r = w.byteRange(of: "：") ?? w.byteRange(of: ":") {
            let before = w[..<r.lowerBound]
            if NarrText.has(String(before), "项目") { w = String(w[r.upperBound...]); isReference = true }
        }
        for suffix in ["的情况说明", "情况说明", "的说明", "说明", "情况", "简介", "介绍"] where w.ends(with: suffix) {
            w = String(w.dropLast(suffix.count)); isReference = true; break
        }
        w = SourceText.trim(w)
        guard w.ends(with: "项目"), FastText.characterCount(w) > 2, !NarrText.has(w, "支出项目"), !w.begins(with: "项目") else { return nil }
        if isReference, let p = bestProject(for: w) { return p }
        return w
    }

    func cleanProjectName(_ s: String) -> String {
        SourceText.trim(s)
    }

    /// The document's project that a heading refers to, if one matches closely.
    /// (Each name's scalars are decoded into a buffer on the stack and compared there: an array of
    /// them, and the comparison's two rows, were allocated for every project of every heading.)
    func bestProject(for heading: String) -> String? {
        var h = NarrText.scalars(heading)
        if heading.ends(with: "项目") { h.removeLast(2) }
        guard !h.isEmpty else { return nil }
        var best: (score: Double, length: Int, name: String)?
        h.withUnsafeBufferPointer { hb in
            // (Only each project's name is read: a loop over copies of the projects retained and
            // released their indicators too.)
            for k in projects.indices {
                let name = projects[k].name
                let found = FastText.scanUTF8(name) { buf -> (score: Double, length: Int)? in
                    withUnsafeTemporaryAllocation(of: Unicode.Scalar.self, capacity: buf.count) { tmp in
                        // `NarrText.scalars(name)`, without its last two (项目) where the name ends so.
                        var n = NarrText.decodeScalars(buf, into: tmp)
                        if name.ends(with: "项目") { n -= 2 }
                        guard n > 0 else { return nil }
                        let l = NarrText.lcs(hb, UnsafeBufferPointer(rebasing: tmp[..<n]))
                        return (Double(l) / Double(min(hb.count, n)), l)
                    }
                }
                guard let (score, l) = found, score >= 0.8 else { continue }
                if let b = best, score < b.score || (score == b.score && l <= b.length) { continue }
                best = (score, l, name)
            }
        }
        return best?.name
    }

    // MARK: Reading

    /// A prose line with its cleaned text (digits folded, debris removed), computed once.
    struct Clean {
        let line: SourceLine
        let text: String
        /// The text ends with 。 (read once, when the line is cleaned: asking a stored field copies
        /// no `Clean` out of the array).
        let endsSentence: Bool

        init(line: SourceLine, text: String) {
            self.line = line
            self.text = text
            self.endsSentence = Scalars.last(text) == "。"
        }
    }

    mutating func read(_ region: ArraySlice<SourceLine>) {
        // A pathological line (megabytes without a line break) is read in bounded pieces.
        var lines: [Clean] = []
        lines.reserveCapacity(region.count)
        for l in region where !l.isBlank {
            if l.raw.utf8.count <= NarrScanner.maxLine {
                lines.append(Clean(line: l, text: NarrText.stripDebris(NarrText.foldDigits(l.text))))
                continue
            }
            var rest = Substring(l.raw)
            while !rest.isEmpty {
                let piece = rest.prefix(NarrScanner.maxLine / 4)
                let pl = SourceLine(number: l.number, raw: String(piece))
                lines.append(Clean(line: pl, text: NarrText.stripDebris(NarrText.foldDigits(pl.text))))
                rest = rest.dropFirst(piece.count)
            }
        }
        // The paragraph being gathered: always a run of consecutive lines, `lines[blockStart..<blockEnd]`
        // (read in place: no copy of the lines).
        var blockStart = 0, blockEnd = 0
        var i = 0
        func flush(_ s: inout NarrScanner) {
            if blockStart < blockEnd { s.scan(lines[blockStart..<blockEnd]) }
            blockStart = blockEnd
        }
        while i < lines.count {
            let t = lines[i].text
            if let level = NarrHeading.level(t) {
                flush(&self)
                // A heading wrapped over two lines (…职业年金 / 及记账利息项目情况说明).
                if level <= 3, i + 1 < lines.count, !lines[i].endsSentence, !NarrText.has(t, "万元") {
                    let next = lines[i + 1].text
                    let n = Scalars.count(next)
                    if NarrHeading.level(next) == nil, n <= 30,
                       next.ends(with: "说明") || next.ends(with: "情况") || (level == 0 && n <= 12) {
                        // (The block was just flushed: it starts at this line.)
                        blockEnd = i + 2
                        enterHeading(t + next, level: level)
                        i += 2
                        continue
                    }
                }
                enterHeading(t, level: level)
            }
            if inProjectList {
                if listHeaderSeen, let f = listRowFact(lines[i]) {
                    facts.append(f)
                } else if NarrScanner.isListHeader(t) {
                    listHeaderSeen = true
                    listUnit = CurrencyUnits.unit(ofText: t)
                }
            }
            blockEnd = i + 1
            if lines[i].endsSentence || blockEnd - blockStart >= 40 { flush(&self) }
            i += 1
        }
        flush(&self)
    }

    /// `项目 预算数（单位：万元） 绩效目标`: the header of a project list printed in the narrative.
    static func isListHeader(_ t: String) -> Bool {
        (NarrText.has(t, "项目") || NarrText.has(t, "名称")) && (NarrText.has(t, "预算数") || NarrText.has(t, "金额") || NarrText.has(t, "万元"))
            && !NarrText.has(t, "。") && NarrText.firstAmount(in: t) == nil
    }

    /// A row of a project list printed in the narrative: `社保经办工作经费 165`.
    func listRowFact(_ cl: Clean) -> Fact? {
        let line = cl.line
        let t = cl.text
        let toks = NarrText.has(t, "\t") ? NarrText.tabCells(t).filter { !$0.isEmpty } : NarrText.tokens(t)
        guard toks.count == 2, let value = NarrText.amountToken(toks[1]) else { return nil }
        let name = toks[0]
        guard Scalars.hasTwoCharacters(name), name.contains(where: NarrText.isHan), !NarrText.has(name, "。"), !NarrText.has(name, "，"),
              !NarrText.has(name, "："), !NarrText.has(name, ":"),
              NarrHeading.level(name) == nil, !["合计", "总计", "小计"].contains(name) else { return nil }
        return Fact(key: "project." + name, value: value, line: line.number, text: t, unit: listUnit)
    }

    // MARK: One paragraph

    static let maxLine = 16_384
    @inline(__always) static func isBoundary(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "，", ",", "；", "。", "！", "？", "!", "?": return true
        default: return false
        }
    }
    @inline(__always) static func isColon(_ c: Unicode.Scalar) -> Bool { c == "：" || c == ":" }
    /// Bit `v & 63` for the value `v` of each scalar the walk to the next number notes: the
    /// brackets （ ( ） ), 持 保 无 没 and 划 分 科 (a test holds it to them).
    static let walkScalarBits: UInt64 = 0x303_2006_0342
    static let walkScalars: [Unicode.Scalar] = ["（", "(", "）", ")", "持", "保", "无", "没", "划", "分", "科"]
    /// Bit `v & 63` for the value `v` of 持 保 无 没, the first scalars of `noChangeWords` (a test
    /// holds the two together).
    static let noChangeLeadBits: UInt64 = 0x3_2000_0002
    /// A CJK ideograph of the main block (U+4E00–U+9FFF): none of the boundaries, colons, brackets
    /// or spaces the walks back from a number stop at or skip, so most scalars they read are
    /// counted after this one test.
    @inline(__always) static func isIdeograph(_ c: Unicode.Scalar) -> Bool { c.value &- 0x4E00 < 0x5200 }
    static let valueOperators: Set<Unicode.Scalar> = ["≥", "≤", "=", "＝", "<", ">", "＜", "＞", "≧", "≦"]
    /// `valueOperators.contains(c)`, without hashing.
    @inline(__always) static func isValueOperator(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "≥", "≤", "=", "＝", "<", ">", "＜", "＞", "≧", "≦": return true
        default: return false
        }
    }
    /// What ends a printed classification code (2080109-…, [2080109]).
    @inline(__always) static func isCodeEnd(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "-", "－", "—", "]", "］", "】": return true
        default: return false
        }
    }
    /// An ASCII scalar with the Alphabetic property: the ASCII letters.
    @inline(__always) static func isASCIILetter(_ c: Unicode.Scalar) -> Bool {
        (c.value >= 0x41 && c.value <= 0x5A) || (c.value >= 0x61 && c.value <= 0x7A)
    }

    /// A table-like row (several tab cells): not prose. (Only a line whose scalar mask allows a
    /// tab is searched for one.)
    @inline(__always) static func isTableRow(_ l: SourceLine) -> Bool {
        l.mayContain(Words.tab) && NarrText.has(l.raw, "\t") && NarrText.tabCells(l.raw).filter({ !$0.isEmpty }).count >= 3
    }

    /// Whether valid UTF-8 holds 持, 保, 无 or 没, the scalars every word of `noChangeWords` starts
    /// with. Read scalar by scalar on the bytes (a lead byte E4 or E6 is never a continuation byte).
    static func hasNoChangeLead(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = buf.count
        var i = 0
        while i < n {
            let b = buf[i]
            if b < 0x80 { i &+= 1; continue }
            if b & 0xF0 == 0xE0 {
                // (`i + 2 < n`: the two bytes after a lead byte are read only inside the buffer.)
                if i &+ 2 < n {
                    let b1 = buf[i &+ 1], b2 = buf[i &+ 2]
                    if b == 0xE6 && ((b1 == 0x8C && b2 == 0x81) || (b1 == 0x97 && b2 == 0xA0) || (b1 == 0xB2 && b2 == 0xA1)) { return true }
                    if b == 0xE4 && b1 == 0xBF && b2 == 0x9D { return true }
                }
                i &+= 3
                continue
            }
            i &+= b < 0xE0 ? 2 : 4
        }
        return false
    }

    /// Whether the bytes hold an ASCII digit. (A plain loop: `contains(where:)` went through the
    /// buffer's iterator, some eight instructions a byte.)
    static func holdsDigit(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < buf.count {
            if buf[i] &- 0x30 < 10 { return true }
            i &+= 1
        }
        return false
    }

    /// A paragraph with text begins: only an amount of the top level takes its changes, and no
    /// project list continues.
    mutating func startParagraph() {
        for key in lastByDepth.keys where key > 0 { lastByDepth[key] = nil }
        listChain = false
    }

    mutating func scan(_ block: ArraySlice<Clean>) {
        // The lines read first on their bytes: whether any is prose, and whether any prints a
        // digit. A paragraph without one holds no amount, and only the words that state no
        // change are read in it: where none of their first scalars stands either, its scalars
        // are not decoded at all (what follows would find nothing in them).
        var anyText = false, anyDigit = false
        for idx in block.indices where !block[idx].text.isEmpty && !NarrScanner.isTableRow(block[idx].line) {
            anyText = true
            if FastText.scanUTF8(block[idx].text, NarrScanner.holdsDigit) { anyDigit = true; break }
        }
        guard anyText else { return }
        if !anyDigit && !block.indices.contains(where: { idx in
            !NarrScanner.isTableRow(block[idx].line) && FastText.scanUTF8(block[idx].text, NarrScanner.hasNoChangeLead)
        }) {
            startParagraph()
            return
        }
        // The paragraph's scalars and where each line's start (a separator counts with the line
        // after it) are written into buffers the scanner keeps from paragraph to paragraph: one
        // allocation of each per document, not per paragraph. (Taken out of `self` while they are
        // written, so that they are uniquely referenced and written in place.)
        var buffer = scalarBuffer
        scalarBuffer = []
        var spans = spanBuffer
        spanBuffer = []
        spans.removeAll(keepingCapacity: true)
        defer { scalarBuffer = buffer; spanBuffer = spans }
        // At most one scalar per byte (and a separator per line). The buffer only grows: its
        // elements are plain values, any of them may be overwritten.
        let bound = block.reduce(0) { $0 + $1.text.utf8.count + 1 }
        if buffer.count < bound { buffer.append(contentsOf: repeatElement(" ", count: bound - buffer.count)) }
        let length = buffer.withUnsafeMutableBufferPointer { out -> Int in
            var k = 0
            // (Each line's fields read in place: no copy of its `Clean`, three Strings retained
            // and released. The bound leaves room for every scalar written: `out[k...]` is
            // never shorter than the bytes decoded into it.)
            for idx in block.indices {
                if NarrScanner.isTableRow(block[idx].line) { continue }
                let text = block[idx].text
                guard let first = Scalars.first(text) else { continue }
                spans.append((k, block[idx].line.number))
                if k > 0, NarrText.isDigitU(out[k - 1]), NarrText.isDigitU(first) {
                    out[k] = " "
                    k += 1
                }
                FastText.scanUTF8(text) { buf in
                    k += NarrText.decodeScalars(buf, into: UnsafeMutableBufferPointer(rebasing: out[k...]))
                }
            }
            return k
        }
        // (Indices from 0, as in an array of the paragraph's own.)
        let chars = buffer[..<length]
        guard !chars.isEmpty else { return }
        startParagraph()
        // No digit, no amount: only the words that state no change are read.
        guard anyDigit else {
            applyNoChange(chars[...])
            return
        }
        // The paren depth and the line of a position, advanced as the scan moves forward.
        // The walk to the next number reads every scalar but a number's own (digits, `,` `.`)
        // once, in order: it keeps the paren depth, and where the last scalar that can start a
        // word of `applyNoChange` (持 保 无 没) or of 划分/分类/科目 (划 分 科) stands, so that the
        // text between two numbers is searched for those words only where it holds such a scalar.
        var depthBefore = 0
        var lastNoChangeLead = -1, lastPartLead = -1
        var span = 0

        var i = 0
        var prevEnd = 0
        // Where the paragraph's last 财政拨款 total ends, while it is the last fact read.
        var lastFiscalEnd: Int?
        while i < chars.count {
            let c = chars[i]
            guard NarrText.isDigitU(c) else {
                // (Most scalars are none of those below: their low six bits' bit in
                // `walkScalarBits` is clear, and the cases are not compared.)
                guard NarrScanner.walkScalarBits & (1 &<< UInt64(c.value & 63)) != 0 else { i += 1; continue }
                switch c {
                case "（", "(": depthBefore += 1
                case "）", ")": depthBefore = max(0, depthBefore - 1)
                case "持", "保", "无", "没": lastNoChangeLead = i
                case "划", "分", "科": lastPartLead = i
                default: break
                }
                i += 1
                continue
            }
            if i > 0, NarrText.isDigitU(chars[i - 1]) || chars[i - 1] == "." || NarrScanner.isASCIILetter(chars[i - 1]) {
                i += 1; continue
            }
            var j = i
            while j < chars.count {
                if NarrText.isDigitU(chars[j]) { j += 1; continue }
                if (chars[j] == "," || chars[j] == "."), j + 1 < chars.count, NarrText.isDigitU(chars[j + 1]) { j += 1; continue }
                break
            }
            // A printed classification code (2080109-…, [2080109]) belongs to the next amount's label.
            // (Or in brackets after the name: 工资福利支出(301)201.69万元.)
            let isCode = j < chars.count && j - i >= 3 && (NarrScanner.isCodeEnd(chars[j])
                || ((chars[j] == ")" || chars[j] == "）") && i > 0 && (chars[i - 1] == "(" || chars[i - 1] == "（") && [3, 5, 7].contains(j - i)))
            defer { if !isCode { prevEnd = j }; i = j }
            // (The number's text is made only for a fact that prints it.)
            guard let amount = NarrScanner.amount(chars[i..<j]) else { continue }
            let gap = chars[prevEnd..<i]
            if lastNoChangeLead >= prevEnd { applyNoChange(gap) }
            // (划分, 分类, 科目 start with 划, 分 or 科.)
            if lastPartLead >= prevEnd,
               NarrText.hasU(gap, NarrScanner.wHuafen) || NarrText.hasU(gap, NarrScanner.wFenlei) || NarrText.hasU(gap, NarrScanner.wKemu) {
                part = nil
                functionMode = NarrText.hasU(gap, NarrScanner.wGongneng)
            }

            // Indicator targets (≥98%) are not narrative amounts.
            var b = i - 1
            while b >= 0, NarrText.isSpaceU(chars[b]) { b -= 1 }
            if b >= 0, NarrScanner.isValueOperator(chars[b]) { continue }

            let unit = NarrScanner.unit(after: j, in: chars)
            // (Years, counts of people …: nothing below reads them.)
            if unit == .other { continue }
            let tailU = clauseTail(chars, before: i, limit: 14)
            let verb = NarrScanner.changeVerb(tailU)
            // (`chars[i]` is a digit, no bracket: its depth is the one the walk counted before it.)
            let dep = depthBefore
            while span + 1 < spans.count, spans[span + 1].start <= i { span += 1 }
            let line = spans[span].line

            switch unit {
            case .percent:
                if let negative = verb {
                    attach(pct: negative ? amount.negated : amount, depth: dep)
                } else if case let tail = clauseTail(chars, before: i, limit: 40), NarrText.hasU(tail, NarrScanner.wZhan) {
                    attachShare(amount, of: NarrScanner.shareBase(tail), depth: dep)
                } else if let negative = NarrScanner.verbAfter(chars, from: j) {
                    // 按 3%的标准进行压减: the verb follows the percentage.
                    attach(pct: negative ? amount.negated : amount, depth: dep)
                }
            case .count:
                // 共设置2个项目 / 安排项目 7 个
                if NarrText.hasU(chars[j..<min(chars.count, j + 6)], NarrScanner.wXiangmu) || NarrText.hasU(tailU, NarrScanner.wXiangmu) {
                    facts.append(Fact(key: "projects.count", value: amount, line: line, text: NarrText.str(tailU) + NarrText.str(chars[i..<j]) + "个"))
                    expectProjectsTotal = true
                }
            case .other:
                continue
            case .money, .tenThousandPeople, .bare:
                if let negative = verb {
                    if unit == .money || unit == .tenThousandPeople || unit == .bare {
                        // A bare change is in its amount's unit; 万人 is a misprint of 万元 (D-TEXT).
                        attach(change: negative ? amount.negated : amount, depth: dep,
                               unit: unit == .money ? NarrScanner.moneyUnit(after: j, in: chars) : nil,
                               both: NarrScanner.namesBothSides(tailU))
                    }
                    continue
                }
                guard unit == .money else { continue }
                let label = labelBefore(chars, at: i, floor: prevEnd)
                if finalAccounts, NarrScanner.namesTheBudget(label) { continue }
                guard let (resolvedKey, factPart) = resolve(label) else { continue }
                var key = resolvedKey
                // 财政拨款收入总计 X 万元、支出总计 Y 万元: a bare total after a 财政拨款 amount of its
                // sentence is 财政拨款's too.
                if key == "income.total" || key == "expenditure.total", NarrScanner.isBareTotal(label),
                   let previous = facts.last, previous.key == "fiscal.total", let at = lastFiscalEnd,
                   !chars[at..<i].contains(where: { $0 == "。" || $0 == "；" || $0 == ";" }) {
                    key = "fiscal.total"
                }
                let fact = Fact(key: key, value: amount, part: factPart, line: line, text: NarrScanner.factText(label, chars[i..<j]),
                                unit: NarrScanner.moneyUnit(after: j, in: chars))
                facts.append(fact)
                pairedSide = nil
                lastFiscalEnd = key == "fiscal.total" ? j : nil
                lastByDepth[dep] = facts.count - 1
                if key == "expenditure.basic" { part = "basic" }
                else if key == "expenditure.project" { part = "project" }
                else if !key.begins(with: "econ.") { if key.begins(with: "func.") || key.ends(with: ".total") { part = nil } }
            }
        }
        if lastNoChangeLead >= prevEnd { applyNoChange(chars[min(prevEnd, chars.count)...]) }
    }

    /// `label + NarrText.str(number)`, written into one String's storage: the number's scalars
    /// are the scan's (ASCII digits, `,` and `.`), a byte each, so neither the number's text nor
    /// a second String for the two together is made.
    static func factText(_ label: String, _ number: ArraySlice<Unicode.Scalar>) -> String {
        FastText.scanUTF8(label) { lb in
            String(unsafeUninitializedCapacity: lb.count + number.count) { out in
                // (`out` holds the label's bytes and one byte per scalar of the number.)
                // (The label's bytes copied at once.)
                var k = out.initialize(fromContentsOf: lb)
                for u in number { out[k] = UInt8(truncatingIfNeeded: u.value); k += 1 }
                return k
            }
        }
    }

    /// `Amount(NarrText.str(n))` for the scalars the scan takes as a number: ASCII digits, with
    /// `,` or `.` each followed by a digit (so a digit comes first and a point has decimals after it).
    static func amount(_ n: ArraySlice<Unicode.Scalar>) -> Amount? {
        var mantissa: Int64 = 0
        var decimals = 0
        var seenPoint = false
        for u in n {
            switch u.value {
            case 0x30...0x39:
                let (m1, o1) = mantissa.multipliedReportingOverflow(by: 10)
                let (m2, o2) = m1.addingReportingOverflow(Int64(u.value - 0x30))
                if o1 || o2 { return nil }
                mantissa = m2
                if seenPoint {
                    decimals += 1
                    if decimals > Amount.maxDecimals { return nil }
                }
            case 0x2C: // , (after a digit: a thousands separator, but never among decimals)
                if seenPoint { return nil }
            case 0x2E:
                if seenPoint { return nil }
                seenPoint = true
            default:
                return nil
            }
        }
        guard !n.isEmpty else { return nil }
        return Amount(mantissa: mantissa, decimals: decimals)
    }

    // MARK: Attachments

    /// `unit`: the change's own currency unit where it prints one. A change printed in a finer
    /// unit than its amount (`1,414.81万元，减少241,800元`) is converted to the amount's unit
    /// (exactly: `24.1800`); one that cannot be (a coarser unit) is not attached.
    /// `both`: the change is stated for both sides (收、支总计各增加 20 万元): the income total read
    /// just before the expenditure total takes it too (and the percentage after it).
    mutating func attach(change: Amount, depth: Int, unit: String? = nil, both: Bool = false) {
        guard let idx = lastByDepth[depth], facts[idx].change == nil else { return }
        var c = change
        if let unit, let own = facts[idx].unit, unit != own {
            guard let converted = change.converted(from: unit, to: own) else { return }
            c = converted
        }
        facts[idx].change = c
        pairedSide = nil
        if both, idx > 0, facts[idx - 1].change == nil, facts[idx - 1].unit == facts[idx].unit,
           NarrScanner.sidesPair(income: facts[idx - 1].key, expenditure: facts[idx].key) {
            facts[idx - 1].change = c
            pairedSide = idx - 1
        }
    }

    mutating func attach(pct: Amount, depth: Int) {
        guard let idx = lastByDepth[depth], facts[idx].pct == nil else { return }
        facts[idx].pct = pct
        if let other = pairedSide, facts[other].pct == nil { facts[other].pct = pct }
    }

    /// Words before a change that state it for both sides: 收、支 (or 收支) with 各.
    static func namesBothSides(_ tail: ArraySlice<Unicode.Scalar>) -> Bool {
        guard tail.contains("各") else { return false }
        return NarrText.hasU(tail, wShouZhi) || NarrText.hasU(tail, wShouDunZhi)
    }
    static let wShouZhi = Array("收支".unicodeScalars)
    static let wShouDunZhi = Array("收、支".unicodeScalars)

    /// An income total and the expenditure total stated after it, of the same funds.
    static func sidesPair(income: String, expenditure: String) -> Bool {
        (income == "income.total" && expenditure == "expenditure.total") || (income == "fiscal.total" && expenditure == "fiscal.total")
    }

    mutating func attachShare(_ share: Amount, of base: String?, depth: Int) {
        guard let idx = lastByDepth[depth] ?? lastByDepth.values.max(), facts[idx].share == nil else { return }
        facts[idx].share = share
        facts[idx].shareOf = base
    }

    /// The words a share is of: those after the clause's last 占, without a final 的 or
    /// 比重/比例 (`占财政拨款支出的` → `财政拨款支出`, `占基本支出预算` → `基本支出预算`); nil where
    /// 占 is followed by nothing that names a whole (`占比`).
    static func shareBase(_ tail: ArraySlice<Unicode.Scalar>) -> String? {
        guard let zhan = tail.lastIndex(of: "占") else { return nil }
        var words = tail[(zhan + 1)...]
        if words.first == "比" { return nil }
        while let last = words.last, last == "的" || last == "为" || last == "约" { words = words.dropLast() }
        for suffix in shareSuffixes where words.count > suffix.count && words.suffix(suffix.count).elementsEqual(suffix) {
            words = words.dropLast(suffix.count)
            while words.last == "的" { words = words.dropLast() }
            break
        }
        return words.isEmpty ? nil : NarrText.str(words)
    }

    static let shareSuffixes = ["比重", "比例"].map(NarrText.scalars)

    /// `与上年持平`, `与上年保持一致`: a change of zero for the amount just read.
    static let wHuafen = NarrText.scalars("划分"), wFenlei = NarrText.scalars("分类"), wKemu = NarrText.scalars("科目")
    static let wGongneng = NarrText.scalars("功能"), wZhan = NarrText.scalars("占"), wXiangmu = NarrText.scalars("项目")
    static let noChangeWords = ["持平", "保持一致", "无增减", "没有变化"].map(NarrText.scalars)

    mutating func applyNoChange(_ gap: ArraySlice<Unicode.Scalar>) {
        guard NarrScanner.holdsNoChangeWord(gap) else { return }
        guard let idx = lastByDepth[0] ?? lastByDepth.values.max(), facts[idx].change == nil else { return }
        facts[idx].change = Amount(mantissa: 0, decimals: 0)
    }

    /// Whether `gap` holds one of `noChangeWords`. Each of them starts with 持, 保, 无 or 没, so a
    /// word is looked for only where such a scalar stands, in one pass over the gap (not a search
    /// of the whole gap for each word).
    static func holdsNoChangeWord(_ gap: ArraySlice<Unicode.Scalar>) -> Bool {
        var p = gap.startIndex
        while p < gap.endIndex {
            let c = gap[p]
            // (Bit `v & 63` of 持 保 无 没: a scalar whose bit is clear is none of them.)
            if NarrScanner.noChangeLeadBits & (1 &<< UInt64(c.value & 63)) != 0, c == "持" || c == "保" || c == "无" || c == "没" {
                for w in noChangeWords where w.count <= gap.endIndex - p && w[0] == c {
                    var k = 1
                    while k < w.count, gap[p + k] == w[k] { k += 1 }
                    if k == w.count { return true }
                }
            }
            p += 1
        }
        return false
    }

    // MARK: Units and words around a number

    enum NumberUnit { case money, percent, count, tenThousandPeople, bare, other }

    static let otherUnits: Set<Unicode.Scalar> = [
        "年", "月", "日", "号", "时", "期", "人", "名", "辆", "台", "套", "次", "户", "份", "册", "条", "家",
        "项", "所", "间", "平", "岁", "倍", "天", "周", "季", "位", "张", "批", "场", "级", "类", "种", "部",
        "亩", "公", "米", "千", "吨", "篇", "本", "座", "处", "栋", "孔", "例", "床", "分", "秒", "小", "层",
    ]

    /// `otherUnits.contains(c)`, without hashing.
    @inline(__always) static func isOtherUnit(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "年", "月", "日", "号", "时", "期", "人", "名", "辆", "台", "套", "次", "户", "份", "册", "条", "家",
             "项", "所", "间", "平", "岁", "倍", "天", "周", "季", "位", "张", "批", "场", "级", "类", "种", "部",
             "亩", "公", "米", "千", "吨", "篇", "本", "座", "处", "栋", "孔", "例", "床", "分", "秒", "小", "层":
            return true
        default: return false
        }
    }

    /// The currency unit of an amount `unit(after:in:)` reads as money: 万元 (also a bare 万, or 万
    /// with 元 on the next line), 亿元 or 元.
    static func moneyUnit(after j: Int, in chars: ArraySlice<Unicode.Scalar>) -> String {
        var k = j
        while k < chars.count, NarrText.isSpaceU(chars[k]) { k += 1 }
        guard k < chars.count else { return "万元" }
        switch chars[k] {
        case "亿": return "亿元"
        case "元": return "元"
        default: return "万元"
        }
    }

    static func unit(after j: Int, in chars: ArraySlice<Unicode.Scalar>) -> NumberUnit {
        var k = j
        while k < chars.count, NarrText.isSpaceU(chars[k]) { k += 1 }
        guard k < chars.count else { return .bare }
        let c = chars[k]
        let n: Unicode.Scalar? = k + 1 < chars.count ? chars[k + 1] : nil
        if c == "%" { return .percent }
        if c == "万" || c == "亿" {
            if n == "元" { return .money }
            if n == "人" { return .tenThousandPeople }
            if let n, isOtherUnit(n) || n == "个" { return .other }
            return .money
        }
        if c == "元" { return .money }
        if c == "个" { return .count }
        if isOtherUnit(c) { return .other }
        if c == "-" || c == "－" || c == "—" || c == "/" || c == "." { return .other }
        return .bare
    }

    /// Up to `limit` characters before `i`, not crossing a clause boundary, spaces removed: a slice
    /// of `chars` itself when no space stands in it.
    func clauseTail(_ chars: ArraySlice<Unicode.Scalar>, before i: Int, limit: Int) -> ArraySlice<Unicode.Scalar> {
        var k = i - 1
        var count = 0
        var spaces = false
        while k >= 0, count < limit {
            let c = chars[k]
            if NarrScanner.isIdeograph(c) { count += 1; k -= 1; continue }
            if NarrScanner.isBoundary(c) || NarrScanner.isColon(c) { break }
            if NarrText.isSpaceU(c) { spaces = true } else { count += 1 }
            k -= 1
        }
        guard spaces else { return chars[(k + 1)..<i] }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(count)
        for c in chars[(k + 1)..<i] where !NarrText.isSpaceU(c) { out.append(c) }
        return out[...]
    }

    /// The change verb printed after a percentage in the same clause (`3%的标准进行压减`), if any.
    static func verbAfter(_ chars: ArraySlice<Unicode.Scalar>, from j: Int) -> Bool? {
        var k = j + 1
        var clauseScalars: [Unicode.Scalar] = []
        while k < chars.count, clauseScalars.count < 16, !isBoundary(chars[k]) {
            clauseScalars.append(chars[k]); k += 1
        }
        let clause = NarrText.str(clauseScalars[...])
        if decreaseVerbs.prefix(5).contains(where: { NarrText.has(clause, $0) }) { return true }
        if increaseVerbs.prefix(4).contains(where: { NarrText.has(clause, $0) }) { return false }
        return nil
    }

    static let increaseVerbs = ["增加", "增长", "上升", "提高", "增"]
    static let decreaseVerbs = ["减少", "下降", "降低", "压减", "压缩", "减", "降"]
    static let allVerbsU = (increaseVerbs + decreaseVerbs).map(NarrText.scalars)
    /// The last scalars of `allVerbsU` (a test holds the two together).
    @inline(__always) static func isVerbEnd(_ u: Unicode.Scalar) -> Bool {
        switch u {
        case "加", "长", "升", "高", "增", "少", "降", "低", "减", "缩": return true
        default: return false
        }
    }

    /// nil when the words before a number are not a change; else whether the change is a decrease.
    /// `增加减少 3463.96` reads as a decrease (the last word wins); in `增加（减少）0` the bracketed
    /// alternative of a template is ignored.
    static func changeVerb(_ tail: ArraySlice<Unicode.Scalar>) -> Bool? {
        var t = tail
        if let l = t.last, l == "了" || l == "为" { t = t.dropLast() }
        if let l = t.last, l == "）" || l == ")", let open = t.lastIndex(where: { $0 == "（" || $0 == "(" }) {
            t = t[t.startIndex..<open]
        }
        // (A verb ends the words only where its last scalar does: most words before a number end otherwise.)
        guard let end = t.last, isVerbEnd(end), allVerbsU.contains(where: { NarrText.hasSuffixU(t, $0) }) else { return nil }
        var lastDecrease = -1, lastIncrease = -1
        for k in max(t.startIndex, t.endIndex - 8)..<t.endIndex {
            switch t[k] {
            case "减", "降", "少", "下": lastDecrease = k
            case "增", "升", "加", "长", "高": lastIncrease = k
            default: break
            }
        }
        return lastDecrease > lastIncrease
    }

    /// The words printed before the amount at `i`: back to the previous clause boundary (or an
    /// unclosed bracket), past a colon when nothing but an enumerator stands after it.
    func labelBefore(_ chars: ArraySlice<Unicode.Scalar>, at i: Int, floor: Int) -> String {
        var k = i - 1
        var count = 0
        var close = 0
        var passedColon = false
        // `cleanLabel` of the scalars read: `chars[(k + 1)..<i]` but the colons passed over.
        // Without a colon, the space scalars at either end (`NarrText.isSpaceU`, the scalars
        // `SourceText.trim` cuts) are left out before the String is made: `cleanLabel` trims them
        // first, and would make the String a second time (an amount is often printed after a
        // space). Then where the first scalar is none that `cleanLabel` cuts at (`keepsStart`),
        // the String is the label: most labels are made once, without the cleaning's steps.
        func read(from lower: Int) -> String {
            guard passedColon else {
                var a = lower, b = i
                while a < b, NarrText.isSpaceU(chars[a]) { a += 1 }
                while b > a, NarrText.isSpaceU(chars[b - 1]) { b -= 1 }
                let text = NarrText.str(chars[a..<b])
                return a < b && NarrScanner.keepsStart(chars[a]) ? text : NarrScanner.cleanLabel(text)
            }
            return NarrScanner.cleanLabel(NarrText.str(chars[lower..<i].lazy.filter { !NarrScanner.isColon($0) }))
        }
        while k >= floor, count < 80 {
            let c = chars[k]
            if NarrScanner.isIdeograph(c) { count += 1; k -= 1; continue }
            if NarrScanner.isBoundary(c) { break }
            if NarrScanner.isColon(c) {
                let sofar = read(from: k + 1)
                // (The ending first, then the Characters counted on the scalars: `characterCount`
                // is `count` without grapheme breaking where every scalar is its own Character.)
                if sofar.contains(where: NarrText.isHan) && !(sofar.ends(with: "为") && FastText.characterCount(sofar) <= 6) { break }
                passedColon = true
                k -= 1
                continue
            }
            if c == "）" || c == ")" { close += 1 }
            if c == "（" || c == "(" {
                if close == 0 { break }
                close -= 1
            }
            count += 1
            k -= 1
        }
        return read(from: k + 1)
    }

    /// First scalars of the Characters `cleanLabel` drops from a label's start: 、 ） ) ； ; and the spaces.
    static let leadingDebris: Set<UInt32> = [0x3001, 0xFF09, 0x29, 0xFF1B, 0x3B, 0x20, 0x09, 0x3000, 0xA0, 0x2002, 0x2003]
    /// `leadingDebris.contains(v)`, without hashing.
    @inline(__always) static func isLeadingDebris(_ v: UInt32) -> Bool {
        switch v {
        case 0x3001, 0xFF09, 0x29, 0xFF1B, 0x3B, 0x20, 0x09, 0x3000, 0xA0, 0x2002, 0x2003: return true
        default: return false
        }
    }
    static let unitWords: [(String, Int)] = ["万元", "亿元", "元", "%"].map { ($0, $0.count) }
    static let introWords: [(String, Int)] = ["其中", "包括", "分别为", "分别是", "具体支出情况是", "主要包括"].map { ($0, $0.count) }

    /// Same UTF-8 bytes (`FastText.sameBytes` without building an array for it).
    @inline(__always) static func sameBytes(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && FastText.scanUTF8(a) { x in FastText.scanUTF8(b) { y in FastText.bytes(x, occurAt: 0, in: y) } }
    }

    /// Whether `u` is the first scalar of a word `cleanLabel` cuts from a label's start
    /// (`unitWords`, `introWords`; a test holds the two together).
    @inline(__always) static func isCutWordFirst(_ u: Unicode.Scalar) -> Bool {
        switch u {
        case "万", "亿", "元", "%", "其", "包", "分", "具", "主": return true
        default: return false
        }
    }

    /// Whether `cleanLabel` gives a trimmed text whose first scalar is `f` back as it is: `f`
    /// starts no debris, no unit or intro word and no enumerator (`Label.mayStartEnumerator`).
    @inline(__always) static func keepsStart(_ f: Unicode.Scalar) -> Bool {
        !isLeadingDebris(f.value) && !isCutWordFirst(f) && !Label.mayStartEnumerator(f)
    }

    static func cleanLabel(_ s: String) -> String {
        var t = SourceText.trim(s)
        // Most labels start with a word that none of the steps below cuts: no unit or intro word,
        // no debris, no enumerator (`stripEnumerator` keeps the text). Then the text is the label.
        guard let f = Scalars.first(t) else { return t }
        if NarrScanner.keepsStart(f) { return t }
        if !NarrScanner.isLeadingDebris(f.value), !NarrScanner.isCutWordFirst(f),
           NarrScanner.sameBytes(Label.stripEnumerator(t), t) {
            return t
        }
        // The previous amount's unit (…6.30万元、政府采购工程预算): not part of this label.
        for (unit, count) in NarrScanner.unitWords where t.begins(with: unit) {
            let rest = t.dropFirst(count)
            if let f = rest.first, "、，,；;".contains(f) { t = String(rest) }
            break
        }
        // (Only a text whose first scalar is one of these can start with such a Character.)
        while let u = Scalars.first(t), NarrScanner.isLeadingDebris(u.value),
              let f = t.first, f == "、" || f == "）" || f == ")" || f == "；" || f == ";" || NarrText.isSpace(f) { t.removeFirst() }
        var prev = ""
        while !NarrScanner.sameBytes(prev, t) {
            prev = t
            t = SourceText.trim(Label.stripEnumerator(t))
            for (p, count) in NarrScanner.introWords where t.begins(with: p) {
                t = String(t.dropFirst(count))
                while let f = t.first, f == "：" || f == ":" || NarrText.isSpace(f) { t.removeFirst() }
            }
        }
        return t
    }

    // MARK: Keys

    /// The canonical key of an amount labelled `label`, in the current context.
    mutating func resolve(_ label: String) -> (String, String?)? {
        let m = MaskedText(FastText.removingSpaces(label))
        let compact = m.text
        if let name = projectName, m.has(NarrWords.anpai) || m.has(NarrWords.gaixiangmu) || m.has(NarrWords.yusuanjine) {
            return ("project." + name, nil)
        }
        if inProjectList {
            if expectProjectsTotal || m.has(NarrWords.xiangmu), m.hasAny(NarrWords.projectTotals) {
                expectProjectsTotal = false
                listChain = true
                return ("projects.total", nil)
            }
            // A fixed key (机关运行经费, 政府采购 …) is never a project, even when the heading that
            // closed the list was lost.
            if let k = NarrKeys.fixedKey(m), !k.begins(with: "expenditure.") { return (k, nil) }
            let named = ["项目预算金额", "预算金额", "项目预算数", "项目资金", "项目"].contains { compact.ends(with: $0) }
            let name = NarrScanner.projectListName(compact)
            if named || listChain, Scalars.hasTwoCharacters(name), name.contains(where: NarrText.isHan) {
                listChain = true
                return ("project." + name, nil)
            }
            return nil
        }
        if let k = NarrKeys.fixedKey(m) { return (k, nil) }
        if let code = NarrKeys.explicitCode(compact) ?? NarrKeys.trailingCode(compact) {
            if code.first == "3" || code.first == "5" { return ("econ." + code, part) }
            return ("func." + code, nil)
        }
        if let k = classify(compact) { return (k, k.begins(with: "econ.") ? part : nil) }
        if let k = NarrKeys.totalKey(m) { return (k, nil) }
        if let k = sectionKey { return (k, nil) }
        if functionMode, let name = NarrKeys.itemName(m) { return ("func." + name, nil) }
        return nil
    }

    /// A 决算 label naming the budget the outturn is compared with: 支出预算为, 年初预算, 预算数 …
    /// (not 一般公共预算, a fund).
    static func namesTheBudget(_ label: String) -> Bool {
        budgetLabelEndings.contains { label.ends(with: $0) }
    }

    static let budgetLabelEndings = ["预算为", "预算数为", "预算数", "年初预算", "调整预算", "全年预算", "支出预算", "收入预算", "经费预算"]

    /// A label that is a total word alone, its subject left to the sentence (支出总计, 收入合计为).
    static func isBareTotal(_ label: String) -> Bool {
        let t = FastText.removingSpaces(label)
        return ["支出总计", "收入总计", "支出合计", "收入合计", "支出总额", "收入总额"].contains { t.begins(with: $0) }
            && FastText.characterCount(t) <= 6
    }

    /// Words a label ends with before the item it names (为, 合计, 预算 …), with their Character counts.
    /// (`(项)`, `(款)`, `(类)`: a function item printed with its level, 商贸事务(款)行政运行(项), brackets
    /// already made ASCII by `NarrativeClassification.key`.)
    static let labelEndings: [(String, Int)] = ["(项)", "(款)", "(类)", "为", "是", "共计", "合计", "计", "约", "达", "预算", "预算数", "安排"]
        .map { ($0, $0.count) }
    /// Each of `labelEndings`' last scalar.
    static let labelEndingLasts: [Unicode.Scalar?] = labelEndings.map { Scalars.last($0.0) }

    static func projectListName(_ s: String) -> String {
        var t = s
        for suffix in ["项目预算金额", "预算金额", "项目预算数", "预算数", "项目预算", "项目资金", "资金"] where t.ends(with: suffix) {
            t = String(t.dropLast(suffix.count)); break
        }
        if t.ends(with: "项目"), FastText.characterCount(t) > 4 { t = String(t.dropLast(2)) }
        return t
    }

    /// An economic or function item whose name ends the label. The longest such name wins; among
    /// equally long ones (the same name under two keys) the first found wins, in a fixed order:
    /// the document's own table rows, then the function classification, then the economic one.
    func classify(_ label: String) -> String? {
        // 商贸事务(款)行政运行(项): the item is read under its 款, whose code its own must extend
        // (行政运行 is an item of many 款).
        let key = NarrativeClassification.key(label)
        if key.has("(款)"), key.ends(with: "(项)"), let r = key.byteRange(of: "(款)", backwards: true),
           let section = classify(String(key[..<r.lowerBound])), section.begins(with: "func.") {
            return classify(String(key[r.upperBound...]), under: section)
        }
        return classify(key, under: nil)
    }

    /// `classify` of a label already made a key; `under`: a function key the result must extend.
    func classify(_ key: String, under section: String?) -> String? {
        var l = key
        // (Only an ending whose last scalar is the label's can end it: most labels end in none of
        // them, and skip the byte comparisons.)
        var end = Scalars.last(l)
        for e in NarrScanner.labelEndings.indices where end == NarrScanner.labelEndingLasts[e] {
            let (s, count) = NarrScanner.labelEndings[e]
            guard l.ends(with: s) && FastText.characterCount(l) > count + 1 else { continue }
            l = String(l.dropLast(count))
            end = Scalars.last(l)
        }
        // (A label's scalars are not decoded: names are compared with its end on the bytes,
        // `longestSuffix`.)
        guard !l.isEmpty else { return nil }
        let lt = NarrTableIndex.Tail(l)
        return FastText.scanUTF8(l) { lb -> String? in
            // (Under a section: the 项 of a 款, only the codes under it; rare.)
            var best = tableIndex.longest(endingOf: l, tail: lt, bytes: lb, under: section)
            NarrScanner.longestSuffix(in: NarrativeClassification.table, of: lb, tail: lt, under: section, over: &best)
            return best?.key
        }
    }

    /// Makes `best` the longest entry whose name ends the label `lb` (its tail `lt`), where it is
    /// longer than `best` in scalars (the first of equally long ones wins); under a `section`
    /// (`func.20113`), only the keys that extend it. Only the group of the label's last byte is
    /// read, each entry's tail first (`NarrativeClassification.SuffixTable`), and a name of at
    /// most eight bytes whose tail passes ends the label (its tail is all of it). The entries are
    /// read in place: a loop over copies retained and released each entry's arrays and key.
    static func longestSuffix(in table: NarrativeClassification.SuffixTable, of lb: UnsafeBufferPointer<UInt8>,
                              tail lt: NarrTableIndex.Tail, under section: String? = nil,
                              over best: inout (length: Int, key: String)?) {
        guard let last = lb.last else { return }
        let group = table.group(endingWith: last)
        table.tails.withUnsafeBufferPointer { ts in
            table.entries.withUnsafeBufferPointer { es in
                for k in group where ts[k].mayEnd(lt) {
                    let n = es[k].length
                    guard n > best?.length ?? Int.min else { continue }
                    if let section, !(es[k].key.begins(with: section) && es[k].key != section) { continue }
                    // (`mayEnd`: the name is no longer than the label in bytes.)
                    let matches = ts[k].count == ts[k].bytes
                        || es[k].bytes.withUnsafeBufferPointer { FastText.bytes($0, occurAt: lb.count - $0.count, in: lb) }
                    if matches { best = (n, es[k].key) }
                }
            }
        }
    }
}

/// The names the document's coded table rows print, for `classify`: the longest name that ends a
/// label, keyed by its deepest code (`NarrScanner.deepestCodes`). A document prints a hundred or
/// more such names and classifies a few labels, so no index of them is built when every name is
/// `NFCInert` (names are then equal when their bytes are): the names ending with the label's last
/// bytes (`Tail`) are compared with the label's end, on their bytes. Two names of one length that both
/// end the label are the same name, so the longest is the only candidate, and among the rows
/// printing it the deepest code wins (the first printed among equally deep ones), as in the
/// index. Otherwise the index (`NarrativeClassification.index`) is built at once.
/// (A class: `classify` reads the document's names without mutating the scanner.)
final class NarrTableIndex {
    private let named: [(key: String, code: String)]
    /// Each name's last bytes (`named`'s order, `Tail`), so that a label is compared only with the
    /// names that end like it: a name ends a label only where its last bytes are the label's last
    /// ones (and so is its last scalar). A label ending in …支出 has dozens of names ending in 出
    /// but few ending in 支出 or more of its bytes; the others are passed over without touching
    /// their Strings.
    private let tails: [Tail]
    private let index: NarrativeClassification.SuffixTable?

    /// Up to eight last bytes of a text, packed with the last byte lowest, their number, and the
    /// text's length in bytes.
    struct Tail: Sendable {
        let bits: UInt64
        let count: Int
        let bytes: Int

        init(_ s: String) {
            (bits, count, bytes) = FastText.scanUTF8(s) { buf -> (UInt64, Int, Int) in
                let n = buf.count
                let k = min(8, n)
                var v: UInt64 = 0
                // (`n - k ..< n` lies inside the buffer.)
                for i in (n - k)..<n { v = (v << 8) | UInt64(buf[i]) }
                return (v, k, n)
            }
        }

        /// False when this name certainly does not end the label whose tail is `label`: the
        /// name's packed bytes must be the label's last ones, and the name no longer than it.
        @inline(__always) func mayEnd(_ label: Tail) -> Bool {
            guard bytes <= label.bytes else { return false }
            let mask: UInt64 = count == 8 ? ~0 : (1 << UInt64(8 * count)) &- 1
            return label.bits & mask == bits
        }
    }

    init(named: [(key: String, code: String)], inert: Bool) {
        if inert {
            self.named = named
            self.tails = named.map { Tail($0.key) }
            self.index = nil
        } else {
            self.named = []
            self.tails = []
            self.index = NarrativeClassification.SuffixTable(NarrativeClassification.entries(NarrScanner.deepestCodes(named, inert: false)))
        }
    }

    /// The longest name that ends `l` (its tail `lt`, its bytes `lb`), with its length in scalars
    /// and its key (`func.` + code); nil for none. Under a `section` (`func.20113`, the 项 of a 款:
    /// 商贸事务(款)行政运行(项)), only the codes that extend it, the deepest code among rows
    /// printing the same name.
    func longest(endingOf l: String, tail lt: Tail, bytes lb: UnsafeBufferPointer<UInt8>,
                 under section: String? = nil) -> (length: Int, key: String)? {
        if let index {
            var best: (length: Int, key: String)?
            NarrScanner.longestSuffix(in: index, of: lb, tail: lt, under: section, over: &best)
            return best
        }
        if let section {
            var best: (length: Int, key: String)?
            var bestDepth = 0
            for k in tails.indices where tails[k].mayEnd(lt) {
                let key = "func." + named[k].code
                guard key.begins(with: section), key != section, l.ends(with: named[k].key) else { continue }
                let n = Scalars.count(named[k].key)
                let depth = FastText.characterCount(named[k].code)
                if n > best?.length ?? Int.min || (n == best?.length && depth > bestDepth) { best = (n, key); bestDepth = depth }
            }
            return best
        }
        var found = -1, foundBytes = 0, foundDepth = 0
        for k in tails.indices where tails[k].mayEnd(lt) {
            let nb = tails[k].bytes
            guard nb >= foundBytes, l.ends(with: named[k].key) else { continue }
            let depth = FastText.characterCount(named[k].code)
            if nb > foundBytes || depth > foundDepth { found = k; foundBytes = nb; foundDepth = depth }
        }
        guard found >= 0 else { return nil }
        return (Scalars.count(named[found].key), "func." + named[found].code)
    }
}

/// Keys read from a label's words (searched through the label's scalar mask: `MaskedText`).
enum NarrKeys {
    typealias W = NarrWords

    static func threePublic(_ s: MaskedText) -> String? {
        if s.has(W.yingong) { return "three_public.outbound" }
        if s.has(W.gongwujiedai) { return "three_public.reception" }
        if s.has(W.gongwuyongche) {
            let purchase = s.has(W.gouzhi), operation = s.has(W.yunxing) || s.has(W.weihu)
            if purchase && operation { return "three_public.vehicle" }
            if operation { return "three_public.vehicle_operation" }
            if purchase { return "three_public.vehicle_purchase" }
            return "three_public.vehicle"
        }
        if s.has(W.sangong) { return "three_public.total" }
        return nil
    }

    /// 政府采购货物预算 / 货物类采购预算: the kind is printed next to 采购 (not elsewhere in the label,
    /// where a unit's name such as …服务中心 may stand).
    static func procurement(_ m: MaskedText) -> String? {
        let s = m.text
        guard m.has(W.caigou), let r = s.byteRange(of: "采购", backwards: true) else { return nil }
        let before = s[..<r.lowerBound].suffix(4)
        let window = String(before) + String(s[r.upperBound...])
        if NarrText.has(window, "货物") { return "procurement.goods" }
        if NarrText.has(window, "工程") { return "procurement.works" }
        if NarrText.has(window, "服务") { return "procurement.services" }
        return "procurement.total"
    }

    static func admin(_ s: MaskedText) -> String? {
        s.hasAny(W.adminWords) ? "admin_cost" : nil
    }

    /// Keys whose words are unambiguous wherever they appear in a label.
    static func fixedKey(_ s: MaskedText) -> String? {
        if let k = threePublic(s) { return k }
        if let k = admin(s) { return k }
        if let k = procurement(s) { return k }
        if s.has(W.xiangmuzhichu) { return "expenditure.project" }
        if s.has(W.jibenzhichu) { return "expenditure.basic" }
        if s.has(W.renyuanjingfei) { return "basic.personnel" }
        if s.has(W.gongyongjingfei) { return "basic.public" }
        return nil
    }

    /// Totals: 财政拨款 (收入/支出), 收入预算总额, 支出预算.
    /// Sources and uses that have no canonical key of their own; a total must not take them.
    static let otherFunds = [
        "政府性基金", "国有资本经营", "财政专户", "事业收入", "经营收入", "经营支出", "上级补助", "附属单位",
        "其他收入", "上年结转", "结转下年", "结余", "教育收费", "上缴上级", "非财政",
    ]

    static func totalKey(_ m: MaskedText) -> String? {
        if m.hasAny(W.otherFunds) { return nil }
        let s = m.text
        if m.has(W.caizhengbokuan) || m.has(W.yibanbokuan) || s.ends(with: "一般公共预算") { return "fiscal.total" }
        let totalWord = m.hasAny(W.totalWords)
        if m.has(W.shouru) && totalWord { return "income.total" }
        if m.has(W.zhichu) && totalWord { return "expenditure.total" }
        if s.ends(with: "收入") || s.ends(with: "收入为") { return "income.total" }
        return nil
    }

    /// A heading's key, for amounts whose own label names nothing (`（一）因公出国（境）经费` / `2024 年预算安排 0.00 万元`).
    static func sectionKey(_ heading: MaskedText) -> String? {
        threePublic(heading) ?? admin(heading) ?? procurement(heading)
    }

    /// A label that is just an item's name (no verbs, no totals), for `func.<name>`.
    static func itemName(_ m: MaskedText) -> String? {
        let s = m.text
        let n = FastText.characterCount(s)
        guard n >= 2, n <= 30, s.allSatisfy({ NarrText.isHan($0) || "（）()、".contains($0) }),
              !m.hasAny(W.itemVerbs) else { return nil }
        return s
    }

    /// `2080109-社会保险经办机构`, `[2080109]…`: a printed classification code.
    /// A classification code in brackets after the name (`工资福利支出(301)`, `行政运行（2011301）`):
    /// a function (2…) or economic (3…, 5…) code of 3, 5 or 7 digits.
    static func trailingCode(_ s: String) -> String? {
        // (Most labels end otherwise: their scalars are not read into an array.)
        guard let end = Scalars.last(s), end == ")" || end == "）" else { return nil }
        let u = Array(s.unicodeScalars)
        guard let close = u.last, close == ")" || close == "）" else { return nil }
        var at = u.count - 1
        var count = 0
        while at > 0, NarrText.isDigitU(u[at - 1]) { at -= 1; count += 1 }
        guard [3, 5, 7].contains(count), at > 1, u[at - 1] == "(" || u[at - 1] == "（", NarrText.isHanU(u[at - 2]),
              u[at] == "2" || u[at] == "3" || u[at] == "5" else { return nil }
        return String(String.UnicodeScalarView(u[at..<(at + count)]))
    }

    static func explicitCode(_ s: String) -> String? {
        let u = s.unicodeScalars
        var at = u.startIndex
        if at < u.endIndex, u[at] == "[" || u[at] == "［" || u[at] == "【" { at = u.index(after: at) }
        let start = at
        var count = 0
        while at < u.endIndex, NarrText.isDigitU(u[at]) { at = u.index(after: at); count += 1 }
        guard [3, 5, 7].contains(count), at < u.endIndex else { return nil }
        let sep = u[at]
        guard sep == "-" || sep == "－" || sep == "—" || sep == "]" || sep == "］" || sep == "】" || sep == " " || NarrText.isHanU(sep) else { return nil }
        return String(s[start..<at])
    }
}
