import GoujiModel

/// Which currency unit each table and each narrative amount is printed in, where it is not the
/// document's (`currency_unit`, the unit most 单位： lines name). A document may print its tables in
/// 元 and its narrative in 万元, or one table in 元 among tables in 万元: amounts stay as printed,
/// and `Table.currencyUnit` / `Fact.unit` tell the reconciler to convert before comparing.
enum CurrencyUnits {
    /// How far below its title a table's unit line may be printed (its 填报单位 line, header rows).
    static let linesBelowTitle = 8
    /// How far above its title (a unit line printed before the title, or before its 表N line).
    static let linesAboveTitle = 2

    /// Sets `currencyUnit` on the tables, `unit` on the projects (their table's) and on the facts
    /// whose unit differs from the document's, and clears the facts' unit where it agrees. A
    /// document that names no unit anywhere keeps every amount unmarked: nothing says what its
    /// tables are in.
    static func mark(_ doc: inout BudgetDocument, lines: [SourceLine]) {
        guard let base = doc.currencyUnit else {
            for i in doc.facts.indices { doc.facts[i].unit = nil }
            return
        }
        var stated: [String?] = []
        stated.reserveCapacity(doc.tables.count)
        for t in doc.tables.indices {
            let next = t + 1 < doc.tables.count ? doc.tables[t + 1].line : nil
            let u = self.stated(by: doc.tables[t], in: lines, before: next)
            stated.append(u)
            doc.tables[t].currencyUnit = u == base ? nil : u
            if let u, u != base {
                doc.parseNotes.append(ParseNote(line: doc.tables[t].line, table: t, message:
                    "\(doc.tables[t].title) is printed in \(u), the document in \(base): its amounts are kept as printed and converted before they are compared"))
            }
        }
        // A project is read from the table printed above its name (a performance table, or the
        // project list): the unit its lines name down to its amounts (项目资金（万元）), else the
        // table's.
        for p in doc.projects.indices {
            guard let line = doc.projects[p].line,
                  let t = doc.tables.indices.last(where: { doc.tables[$0].line <= line }) else { continue }
            var u = stated[t]
            if doc.tables[t].kind == .performance {
                let next = t + 1 < doc.tables.count ? doc.tables[t + 1].line - 1 : lines.count
                let end = min(lines.count, next, line + linesBelowProjectName)
                if let own = (doc.tables[t].line - 1 ..< max(doc.tables[t].line - 1, end)).lazy.compactMap({ unit(of: lines[$0]) }).first {
                    u = own
                }
            }
            if let u, u != base { doc.projects[p].unit = u }
        }
        for i in doc.facts.indices where doc.facts[i].unit == base {
            doc.facts[i].unit = nil
        }
    }

    /// The unit a table states: on its title line, on a line between the title and its first row,
    /// or on a unit line just above the title. Nil when it states none.
    /// `next`: the line of the next table's title, where this table's lines end at the latest.
    static func stated(by table: Table, in lines: [SourceLine], before next: Int? = nil) -> String? {
        let title = table.line - 1
        guard title >= 0, title < lines.count else { return nil }
        let firstRow = table.rows.lazy.compactMap(\.line).first.map { $0 - 1 } ?? (title + linesBelowTitle + 1)
        var end = min(lines.count, max(title + 1, min(firstRow, title + linesBelowTitle + 1)))
        // (An empty table's lines stop at the next title.)
        if let next, next > table.line { end = min(end, max(title + 1, next - 1)) }
        for i in title..<end {
            if let u = unit(of: lines[i]) { return u }
        }
        var i = title - 1
        while i >= max(0, title - linesAboveTitle) {
            if !lines[i].isBlank {
                guard TableReader.isUnitLine(lines[i].text) else { break }
                if let u = unit(of: lines[i]) { return u }
            }
            i -= 1
        }
        return nil
    }

    /// How far below a project's name its performance table prints its amounts.
    static let linesBelowProjectName = 24

    /// The unit a line names: after 单位： (`填报单位：… 单位：元`, `（单位：万元）`, `金额单位：元`), or
    /// in brackets of its own (`项目资金（万元）`, `预算数(元)`).
    static func unit(of line: SourceLine) -> String? {
        guard line.mayContain(Words.danwei) || line.mayContain(yuanClosed) || line.mayContain(yuanClosedASCII) else { return nil }
        return unit(ofText: line.text)
    }
    static let yuanClosed = ScalarMask.of("元）"), yuanClosedASCII = ScalarMask.of("元)")

    /// `unit(of:)` on a text.
    static func unit(ofText t: String) -> String? {
        if let u = MetaScan.currencyUnit(t) { return u }
        guard t.has("元）") || t.has("元)") else { return nil }
        for u in bracketedUnits {
            if t.has(u.fullWidth) || t.has(u.ascii) { return u.name }
        }
        return nil
    }

    /// Each known unit's name in full-width and in ASCII brackets (`（万元）`, `(万元)`), in
    /// `CurrencyUnit.known`'s order: made once, not joined again for every line asked.
    static let bracketedUnits: [(name: String, fullWidth: String, ascii: String)] =
        CurrencyUnit.known.map { ($0.name, "（" + $0.name + "）", "(" + $0.name + ")") }
}
