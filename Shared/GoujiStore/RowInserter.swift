import GRDB
import GRDBSQLite

/// A value bound to one `?` of an INSERT.
enum SQLValue {
    case null
    case int(Int64)
    case text(String)

    static func int(_ i: Int) -> SQLValue { .int(Int64(i)) }
    static func int(_ i: Int?) -> SQLValue { i.map { .int(Int64($0)) } ?? .null }
    static func bool(_ b: Bool) -> SQLValue { .int(b ? 1 : 0) }
    static func text(_ s: String?) -> SQLValue { s.map { .text($0) } ?? .null }
}

/// Runs one prepared INSERT many times, binding through SQLite's C API.
///
/// GRDB's argument path builds an array of existentials and converts each to a `DatabaseValue` on
/// every execution; for the hundreds of small rows one document writes, that cost several times the
/// insert itself (perf, 2,000-document store bench). The statement comes from GRDB's cache and runs
/// inside GRDB's transaction on GRDB's connection; only binding and stepping bypass it. Errors are
/// GRDB's `DatabaseError` with SQLite's code and message.
struct RowInserter {
    private let statement: Statement
    private let db: Database
    private let count: Int32

    init(_ db: Database, sql: String) throws {
        self.db = db
        statement = try db.cachedStatement(sql: sql)
        count = sqlite3_bind_parameter_count(statement.sqliteStatement)
    }

    /// Binds `values` to the parameters in order (exactly as many as the statement has) and steps once.
    func insert(_ values: SQLValue...) throws {
        let handle = statement.sqliteStatement
        guard values.count == Int(count) else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE,
                                message: "\(values.count) values for \(count) parameters", sql: statement.sql)
        }
        sqlite3_reset(handle)
        for (i, value) in values.enumerated() {
            let index = Int32(i + 1)
            let code: Int32
            switch value {
            case .null: code = sqlite3_bind_null(handle, index)
            case .int(let n): code = sqlite3_bind_int64(handle, index, n)
            case .text(let s):
                var text = s
                code = text.withUTF8 { bytes in
                    bytes.withMemoryRebound(to: CChar.self) { chars in
                        guard let base = chars.baseAddress else { return sqlite3_bind_text(handle, index, "", 0, nil) }
                        // SQLITE_TRANSIENT: SQLite copies the bytes before this returns.
                        return sqlite3_bind_text(handle, index, base, Int32(chars.count),
                                                 unsafeBitCast(-1, to: sqlite3_destructor_type.self))
                    }
                }
            }
            guard code == SQLITE_OK else { throw error(code) }
        }
        let step = sqlite3_step(handle)
        guard step == SQLITE_DONE else {
            let failure = error(step)
            sqlite3_reset(handle)
            throw failure
        }
        sqlite3_reset(handle)
    }

    private func error(_ code: Int32) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                      sql: statement.sql)
    }
}
