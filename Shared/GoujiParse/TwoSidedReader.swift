import GoujiModel

/// Two-sided summary tables (收支总表, 财政拨款收支总表): income items on the left, expenditure
/// items on the right; one printed line may carry a row of each side.
enum TwoSidedReader {
    /// Splits the header into its income part and expenditure part at the second 项目 heading.
    /// Also returns whether each side declares a 行次 (line number) column (`NumberingColumns`).
    static func sideLayouts(headerLines: [SourceLine], kind: TableKind)
        -> (income: ColumnLayout, expenditure: ColumnLayout, split: Int?, lineNumbers: (income: Bool, expenditure: Bool)) {
        let joined = HeaderReader.normalize(headerLines.map { $0.raw }.joined())
        var incomeText = joined
        var expenseText = ""
        if let first = joined.byteRange(of: "项目"),
           let second = joined[first.upperBound...].byteRange(of: "项目") {
            incomeText = String(joined[..<second.lowerBound])
            expenseText = String(joined[second.lowerBound...])
        }
        // Tab layouts: the field where the expenditure side starts.
        var split: Int?
        for l in headerLines where l.raw.has("\t") {
            let cells = LineTokens.cells(l.raw)
            let items = cells.filter { $0.text.has("项目") || $0.text.has("支出") }
            if let s = cells.first(where: { $0.text.begins(with: "支出") }) { split = s.position; break }
            if items.count >= 2 { split = items[1].position; break }
        }
        func layout(_ text: String) -> ColumnLayout {
            let l = HeaderReader.layout(headerText: text, kind: .other, maxValues: 0)
            let keep = l.keys.filter { [Column.total, Column.generalBudget, Column.govFund, Column.stateCapital,
                                        Column.basic, Column.project, Column.fiscal].contains($0) }
            return keep.isEmpty ? ColumnLayout(keys: [Column.total], groups: [:])
                : ColumnLayout(keys: keep, groups: l.groups.filter { keep.contains($0.key) })
        }
        return (layout(incomeText), layout(expenseText), split,
                (NumberingColumns.declaresLineNumbers(incomeText), NumberingColumns.declaresLineNumbers(expenseText)))
    }

    /// The right edges of the expenditure side's columns in a space-aligned header (合计, 一般公共预算,
    /// 政府性基金预算 … over its amounts): for each key, the rightmost header word naming it (the
    /// expenditure side is the right one; a key such as 合计 may head the income side too). Nil
    /// unless every key is named and the edges run left to right, or where a line holds a tab.
    /// Positions only break the ties the side's arithmetic leaves (which fund column a row's
    /// amount belongs to, where the total equals either).
    static func expenditureEdges(headerLines: [SourceLine], keys: [String]) -> [Int]? {
        var edges = [Int](repeating: -1, count: keys.count)
        for l in headerLines where !l.isBlank {
            if l.raw.has("\t") { return nil }
            for w in ColumnPositions.words(of: LineTokens.cells(l.raw)) {
                let named = ColumnPositions.keys(ofCell: w.text, latestYear: nil)
                guard named.count == 1, let k = keys.firstIndex(of: named[0]) else { continue }
                edges[k] = max(edges[k], w.position + ColumnPositions.displayWidth(w.text))
            }
        }
        guard !edges.contains(-1), zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }) else { return nil }
        return edges
    }

    /// True when the body reads as a list by classification code: at least three lines led by a
    /// code of three or more digits, and no fewer such lines than half the lines with amounts.
    /// Two-sided summaries label their rows by words (一般公共预算拨款收入, 一般公共服务支出), so a
    /// table titled like one but coded is printed one-sided.
    static func isCodedList(_ body: [BodyLine]) -> Bool {
        var coded = 0
        var rows = 0
        for b in body {
            if b.tokens.contains(where: { $0.kind == .number }) { rows += 1 }
            if let first = b.tokens.first, first.kind == .code, first.text.utf8.count >= 3 { coded += 1 }
        }
        return coded >= 3 && coded * 2 >= rows
    }

    static func read(headerLines: [SourceLine], body: [BodyLine], table: inout Table,
                     tableIndex: Int, consumed: inout [Bool], from: Int, out: inout TableReading) {
        let (income, expense, split, lineNumbers) = sideLayouts(headerLines: headerLines, kind: table.kind)
        var (raw, prose) = RowReader.read(body, twoSided: true, splitPosition: split, tabbed: false)
        NumberingColumns.dropLineNumbers(&raw, income: lineNumbers.income, expenditure: lineNumbers.expenditure)
        table.columns = income.keys + expense.keys.filter { !income.keys.contains($0) }
        let incomeAssigner = ColumnAssigner(columnCount: income.keys.count, constraints: income.constraints)
        let expenseAssigner = ColumnAssigner(columnCount: expense.keys.count, constraints: expense.constraints)
        // Space-aligned: where the expenditure side's columns stand (see `expenditureEdges`), read
        // once for the first row whose arithmetic leaves a tie (positions decide only ties).
        var expenseEdges: [Int]??
        var preferred: [Int] = []
        // One row per raw row: room for all of them at once.
        table.rows.reserveCapacity(table.rows.count + raw.count)
        // Each side's rows' values, built as in `readOneSided`.
        var incomeValues = TableReader.RowValues(keys: income.keys)
        var expenseValues = TableReader.RowValues(keys: expense.keys)
        // By index, each row's fields read in place (`for r in raw` copied every row).
        for i in raw.indices {
            let side = raw[i].side ?? .income
            let amounts = raw[i].amounts
            let line = raw[i].line
            // The side's keys and assigner, used in place (not copied per row).
            let keys = side == .income ? income.keys : expense.keys
            var result = side == .income ? incomeAssigner.assign(amounts) : expenseAssigner.assign(amounts)
            // (A lone amount is the row's total: its edge is not asked, as the side's arithmetic,
            // reading a blank total as zero, would rather take it for a fund's.)
            if side == .expenditure, !result.ties.isEmpty, amounts.count >= 2, expense.keys.count >= 2,
               let edges = raw[i].rightEdges, edges.count == amounts.count {
                if expenseEdges == nil { expenseEdges = .some(expenditureEdges(headerLines: headerLines, keys: expense.keys)) }
                if let columns = expenseEdges ?? nil {
                    preferred.removeAll(keepingCapacity: true)
                    for e in edges { preferred.append(ColumnPositions.nearest(e, columns)) }
                    result = expenseAssigner.assign(amounts, preferred: preferred)
                }
            }
            let values = side == .income ? incomeValues.values(amounts, result.assignment)
                : expenseValues.values(amounts, result.assignment)
            if !result.ties.isEmpty {
                out.notes.append(ParseNote(line: line, table: tableIndex,
                    message: "ambiguous column assignment for \(raw[i].label) (\(side.rawValue)): chose \(result.assignment.map { keys[min($0, keys.count - 1)] }.joined(separator: ","))"))
            }
            table.rows.append(Row(code: nil, label: raw[i].label, side: side, values: values, line: line))
        }
        TableReader.markRows(raw, prose: prose, consumed: &consumed, from: from, lines: [])
    }
}
