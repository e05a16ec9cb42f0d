import GoujiModel
/// A strict RFC 8259 JSON parser over raw UTF-8 bytes, producing `JSONValue`.
///
/// This is the wire's one JSON reader (Foundation's JSONSerialization/JSONDecoder are several times
/// slower on Linux for small envelopes). It never traps on input: every fault is a
/// `WireError.invalidJSON` carrying the byte offset.
struct JSONParser {
    static let maxDepth = 512

    let bytes: UnsafeRawBufferPointer
    var i = 0
    var depth = 0
    /// Members of the objects being parsed, innermost last: an object's dictionary is built once
    /// its size is known (growing it member by member rehashed it several times).
    var members: [(String, JSONValue)] = []

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func parseDocument() throws(WireError) -> JSONValue {
        skipWhitespace()
        let v = try parseValue()
        skipWhitespace()
        if i != bytes.count { throw fail("trailing characters after the JSON value") }
        return v
    }

    func fail(_ reason: String) -> WireError { .invalidJSON(reason: reason, offset: i) }

    @inline(__always) mutating func skipWhitespace() {
        while i < bytes.count {
            let c = bytes[i]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 } else { return }
        }
    }

    mutating func parseValue() throws(WireError) -> JSONValue {
        guard i < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw fail("unexpected character")
        }
    }

    mutating func expectLiteral(_ word: StaticString) throws(WireError) {
        let n = word.utf8CodeUnitCount
        guard bytes.count - i >= n else { throw fail("unexpected end of input") }
        let w = word.utf8Start
        for k in 0..<n where bytes[i + k] != w[k] { throw fail("invalid literal") }
        i += n
    }

    mutating func enter() throws(WireError) {
        depth += 1
        if depth > Self.maxDepth { throw fail("nesting deeper than \(Self.maxDepth)") }
    }

    mutating func parseObject() throws(WireError) -> JSONValue {
        try enter()
        i += 1  // {
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; depth -= 1; return .object([:]) }
        let base = members.count
        while true {
            skipWhitespace()
            guard i < bytes.count else { throw fail("unexpected end of input in object") }
            guard bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            let key = try parseString()
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            i += 1
            skipWhitespace()
            let value = try parseValue()
            members.append((key, value))
            skipWhitespace()
            guard i < bytes.count else { throw fail("unexpected end of input in object") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; break }
            throw fail("expected ',' or '}'")
        }
        // A repeated key keeps its last value (as JSONSerialization does).
        var o = [String: JSONValue](minimumCapacity: members.count - base)
        for k in base..<members.count { o[members[k].0] = members[k].1 }
        members.removeSubrange(base...)
        depth -= 1
        return .object(o)
    }

    mutating func parseArray() throws(WireError) -> JSONValue {
        try enter()
        i += 1  // [
        var a: [JSONValue] = []
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; depth -= 1; return .array(a) }
        while true {
            skipWhitespace()
            a.append(try parseValue())
            skipWhitespace()
            guard i < bytes.count else { throw fail("unexpected end of input in array") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; break }
            throw fail("expected ',' or ']'")
        }
        depth -= 1
        return .array(a)
    }

    mutating func parseString() throws(WireError) -> String {
        i += 1  // opening quote
        let start = i
        // Fast path: no escapes.
        var nonASCII = false
        i = UTF8Scan.firstSpecial(bytes, from: i, sawNonASCII: &nonASCII)
        if i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<i])
                if nonASCII && !UTF8Scan.isValid(slice) {
                    i = start
                    throw fail("string is not valid UTF-8")
                }
                i += 1
                return String(decoding: slice.bindMemory(to: UInt8.self), as: UTF8.self)
            }
            if c < 0x20 { throw fail("unescaped control character in string") }
        }
        guard i < bytes.count else { throw fail("unterminated string") }
        // Slow path: copy with escapes decoded.
        var out: [UInt8] = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<i]))
        out.reserveCapacity((i - start) + 16)
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                let s: String? = out.withUnsafeBytes { UTF8Scan.string($0) }
                guard let s else { throw fail("string is not valid UTF-8") }
                return s
            }
            if c < 0x20 { throw fail("unescaped control character in string") }
            if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
            i += 1
            guard i < bytes.count else { throw fail("unterminated escape") }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try parseHex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    guard bytes.count - i >= 6, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                        throw fail("unpaired high surrogate")
                    }
                    i += 2
                    let low = try parseHex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw fail("invalid low surrogate") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw fail("unpaired low surrogate")
                }
                guard let u = Unicode.Scalar(scalar) else { throw fail("invalid unicode escape") }
                out.append(contentsOf: UTF8.encode(u).map { Array($0) } ?? [])
            default:
                i -= 1
                throw fail("invalid escape character")
            }
        }
        throw fail("unterminated string")
    }

    mutating func parseHex4() throws(WireError) -> UInt32 {
        guard bytes.count - i >= 4 else { throw fail("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[i]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw fail("invalid hex digit in \\u escape")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    @inline(__always) func isDigit(_ k: Int) -> Bool {
        k < bytes.count && bytes[k] >= UInt8(ascii: "0") && bytes[k] <= UInt8(ascii: "9")
    }

    mutating func parseNumber() throws(WireError) -> JSONValue {
        let start = i
        var negative = false
        if bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        guard isDigit(i) else { throw fail("expected a digit") }
        var integerOnly = true
        var magnitude: UInt64 = 0
        var overflow = false
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if isDigit(i) { throw fail("leading zero in number") }
        } else {
            while isDigit(i) {
                let d = UInt64(bytes[i] - UInt8(ascii: "0"))
                let (m1, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (m2, o2) = m1.addingReportingOverflow(d)
                if o1 || o2 { overflow = true } else { magnitude = m2 }
                i += 1
            }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            integerOnly = false
            i += 1
            guard isDigit(i) else { throw fail("expected a digit after '.'") }
            while isDigit(i) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            integerOnly = false
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard isDigit(i) else { throw fail("expected a digit in exponent") }
            while isDigit(i) { i += 1 }
        }
        if integerOnly && !overflow {
            if negative {
                if magnitude <= UInt64(Int64.max) { return .int(-Int64(magnitude)) }
                if magnitude == UInt64(Int64.max) + 1 { return .int(Int64.min) }
            } else if magnitude <= UInt64(Int64.max) {
                return .int(Int64(magnitude))
            }
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        guard let d = Double(text) else { i = start; throw fail("number out of range") }
        return .double(d)
    }
}

/// The top-level members of an envelope, read without building a dictionary for them.
struct EnvelopeFields {
    var v: JSONValue?
    var type: JSONValue?
    var id: JSONValue?
    var replyTo: JSONValue?
    var body: JSONValue?
}

extension JSONParser {
    /// Parses a whole JSON document. When it is an object, its envelope members are returned
    /// (other members are validated and dropped); nil when the document is valid JSON but not an
    /// object.
    mutating func parseEnvelopeDocument() throws(WireError) -> EnvelopeFields? {
        skipWhitespace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else {
            _ = try parseDocument()
            return nil
        }
        try enter()
        i += 1
        var f = EnvelopeFields()
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                skipWhitespace()
                guard i < bytes.count else { throw fail("unexpected end of input in object") }
                guard bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
                let key = try parseKey()
                skipWhitespace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                i += 1
                skipWhitespace()
                let value = try parseValue()
                switch key {
                case .v: f.v = value
                case .type: f.type = value
                case .id: f.id = value
                case .replyTo: f.replyTo = value
                case .body: f.body = value
                case .other: break
                }
                skipWhitespace()
                guard i < bytes.count else { throw fail("unexpected end of input in object") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; break }
                throw fail("expected ',' or '}'")
            }
        }
        depth -= 1
        skipWhitespace()
        if i != bytes.count { throw fail("trailing characters after the JSON value") }
        return f
    }

    enum EnvelopeKey { case v, type, id, replyTo, body, other }

    static func word<T: FixedWidthInteger>(_ s: StaticString, as: T.Type) -> T {
        var v: T = 0
        let p = s.utf8Start
        for k in 0..<s.utf8CodeUnitCount { v |= T(p[k]) << (8 * k) }  // little-endian load order
        return v
    }
    static let typeWord = word("type", as: UInt32.self)
    static let bodyWord = word("body", as: UInt32.self)
    static let replyToWord = word("reply_to", as: UInt64.self)

    /// Reads a member name, recognising the envelope's own without allocating a String.
    mutating func parseKey() throws(WireError) -> EnvelopeKey {
        let start = i + 1
        var k = start
        while k < bytes.count, bytes[k] != UInt8(ascii: "\""), bytes[k] != UInt8(ascii: "\\"), bytes[k] >= 0x20 { k += 1 }
        if k < bytes.count, bytes[k] == UInt8(ascii: "\"") {
            let b = bytes
            let which: EnvelopeKey
            switch k - start {
            case 1 where b[start] == UInt8(ascii: "v"): which = .v
            case 2 where b[start] == UInt8(ascii: "i") && b[start + 1] == UInt8(ascii: "d"): which = .id
            case 4 where b.loadUnaligned(fromByteOffset: start, as: UInt32.self) == Self.typeWord: which = .type
            case 4 where b.loadUnaligned(fromByteOffset: start, as: UInt32.self) == Self.bodyWord: which = .body
            case 8 where b.loadUnaligned(fromByteOffset: start, as: UInt64.self) == Self.replyToWord: which = .replyTo
            default: which = .other
            }
            if which != .other { i = k + 1; return which }
        }
        // Escaped or unknown names go through the full string reader (validates UTF-8 and escapes).
        let s = try parseString()
        switch s {
        case "v": return .v
        case "type": return .type
        case "id": return .id
        case "reply_to": return .replyTo
        case "body": return .body
        default: return .other
        }
    }
}
