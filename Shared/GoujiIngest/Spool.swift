import Foundation
import GoujiModel
#if canImport(Glibc)
import Glibc
#endif

/// Where a document is on its way to the store.
public enum DocState: String, Codable, Sendable, CaseIterable {
    case accepted, parsed, stored, failed

    /// Stored or failed: nothing more will happen to it.
    public var isTerminal: Bool { self == .stored || self == .failed }
}

/// The latest journal entry of a document.
public struct DocRecord: Codable, Sendable, Equatable {
    public var docID: String
    public var state: DocState
    public var name: String?
    public var reason: String?
    /// Order of first acceptance (redelivery follows it).
    public var seq: Int

    enum CodingKeys: String, CodingKey {
        case docID = "doc_id"
        case state, name, reason, seq
    }
}

/// Durable file operations: write a temporary file, fsync it, rename it into place, fsync the folder.
public enum DurableFile {
    public static func write(_ data: Data, to path: String) throws(IngestError) {
        let dir = (path as NSString).deletingLastPathComponent
        let tmp = path + ".tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        if fd < 0 { throw .spool(reason: "open \(tmp): \(errnoText())") }
        var ok = writeAll(fd, data)
        if ok { ok = fsync(fd) == 0 }
        let why = errnoText()
        close(fd)
        if !ok {
            unlink(tmp)
            throw .spool(reason: "write \(tmp): \(why)")
        }
        if rename(tmp, path) != 0 {
            let why = errnoText()
            unlink(tmp)
            throw .spool(reason: "rename to \(path): \(why)")
        }
        try syncDirectory(dir)
    }

    public static func syncDirectory(_ dir: String) throws(IngestError) {
        let dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd < 0 { throw .spool(reason: "open folder \(dir): \(errnoText())") }
        defer { close(dfd) }
        if fsync(dfd) != 0 { throw .spool(reason: "fsync folder \(dir): \(errnoText())") }
    }

    static func writeAll(_ fd: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { raw -> Bool in
            guard var p = raw.baseAddress else { return true }
            var left = raw.count
            while left > 0 {
                let n = Glibc.write(fd, p, left)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                p += n
                left -= n
            }
            return true
        }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// The ingest spool: accepted documents on disk, and a journal of their states.
///
/// `accept` returns only once the document and its `accepted` entry are durable, so an
/// acknowledged document survives a crash of the ingest process; a restarted ingest asks
/// `pending()` for what it must deliver again. Not thread-safe: use it from one thread.
public final class Spool {
    public let directory: String
    private let docsDir: String
    private let journalPath: String
    private var journalFD: Int32 = -1
    private var records: [String: DocRecord] = [:]
    private var nextSeq = 0
    private var journalLines = 0

    public enum AcceptOutcome: Sendable, Equatable {
        /// Newly accepted (or a failed document accepted again).
        case accepted
        /// Already known; its current state.
        case duplicate(DocState)
    }

    public init(directory: String) throws(IngestError) {
        self.directory = directory
        docsDir = directory + "/docs"
        journalPath = directory + "/journal.log"
        do {
            try FileManager.default.createDirectory(atPath: docsDir, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .spool(reason: "cannot create \(docsDir): \(error)")
        }
        try replay()
        if journalLines > 2 * records.count + 64 { try compact() }
        journalFD = open(journalPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        if journalFD < 0 { throw .spool(reason: "open \(journalPath): \(DurableFile.errnoText())") }
    }

    deinit {
        if journalFD >= 0 { close(journalFD) }
    }

    // MARK: Queries

    public func record(_ docID: String) -> DocRecord? { records[docID] }

    /// Documents accepted but not yet stored or failed, in acceptance order.
    public func pending() -> [DocRecord] {
        records.values.filter { !$0.state.isTerminal }.sorted { $0.seq < $1.seq }
    }

    /// How many documents are in each state.
    public func counts() -> [DocState: Int] {
        var c: [DocState: Int] = [:]
        for r in records.values { c[r.state, default: 0] += 1 }
        return c
    }

    public var count: Int { records.count }

    // MARK: Changes

    /// Writes the document durably, then journals it as accepted. A known document is not
    /// written again (its state is returned), except a failed one, which is accepted again.
    public func accept(_ submission: Submission) throws(IngestError) -> AcceptOutcome {
        if let known = records[submission.docID], known.state != .failed {
            return .duplicate(known.state)
        }
        let stored = StoredSubmission(submission)
        let data: Data
        do { data = try JSONEncoder().encode(stored) } catch {
            throw .spool(reason: "cannot encode \(submission.name): \(error)")
        }
        try DurableFile.write(data, to: docPath(submission.docID))
        let seq = records[submission.docID]?.seq ?? nextSeq
        if seq == nextSeq { nextSeq += 1 }
        try append(DocRecord(docID: submission.docID, state: .accepted, name: submission.name, reason: nil, seq: seq))
        return .accepted
    }

    /// Journals a new state (durably). Unknown documents are refused.
    public func mark(_ docID: String, _ state: DocState, reason: String? = nil) throws(IngestError) {
        guard var r = records[docID] else { throw .spool(reason: "unknown document \(docID)") }
        if r.state == state && r.reason == reason { return }
        r.state = state
        r.reason = reason
        try append(r)
    }

    /// The spooled submission.
    public func load(_ docID: String) throws(IngestError) -> Submission {
        let path = docPath(docID)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .spool(reason: "spooled document \(docID) is missing at \(path)")
        }
        do {
            return try JSONDecoder().decode(StoredSubmission.self, from: data).submission
        } catch {
            throw .spool(reason: "spooled document \(docID) is unreadable: \(error)")
        }
    }

    /// Drops the spooled text of a stored document (its journal entry stays, for duplicates).
    public func discardText(_ docID: String) {
        unlink(docPath(docID))
    }

    // MARK: Journal

    private func docPath(_ docID: String) -> String {
        let safe = docID.replacingOccurrences(of: ":", with: "-").filter { $0.isLetter || $0.isNumber || $0 == "-" }
        return docsDir + "/" + safe + ".json"
    }

    private func append(_ r: DocRecord) throws(IngestError) {
        var line: Data
        do { line = try JSONEncoder().encode(r) } catch { throw .spool(reason: "cannot encode journal entry: \(error)") }
        line.append(0x0A)
        if !DurableFile.writeAll(journalFD, line) || fsync(journalFD) != 0 {
            throw .spool(reason: "journal write failed: \(DurableFile.errnoText())")
        }
        records[r.docID] = r
        journalLines += 1
    }

    private func replay() throws(IngestError) {
        guard let data = FileManager.default.contents(atPath: journalPath) else { return }
        let decoder = JSONDecoder()
        for line in data.split(separator: 0x0A) {
            // A torn last line (crash mid-write) does not decode: it was never acknowledged.
            guard let r = try? decoder.decode(DocRecord.self, from: Data(line)) else { continue }
            records[r.docID] = r
            nextSeq = max(nextSeq, r.seq + 1)
            journalLines += 1
        }
    }

    private func compact() throws(IngestError) {
        var out = Data()
        let encoder = JSONEncoder()
        for r in records.values.sorted(by: { $0.seq < $1.seq }) {
            guard let line = try? encoder.encode(r) else { continue }
            out.append(line)
            out.append(0x0A)
        }
        try DurableFile.write(out, to: journalPath)
        journalLines = records.count
    }
}

/// The on-disk form of a spooled submission.
struct StoredSubmission: Codable {
    var docID: String
    var name: String
    var format: SourceFormat
    var bytes: Int
    var text: String

    init(_ s: Submission) {
        docID = s.docID
        name = s.name
        format = s.format
        bytes = s.bytes
        text = s.text
    }

    var submission: Submission { Submission(docID: docID, name: name, format: format, bytes: bytes, text: text) }

    enum CodingKeys: String, CodingKey {
        case docID = "doc_id"
        case name, format, bytes, text
    }
}
