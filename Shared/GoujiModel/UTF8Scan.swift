/// Byte-level helpers shared by the JSON readers and writers of every module (8 bytes at a time
/// where it pays).
package enum UTF8Scan {
    package static let ones: UInt64 = 0x0101_0101_0101_0101
    package static let highs: UInt64 = 0x8080_8080_8080_8080

    /// True when the 8 bytes of `w` contain a byte that needs attention inside a JSON string:
    /// '"', '\\' or a control character (< 0x20).
    @inline(__always) package static func needsAttention(_ w: UInt64) -> Bool {
        let quote = w ^ (ones &* 0x22)
        let backslash = w ^ (ones &* 0x5C)
        let hasQuote = (quote &- ones) & ~quote & highs
        let hasBackslash = (backslash &- ones) & ~backslash & highs
        let hasControl = (w &- ones &* 0x20) & ~w & highs
        return (hasQuote | hasBackslash | hasControl) != 0
    }

    /// Index of the first byte at or after `from` that is '"', '\\' or < 0x20 (or `p.count`).
    @inline(__always) package static func firstSpecial(_ p: UnsafeRawBufferPointer, from: Int) -> Int {
        var high = false
        return firstSpecial(p, from: from, sawNonASCII: &high)
    }

    /// As `firstSpecial(_:from:)`, also reporting whether a byte ≥ 0x80 was passed (so an all-ASCII
    /// string needs no UTF-8 validation pass).
    @inline(__always) package static func firstSpecial(_ p: UnsafeRawBufferPointer, from: Int, sawNonASCII: inout Bool) -> Int {
        var k = from
        let n = p.count
        var high: UInt64 = 0
        while k + 8 <= n {
            let w = p.loadUnaligned(fromByteOffset: k, as: UInt64.self)
            if needsAttention(w) { break }
            high |= w
            k += 8
        }
        if high & highs != 0 { sawNonASCII = true }
        while k < n {
            let c = p[k]
            if c == 0x22 || c == 0x5C || c < 0x20 { return k }
            if c >= 0x80 { sawNonASCII = true }
            k += 1
        }
        return n
    }

    /// Strict UTF-8 validation (no overlongs, no surrogates, nothing above U+10FFFF).
    package static func isValid(_ p: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = p.count
        while i < n {
            if i + 8 <= n, p.loadUnaligned(fromByteOffset: i, as: UInt64.self) & highs == 0 { i += 8; continue }
            let c = p[i]
            if c < 0x80 { i += 1; continue }
            if c < 0xC2 { return false }
            if c < 0xE0 {
                guard i + 1 < n, p[i + 1] & 0xC0 == 0x80 else { return false }
                i += 2
                continue
            }
            if c < 0xF0 {
                guard i + 2 < n else { return false }
                let c1 = p[i + 1], c2 = p[i + 2]
                guard c1 & 0xC0 == 0x80, c2 & 0xC0 == 0x80 else { return false }
                if c == 0xE0 && c1 < 0xA0 { return false }
                if c == 0xED && c1 >= 0xA0 { return false }
                i += 3
                continue
            }
            if c < 0xF5 {
                guard i + 3 < n else { return false }
                let c1 = p[i + 1], c2 = p[i + 2], c3 = p[i + 3]
                guard c1 & 0xC0 == 0x80, c2 & 0xC0 == 0x80, c3 & 0xC0 == 0x80 else { return false }
                if c == 0xF0 && c1 < 0x90 { return false }
                if c == 0xF4 && c1 >= 0x90 { return false }
                i += 4
                continue
            }
            return false
        }
        return true
    }

    /// The String of `bytes`, which the caller knows to be valid UTF-8 (a String's own bytes, cut
    /// between scalars), copied as they are: `String(decoding:)` would validate them again, and costs
    /// about three times as much on a label or a line. `isASCII` is a hint: a String told false of
    /// ASCII bytes is the same String. Where `UTF8Span` is not available, the bytes are decoded.
    @inlinable @inline(__always)
    package static func stringOfValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>, isASCII: Bool = false) -> String {
        if #available(macOS 26.0, *) {
            // The span lives only for this call, while `bytes` is borrowed.
            return String(copying: UTF8Span(unchecked: bytes.span, isKnownASCII: isASCII))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A String from bytes that must be valid UTF-8 (nil otherwise).
    @inline(__always) package static func string(_ p: UnsafeRawBufferPointer) -> String? {
        guard isValid(p) else { return nil }
        return String(decoding: p.bindMemory(to: UInt8.self), as: UTF8.self)
    }
}
