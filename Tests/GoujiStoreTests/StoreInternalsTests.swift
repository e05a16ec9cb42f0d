import Foundation
import GoujiModel
@testable import GoujiStore
import GRDB
import Testing

@Suite struct MigrationTests {
    /// A store written before `code_amounts` existed gets it filled from its cells when it is next
    /// opened, and the queries that read it answer as they did.
    @Test func aStoreFromBeforeCodeAmountsIsBackfilled() throws {
        let (store, path) = try temporaryStore()
        for g in try loadGold() { try store.put(g.document) }
        let queries: [StoreQuery] = [
            .sum(code: "2080109", column: nil, year: nil), .sum(code: "2080109", column: "basic", year: 2024),
            .top(code: "2080109", fact: nil, n: 3), .findings(severity: nil, rule: nil, unit: "社会保险"),
            .ls(year: nil, unit: "中心"), .compare(unit: "南昌"),
        ]
        let before = try queries.map { try store.execute($0).json }
        let rowsBefore = try count(store, "SELECT count(*) FROM code_amounts")
        #expect(rowsBefore > 0)

        // Make the file what the v1 schema left: no v2 objects, no record of the v2 migration.
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: """
                DROP TABLE code_amounts; DROP TABLE units;
                DELETE FROM grdb_migrations WHERE identifier = 'v2-code-amounts'
                """)
        }
        try queue.close()

        let reopened = try Store(path: path)
        #expect(try count(reopened, "SELECT count(*) FROM code_amounts") == rowsBefore)
        #expect(try queries.map { try reopened.execute($0).json } == before)
    }

    /// `JSONItems` lays an array out exactly as `AnswerJSON` does, at any depth.
    @Test func jsonItemsMatchTheTreeLayout() {
        var lines: [JSONLine] = []
        for i in 0..<3 {
            var line = JSONLine()
            line.string("name", "单位\(i)\"q\"")
            line.int("year", i == 1 ? nil : 2024 + i)
            lines.append(line)
        }
        for depth in 0..<3 {
            let items = lines.reduce(into: JSONItems(depth: depth)) { $0.append($1) }
            var tree = AnswerJSON.array(lines.map { line in
                var text: [UInt8] = []
                line.write(into: &text)
                return .raw(String(decoding: text, as: UTF8.self))
            })
            var fast = items.value
            for _ in 0..<depth {
                tree = .object([("k", tree)])
                fast = .object([("k", fast)])
            }
            #expect(fast.serialized() == tree.serialized())
        }
        #expect(JSONItems().value.serialized() == AnswerJSON.array([]).serialized())
    }
}

@Suite struct ShortIDTests {
    @Test func shortIDsAreTwelveCharacters() {
        #expect(Store.shortID("sha256:0123456789abcdef0123") == "0123456789ab")
        #expect(Store.shortID("0123456789abcdef") == "0123456789ab")
        #expect(Store.shortID("sha256:abc") == "abc")
        #expect(Store.shortID("file:部门预算说明二〇二四年度报告.txt") == "file:部门预算说明二")
        #expect(Store.shortID("") == "")
    }
}

@Suite struct RowInserterTests {
    @Test func bindsTextIntegersAndNulls() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT, c INTEGER)")
            let insert = try RowInserter(db, sql: "INSERT INTO t VALUES (?, ?, ?)")
            try insert.insert(.int(1), .text("合计"), .null)
            try insert.insert(.int(2), .text(""), .int(-7))
            try insert.insert(.int(3), .text(nil as String?), .bool(true))
        }
        let rows = try queue.read { db in try GRDB.Row.fetchAll(db, sql: "SELECT a, b, c FROM t ORDER BY a") }
        #expect(rows.map { $0[1] as String? } == ["合计", "", nil])
        #expect(rows.map { $0[2] as Int? } == [nil, -7, 1])
    }

    @Test func failuresAreDatabaseErrorsAndRollBack() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in try db.execute(sql: "CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT NOT NULL)") }
        #expect(throws: DatabaseError.self) {
            try queue.write { db in
                let insert = try RowInserter(db, sql: "INSERT INTO t VALUES (?, ?)")
                try insert.insert(.int(1), .text("x"))
                try insert.insert(.int(1), .text("again"))   // primary key taken
            }
        }
        #expect(throws: DatabaseError.self) {
            try queue.write { db in try RowInserter(db, sql: "INSERT INTO t VALUES (?, ?)").insert(.int(2)) }
        }
        #expect(throws: DatabaseError.self) {
            try queue.write { db in try RowInserter(db, sql: "INSERT INTO t VALUES (?, ?)").insert(.int(3), .null) }
        }
        // The failed transactions left nothing behind, and the statement still works.
        try queue.write { db in try RowInserter(db, sql: "INSERT INTO t VALUES (?, ?)").insert(.int(4), .text("ok")) }
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") } == 1)
    }
}

@Suite struct TimestampTests {
    @Test func timestampsAreISO8601InUTC() {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        for t in [0.0, 951_782_400.5, 1_764_650_000, 1_798_761_599.999] {
            let date = Date(timeIntervalSince1970: t)
            #expect(Store.timestamp(date) == f.string(from: date))
        }
    }
}

@Suite struct GroupCommitTests {
    /// One transaction for the batch, one savepoint per document: a document SQLite refuses is
    /// rolled back alone (none of its rows stay), one that cannot be prepared fails in its slot,
    /// and the others are stored with the outcomes single puts would give.
    @Test func aFailingDocumentIsRolledBackAloneAndTheOthersAreStored() throws {
        let (store, _) = try temporaryStore()
        let gold = try loadGold()
        let good = gold[0].document
        var refused = gold[1].document
        refused.docID = "sha256:refused"
        var unnamed = gold[2].document
        unnamed.docID = nil
        // A real failure inside the transaction: SQLite aborts the refused document's cell inserts
        // after its document row and tables were written.
        try store.requireWriter().write { db in
            try db.execute(sql: """
                CREATE TRIGGER refuse_cells BEFORE INSERT ON cells
                WHEN (SELECT doc_id FROM documents WHERE id = NEW.doc) = 'sha256:refused'
                BEGIN SELECT RAISE(ABORT, 'refused by test'); END
                """)
        }
        let results = try store.putEach([good, refused, unnamed, good])
        #expect(results.count == 4)
        #expect(try results[0].get() == .inserted)
        #expect(throws: (any Error).self) { try results[1].get() }
        #expect(throws: StoreError.self) { try results[2].get() }
        #expect(try results[3].get() == .unchanged)
        #expect(try store.inventory() == [good.docID ?? "": 1])
        #expect(try count(store, "SELECT count(*) FROM documents WHERE doc_id = 'sha256:refused'") == 0)
        for table in ["tables", "facts", "code_amounts", "cells"] {
            #expect(try count(store, "SELECT count(*) FROM \(table) WHERE doc NOT IN (SELECT id FROM documents)") == 0,
                    "\(table) keeps rows of the rolled-back document")
        }
        #expect(try count(store, "SELECT count(*) FROM cells") > 100)
    }
}
