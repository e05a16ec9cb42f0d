import GoujiModel

/// Rules on the document as a whole: D-TABLES, D-YEAR, D-UNIT, D-EMPTY, D-TEXT.
enum DocumentRules {
    static func run(_ ctx: Context) {
        tables(ctx)
        years(ctx)
        units(ctx)
        // One pass over the prose serves both rules (D-EMPTY's keywords are scan patterns too).
        let scan = ProseScan(ctx.doc.prose)
        empties(ctx, scan)
        text(ctx, scan)
    }

    // MARK: D-TABLES

    static func tables(_ ctx: Context) {
        // Kinds as bits by their position in `TableKind.allCases` (hashing a kind hashes its raw string).
        func bit(_ k: TableKind) -> UInt64 { 1 << UInt64(Context.ordinal(k)) }
        var present: UInt64 = 0
        // By position (a `for t in tables` copies every table for its kind).
        let tables = ctx.doc.tables
        for i in tables.indices { present |= bit(tables[i].kind) }
        var reported: UInt64 = 0
        for (kind, name) in RuleTables.requiredTables where present & bit(kind) == 0 {
            reported |= bit(kind)
            if let entry = ctx.doc.toc.first(where: { $0.kind == kind }) {
                ctx.add("D-TABLES", .warning,
                        zh: "目录第 \(entry.line) 行列出《\(entry.title)》，但正文中没有这张表，标准报表不全。请补充该表。",
                        en: "The table of contents (line \(entry.line)) lists 《\(entry.title)》 but the body has no such table; the standard table set is incomplete.",
                        refs: [FindingRef(table: kind.rawValue, line: entry.line)],
                        expected: "《\(entry.title)》", found: ctx.text("正文缺失", "absent from the body"))
            } else {
                ctx.add("D-TABLES", .warning,
                        zh: "缺少标准报表《\(name)》（\(kind.rawValue)）。请补充该表，或说明为空表。",
                        en: "The standard table 《\(name)》 (\(kind.rawValue)) is missing; add it or declare it empty.",
                        refs: [FindingRef(table: kind.rawValue)], expected: name, found: ctx.text("缺失", "absent"))
            }
        }
        for entry in ctx.doc.toc where entry.kind != .other && present & bit(entry.kind) == 0 && reported & bit(entry.kind) == 0 {
            reported |= bit(entry.kind)
            ctx.add("D-TABLES", .warning,
                    zh: "目录第 \(entry.line) 行列出《\(entry.title)》，但正文中没有这张表。请补充该表或更正目录。",
                    en: "The table of contents (line \(entry.line)) lists 《\(entry.title)》 but the body has no such table.",
                    refs: [FindingRef(table: entry.kind.rawValue, line: entry.line)],
                    expected: "《\(entry.title)》", found: ctx.text("正文缺失", "absent from the body"))
        }
    }

    // MARK: D-YEAR

    static let comparisonWords = ["上年", "上一年", "执行", "决算", "比较", "对比", "同期"]

    static func years(_ ctx: Context) {
        guard let fy = ctx.doc.fiscalYear else { return }
        for c in ctx.doc.captions {
            guard let year = c.year else { continue }
            // Most captions name the fiscal year, plainly printed: nothing to report, nothing built.
            if year == fy && !c.formatted { continue }
            var refs = [FindingRef(line: c.line)]
            if let ti = c.table, ctx.doc.tables.indices.contains(ti) {
                let t = ctx.doc.tables[ti]
                refs = [FindingRef(table: t.kind.rawValue, label: t.title, line: c.line)]
            }
            if year != fy {
                if comparisonWords.contains(where: { c.text.includes($0) }) { continue }
                // A column caption of another year beside one of the fiscal year is a comparison column.
                if c.role == .column, let ti = c.table,
                   ctx.doc.captions.contains(where: { $0.table == ti && $0.year == fy }) { continue }
                // So is one printed on the same header line (2023年预算数 2024年预算数 增减额).
                if c.role == .column, c.text.includes(String(fy) + "年") { continue }
                let role = c.role == .part ? ctx.text("部分标题", "part title") : c.role == .table ? ctx.text("表格年度", "table caption") : ctx.text("栏目标题", "column caption")
                ctx.add("D-YEAR", .warning,
                        zh: "第 \(c.line) 行\(role)「\(c.text)」写的是 \(year) 年，而文件是 \(fy) 年预算，可能沿用了上年模板。请更正年份。",
                        en: "Line \(c.line): the \(role) “\(c.text)” names \(year) in the \(fy) budget; it was probably not updated from an earlier template.",
                        refs: refs, expected: String(fy), found: String(year))
            } else if c.formatted {
                ctx.add("D-YEAR", .info,
                        zh: "第 \(c.line) 行「\(c.text)」中的年份被加上了千分位等数字格式。请改为 \(fy)。",
                        en: "Line \(c.line): the year in “\(c.text)” is printed with number formatting (a thousands separator); print it as \(fy).",
                        refs: refs, expected: String(fy), found: c.text)
            }
        }
    }

    // MARK: D-UNIT

    static func units(_ ctx: Context) {
        guard let unit = ctx.doc.unit else { return }
        let unitName = unit.name.map { ctx.norm($0) }
        let supName = ctx.doc.supervisor?.name.map { ctx.norm($0) }
        // Tables by position (a `for t in tables` copies each one); a unit that names the
        // document's code is passed over before its name is normalised.
        let tables = ctx.doc.tables
        for ti in tables.indices {
            for m in tables[ti].units {
                if m.code != nil && m.code == unit.code { continue }
                let name = m.name.map { ctx.norm($0) }
                if name != nil && name == unitName { continue }
                let t = tables[ti]
                if m.code == nil && name == nil { continue }
                // A unit consolidated by a department document (its code extends the department's).
                if ctx.doc.scope == .department, let mc = m.code, let uc = unit.code, mc.hasPrefix(uc) { continue }
                let printed = [m.code, m.name].compactMap { $0 }.joined(separator: " ")
                let expected = [unit.code, unit.name].compactMap { $0 }.joined(separator: " ")
                let isSupervisor = (m.code != nil && m.code == ctx.doc.supervisor?.code) || (name != nil && name == supName)
                if isSupervisor {
                    ctx.add("D-UNIT", .info,
                            zh: "\(t.title)（第 \(m.line) 行）写的单位是主管部门「\(printed)」，而非本单位「\(expected)」。请统一单位名称。",
                            en: "\(t.title) (line \(m.line)) names the supervising department “\(printed)” instead of the unit “\(expected)”.",
                            refs: [FindingRef(table: t.kind.rawValue, line: m.line)], expected: expected, found: printed)
                } else {
                    ctx.add("D-UNIT", .warning,
                            zh: "\(t.title)（第 \(m.line) 行）写的单位「\(printed)」与本文件单位「\(expected)」不一致。请核对该表是否属于本单位。",
                            en: "\(t.title) (line \(m.line)) names “\(printed)”, not the document's unit “\(expected)”; check that the table belongs to this unit.",
                            refs: [FindingRef(table: t.kind.rawValue, line: m.line)], expected: expected, found: printed)
                }
            }
        }
    }

    // MARK: D-EMPTY

    static let emptyKeywords: [(kind: TableKind, word: String)] = [
        (.govFund, "政府性基金"), (.stateCapital, "国有资本经营"), (.threePublic, "三公"),
    ]
    static let negations = ["没有", "无", "未", "不", "为零", "为0", "均为0", "为 0"]
    static let clauseEnds: Set<Character> = ["，", "。", "；", ",", ";", "！", "?", "？"]

    /// What a prose clause says about a kind of spending: a positive amount in 万元, or none.
    enum Claim: Equatable { case spends(Amount), none }

    static func claims(_ line: String, word: String) -> [Claim] {
        simpleClaims(line, word: word) ?? characterClaims(line, word: word)
    }

    /// `claims` read Character by Character (any line).
    static func characterClaims(_ line: String, word: String) -> [Claim] {
        var out: [Claim] = []
        var rest = Substring(line)
        while let r = rest.rangeOfWord(word) {
            // The clause around the keyword: back to the previous clause end, on to the next.
            let before = rest[rest.startIndex..<r.lowerBound]
            let startIdx = before.lastIndex(where: { clauseEnds.contains($0) }).map { rest.index(after: $0) } ?? rest.startIndex
            let after = rest[r.upperBound...]
            let endIdx = after.firstIndex(where: { clauseEnds.contains($0) }) ?? rest.endIndex
            let clause = String(rest[startIdx..<endIdx])
            let tail = String(rest[r.upperBound..<endIdx])
            if negations.contains(where: { clause.includes($0) }) {
                out.append(.none)
            } else if let a = firstAmount(tail, unit: "万元"), a.mantissa > 0 {
                out.append(.spends(a))
            }
            rest = rest[r.upperBound...]
        }
        return out
    }

    /// True when every scalar of `bytes` (valid UTF-8) is a Character of its own that no other
    /// scalar is canonically equivalent to a clause end: printable ASCII, CJK symbols and ideographs,
    /// fullwidth forms, general punctuation, without their combining or joining marks. On such text
    /// Character-by-Character and scalar-by-scalar readings agree.
    static func isSimple(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        var i = 0
        while i < n {
            let c = UInt32(b[i])
            if c < 0x80 {
                if c < 0x20 && c != 0x09 { return false }
                i += 1
                continue
            }
            guard c >= 0xE0 && c < 0xF0, i + 2 < n else { return false }
            // Lead bytes E4…E9 are U+4000…U+9FFF, all accepted: most of a Chinese text.
            if c >= 0xE4 && c <= 0xE9 {
                i += 3
                continue
            }
            let v = (c & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
            if !isSimpleScalar(v) { return false }
            i += 3
        }
        return true
    }

    /// The three-byte scalars `isSimple` accepts: CJK symbols and ideographs, fullwidth forms,
    /// general punctuation, without their combining or joining marks.
    @inline(__always)
    static func isSimpleScalar(_ v: UInt32) -> Bool {
        (0x3000...0x3029).contains(v) || (0x3030...0x3098).contains(v) || (0x309B...0x9FFF).contains(v)
            || (0xFF00...0xFF9D).contains(v) || (0xFFA0...0xFFEF).contains(v)
            || (0x2010...0x2027).contains(v) || (0x2030...0x205F).contains(v)
    }

    static let clauseEndBytes: [[UInt8]] = clauseEnds.map { Array(String($0).utf8) }
    /// By byte: whether some clause end starts with it.
    static let clauseEndFirsts: [Bool] = {
        var t = [Bool](repeating: false, count: 256)
        for e in clauseEndBytes { if let f = e.first { t[Int(f)] = true } }
        return t
    }()

    /// `claims` on the UTF-8 bytes of a simple line (see `isSimple`); nil for any other line.
    static func simpleClaims(_ line: String, word: String) -> [Claim]? {
        var line = line
        var word = word
        let ends = clauseEndBytes
        let endFirsts = clauseEndFirsts
        return line.withUTF8 { b -> [Claim]? in
            guard isSimple(b) else { return nil }
            return word.withUTF8 { w -> [Claim] in
                /// The length of the clause end starting at `i`, or 0.
                func endLength(_ i: Int) -> Int {
                    // Most bytes cannot start a clause end (CJK lead bytes): one table test.
                    guard endFirsts[Int(b[i])] else { return 0 }
                    for e in ends where i + e.count <= b.count {
                        var k = 0
                        while k < e.count && b[i + k] == e[k] { k += 1 }
                        if k == e.count { return k }
                    }
                    return 0
                }
                var out: [Claim] = []
                var from = 0
                let n = b.count
                while let o = ByteSearch.first(w, in: b, from: from) {
                    let upper = o + w.count
                    // Back to the previous clause end (within what is left), on to the next.
                    var start = from
                    var i = o - 1
                    while i >= from {
                        if b[i] & 0xC0 != 0x80, endLength(i) > 0 { start = i + endLength(i); break }
                        i -= 1
                    }
                    var end = n
                    i = upper
                    while i < n {
                        if b[i] & 0xC0 != 0x80, endLength(i) > 0 { end = i; break }
                        i += 1
                    }
                    let clause = UnsafeBufferPointer(rebasing: b[start..<end])
                    let negated = negationBytes.contains { neg in
                        neg.withUnsafeBufferPointer { ByteSearch.first($0, in: clause) != nil }
                    }
                    if negated {
                        out.append(.none)
                    } else if let a = firstAmount(UnsafeBufferPointer(rebasing: b[upper..<end]), unit: wanYuan), a.mantissa > 0 {
                        out.append(.spends(a))
                    }
                    from = upper
                }
                return out
            }
        }
    }
    /// Whether a claim read from `line` may be `.spends`: false only for a simple line (see
    /// `isSimple`; `simpleClaims` reads it) without 万元, the unit a spent amount is read before.
    static func maySpend(_ line: String) -> Bool {
        var line = line
        return line.withUTF8 { b in
            !isSimple(b) || wanYuan.withUnsafeBufferPointer { ByteSearch.first($0, in: b) != nil }
        }
    }

    static let negationBytes: [[UInt8]] = negations.map { Array($0.utf8) }.filter { !$0.isEmpty }
    static let wanYuan = Array("万元".utf8)

    /// `firstAmount` on the bytes of a simple text (see `isSimple`).
    static func firstAmount(_ b: UnsafeBufferPointer<UInt8>, unit: [UInt8]) -> Amount? {
        let n = b.count
        // The length of a digit at `i` (ASCII 1, full-width ０…９ EF BC 90…99: 3), else 0; with
        // `marks`, of `.` `,` and their full-width forms (EF BC 8E, 8C) too.
        func digitLength(_ i: Int, marks: Bool) -> Int {
            let c = b[i]
            if c >= 0x30 && c <= 0x39 || marks && (c == 0x2E || c == 0x2C) { return 1 }
            guard c == 0xEF, i + 2 < n, b[i + 1] == 0xBC else { return 0 }
            let d = b[i + 2]
            return d >= 0x90 && d <= 0x99 || marks && (d == 0x8E || d == 0x8C) ? 3 : 0
        }
        var i = 0
        while i < n {
            if digitLength(i, marks: false) > 0 {
                var j = i
                while j < n {
                    let m = digitLength(j, marks: true)
                    if m == 0 { break }
                    j += m
                }
                // Spaces between: ASCII, no-break (C2 A0) and ideographic (E3 80 80).
                var k = j
                while k < n {
                    if b[k] == 0x20 { k += 1 }
                    else if b[k] == 0xC2, k + 1 < n, b[k + 1] == 0xA0 { k += 2 }
                    else if b[k] == 0xE3, k + 2 < n, b[k + 1] == 0x80, b[k + 2] == 0x80 { k += 3 }
                    else { break }
                }
                if k + unit.count <= n {
                    var m = 0
                    while m < unit.count && b[k + m] == unit[m] { m += 1 }
                    if m == unit.count { return Amount(Label.foldWidth(String(decoding: UnsafeBufferPointer(rebasing: b[i..<j]), as: UTF8.self))) }
                }
                i = j
            } else {
                i += 1
            }
        }
        return nil
    }

    /// The first number directly followed (spaces allowed: ASCII, no-break, ideographic) by `unit`.
    static func firstAmount(_ s: String, unit: String) -> Amount? {
        // (Full-width digits and marks read as their ASCII forms.)
        let chars = Array(Label.foldWidth(s))
        var i = 0
        while i < chars.count {
            if chars[i].isASCII && chars[i].isNumber {
                var j = i
                while j < chars.count, (chars[j].isASCII && (chars[j].isNumber || chars[j] == "." || chars[j] == ",")) { j += 1 }
                var k = j
                while k < chars.count, chars[k] == " " || chars[k] == "\u{00A0}" || chars[k] == "\u{3000}" { k += 1 }
                let rest = String(chars[k..<min(chars.count, k + unit.count)])
                if rest == unit { return Amount(String(chars[i..<j])) }
                i = j
            } else {
                i += 1
            }
        }
        return nil
    }

    static func empties(_ ctx: Context, _ scan: ProseScan) {
        let prose = ctx.doc.prose
        let tables = ctx.doc.tables
        for (k, (kind, word)) in emptyKeywords.enumerated() {
            // The first table of the kind, and whether any of its kind prints an amount (the
            // tables read in place, by position: `doc.tables(kind)` and `enumerated()` copy them).
            var first: Int?
            var hasAmounts = false
            for i in tables.indices where tables[i].kind == kind {
                if first == nil { first = i }
                // A nonzero amount among its cells (the index holds every cell; blanks as 0).
                if !hasAmounts && ctx.indexes[i].hasNonzeroCell { hasAmounts = true }
            }
            guard let first else { continue }
            let t = tables[first]
            let spendsMatter = t.empty || !hasAmounts
            // The lines holding the word (`includes`), as the scan found them.
            let bit = UInt32(1) << UInt32(emptyKeywordShift + k)
            for i in prose.indices where scan.hits[i] & bit != 0 && (prose[i].line < t.line || prose[i].line > t.line + 1) {
                let p = prose[i]
                // Read the clauses only when a claim could make a finding.
                let noneMatters = hasAmounts && !t.empty && p.text.includes("没有") && !p.text.includes("若")
                if !spendsMatter && !noneMatters { continue }
                // Only `.spends` claims matter here, and the line can state none.
                if !noneMatters && !maySpend(p.text) { continue }
                for claim in claims(p.text, word: word) {
                    switch claim {
                    case .spends(let a) where t.empty || !hasAmounts:
                        ctx.add("D-EMPTY", .warning,
                                zh: "\(t.title) 为空表，但第 \(p.line) 行说明写有\(word)支出 \(a.printed) 万元。请核对表格与说明。",
                                en: "\(t.title) is empty, but narrative line \(p.line) states \(word) spending of \(a.printed) 万元.",
                                refs: [FindingRef(table: kind.rawValue, line: t.line), FindingRef(line: p.line)],
                                expected: "0", found: a.printed)
                    case .none where noneMatters:
                        ctx.add("D-EMPTY", .warning,
                                zh: "第 \(p.line) 行说明称没有\(word)支出，但\(t.title)列有金额。请核对表格与说明。",
                                en: "Narrative line \(p.line) says there is no \(word) spending, but \(t.title) shows amounts.",
                                refs: [FindingRef(table: kind.rawValue, line: t.line), FindingRef(line: p.line)],
                                expected: ctx.text("有金额", "amounts"), found: ctx.text("没有", "none"))
                    default:
                        break
                    }
                }
            }
        }
        // 三公 facts against an empty 三公 table.
        if let t = ctx.firstAny(.threePublic), t.empty {
            for f in ctx.doc.facts where RuleTables.threePublicFactKeys[f.key] != nil && !f.value.isZero {
                ctx.add("D-EMPTY", .warning,
                        zh: "\(t.title) 为空表，但第 \(f.line) 行说明写有 \(f.key) \(f.value.printed)。请核对。",
                        en: "\(t.title) is empty, but narrative line \(f.line) states \(f.key) \(f.value.printed).",
                        refs: [FindingRef(table: t.kind.rawValue, line: t.line), FindingRef(line: f.line)],
                        expected: "0", found: f.value.printed)
            }
        }
    }

    // MARK: D-TEXT

    static let contradictions = ["增加减", "减少增", "增长下降", "下降增长", "增加下降", "减少增长", "上升下降", "下降上升"]
    static let doubledPunctuation = ["；；", "。。", "，，", "、、", "：：", ";;", ",,"]
    static let moneyWords = ["预算", "经费", "支出", "资金", "拨款", "费用", "补助", "万元", "收入"]
    static let peopleWords = ["人数", "人次", "参保", "人员", "人口", "就业"]

    /// A pattern as Unicode scalars, for fast search over long prose.
    static func scalars(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }
    static let wanRen = scalars("万人")
    static let contradictionScalars = contradictions.map(scalars)
    static let punctuationScalars = doubledPunctuation.map(scalars)
    static let contradictionFirstCharacters = contradictions.compactMap(\.first)
    static let contradictionFirstScalars = Array(Set(contradictionScalars.compactMap(\.first))).sorted()
    /// What `text` scans each line for, in this order: 万人, the contradictions, the doubled
    /// punctuation, then D-EMPTY's keywords.
    static let scanPatterns: [[UInt32]] = [wanRen] + contradictionScalars + punctuationScalars + emptyKeywords.map { scalars($0.word) }
    /// Where the groups of `scanPatterns` start (bit positions in a line's `hits`).
    static let punctuationShift = 1 + contradictions.count
    static let emptyKeywordShift = punctuationShift + doubledPunctuation.count
    /// The bits D-TEXT reports on (万人, contradictions, doubled punctuation).
    static let textBits: UInt32 = (1 << UInt32(emptyKeywordShift)) - 1
    static let scanFirsts: [UInt32] = scanPatterns.map { $0.first ?? 0 }

    /// A scalar's UTF-8 bytes packed into one integer, first byte highest (`"万"` is 0xE4_B8_87):
    /// the key the line scanner compares instead of decoding each scalar. On well-formed UTF-8
    /// two scalars have equal keys exactly when they are equal, and keys of three-byte scalars
    /// keep the scalars' order.
    static func rawKey(_ v: UInt32) -> UInt32 {
        if v < 0x80 { return v }
        if v < 0x800 { return (0xC0 | v >> 6) << 8 | (0x80 | v & 0x3F) }
        if v < 0x10000 { return (0xE0 | v >> 12) << 16 | (0x80 | v >> 6 & 0x3F) << 8 | (0x80 | v & 0x3F) }
        return (0xF0 | v >> 18) << 24 | (0x80 | v >> 12 & 0x3F) << 16 | (0x80 | v >> 6 & 0x3F) << 8 | (0x80 | v & 0x3F)
    }

    /// `rawKey` undone: the scalar of a key.
    static func scalar(ofRawKey r: UInt32) -> UInt32 {
        if r < 0x80 { return r }
        if r < 0x1_0000 { return (r >> 8 & 0x1F) << 6 | r & 0x3F }
        if r < 0x100_0000 { return (r >> 16 & 0x0F) << 12 | (r >> 8 & 0x3F) << 6 | r & 0x3F }
        return (r >> 24 & 0x07) << 18 | (r >> 16 & 0x3F) << 12 | (r >> 8 & 0x3F) << 6 | r & 0x3F
    }

    /// The keys of the Han scalars `isHan` accepts (U+4E00…U+9FFF) are the keys in this range.
    static let hanRawLow = rawKey(0x4E00), hanRawHigh = rawKey(0x9FFF)

    /// `scanPatterns` as raw keys, laid out flat (`scanFlat[scanStart[k]..<scanStart[k + 1]]` is
    /// pattern k): no array of arrays to retain in the scan loop.
    static let scanFlat: [UInt32] = scanPatterns.flatMap { $0.map(rawKey) }
    static let scanStart: [Int] = scanPatterns.reduce(into: [0]) { s, p in s.append((s.last ?? 0) + p.count) }
    /// The line scanner's slots: a raw key's slot is the top `slotBits` bits of
    /// `key &* slotMultiplier`. One slot per key serves both the stop table and the
    /// doubled-word buckets.
    /// (Computed: a constant the scan loop shifts by, not a static to load.)
    static var slotBits: Int { 10 }
    static var slotShift: UInt32 { UInt32(32 - slotBits) }
    static var slotCount: Int { 1 << slotBits }
    /// The multiplier of the slot hash: a constant, so the scan loop multiplies by an immediate.
    /// It gives every stop key (the patterns' first scalars and the quotation marks) a slot of
    /// its own, so that a slot holding a stop key tells whether a key is one with one
    /// comparison; `stops` checks that when it is built (a new pattern that collided would stop
    /// there, and the scan tests, before any document is read).
    static var slotMultiplier: UInt32 { 0x9E37_79B1 }
    /// The stop table by slot: `stopScalars[slot]` is the stop key of the slot (`UInt32.max`
    /// when none) and `stopPatterns[slot]` the patterns starting with it (bit k: pattern k).
    static let stops: (scalars: [UInt32], patterns: [UInt32]) = {
        let firsts = scanFirsts.map(rawKey)
        func slot(_ v: UInt32) -> Int { Int((v &* slotMultiplier) &>> slotShift) }
        // Empty slots hold a value no key has.
        var scalars = [UInt32](repeating: UInt32.max, count: slotCount)
        var patterns = [UInt32](repeating: 0, count: slotCount)
        let keys = Set(firsts + [quoteOpenRaw, quoteCloseRaw])
        precondition(Set(keys.map(slot)).count == keys.count,
                     "DocumentRules.slotMultiplier gives two scan keys one slot: choose another odd constant")
        for v in keys { scalars[slot(v)] = v }
        for (k, f) in firsts.enumerated() { patterns[slot(f)] |= 1 << UInt32(k) }
        return (scalars, patterns)
    }()

    /// What D-TEXT reads from each prose line: quotation marks (`stray`: a closing mark with
    /// nothing open), which of `scanPatterns` occur (bit k of `hits`), and the first doubled word.
    /// One pass reads each scalar's UTF-8 bytes as one raw key (`rawKey`: equal keys, equal
    /// scalars; no decoding), and notes the keys that stop the scan and the keys that may start a
    /// doubled word; only those are examined afterwards. Its tables and buffers live in memory
    /// allocated once per document (no array or static-let access per line).
    struct LineScanner {
        let flat: UnsafeMutableBufferPointer<UInt32>
        let start: UnsafeMutableBufferPointer<Int>
        let stopScalars: UnsafeBufferPointer<UInt32>
        let stopPatterns: UnsafeBufferPointer<UInt32>
        let quoteOpen: UInt32
        let quoteClose: UInt32
        /// The line's raw keys, then `padding` zeros (the doubled-word test reads ahead).
        let u: UnsafeMutableBufferPointer<UInt32>
        static let padding = 16
        /// Per bucket, the position (counted over all lines of the document, with a gap of
        /// `padding` between lines) of the last key seen in it.
        let last: UnsafeMutableBufferPointer<Int>
        /// Positions in the line of the keys that stop the scan, and of the keys whose next
        /// key of the same bucket is at most 8 places on (only those can start a doubled word).
        let stops: UnsafeMutableBufferPointer<Int32>
        let repeats: UnsafeMutableBufferPointer<Int32>
        /// Where the current line starts in the document-wide count.
        let base: UnsafeMutablePointer<Int>

        /// A scanner for lines of at most `maxBytes` UTF-8 bytes, reading the stop table through
        /// `stopScalars` and `stopPatterns` (`DocumentRules.stops`, which must outlive it; see
        /// `withScanner`); `deallocate` when done.
        private init(maxBytes: Int, stopScalars: UnsafeBufferPointer<UInt32>, stopPatterns: UnsafeBufferPointer<UInt32>) {
            flat = .allocate(capacity: scanFlat.count)
            _ = flat.initialize(from: scanFlat)
            start = .allocate(capacity: scanStart.count)
            _ = start.initialize(from: scanStart)
            self.stopScalars = stopScalars
            self.stopPatterns = stopPatterns
            quoteOpen = quoteOpenRaw
            quoteClose = quoteCloseRaw
            // Written before they are read (a line's keys and its padding; stops and repeats up
            // to their counts): not initialised here.
            u = .allocate(capacity: maxBytes + LineScanner.padding)
            last = .allocate(capacity: slotCount)
            last.initialize(repeating: Int.min / 2)
            stops = .allocate(capacity: maxBytes + 1)
            repeats = .allocate(capacity: maxBytes + 1)
            base = .allocate(capacity: 1)
            base.initialize(to: 0)
        }

        /// Runs `body` with a scanner for lines of at most `maxBytes` bytes, the stop table read
        /// in place (not copied per document), and frees the scanner's buffers after.
        static func withScanner<R>(maxBytes: Int, _ body: (LineScanner) -> R) -> R {
            let table = DocumentRules.stops
            return table.scalars.withUnsafeBufferPointer { scalars in
                table.patterns.withUnsafeBufferPointer { patterns in
                    let scanner = LineScanner(maxBytes: maxBytes, stopScalars: scalars, stopPatterns: patterns)
                    defer { scanner.deallocate() }
                    return body(scanner)
                }
            }
        }

        private func deallocate() {
            flat.deallocate()
            start.deallocate()
            u.deallocate()
            last.deallocate()
            stops.deallocate()
            repeats.deallocate()
            base.deallocate()
        }

        /// Scans a line (well-formed UTF-8 of at most `maxBytes` bytes; see the type), leaving
        /// its raw keys in `u`. Returns the number of scalars and the doubled word as the range
        /// of its first copy.
        func scan(_ b: UnsafeBufferPointer<UInt8>, quoteDepth: inout Int, stray: inout Bool, hits: inout UInt32) -> (count: Int, doubled: Range<Int>?) {
            hits = 0
            let n = b.count
            let origin = base.pointee
            let multiplier = DocumentRules.slotMultiplier
            // The buffers as locals (kept in registers: a store through one cannot then make the
            // loop reload them), positions in wrapping arithmetic (a line is far shorter than Int).
            let u = self.u, last = self.last, stops = self.stops, repeats = self.repeats, stopScalars = self.stopScalars
            var i = 0
            var k = 0
            var stopCount = 0
            var repeatCount = 0
            /// Notes key `v` as the line's next: its slot's last position (a repeat within 8
            /// places may start a doubled word) and whether it stops the scan.
            @inline(__always) func record(_ v: UInt32) {
                u[k] = v
                let slot = Int((v &* multiplier) &>> DocumentRules.slotShift)
                // The key of this slot seen last (if 8 places back at most) has this one as
                // its next of the slot: it may start a doubled word.
                let position = origin &+ k
                let previous = last[slot]
                last[slot] = position
                // (Only a Han key starts a doubled word: a repeated digit, space or mark, common
                // in amounts, is not noted, and `doubledLength` is not asked about it.)
                if position &- previous <= 8 && isHanRaw(u[previous &- origin]) {
                    repeats[repeatCount] = Int32(truncatingIfNeeded: previous &- origin)
                    repeatCount &+= 1
                }
                if stopScalars[slot] == v {
                    stops[stopCount] = Int32(truncatingIfNeeded: k)
                    stopCount &+= 1
                }
                k &+= 1
            }
            // The line's bytes for word loads (nil only for an empty line, which has no scalar:
            // the loop is skipped), and the positions from which a four-byte load stays in the line.
            let raw = UnsafeRawPointer(b.baseAddress)
            let wordEnd = n &- 3
            if let raw { while i < n {
                // Runs of three-byte scalars (the usual), while a fourth byte is in the line: one
                // word load gives the lead byte (its low byte) and, read big-endian with the
                // fourth byte shifted out, the key.
                while i < wordEnd {
                    let w = raw.loadUnaligned(fromByteOffset: i, as: UInt32.self)
                    guard UInt32(littleEndian: w) & 0xF0 == 0xE0 else { break }
                    record(UInt32(bigEndian: w) &>> 8)
                    i &+= 3
                }
                guard i < n else { break }
                // Any other scalar, one at a time.
                let c = UInt32(b[i])
                let v: UInt32
                if c & 0xF0 == 0xE0, i &+ 2 < n {
                    v = c << 16 | UInt32(b[i &+ 1]) << 8 | UInt32(b[i &+ 2])
                    i &+= 3
                } else if c < 0x80 {
                    v = c
                    i &+= 1
                } else if c < 0xE0, i &+ 1 < n {
                    v = c << 8 | UInt32(b[i &+ 1])
                    i &+= 2
                } else if c >= 0xF0, i &+ 3 < n {
                    v = c << 24 | UInt32(b[i &+ 1]) << 16 | UInt32(b[i &+ 2]) << 8 | UInt32(b[i &+ 3])
                    i &+= 4
                } else {
                    i &+= 1
                    continue
                }
                record(v)
            } }
            for z in k..<(k + LineScanner.padding) { u[z] = 0 }
            base.pointee = origin + k + LineScanner.padding
            // Quotation marks and patterns, at the stops in order.
            let open = quoteOpen, close = quoteClose
            for s in 0..<stopCount {
                let at = Int(stops[s])
                let v = u[at]
                if v == open { quoteDepth += 1 }
                else if v == close {
                    if quoteDepth == 0 { stray = true } else { quoteDepth -= 1 }
                }
                var candidates = stopPatterns[Int((v &* multiplier) &>> DocumentRules.slotShift)] & ~hits
                while candidates != 0 {
                    let p = candidates.trailingZeroBitCount
                    candidates &= candidates - 1
                    let lo = start[p], len = start[p + 1] - lo
                    if at + len <= k {
                        var j = 1
                        while j < len && u[at + j] == flat[lo + j] { j += 1 }
                        if j == len { hits |= 1 << UInt32(p) }
                    }
                }
            }
            // Doubled word: a Han scalar that occurs again 2…8 places on starts a candidate; the
            // first start (then the shortest length) that doubles wins. A key with no key of
            // its bucket 1…8 places on has none there.
            var doubled: Range<Int>?
            for r in 0..<repeatCount {
                let at = Int(repeats[r])
                if let d = doubled, d.lowerBound <= at { continue }
                if let len = doubledLength(at, k) { doubled = at..<(at + len) }
            }
            return (k, doubled)
        }

        /// The length of the doubled word starting at key `i` of a line of `n` keys, if one
        /// does (the shortest).
        func doubledLength(_ i: Int, _ n: Int) -> Int? {
            let v = u[i]
            guard i < n - 3 && isHanRaw(v)
                && (u[i + 2] == v || u[i + 3] == v || u[i + 4] == v || u[i + 5] == v || u[i + 6] == v || u[i + 7] == v || u[i + 8] == v) else { return nil }
            let maxLen = min(8, (n - i) / 2)
            var len = 2
            while len <= maxLen {
                if u[i + len] == v {
                    var k = 1
                    while k < len && u[i + k] == u[i + len + k] && isHanRaw(u[i + k]) { k += 1 }
                    if k == len { return len }
                }
                len += 1
            }
            return nil
        }

        /// The keys `range` of `u` as a String.
        func string(_ range: Range<Int>) -> String {
            String(String.UnicodeScalarView(u[range].compactMap { Unicode.Scalar(scalar(ofRawKey: $0)) }))
        }
    }

    /// `isHan` of the scalar of a raw key.
    @inline(__always)
    static func isHanRaw(_ r: UInt32) -> Bool { r &- hanRawLow <= hanRawHigh - hanRawLow }

    /// Lines through one `LineScanner` (for tests), the quotation depth carried from line to
    /// line: each line's pattern bits, stray mark and doubled word.
    static func scanLines(_ lines: [String], quoteDepth: inout Int) -> [(hits: UInt32, stray: Bool, doubled: String?)] {
        LineScanner.withScanner(maxBytes: lines.map(\.utf8.count).max() ?? 0) { scanner in
            var out: [(hits: UInt32, stray: Bool, doubled: String?)] = []
            for s in lines {
                var line = s
                var stray = false
                var hits: UInt32 = 0
                let (_, d) = line.withUTF8 { scanner.scan($0, quoteDepth: &quoteDepth, stray: &stray, hits: &hits) }
                out.append((hits, stray, d.map(scanner.string)))
            }
            return out
        }
    }

    static let quoteOpen = scalars("“")[0]
    static let quoteClose = scalars("”")[0]
    static let quoteOpenRaw = rawKey(quoteOpen)
    static let quoteCloseRaw = rawKey(quoteClose)

    /// What the scan of a document's prose found: each line's pattern bits (`hits`, bit k:
    /// `scanPatterns[k]` occurs), and for the lines D-TEXT reports on, their stray closing quotation
    /// mark, doubled word and contradictory words (read while the line's scalars are at hand).
    struct ProseScan {
        struct Note {
            let index: Int
            let stray: Bool
            let doubled: String?
            /// `simpleContradictions` of the line, when it has a contradiction bit (nil: not simple).
            let contradictions: [String]?
        }
        var hits: [UInt32] = []
        var notes: [Note] = []

        init(_ prose: [TextLine]) {
            var maxBytes = 0
            for i in prose.indices { maxBytes = max(maxBytes, prose[i].text.utf8.count) }
            (hits, notes) = LineScanner.withScanner(maxBytes: maxBytes) { scanner in
                var hits: [UInt32] = []
                var notes: [Note] = []
                hits.reserveCapacity(prose.count)
                var quoteDepth = 0
                var lastLine = -10
                // By position, each line's text read in place (`enumerated()` and `var line` each
                // copied a line, a retain and a release, for every line of the narrative).
                for index in prose.indices {
                    let lineNumber = prose[index].line
                    if lineNumber > lastLine + 2 { quoteDepth = 0 }
                    lastLine = lineNumber
                    // One pass over the line: unbalanced quotation marks (a closing mark with nothing
                    // open, carried over wrapped lines), which patterns occur (most lines carry none),
                    // and the first doubled word.
                    var stray = false
                    var found: UInt32 = 0
                    let scanned = prose[index].text.utf8.withContiguousStorageIfAvailable {
                        scanner.scan($0, quoteDepth: &quoteDepth, stray: &stray, hits: &found)
                    }
                    let doubledRange: Range<Int>?
                    if let scanned {
                        doubledRange = scanned.doubled
                    } else {
                        // (A bridged or otherwise non-contiguous text: made native first.)
                        var line = prose[index].text
                        doubledRange = line.withUTF8 { scanner.scan($0, quoteDepth: &quoteDepth, stray: &stray, hits: &found) }.doubled
                    }
                    hits.append(found)
                    let textHits = found & DocumentRules.textBits
                    if textHits == 0 && !stray && doubledRange == nil { continue }
                    var contradictions: [String]?
                    if textHits & contradictionBits != 0 {
                        // The scanner holds raw keys: the (rare) line is decoded to scalars here.
                        let text = prose[index].text
                        var u: [UInt32] = []
                        FastText.scalars(of: text, into: &u)
                        contradictions = simpleContradictions(text, u)
                    }
                    notes.append(Note(index: index, stray: stray, doubled: doubledRange.map(scanner.string), contradictions: contradictions))
                }
                return (hits, notes)
            }
        }
    }

    /// The bits of the contradictory words in a line's `hits`.
    static let contradictionBits: UInt32 = (1 << UInt32(1 + contradictions.count)) - 2

    static func text(_ ctx: Context, _ scan: ProseScan) {
        let prose = ctx.doc.prose
        let punctuationShift = UInt32(DocumentRules.punctuationShift)
        for note in scan.notes {
            let p = prose[note.index]
            let s = p.text
            let hits = scan.hits[note.index] & textBits
            let stray = note.stray
            let doubled = note.doubled
            let hasWanRen = hits & 1 != 0
            let hasContradiction = hits & contradictionBits != 0
            let punctuation = hits >> punctuationShift != 0
                ? doubledPunctuation.indices.filter { hits & (1 << (punctuationShift + UInt32($0))) != 0 }.map { doubledPunctuation[$0] }
                : []
            // Wrong unit: an amount in 万人 in a clause about money.
            if hasWanRen {
                for clause in s.split(whereSeparator: { clauseEnds.contains($0) }) {
                    let c = String(clause)
                    guard c.includes("万人"), firstAmount(c, unit: "万人") != nil else { continue }
                    let money = moneyWords.contains { c.includes($0) } || s.includes("万元")
                    let people = peopleWords.contains { c.includes($0) }
                    if money && !people {
                        ctx.add("D-TEXT", .warning,
                                zh: "第 \(p.line) 行「\(c)」把金额的单位写成了“万人”，应为“万元”。",
                                en: "Line \(p.line) “\(c)” gives an amount in 万人 (ten-thousand persons) instead of 万元.",
                                refs: [FindingRef(line: p.line)], expected: "万元", found: "万人")
                    }
                }
            }
            // Contradictory direction words.
            if hasContradiction, let found = note.contradictions {
                for w in found {
                    ctx.add("D-TEXT", .warning,
                            zh: "第 \(p.line) 行同时出现相反的增减用语「\(w)」，请只保留一个方向。",
                            en: "Line \(p.line) uses contradictory direction words “\(w)”; keep one direction (增加 or 减少).",
                            refs: [FindingRef(line: p.line)], expected: ctx.text("增加 或 减少", "one direction word"), found: w)
                }
            } else if hasContradiction {
                for w in characterContradictions(s) {
                    ctx.add("D-TEXT", .warning,
                            zh: "第 \(p.line) 行同时出现相反的增减用语「\(w)」，请只保留一个方向。",
                            en: "Line \(p.line) uses contradictory direction words “\(w)”; keep one direction (增加 or 减少).",
                            refs: [FindingRef(line: p.line)], expected: ctx.text("增加 或 减少", "one direction word"), found: w)
                }
            }
            // Doubled punctuation (info).
            for d in punctuation {
                ctx.add("D-TEXT", .info,
                        zh: "第 \(p.line) 行标点重复「\(d)」。",
                        en: "Line \(p.line): doubled punctuation “\(d)”.",
                        refs: [FindingRef(line: p.line)], expected: String(d.prefix(1)), found: d)
            }
            if stray {
                ctx.add("D-TEXT", .info,
                        zh: "第 \(p.line) 行有多余的右引号“””，引号不成对。",
                        en: "Line \(p.line): a stray closing quotation mark ” leaves the quotation marks unbalanced.",
                        refs: [FindingRef(line: p.line)], expected: ctx.text("引号成对", "balanced quotes"), found: "”")
            }
            // Doubled words: a run of 2+ Han characters printed twice in a row.
            if let w = doubled {
                ctx.add("D-TEXT", .info,
                        zh: "第 \(p.line) 行词语重复「\(w)\(w)」。",
                        en: "Line \(p.line): the words “\(w)” are doubled.",
                        refs: [FindingRef(line: p.line)], expected: w, found: w + w)
            }
        }
    }

    /// The contradictory words of a simple line (see `isSimple`) in order, read on its scalars `u`
    /// as the Character loop reads them (one scalar is one Character there); nil for other lines.
    static func simpleContradictions(_ s: String, _ u: [UInt32]) -> [String]? {
        var s = s
        guard s.withUTF8(isSimple) else { return nil }
        var out: [String] = []
        let n = u.count
        let patterns = contradictionScalars
        let firsts = contradictionFirstScalars
        var i = 0
        while i < n {
            // A word can only start where its first scalar is.
            guard firsts.contains(u[i]) else {
                i += 1
                continue
            }
            var matched = false
            for (k, p) in patterns.enumerated() where i + p.count <= n {
                var j = 0
                while j < p.count && u[i + j] == p[j] { j += 1 }
                if j == p.count {
                    out.append(contradictions[k])
                    i += p.count
                    matched = true
                    break
                }
            }
            if !matched { i += 1 }
        }
        return out
    }

    /// The contradictory words of a line in order, read Character by Character (any line).
    static func characterContradictions(_ s: String) -> [String] {
        var out: [String] = []
        var i = s.startIndex
        while i < s.endIndex {
            // A word can only start where its first character is.
            if contradictionFirstCharacters.contains(s[i]), let w = contradictions.first(where: { s[i...].hasPrefix($0) }) {
                out.append(w)
                i = s.index(i, offsetBy: w.count)
            } else {
                i = s.index(after: i)
            }
        }
        return out
    }

    static func isHan(_ v: UInt32) -> Bool { (0x4E00...0x9FFF).contains(v) }
}
