/// Encodes any `Encodable` to the bytes Foundation's `JSONEncoder` writes with
/// `[.sortedKeys, .withoutEscapingSlashes]` (and `.prettyPrinted` when `pretty`), byte for byte,
/// several times faster: no per-value dynamic casts for dates, data or URLs, no coding-path
/// bookkeeping, no key strategies. Stored documents are compared by these bytes, so the format is
/// part of the store's contract; `Tests/GoujiModelTests` checks it against Foundation's encoder.
///
/// Floating-point values are written as Swift prints them (integral values without a fraction), and
/// a non-finite one is an `EncodingError`, as in Foundation; the model itself has none.
public struct CanonicalJSONEncoder: Sendable {
    public var pretty: Bool

    public init(pretty: Bool = false) {
        self.pretty = pretty
    }

    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16 * 1024)
        JSONTree.write(try Self.tree(value), into: &out, pretty: pretty, depth: 0)
        return out
    }

    /// The value tree of `value` (what the wire turns into its `JSONValue` without writing text).
    package static func tree<T: Encodable>(_ value: T) throws -> JSONTree {
        let encoder = TreeEncoder()
        try value.encode(to: encoder)
        return encoder.root ?? .object(JSONTree.Object())
    }
}

/// The value tree an encoding builds; containers are boxes because Codable hands out a container
/// before it is filled.
package enum JSONTree {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array(Array)
    case object(Object)

    package final class Array {
        package var items: [JSONTree] = []
    }

    /// Fields in the order they were encoded; sorted by key when written (a key encoded twice keeps
    /// its last value, as in a dictionary).
    package final class Object {
        package var fields: [(key: String, value: JSONTree)] = []
        func set(_ key: String, _ value: JSONTree) { fields.append((key, value)) }
    }

    static func write(_ node: JSONTree, into out: inout [UInt8], pretty: Bool, depth: Int) {
        switch node {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): out.append(contentsOf: n.utf8)
        case .string(let s): JSONString.write(s, into: &out)
        case .array(let box):
            out.append(UInt8(ascii: "["))
            if box.items.isEmpty {
                if pretty { out.append(0x0A); newline(&out, depth) }
            } else {
                for (i, item) in box.items.enumerated() {
                    if i > 0 { out.append(UInt8(ascii: ",")) }
                    if pretty { newline(&out, depth + 1) }
                    write(item, into: &out, pretty: pretty, depth: depth + 1)
                }
                if pretty { newline(&out, depth) }
            }
            out.append(UInt8(ascii: "]"))
        case .object(let box):
            out.append(UInt8(ascii: "{"))
            if box.fields.isEmpty {
                if pretty { out.append(0x0A); newline(&out, depth) }
            } else {
                // By key, then by encoding order, so that of two equal keys the last one is kept.
                let order = box.fields.indices.sorted { a, b in
                    box.fields[a].key != box.fields[b].key ? box.fields[a].key < box.fields[b].key : a < b
                }
                var first = true
                for (n, i) in order.enumerated() {
                    if n + 1 < order.count, box.fields[order[n + 1]].key == box.fields[i].key { continue }
                    if !first { out.append(UInt8(ascii: ",")) }
                    first = false
                    if pretty { newline(&out, depth + 1) }
                    JSONString.write(box.fields[i].key, into: &out)
                    out.append(contentsOf: pretty ? " : ".utf8 : ":".utf8)
                    write(box.fields[i].value, into: &out, pretty: pretty, depth: depth + 1)
                }
                if pretty { newline(&out, depth) }
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(_ out: inout [UInt8], _ depth: Int) {
        out.append(0x0A)
        for _ in 0..<depth { out.append(0x20); out.append(0x20) }
    }

    static func number<F: BinaryFloatingPoint & LosslessStringConvertible>(_ f: F, at path: [any CodingKey]) throws -> JSONTree {
        guard f.isFinite else {
            throw EncodingError.invalidValue(f, .init(codingPath: path, debugDescription: "\(f) is not a JSON number"))
        }
        if f == f.rounded(), abs(f) < 9.0e15 { return .number(String(Int64(f))) }
        return .number(String(f))
    }
}

/// The `Encoder` that fills a `JSONTree`. It keeps no coding path (an array per nested value would
/// cost more than the encoding): errors name the value, not its place.
final class TreeEncoder: Encoder {
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var root: JSONTree?

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let box: JSONTree.Object
        if case .object(let existing) = root { box = existing } else {
            box = JSONTree.Object()
            root = .object(box)
        }
        return KeyedEncodingContainer(KeyedTreeContainer<Key>(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let box: JSONTree.Array
        if case .array(let existing) = root { box = existing } else {
            box = JSONTree.Array()
            root = .array(box)
        }
        return UnkeyedTreeContainer(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleTreeContainer(encoder: self) }

    /// The tree of a nested value: strings and integers directly, anything else through its `encode(to:)`.
    static func tree<T: Encodable>(_ value: T, at path: [any CodingKey]) throws -> JSONTree {
        // Type comparisons, not casts: a failed dynamic cast per nested value cost more than encoding it.
        if T.self == String.self, let s = value as? String { return .string(s) }
        if T.self == Int.self, let i = value as? Int { return .number(String(i)) }
        let nested = TreeEncoder()
        try value.encode(to: nested)
        return nested.root ?? .object(JSONTree.Object())
    }
}

struct KeyedTreeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: JSONTree.Object
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { box.set(key.stringValue, .null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { box.set(key.stringValue, .bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { box.set(key.stringValue, .string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        box.set(key.stringValue, try JSONTree.number(value, at: codingPath))
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        box.set(key.stringValue, try JSONTree.number(value, at: codingPath))
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { box.set(key.stringValue, .number(String(value))) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { box.set(key.stringValue, .number(String(value))) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { box.set(key.stringValue, .number(String(value))) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { box.set(key.stringValue, .number(String(value))) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { box.set(key.stringValue, .number(String(value))) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { box.set(key.stringValue, .number(String(value))) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { box.set(key.stringValue, .number(String(value))) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { box.set(key.stringValue, .number(String(value))) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { box.set(key.stringValue, .number(String(value))) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { box.set(key.stringValue, .number(String(value))) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        box.set(key.stringValue, try TreeEncoder.tree(value, at: codingPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                         forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONTree.Object()
        box.set(key.stringValue, .object(nested))
        return KeyedEncodingContainer(KeyedTreeContainer<NestedKey>(box: nested, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = JSONTree.Array()
        box.set(key.stringValue, .array(nested))
        return UnkeyedTreeContainer(box: nested, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder { superEncoder(keyString: "super") }
    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(keyString: key.stringValue) }

    private func superEncoder(keyString: String) -> any Encoder {
        let nested = JSONTree.Object()
        box.set(keyString, .object(nested))
        let encoder = TreeEncoder()
        encoder.root = .object(nested)
        return encoder
    }
}

struct UnkeyedTreeContainer: UnkeyedEncodingContainer {
    let box: JSONTree.Array
    let codingPath: [any CodingKey]
    var count: Int { box.items.count }

    mutating func encodeNil() throws { box.items.append(.null) }
    mutating func encode(_ value: Bool) throws { box.items.append(.bool(value)) }
    mutating func encode(_ value: String) throws { box.items.append(.string(value)) }
    mutating func encode(_ value: Double) throws { box.items.append(try JSONTree.number(value, at: codingPath)) }
    mutating func encode(_ value: Float) throws { box.items.append(try JSONTree.number(value, at: codingPath)) }
    mutating func encode(_ value: Int) throws { box.items.append(.number(String(value))) }
    mutating func encode(_ value: Int64) throws { box.items.append(.number(String(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws { box.items.append(try TreeEncoder.tree(value, at: codingPath)) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONTree.Object()
        box.items.append(.object(nested))
        return KeyedEncodingContainer(KeyedTreeContainer<NestedKey>(box: nested, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = JSONTree.Array()
        box.items.append(.array(nested))
        return UnkeyedTreeContainer(box: nested, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder {
        let nested = JSONTree.Object()
        box.items.append(.object(nested))
        let encoder = TreeEncoder()
        encoder.root = .object(nested)
        return encoder
    }
}

struct SingleTreeContainer: SingleValueEncodingContainer {
    let encoder: TreeEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws { encoder.root = .null }
    mutating func encode(_ value: Bool) throws { encoder.root = .bool(value) }
    mutating func encode(_ value: String) throws { encoder.root = .string(value) }
    mutating func encode(_ value: Double) throws { encoder.root = try JSONTree.number(value, at: codingPath) }
    mutating func encode(_ value: Float) throws { encoder.root = try JSONTree.number(value, at: codingPath) }
    mutating func encode(_ value: Int) throws { encoder.root = .number(String(value)) }
    mutating func encode(_ value: Int8) throws { encoder.root = .number(String(value)) }
    mutating func encode(_ value: Int16) throws { encoder.root = .number(String(value)) }
    mutating func encode(_ value: Int32) throws { encoder.root = .number(String(value)) }
    mutating func encode(_ value: Int64) throws { encoder.root = .number(String(value)) }
    mutating func encode(_ value: UInt) throws { encoder.root = .number(String(value)) }
    mutating func encode(_ value: UInt8) throws { encoder.root = .number(String(value)) }
    mutating func encode(_ value: UInt16) throws { encoder.root = .number(String(value)) }
    mutating func encode(_ value: UInt32) throws { encoder.root = .number(String(value)) }
    mutating func encode(_ value: UInt64) throws { encoder.root = .number(String(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws { encoder.root = try TreeEncoder.tree(value, at: codingPath) }
}
