import GoujiModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
            // Han text two characters a step while a second one fits (i + 5 < n): lead bytes
            // E4…E9 (U+4000…U+9FFF) are accepted whatever follows, as below.
            while i &+ 5 < n && b[i] &- 0xE4 <= 0xE9 - 0xE4 && b[i &+ 3] &- 0xE4 <= 0xE9 - 0xE4 { i &+= 6 }
            guard i < n else { break }
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

    static let wanRenBytes = Array("万人".utf8)

    /// `firstAmount(s, unit:)`, read on bytes when `s` is simple (see `isSimple`), where the two
    /// readings agree (as `simpleClaims` relies on): the Character reading folds the whole text
    /// and splits it into Characters first.
    static func firstAmount(_ s: String, unitBytes: [UInt8], unit: String) -> Amount? {
        var s = s
        let fast: Amount?? = s.withUTF8 { b in isSimple(b) ? .some(firstAmount(b, unit: unitBytes)) : nil }
        if let fast { return fast }
        return firstAmount(s, unit: unit)
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
            // The facts by position, their keys looked up on bytes where that is exact (a `for f
            // in facts` copied every fact; the dictionary hashed every key).
            let facts = ctx.doc.facts
            for i in facts.indices where TextRules.threePublicKeyTable[facts[i].key] != nil && !facts[i].value.isZero {
                let f = facts[i]
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

    /// A scalar's UTF-8 bytes packed into one integer, first byte highest (`"万"` is 0xE4_B8_87):
    /// the key `doubledLength` tests for Han instead of decoding each scalar. On well-formed UTF-8
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

    /// The scan patterns as the line scanner finds them, on UTF-8 bytes: each pattern's bytes laid
    /// out flat (`bytes[start[k]..<start[k + 1]]` is pattern k), and where a match may be. A
    /// pattern that starts with two three-byte scalars (every Chinese word and full-width mark)
    /// holds, whatever its position, one of the windows the scanner reads (four bytes at a
    /// multiple of 3) at offset 0, 1 or 2: the slots of those three windows name it (`windows`,
    /// bit k: pattern k; a slot is shared by other windows, so a match is always compared in full).
    /// `keys[slot]` is the one window that names patterns there, compared before any pattern is
    /// (`anyWindow` when two do). `offsets[slot]` (bit o) says at which offsets o into their
    /// patterns the windows of the slot are: a match is only compared where a pattern would start.
    /// Any other pattern (`;;`, `,,`) is searched for on its own (`searched`, its bit) where its
    /// first byte is (`searchedLeads`, each once).
    static let scanTable: (bytes: [UInt8], start: [Int], windows: [UInt32], keys: [UInt32], offsets: [UInt8], searched: UInt32, searchedLeads: [UInt8]) = {
        var bytes: [UInt8] = []
        var start: [Int] = []
        var windows = [UInt32](repeating: 0, count: windowSlotCount)
        var keys = [UInt32](repeating: 0, count: windowSlotCount)
        var offsets = [UInt8](repeating: 0, count: windowSlotCount)
        var searched: UInt32 = 0
        var searchedLeads: [UInt8] = []
        for (k, p) in scanPatterns.enumerated() {
            let b = p.flatMap { v -> [UInt8] in
                var out: [UInt8] = []
                if let s = Unicode.Scalar(v) { UTF8.encode(s) { out.append($0) } }
                return out
            }
            start.append(bytes.count)
            bytes += b
            if b.count >= 6 && b[0] & 0xF0 == 0xE0 && b[3] & 0xF0 == 0xE0 {
                for o in 0..<3 {
                    let key = UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
                    let slot = windowSlot(key)
                    keys[slot] = windows[slot] == 0 || keys[slot] == key ? key : anyWindow
                    windows[slot] |= 1 << UInt32(k)
                    offsets[slot] |= 1 << UInt8(o)
                }
            } else {
                searched |= 1 << UInt32(k)
                if let lead = b.first, !searchedLeads.contains(lead) { searchedLeads.append(lead) }
            }
        }
        start.append(bytes.count)
        return (bytes, start, windows, keys, offsets, searched, searchedLeads)
    }()

    /// The slots' entries before any window is seen (see `LineScanner.slots`): the patterns each
    /// slot names in the high 32 bits, no position.
    static let slotTemplate: [UInt64] = scanTable.windows.map { UInt64($0) << 32 }

    /// In `scanTable.keys`: a slot that more than one pattern window hashes to (a window
    /// there is compared with the patterns whatever it is).
    static let anyWindow = UInt32.max

    /// The window table's size (slots), a power of two: a slot holds the last position of the
    /// windows hashed there (a busier slot only asks `doubledLength` about more windows, never
    /// about fewer).
    static var windowSlotBits: Int { 10 }
    static var windowSlotCount: Int { 1 << windowSlotBits }
    /// The slot of a window, `key` its four bytes read little-endian (the first byte lowest): the
    /// top bits of a multiplicative hash (a constant the scan loop multiplies by).
    @inline(__always)
    static func windowSlot(_ key: UInt32) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B1) &>> UInt32(32 - windowSlotBits))
    }

    /// What D-TEXT reads from each prose line: quotation marks (`stray`: a closing mark with
    /// nothing open), which of `scanPatterns` occur (bit k of `hits`), and the first doubled word.
    /// Read on the line's UTF-8 bytes, nothing decoded and no scalar boundary looked for: the
    /// scanner reads one four-byte window every 3 bytes and hashes it to a slot, which tells where
    /// the last window of the slot was and whether a pattern may be there. A doubled word of L Han
    /// characters (3·L bytes, L ≥ 2) holds a window at offset 0, 1 or 2 that is printed again 3·L
    /// ≤ 24 bytes on, also at a multiple of 3: only the starts just before a window whose slot
    /// comes round within 24 bytes are asked about one (`doubledLength`, which compares bytes).
    /// Quotation marks (E2 80 9C, E2 80 9D) and the first bytes of the searched patterns (`;;`,
    /// `,,`) are looked for 16 bytes at a time, and only a 16 bytes that hold one (E2 is no byte
    /// of common Chinese prose, and few lines hold a comma) are read byte by byte. Its tables live
    /// in memory allocated once per document.
    struct LineScanner {
        /// Pattern bytes and starts (`scanTable`), copied in.
        let flat: UnsafeMutablePointer<UInt8>
        let start: UnsafeMutablePointer<Int>
        /// `scanTable.keys` and `.offsets`, copied in.
        let keys: UnsafeMutablePointer<UInt32>
        let offsets: UnsafeMutablePointer<UInt8>
        /// Per window slot, eight bytes read as one `UInt64`: the high 32 bits `scanTable.windows`
        /// (the patterns the slot names), the low 32 bits the position plus 24 of the last window
        /// seen in the slot (positions counted over all lines of the document, with a gap of more
        /// than 24 between lines; 0: none yet). So one unsigned compare of the entry with a
        /// window's position asks both rare questions at once: does the slot name a pattern (the
        /// entry is then above any position), or was its last window at most 24 bytes back?
        let slots: UnsafeMutableRawPointer
        /// For each window whose slot came round within 24 bytes: its position in the line times
        /// 32, plus the distance (3…24) to the next window of its slot.
        let repeats: UnsafeMutablePointer<Int>
        /// Where the current line starts in the document-wide count.
        let base: UnsafeMutablePointer<Int>
        /// `scanTable.searched`.
        let searched: UInt32
        /// The bytes looked for 16 at a time: E2 (quotation marks), and the first bytes of the
        /// searched patterns (at most two; repeated to fill).
        let quoteLead: SIMD16<UInt8>
        let searchedLeadA: SIMD16<UInt8>
        let searchedLeadB: SIMD16<UInt8>
        /// The largest position a slot holds (its low 32 bits hold the position plus 24), and the
        /// most window positions read before the limit is checked again; past it the slots are
        /// moved down (`rebase`: never on a real document, which would take gigabytes of prose).
        let positionLimit: Int
        let rebaseSpan: Int

        /// A scanner for lines of at most `maxBytes` UTF-8 bytes; `deallocate` when done. (Tests
        /// pass a low `positionLimit`, so that the slots are moved down within and between lines.)
        private init(maxBytes: Int, positionLimit: Int) {
            let table = DocumentRules.scanTable
            // Every buffer in one allocation (one malloc and free per document, not seven), laid
            // out in this order, each at a multiple of 8 bytes: slots, keys, starts, repeats, base,
            // offsets, pattern bytes.
            func rounded(_ bytes: Int) -> Int { (bytes + 7) & ~7 }
            let slotBytes = 8 * windowSlotCount
            let keyBytes = rounded(4 * table.keys.count)
            let startBytes = 8 * table.start.count
            let repeatBytes = 8 * (maxBytes / 3 + 2)
            let offsetBytes = rounded(table.offsets.count)
            let block = UnsafeMutableRawPointer.allocate(
                byteCount: slotBytes + keyBytes + startBytes + repeatBytes + 8 + offsetBytes + table.bytes.count, alignment: 8)
            var at = 0
            func next(_ bytes: Int) -> UnsafeMutableRawPointer {
                defer { at += bytes }
                return block + at
            }
            // The slots' initial entries are copied whole from `slotTemplate` (one memcpy).
            let slotBlock = next(slotBytes)
            DocumentRules.slotTemplate.withUnsafeBytes {
                UnsafeMutableRawBufferPointer(start: slotBlock, count: slotBytes).copyMemory(from: $0)
            }
            slots = slotBlock
            keys = next(keyBytes).initializeMemory(as: UInt32.self, from: table.keys, count: table.keys.count)
            start = next(startBytes).initializeMemory(as: Int.self, from: table.start, count: table.start.count)
            // Written before they are read (up to their count): not initialised here.
            repeats = next(repeatBytes).bindMemory(to: Int.self, capacity: maxBytes / 3 + 2)
            // The first line's windows start above 24: a slot's 0 means none yet.
            base = next(8).initializeMemory(as: Int.self, repeating: 32, count: 1)
            offsets = next(offsetBytes).initializeMemory(as: UInt8.self, from: table.offsets, count: table.offsets.count)
            flat = next(table.bytes.count).initializeMemory(as: UInt8.self, from: table.bytes, count: table.bytes.count)
            searched = table.searched
            let leads = table.searchedLeads
            precondition(leads.count <= 2, "the line scanner looks for at most two first bytes of searched patterns")
            quoteLead = SIMD16(repeating: 0xE2)
            searchedLeadA = SIMD16(repeating: leads.first ?? 0xE2)
            searchedLeadB = SIMD16(repeating: leads.last ?? 0xE2)
            self.positionLimit = positionLimit
            rebaseSpan = positionLimit / 4
        }

        /// The limit of positions in the slots' 32 bits (see `slots`).
        static let slotPositionLimit = Int(UInt32.max) - 64

        /// Runs `body` with a scanner for lines of at most `maxBytes` bytes, and frees the
        /// scanner's buffers after.
        static func withScanner<R>(maxBytes: Int, positionLimit: Int = slotPositionLimit, _ body: (LineScanner) -> R) -> R {
            let scanner = LineScanner(maxBytes: maxBytes, positionLimit: max(positionLimit, 256))
            defer { scanner.deallocate() }
            return body(scanner)
        }

        /// Frees the one block every buffer lives in (`slots` is its start).
        private func deallocate() {
            slots.deallocate()
        }

        /// The low 32 bits of a slot's entry (see `slots`), as a byte offset into it.
        static var positionOffset: Int {
            #if _endian(little)
            0
            #else
            4
            #endif
        }

        /// Moves every slot's position down by `shift` (0 for one further back: none), so that
        /// new positions fit in 32 bits again; the last 24 bytes' windows keep their distances.
        private func rebase(by shift: Int) {
            for slot in 0..<windowSlotCount {
                let at = 8 &* slot &+ LineScanner.positionOffset
                let held = Int(slots.load(fromByteOffset: at, as: UInt32.self))
                slots.storeBytes(of: UInt32(truncatingIfNeeded: held > shift ? held &- shift : 0), toByteOffset: at, as: UInt32.self)
            }
        }

        /// Reads the bytes `at + i` of the line `p` of `n` bytes, for the set bits i of `marks` in
        /// order (the bytes E2 and the searched patterns' first bytes), for quotation marks (“
        /// opens, ” closes: a closing mark with nothing open is stray) and for the searched
        /// patterns (compared in full where their first byte is); returns `found` with the bits of
        /// those found. Only the marked bytes are read: most are the commas of amounts (1,234.5).
        /// (Its own function: inlined, it crowded the 16-byte loop's registers.)
        @inline(never)
        func visit(_ p: UnsafePointer<UInt8>, _ n: Int, at: Int, marks: UInt32, found: UInt32, quoteDepth: inout Int, stray: inout Bool) -> UInt32 {
            var found = found
            let leadA = searchedLeadA[0], leadB = searchedLeadB[0]
            var marks = marks
            while marks != 0 {
                let i = at &+ marks.trailingZeroBitCount
                marks &= marks &- 1
                let c = p[i]
                if c == 0xE2 && i &+ 2 < n && p[i &+ 1] == 0x80 {
                    if p[i &+ 2] == 0x9C { quoteDepth += 1 }
                    else if p[i &+ 2] == 0x9D {
                        if quoteDepth == 0 { stray = true } else { quoteDepth -= 1 }
                    }
                }
                if c == leadA || c == leadB {
                    var others = searched & ~found
                    while others != 0 {
                        let k = others.trailingZeroBitCount
                        others &= others &- 1
                        let lo = start[k], len = start[k &+ 1] &- lo
                        guard len > 0 && len <= n &- i && flat[lo] == c else { continue }
                        var j = 1
                        while j < len && p[i &+ j] == flat[lo &+ j] { j &+= 1 }
                        if j == len { found |= 1 << UInt32(k) }
                    }
                }
            }
            return found
        }

        /// Bit i set where lane i of `m` is (as SSE2's movemask gives it).
        @inline(__always)
        static func bits(_ m: SIMDMask<SIMD16<Int8>>) -> UInt32 {
            let weights = SIMD16<UInt8>(1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128)
            let w = SIMD16<UInt8>(repeating: 0).replacing(with: weights, where: m)
            return UInt32(w.lowHalf.wrappedSum()) | UInt32(w.highHalf.wrappedSum()) << 8
        }

        /// Scans a line (well-formed UTF-8 of at most `maxBytes` bytes; see the type). Returns
        /// where the doubled word (its first copy) is in the line's bytes: a range, made a String
        /// (`word`) only for the rare line that has one.
        func scan(_ b: UnsafeBufferPointer<UInt8>, quoteDepth: inout Int, stray: inout Bool, hits: inout UInt32) -> Range<Int>? {
            hits = 0
            let n = b.count
            guard n > 0, let p = b.baseAddress else { return nil }
            let raw = UnsafeRawPointer(p)
            // Quotation marks and the searched patterns' first bytes, 16 bytes a step: most steps
            // hold none (one compare), the others are read byte by byte (`visit`). The last step
            // reads the line's last 16 bytes (some read before, not visited again); a line shorter
            // than 16 bytes is read byte by byte.
            var found: UInt32 = 0
            if n >= 16 {
                let quoteLead = self.quoteLead, searchedLeadA = self.searchedLeadA, searchedLeadB = self.searchedLeadB
                var m = 0
                while m < n {
                    let at = min(m, n &- 16)
                    let v = raw.loadUnaligned(fromByteOffset: at, as: SIMD16<UInt8>.self)
                    let marked = (v .== quoteLead) .| (v .== searchedLeadA) .| (v .== searchedLeadB)
                    if any(marked) {
                        // (The last step's bytes before m were read by the step before.)
                        let fresh = UInt32(0xFFFF) &<< UInt32(truncatingIfNeeded: m &- at)
                        found = visit(p, n, at: at, marks: LineScanner.bits(marked) & fresh, found: found, quoteDepth: &quoteDepth, stray: &stray)
                    }
                    m &+= 16
                }
            } else {
                let leadA = searchedLeadA[0], leadB = searchedLeadB[0]
                var marks: UInt32 = 0
                for i in 0..<n where p[i] == 0xE2 || p[i] == leadA || p[i] == leadB { marks |= 1 << UInt32(i) }
                if marks != 0 { found = visit(p, n, at: 0, marks: marks, found: 0, quoteDepth: &quoteDepth, stray: &stray) }
            }

            // The windows. (The buffers as locals, kept in registers: a store through one cannot
            // then make the loop reload them; positions in wrapping arithmetic, all far from Int's
            // limits.)
            let slots = self.slots, repeats = self.repeats, keys = self.keys, offsets = self.offsets
            var origin = base.pointee
            var repeatCount = 0
            // Only full windows (x + 4 <= n) are read: a pattern holds its windows whole, and so
            // does a doubled word's first copy, whose repeat is then in the line too. (A window
            // running past the end only ever made a slot come round sooner.)
            @inline(__always) func window(_ x: Int) -> UInt32 {
                UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: x, as: UInt32.self))
            }
            /// Notes the window at `x` in its slot as at `position` (plus 24), and returns the
            /// slot's entry before.
            @inline(__always) func swap(_ x: Int, _ position: Int) -> UInt64 {
                let slot = DocumentRules.windowSlot(window(x))
                let entry = slots.load(fromByteOffset: slot &<< 3, as: UInt64.self)
                slots.storeBytes(of: UInt32(truncatingIfNeeded: position &+ 24), toByteOffset: slot &<< 3 &+ LineScanner.positionOffset, as: UInt32.self)
                return entry
            }
            /// The rest of a window's record, given its slot's entry before it (`swap`): a
            /// window of the slot at most 24 bytes back, a pattern it may be in. Nearly every
            /// window has neither a pattern in its slot nor a window of its slot 24 bytes back:
            /// the loop below asks both with one compare, of four windows' entries with the
            /// position of the first (a weaker test), and only then comes here.
            func attend(_ x: Int, _ entry: UInt64) {
                let position = origin &+ x
                guard entry >= UInt64(truncatingIfNeeded: position) else { return }
                let key = window(x)
                let slot = DocumentRules.windowSlot(key)
                // The window last seen in this slot (at most 24 bytes back, so on this line) has
                // this one as its next of the slot: a doubled word may start just before it.
                let held = Int(UInt32(truncatingIfNeeded: entry))
                if held >= position {
                    let previous = held &- 24
                    repeats[repeatCount] = (previous &- origin) &<< 5 | (position &- previous)
                    repeatCount &+= 1
                }
                // The patterns already found are taken out of the slot's.
                let candidates = UInt32(truncatingIfNeeded: entry &>> 32) & ~found
                if candidates != 0 && (keys[slot] == key || keys[slot] == DocumentRules.anyWindow) {
                    found |= matches(candidates, at: UInt32(offsets[slot]), near: x, p, n)
                }
            }
            var x = 0
            while x < n &- 3 {
                // The windows of at most `rebaseSpan` bytes, their positions within the limit.
                let stop = n &- x > rebaseSpan ? x &+ rebaseSpan : n
                if origin &+ stop > positionLimit {
                    // The window at x goes to position 64.
                    let shift = origin &+ x &- 64
                    rebase(by: shift)
                    origin &-= shift
                }
                // Four windows a step while four fit (one loop test for four), then one at a time.
                let full = min(stop, n &- 3)
                while x &+ 9 < full {
                    let at = origin &+ x
                    let e0 = swap(x, at), e1 = swap(x &+ 3, at &+ 3), e2 = swap(x &+ 6, at &+ 6), e3 = swap(x &+ 9, at &+ 9)
                    let floor = UInt64(truncatingIfNeeded: at)
                    if e0 >= floor || e1 >= floor || e2 >= floor || e3 >= floor {
                        attend(x, e0)
                        attend(x &+ 3, e1)
                        attend(x &+ 6, e2)
                        attend(x &+ 9, e3)
                    }
                    x &+= 12
                }
                while x < full {
                    let e = swap(x, origin &+ x)
                    if e >= UInt64(truncatingIfNeeded: origin &+ x) { attend(x, e) }
                    x &+= 3
                }
            }
            base.pointee = origin &+ n &+ 32
            hits = found
            // Doubled word: the first start (then the shortest length) that doubles wins; a
            // window at `at` may hold one starting at at-2, at-1 or at. The next window of its
            // slot is `distance` on: its repeat, if the word doubles, is no nearer, so the word has
            // at least distance/3 characters.
            var doubled: Range<Int>?
            for r in 0..<repeatCount {
                let at = repeats[r] &>> 5
                // The word can only start at a Han lead byte (E4…E9, as `doubledLength` requires),
                // and of at-2, at-1 and at at most one is one (each is followed by two
                // continuation bytes): that start alone is asked about, the first (smallest) found.
                var s = at
                if at >= 2 && p[at &- 2] &- 0xE4 <= 0xE9 - 0xE4 { s = at &- 2 }
                else if at >= 1 && p[at &- 1] &- 0xE4 <= 0xE9 - 0xE4 { s = at &- 1 }
                else if p[at] &- 0xE4 > 0xE9 - 0xE4 { continue }
                // Its second character is Han too (s + 3 <= at + 3, in the window, so in the line).
                guard p[s &+ 3] &- 0xE4 <= 0xE9 - 0xE4 else { continue }
                if let d = doubled, d.lowerBound <= s { continue }
                // A word of L characters doubled at at-2, at-1 or at holds the four bytes at `at` in
                // its first copy (at + 4 <= start + 3·L as L >= 2), printed again 3·L bytes on, all in
                // the line: only the lengths L (from distance/3) so printed are asked about, as bits;
                // with none, no word doubles there.
                let held = window(at)
                var lengths: UInt32 = 0
                var length = max(2, (repeats[r] & 31) / 3)
                while length <= 8 && at &+ 3 &* length &+ 4 <= n {
                    if window(at &+ 3 &* length) == held { lengths |= 1 << UInt32(length) }
                    length &+= 1
                }
                guard lengths != 0 else { continue }
                if let len = LineScanner.doubledLength(p, s, n, lengths: lengths) { doubled = s..<(s + len) }
            }
            return doubled
        }

        /// The patterns of `candidates` (bits) that occur at byte x-o of the line `p` of `n`
        /// bytes, for the offsets o (0, 1, 2) of `offsets` (bit o): where the window at x would sit
        /// in a pattern whose window hashes to its slot. (Every occurrence of a pattern holds one
        /// window at such an offset: it is found there, if not here.)
        @inline(never)
        func matches(_ candidates: UInt32, at offsets: UInt32, near x: Int, _ p: UnsafePointer<UInt8>, _ n: Int) -> UInt32 {
            var out: UInt32 = 0
            var c = candidates
            while c != 0 {
                let k = c.trailingZeroBitCount
                c &= c &- 1
                let lo = start[k], len = start[k &+ 1] &- lo
                var o = offsets
                while o != 0 {
                    let i = x &- o.trailingZeroBitCount
                    o &= o &- 1
                    guard i >= 0 && i &+ len <= n else { continue }
                    if LineScanner.equal(p + i, flat + lo, len) {
                        out |= 1 << UInt32(k)
                        break
                    }
                }
            }
            return out
        }

        /// Whether the `len` bytes at `a` and at `b` are equal: eight bytes a compare, the last
        /// eight (or four) overlapping those before, when `len` >= 4; else byte by byte. (Most
        /// compares are of a common word, 增加 or 下降, with a longer pattern that starts with it.)
        @inline(__always)
        static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ len: Int) -> Bool {
            let x = UnsafeRawPointer(a), y = UnsafeRawPointer(b)
            if len >= 8 {
                var j = 0
                while j &+ 8 < len {
                    if x.loadUnaligned(fromByteOffset: j, as: UInt64.self) != y.loadUnaligned(fromByteOffset: j, as: UInt64.self) { return false }
                    j &+= 8
                }
                return x.loadUnaligned(fromByteOffset: len &- 8, as: UInt64.self) == y.loadUnaligned(fromByteOffset: len &- 8, as: UInt64.self)
            }
            if len >= 4 {
                return x.loadUnaligned(as: UInt32.self) == y.loadUnaligned(as: UInt32.self)
                    && x.loadUnaligned(fromByteOffset: len &- 4, as: UInt32.self) == y.loadUnaligned(fromByteOffset: len &- 4, as: UInt32.self)
            }
            var j = 0
            while j < len && a[j] == b[j] { j &+= 1 }
            return j == len
        }

        /// The lengths of doubled word `doubledLength` asks about by default, as bits (bit L: L
        /// Han characters): 2…8.
        static let anyLength: UInt32 = 0x1FC

        /// The length in bytes of the doubled word starting at byte `i` of the line `p` of `n`
        /// bytes, if one does (the shortest): L Han characters printed twice, for the L of
        /// `lengths` (bit L; within 2…8: no other length doubles there). (`i` need not start a
        /// scalar: a continuation byte is no Han lead byte.)
        static func doubledLength(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int, lengths: UInt32 = anyLength) -> Int? {
            // (Wrapping arithmetic: every index is below n, far from Int's limits.)
            // Han lead bytes are E4…E9; the shortest word asked about (2 characters at least,
            // twice) takes 6·L bytes.
            var lengths = lengths & anyLength
            guard lengths != 0, p[i] &- 0xE4 <= 0xE9 - 0xE4, i &+ 6 &* lengths.trailingZeroBitCount <= n else { return nil }
            // The first character is Han whatever the length: tested once.
            let b0 = p[i], b1 = p[i &+ 1], b2 = p[i &+ 2]
            guard isHanRaw(UInt32(b0) << 16 | UInt32(b1) << 8 | UInt32(b2)) else { return nil }
            while lengths != 0 {
                let len = lengths.trailingZeroBitCount
                lengths &= lengths &- 1
                guard i &+ 6 &* len <= n else { return nil }
                let d = 3 &* len
                // Most lengths fail at the first character, printed again `d` bytes on (or not).
                if p[i &+ d] == b0 && p[i &+ d &+ 1] == b1 && p[i &+ d &+ 2] == b2 {
                    var j = 3
                    // Then scalar by scalar: Han (so three bytes, and the next one starts 3 on),
                    // and printed again `d` bytes on.
                    while j < d {
                        let at = i &+ j
                        let key = UInt32(p[at]) << 16 | UInt32(p[at &+ 1]) << 8 | UInt32(p[at &+ 2])
                        guard isHanRaw(key), p[at] == p[at &+ d], p[at &+ 1] == p[at &+ d &+ 1],
                              p[at &+ 2] == p[at &+ d &+ 2] else { break }
                        j &+= 3
                    }
                    if j == d { return d }
                }
            }
            return nil
        }
    }

    /// `isHan` of the scalar of a raw key.
    @inline(__always)
    static func isHanRaw(_ r: UInt32) -> Bool { r &- hanRawLow <= hanRawHigh - hanRawLow }

    /// Lines through one `LineScanner` (for tests), the quotation depth carried from line to
    /// line: each line's pattern bits, stray mark and doubled word.
    static func scanLines(_ lines: [String], quoteDepth: inout Int, positionLimit: Int = LineScanner.slotPositionLimit) -> [(hits: UInt32, stray: Bool, doubled: String?)] {
        LineScanner.withScanner(maxBytes: lines.map(\.utf8.count).max() ?? 0, positionLimit: positionLimit) { scanner in
            var out: [(hits: UInt32, stray: Bool, doubled: String?)] = []
            for s in lines {
                var line = s
                var stray = false
                var hits: UInt32 = 0
                let d = line.withUTF8 { scanner.scan($0, quoteDepth: &quoteDepth, stray: &stray, hits: &hits) }
                out.append((hits, stray, d.map { word(s, $0) }))
            }
            return out
        }
    }

    /// The text of bytes `r` of `s` (a doubled word the scanner found there).
    static func word(_ s: String, _ r: Range<Int>) -> String {
        var s = s
        return s.withUTF8 { String(decoding: UnsafeBufferPointer(rebasing: $0[r]), as: UTF8.self) }
    }

    static let quoteOpen = scalars("“")[0]
    static let quoteClose = scalars("”")[0]

    /// What the scan of a document's prose found: each line's pattern bits (`hits`, bit k:
    /// `scanPatterns[k]` occurs), and for the lines D-TEXT reports on, their stray closing quotation
    /// mark, doubled word and contradictory words.
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
                // By position, each line's text read in place from the array's buffer (`enumerated()`
                // and `var line` each copied a line, a retain and a release, for every line of the
                // narrative), the doubled word kept as a range of its bytes until one is found.
                prose.withUnsafeBufferPointer { lines in
                    for index in lines.indices {
                        let lineNumber = lines[index].line
                        if lineNumber > lastLine + 2 { quoteDepth = 0 }
                        lastLine = lineNumber
                        // One pass over the line: unbalanced quotation marks (a closing mark with
                        // nothing open, carried over wrapped lines), which patterns occur (most lines
                        // carry none), and the first doubled word.
                        var stray = false
                        var found: UInt32 = 0
                        let scanned: Range<Int>?? = lines[index].text.utf8.withContiguousStorageIfAvailable {
                            scanner.scan($0, quoteDepth: &quoteDepth, stray: &stray, hits: &found)
                        }
                        let doubled: Range<Int>?
                        if let scanned {
                            doubled = scanned
                        } else {
                            // (A bridged or otherwise non-contiguous text: made native first.)
                            var line = lines[index].text
                            doubled = line.withUTF8 { scanner.scan($0, quoteDepth: &quoteDepth, stray: &stray, hits: &found) }
                        }
                        hits.append(found)
                        let textHits = found & DocumentRules.textBits
                        if textHits == 0 && !stray && doubled == nil { continue }
                        let text = lines[index].text
                        var contradictions: [String]?
                        if textHits & contradictionBits != 0 {
                            // The scanner reads bytes and decodes nothing: the (rare) line is decoded
                            // to scalars here.
                            var u: [UInt32] = []
                            FastText.scalars(of: text, into: &u)
                            contradictions = simpleContradictions(text, u)
                        }
                        notes.append(Note(index: index, stray: stray, doubled: doubled.map { word(text, $0) }, contradictions: contradictions))
                    }
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
                    guard c.includes("万人"), firstAmount(c, unitBytes: wanRenBytes, unit: "万人") != nil else { continue }
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
