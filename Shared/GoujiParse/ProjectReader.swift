import GoujiModel

/// Projects and their performance indicators (MODEL.md "Projects").
///
/// A performance-target table is read by its field labels (项目名称, 年度资金总额, 其中：财政拨款, the
/// 一级/二级/三级指标 header) and, for the indicator rows, by the standard indicator framework's level
/// words (产出指标 › 数量指标 …): whether cells are tab-separated, space-separated, wrapped over several
/// lines or printed only on the first row of their group.
public enum ProjectReader {
    /// The projects of one performance-target table: the lines from its title to the line before
    /// the next table. Many documents print every project under one title (项目支出绩效目标表), each
    /// block starting with its 项目名称 field: a 项目名称 line after the block's own starts the next.
    public static func projects(fromPerformance lines: ArraySlice<SourceLine>) -> [Project] {
        var blocks: [ArraySlice<SourceLine>] = []
        var start = lines.startIndex
        var named = false
        for k in indices(of: lines, mayContain: projectNameMask) where lines[k].text.has("项目名称") {
            guard SourceText.trim(NarrText.stripDebris(lines[k].text)).begins(with: "项目名称") else { continue }
            if named { blocks.append(lines[start..<k]); start = k }
            named = true
        }
        blocks.append(lines[start...])
        return blocks.compactMap(project(fromPerformance:))
    }

    static let projectNameMask = ScalarMask.of("项目名称")

    /// The indices of the lines that may contain a word of mask `m` (`SourceLine.mayContain`), read
    /// through the slice's buffer: a line read by subscript was copied (its Strings retained and
    /// released) for each of the many lines the mask then skips.
    static func indices(of lines: ArraySlice<SourceLine>, mayContain m: UInt64) -> [Int] {
        lines.withUnsafeBufferPointer { buf in
            var out: [Int] = []
            // (`k` runs over the buffer's own indices; the slice's index is `startIndex + k`.)
            for k in buf.indices where buf[k].mask & m == m { out.append(lines.startIndex + k) }
            return out
        }
    }

    /// The indices of the non-blank lines (through the buffer, as `indices(of:mayContain:)`).
    static func nonBlankIndices(_ lines: ArraySlice<SourceLine>) -> [Int] {
        lines.withUnsafeBufferPointer { buf in
            var out: [Int] = []
            out.reserveCapacity(buf.count)
            for k in buf.indices where !buf[k].isBlank { out.append(lines.startIndex + k) }
            return out
        }
    }

    /// The masks of the words a block's lines are read for, up to the indicator header.
    static let headerMask = ScalarMask.of("一级指标"), totalMask = ScalarMask.of("资金总额"),
               yearFundsMask = ScalarMask.of("年度资金"), fiscalMask = ScalarMask.of("财政拨款")

    /// One project's performance-target block (see `projects(fromPerformance:)`).
    public static func project(fromPerformance lines: ArraySlice<SourceLine>) -> Project? {
        // The non-blank lines, by their indices in `lines` (an array of the lines themselves
        // retained and released every line's Strings).
        let body = nonBlankIndices(lines)
        guard !body.isEmpty else { return nil }
        let header = headerMask, name1 = projectNameMask, total1 = totalMask, year1 = yearFundsMask, fiscal1 = fiscalMask
        var name: String?
        var nameLine: Int?
        var total: Amount?
        var fiscal: Amount?
        var headerIndex: Int?

        var i = 0
        while i < body.count {
            let line = lines[body[i]]
            // A line that cannot print a word read below (its mask lacks one's scalars; stripping
            // debris only removes scalars) would only be stepped over: it is, unstripped.
            guard line.mayContain(header) || (name == nil && line.mayContain(name1))
                    || (total == nil && (line.mayContain(total1) || line.mayContain(year1)))
                    || (fiscal == nil && line.mayContain(fiscal1)) else { i += 1; continue }
            let text = NarrText.stripDebris(line.text)
            if isIndicatorHeader(text) { headerIndex = i; break }
            if name == nil, let r = text.byteRange(of: "项目名称") {
                var rest = String(text[r.upperBound...])
                while let f = rest.first, f == ":" || f == "：" || NarrText.isSpace(f) { rest.removeFirst() }
                var cellText = NarrText.has(rest, "\t") ? (NarrText.tabCells(rest).first { !$0.isEmpty } ?? "") : rest
                cellText = SourceText.trim(cellText)
                var j = i + 1
                if cellText.isEmpty {
                    // The name is on the next lines, wrapped, up to the next field label.
                    while j < body.count {
                        let t = NarrText.stripDebris(lines[body[j]].text)
                        if isFieldLabel(t) || isIndicatorHeader(t) { break }
                        cellText += t
                        j += 1
                        if FastText.characterCount(cellText) > 120 { break }
                    }
                    if !cellText.isEmpty { nameLine = lines[body[i + 1]].number }
                } else {
                    nameLine = line.number
                }
                let cleaned = cleanName(cellText)
                if !cleaned.isEmpty { name = cleaned }
                i = max(i + 1, j)
                continue
            }
            if NarrText.has(text, "资金总额") || NarrText.has(text, "年度资金"), total == nil {
                total = amount(after: NarrText.has(text, "资金总额") ? "资金总额" : "年度资金", in: text)
            } else if NarrText.has(text, "财政拨款"), fiscal == nil, !NarrText.has(text, "目标") {
                fiscal = amount(after: "财政拨款", in: text)
            }
            i += 1
        }
        if name == nil {
            // No 项目名称 field: the table's own title names the project (社保中心运行费绩效目标表),
            // possibly under a generic caption (1. 项目支出绩效目标表).
            for k in body[..<min(headerIndex ?? body.count, 6)] {
                let title = lines[k]
                let t = NarrText.stripDebris(title.text)
                if isFieldLabel(t) { break }
                // 部门整体支出绩效目标表: the whole unit's targets, not a project's.
                if NarrText.has(t, "整体") { break }
                let cleaned = nameFromTitle(t)
                if !cleaned.isEmpty { name = cleaned; nameLine = title.number; break }
            }
        }
        guard let name else { return nil }
        var indicators: [Indicator] = []
        if let h = headerIndex {
            // From the header to the block's end, blank lines included: the readers skip them.
            indicators = ProjIndicators.read(lines[body[h]...])
        }
        return Project(name: name, total: total, fiscal: fiscal, indicators: indicators, line: nameLine)
    }

    /// Projects from a project list table, for documents with no performance tables.
    public static func projects(fromList table: Table) -> [Project] {
        var out: [Project] = []
        for row in table.rows {
            let label = NarrText.stripDebris(Label.stripEnumerator(SourceText.trim(row.label)))
            let key = Label.normalized(label)
            if key.isEmpty || ["合计", "总计", "小计", "本年合计"].contains(key) { continue }
            guard let total = row.values[Column.total] ?? row.values.values.first else { continue }
            out.append(Project(name: label, total: total, fiscal: row.values[Column.fiscal], line: row.line))
        }
        // A list grouped by unit (单位名称（项目名称）) prints each unit's subtotal above its projects:
        // a line named like an organisation whose amount the lines after it add up to is no project.
        var k = 0
        while k < out.count {
            if let total = out[k].total, namesAnOrganisation(out[k].name), subtotals(total, out[(k + 1)...]) {
                out.remove(at: k)
            } else {
                k += 1
            }
        }
        return out
    }

    /// The amounts of the first lines of `rest` add up exactly to `total` (one line or more).
    static func subtotals(_ total: Amount, _ rest: ArraySlice<Project>) -> Bool {
        var sum = Amount(mantissa: 0, decimals: 0)
        for p in rest {
            guard let v = p.total, let s = sum.adding(v) else { return false }
            sum = s
            if sum.sameValue(as: total) { return true }
            if total < sum { return false }
        }
        return false
    }

    /// Ends like the name of a government unit (…局, …中心, …本级), not of a project (…经费, …项目).
    static func namesAnOrganisation(_ name: String) -> Bool {
        organisationEnds.contains { name.ends(with: $0) }
    }

    static let organisationEnds = ["本级", "局", "委员会", "委", "办公室", "办", "中心", "院", "所", "站", "馆", "队",
                                   "学校", "中学", "小学", "幼儿园", "医院", "厅", "处", "政府", "街道办事处", "协会", "联合会"]

    // MARK: - Fields

    private static let fieldPrefixes = [
        "主管部门", "实施单位", "项目属性", "项目日期", "项目资金", "项目期", "资金总额", "年度资金", "其中", "其他资金",
        "上年结转", "年度绩效目标", "总体目标", "绩效目标", "项目负责人", "联系电话", "项目类型", "项目概况", "预算金额",
    ]

    static func isFieldLabel(_ t: String) -> Bool {
        fieldPrefixes.contains { t.begins(with: $0) }
    }

    static func isIndicatorHeader(_ t: String) -> Bool {
        NarrText.has(t, "一级指标") && (NarrText.has(t, "二级指标") || NarrText.has(t, "三级指标"))
    }

    static func cleanName(_ s: String) -> String {
        var t = SourceText.trim(s)
        // Tab layout leaves trailing empty cells; a space layout may print a second field on the line.
        if NarrText.has(t, "\t") { t = NarrText.tabCells(t).first { !$0.isEmpty } ?? "" }
        for label in ["主管部门", "实施单位"] {
            if let r = t.byteRange(of: label) { t = String(t[..<r.lowerBound]) }
        }
        return SourceText.trim(t)
    }

    /// `社保中心运行费绩效目标表` → 社保中心运行费; a generic `项目支出绩效目标表` names no project.
    static func nameFromTitle(_ title: String) -> String {
        var t = title
        if let r = t.byteRange(of: "绩效目标表") { t = String(t[..<r.lowerBound]) }
        else if let r = t.byteRange(of: "绩效目标") { t = String(t[..<r.lowerBound]) }
        else { return "" }
        for suffix in ["项目支出", "项目", "支出"] where t.ends(with: suffix) {
            t = String(t.dropLast(suffix.count))
            break
        }
        t = Label.stripEnumerator(SourceText.trim(t))
        // A table number or a year caption before the name.
        if let r = t.byteRange(of: "表", backwards: true), t[t.startIndex..<r.lowerBound].allSatisfy({ $0 == "附" || NarrText.isDigit($0) || NarrText.isSpace($0) }) {
            t = String(t[r.upperBound...])
        }
        t = SourceText.trim(t)
        return t.contains(where: NarrText.isHan) ? t : ""
    }

    /// The first amount printed after `label` on the line.
    static func amount(after label: String, in text: String) -> Amount? {
        guard let r = text.byteRange(of: label) else { return nil }
        let rest = String(text[r.upperBound...])
        for tok in NarrText.tokens(rest.replacingAll("：", with: " ").replacingAll(":", with: " ")) {
            if let a = NarrText.amountToken(tok) { return a }
            if tok.contains(where: NarrText.isHan) { return nil }
        }
        return nil
    }
}

/// The indicator block of a performance table (from its 一级指标 header on).
enum ProjIndicators {
    /// Level-one words of the national indicator framework (and the short forms some regions print).
    static let level1: Set<String> = ["产出指标", "效益指标", "满意度指标", "成本指标", "满意度", "产出", "效益", "成本"]
    /// Level-two words.
    static let level2: Set<String> = [
        "数量指标", "质量指标", "时效指标", "成本指标", "经济成本指标", "社会成本指标", "生态环境成本指标",
        "经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标", "服务对象满意度指标", "服务对象满意度",
        "数量", "质量", "时效", "成本", "经济效益", "社会效益", "生态效益", "可持续影响", "满意度",
        "经济成本", "社会成本", "生态环境成本", "服务对象满意度指",
    ]
    static let allWords: [String] = Array(level1.union(level2))

    static let level1Words = Array(level1), level2Words = Array(level2)
    /// Membership by UTF-8 bytes: hashing a CJK string normalises it first, and costs more than
    /// comparing against these few words. All three lookups read one table (`kind`), so a token
    /// is looked up once for all of them.
    static func inLevel1(_ s: String) -> Bool { kind(s) & level1Bit != 0 }
    static func inLevel2(_ s: String) -> Bool { kind(s) & level2Bit != 0 }
    static func isWord(_ s: String) -> Bool { kind(s) & (level1Bit | level2Bit) != 0 }
    static func isPrefixOfWord(_ s: String) -> Bool { kind(s) & prefixBit != 0 }

    /// `kind`'s bits: a level-one word, a level-two word, a proper prefix of a level word.
    static let level1Bit: UInt8 = 1, level2Bit: UInt8 = 2, prefixBit: UInt8 = 4

    /// What `s` is among the level words (`level1Bit`, `level2Bit`, `prefixBit`; 0 for none).
    static func kind(_ s: String) -> UInt8 { wordTable.kind(s) }

    /// The level words and their proper prefixes (`kind`), each text once with its bits (满意度 is
    /// a word of both levels and a prefix of 满意度指标). A reader that looks up many tokens
    /// fetches it once (each read of a static is a `swift_once` call).
    static let wordTable: WordTable = {
        var entries: [(bytes: [UInt8], kind: UInt8)] = []
        func add(_ w: String, _ k: UInt8) {
            let b = Array(w.utf8)
            if let i = entries.firstIndex(where: { $0.bytes == b }) { entries[i].kind |= k } else { entries.append((b, k)) }
        }
        for w in level1Words { add(w, level1Bit) }
        for w in level2Words { add(w, level2Bit) }
        for p in properPrefixes.joined() { add(p, prefixBit) }
        return WordTable(entries, leads: wordLeads)
    }()

    /// Texts with their `kind` bits, flat: their UTF-8 one after another, shortest first, and per
    /// text its start and bits; arrays of integers, read without retaining an element (an array of
    /// byte arrays retained each word it compared).
    struct WordTable: Sendable {
        private var bytes: [UInt8] = [], starts: [Int] = [], kinds: [UInt8] = []
        /// `groups[n]`: the indices (in `starts`) of the texts of n bytes.
        private var groups: [Range<Int>] = []
        /// The first scalars of the texts: a text that starts otherwise is none of them.
        private let leads: [UInt32]

        init(_ entries: [(bytes: [UInt8], kind: UInt8)], leads: [UInt32]) {
            self.leads = leads
            let sorted = entries.sorted { $0.bytes.count < $1.bytes.count }
            for e in sorted {
                starts.append(bytes.count)
                kinds.append(e.kind)
                bytes += e.bytes
            }
            let longest = sorted.last?.bytes.count ?? 0
            groups = (0...longest).map { n in
                let lo = sorted.firstIndex { $0.bytes.count >= n } ?? sorted.count
                let hi = sorted.firstIndex { $0.bytes.count > n } ?? sorted.count
                return lo..<hi
            }
        }

        /// The bits of the text with `s`'s UTF-8 bytes, compared only with the texts of its length;
        /// 0 for none.
        func kind(_ s: String) -> UInt8 {
            FastText.scanUTF8(s) { b -> UInt8 in
                let n = b.count
                guard n < groups.count, !groups[n].isEmpty else { return 0 }
                if n > 0 {
                    guard let (v, _) = FastText.decodeScalar(b, at: 0), leads.contains(v) else { return 0 }
                }
                return bytes.withUnsafeBufferPointer { all -> UInt8 in
                    // (Text `e` is the n bytes at `starts[e]`: `FastText.bytes` compares them.)
                    for e in groups[n] where FastText.bytes(b, occurAt: starts[e], in: all) { return kinds[e] }
                    return 0
                }
            }
        }
    }

    /// The proper prefixes of the level words (the empty text included), by UTF-8 length:
    /// `allWords.contains { $0.begins(with: s) && $0 != s }` is `s` being one of them, since the
    /// words are ideographs only (no scalar of theirs composes or decomposes, so a shorter text
    /// never equals a word) and a String's bytes end on a scalar boundary.
    static let properPrefixes: [[String]] = {
        var byLength: [[String]] = []
        for w in allWords {
            let u = Array(w.unicodeScalars)
            for k in 0..<u.count {
                let p = NarrText.str(u[..<k])
                let n = p.utf8.count
                while byLength.count <= n { byLength.append([]) }
                if !byLength[n].contains(where: { FastText.isOneOf(p, [$0]) }) { byLength[n].append(p) }
            }
        }
        return byLength
    }()

    /// The first scalars of the level words.
    static let wordLeads: [UInt32] = Array(Set(allWords.compactMap { $0.unicodeScalars.first?.value })).sorted()

    /// False when `s` starts with a scalar no level word starts with: then it is neither a word
    /// nor a prefix of one (both compare bytes from the start). True for the empty text.
    @inline(__always)
    static func mayStartWord(_ s: String) -> Bool {
        guard let f = Scalars.first(s) else { return true }
        return wordLeads.contains(f.value)
    }

    /// `valueOperators.contains(c)` without hashing the Character: none of the operators has a
    /// canonical decomposition, so a Character equal to one is that one scalar.
    @inline(__always)
    static func isValueOperator(_ c: Character) -> Bool { isOneScalar(c, isValueOperatorScalar) }

    @inline(__always)
    static func isValueOperatorScalar(_ v: UInt32) -> Bool {
        switch v {
        case 0x3D, 0xFF1D, 0x2265, 0x2264, 0xFF1E, 0xFF1C, 0x3E, 0x3C, 0x2267, 0x2266, 0x2248: return true
        default: return false
        }
    }

    /// A first Character that reads as a digit once folded (０-９ or 0-9, alone).
    @inline(__always)
    static func isFoldedDigit(_ c: Character) -> Bool { isOneScalar(c, isFoldedDigitScalar) }

    @inline(__always)
    static func isFoldedDigitScalar(_ v: UInt32) -> Bool { (v >= 0x30 && v <= 0x39) || (v >= 0xFF10 && v <= 0xFF19) }

    /// `c` is one scalar, and `test` holds for its value.
    @inline(__always)
    static func isOneScalar(_ c: Character, _ test: (UInt32) -> Bool) -> Bool {
        let u = c.unicodeScalars
        guard let f = u.first, u.count == 1 else { return false }
        return test(f.value)
    }

    /// `isOneScalar(s.first ?? " ", test)` for a `test` that fails the space, read on the bytes
    /// without building the first Character: a first scalar that fails `test` fails it in any
    /// Character; one that passes is the whole first Character where the text ends after it or
    /// the next scalar is a Character of its own (`FastText.isOwnCharacter`: no mark or joiner
    /// that would join it). Otherwise the Character decides.
    static func firstCharacterIsOneScalar(_ s: String, _ test: (UInt32) -> Bool) -> Bool {
        let fast = FastText.scanUTF8(s) { b -> Bool? in
            guard !b.isEmpty else { return false }
            guard let (v0, l0) = FastText.decodeScalar(b, at: 0) else { return nil }
            if !test(v0) { return false }
            if l0 >= b.count { return true }
            guard let (v1, _) = FastText.decodeScalar(b, at: l0), FastText.isOwnCharacter(v1) else { return nil }
            return true
        }
        return fast ?? isOneScalar(s.first ?? " ", test)
    }

    /// `cells.joined(separator: " ")`, appended cell by cell (the generic join is slow).
    static func spaced(_ cells: ArraySlice<String>) -> String {
        var out = ""
        var first = true
        for c in cells {
            if !first { out += " " }
            out += c
            first = false
        }
        return out
    }

    static let valueOperators: Set<Character> = ["=", "＝", "≥", "≤", "＞", "＜", ">", "<", "≧", "≦", "≈"]

    /// The indicators under the header line `lines.first` (blank lines among the rows are skipped).
    static func read(_ lines: ArraySlice<SourceLine>) -> [Indicator] {
        guard let header = lines.first else { return [] }
        let headerText = NarrText.stripDebris(header.text)
        var out = NarrText.has(headerText, "\t") ? readTabbed(headerText, lines.dropFirst())
            : readSpaced(lines.dropFirst(), headerIndent: indent(header.raw))
        settleLevels(&out)
        return out
    }

    /// The level-one family a level-two word of the national framework belongs to (产出, 效益,
    /// 满意度, 成本), by its words; nil for a word that fits more than one (成本指标 is a level-two
    /// word under 产出指标 in the older framework) or none.
    static func family(ofLevel2 w: String) -> String? { familyIndex(ofLevel2: w).map { families[$0] } }

    /// `family(ofLevel2:)` as an index in `families`, read on `w`'s bytes once: the words are
    /// static strings (a String word was copied and its bytes fetched for each test).
    static func familyIndex(ofLevel2 w: String) -> Int? {
        FastText.scanUTF8(w) { b -> Int? in
            func begins(_ p: StaticString) -> Bool { p.withUTF8Buffer { FastText.bytes($0, occurAt: 0, in: b) } }
            func has(_ p: StaticString) -> Bool { p.withUTF8Buffer { ByteSearch.first($0, in: b) != nil } }
            if begins("数量") || begins("质量") || begins("时效") { return outputFamily }
            if has("效益") || begins("可持续影响") { return benefitFamily }
            if has("满意度") { return satisfactionFamily }
            if has("经济成本") || has("社会成本") || has("生态环境成本") { return costFamily }
            return nil
        }
    }

    /// A merged level-one cell prints its word once: on its group's first row, or (centred
    /// vertically, as `pdftotext -layout` prints it) on a middle row, the rows above it blank. Read
    /// row by row, the rows above took the previous group's word. Where an indicator's level-two
    /// word belongs to another family than its level-one word (数量指标 under 成本指标), and the
    /// table prints a level-one word of that family, the indicator takes it. Rows above the
    /// first printed word take it.
    static func settleLevels(_ out: inout [Indicator]) {
        // A family by its index in `families` (the words `family(ofLevel2:)` names), so that the
        // printed words are kept in an array by family: a dictionary keyed by the family's word
        // hashed it (through Unicode normalisation) on every lookup.
        // The families' words are fetched once (each read of a static is a `swift_once` call)
        // and compared on the bytes of the word asked about, read once.
        let starts = familyStarts
        func level1Family(_ w: String) -> Int? {
            FastText.scanUTF8(w) { b in starts.firstIndex { $0.withUTF8Buffer { FastText.bytes($0, occurAt: 0, in: b) } } }
        }
        func level2Family(_ w: String) -> Int? { familyIndex(ofLevel2: w) }
        // Rows above the first printed word of a level (centred in the first group) take it.
        if let first = out.firstIndex(where: { !$0.l1.isEmpty }) {
            for k in 0..<first { out[k].l1 = out[first].l1 }
        }
        if let first = out.firstIndex(where: { !$0.l2.isEmpty }), level1Family(out[first].l1) == level1Family(out[0].l1) {
            for k in 0..<first where out[k].l2.isEmpty { out[k].l2 = out[first].l2 }
        }
        var printed: [String?] = Array(repeating: nil, count: families.count)
        for k in out.indices where !out[k].l1.isEmpty {
            if let f = level1Family(out[k].l1), printed[f] == nil { printed[f] = out[k].l1 }
        }
        guard printed.reduce(0, { $0 + ($1 == nil ? 0 : 1) }) >= 2 else { return }
        for k in out.indices {
            guard let f = level2Family(out[k].l2), level1Family(out[k].l1) != f, let l1 = printed[f] else { continue }
            out[k].l1 = l1
        }
    }

    /// The indicator families, by their level-one words' starts (`settleLevels`); the words
    /// `family(ofLevel2:)` names, at the indices `familyIndex(ofLevel2:)` gives.
    static let familyStarts: [StaticString] = ["产出", "效益", "满意度", "成本"]
    static let families = familyStarts.map { $0.description }
    static let outputFamily = 0, benefitFamily = 1, satisfactionFamily = 2, costFamily = 3

    /// A line that ends the table: a part or section heading, a note, or prose.
    static func endsTable(_ t: String) -> Bool {
        if t.begins(with: "第") && NarrText.has(t, "部分") { return true }
        if t.begins(with: "注：") || t.begins(with: "注:") || t.begins(with: "备注") { return true }
        if NarrText.has(t, "绩效目标表") { return true }
        let stripped = Label.stripEnumerator(t)
        if stripped != t && !isWord(NarrText.tokens(stripped).first ?? "") { return true }
        if t.ends(with: "。") && t.count > 20 { return true }
        return false
    }

    // MARK: Tab-separated rows: positions give the levels.

    /// `s.contains(word)` (Foundation's search, which may match a canonically equivalent text) for a
    /// word of ideographs. Read on the bytes where every scalar of `s` is a tab, printable ASCII, an
    /// ideograph (U+4E00–U+9FFF), CJK punctuation without its combining marks (U+3000–U+3029,
    /// U+3030–U+303F) or a full-width form (U+FF01–U+FF5E): each is then a Character of its own
    /// with no canonical decomposition, so only the word's own bytes match it. Any other text is
    /// Foundation's to read.
    static func containsWord(_ s: String, _ word: String) -> Bool {
        let plain = FastText.scanUTF8(s) { b -> Bool in
            var i = 0
            while i < b.count {
                guard let (v, len) = FastText.decodeScalar(b, at: i) else { return false }
                switch v {
                case 0x09, 0x20...0x7E, 0x3000...0x3029, 0x3030...0x303F, 0x4E00...0x9FFF, 0xFF01...0xFF5E: i += len
                default: return false
                }
            }
            return true
        }
        return plain ? s.has(word) : s.contains(word)
    }

    static func readTabbed(_ headerText: String, _ rows: ArraySlice<SourceLine>) -> [Indicator] {
        let hc = NarrText.tabCells(headerText)
        guard let i1 = hc.firstIndex(where: { containsWord($0, "一级指标") }) else { return readSpaced(rows) }
        var out: [Indicator] = []
        var l1 = "", l2 = ""
        for row in rows {
            let t = NarrText.stripDebris(row.text)
            if t.isEmpty { continue }
            if endsTable(t) { break }
            guard NarrText.has(row.raw, "\t") else { break }
            let cells = NarrText.tabCells(row.raw)
            func cell(_ k: Int) -> String { k < cells.count ? NarrText.stripDebris(cells[k]) : "" }
            var c1 = cell(i1), c2 = cell(i1 + 1), c3 = cell(i1 + 2), c4 = cell(i1 + 3)
            // A row shifted left by a dropped leading cell.
            if i1 > 0, cells.count == i1 + 3, !cell(0).isEmpty, c4.isEmpty {
                c1 = cell(0); c2 = cell(1); c3 = cell(2); c4 = cell(3)
            }
            if !c1.isEmpty { l1 = c1; l2 = "" }
            if !c2.isEmpty { l2 = c2 }
            if c3.isEmpty && c4.isEmpty { continue }
            out.append(Indicator(l1: l1, l2: l2, l3: c3, value: c4))
        }
        return out
    }

    // MARK: Space-separated or wrapped rows: the framework's words give the levels.

    /// The display width of a line's leading whitespace (an ideographic space counts two).
    static func indent(_ raw: String) -> Int {
        var w = 0
        for u in raw.unicodeScalars {
            if u == " " { w += 1 } else if u == "\u{3000}" { w += 2 } else if u == "\t" { w += 4 } else { break }
        }
        return w
    }

    /// `headerIndent`: the header line's indentation. A row indented further than it (by more
    /// than two columns, as `pdftotext -layout` prints a blank first cell) starts with a
    /// level-two word where a word could be either (成本, 满意度).
    static func readSpaced(_ rows: ArraySlice<SourceLine>, headerIndent: Int? = nil) -> [Indicator] {
        var out: [Indicator] = []
        var l1 = "", l2 = ""
        var pendingWord = ""       // a level word wrapped over lines (经济成本指 / 标)
        var pendingL3 = ""         // a third-level name wrapped over lines
        var lastWasL1 = false
        // Every token's lookup reads this table (fetched once: see `wordTable`).
        let words = wordTable

        func assign(_ word: String, forceLevel: Int? = nil) {
            let level: Int
            if let f = forceLevel { level = f }
            else {
                let levels = words.kind(word) & (level1Bit | level2Bit)
                if levels == level1Bit { level = 1 }
                else if levels == level2Bit { level = 2 }
                else { level = (l1.isEmpty || !lastWasL1) ? 1 : 2 }
            }
            if level == 1 { l1 = word; l2 = ""; lastWasL1 = true } else { l2 = word; lastWasL1 = false }
        }
        func flushPendingWord() {
            if !pendingWord.isEmpty {
                if words.kind(pendingWord) & (level1Bit | level2Bit) != 0 { assign(pendingWord) } else { pendingL3 += pendingWord }
                pendingWord = ""
            }
        }

        for row in rows {
            let t = NarrText.stripDebris(row.text)
            if t.isEmpty { continue }
            if endsTable(t) { break }
            let firstCellBlank = headerIndent.map { indent(row.raw) > $0 + 2 } ?? false
            var toks = NarrText.tokens(t)
            if toks.isEmpty { continue }
            // Continue a wrapped level word.
            if !pendingWord.isEmpty {
                let merged = pendingWord + toks[0]
                if words.kind(merged) != 0 {
                    toks[0] = merged
                    pendingWord = ""
                } else {
                    flushPendingWord()
                }
            }
            // Where does the value start? An operator first; else a number; else the last cell.
            var vIndex: Int?
            if toks.count >= 2 {
                if let k = toks.indices.dropFirst().first(where: { firstCharacterIsOneScalar(toks[$0], isValueOperatorScalar) }) { vIndex = k }
                else if let k = toks.indices.dropFirst().first(where: { firstCharacterIsOneScalar(toks[$0], isFoldedDigitScalar) }) { vIndex = k }
            }
            if vIndex == nil, toks.count == 1, firstCharacterIsOneScalar(toks[0], isValueOperatorScalar), !pendingL3.isEmpty {
                vIndex = 0
            }
            if vIndex == nil {
                // No value marker: level words, a wrapped fragment, or "name value" in words.
                // Each token's `kind` looked up once (the word and prefix tests below all read it).
                var k = 0
                while k < toks.count {
                    let kk = words.kind(toks[k])
                    let word = kk & (level1Bit | level2Bit) != 0
                    let lastPrefix = k == toks.count - 1 && kk & prefixBit != 0
                    guard word || lastPrefix else { break }
                    if word && !lastPrefix {
                        let force: Int? = (k == 0 && toks.count >= 2 && words.kind(toks[1]) & (level1Bit | level2Bit) != 0) ? 1
                            : (k == 1 || (k == 0 && firstCellBlank) ? 2 : nil)
                        assign(toks[k], forceLevel: force)
                    } else {
                        pendingWord = toks[k]
                    }
                    k += 1
                }
                let rest = toks[k...]
                if rest.count >= 2 {
                    let name = pendingL3 + ProjIndicators.spaced(rest.dropLast())
                    out.append(Indicator(l1: l1, l2: l2, l3: name, value: rest.last ?? ""))
                    pendingL3 = ""
                    lastWasL1 = false
                } else if let only = rest.first {
                    pendingL3 += only
                }
                continue
            }
            guard let v = vIndex else { continue }
            // Leading level words, up to two (keep at least one cell before `v` for the
            // third-level name): tokens `0..<leading`, the name the tokens `leading..<v`.
            var leading = 0
            while leading < 2, v - leading > 1, words.kind(toks[leading]) & (level1Bit | level2Bit) != 0 { leading += 1 }
            if leading == 2 {
                assign(toks[0], forceLevel: 1); assign(toks[1], forceLevel: 2)
            } else if leading == 1 {
                assign(toks[0], forceLevel: firstCellBlank ? 2 : nil)
            }
            let name = pendingL3 + ProjIndicators.spaced(toks[leading..<v])
            pendingL3 = ""
            let value = ProjIndicators.spaced(toks[v...])
            out.append(Indicator(l1: l1, l2: l2, l3: name, value: value))
            lastWasL1 = false
        }
        return out
    }
}
