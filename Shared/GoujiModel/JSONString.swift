/// The one JSON string writer (the wire's, the canonical document encoder's, the store's answers):
/// `"` `\\` and control characters escaped as Foundation's JSONEncoder escapes them (`\n`, `\b`,
/// `\u001f`), '/' and non-ASCII text written as they are. Runs of plain bytes are copied whole.
package enum JSONString {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    package static func write(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { u in
            let raw = UnsafeRawBufferPointer(u)
            var runStart = 0
            var k = 0
            while k < u.count {
                k = UTF8Scan.firstSpecial(raw, from: k)
                if k == u.count { break }
                let c = u[k]
                if runStart < k { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart..<k])) }
                switch c {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
                case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
                default:
                    out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 0xF)]])
                }
                k += 1
                runStart = k
            }
            if runStart < u.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart..<u.count])) }
        }
        out.append(UInt8(ascii: "\""))
    }
}
