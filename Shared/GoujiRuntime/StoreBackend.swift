import Foundation
import GoujiModel
import GoujiStore
import GoujiTransport

/// The SQLite store (GoujiStore) as gouji-store's backend.
public final class SQLiteDocumentStore: DocumentStoring, @unchecked Sendable {
    // Store is thread-safe (GRDB pool); this wrapper adds no state.
    public let store: Store

    public init(path: String) throws {
        store = try Store(path: path)
    }

    public func putEach(_ docs: [BudgetDocument]) throws -> [Result<String, any Error>] {
        try store.putEach(docs).map { $0.map(\.rawValue) }
    }

    /// doc_id → number of stored JSON copies (exactly one when the store is right).
    public func inventory() throws -> [String: Int] {
        let r = try store.execute(.sql("SELECT d.doc_id, (SELECT COUNT(*) FROM document_json j WHERE j.doc = d.id) FROM documents d"))
        var out: [String: Int] = [:]
        for section in r.sections {
            for row in section.rows where row.count >= 2 {
                guard let id = row[0], let n = row[1].flatMap({ Int($0) }) else { continue }
                out[id, default: 0] += n
            }
        }
        return out
    }

    public func query(_ q: StoreQuery) throws -> QueryResponse {
        try store.execute(q)
    }
}

/// The store gouji-store serves.
public func makeDocumentStore(home: GoujiHome) throws -> any DocumentStoring {
    try SQLiteDocumentStore(path: home.database)
}

public struct StoreQueryBody: Codable, Sendable, Equatable {
    public var query: StoreQuery
    public init(query: StoreQuery) { self.query = query }
}

public struct StoreResultBody: Codable, Sendable, Equatable {
    public var response: QueryResponse
    public init(response: QueryResponse) { self.response = response }
}

/// Sends store queries over gouji-store's socket (the CLI's query commands use it while gouji runs).
public struct StoreServiceClient: QueryExecutor, Sendable {
    public let client: GoujiClient

    public init(home: GoujiHome) { client = GoujiClient(home: home) }

    public func execute(_ q: StoreQuery) throws -> QueryResponse {
        try client.call(client.home.storeSocket, MessageType.storeQuery, StoreQueryBody(query: q), as: StoreResultBody.self).response
    }
}

/// The query executor for the CLI: the running store service when gouji is up, else the store
/// file opened read-only (so queries work after `gouji down` too).
public func makeStoreQueryExecutor(home: String) throws -> any QueryExecutor {
    let h = GoujiHome(root: home)
    if FileManager.default.fileExists(atPath: h.storeSocket),
       (try? requestReply(path: h.storeSocket, Wire.envelope(MessageType.ping, Empty()), timeoutMs: 2000)) != nil {
        return StoreServiceClient(home: h)
    }
    guard FileManager.default.fileExists(atPath: h.database) else {
        throw RuntimeError.service("no store under \(home): start gouji with `gouji up` and ingest documents first")
    }
    return try Store.openReadOnly(path: h.database)
}
