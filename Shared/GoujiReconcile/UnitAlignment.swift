import GoujiModel

/// A document that prints some amounts in another currency unit (its tables in 元 and its
/// narrative in 万元, or one table in 元 among tables in 万元: `Table.currencyUnit`, `Fact.unit`,
/// `Project.unit`) is reconciled in one unit: the coarsest it names. Converting to a coarser unit only moves the
/// decimal point (`12345.67` 元 → `1.234567` 万元), so each amount keeps the rounding interval of
/// its print, and a narrative `1414.81` 万元 agrees with a table's `14,148,100.00` 元.
enum UnitAlignment {
    /// The document with every table, project and narrative amount in one unit, or nil when
    /// it is in one unit already (the usual case: nothing is copied).
    static func aligned(_ doc: BudgetDocument) -> BudgetDocument? {
        guard let own = doc.currencyUnit, let (base, _) = units(of: doc) else { return nil }
        var d = doc
        d.currencyUnit = base
        for t in d.tables.indices {
            let from = d.tables[t].currencyUnit ?? own
            d.tables[t].currencyUnit = nil
            guard from != base else { continue }
            for r in d.tables[t].rows.indices {
                for (key, v) in d.tables[t].rows[r].values {
                    d.tables[t].rows[r].values[key] = convert(v, from: from, to: base)
                }
            }
        }
        for p in d.projects.indices {
            let from = d.projects[p].unit ?? own
            d.projects[p].unit = nil
            guard from != base else { continue }
            d.projects[p].total = d.projects[p].total.map { convert($0, from: from, to: base) }
            d.projects[p].fiscal = d.projects[p].fiscal.map { convert($0, from: from, to: base) }
        }
        for i in d.facts.indices {
            let from = d.facts[i].unit ?? own
            d.facts[i].unit = nil
            guard from != base, !countKeys.contains(d.facts[i].key) else { continue }
            d.facts[i].value = convert(d.facts[i].value, from: from, to: base)
            d.facts[i].change = d.facts[i].change.map { convert($0, from: from, to: base) }
        }
        return d
    }

    /// The unit a document printed in several is compared in (the coarsest it names), and the
    /// others it names, sorted; nil for a document in one unit.
    static func units(of doc: BudgetDocument) -> (base: String, others: [String])? {
        guard let own = doc.currencyUnit,
              doc.tables.contains(where: { $0.currencyUnit != nil }) || doc.facts.contains(where: { $0.unit != nil })
                || doc.projects.contains(where: { $0.unit != nil })
        else { return nil }
        let named = [own] + doc.tables.compactMap(\.currencyUnit) + doc.facts.compactMap(\.unit) + doc.projects.compactMap(\.unit)
        guard let base = CurrencyUnit.coarsest(named) else { return nil }
        return (base, Set(named).subtracting([base]).sorted())
    }

    /// Facts that count rather than sum money (MODEL.md's keys): never converted.
    static let countKeys: Set<String> = ["projects.count"]

    /// `v` in `to`; an amount that cannot move (a unit not known, more decimals than an amount
    /// holds) is left as printed.
    static func convert(_ v: Amount, from: String, to: String) -> Amount {
        v.converted(from: from, to: to) ?? v
    }
}
