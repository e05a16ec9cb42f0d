import Foundation
import GoujiModel
import GoujiStore
import Testing

/// Y-CHANGE with a synthetic previous-year document of the same unit.
@Suite struct YearChangeTests {
    /// The 2024 seed states income.total 1414.81 (change −24.18), expenditure.total 1414.81 (−24.18)
    /// and expenditure.basic 1204.81 (+95.82). Its previous year is built here: income.total agrees
    /// (1438.99), expenditure.total does not (1400.00), and expenditure.basic is printed without
    /// decimals (1109 for 1108.99: a rounding difference).
    func documents() throws -> (current: BudgetDocument, previous: BudgetDocument) {
        let current = try loadGold()[0].document
        var previous = BudgetDocument(
            docID: "sha256:prev2023", source: Source(name: "prev.txt", format: .text), kind: current.kind,
            fiscalYear: (current.fiscalYear ?? 0) - 1, scope: current.scope, unit: current.unit,
            currencyUnit: current.currencyUnit)
        previous.facts = [
            Fact(key: "income.total", value: Amount("1438.99") ?? .zero, line: 10),
            Fact(key: "expenditure.total", value: Amount("1400.00") ?? .zero, line: 11),
            Fact(key: "expenditure.basic", value: Amount("1109") ?? .zero, line: 12),
        ]
        return (current, previous)
    }

    func yChange(_ store: Store) throws -> [[String: Any]] {
        try #require(try jsonObject(store.execute(.findings(severity: nil, rule: "Y-CHANGE", unit: nil)).json) as? [[String: Any]])
    }

    func check(_ findings: [[String: Any]]) {
        let errors = findings.filter { $0["severity"] as? String == "error" }
        let infos = findings.filter { $0["severity"] as? String == "info" }
        #expect(errors.count == 1)
        #expect(errors.first?["expected"] as? String == "1400.00")
        #expect(errors.first?["found"] as? String == "1438.99")
        #expect((errors.first?["message"] as? String)?.contains("expenditure.total") == true)
        #expect(infos.count == 1)
        #expect(infos.first?["expected"] as? String == "1109")
        #expect(infos.first?["found"] as? String == "1108.99")
        #expect(findings.count == 2)
    }

    @Test func previousYearStoredFirst() throws {
        let (store, _) = try temporaryStore()
        let (current, previous) = try documents()
        try store.put(previous)
        try store.put(current)
        let found = try yChange(store)
        check(found)
        // Stored with the document's other findings.
        let doc = try #require(try store.document(id: current.docID ?? ""))
        #expect(doc.findings?.filter { $0.rule == "Y-CHANGE" }.count == 2)
        #expect(doc.findings?.count == (current.findings?.count ?? 0) + 2)
        #expect(found.allSatisfy { $0["doc_id"] as? String == current.docID })
    }

    @Test func previousYearArrivingLaterTriggersARecheck() throws {
        let (store, _) = try temporaryStore()
        let (current, previous) = try documents()
        try store.put(current)
        #expect(try yChange(store).isEmpty)
        try store.put(previous)
        check(try yChange(store))
        // Replacing the previous document with a corrected one re-checks again: no error left.
        var corrected = previous
        corrected.facts[1].value = Amount("1438.99") ?? .zero
        corrected.parserVersion = "2"
        #expect(try store.put(corrected) == .replaced)
        let after = try yChange(store)
        #expect(after.filter { $0["severity"] as? String == "error" }.isEmpty)
        #expect(after.count == 1)
    }

    @Test func tableValuesStandInForUnstatedFacts() throws {
        let (store, _) = try temporaryStore()
        var (current, previous) = try documents()
        previous.facts = []
        // Last year's expenditure table: 合计 1438.99 = current 1414.81 − (−24.18); 基本支出 1000.
        previous.tables = [Table(kind: .expenditure, title: "单位支出总表", line: 1, rows: [
            Row(code: nil, label: "合计", values: ["total": Amount("1438.99") ?? .zero, "basic": Amount("1000.00") ?? .zero]),
        ])]
        try store.put(previous)
        try store.put(current)
        let found = try yChange(store)
        let errors = found.filter { $0["severity"] as? String == "error" }
        #expect(errors.count == 1)
        #expect(errors.first?["expected"] as? String == "1000.00")
        #expect(errors.first?["found"] as? String == "1108.99")
        let refs = errors.first?["refs"] as? [[String: Any]]
        #expect(refs?.contains { $0["table"] as? String == "expenditure" && $0["column"] as? String == "basic" } == true)
    }

    @Test func otherUnitsAndYearsAreNotCompared() throws {
        let (store, _) = try temporaryStore()
        var (current, previous) = try documents()
        previous.unit = UnitRef(name: "另一个单位", code: nil)
        try store.put(previous)
        try store.put(current)
        #expect(try yChange(store).isEmpty)

        let (other, _) = try temporaryStore()
        (current, previous) = try documents()
        current.fiscalYear = (current.fiscalYear ?? 0) + 1   // two years after the previous document
        try other.put(previous)
        try other.put(current)
        #expect(try yChange(other).isEmpty)
    }
}
