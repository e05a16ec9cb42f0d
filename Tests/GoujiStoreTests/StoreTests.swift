import Foundation
import GoujiModel
import GoujiStore
import Testing

@Suite struct StoreSeedTests {
    @Test func sumAcrossSeedsIsExact() throws {
        let (store, _) = try temporaryStore()
        let gold = try loadGold()
        #expect(gold.count == 5)
        for g in gold { #expect(try store.put(g.document) == .inserted) }
        let response = try store.execute(.sum(code: "2080109", column: nil, year: nil))
        let json = try #require(try jsonObject(response.json) as? [String: Any])
        #expect(json["total"] as? String == "3216.35")
        #expect(json["code"] as? String == "2080109")
        #expect(json["column"] as? String == "total")
        #expect(json["documents"] as? Int == 5)
        let byUnit = try #require(json["by_unit"] as? [[String: Any]])
        #expect(byUnit.count == 5)
        // The table rendering ends with the total row.
        #expect(response.sections[0].rows.last?.last == "3216.35")
        // Other columns and a year filter.
        let basic = try #require(try jsonObject(store.execute(.sum(code: "2080109", column: "basic", year: 2024)).json) as? [String: Any])
        #expect(basic["total"] as? String == "1185.74") // 945.61 + 240.13 (2024 documents with a basic cell)
        #expect(basic["documents"] as? Int == 2)
    }

    @Test func errorFindingsAreExactlyTheStoredErrors() throws {
        let (store, _) = try temporaryStore()
        let gold = try loadGold()
        for g in gold { try store.put(g.document) }
        let response = try store.execute(.findings(severity: .error, rule: nil, unit: nil))
        let items = try #require(try jsonObject(response.json) as? [[String: Any]])
        let got = items.map { "\($0["rule"] as? String ?? "")|\($0["severity"] as? String ?? "")|\($0["expected"] as? String ?? "")|\($0["found"] as? String ?? "")" }.sorted()
        let want = gold.flatMap { $0.expected }.filter { $0.severity == "error" }
            .map { "\($0.rule)|\($0.severity)|\($0.expected)|\($0.found)" }.sorted()
        #expect(!want.isEmpty)
        #expect(got == want)
        #expect(items.allSatisfy { ($0["doc_id"] as? String)?.hasPrefix("sha256:") == true })
        // Filters combine: rule and unit.
        let tShare = try #require(try jsonObject(store.execute(.findings(severity: .error, rule: "T-SHARE", unit: nil)).json) as? [[String: Any]])
        #expect(tShare.count == want.filter { $0.hasPrefix("T-SHARE|") }.count)
        let byUnit = try #require(try jsonObject(store.execute(.findings(severity: nil, rule: nil, unit: "寻乌")).json) as? [[String: Any]])
        #expect(byUnit.count == gold.first { $0.document.unit?.name?.contains("寻乌") == true }?.expected.count)
    }

    /// A share's whole (what the text printed after 占) is queryable beside the share.
    @Test func factsKeepWhatAShareIsOf() throws {
        let (store, _) = try temporaryStore()
        var doc = try #require(try loadGold().first).document
        doc.facts.append(Fact(key: "econ.301", value: Amount("81.45") ?? .zero, share: Amount("40"),
                              shareOf: "基本支出预算", line: 9999))
        try store.put(doc)
        #expect(try count(store, "SELECT count(*) FROM v_facts WHERE share_of = '基本支出预算' AND share = '40'") == 1)
    }

    @Test func sqlIsReadOnly() throws {
        let (store, path) = try temporaryStore()
        for g in try loadGold() { try store.put(g.document) }
        let before = try count(store, "SELECT count(*) FROM documents")
        #expect(before == 5)
        for statement in ["DELETE FROM documents", "DROP TABLE cells", "UPDATE cells SET amount = '0'",
                          "SELECT 1; DELETE FROM documents", "INSERT INTO documents(doc_id) VALUES ('x')",
                          "  attach database '/tmp/x.sqlite' as x", "PRAGMA user_version = 7"] {
            #expect(throws: StoreError.self) { try store.execute(.sql(statement)) }
        }
        let readOnly = try Store.openReadOnly(path: path)
        #expect(throws: StoreError.self) { try readOnly.execute(.sql("DELETE FROM documents")) }
        #expect(throws: (any Error).self) { try readOnly.put(try loadGold()[0].document) }
        #expect(try count(store, "SELECT count(*) FROM documents") == before)
        #expect(try count(readOnly, "SELECT count(*) FROM v_cells WHERE code = '2080109'") > 0)
        // A read through the user views works on the read-only connection.
        let r = try readOnly.execute(.sql("SELECT unit, year, \"table\", code, label, column, amount FROM v_cells WHERE code = '2080109' AND \"table\" = 'expenditure' AND column = 'total' ORDER BY amount"))
        #expect(r.sections[0].columns.map(\.name) == ["unit", "year", "table", "code", "label", "column", "amount"])
        #expect(r.sections[0].rows.count == 5)
    }

    @Test func openReadOnlyOnMissingStoreSaysWhatToDo() throws {
        #expect(throws: StoreError.storeNotFound(path: "/nonexistent/gouji.sqlite")) {
            try Store.openReadOnly(path: "/nonexistent/gouji.sqlite")
        }
    }
}

@Suite struct StorePutTests {
    @Test func putTwiceKeepsOneCopy() throws {
        let (store, _) = try temporaryStore()
        let doc = try loadGold()[0].document
        #expect(try store.put(doc) == .inserted)
        let cells = try count(store, "SELECT count(*) FROM cells")
        let facts = try count(store, "SELECT count(*) FROM facts")
        #expect(cells > 100)
        #expect(facts == doc.facts.count)
        #expect(try store.put(doc) == .unchanged)
        #expect(try count(store, "SELECT count(*) FROM documents") == 1)
        #expect(try count(store, "SELECT count(*) FROM cells") == cells)
        #expect(try count(store, "SELECT count(*) FROM facts") == facts)
        #expect(try count(store, "SELECT count(*) FROM findings") == doc.findings?.count)
        #expect(try store.putAll([doc, doc]) == [.unchanged, .unchanged])
        #expect(try store.inventory() == [doc.docID ?? "": 1])
    }

    @Test func newParserVersionReplacesRowsAtomically() throws {
        let (store, _) = try temporaryStore()
        let original = try loadGold()[0].document
        try store.put(original)
        let cellsBefore = try count(store, "SELECT count(*) FROM cells")
        var reparsed = original
        reparsed.parserVersion = "2"
        // The new parse reads one more row and one amount differently.
        let e = try #require(reparsed.tables.firstIndex { $0.kind == .expenditure })
        let r = try #require(reparsed.tables[e].rows.firstIndex { $0.code == "2080109" })
        reparsed.tables[e].rows[r].values["total"] = Amount("1155.62")
        reparsed.tables[e].rows.append(Row(code: "2089999", label: "其他", values: ["total": Amount(mantissa: 1, decimals: 2)]))
        reparsed.findings = []
        #expect(try store.put(reparsed) == .replaced)
        #expect(try count(store, "SELECT count(*) FROM documents") == 1)
        #expect(try count(store, "SELECT count(*) FROM cells") == cellsBefore + 1)
        #expect(try count(store, "SELECT count(*) FROM findings") == 0)
        let sum = try #require(try jsonObject(store.execute(.sum(code: "2080109", column: nil, year: nil)).json) as? [String: Any])
        #expect(sum["total"] as? String == "1155.62")
        let stored = try #require(try store.document(id: original.docID ?? ""))
        #expect(stored.parserVersion == "2")
        #expect(stored == reparsed)
        let version = try store.execute(.sql("SELECT parser_version, replaced_at IS NOT NULL FROM documents"))
        #expect(version.sections[0].rows == [["2", "1"]])
    }

    @Test func documentWithoutDocIDIsRefused() throws {
        let (store, _) = try temporaryStore()
        var doc = try loadGold()[0].document
        doc.docID = nil
        #expect(throws: StoreError.missingDocID(source: doc.source.name)) { try store.put(doc) }
    }

    @Test func exportReturnsTheDocument() throws {
        let (store, _) = try temporaryStore()
        let gold = try loadGold()
        for g in gold { try store.put(g.document) }
        for g in gold {
            let id = try #require(g.document.docID)
            let response = try store.execute(.export(doc: id))
            let decoded = try DocumentJSON.decode(Data(response.json.utf8))
            #expect(decoded == g.document)
            let cells = g.document.tables.reduce(0) { $0 + $1.rows.reduce(0) { $0 + $1.values.count } }
            #expect(response.sections[0].rows.count == cells)
        }
    }

    @Test func documentPrefixesResolve() throws {
        let (store, _) = try temporaryStore()
        var a = try loadGold()[0].document
        var b = a
        a.docID = "sha256:abc111"
        b.docID = "sha256:abc222"
        try store.putAll([a, b])
        #expect(try store.document(id: "abc1")?.docID == "sha256:abc111")
        #expect(try store.document(id: "sha256:abc2")?.docID == "sha256:abc222")
        #expect(try store.document(id: "ffff") == nil)
        #expect(throws: StoreError.self) { try store.document(id: "abc") }
        #expect(throws: StoreError.documentNotFound("ffff")) { try store.execute(.show(doc: "ffff", table: nil)) }
    }
}

@Suite struct StoreQueryTests {
    @Test func showRendersTheTableLikeTheOriginal() throws {
        let (store, _) = try temporaryStore()
        let g = try loadGold()[0]
        try store.put(g.document)
        let response = try store.execute(.show(doc: String(g.name.suffix(16)), table: .expenditure))
        #expect(response.sections.count == 1)
        let section = response.sections[0]
        #expect(section.columns.map(\.name) == ["编码", "项目", "合计", "基本支出", "项目支出"])
        let table = try #require(g.document.table(.expenditure))
        #expect(section.rows.count == table.rows.count)
        let row = try #require(section.rows.first { $0[0] == "2080109" })
        #expect(row[1]?.trimmingCharacters(in: .whitespaces) == "社会保险经办机构")
        #expect(Array(row[2...]) == ["1155.61", "945.61", "210.00"])
        // Two-sided tables carry the side; without --table every table is a section.
        let all = try store.execute(.show(doc: String(g.name.suffix(16)), table: nil))
        #expect(all.sections.count == g.document.tables.count)
        let summary = try #require(all.sections.first { $0.title?.contains("[summary]") == true })
        #expect(summary.columns.first?.name == "收入项目")
        #expect(summary.columns.contains { $0.name == "支出项目" })
        let sides = try #require(g.document.table(.summary)).rows
        #expect(summary.rows.count == max(sides.filter { $0.side == .income }.count, sides.filter { $0.side == .expenditure }.count))
        let json = try #require(try jsonObject(response.json) as? [String: Any])
        let tables = try #require(json["tables"] as? [[String: Any]])
        #expect(tables.first?["kind"] as? String == "expenditure")
        #expect(throws: StoreError.self) { try store.execute(.show(doc: String(g.name.suffix(16)), table: .projectList)) }
    }

    @Test func lsTopCompareAndSummary() throws {
        let (store, _) = try temporaryStore()
        let gold = try loadGold()
        for g in gold { try store.put(g.document) }
        let ls = try #require(try jsonObject(store.execute(.ls(year: nil, unit: nil)).json) as? [[String: Any]])
        #expect(ls.count == 5)
        let ls2023 = try #require(try jsonObject(store.execute(.ls(year: 2023, unit: nil)).json) as? [[String: Any]])
        #expect(ls2023.count == 1)
        #expect(try store.execute(.ls(year: nil, unit: "南昌")).sections[0].rows.count == 1)

        let top = try #require(try jsonObject(store.execute(.top(code: "2080109", fact: nil, n: 2)).json) as? [String: Any])
        let items = try #require(top["items"] as? [[String: Any]])
        #expect(items.map { $0["amount"] as? String } == ["1437.49", "1155.61"])
        let topFact = try #require(try jsonObject(store.execute(.top(code: nil, fact: "income.total", n: 1)).json) as? [String: Any])
        let factItems = try #require(topFact["items"] as? [[String: Any]])
        let maxIncome = gold.compactMap { g in g.document.facts.first { $0.key == "income.total" }?.value }.max()
        #expect(factItems.first?["amount"] as? String == maxIncome?.text)
        #expect(throws: StoreError.self) { try store.execute(.top(code: "208", fact: "income.total", n: 3)) }

        let summary = try #require(try jsonObject(store.execute(.summary).json) as? [String: Any])
        let bySeverity = try #require(summary["by_severity"] as? [String: Int])
        let all = gold.flatMap(\.expected)
        #expect(bySeverity["error"] == all.filter { $0.severity == "error" }.count)
        #expect(bySeverity["warning"] == all.filter { $0.severity == "warning" }.count)
        #expect(bySeverity["info"] == all.filter { $0.severity == "info" }.count)
        #expect(summary["documents"] as? Int == 5)

        var previous = gold[0].document
        previous.docID = "sha256:previous"
        previous.fiscalYear = 2023
        let e = try #require(previous.tables.firstIndex { $0.kind == .expenditure })
        let r = try #require(previous.tables[e].rows.firstIndex { $0.code == "2080109" })
        previous.tables[e].rows[r].values["total"] = Amount("1000.00")
        try store.put(previous)
        let compare = try store.execute(.compare(unit: "景德镇"))
        #expect(compare.sections.count == 1)
        let row = try #require(compare.sections[0].rows.first { $0[0] == "2080109" })
        #expect(Array(row[2...]) == ["1000.00", "1155.61", "155.61"])
    }
}
