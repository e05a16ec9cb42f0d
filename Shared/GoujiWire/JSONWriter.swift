import GoujiModel
/// The wire's one JSON writer: compact, object keys sorted, '/' not escaped (matching
/// `DocumentJSON`), non-finite doubles written as null.
enum JSONWriter {
    static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        case .bool(let b):
            if b { out.append(contentsOf: [0x74, 0x72, 0x75, 0x65]) } else { out.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65]) }
        case .int(let n): writeInt(n, into: &out)
        case .double(let d):
            if d.isFinite {
                // Swift's description is the shortest text that round-trips, and is valid JSON
                // ("1.0", "1e-05", "1e+20"), so a double stays a double after a round trip.
                out.append(contentsOf: d.description.utf8)
            } else {
                out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
            }
        case .string(let s): JSONString.write(s, into: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            var first = true
            for e in a {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                write(e, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            if o.count == 1, let (k, v) = o.first {
                JSONString.write(k, into: &out)
                out.append(UInt8(ascii: ":"))
                write(v, into: &out)
                out.append(UInt8(ascii: "}"))
                return
            }
            var first = true
            for (k, v) in o.sorted(by: { $0.key < $1.key }) {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                JSONString.write(k, into: &out)
                out.append(UInt8(ascii: ":"))
                write(v, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func writeInt(_ n: Int64, into out: inout [UInt8]) {
        if n == 0 { out.append(UInt8(ascii: "0")); return }
        var m = n.magnitude
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var len = 0
        withUnsafeMutableBytes(of: &tmp) { p in
            while m > 0 {
                p[19 - len] = UInt8(ascii: "0") + UInt8(m % 10)
                m /= 10
                len += 1
            }
            if n < 0 { out.append(UInt8(ascii: "-")) }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: p[(20 - len)...]))
        }
    }
}
