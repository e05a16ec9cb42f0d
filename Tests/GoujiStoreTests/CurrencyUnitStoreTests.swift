import Foundation
import GoujiModel
import GoujiStore
import GRDB
import Testing

/// Answers across documents printed in different currency units (one unit's 2023 document in 元,
/// its 2024 document in 万元) are given in `Store.commonUnit`.
@Suite struct CurrencyUnitStoreTests {
    /// `a` × 10,000: the same money printed in 元.
    static func inYuan(_ a: Amount) -> Amount { Amount(mantissa: a.mantissa * 10_000, decimals: a.decimals) }

    /// The gold 2024 document, and its 2023 twin with the same amounts, printed in 元: its tables
    /// all in 元 (the document's unit), its narrative in 万元 (`Fact.unit`), income.total 25.00 万元
    /// lower (so the 2024 change −24.18 is off).
    func documents() throws -> (current: BudgetDocument, previous: BudgetDocument) {
        let current = try loadGold()[0].document
        var previous = current
        previous.docID = "sha256:prev2023yuan"
        previous.fiscalYear = (current.fiscalYear ?? 0) - 1
        previous.currencyUnit = "元"
        previous.findings = []
        for t in previous.tables.indices {
            for r in previous.tables[t].rows.indices {
                previous.tables[t].rows[r].values = previous.tables[t].rows[r].values.mapValues(Self.inYuan)
            }
        }
        previous.facts = [Fact(key: "income.total", value: Amount("1439.81") ?? .zero, line: 10, unit: "万元")]
        return (current, previous)
    }

    @Test func sumsAndRanksInTheCommonUnit() throws {
        let (store, _) = try temporaryStore()
        let (current, previous) = try documents()
        try store.put(previous)
        try store.put(current)
        let first = try #require(current.tables.first { $0.kind == .expenditure }?.rows.first { $0.code != nil })
        let code = try #require(first.code)
        let value = try #require(first.values["total"])
        let sum = try #require(try jsonObject(store.execute(.sum(code: code, column: nil, year: nil)).json) as? [String: Any])
        #expect(sum["currency_unit"] as? String == Store.commonUnit)
        let total = try #require(Amount(sum["total"] as? String ?? ""))
        #expect(total.sameValue(as: value.adding(value) ?? .zero), "\(sum)")
        // Both documents rank alike: the same money.
        let top = try #require(try jsonObject(store.execute(.top(code: code, fact: nil, n: 2)).json) as? [String: Any])
        let amounts = (top["items"] as? [[String: Any]] ?? []).compactMap { ($0["amount"] as? String).flatMap { Amount($0) } }
        #expect(amounts.count == 2 && amounts.allSatisfy { $0.sameValue(as: value) }, "\(top)")
    }

    /// A store written before v3 (amounts of a document in 元 kept as printed in `code_amounts`)
    /// is converted when opened.
    @Test func aStoreFromBeforeUnitsIsConverted() throws {
        let (store, path) = try temporaryStore()
        let (_, previous) = try documents()
        try store.put(previous)
        let first = try #require(previous.tables.first { $0.kind == .expenditure }?.rows.first { $0.code != nil })
        let code = try #require(first.code)
        let query = StoreQuery.sum(code: code, column: nil, year: nil)
        let after = try store.execute(query).json
        // What v2 left: the v3 columns absent, code_amounts as printed, no record of v3 (the
        // views v3 replaces are dropped here with the columns they read).
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: """
                DROP VIEW v_cells; DROP VIEW v_facts; DROP VIEW v_projects;
                ALTER TABLE tables DROP COLUMN currency_unit; ALTER TABLE projects DROP COLUMN unit;
                ALTER TABLE facts DROP COLUMN unit;
                UPDATE code_amounts SET amount = (SELECT c.amount FROM cells c JOIN tables t ON t.doc = c.doc AND t.idx = c.table_idx
                    WHERE c.doc = code_amounts.doc AND c.code = code_amounts.code AND c.col = code_amounts.col
                      AND t.kind = 'expenditure' AND c.first_of_kind = 1 ORDER BY c.table_idx, c.row_idx LIMIT 1);
                DELETE FROM grdb_migrations WHERE identifier = 'v3-currency-units'
                """)
        }
        let raw = try queue.read { db in try String.fetchOne(db, sql: "SELECT amount FROM code_amounts WHERE code = ? AND col = 'total'", arguments: [code]) }
        #expect(raw.flatMap { Amount($0) } == first.values["total"])
        try queue.close()
        let reopened = try Store(path: path)
        #expect(try reopened.execute(query).json == after)
        #expect(try count(reopened, "SELECT count(*) FROM v_cells WHERE currency_unit = '元'") > 0)
    }

    /// `show` titles a table printed in another unit with its own.
    @Test func showNamesATablesOwnUnit() throws {
        let (store, _) = try temporaryStore()
        var (current, _) = try documents()
        let t = try #require(current.tables.firstIndex { $0.kind == .expenditure })
        current.tables[t].currencyUnit = "元"
        try store.put(current)
        let answer = try store.execute(.show(doc: current.docID ?? "", table: .expenditure))
        #expect(answer.sections.first?.title?.contains("单位：元") == true, "\(answer.sections.first?.title ?? "")")
        let tables = (try jsonObject(answer.json) as? [String: Any])?["tables"] as? [[String: Any]]
        #expect(tables?.first?["currency_unit"] as? String == "元")
        let other = try store.execute(.show(doc: current.docID ?? "", table: .income))
        #expect(other.sections.first?.title?.contains("单位：万元") == true)
    }

    @Test func comparesYearsInTheCommonUnit() throws {
        let (store, _) = try temporaryStore()
        let (current, previous) = try documents()
        try store.put(previous)
        try store.put(current)
        let answer = try store.execute(.compare(unit: current.unit?.name ?? ""))
        let units = try #require((try jsonObject(answer.json) as? [String: Any])?["units"] as? [[String: Any]])
        let metrics = try #require(units.first?["metrics"] as? [[String: Any]])
        #expect(!metrics.isEmpty)
        // The same amounts both years: no change anywhere.
        for m in metrics {
            let change = (m["change"] as? String).flatMap { Amount($0) }
            #expect(change?.isZero == true, "\(m)")
        }
    }

    @Test func yearOnYearChangeAcrossUnits() throws {
        let (store, _) = try temporaryStore()
        let (current, previous) = try documents()
        try store.put(previous)
        try store.put(current)
        let found = try #require(try jsonObject(store.execute(.findings(severity: nil, rule: "Y-CHANGE", unit: nil)).json) as? [[String: Any]])
        // income.total: its narrative fact, 1439.81 万元, against 1414.81 − (−24.18) = 1438.99.
        let income = found.filter { ($0["message"] as? String)?.contains("income.total") == true }
        #expect(income.count == 1 && income.first?["severity"] as? String == "error" && income.first?["expected"] as? String == "1439.81", "\(found)")
        // expenditure.total: last year's table stands in (合计 14,148,100.00 元: 2024's amount),
        // read in 万元, not as 14 million.
        let spending = found.filter { ($0["message"] as? String)?.contains("expenditure.total") == true }
        let expected = spending.first.flatMap { ($0["expected"] as? String).flatMap { Amount($0) } }
        #expect(spending.count == 1 && expected.map { $0.sameValue(as: Amount("1414.81") ?? .zero) } == true, "\(found)")
    }
}
