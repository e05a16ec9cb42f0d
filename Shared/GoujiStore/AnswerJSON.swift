import GoujiModel

/// A query answer as JSON: object keys keep the order they were built in, serialized by hand so
/// output is stable and amounts stay decimal strings (no float round trip). Serialization writes
/// UTF-8 bytes into one buffer. (Messages on the wire are `GoujiWire.JSONValue`; documents are
/// written by GoujiModel's `CanonicalJSONEncoder`.)
public indirect enum AnswerJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number written as given (an integer or an exact decimal).
    case number(String)
    case string(String)
    case array([AnswerJSON])
    case object([(String, AnswerJSON)])
    /// Text that is already serialized JSON (written as is).
    case raw(String)
    /// UTF-8 bytes of already serialized JSON (written as is; no String is made of them).
    case rawBytes([UInt8])

    public static func == (a: AnswerJSON, b: AnswerJSON) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case let (.bool(x), .bool(y)): x == y
        case let (.number(x), .number(y)): x == y
        case let (.string(x), .string(y)): x == y
        case let (.raw(x), .raw(y)): x == y
        case let (.rawBytes(x), .rawBytes(y)): x == y
        case let (.array(x), .array(y)): x == y
        case let (.object(x), .object(y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    public static func int(_ i: Int) -> AnswerJSON { .number(String(i)) }
    public static func optString(_ s: String?) -> AnswerJSON { s.map { .string($0) } ?? .null }
    public static func optInt(_ i: Int?) -> AnswerJSON { i.map { .number(String($0)) } ?? .null }

    /// Compact (`pretty: false`) or indented by two spaces, with a trailing newline when pretty.
    public func serialized(pretty: Bool = true) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(into: &out, pretty: pretty, indent: 0)
        if pretty { out.append(0x0A) }
        return String(decoding: out, as: UTF8.self)
    }

    private static func newline(_ out: inout [UInt8], _ indent: Int) {
        out.append(0x0A)
        for _ in 0..<indent { out.append(0x20); out.append(0x20) }
    }

    private func write(into out: inout [UInt8], pretty: Bool, indent: Int) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): out.append(contentsOf: n.utf8)
        case .string(let s): JSONString.write(s, into: &out)
        case .raw(let text): out.append(contentsOf: text.utf8)
        case .rawBytes(let bytes): out.append(contentsOf: bytes)
        case .array(let items):
            if items.isEmpty { out.append(contentsOf: "[]".utf8); return }
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { AnswerJSON.newline(&out, indent + 1) }
                item.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { AnswerJSON.newline(&out, indent) }
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            if fields.isEmpty { out.append(contentsOf: "{}".utf8); return }
            out.append(UInt8(ascii: "{"))
            for (i, (key, value)) in fields.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { AnswerJSON.newline(&out, indent + 1) }
                JSONString.write(key, into: &out)
                out.append(UInt8(ascii: ":"))
                if pretty { out.append(0x20) }
                value.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { AnswerJSON.newline(&out, indent) }
            out.append(UInt8(ascii: "}"))
        }
    }
}

/// A one-line JSON object written straight into bytes: the fast path for the many small,
/// same-shaped items of a large answer (`by_unit`, findings lists), gathered by `JSONItems`.
struct JSONLine {
    private var bytes: [UInt8] = [UInt8(ascii: "{")]
    private var first = true

    private mutating func key(_ k: String) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        JSONString.write(k, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func string(_ k: String, _ v: String?) {
        key(k)
        if let v { JSONString.write(v, into: &bytes) } else { bytes.append(contentsOf: "null".utf8) }
    }

    mutating func int(_ k: String, _ v: Int?) {
        key(k)
        bytes.append(contentsOf: (v.map(String.init) ?? "null").utf8)
    }

    mutating func raw(_ k: String, _ v: String) {
        key(k)
        bytes.append(contentsOf: v.utf8)
    }

    /// The object's text, appended to `out`.
    func write(into out: inout [UInt8]) {
        out.append(contentsOf: bytes)
        out.append(UInt8(ascii: "}"))
    }
}

/// A JSON array of many `JSONLine` objects written into one buffer (no value per item), laid out as
/// `AnswerJSON.serialized(pretty: true)` lays out an array `depth` levels deep: one item per line.
struct JSONItems {
    private var bytes: [UInt8] = [UInt8(ascii: "[")]
    private let depth: Int
    private(set) var count = 0

    /// `,` then a new line indented to the items' depth.
    private let separator: [UInt8]

    init(depth: Int = 0) {
        self.depth = depth
        separator = [UInt8(ascii: ","), 0x0A] + Array(repeating: 0x20, count: 2 * (depth + 1))
        bytes.reserveCapacity(4096)
    }

    mutating func append(_ line: JSONLine) {
        bytes.append(contentsOf: count > 0 ? separator[...] : separator.dropFirst())
        line.write(into: &bytes)
        count += 1
    }

    var value: AnswerJSON {
        if count == 0 { return .raw("[]") }
        var out = bytes
        out.append(0x0A)
        for _ in 0..<depth { out.append(0x20); out.append(0x20) }
        out.append(UInt8(ascii: "]"))
        return .rawBytes(out)
    }
}
