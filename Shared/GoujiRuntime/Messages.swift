import Foundation
import GoujiModel

/// Message type names (docs/PROTOCOL.md "Message types"). Bodies are the structs below.
public enum MessageType {
    // Control plane: goujid's socket.
    public static let ping = "ping"
    public static let pong = "pong"
    public static let hello = "hello"
    public static let helloAck = "hello.ack"
    public static let status = "status"
    public static let statusReply = "status.reply"
    public static let ready = "ready"
    public static let readyReply = "ready.reply"
    public static let scale = "scale"
    public static let scaleReply = "scale.reply"
    public static let down = "down"
    public static let downAck = "down.ack"
    public static let drain = "drain"
    public static let drained = "drained"
    // Ingest.
    public static let submit = "submit"
    public static let submitted = "submitted"
    public static let progress = "progress"
    public static let progressReply = "progress.reply"
    public static let workRequest = "work.request"
    public static let workAssign = "work.assign"
    public static let workDone = "work.done"
    public static let workFailed = "work.failed"
    // Reconcile.
    public static let reconcile = "reconcile"
    public static let reconciled = "reconciled"
    // Store.
    public static let storePut = "store.put"
    public static let storeAck = "store.ack"
    public static let storeInventory = "store.inventory"
    public static let storeInventoryReply = "store.inventory.reply"
    public static let storeQuery = "store.query"
    public static let storeResult = "store.result"
    // Any.
    public static let error = "error"
}

public struct Empty: Codable, Sendable, Equatable { public init() {} }

public struct HelloBody: Codable, Sendable, Equatable {
    public var name: String
    public var instance: Int
    public var pid: Int32
    public init(name: String, instance: Int, pid: Int32) {
        self.name = name
        self.instance = instance
        self.pid = pid
    }
}

public struct PongBody: Codable, Sendable, Equatable {
    public var inFlight: Int
    public var processed: Int
    public init(inFlight: Int, processed: Int) {
        self.inFlight = inFlight
        self.processed = processed
    }
    enum CodingKeys: String, CodingKey {
        case inFlight = "in_flight"
        case processed
    }
}

/// One row of `gouji status`.
public struct InstanceStatus: Codable, Sendable, Equatable {
    public var name: String
    public var instance: Int
    public var pid: Int32?
    public var state: InstanceState
    public var uptimeS: Double
    public var restarts: Int
    public var inFlight: Int
    public var processed: Int
    public var reason: String?

    public init(name: String, instance: Int, pid: Int32?, state: InstanceState, uptimeS: Double,
                restarts: Int, inFlight: Int, processed: Int, reason: String? = nil) {
        self.name = name
        self.instance = instance
        self.pid = pid
        self.state = state
        self.uptimeS = uptimeS
        self.restarts = restarts
        self.inFlight = inFlight
        self.processed = processed
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case name, instance, pid, state
        case uptimeS = "uptime_s"
        case restarts
        case inFlight = "in_flight"
        case processed, reason
    }
}

public struct StatusBody: Codable, Sendable, Equatable {
    public var services: [InstanceStatus]
    public var draining: Bool?
    public var pid: Int32?
    public init(services: [InstanceStatus], draining: Bool? = nil, pid: Int32? = nil) {
        self.services = services
        self.draining = draining
        self.pid = pid
    }
}

public struct ReadyBody: Codable, Sendable, Equatable {
    public var timeoutMs: Int
    public init(timeoutMs: Int) { self.timeoutMs = timeoutMs }
    enum CodingKeys: String, CodingKey { case timeoutMs = "timeout_ms" }
}

public struct ReadyReplyBody: Codable, Sendable, Equatable {
    public var ready: Bool
    public var services: [InstanceStatus]
    public init(ready: Bool, services: [InstanceStatus]) {
        self.ready = ready
        self.services = services
    }
}

public struct ScaleBody: Codable, Sendable, Equatable {
    public var service: String
    public var count: Int
    public init(service: String, count: Int) {
        self.service = service
        self.count = count
    }
}

/// A submission: a path the ingest service reads, or the bytes themselves (base64).
public struct SubmitBody: Codable, Sendable, Equatable {
    public var path: String?
    public var name: String?
    public var dataBase64: String?
    public init(path: String? = nil, name: String? = nil, dataBase64: String? = nil) {
        self.path = path
        self.name = name
        self.dataBase64 = dataBase64
    }
    enum CodingKeys: String, CodingKey {
        case path, name
        case dataBase64 = "data_base64"
    }
}

public struct SubmittedBody: Codable, Sendable, Equatable {
    public var docID: String
    public var name: String
    public var state: String
    public var duplicate: Bool
    public init(docID: String, name: String, state: String, duplicate: Bool) {
        self.docID = docID
        self.name = name
        self.state = state
        self.duplicate = duplicate
    }
    enum CodingKeys: String, CodingKey {
        case docID = "doc_id"
        case name, state, duplicate
    }
}

public struct ProgressBody: Codable, Sendable, Equatable {
    public var docIDs: [String]
    /// Reply at once when more than this many are done; else hold the reply until then (or timeout).
    public var doneKnown: Int
    public var timeoutMs: Int
    public init(docIDs: [String], doneKnown: Int, timeoutMs: Int) {
        self.docIDs = docIDs
        self.doneKnown = doneKnown
        self.timeoutMs = timeoutMs
    }
    enum CodingKeys: String, CodingKey {
        case docIDs = "doc_ids"
        case doneKnown = "done_known"
        case timeoutMs = "timeout_ms"
    }
}

public struct DocProgress: Codable, Sendable, Equatable {
    public var docID: String
    /// accepted, parsed, stored, failed, or unknown.
    public var state: String
    public var reason: String?
    public init(docID: String, state: String, reason: String? = nil) {
        self.docID = docID
        self.state = state
        self.reason = reason
    }
    enum CodingKeys: String, CodingKey {
        case docID = "doc_id"
        case state, reason
    }
}

public struct ProgressReplyBody: Codable, Sendable, Equatable {
    public var docs: [DocProgress]
    public var done: Int
    public init(docs: [DocProgress], done: Int) {
        self.docs = docs
        self.done = done
    }
}

/// A job handed to a parse worker.
public struct WorkAssignBody: Codable, Sendable, Equatable {
    public var docID: String
    public var name: String
    public var format: SourceFormat
    public var bytes: Int
    public var text: String
    public var attempt: Int
    public init(docID: String, name: String, format: SourceFormat, bytes: Int, text: String, attempt: Int) {
        self.docID = docID
        self.name = name
        self.format = format
        self.bytes = bytes
        self.text = text
        self.attempt = attempt
    }
    enum CodingKeys: String, CodingKey {
        case docID = "doc_id"
        case name, format, bytes, text, attempt
    }
}

/// A document on its way: parse result (work.done), reconcile request/result, store put.
public struct DocumentBody: Codable, Sendable, Equatable {
    public var docID: String
    public var document: BudgetDocument
    public init(docID: String, document: BudgetDocument) {
        self.docID = docID
        self.document = document
    }
    enum CodingKeys: String, CodingKey {
        case docID = "doc_id"
        case document
    }
}

public struct WorkFailedBody: Codable, Sendable, Equatable {
    public var docID: String
    public var reason: String
    public init(docID: String, reason: String) {
        self.docID = docID
        self.reason = reason
    }
    enum CodingKeys: String, CodingKey {
        case docID = "doc_id"
        case reason
    }
}

public struct StoreAckBody: Codable, Sendable, Equatable {
    public var docID: String
    /// inserted, unchanged or replaced.
    public var outcome: String
    public init(docID: String, outcome: String) {
        self.docID = docID
        self.outcome = outcome
    }
    enum CodingKeys: String, CodingKey {
        case docID = "doc_id"
        case outcome
    }
}

public struct InventoryReplyBody: Codable, Sendable, Equatable {
    /// Every stored document id, with how many copies the store holds (1 when correct).
    public var documents: [String: Int]
    public init(documents: [String: Int]) { self.documents = documents }
}

public struct ErrorBody: Codable, Sendable, Equatable {
    public var code: String
    public var message: String
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}
