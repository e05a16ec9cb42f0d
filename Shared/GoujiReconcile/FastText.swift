import GoujiModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Substring search on UTF-8 bytes. The rules ask "does this label or line contain this word?"
/// thousands of times per document; Foundation's `contains` answers through NSString with
/// locale-aware folding (most of the reconciler's time). A literal byte search gives the same
/// answer for the words the rules look for, like Foundation never finding an empty word.
extension StringProtocol {
    /// True when `word` occurs in the text (literal UTF-8 match); false for an empty `word`.
    func includes(_ word: String) -> Bool {
        firstUTF8Offset(of: word) != nil
    }

    /// The range of the first occurrence of `word`, if any (a literal UTF-8 match).
    func rangeOfWord(_ word: String) -> Range<Index>? {
        guard let o = firstUTF8Offset(of: word) else { return nil }
        let lower = utf8.index(utf8.startIndex, offsetBy: o)
        return lower..<utf8.index(lower, offsetBy: word.utf8.count)
    }

    /// The UTF-8 offset of the first occurrence of `word` at or after `from`, if any.
    func firstUTF8Offset(of word: String, from: Int = 0) -> Int? {
        // Native strings and literals are contiguous: no copies on the usual path.
        let fast: Int?? = word.utf8.withContiguousStorageIfAvailable { needle -> Int?? in
            self.utf8.withContiguousStorageIfAvailable { FastText.find(needle, in: $0, from: from) }
        } ?? nil
        if let fast { return fast }
        var w = word
        var copy = String(self)
        return w.withUTF8 { needle in copy.withUTF8 { FastText.find(needle, in: $0, from: from) } }
    }
}

enum FastText {
    /// `Label.normalized(label)`, answered without work for the usual label that it leaves as is:
    /// a byte scan proves there is nothing to fold, no whitespace, no leading enumerator and no
    /// colon at either end; anything else goes to `Label.normalized` (the one definition).
    static func normalized(_ label: String) -> String {
        isNormal(label) ? label : Label.normalized(label)
    }

    /// True when `Label.normalized(label) == label` is certain from the bytes alone.
    static func isNormal(_ label: String) -> Bool {
        var s = label
        let scan = { (b: UnsafeBufferPointer<UInt8>) -> Bool in
            let n = b.count
            guard n > 0 else { return true }
            // A leading enumerator starts with an ASCII digit or bracket, a full-width bracket, a
            // circled number or a Chinese numeral; a colon at either end is stripped.
            let first = b[0]
            if first == 0x3A || b[n - 1] == 0x3A { return false }
            if first >= 0x30 && first <= 0x39 || first == 0x28 { return false }
            if first >= 0xE0, n >= 3, enumeratorStarts.contains(decode3(b[0], b[1], b[2])) { return false }
            if first == 0xE2 { return false } // circled numbers (U+2460…)
            // Scalar by scalar (every pattern below starts at a lead byte).
            var i = 0
            while i < n {
                let c = b[i]
                if c < 0x80 {
                    if c <= 0x20 || c == 0x7F { return false }                       // ASCII whitespace
                    i += 1
                } else if c < 0xC0 {
                    i += 1                                                             // (not a lead byte)
                } else if c < 0xE0 {
                    if c == 0xC2 { return false }                                      // U+0085, U+00A0
                    i += 2
                } else if c < 0xF0 {
                    if c >= 0xE4 && c <= 0xEE { i += 3; continue }                    // CJK and most others
                    let c1: UInt8 = i + 1 < n ? b[i + 1] : 0
                    if c == 0xE1 && c1 == 0x9A { return false }                        // U+1680
                    if c == 0xE2 && (c1 == 0x80 || c1 == 0x81) { return false }       // U+2000…U+205F
                    if c == 0xE3 && c1 == 0x80 && i + 2 < n && b[i + 2] == 0x80 { return false } // U+3000
                    if c == 0xEF && (c1 == 0xBC || c1 == 0xBD) { return false }       // full-width forms
                    i += 3
                } else {
                    i += 4
                }
            }
            return true
        }
        let unchanged = label.utf8.withContiguousStorageIfAvailable(scan) ?? s.withUTF8(scan)
        return unchanged
    }

    private static func decode3(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt32 {
        (UInt32(a) & 0x0F) << 12 | (UInt32(b) & 0x3F) << 6 | (UInt32(c) & 0x3F)
    }

    /// Chinese numerals that may open an enumerator (一、 十一、 百).
    private static let enumeratorStarts: [UInt32] = [
        0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341, 0x767E,
    ]

    /// The Unicode scalar values of `s`, decoded from its UTF-8 into `out` (reused between lines).
    static func scalars(of s: String, into out: inout [UInt32]) {
        out.removeAll(keepingCapacity: true)
        var s = s
        s.withUTF8 { b in
            let n = b.count
            var i = 0
            while i < n {
                let c = UInt32(b[i])
                if c < 0x80 {
                    out.append(c)
                    i += 1
                } else if c < 0xE0, i + 1 < n {
                    out.append((c & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F))
                    i += 2
                } else if c < 0xF0, i + 2 < n {
                    out.append((c & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F))
                    i += 3
                } else if i + 3 < n {
                    out.append((c & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6 | UInt32(b[i + 3] & 0x3F))
                    i += 4
                } else {
                    i += 1
                }
            }
        }
    }

    /// The first offset ≥ `from` where `needle` occurs in `hay`; nil for an empty needle.
    static func find(_ needle: UnsafeBufferPointer<UInt8>, in hay: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
        let n = needle.count, h = hay.count
        guard n > 0, h >= n, from >= 0 else { return nil }
        let last = h - n
        #if canImport(Glibc) || canImport(Darwin)
        // memchr (vectorised) to the needle's last byte — for a Chinese word a continuation byte,
        // rarer than a lead byte — then compare the whole word there.
        guard let base = hay.baseAddress, let nb = needle.baseAddress else { return nil }
        let anchor = Int32(needle[n - 1])
        var i = from
        while i <= last {
            guard let p = memchr(base + i + n - 1, anchor, last - i + 1) else { return nil }
            let start = base.distance(to: p.assumingMemoryBound(to: UInt8.self)) - (n - 1)
            if memcmp(base + start, nb, n) == 0 { return start }
            i = start + 1
        }
        return nil
        #else
        let first = needle[0]
        var i = from
        while i <= last {
            if hay[i] == first {
                var k = 1
                while k < n && hay[i + k] == needle[k] { k += 1 }
                if k == n { return i }
            }
            i += 1
        }
        return nil
        #endif
    }
}
