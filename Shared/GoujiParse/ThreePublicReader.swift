import GoujiModel

/// The “三公” table in its layouts — one wide row per unit (items as columns), a vertical list
/// (items as rows), or item rows with fund columns and a 行政经费 row — mapped onto the canonical
/// items of `ThreePublicItem`.
enum ThreePublicReader {
    /// A wide-layout table whose amounts fit several item columns equally well; settled against
    /// the economic tables (30217 公务接待费 …) once every table is read.
    struct Pending: Sendable {
        var tableLine: Int
        var keys: [String]
        var rows: [(amounts: [Amount], options: [[Int]])]
        var line: Int
    }

    static let canonicalOrder = [ThreePublicItem.total, ThreePublicItem.outbound, ThreePublicItem.reception,
                                 ThreePublicItem.vehicle, ThreePublicItem.vehiclePurchase, ThreePublicItem.vehicleOperation]

    /// The canonical item a printed row label names.
    static func item(forLabel label: String) -> String? {
        let t = Label.normalized(label).replacingAll("(", with: "（").replacingAll(")", with: "）")
        if t.has("行政经费") { return ThreePublicItem.adminCost }
        if t.has("因公出国") || t.has("出国（境）") { return ThreePublicItem.outbound }
        if t.has("公务接待") { return ThreePublicItem.reception }
        if t.has("公务用车") {
            let purchase = t.has("购置")
            let operation = t.has("运行") || t.has("维护")
            if purchase && operation { return ThreePublicItem.vehicle }
            if purchase { return ThreePublicItem.vehiclePurchase }
            if operation { return ThreePublicItem.vehicleOperation }
            return ThreePublicItem.vehicle
        }
        if t.has("会议费") { return ThreePublicItem.meeting }
        if t.has("培训费") { return ThreePublicItem.training }
        if t.has("三公") || t == "合计" || t == "总计" { return ThreePublicItem.total }
        return nil
    }

    static func read(headerText: String, body: [BodyLine], tabbed: Bool,
                     table: inout Table, tableIndex: Int, consumed: inout [Bool], lines: [SourceLine], from: Int,
                     out: inout TableReading) {
        let (raw, prose) = RowReader.read(body, twoSided: false, splitPosition: nil, tabbed: tabbed)
        let maxValues = raw.map { $0.amounts.count }.max() ?? 0
        let layout = HeaderReader.layout(headerText: headerText, kind: .threePublic, maxValues: maxValues)
        table.columns = layout.keys
        TableReader.markRows(raw, prose: prose, consumed: &consumed, from: from, lines: lines)
        let wide = layout.keys.contains { $0.begins(with: "tp.") }
        let ownHalf = wide ? ownHalf(headerText: headerText) : nil
        if wide {
            let assigner = ColumnAssigner(columnCount: layout.keys.count, constraints: layout.constraints)
            var pending = Pending(tableLine: table.line, keys: layout.keys, rows: [], line: raw.first?.line ?? table.line)
            let totalRow = raw.first { Label.normalized($0.label) == "合计" && !$0.amounts.isEmpty }
            for r in raw where !r.amounts.isEmpty {
                if let c = r.code, c.count == 3 || c.count == 6 || c.count == 7 {
                    table.units.append(UnitMention(name: r.label.isEmpty ? nil : r.label, code: c, line: r.line))
                } else if r.code == nil, !r.label.isEmpty, item(forLabel: r.label) == nil, Label.normalized(r.label) != "合计",
                          !namesAYearsFigures(r.label) {
                    table.units.append(UnitMention(name: r.label, code: nil, line: r.line))
                }
                if let totalRow, totalRow.line != r.line { continue }
                var amounts = r.amounts
                if let ownHalf {
                    // (An odd count has dropped a blank: the halves are unknown, the row is kept whole.)
                    if amounts.count % 2 == 0 {
                        let n = amounts.count / 2
                        amounts = ownHalf == .second ? Array(amounts[n...]) : Array(amounts[..<n])
                    } else {
                        out.notes.append(ParseNote(line: r.line, table: tableIndex,
                            message: "三公 row compares two groups of figures but prints \(amounts.count) amounts: halves unknown, read whole"))
                    }
                }
                let res = assigner.assign(amounts)
                pending.rows.append((amounts, [res.assignment] + res.ties))
            }
            table.rows = rows(from: pending, picks: pending.rows.map { _ in 0 })
            out.pendingThreePublic.append(pending)
            return
        }
        // Vertical list: one row per item, fund columns.
        let assigner = ColumnAssigner(columnCount: layout.keys.count, constraints: layout.constraints)
        // Each item's row, in the order the items are first printed (a later row of the same item
        // replaces it). The items are `ThreePublicItem`'s words, distinct texts, so they are told
        // apart by their bytes: a dictionary keyed by them hashed CJK text through normalisation.
        var byItem: [(item: String, row: Row)] = []
        for r in raw {
            guard let it = item(forLabel: r.label) else { continue }
            let res = assigner.assign(r.amounts)
            var values: [String: Amount] = [:]
            for (a, col) in zip(r.amounts, res.assignment) where col < layout.keys.count { values[layout.keys[col]] = a }
            let row = Row(code: nil, label: it, values: values, line: r.line)
            if let k = byItem.firstIndex(where: { FastText.equalBytes($0.item, it) }) { byItem[k].row = row } else { byItem.append((it, row)) }
        }
        var result = byItem.map(\.row)
        for it in canonicalOrder where !byItem.contains(where: { FastText.equalBytes($0.item, it) }) {
            result.append(Row(code: nil, label: it))
        }
        table.rows = result
    }

    enum Half { case first, second }

    /// Where a wide header prints the items twice, one group of figures compared with another
    /// (决算's table: 预算数 | 决算数; or two years' 预算数), the half of a row's amounts that is the
    /// table's own: under 决算数, else under the later year. Nil where the items are printed once.
    static func ownHalf(headerText: String) -> Half? {
        // (Only a header naming two groups of figures is read further: most name one.)
        let outturn = headerText.has("决算数") && headerText.has("预算数")
        guard outturn || HeaderReader.yearMarks(headerText) >= 2 else { return nil }
        let h = HeaderReader.normalize(headerText)
        let keys = HeaderReader.scan(h)
        let totals = keys.filter { $0 == "#total" }.count
        let items = keys.filter { $0.begins(with: "tp.") }
        guard totals >= 2 || Set(items).count < items.count else { return nil }
        if let budget = h.byteRange(of: "预算数"), let outturn = h.byteRange(of: "决算数") {
            return outturn.lowerBound > budget.lowerBound ? .second : .first
        }
        let years = HeaderReader.figureYears(Array(h))
        guard let first = years.first, let last = years.last, first.year != last.year else { return nil }
        return last.year > first.year ? .second : .first
    }

    /// A wide row's label that names the figures, not a unit: `2024年预算数`, `本年预算数`, `决算数`.
    static func namesAYearsFigures(_ label: String) -> Bool {
        let t = Label.normalized(label)
        return t.ends(with: "数") || t.has("预算") || t.has("决算")
    }

    /// Canonical rows from the wide layout, summing the unit rows.
    static func rows(from p: Pending, picks: [Int]) -> [Row] {
        itemAmounts(from: p, picks: picks).map { Row(code: nil, label: $0.0, values: $0.1.map { [Column.total: $0] } ?? [:], line: p.line) }
    }

    /// The canonical items (`canonicalOrder`'s, in its order) and their amounts from the wide
    /// layout, summing the unit rows: what `rows` makes rows of.
    static func itemAmounts(from p: Pending, picks: [Int]) -> [(String, Amount?)] {
        var sums: [String: Amount] = [:]
        for (n, r) in p.rows.enumerated() {
            let assignment = r.options[min(picks[n], r.options.count - 1)]
            for (a, col) in zip(r.amounts, assignment) where col < p.keys.count {
                let k = p.keys[col]
                sums[k] = sums[k].flatMap { $0.adding(a) } ?? a
            }
        }
        func either(_ k: String, _ parts: [String]) -> Amount? {
            if let v = sums[k] { return v }
            let present = parts.compactMap { sums[$0] }
            return present.isEmpty ? nil : Amount.sum(present)
        }
        return [
            (ThreePublicItem.total, sums[TPColumn.total]),
            (ThreePublicItem.outbound, either(TPColumn.outbound, [TPColumn.outboundGeneral, TPColumn.outboundAcademic])),
            (ThreePublicItem.reception, sums[TPColumn.reception]),
            (ThreePublicItem.vehicle, either(TPColumn.vehicle, [TPColumn.vehicleOperation, TPColumn.vehiclePurchase])),
            (ThreePublicItem.vehiclePurchase, sums[TPColumn.vehiclePurchase]),
            (ThreePublicItem.vehicleOperation, sums[TPColumn.vehicleOperation]),
        ] + [(ThreePublicItem.meeting, TPColumn.meeting), (ThreePublicItem.training, TPColumn.training)]
            .filter { p.keys.contains($0.1) }.map { ($0.0, sums[$0.1]) }
    }

    /// The 三公 item an economic classification code names (30217 公务接待费, 30231 公务用车运行维护费,
    /// 31013 公务用车购置, 30212 因公出国（境）费用), read on its bytes: a String equal to one of
    /// those codes is its five ASCII digits (no other spelling is canonically equivalent), so the
    /// code is read as a number, without hashing it.
    static func item(ofEconomicCode c: String) -> String? {
        var value = 0
        var digits = 0
        for b in c.utf8 {
            guard b >= 0x30 && b <= 0x39, digits < 5 else { return nil }
            value = value * 10 + Int(b - 0x30)
            digits += 1
        }
        guard digits == 5 else { return nil }
        switch value {
        case 30217: return ThreePublicItem.reception
        case 30231: return ThreePublicItem.vehicleOperation
        case 31013: return ThreePublicItem.vehiclePurchase
        case 30212: return ThreePublicItem.outbound
        default: return nil
        }
    }

    /// Settles ambiguous wide rows by the economic tables: 30217 公务接待费, 30231 公务用车运行维护费,
    /// 31013 公务用车购置, 30212 因公出国（境）费用.
    static func crossCheck(_ out: inout TableReading) {
        // The evidence is read only where some wide row is ambiguous (most documents have none),
        // once: the loop below rewrites only 三公 tables, never an economic one.
        var evidenceRead: [String: [Amount]]?
        func readEvidence() -> [String: [Amount]] {
            var evidence: [String: [Amount]] = [:]
            // By index: a `for t in out.tables` loop copied every table (its rows retained).
            for ti in out.tables.indices where [.basicEconomic, .generalEconomic, .projectEconomic].contains(out.tables[ti].kind) {
                for ri in out.tables[ti].rows.indices {
                    guard let c = out.tables[ti].rows[ri].code, let it = item(ofEconomicCode: c),
                          let v = out.tables[ti].rows[ri].values[Column.total] else { continue }
                    evidence[it, default: []].append(v)
                }
            }
            return evidence
        }
        for p in out.pendingThreePublic {
            guard let ti = out.tables.firstIndex(where: { $0.line == p.tableLine && $0.kind == .threePublic }) else { continue }
            guard p.rows.contains(where: { $0.options.count > 1 }) else { continue }
            var combos = 1
            for r in p.rows { combos *= r.options.count; if combos > 1024 { break } }
            guard combos <= 1024 else { continue }
            let evidence = evidenceRead ?? readEvidence()
            evidenceRead = evidence
            var pick = p.rows.map { _ in 0 }
            var bestPick = pick
            var bestScore = -1
            var tie = false
            // Each canonical item's evidence, looked up once (the items come in `canonicalOrder`):
            // the combinations are scored on the items' amounts, without a row (and its values
            // dictionary) per item and combination, nor a lookup hashing the item's CJK word.
            let itemEvidence = canonicalOrder.map { evidence[$0] }
            for _ in 0..<combos {
                var score = 0
                for (k, (_, amount)) in itemAmounts(from: p, picks: pick).enumerated() {
                    guard let v = amount, !v.isZero, k < itemEvidence.count, let ev = itemEvidence[k] else { continue }
                    if ev.contains(where: { $0.sameValue(as: v) }) { score += 1 }
                }
                if score > bestScore { bestScore = score; bestPick = pick; tie = false } else if score == bestScore { tie = true }
                var n = pick.count - 1
                while n >= 0 {
                    pick[n] += 1
                    if pick[n] < p.rows[n].options.count { break }
                    pick[n] = 0
                    n -= 1
                }
            }
            out.tables[ti].rows = rows(from: p, picks: bestPick)
            if tie && bestScore <= 0 {
                out.notes.append(ParseNote(line: p.line, table: ti,
                    message: "ambiguous “三公” column assignment: the amounts fit several items; chose the earliest columns"))
            }
        }
    }
}
