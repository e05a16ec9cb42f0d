import GoujiModel

/// Column keys of the 三公 table's wide layout (internal; mapped onto canonical rows).
enum TPColumn {
    static let total = "tp.total"
    static let outbound = "tp.outbound"
    static let outboundGeneral = "tp.outbound.general"
    static let outboundAcademic = "tp.outbound.academic"
    static let reception = "tp.reception"
    static let vehicle = "tp.vehicle"
    static let vehicleOperation = "tp.vehicle.operation"
    static let vehiclePurchase = "tp.vehicle.purchase"
    /// 会议费, 培训费: printed beside the items in some regions' tables; outside the items' sum.
    static let meeting = "tp.meeting"
    static let training = "tp.training"
}

/// The columns a header declares, in printed order, and the arithmetic that binds them.
struct ColumnLayout: Sendable, Equatable {
    var keys: [String]
    /// Group parent → children (only groups whose parent is itself a column).
    var groups: [String: [String]]

    /// Constraints `parent = Σ children` over column indices.
    var constraints: [(parent: Int, children: [Int])] {
        // (Of the returned type, labels and all: an array of unlabelled tuples was cast element by
        // element on the way out.)
        var out: [(parent: Int, children: [Int])] = []
        // A layout has a handful of keys: the first index of each is found by a linear search
        // (what a key → first offset dictionary gave, without hashing the keys).
        var grouped: [String] = []
        for (parent, children) in groups {
            guard let p = keys.firstIndex(of: parent) else { continue }
            let c = children.compactMap { keys.firstIndex(of: $0) }
            grouped.append(contentsOf: children)
            if !c.isEmpty { out.append((p, c)) }
        }
        let totalKey = keys.contains(Column.total) ? Column.total : (keys.contains(TPColumn.total) ? TPColumn.total : nil)
        // In a flow table (both balances: `HeaderReader.flowKey`) 合计 is the year's spending, the
        // sum of the spending columns only.
        let flow = keys.contains(Column.priorCarryover) && keys.contains(Column.carryForward)
        if let totalKey, let t = keys.firstIndex(of: totalKey) {
            // (会议费 and 培训费 are outside it: regions differ on whether 合计 includes them.)
            // (Into one array with room for every key: `filter` then `map` made two, grown from empty.)
            var top: [Int] = []
            top.reserveCapacity(keys.count)
            for (offset, element) in keys.enumerated()
            where element != totalKey && !grouped.contains(element) && element != TPColumn.meeting && element != TPColumn.training
                && !HeaderReader.isComparison(element) && (!flow || (HeaderReader.spendingKeys.contains(element) && element != Column.carryForward)) {
                top.append(offset)
            }
            if !top.isEmpty { out.append((t, top)) }
        }
        // By parent. The standard library's sort is stable: constraints already in that order (most
        // layouts: one or two) are what it gives back, without sorting them.
        var ordered = true
        for i in out.indices.dropFirst() where out[i - 1].parent > out[i].parent { ordered = false; break }
        if !ordered { out.sort { $0.parent < $1.parent } }
        return out
    }

    static func == (a: ColumnLayout, b: ColumnLayout) -> Bool { a.keys == b.keys && a.groups == b.groups }
}

/// Reads column keys from header text, whatever its wrapping: the header lines are joined
/// without whitespace and scanned for known column words, longest first.
enum HeaderReader {
    /// (word, key). Keys starting with `#` are markers: `#sub` (a group's own subtotal column),
    /// `#skip` (words that must be consumed so that a shorter word inside them does not match).
    static let words: [(String, String)] = {
        let list: [(String, String)] = [
            ("使用非财政拨款结余", Column.nonFiscalBalance), ("非财政拨款结余", Column.nonFiscalBalance),
            ("用事业基金弥补收支差额", Column.nonFiscalBalance), ("用事业基金弥补", Column.nonFiscalBalance),
            ("上年结转", Column.priorCarryover),
            ("财政拨款", Column.fiscal), ("预算拨款", Column.fiscal),
            ("一般公共预算", Column.generalBudget), ("一般公共", Column.generalBudget),
            ("政府性基金预算", Column.govFund), ("国有资本经营预算", Column.stateCapital),
            ("政府性基金", Column.govFund), ("国有资本经营", Column.stateCapital), ("国有资本", Column.stateCapital),
            ("财政专户", Column.fiscalSpecial), ("教育收费", Column.eduFee), ("其他专户", Column.specialOther),
            ("事业单位经营收入", Column.operating), ("经营收入", Column.operating),
            ("事业单位经营支出", Column.operatingExp), ("经营支出", Column.operatingExp),
            ("事业收入", Column.business), ("上级补助", Column.superior), ("附属单位上缴", Column.affiliated),
            ("对附属单位补助", Column.toAffiliated), ("上缴上级", Column.toSuperior),
            ("其他资金", "other_funds"), ("其他收入", Column.other),
            // 单位资金（收入）: what the 2022 reform names the unit's own, non-fiscal funds.
            ("单位资金", "other_funds"),
            ("基本支出", Column.basic), ("项目支出", Column.project), ("结转下年", Column.carryForward),
            ("人员经费", Column.personnel), ("公用经费", Column.publicFunds),
            ("合计", "#total"), ("总计", Column.total), ("预算数", Column.total), ("决算数", Column.total),
            ("预算", Column.total), ("金额", Column.total), ("小计", "#sub"),
            ("因公出国", TPColumn.outbound), ("一般公务出国", TPColumn.outboundGeneral),
            ("学术交流合作出国", TPColumn.outboundAcademic), ("高等院校", TPColumn.outboundAcademic),
            ("公务接待", TPColumn.reception), ("公务用车购置及运行", TPColumn.vehicle),
            ("公务用车运行", TPColumn.vehicleOperation), ("公务用车购置", TPColumn.vehiclePurchase),
            // (Under a 公务用车… heading: 小计 购置费 运行费.)
            ("购置费", TPColumn.vehiclePurchase), ("运行费", TPColumn.vehicleOperation),
            ("运行维护费", TPColumn.vehicleOperation),
            ("会议费", TPColumn.meeting), ("培训费", TPColumn.training),
            // Comparison columns (上年预算数, 增减额, 增减%): amounts printed beside the year's own,
            // read into place and then dropped (MODEL.md keeps the year's figures only).
            ("上年预算数", "#cmp"), ("上年预算", "#cmp"), ("上年执行数", "#cmp"), ("上年决算数", "#cmp"),
            ("上年数", "#cmp"), ("比上年增减", "#cmp"), ("增减额", "#cmp"), ("增减率", "#cmp"), ("增减", "#cmp"),
            ("增幅", "#cmp"), ("增长率", "#cmp"), ("变动率", "#cmp"),
            ("科目编码", "#skip"), ("科目名称", "#skip"), ("部门预算", "#skip"), ("单位预算", "#skip"),
            ("项目名称", "#skip"), ("支出项目", "#skip"),
            // A flow table's columns (决算: 年初结转和结余 | 本年收入 | 本年支出 | 年末结转和结余): read as
            // keys only where the header has both balances (`layouts`).
            ("本年收入", "#income"),
            // (The year's spending is a heading over its columns, or with 合计 a total of its own.)
            ("本年支出", "#skip"), ("本年财政拨款支出", "#skip"), ("本年支出合计", "#total"),
        ] + ["年初", "年末"].flatMap { when in
            // (年初财政拨款 alone: the head of the cell, its tail wrapped onto the next line.)
            ["", "财政拨款"].flatMap { funds in
                ["结转和结余", "结转结余", "结余", "结转", ""].filter { !(funds + $0).isEmpty }
                    .map { (when + funds + $0, when == "年初" ? "#open" : "#close") }
            }
        }
        return list.sorted { $0.0.count > $1.0.count }
    }()

    static let wordScalars: [([Unicode.Scalar], String)] = words.map { (Array($0.0.unicodeScalars), $0.1) }

    /// `wordScalars` in 256 buckets by first scalar value mod 256, each in `words` order (longest
    /// first): the words starting with a scalar are those of its bucket that start with it, in
    /// order. An empty bucket: no word starts with the scalar (no hashing to find out).
    static let wordsByBucket: [[([Unicode.Scalar], String)]] = {
        var out = [[([Unicode.Scalar], String)]](repeating: [], count: 256)
        for w in wordScalars { if let f = w.0.first { out[Int(f.value & 255)].append(w) } }
        return out
    }()

    /// The first scalar of each word of `wordsByBucket`, bucket by bucket: a scalar is compared
    /// with these before a word is touched (reading a word out of its bucket retains its scalars
    /// and its key).
    static let firstsByBucket: [[UInt32]] = wordsByBucket.map { $0.map { $0.0.first?.value ?? 0 } }

    static let groupChildren: [String: [String]] = [
        Column.fiscal: [Column.generalBudget, Column.govFund, Column.stateCapital],
        // (基本支出 over 人员经费 公用经费 in a spending table's header.)
        Column.basic: [Column.personnel, Column.publicFunds],
        Column.fiscalSpecial: [Column.eduFee, Column.specialOther],
        "other_funds": [Column.business, Column.operating, Column.other],
        TPColumn.outbound: [TPColumn.outboundGeneral, TPColumn.outboundAcademic],
        TPColumn.vehicle: [TPColumn.vehicleOperation, TPColumn.vehiclePurchase],
    ]

    static let spendingKeys: Set<String> = [Column.total, Column.basic, Column.project, Column.operatingExp,
                                            Column.toAffiliated, Column.toSuperior, Column.carryForward,
                                            Column.personnel, Column.publicFunds]
    static let incomeKeys: Set<String> = [Column.total, Column.priorCarryover, Column.fiscal, Column.generalBudget,
                                          Column.govFund, Column.stateCapital, Column.fiscalSpecial, Column.eduFee,
                                          Column.specialOther, Column.business, Column.operating, Column.superior,
                                          Column.affiliated, Column.other, Column.nonFiscalBalance, "other_funds"]

    static func allowed(for kind: TableKind) -> Set<String>? {
        switch kind {
        case .expenditure, .generalFunction, .govFund, .stateCapital, .projectEconomic, .generalEconomic:
            return spendingKeys
        case .basicEconomic: return basicEconomicKeys
        case .income, .basicByCategory, .projectList: return incomeKeys
        case .threePublic: return threePublicKeys
        default: return nil
        }
    }

    /// `allowed(for:)`'s sets made once (built per table, each hashed its keys).
    static let basicEconomicKeys: Set<String> = [Column.total, Column.personnel, Column.publicFunds]
    static let threePublicKeys: Set<String> = [
        TPColumn.total, TPColumn.outbound, TPColumn.outboundGeneral, TPColumn.outboundAcademic,
        TPColumn.reception, TPColumn.vehicle, TPColumn.vehicleOperation, TPColumn.vehiclePurchase,
        TPColumn.meeting, TPColumn.training,
        Column.total, Column.generalBudget, Column.govFund, Column.stateCapital]

    /// The key of a flow table's column marker: 年初结转和结余 (`#open`, the balance brought in),
    /// 本年收入 (`#income`: in a table of appropriations, the appropriation, `fiscal`), 年末结转和结余
    /// (`#close`, the balance carried on). Nil for any other key (a switch: no hashing per key).
    static func flowKey(_ marker: String) -> String? {
        switch marker {
        case "#open": Column.priorCarryover
        case "#income": Column.fiscal
        case "#close": Column.carryForward
        default: nil
        }
    }

    /// A flow table's own columns (`flowKey`'s keys).
    static func isFlowColumn(_ key: String) -> Bool {
        key == Column.priorCarryover || key == Column.fiscal || key == Column.carryForward
    }

    /// The n-th comparison column's key (`#cmp`): a place for its amounts, dropped from the rows.
    static func comparisonKey(_ n: Int) -> String { "cmp.\(n)" }
    static func isComparison(_ key: String) -> Bool { key.begins(with: "cmp.") }

    /// How many times 年 follows an ASCII digit, counted on the UTF-8 bytes.
    static func yearMarks(_ s: String) -> Int {
        FastText.scanUTF8(s) { buf in
            var n = 0
            var i = 1
            while i + 2 < buf.count {
                if buf[i] == 0xE5, buf[i + 1] == 0xB9, buf[i + 2] == 0xB4, buf[i - 1] >= 0x30, buf[i - 1] <= 0x39 { n += 1 }
                i += 1
            }
            return n
        }
    }

    /// The latest year a header names figures of, where it names two or more (`markingEarlierYears`).
    static func latestComparedYear(_ normalized: String) -> Int? {
        // (A year is four ASCII digits before 年: most headers print none, or only one.)
        guard yearMarks(normalized) >= 2 else { return nil }
        let years = figureYears(Array(normalized))
        guard let latest = years.map(\.year).max(), years.contains(where: { $0.year < latest }) else { return nil }
        return latest
    }

    /// The years a header's figures are of (`2023年预算数`, `2024年度决算数`, `2023年执行数`): each
    /// `YYYY年(度)`'s place among `chars` and its year.
    static func figureYears(_ chars: [Character]) -> [(range: Range<Int>, year: Int)] {
        var years: [(range: Range<Int>, year: Int)] = []
        var i = 0
        while i + 4 < chars.count {
            if (i == 0 || !chars[i - 1].isASCII || !chars[i - 1].isNumber),
               chars[i..<(i + 4)].allSatisfy({ $0.isASCII && $0.isNumber }), chars[i + 4] == "年",
               let y = Int(String(chars[i..<(i + 4)])), (1990...2100).contains(y) {
                var e = i + 5
                if e < chars.count, chars[e] == "度" { e += 1 }
                let rest = String(chars[e..<min(chars.count, e + 2)])
                if ["预算", "决算", "执行"].contains(rest) { years.append((i..<e, y)) }
                i = e
                continue
            }
            i += 1
        }
        return years
    }

    /// A header's figures of years before `latest` (`latestComparedYear`) marked as comparison
    /// columns (`2023年预算数` → `上年预算数`); nil when it names none.
    static func markingEarlierYears(_ normalized: String, latest: Int) -> String? {
        guard yearMarks(normalized) >= 1 else { return nil }
        var chars = Array(normalized)
        let earlier = figureYears(chars).filter { $0.year < latest }
        guard !earlier.isEmpty else { return nil }
        for (range, _) in earlier.reversed() { chars.replaceSubrange(range, with: Array("上年")) }
        return String(chars)
    }

    /// Normalises header text for matching: width folded, no whitespace, debris removed.
    /// (`Label.foldWidth` of the debris-free text, then its whitespace scalars and `*` removed, in
    /// one pass over the bytes: a full-width form U+FF01–FF5E (EF BC/BD xx) is its ASCII byte, kept
    /// unless that is `*`; U+3000 folds to a space, removed; other whitespace scalars, all led by
    /// C2, E1, E2 or E3, are decoded and removed; every other byte is copied. A text that loses or
    /// changes no byte is returned as it is, without a copy.)
    /// `debrisFree`: the caller knows `LineTokens.isDebrisFree(s)` (its `stripDebris` is `s`).
    static func normalize(_ s: String, debrisFree: Bool = false) -> String {
        let d = debrisFree ? s : LineTokens.stripDebris(s)
        let n = d.utf8.count
        guard n > 0 else { return d }
        return FastText.scanUTF8(d) { buf -> String in
            // Bounds: at most one byte written per byte read, so k <= i < n when writing.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n) { out -> String in
                var i = 0
                var k = 0
                var changed = false
                while i < n {
                    let b0 = buf[i]
                    if b0 &- 0xE4 < 6 && i &+ 2 < n {
                        // An ideograph (lead byte E4–E9): neither folded nor whitespace, copied whole.
                        out[k] = b0; out[k &+ 1] = buf[i &+ 1]; out[k &+ 2] = buf[i &+ 2]
                        k &+= 3
                        i &+= 3
                        continue
                    }
                    if b0 < 0x80 {
                        if b0 == 0x20 || (b0 >= 0x09 && b0 <= 0x0D) || b0 == 0x2A { changed = true } else { out[k] = b0; k += 1 }
                        i += 1
                    } else if b0 == 0xEF, i + 2 < n, buf[i + 1] == 0xBC || buf[i + 1] == 0xBD {
                        let v = 0xF000 | (UInt32(buf[i + 1] & 0x3F) << 6) | UInt32(buf[i + 2] & 0x3F)
                        if v >= 0xFF01 && v <= 0xFF5E {
                            // Folded to ASCII 0x21…0x7E: no whitespace, and `*` (from ＊) removed.
                            let a = UInt8(v - 0xFEE0)
                            if a != 0x2A { out[k] = a; k += 1 }
                            changed = true
                            i += 3
                        } else {
                            out[k] = b0
                            k += 1
                            i += 1
                        }
                    } else if b0 == 0xC2, i + 1 < n {
                        let v = (UInt32(b0 & 0x1F) << 6) | UInt32(buf[i + 1] & 0x3F)
                        if v == 0x85 || v == 0xA0 { changed = true } else { out[k] = b0; out[k + 1] = buf[i + 1]; k += 2 }
                        i += 2
                    } else if b0 >= 0xE1 && b0 <= 0xE3, i + 2 < n {
                        let v = (UInt32(b0 & 0x0F) << 12) | (UInt32(buf[i + 1] & 0x3F) << 6) | UInt32(buf[i + 2] & 0x3F)
                        if Unicode.Scalar(v).map(FastText.isWhitespaceScalar) ?? false {
                            changed = true
                        } else {
                            out[k] = b0; out[k + 1] = buf[i + 1]; out[k + 2] = buf[i + 2]; k += 3
                        }
                        i += 3
                    } else {
                        out[k] = b0
                        k += 1
                        i += 1
                    }
                }
                return changed ? String(decoding: UnsafeBufferPointer(rebasing: out[0..<k]), as: UTF8.self) : d
            }
        }
    }

    /// Scans joined header text; returns matched keys in order (markers included).
    static func scan(_ text: String) -> [String] {
        // The text's scalars decoded into a temporary buffer (on the stack when small), not an
        // array of their own (`NarrText.scalars` decodes them alike).
        FastText.scanUTF8(text) { buf in
            withUnsafeTemporaryAllocation(of: Unicode.Scalar.self, capacity: buf.count) { tmp in
                scan(scalars: UnsafeBufferPointer(rebasing: tmp[0..<NarrText.decodeScalars(buf, into: tmp)]))
            }
        }
    }

    /// `scan` on the text's scalars.
    static func scan(scalars chars: UnsafeBufferPointer<Unicode.Scalar>) -> [String] {
        let buckets = wordsByBucket
        let firsts = firstsByBucket
        var i = 0
        var out: [String] = []
        while i < chars.count {
            let c = chars[i]
            var matched = false
            let b = Int(c.value & 255)
            let bucketFirsts = firsts[b]
            for k in bucketFirsts.indices where bucketFirsts[k] == c.value {
                let w = buckets[b][k].0
                guard w.count <= chars.count - i else { continue }
                var j = 1
                while j < w.count && chars[i + j] == w[j] { j += 1 }
                if j == w.count {
                    // Room for a header's keys at once (grown from one, the array was copied at
                    // each doubling); a text without any keeps none.
                    if out.isEmpty { out.reserveCapacity(8) }
                    out.append(buckets[b][k].1)
                    i += w.count
                    matched = true
                    break
                }
            }
            if !matched { i += 1 }
        }
        return out
    }

    /// Builds the layout. `maxValues`: the most amounts any data row prints (decides whether a
    /// group heading without a 小计 is a column of its own).
    static func layout(headerText: String, kind: TableKind, maxValues: Int) -> ColumnLayout {
        layout(scanned: scan(normalize(headerText)), kind: kind, maxValues: maxValues)
    }

    /// `layout(headerText:…)` from the header's keys as `scan(normalize(headerText))` gives them
    /// (for a caller that scans the header for other reasons too).
    static func layout(scanned: [String], kind: TableKind, maxValues: Int) -> ColumnLayout {
        layouts(scanned: scanned, kind: kind, maxValues: maxValues).layout
    }

    /// `layout(scanned:…)`, and where it dropped group headings as columns only because no
    /// subtotal is printed (财政拨款收入 over 一般公共预算 …, without 小计), the layout that keeps
    /// them: a merged heading and a column of its own print alike, and only the rows' arithmetic
    /// tells them apart (`TableReader.readOneSided`).
    ///
    /// `shortcut: false` puts every header through the group steps, as the reading did before its
    /// shortcut for headers without a group heading (tests hold the two to each other).
    static func layouts(scanned: [String], kind: TableKind, maxValues: Int,
                        shortcut: Bool = true) -> (layout: ColumnLayout, keepingGroups: ColumnLayout?) {
        let allowedKeys = allowed(for: kind)
        let threePublic = kind == .threePublic
        // (Arrays of keys with room for them all at once: grown from empty, each was copied at
        // every doubling.)
        var seen: [String] = []
        seen.reserveCapacity(scanned.count)
        var subtotalMarks = 0
        var comparisons = 0
        // A flow table (both balances in the header): its balances and the year's income are
        // columns of their own, whatever the kind's usual columns.
        let flow = scanned.contains("#open") && scanned.contains("#close")
        for key in scanned {
            if key == "#skip" { continue }
            if let k = flowKey(key) {
                if flow && !seen.contains(k) { seen.append(k) }
                continue
            }
            if key == "#cmp" {
                // (Only beside a column of the year's own figures.)
                comparisons += 1
                seen.append(comparisonKey(comparisons))
                continue
            }
            if key == "#total" {
                let t = threePublic ? TPColumn.total : Column.total
                if seen.contains(t) { subtotalMarks += 1 } else { seen.append(t) }
                continue
            }
            if key == "#sub" {
                if !seen.contains(threePublic ? TPColumn.total : Column.total) && !threePublic {
                    seen.append(Column.total)
                } else { subtotalMarks += 1 }
                continue
            }
            var k = key
            if threePublic && k == Column.total { k = TPColumn.total }
            // (A flow table's own columns whatever its kind: 本年财政拨款收入 is read as 财政拨款.)
            if let allowedKeys, !allowedKeys.contains(k), !(flow && isFlowColumn(k)) { continue }
            if seen.contains(k) { continue }
            seen.append(k)
        }
        // A flow table prints the balance carried on last, after the year's spending however its
        // heading is stacked over the spending's columns (小计 基本支出 项目支出 under 本年支出).
        if flow, let close = seen.firstIndex(of: Column.carryForward) {
            seen.remove(at: close)
            seen.append(Column.carryForward)
        }
        if threePublic, seen.filter({ $0.begins(with: "tp.") && $0 != TPColumn.total }).count < 2 {
            // vertical layout: the columns are fund columns
            var keys = seen.filter { !$0.begins(with: "tp.") }
            if seen.contains(TPColumn.total), !keys.contains(Column.total) { keys.insert(Column.total, at: 0) }
            if keys.isEmpty { keys = [Column.total] }
            return (ColumnLayout(keys: keys, groups: [:]), nil)
        }
        // Put group children right after their parent, in printed order.
        var groups: [String: [String]] = [:]
        var parents: [String] = []
        for (parent, children) in groupChildren where seen.contains(parent) {
            let present = seen.filter { children.contains($0) }
            if !present.isEmpty { groups[parent] = present; parents.append(parent) }
        }
        // No group heading among the columns (most tables): the columns are the keys as seen, 其他资金
        // a plain column, with no child to move and no group to keep or drop (what the steps below
        // give then, without hashing each key into the empty groups).
        if shortcut && groups.isEmpty {
            var plain = seen
            for i in plain.indices where plain[i] == "other_funds" { plain[i] = Column.other }
            if plain.isEmpty { plain = [threePublic ? TPColumn.total : Column.total] }
            return (ColumnLayout(keys: plain, groups: [:]), nil)
        }
        // "other_funds" with no children is a plain 其他资金 column.
        var ordered: [String] = []
        ordered.reserveCapacity(seen.count)
        let childSet = Set(groups.values.flatMap { $0 })
        for k in seen where !childSet.contains(k) {
            ordered.append(k)
            if let c = groups[k] { ordered.append(contentsOf: c) }
        }
        ordered = ordered.map { $0 == "other_funds" && groups["other_funds"] == nil ? Column.other : $0 }
        // A group heading is a column of its own only when a subtotal is printed.
        let leaves = ordered.filter { groups[$0] == nil }
        var keepingGroups: ColumnLayout?
        if !groups.isEmpty {
            let keepParents = subtotalMarks > 0 || maxValues > leaves.count
            if !keepParents {
                keepingGroups = ColumnLayout(keys: ordered, groups: groups)
                ordered = leaves
                groups = [:]
            } else if subtotalMarks > 0 && subtotalMarks < groups.count && maxValues <= ordered.count - (groups.count - subtotalMarks) {
                // Keep only as many group columns as subtotals printed, earliest groups first.
                var keep = subtotalMarks
                var drop: Set<String> = []
                for k in ordered where groups[k] != nil {
                    if keep > 0 { keep -= 1 } else { drop.insert(k) }
                }
                ordered.removeAll { drop.contains($0) }
                for d in drop { groups[d] = nil }
            }
        }
        if ordered.isEmpty { ordered = [threePublic ? TPColumn.total : Column.total] }
        return (ColumnLayout(keys: ordered, groups: groups), keepingGroups)
    }
}
