#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Literal substring search on UTF-8 bytes, for every module that asks "does this text contain this
/// word" in a hot loop (Foundation's `contains`/`range(of:)` fold through NSString; String's own
/// search compares Characters).
package enum ByteSearch {
    /// The first offset ≥ `from` where `needle` occurs in `hay`; nil for an empty needle.
    package static func first(_ needle: UnsafeBufferPointer<UInt8>, in hay: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
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
            // The first byte compared inline before the whole word: most anchors found are
            // another character's last byte, and the call to memcmp costs more than this test.
            if base[start] == nb[0] && memcmp(base + start, nb, n) == 0 { return start }
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

    /// The last offset where `needle` occurs in `hay`; nil for an empty needle.
    package static func last(_ needle: UnsafeBufferPointer<UInt8>, in hay: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = needle.count, h = hay.count
        guard n > 0, h >= n else { return nil }
        var i = h - n
        while i >= 0 {
            if hay[i] == needle[0] {
                var k = 1
                while k < n && hay[i + k] == needle[k] { k += 1 }
                if k == n { return i }
            }
            i -= 1
        }
        return nil
    }
}
