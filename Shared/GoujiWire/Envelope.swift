import GoujiModel
import Foundation
import Synchronization

/// One message on the wire: `{"v":1,"type":"…","id":"…","reply_to":…,"body":{…}}`.
///
/// `type` names the message (the receiver checks it against the set it handles, see
/// `MessageRouter`), `id` is unique per sender, `reply_to` is the `id` of the request this answers
/// (null for requests), `body` is the type-specific payload.
public struct Envelope: Sendable, Equatable {
    /// The protocol version this code speaks and sends.
    public static let currentVersion: Int64 = 1
    /// The `type` of error replies; the body is `{"code":…,"message":…}`.
    public static let errorType = "error"

    public var v: Int64
    public var type: String
    public var id: String
    public var replyTo: String?
    public var body: JSONValue

    public init(type: String, id: String = Envelope.newID(), replyTo: String? = nil, body: JSONValue = .object([:])) {
        self.v = Self.currentVersion
        self.type = type
        self.id = id
        self.replyTo = replyTo
        self.body = body
    }

    /// An envelope whose body is `body` encoded with `JSONEncoder` (a `JSONValue` body is used as is).
    public static func make<T: Encodable>(type: String, id: String = Envelope.newID(), replyTo: String? = nil, body: T) throws(WireError) -> Envelope {
        Envelope(type: type, id: id, replyTo: replyTo, body: try JSONValue(encoding: body))
    }

    /// Decodes the body as `T` (as `JSONDecoder` would, straight from the parsed value); a mismatch is
    /// `WireError.invalidBody`.
    public func decodeBody<T: Decodable>(_: T.Type = T.self) throws(WireError) -> T {
        if let same = body as? T { return same }
        do {
            return try JSONValueDecoder().decode(T.self, from: body)
        } catch {
            throw .invalidBody(type: type, reason: Self.describe(error))
        }
    }

    /// An error reply: type `error`, body `{"code":…,"message":…}`.
    public static func error(code: String, message: String, replyTo: String?, id: String = Envelope.newID()) -> Envelope {
        Envelope(type: errorType, id: id, replyTo: replyTo, body: .object(["code": .string(code), "message": .string(message)]))
    }

    /// An error reply for a wire fault (its `code` and message).
    public static func error(_ error: WireError, replyTo: String?) -> Envelope {
        Self.error(code: error.code, message: error.description, replyTo: replyTo)
    }

    /// A reply to this envelope (its `reply_to` is this envelope's id).
    public func reply<T: Encodable>(type: String, body: T) throws(WireError) -> Envelope {
        try Envelope.make(type: type, replyTo: id, body: body)
    }

    /// A reply with a JSON body.
    public func reply(type: String, body: JSONValue = .object([:])) -> Envelope {
        Envelope(type: type, replyTo: id, body: body)
    }

    /// True for `error` envelopes.
    public var isError: Bool { type == Self.errorType }
    /// For an `error` envelope: its code and message.
    public var errorInfo: (code: String, message: String)? {
        guard isError else { return nil }
        return (body["code"]?.stringValue ?? WireError.Code.internalError, body["message"]?.stringValue ?? "")
    }

    // MARK: ids

    /// A sender-unique id: a per-process prefix (pid and random, base 36) and a counter. Short
    /// enough to stay an inline small string (no allocation) for the first 16^7 ids.
    public static func newID() -> String {
        var n = idCounter.add(1, ordering: .relaxed).newValue
        var digits = 1
        var m = n >> 4
        while m > 0 { digits += 1; m >>= 4 }
        return String(unsafeUninitializedCapacity: idPrefix.count + digits) { buf in
            for (k, b) in idPrefix.enumerated() { buf[k] = b }
            let hex: StaticString = "0123456789abcdef"
            var k = idPrefix.count + digits - 1
            for _ in 0..<digits {
                buf[k] = hex.utf8Start[Int(n & 0xF)]
                n >>= 4
                k -= 1
            }
            return idPrefix.count + digits
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let ctx):
            return "missing key '\(path(ctx.codingPath + [key]))'"
        case DecodingError.typeMismatch(let t, let ctx):
            return "expected \(t) at '\(path(ctx.codingPath))'"
        case DecodingError.valueNotFound(let t, let ctx):
            return "null where \(t) is required at '\(path(ctx.codingPath))'"
        case DecodingError.dataCorrupted(let ctx):
            return "\(ctx.debugDescription) at '\(path(ctx.codingPath))'"
        default:
            return String(describing: error)
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}

private let idCounter = Atomic<UInt64>(0)
private let idPrefix: [UInt8] = {
    var g = SystemRandomNumberGenerator()
    let r = UInt32.random(in: 0..<(36 * 36 * 36), using: &g)
    return Array((String(getpid(), radix: 36) + String(r, radix: 36) + ".").utf8)
}()

extension JSONValue {
    /// The JSON value of any Encodable: what `JSONEncoder` would write, parsed, built straight from
    /// the canonical encoder's tree (no text in between).
    public init<T: Encodable>(encoding value: T) throws(WireError) {
        if let v = value as? JSONValue { self = v; return }
        do {
            self = JSONValue(try CanonicalJSONEncoder.tree(value))
        } catch {
            throw .encodingFailed(String(describing: error))
        }
    }

    init(_ tree: JSONTree) {
        switch tree {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = Int64(n).map(JSONValue.int) ?? Double(n).map(JSONValue.double) ?? .null
        case .string(let s): self = .string(s)
        case .array(let box): self = .array(box.items.map(JSONValue.init))
        case .object(let box):
            var fields: [String: JSONValue] = [:]
            fields.reserveCapacity(box.fields.count)
            // Encoding order: a key encoded twice keeps its last value, as in the text.
            for (key, value) in box.fields { fields[key] = JSONValue(value) }
            self = .object(fields)
        }
    }
}

// MARK: - Encoding and decoding

extension Envelope {
    /// The compact JSON text of the envelope (no length prefix).
    public func jsonBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(96)
        writeJSON(into: &out)
        return out
    }

    /// Appends the frame (4-byte big-endian length + JSON) to `out`.
    public func encodeFrame(into out: inout [UInt8]) {
        let start = out.count
        out.append(contentsOf: [0, 0, 0, 0])
        writeJSON(into: &out)
        let n = UInt32(truncatingIfNeeded: out.count - start - 4)
        out[start] = UInt8(truncatingIfNeeded: n >> 24)
        out[start + 1] = UInt8(truncatingIfNeeded: n >> 16)
        out[start + 2] = UInt8(truncatingIfNeeded: n >> 8)
        out[start + 3] = UInt8(truncatingIfNeeded: n)
    }

    /// The frame bytes (4-byte big-endian length + JSON).
    public func frameBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(100)
        encodeFrame(into: &out)
        return out
    }

    func writeJSON(into out: inout [UInt8]) {
        // Fixed field order; body keys sorted by JSONWriter.
        out.append(contentsOf: #"{"v":"#.utf8)
        JSONWriter.writeInt(v, into: &out)
        out.append(contentsOf: #","type":"#.utf8)
        JSONString.write(type, into: &out)
        out.append(contentsOf: #","id":"#.utf8)
        JSONString.write(id, into: &out)
        out.append(contentsOf: #","reply_to":"#.utf8)
        if let r = replyTo { JSONString.write(r, into: &out) } else { out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: #","body":"#.utf8)
        JSONWriter.write(body, into: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// Decodes an envelope from its JSON text (no length prefix).
    public init(jsonBytes bytes: some Collection<UInt8>) throws(WireError) {
        let r: Result<Envelope, WireError> = JSONValue.withContiguousBytes(bytes) { raw in
            do throws(WireError) { return .success(try Envelope(raw: raw)) } catch { return .failure(error) }
        }
        self = try r.get()
    }

    /// Decodes an envelope from raw JSON memory.
    public init(raw: UnsafeRawBufferPointer) throws(WireError) {
        let outcome = Envelope.decode(raw: raw)
        switch outcome {
        case .envelope(let e): self = e
        case .malformed(let err, _): throw err
        }
    }

    /// Decodes one frame body, keeping the `id` of a structurally bad envelope (when it has one) so
    /// the error reply can name the request it answers.
    public static func decode(raw: UnsafeRawBufferPointer) -> Inbound {
        var parser = JSONParser(raw)
        let parsed: EnvelopeFields?
        do throws(WireError) {
            parsed = try parser.parseEnvelopeDocument()
        } catch {
            return .malformed(error, id: nil)
        }
        guard let f = parsed else {
            return .malformed(.wrongFieldType(field: "(envelope)", expected: "a JSON object"), id: nil)
        }
        let salvagedID = f.id?.stringValue
        func bad(_ e: WireError) -> Inbound { .malformed(e, id: salvagedID) }
        guard let vv = f.v else { return bad(.missingField("v")) }
        guard case .int(let v) = vv else { return bad(.wrongFieldType(field: "v", expected: "an integer")) }
        guard v == currentVersion else { return bad(.unsupportedVersion(v)) }
        guard let tv = f.type else { return bad(.missingField("type")) }
        guard case .string(let type) = tv else { return bad(.wrongFieldType(field: "type", expected: "a string")) }
        guard let iv = f.id else { return bad(.missingField("id")) }
        guard case .string(let id) = iv else { return bad(.wrongFieldType(field: "id", expected: "a string")) }
        var replyTo: String?
        switch f.replyTo {
        case nil, .some(.null): replyTo = nil
        case .some(.string(let r)): replyTo = r
        default: return bad(.wrongFieldType(field: "reply_to", expected: "a string or null"))
        }
        guard let body = f.body else { return bad(.missingField("body")) }
        var e = Envelope(type: type, id: id, replyTo: replyTo, body: body)
        e.v = v
        return .envelope(e)
    }

    /// What one frame turned out to be.
    public enum Inbound: Sendable, Equatable {
        /// A well-formed envelope.
        case envelope(Envelope)
        /// A bad frame; the connection stays usable. `id` is the sender's id when it could be read,
        /// for the error reply's `reply_to`.
        case malformed(WireError, id: String?)
    }
}
