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
            self.utf8.withContiguousStorageIfAvailable { ByteSearch.first(needle, in: $0, from: from) }
        } ?? nil
        if let fast { return fast }
        var w = word
        var copy = String(self)
        return w.withUTF8 { needle in copy.withUTF8 { ByteSearch.first(needle, in: $0, from: from) } }
    }
}

enum FastText {
    /// The Unicode scalar values of `s`, decoded from its UTF-8 into `out` (reused between lines).
    static func scalars(of s: String, into out: inout [UInt32]) {
        var s = s
        s.withUTF8 { b in
            let n = b.count
            // At most one scalar per byte: the reused buffer is sized to the bytes, written
            // straight through a pointer (no append checks), then cut to the scalars written.
            out.removeAll(keepingCapacity: true)
            out.append(contentsOf: repeatElement(0, count: n))
            let written = out.withUnsafeMutableBufferPointer { o -> Int in
                var i = 0
                var k = 0
                while i < n {
                    let c = UInt32(b[i])
                    if c < 0x80 {
                        o[k] = c
                        k += 1
                        i += 1
                    } else if c < 0xE0, i + 1 < n {
                        o[k] = (c & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F)
                        k += 1
                        i += 2
                    } else if c < 0xF0, i + 2 < n {
                        o[k] = (c & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
                        k += 1
                        i += 3
                    } else if i + 3 < n {
                        o[k] = (c & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6 | UInt32(b[i + 3] & 0x3F)
                        k += 1
                        i += 4
                    } else {
                        i += 1
                    }
                }
                return k
            }
            out.removeLast(n - written)
        }
    }
}
