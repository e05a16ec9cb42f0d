import GoujiModel

/// Document metadata: kind, fiscal year, scope, unit and supervisor, currency unit, staffing.
///
/// Everything is read by structure and voting, never from one line: the fiscal year is the year most
/// often printed in front of 部门/单位预算 (a title counts more than a part title or a table caption,
/// so a stray "2022 年部门预算表" does not change it); the unit is the dominant 填报单位/单位名称
/// field, or the document title when there is none.
public enum MetadataReader {
    public static func read(_ text: SourceText, into doc: inout BudgetDocument) {
        let lines = text.lines
        let titleLines = MetaTitle.titleBlock(lines)
        // At most six numbers: an array search, cheaper than hashing.
        let titleNumbers = titleLines.map { $0.number }

        var yearVotes = Tally<Int>()
        var kindVotes = Tally<DocumentKind>()
        var scopeVotes = Tally<Scope>()
        var currencyVotes = Tally<String>()
        var unitVotes = UnitVotes()
        var supervisorVotes = UnitVotes()
        var fields = FieldMemo()
        var supervisors = SupervisorMemo()

        // A line whose scalar mask allows none of the words is passed over without reading its
        // text (every search below is guarded by its word's mask).
        let wordMasks = [Words.yusuan, Words.juesuan, Words.danwei, Words.bumenmingcheng, Words.tianbaobumen, Words.zhuguanbumen]
        for idx in lines.indices {
            let m = lines[idx].mask
            guard wordMasks.contains(where: { m & $0 == $0 }) else { continue }
            // The line's fields read in place (no copy of the line: its two Strings retained).
            let text = lines[idx].text
            // Each search only where the line's scalar mask allows the word (`SourceLine.mayContain`).
            @inline(__always) func may(_ w: UInt64) -> Bool { m & w == w }
            // Metadata sits in short lines; a pathological long line is read by its start only.
            let t = text.utf8.count > 4096 ? String(text.prefix(1024)) : text
            if t.isEmpty { continue }
            // Only a line that may print a mention is folded and read (`MetaScan.mayMention`: most
            // 预算 lines, table rows and prose, print none).
            if MetaScan.mayMention(t, budget: may(Words.yusuan), final: may(Words.juesuan)) {
                let weight = titleNumbers.contains(lines[idx].number) ? 5 : 1
                let folded = YearNumerals.folding(NarrText.foldDigits(t))
                for (year, kind, scope) in MetaScan.budgetMentions(folded) {
                    if let year { yearVotes.add(year, weight) }
                    kindVotes.add(kind, weight)
                    if let scope { scopeVotes.add(scope, weight) }
                }
            }
            if may(Words.danwei) && NarrText.has(t, "单位") {
                let (cu, u) = fields.read(t, mask: m)
                if let cu { currencyVotes.add(cu, 1) }
                if let u { unitVotes.add(u) }
            } else if (may(Words.bumenmingcheng) && NarrText.has(t, "部门名称"))
                        || (may(Words.tianbaobumen) && NarrText.has(t, "填报部门")) {
                if let u = MetaScan.unitField(t, mask: m) { unitVotes.add(u) }
            }
            if may(Words.zhuguanbumen), NarrText.has(t, "主管部门"), let s = supervisors.read(at: idx, in: lines) {
                supervisorVotes.add(s)
            }
        }

        if let (kind, _) = kindVotes.entries.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key == .finalAccounts) }) {
            doc.kind = kind
        } else if !lines.isEmpty {
            doc.kind = nil
        }
        if let best = yearVotes.entries.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }) {
            doc.fiscalYear = best.key
        } else if let y = MetaScan.anyYear(lines) {
            doc.fiscalYear = y
        }
        if let best = scopeVotes.entries.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key == .department) }) {
            doc.scope = best.key
        }
        if let best = currencyVotes.entries.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }) {
            doc.currencyUnit = best.key
        }

        // Unit: the dominant field reading (first seen wins a tie); a coded reading of the same name
        // adds its votes to the name.
        var unit = unitVotes.best
        if var u = unit, u.code == nil,
           let coded = unitVotes.entries.first(where: { $0.unit.name == u.name && $0.unit.code != nil })?.unit {
            u.code = coded.code
            unit = u
        }
        if unit == nil, let name = MetaTitle.unitName(titleLines) {
            unit = UnitRef(name: name, code: nil)
        }
        if let unit { doc.unit = unit }

        if let sup = supervisorVotes.best { doc.supervisor = sup }

        doc.staffing = MetaStaffing.read(lines)
    }
}

/// Votes for a document's years, kinds, scopes and currency units, kept in first-seen order and
/// found with `==`: each is one of few values (years 1990–2100, two kinds, two scopes, four
/// currency units), and a dictionary hashed every vote (a currency unit's String through Unicode
/// normalisation) and grew its storage as the keys came. The winner is read with `max(by:)` under
/// a strict order of distinct keys (more votes, then a fixed preference among equals), which gives
/// the same key whatever order the keys are kept in.
struct Tally<Key: Equatable> {
    private(set) var entries: [(key: Key, value: Int)] = []

    mutating func add(_ key: Key, _ weight: Int) {
        for k in entries.indices where entries[k].key == key { entries[k].value += weight; return }
        entries.append((key, weight))
    }
}

/// The currency unit and unit field of the 单位 lines read so far, by their text: every table's
/// header prints the same `填报单位［502003］某某中心 单位：万元` line, which is read once. Both
/// readings are functions of the text alone (`unitField`'s mask only skips searches), so a line
/// whose bytes equal a remembered one gets its reading. A few recent lines that read as
/// something are kept, compared by length first.
struct FieldMemo {
    private var entries: [(text: String, currency: String?, unit: UnitRef?)] = []
    private var next = 0
    private static let capacity = 8

    /// `(MetaScan.currencyUnit(t), MetaScan.unitField(t, mask: mask))`.
    mutating func read(_ t: String, mask: UInt64) -> (String?, UnitRef?) {
        // (Read in place: a loop over copies of the entries retained and released their texts.)
        for k in entries.indices where FastText.equalBytes(entries[k].text, t) { return (entries[k].currency, entries[k].unit) }
        let reading = (MetaScan.currencyUnit(t), MetaScan.unitField(t, mask: mask))
        // (A line that reads as nothing, a table row naming 事业单位, is cheap to read again:
        // only readings are kept, so that rows do not push the header lines out.)
        if reading.0 == nil && reading.1 == nil { return reading }
        if entries.count < FieldMemo.capacity {
            entries.append((t, reading.0, reading.1))
        } else {
            entries[next] = (t, reading.0, reading.1)
            next = (next + 1) % FieldMemo.capacity
        }
        return reading
    }
}

/// `MetaScan.supervisor(at:in:)` of the 主管部门 lines read so far: a performance table prints the
/// field in every project's block, mostly in the same words wrapped the same way, and each reading
/// costs thousands of instructions. A reading is a function of the texts of the lines it read
/// (`supervisor(reading:in:)`), so a line whose text and the texts after it are those of a
/// remembered reading, byte for byte, gets its result. A reading that ran out of lines is never
/// matched later on: the lines it read run past the end from any later line.
struct SupervisorMemo {
    private var entries: [(texts: [String], unit: UnitRef?)] = []
    private static let capacity = 8

    mutating func read(at idx: Int, in lines: [SourceLine]) -> UnitRef? {
        for e in entries.indices where idx + entries[e].texts.count <= lines.count {
            // (Read in place: the entry's texts against the lines from `idx`.)
            let texts = entries[e].texts
            if texts.indices.allSatisfy({ FastText.equalBytes(texts[$0], lines[idx + $0].text) }) { return entries[e].unit }
        }
        let (unit, end) = MetaScan.supervisor(reading: idx, in: lines)
        // (A line that is no 主管部门 field reads as nothing at once: not kept.)
        if entries.count < SupervisorMemo.capacity, unit != nil || end > idx + 1 {
            entries.append((lines[idx..<end].map(\.text), unit))
        }
        return unit
    }
}

/// Votes for the units a document's fields print, in first-seen order. A document prints few
/// distinct units: each is found by a linear search with `==` (a dictionary would hash the names
/// through Unicode normalisation); past `indexAfter` of them a dictionary takes over, so that a
/// pathological input stays linear.
struct UnitVotes {
    private(set) var entries: [(unit: UnitRef, votes: Int)] = []
    private var index: [UnitRef: Int]?
    private static let indexAfter = 32

    mutating func add(_ u: UnitRef) {
        if index != nil {
            if let k = index?[u] { entries[k].votes += 1 } else { index?[u] = entries.count; entries.append((u, 1)) }
            return
        }
        if let k = entries.firstIndex(where: { UnitVotes.same($0.unit, u) }) { entries[k].votes += 1; return }
        entries.append((u, 1))
        if entries.count > UnitVotes.indexAfter {
            var byUnit: [UnitRef: Int] = [:]
            for (k, e) in entries.enumerated() { byUnit[e.unit] = k }
            index = byUnit
        }
    }

    /// `a == b`: two names (or codes) whose bytes differ are compared as Strings only where one of
    /// them is not `NFCInert`. Otherwise they differ (String equality is byte equality for such
    /// texts), and `==` would have compared them through Unicode normalisation: a document's
    /// field lines name a few units, each compared with every other on every vote.
    static func same(_ a: UnitRef, _ b: UnitRef) -> Bool {
        sameText(a.name, b.name) && sameText(a.code, b.code)
    }

    /// `a == b` for optional texts, by bytes where that decides it (see `same`).
    static func sameText(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        if FastText.equalBytes(a, b) { return true }
        if NFCInert.check(a) && NFCInert.check(b) { return false }
        return a == b
    }

    /// The unit with the most votes; the first seen among equally many.
    var best: UnitRef? {
        var out: UnitRef?
        var bestCount = 0
        for e in entries where e.votes > bestCount { out = e.unit; bestCount = e.votes }
        return out
    }
}

/// Scalar masks of the words the metadata scan looks for on every line.
enum Words {
    static let yusuan = ScalarMask.of("预算"), juesuan = ScalarMask.of("决算"), danwei = ScalarMask.of("单位")
    static let bumenmingcheng = ScalarMask.of("部门名称"), tianbaobumen = ScalarMask.of("填报部门")
    static let zhuguanbumen = ScalarMask.of("主管部门")
    static let bianzhi = ScalarMask.of("编制"), shiyou = ScalarMask.of("实有"), zaizhi = ScalarMask.of("在职")
    static let tuixiu = ScalarMask.of("退休")
    static let bumen = ScalarMask.of("部门"), openBracket = ScalarMask.of("["), fullOpenBracket = ScalarMask.of("［")
    static let lenticular = ScalarMask.of("【"), tab = ScalarMask.of("\t")
    static let bufen = ScalarMask.of("部分"), biao = ScalarMask.of("表"), mingcijieshi = ScalarMask.of("名词解释")
    static let xu = ScalarMask.of("续")
}

/// The title block: the nonblank lines before the table of contents or the first part.
enum MetaTitle {
    static func titleBlock(_ lines: [SourceLine]) -> [SourceLine] {
        var out: [SourceLine] = []
        for line in lines {
            if line.isBlank { continue }
            let t = NarrText.stripDebris(line.text)
            if t.begins(with: "目录") || t.begins(with: "目 录") || t.begins(with: "第一部分") || t.begins(with: "第一章") { break }
            if out.count >= 6 { break }
            // (A text of at most 60 bytes has at most 60 Characters: not counted.)
            if t.utf8.count > 60 && t.count > 60 { break }
            out.append(line)
        }
        return out
    }

    /// The unit named by the title: the words before 部门预算/单位预算, without year or attachment label.
    static func unitName(_ block: [SourceLine]) -> String? {
        var joined = ""
        for l in block { joined += NarrText.stripDebris(l.text) }
        joined = YearNumerals.folding(NarrText.foldDigits(joined))
        let chars = Array(joined)
        var end: Int?
        var i = 0
        while i + 3 < chars.count {
            if (chars[i] == "部" && chars[i + 1] == "门") || (chars[i] == "单" && chars[i + 1] == "位") {
                if (chars[i + 2] == "预" || chars[i + 2] == "决") && chars[i + 3] == "算" { end = i; break }
            }
            i += 1
        }
        guard let end else { return nil }
        var prefix = String(chars[..<end])
        if let colon = prefix.lastIndex(where: { $0 == ":" || $0 == "：" }) {
            prefix = String(prefix[prefix.index(after: colon)...])
        }
        prefix = MetaScan.removingYears(prefix)
        prefix = String(prefix.filter { !NarrText.isSpace($0) })
        // A year printed without 年 between the name and 部门预算 (`某某局 2024 部门预算`).
        let digits = prefix.reversed().prefix(while: NarrText.isDigit)
        if digits.count == 4, let year = Int(String(digits.reversed())), (1990...2100).contains(year) {
            prefix = String(prefix.dropLast(4))
        }
        // The title of a notice about the budget: 关于某某局2025年部门预算的说明, 某某局关于2025年部门预算….
        if prefix.hasPrefix("关于") { prefix.removeFirst(2) }
        if prefix.hasSuffix("关于") { prefix.removeLast(2) } else if prefix.hasSuffix("的") { prefix.removeLast() }
        return prefix.contains(where: NarrText.isHan) && prefix.count >= 2 ? prefix : nil
    }
}

enum MetaScan {
    /// Every "YYYY 年(度) … 部门/单位 预算/决算" (year optional) in a digit-folded line.
    /// Read on the UTF-8: each 算 found by a byte search, the words before it read backwards
    /// scalar by scalar.
    static func budgetMentions(_ t: String) -> [(Int?, DocumentKind, Scope?)] {
        FastText.scanUTF8(t) { buf in
            var out: [(Int?, DocumentKind, Scope?)] = []
            let n = buf.count
            var from = 0
            while let at = suanBytes.withUnsafeBufferPointer({ ByteSearch.first($0, in: buf, from: from) }) {
                from = at + 3
                guard let (p, pStart) = scalar(before: at, in: buf) else { continue }
                let isBudget = p == 0x9884 /* 预 */, isFinal = p == 0x51B3 /* 决 */
                if !(isBudget || isFinal) { continue }
                // Only the document-level words count: 部门预算, 单位预算, 年度预算, 年预算.
                // `e`: the end of the text still to read backwards.
                var scope: Scope?
                var e = skipSpaces(before: pStart, in: buf)
                if let (c1, s1) = scalar(before: e, in: buf), let (c0, s0) = scalar(before: s1, in: buf) {
                    if c0 == 0x90E8 /* 部 */ && c1 == 0x95E8 /* 门 */ { scope = .department; e = s0 }
                    else if c0 == 0x5355 /* 单 */ && c1 == 0x4F4D /* 位 */ { scope = .unit; e = s0 }
                }
                e = skipSpaces(before: e, in: buf)
                var year: Int?
                if let (c, s) = scalar(before: e, in: buf), c == 0x5EA6 /* 度 */ { e = s }
                if let (c, s) = scalar(before: e, in: buf), c == 0x5E74 /* 年 */ {
                    e = skipSpaces(before: s, in: buf)
                    var value = 0, count = 0, scale = 1
                    while e > 0, (buf[e - 1] >= 0x30 && buf[e - 1] <= 0x39) || buf[e - 1] == 0x2C {
                        let b = buf[e - 1]
                        if b != 0x2C { value &+= Int(b - 0x30) &* scale; scale &*= 10; count += 1 }
                        e -= 1
                    }
                    if count == 4, value >= 1990, value <= 2100 { year = value }
                }
                if scope != nil || year != nil {
                    // "预算单位" names an organisation, not the document.
                    let next: UInt32 = at + 3 < n ? scalar(at: at + 3, in: buf) : 0x20
                    // 单 科 拨 数
                    if !(next == 0x5355 || next == 0x79D1 || next == 0x62E8 || next == 0x6570) || year != nil {
                        out.append((year, isFinal ? .finalAccounts : .budget, scope))
                    }
                }
            }
            return out
        }
    }

    /// False when `budgetMentions` of the line folded (`NarrText.foldDigits`, then
    /// `YearNumerals.folding`) is certainly empty, read on the line itself: every mention is a 预算
    /// or 决算 with 门 (部门), 位 (单位), 度 or 年 before it, spaces between. Folding rewrites digits,
    /// numerals and spaces only, each into a digit or a space (U+3000 and NBSP into a space, both
    /// spaces to `skipSpaces`), so the 预算/决算 and the scalar before the spaces are the same in
    /// the line as in its folding. `budget`, `final`: whether to look for 预算 and for 决算 (false
    /// only where the line's scalar mask rules the word out).
    static func mayMention(_ t: String, budget: Bool = true, final: Bool = true) -> Bool {
        guard budget || final else { return false }
        return FastText.scanUTF8(t) { buf in
            func site(_ word: [UInt8]) -> Bool {
                word.withUnsafeBufferPointer { w in
                    var from = 0
                    while let at = ByteSearch.first(w, in: buf, from: from) {
                        from = at + w.count
                        // 门 位 度 年
                        if let (c, _) = scalar(before: skipSpaces(before: at, in: buf), in: buf),
                           c == 0x95E8 || c == 0x4F4D || c == 0x5EA6 || c == 0x5E74 { return true }
                    }
                    return false
                }
            }
            return (budget && site(yusuanBytes)) || (final && site(juesuanBytes))
        }
    }

    /// 预算 and 决算 in UTF-8.
    private static let yusuanBytes: [UInt8] = Array("预算".utf8), juesuanBytes: [UInt8] = Array("决算".utf8)

    /// 算 in UTF-8.
    private static let suanBytes: [UInt8] = Array("算".utf8)

    /// The scalar that ends at byte `end` (value and start), nil at the start of the text.
    @inline(__always)
    static func scalar(before end: Int, in buf: UnsafeBufferPointer<UInt8>) -> (UInt32, Int)? {
        guard end > 0 else { return nil }
        var s = end - 1
        while s > 0, end - s < 4, buf[s] & 0xC0 == 0x80 { s -= 1 }
        return (scalar(at: s, in: buf), s)
    }

    /// The value of the scalar starting at byte `i` (valid UTF-8).
    @inline(__always)
    static func scalar(at i: Int, in buf: UnsafeBufferPointer<UInt8>) -> UInt32 {
        let b0 = buf[i]
        if b0 < 0x80 { return UInt32(b0) }
        // The common case, a whole three-byte scalar (CJK), in one step. (`i < count`: no overflow.)
        if b0 & 0xF0 == 0xE0 && i < buf.count &- 2 {
            return (UInt32(b0 & 0x0F) << 12) | (UInt32(buf[i &+ 1] & 0x3F) << 6) | UInt32(buf[i &+ 2] & 0x3F)
        }
        var v: UInt32
        var len: Int
        if b0 < 0xE0 { v = UInt32(b0 & 0x1F); len = 2 } else if b0 < 0xF0 { v = UInt32(b0 & 0x0F); len = 3 } else { v = UInt32(b0 & 0x07); len = 4 }
        var k = 1
        while k < len && i + k < buf.count { v = (v << 6) | UInt32(buf[i + k] & 0x3F); k += 1 }
        return v
    }

    /// Back over the spaces (`NarrText.isSpaceU`) that end at byte `end`.
    @inline(__always)
    static func skipSpaces(before end: Int, in buf: UnsafeBufferPointer<UInt8>) -> Int {
        var e = end
        while let (c, s) = scalar(before: e, in: buf) {
            switch c {
            case 0x20, 0x09, 0x3000, 0xA0, 0x2002, 0x2003: e = s
            default: return e
            }
        }
        return e
    }

    static func anyYear(_ lines: [SourceLine]) -> Int? {
        var votes: [Int: Int] = [:]
        for line in lines.prefix(400) where NarrText.has(line.text, "年") {
            let chars = Array(YearNumerals.folding(NarrText.foldDigits(line.text)))
            var i = 0
            while i < chars.count {
                if NarrText.isDigit(chars[i]) {
                    var j = i
                    while j < chars.count, NarrText.isDigit(chars[j]) { j += 1 }
                    var k = j
                    while k < chars.count, NarrText.isSpace(chars[k]) { k += 1 }
                    if j - i == 4, k < chars.count, chars[k] == "年", let y = Int(String(chars[i..<j])), y >= 1990, y <= 2100 {
                        votes[y, default: 0] += 1
                    }
                    i = j
                } else {
                    i += 1
                }
            }
        }
        return votes.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) })?.key
    }

    static func removingYears(_ s: String) -> String {
        var chars = Array(s)
        var i = 0
        while i < chars.count {
            if NarrText.isDigit(chars[i]) {
                var j = i
                while j < chars.count, NarrText.isDigit(chars[j]) { j += 1 }
                var k = j
                while k < chars.count, NarrText.isSpace(chars[k]) { k += 1 }
                if j - i == 4, k < chars.count, chars[k] == "年" {
                    var e = k + 1
                    if e < chars.count, chars[e] == "度" { e += 1 }
                    chars.removeSubrange(i..<e)
                    continue
                }
                i = j
            } else {
                i += 1
            }
        }
        return String(chars)
    }

    /// `单位：万元` → 万元.
    static func currencyUnit(_ t: String) -> String? {
        guard hasUnitColon(t) else { return nil }
        // Every 单位： on the line (填报单位：… 单位：万元).
        var search = t.startIndex
        while search < t.endIndex,
              let r = t[search...].byteRange(of: "单位：") ?? t[search...].byteRange(of: "单位:") {
            // The words after the colon and its spaces, read in place (trimming the end of the
            // rest cannot cut into a word with no space in it).
            let hit = FastText.scanUTF8(t[r.upperBound...]) { buf -> String? in
                let (a, _) = FastText.trimmedRange(buf)
                return currencyWords.first { w in w.bytes.withUnsafeBufferPointer { FastText.bytes($0, occurAt: a, in: buf) } }?.text
            }
            if let hit { return hit }
            search = r.upperBound
        }
        return nil
    }

    /// `NarrText.has(t, "单位：") || NarrText.has(t, "单位:")` in one search: each 单位 and the
    /// byte(s) after it (单位 does not overlap itself).
    static func hasUnitColon(_ t: String) -> Bool {
        FastText.scanUTF8(t) { buf in
            danweiBytes.withUnsafeBufferPointer { w in
                var from = 0
                while let at = ByteSearch.first(w, in: buf, from: from) {
                    let e = at + w.count
                    if e < buf.count && buf[e] == 0x3A { return true }
                    // ： (U+FF1A)
                    if e + 2 < buf.count && buf[e] == 0xEF && buf[e + 1] == 0xBC && buf[e + 2] == 0x9A { return true }
                    from = e
                }
                return false
            }
        }
    }

    /// 单位 in UTF-8.
    private static let danweiBytes: [UInt8] = Array("单位".utf8)

    /// The currency units `currencyUnit` reads, in the order it tries them, with their bytes.
    private static let currencyWords: [(text: String, bytes: [UInt8])] = ["万元", "亿元", "千元", "元"].map { ($0, Array($0.utf8)) }

    private static let unitLabels = ["填报单位", "填报部门", "单位名称", "编制单位", "部门名称"]
    private static let unitLabelMasks = unitLabels.map { ScalarMask.of($0) }
    private static let headerWords: Set<String> = ["合计", "经费性质", "在职人数", "单位编码", "项目", "金额", "科目名称"]
    private static let headerWordList = Array(headerWords)

    /// `headerWords.contains(s)`: by bytes when `s` is `NFCInert` (String equality is then byte
    /// equality), through the set otherwise.
    static func isHeaderWord(_ s: String) -> Bool {
        if headerWordList.contains(where: { NarrScanner.sameBytes($0, s) }) { return true }
        return NFCInert.check(s) ? false : headerWords.contains(s)
    }

    /// A 填报单位/单位名称 field: `填报单位［502003］景德镇市…`, `单位名称：江门市…`, `[601017]南昌市…`.
    /// `mask`: the scalar mask of a text holding every scalar of `t` (its line), to skip searching
    /// for labels it cannot contain.
    static func unitField(_ t: String, mask: UInt64 = ~0) -> UnitRef? {
        guard let f = Scalars.first(t),
              isOpenBracket(f) || unitLabels.indices.contains(where: { mask & unitLabelMasks[$0] == unitLabelMasks[$0] && NarrText.has(t, unitLabels[$0]) })
        else { return nil }
        // Read on scalars: every character this looks at (brackets, colons, digits, spaces) is one.
        let chars = NarrText.scalars(t)
        var start: Int?
        for label in unitLabels {
            if let r = t.byteRange(of: label) {
                start = t.unicodeScalars.distance(from: t.startIndex, to: r.upperBound)
                break
            }
        }
        var i: Int
        if let s = start {
            i = s
            // After the label: a colon (then spaces), or a bracketed code, or the name itself.
            var sawColon = false
            while i < chars.count, chars[i] == ":" || chars[i] == "：" || NarrText.isSpaceU(chars[i]) {
                if chars[i] == ":" || chars[i] == "：" { sawColon = true }
                if chars[i] == "\t" && !sawColon { return nil }
                i += 1
            }
            // The field's content follows a colon or is a bracketed code; anything else is a header
            // cell or a sentence (部门预算单位构成, 单位名称 经费性质 …).
            if !sawColon && !(i < chars.count && isOpenBracket(chars[i])) { return nil }
        } else {
            // A line that starts with a bracketed code and a name.
            guard let f = chars.first, isOpenBracket(f) else { return nil }
            i = 0
        }
        var code: String?
        if i < chars.count, isOpenBracket(chars[i]) {
            var j = i + 1
            var digits = ""
            // ASCII or full-width digits, kept as ASCII.
            while j < chars.count, let d = TableReader.digit(chars[j]) {
                digits.append(Character(Unicode.Scalar(UInt8(0x30 + d)))); j += 1
            }
            guard j < chars.count, isCloseBracket(chars[j]), !digits.isEmpty else { return nil }
            code = digits
            i = j + 1
        } else {
            // A leading code: 502003-景德镇… or 502003 景德镇…
            var j = i
            while j < chars.count, NarrText.isDigitU(chars[j]) { j += 1 }
            if j - i >= 3, j < chars.count, chars[j] == "-" || chars[j] == "－" || chars[j] == " " {
                code = NarrText.str(chars[i..<j])
                i = j + 1
            }
        }
        while i < chars.count, NarrText.isSpaceU(chars[i]) { i += 1 }
        let nameStart = i
        while i < chars.count, !NarrText.isSpaceU(chars[i]) {
            if chars[i] == "单" && i + 2 < chars.count && chars[i + 1] == "位" && (chars[i + 2] == "：" || chars[i + 2] == ":") { break }
            i += 1
        }
        let name = NarrText.stripDebris(NarrText.str(chars[nameStart..<i]))
        guard FastText.characterCount(name) >= 2, name.unicodeScalars.contains(where: NarrText.isHanU), !isHeaderWord(name) else { return nil }
        return UnitRef(name: name, code: code)
    }

    static func isOpenBracket(_ c: Unicode.Scalar) -> Bool { c == "[" || c == "［" || c == "【" || c == "〔" }
    static func isCloseBracket(_ c: Unicode.Scalar) -> Bool { c == "]" || c == "］" || c == "】" || c == "〕" }
    static func isOpenBracket(_ c: Character) -> Bool { c == "[" || c == "［" || c == "【" || c == "〔" }
    static func isCloseBracket(_ c: Character) -> Bool { c == "]" || c == "］" || c == "】" || c == "〕" }

    private static let fieldLabels = ["实施单位", "项目属性", "项目资金", "项目名称", "项目日期", "年度资金", "其中", "预算", "单位", "绩效", "联系"]

    /// `主管部门(及代码)` followed (same cell, next cell or the next lines) by `502-景德镇市…局`.
    static func supervisor(at idx: Int, in lines: [SourceLine]) -> UnitRef? {
        supervisor(reading: idx, in: lines).unit
    }

    /// `supervisor(at:in:)`, with `end`: the reading is a function of the texts of `lines[idx..<end]`
    /// alone (`end` is `lines.count` where running out of lines ended it).
    static func supervisor(reading idx: Int, in lines: [SourceLine]) -> (unit: UnitRef?, end: Int) {
        var end = idx + 1
        let t = NarrText.stripDebris(lines[idx].text)
        guard t.begins(with: "主管部门") else { return (nil, end) }
        var rest = String(t.dropFirst(4))
        for p in ["及代码", "名称", "及编码", "代码"] where rest.begins(with: p) { rest = String(rest.dropFirst(p.count)) }
        // Same line: the next cell (tab or space separated), before another field label.
        var content = ""
        let cells = NarrText.has(rest, "\t") ? NarrText.tabCells(rest).filter { !$0.isEmpty } : NarrText.tokens(rest)
        for c in cells {
            var cell = c
            while let f = cell.first, f == ":" || f == "：" { cell.removeFirst() }
            if cell.isEmpty { continue }
            if fieldLabels.contains(where: { cell.begins(with: $0) }) { break }
            content += cell
            if NarrText.has(rest, "\t") { break }
        }
        var k = idx + 1
        if content.isEmpty {
            // Next lines: the code-name, wrapped.
            var taken = 0
            while k < lines.count, taken < 4 {
                let lt = NarrText.stripDebris(lines[k].text)
                k += 1
                end = k
                if lt.isEmpty { continue }
                if fieldLabels.contains(where: { lt.begins(with: $0) }) { break }
                if !content.isEmpty && (lt.count > 24 || lt.contains(where: NarrText.isDigit)) { break }
                let first = NarrText.tokens(lt).first ?? lt
                content += first
                taken += 1
                if NarrText.tokens(lt).count > 1 { break }
            }
            if k == lines.count { end = k }
        } else if !content.ends(with: "局") && !content.ends(with: ")") && !content.ends(with: "）") {
            // Same-line content that wraps onto the next line.
            while k < lines.count, lines[k].isBlank { k += 1 }
            end = min(k + 1, lines.count)
            if k < lines.count {
                let lt = NarrText.stripDebris(lines[k].text)
                if lt.count <= 12, !lt.contains(where: NarrText.isDigit), NarrText.tokens(lt).count == 1,
                   !fieldLabels.contains(where: { lt.begins(with: $0) }) {
                    content += lt
                }
            }
        }
        content = NarrText.foldDigits(content)
        for suffix in ["(部门)", "（部门）", "(单位)", "（单位）"] where content.ends(with: suffix) {
            content = String(content.dropLast(suffix.count))
        }
        var code: String?
        var name = content
        if let split = splitCode(content) {
            (code, name) = split
        } else {
            let chars = Array(content)
            var j = 0
            while j < chars.count, NarrText.isDigit(chars[j]) { j += 1 }
            if j > 0, j < chars.count, chars[j] == "-" || chars[j] == "－" || chars[j] == "—" || chars[j] == " " {
                code = String(chars[..<j])
                name = String(chars[(j + 1)...])
            } else if j > 0, j < chars.count, NarrText.isHan(chars[j]) {
                code = String(chars[..<j])
                name = String(chars[j...])
            }
        }
        name = SourceText.trim(name)
        guard FastText.characterCount(name) >= 2, containsHan(name) else { return (nil, end) }
        return (UnitRef(name: name, code: code), end)
    }

    /// `502-景德镇市…局` → (502, 景德镇市…局): the leading digits and the name after a dash, a space
    /// or straight after them, read on scalars; nil when a Character of `content` is more than
    /// one scalar (then the Characters are read).
    static func splitCode(_ content: String) -> (String?, String)? {
        let u = NarrText.scalars(content)
        guard FastText.characterCount(content) == u.count else { return nil }
        var j = 0
        while j < u.count, NarrText.isDigitU(u[j]) { j += 1 }
        guard j > 0, j < u.count else { return (nil, content) }
        switch u[j] {
        case "-", "－", "—", " ": return (NarrText.str(u[..<j]), NarrText.str(u[(j + 1)...]))
        default: return NarrText.isHanU(u[j]) ? (NarrText.str(u[..<j]), NarrText.str(u[j...])) : (nil, content)
        }
    }

    /// `s.contains(where: NarrText.isHan)`, on scalars when each is a Character of its own.
    static func containsHan(_ s: String) -> Bool {
        if FastText.characterCount(s) == Scalars.count(s) { return s.unicodeScalars.contains(where: NarrText.isHanU) }
        return s.contains(where: NarrText.isHan)
    }
}

/// 编制人数 → authorized, 实有人数 → actual, 在职 → in_service, 退休 → retired.
enum MetaStaffing {
    static let keys: [(String, [String])] = [
        ("authorized", ["编制人数", "核定编制", "编制数"]),
        ("actual", ["实有人数", "实有人员"]),
        ("in_service", ["在职人数", "在职人员", "在职职工", "在职"]),
        ("retired", ["退休人数", "退休人员", "退休"]),
    ]
    private static let headerKeys: [String: String] = [
        "编制人数": "authorized", "编制数": "authorized", "实有人数": "actual",
        "在职人数": "in_service", "在职人员": "in_service", "退休人数": "retired", "退休人员": "retired",
    ]

    /// Each key's stem, which every one of its words holds (a line without it holds none of them),
    /// and the stems' scalar masks.
    static let stems = ["编制", "实有", "在职", "退休"]
    private static let stemMasks = [Words.bianzhi, Words.shiyou, Words.zaizhi, Words.tuixiu]

    /// The index in `keys` of a key name.
    private static func keyIndex(_ name: String) -> Int? { keys.firstIndex { $0.0 == name } }

    private static let headerKeyList: [(String, Int)] = headerKeys.compactMap { e in keyIndex(e.value).map { (e.key, $0) } }
    /// The header keys' scalar masks.
    private static let headerKeyMasks: [UInt64] = headerKeyList.map { ScalarMask.of($0.0) }

    /// Whether a cell of `t` (a tab cell or a word: a run of its bytes) may be a header key
    /// (`headerKey`): `t` holds a key's bytes, or a scalar through which a canonically equivalent
    /// spelling could pass (`t` not `NFCInert`). `mask`: a scalar mask that holds `t`'s.
    static func mayHoldHeaderKey(_ t: String, mask: UInt64) -> Bool {
        for k in headerKeyList.indices where mask & headerKeyMasks[k] == headerKeyMasks[k] && t.has(headerKeyList[k].0) { return true }
        return !NFCInert.check(t)
    }

    /// `headerKeys[cell]` (as an index in `keys`): by bytes when the cell is `NFCInert` (then
    /// String equality is byte equality), through the dictionary otherwise.
    static func headerKey(_ cell: String) -> Int? {
        for (k, v) in headerKeyList where NarrScanner.sameBytes(k, cell) { return v }
        return NFCInert.check(cell) ? nil : headerKeys[cell].flatMap(keyIndex)
    }

    /// Each key's words: the text, its scalars, and its proper prefixes (a word that starts on a
    /// line and wraps onto the next one starts with one of them at the line's end).
    /// `mask`: the word's scalar mask; `firstMask`: its first scalar's, which every prefix holds.
    private struct Word {
        let text: String
        let scalars: [Unicode.Scalar]
        let prefixes: [String]
        let mask: UInt64
        let firstMask: UInt64
    }

    /// How word `ws[k]` starts on the line `t`: bit 1, `t` holds it; bit 2, `t` ends with one of
    /// its proper prefixes (the word may go on into the next line). `stemIn`: whether `t` holds
    /// the word's stem (else it cannot hold the word); `last`: `t`'s last scalar, which ends any
    /// prefix `t` ends with; `m`: `t`'s scalar mask.
    /// (The word's fields are read in place: a copy of it retains its arrays and text.)
    @inline(__always)
    private static func starts(_ ws: UnsafeBufferPointer<Word>, _ k: Int, in t: String, stemIn: Bool,
                               last: Unicode.Scalar?, mask m: UInt64) -> Int {
        let holds = stemIn && m & ws[k].mask == ws[k].mask && t.has(ws[k].text)
        guard m & ws[k].firstMask == ws[k].firstMask else { return holds ? 1 : 0 }
        // (`prefixes[j]` ends with `scalars[j]`.)
        let wraps = ws[k].prefixes.withUnsafeBufferPointer { ps in
            ws[k].scalars.withUnsafeBufferPointer { us in ps.indices.contains { us[$0] == last && t.ends(with: ps[$0]) } }
        }
        return (holds ? 1 : 0) | (wraps ? 2 : 0)
    }
    private static let words: [[Word]] = keys.map { key in
        key.1.map { w in
            let u = Array(w.unicodeScalars)
            return Word(text: w, scalars: u, prefixes: (1..<max(1, u.count)).map { NarrText.str(u[..<$0]) },
                        mask: ScalarMask.of(w), firstMask: ScalarMask.of(NarrText.str(u.prefix(1))))
        }
    }

    static func read(_ lines: [SourceLine]) -> Staffing {
        var found: [Int?] = Array(repeating: nil, count: keys.count)
        var foundCount = 0
        let wordMasks = stemMasks
        for idx in lines.indices {
            // Every count found: the rest of the document cannot change the answer.
            if foundCount == keys.count { break }
            // (A line whose scalar mask allows none of the words is passed over unread.)
            let m = lines[idx].mask
            guard wordMasks.contains(where: { m & $0 == $0 }) else { continue }
            // The line's text and mask read in place (no copy of the line: its two Strings retained).
            let text = lines[idx].text
            @inline(__always) func may(_ w: UInt64) -> Bool { m & w == w }
            let t = text.utf8.count > 4096 ? String(text.prefix(1024)) : text
            guard !t.isEmpty else { continue }
            // Bit `key`: the line holds the key's stem.
            var stemBits = 0
            for key in stems.indices where may(wordMasks[key]) && t.has(stems[key]) { stemBits |= 1 << key }
            guard stemBits != 0 else { continue }
            // A small table: a header cell 在职人数 over a row that prints the number. (A line
            // without whitespace is one cell.)
            // Cells are runs of the line's bytes: a line that can hold no header key is not split.
            let cells = !mayHoldHeaderKey(t, mask: m) ? []
                : NarrText.has(t, "\t") ? NarrText.tabCells(t) : (FastText.mayHaveWhitespace(t) ? NarrText.tokens(t) : [])
            // A table printed one cell per line (text extracted without layout): header keys on
            // lines of their own, then their counts on lines of their own, in the same order.
            if cells.isEmpty, (9...16).contains(t.utf8.count), headerKey(t) != nil {
                for (key, v) in oneCellPerLine(lines, from: idx) where found[key] == nil {
                    found[key] = v
                    foundCount += 1
                }
            }
            if cells.count >= 2 {
                for (ci, cell) in cells.enumerated() {
                    // A cell equal to a header key (three or four ideographs, each 3 or 4 bytes, even
                    // a canonically equivalent one) has 9 to 16 bytes: only those are looked up
                    // (hashing CJK text normalises it).
                    guard (9...16).contains(cell.utf8.count), let key = headerKey(cell), found[key] == nil else { continue }
                    var k = idx + 1
                    while k < lines.count, lines[k].isBlank { k += 1 }
                    guard k < lines.count else { continue }
                    let next = lines[k].text
                    let nc = NarrText.has(next, "\t") ? NarrText.tabCells(next) : NarrText.tokens(next)
                    if nc.count == cells.count, let v = Int(NarrText.foldDigits(nc[ci])) { found[key] = v; foundCount += 1 }
                }
            }
            // Prose: a count is read after a word that starts on this line (`number` reads no
            // word that starts on the next ones). Without such a word there is nothing to read.
            // (Each search only where the line's scalar mask allows it.)
            // (The words are read in place: a loop over copies retained and released each word's
            // three arrays and text, on every line that names one of the four.)
            // Bits `2 * (4 * key + k)` on: how word `k` of a key still wanted starts on this line
            // (`starts`).
            let last = Scalars.last(t)
            var startBits = 0
            for key in 0..<keys.count where found[key] == nil {
                words[key].withUnsafeBufferPointer { ws in
                    for k in ws.indices {
                        startBits |= starts(ws, k, in: t, stemIn: stemBits & (1 << key) != 0, last: last, mask: m) << (2 * (4 * key + k))
                    }
                }
            }
            guard startBits != 0 else { continue }
            // The lines the window joins: this one and the next two nonblank ones. Their scalar
            // masks together hold every scalar of the window (a line's start holds fewer).
            var wmask = m
            var windowEnd = idx + 1
            var added = 0
            while windowEnd < lines.count, added < 2 {
                if !lines[windowEnd].isBlank { wmask |= lines[windowEnd].mask; added += 1 }
                windowEnd += 1
            }
            // A count is digits with 人 or 名 after them (`number`); folding makes ASCII digits of
            // full-width ones and never makes 人 or 名. A window that can hold neither word or no
            // digit holds no count: it is not joined (table rows print 退休 and 在职 often).
            guard MetaStaffing.mayHoldCount(wmask) else { continue }
            // The line and the next nonblank lines, joined (sentences wrap): joined only when the
            // line alone does not decide a count (below).
            var joined: String?
            func window() -> String {
                if let joined { return joined }
                var w = t
                for k in (idx + 1)..<windowEnd where !lines[k].isBlank {
                    // prefix(1024) walks Characters; a line of at most 1024 bytes is its own prefix.
                    let next = lines[k].text
                    if next.utf8.count <= 1024 { w += next } else { w += next.prefix(1024) }
                }
                joined = w
                return w
            }
            // Scalars are read only when one of the words still wanted starts on this line and is
            // printed in the window (`number` reads no other word). They are not folded: `number`
            // reads full-width digits and spaces as the folding would.
            // A word the line holds and does not end in is read on the line's scalars first: a
            // count read there, or none where no reading reached the line's end, is the window's
            // answer too (the window goes on from the line's end, and `number` reads forward).
            var lineScalars: [Unicode.Scalar]?
            var scalars: (chars: [Unicode.Scalar], firstLineLength: Int)?
            for key in 0..<keys.count where found[key] == nil {
                let value = words[key].withUnsafeBufferPointer { ws -> Int? in
                    for k in ws.indices {
                        let how = (startBits >> (2 * (4 * key + k))) & 3
                        guard how != 0, wmask & ws[k].mask == ws[k].mask else { continue }
                        if how == 1 {
                            let u = lineScalars ?? NarrText.scalars(t)
                            lineScalars = u
                            var reachedEnd = false
                            if let v = number(after: ws[k].scalars, in: u, startingBefore: u.count, stopAtEnd: true, reachedEnd: &reachedEnd) {
                                return v
                            }
                            if !reachedEnd { continue }
                        } else if !NarrText.has(window(), ws[k].text) {
                            continue
                        }
                        let f = scalars ?? (NarrText.scalars(window()), Scalars.count(t))
                        scalars = f
                        if let v = number(after: ws[k].scalars, in: f.chars, startingBefore: f.firstLineLength) { return v }
                    }
                    return nil
                }
                if let v = value { found[key] = v; foundCount += 1 }
            }
        }
        return Staffing(authorized: found[0], actual: found[1], inService: found[2], retired: found[3])
    }

    /// Masks of 人 and 名, and of each digit a count may be printed with (ASCII or full-width).
    private static let countWordMasks = ["人", "名"].map { ScalarMask.of($0) }
    private static let digitMasks = ("0123456789" + "０１２３４５６７８９").map { ScalarMask.of(String($0)) }

    /// False when a text whose scalars' mask is within `mask` certainly holds no count: no 人 or
    /// 名, or no digit. (Masks: a necessary condition, so true only says "read it".)
    static func mayHoldCount(_ mask: UInt64) -> Bool {
        countWordMasks.contains { mask & $0 == $0 } && digitMasks.contains { mask & $0 == $0 }
    }

    /// The counts of a staffing table printed one cell per line, from its first header line
    /// `start`: the run of header-key lines (blank lines skipped), then as many lines each of a
    /// whole number (人 or 名 after it allowed), paired in order. None unless the counts match
    /// the keys one for one, or where `start` is not the run's first key.
    static func oneCellPerLine(_ lines: [SourceLine], from start: Int) -> [(key: Int, value: Int)] {
        // (Only from the run's first key: a later one would pair the keys after it with the counts.)
        var before = start - 1
        while before >= 0, lines[before].isBlank { before -= 1 }
        if before >= 0, (9...16).contains(lines[before].text.utf8.count), headerKey(lines[before].text) != nil { return [] }
        var keysRead: [Int] = []
        var k = start
        while k < lines.count {
            if lines[k].isBlank { k += 1; continue }
            let t = lines[k].text
            guard (9...16).contains(t.utf8.count), let key = headerKey(t) else { break }
            keysRead.append(key)
            k += 1
        }
        var values: [Int] = []
        while k < lines.count, values.count < keysRead.count {
            if lines[k].isBlank { k += 1; continue }
            var t = NarrText.foldDigits(lines[k].text)
            if t.hasSuffix("人") || t.hasSuffix("名") { t.removeLast() }
            guard !t.isEmpty, t.utf8.count <= 9, t.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let v = Int(t) else { break }
            values.append(v)
            k += 1
        }
        guard values.count == keysRead.count, Set(keysRead).count == keysRead.count else { return [] }
        return Array(zip(keysRead, values)).map { (key: $0.0, value: $0.1) }
    }

    /// The value of an ASCII or full-width digit.
    @inline(__always) static func digit(_ u: Unicode.Scalar) -> Int? {
        let v = u.value
        if v >= 0x30 && v <= 0x39 { return Int(v - 0x30) }
        if v >= 0xFF10 && v <= 0xFF19 { return Int(v - 0xFF10) }
        return nil
    }

    /// Whether `u` stops the search for a head count: punctuation, brackets and comparison signs.
    @inline(__always) static func isStop(_ u: Unicode.Scalar) -> Bool {
        switch u {
        case "，", "。", "；", "、", ",", ";", "：", ":", "（", "(", "）", ")", "“", "”", "≥", "≤", "=", "＝", "<", ">", "＜", "＞": return true
        default: return false
        }
    }

    /// The head count printed after `word` (within a few characters, no punctuation between, then 人/名).
    /// The text may be unfolded: a full-width digit reads as its ASCII digit, and the other scalars
    /// `NarrText.foldDigits` rewrites read as their foldings do (U+3000 and NBSP are spaces, ％ and
    /// ． neither stop nor digit, ， a stop as `,` is), so the count is the folded text's.
    static func number(after w: [Unicode.Scalar], in chars: [Unicode.Scalar], startingBefore limit: Int) -> Int? {
        var reachedEnd = false
        return number(after: w, in: chars, startingBefore: limit, stopAtEnd: false, reachedEnd: &reachedEnd)
    }

    /// `number(after:in:startingBefore:)`; with `stopAtEnd`, nil and `reachedEnd` set at the first
    /// reading that reaches the end of `chars` (where more text after them could give a count):
    /// then every count it gives is the one the longer text gives, and so is a nil without
    /// `reachedEnd`.
    static func number(after w: [Unicode.Scalar], in chars: [Unicode.Scalar], startingBefore limit: Int,
                       stopAtEnd: Bool, reachedEnd: inout Bool) -> Int? {
        var i = 0
        while i + w.count <= chars.count, i < limit {
            if chars[i] == w[0], chars[i..<(i + w.count)].elementsEqual(w) {
                var j = i + w.count
                var skipped = 0
                while j < chars.count, skipped < 8, digit(chars[j]) == nil {
                    if isStop(chars[j]) { break }
                    skipped += 1; j += 1
                }
                if j < chars.count, digit(chars[j]) != nil {
                    var v = 0
                    var nd = 0
                    while j < chars.count, let d = digit(chars[j]), nd < 9 { v = v * 10 + d; nd += 1; j += 1 }
                    while j < chars.count, NarrText.isSpaceU(chars[j]) { j += 1 }
                    if j < chars.count, chars[j] == "人" || chars[j] == "名" { return v }
                }
                if stopAtEnd && j >= chars.count { reachedEnd = true; return nil }
            }
            i += 1
        }
        return nil
    }
}
