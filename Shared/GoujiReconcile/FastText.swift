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
            let written = out.withUnsafeMutableBufferPointer { decodeScalars(b, into: $0) }
            out.removeLast(n - written)
        }
    }

    /// Decodes well-formed UTF-8 `b` into `o` (room for one scalar per byte), straight through the
    /// pointers; returns the number of scalars written. A truncated sequence at the end is skipped.
    @inline(__always)
    static func decodeScalars(_ b: UnsafeBufferPointer<UInt8>, into o: UnsafeMutableBufferPointer<UInt32>) -> Int {
        let n = b.count
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

    /// `Label.isNormal` for a String, read on its UTF-8 without generic dispatch (the row labels of
    /// every table go through it): true when normalising cannot change the label — nothing to fold,
    /// no whitespace, no leading enumerator, no colon at either end. Same bytes, same answer.
    static func isNormal(_ label: String) -> Bool {
        if let r = label.utf8.withContiguousStorageIfAvailable(normalBytes) { return r }
        return Label.isNormal(label)
    }

    static func normalBytes(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        guard n > 0 else { return true }
        let first = b[0]
        if first == 0x3A || b[n - 1] == 0x3A { return false }
        if first >= 0x30 && first <= 0x39 || first == 0x28 { return false }
        if first >= 0xE0, n >= 3 {
            let v = (UInt32(first) & 0x0F) << 12 | (UInt32(b[1]) & 0x3F) << 6 | (UInt32(b[2]) & 0x3F)
            switch v {
            case 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341, 0x767E: return false
            default: break
            }
        }
        if first == 0xE2 { return false }
        var i = 0
        while i < n {
            let c = b[i]
            // Lead bytes E4…EE (U+4000…U+EFFF, the ideographs: most of a label) need no look.
            if c &- 0xE4 <= 0xEE - 0xE4 {
                i += 3
                continue
            }
            if c < 0x80 {
                if c <= 0x20 || c == 0x7F { return false }
                i += 1
            } else if c < 0xC0 {
                i += 1
            } else if c < 0xE0 {
                if c == 0xC2 { return false }
                i += 2
            } else if c < 0xF0 {
                if c >= 0xE4 && c <= 0xEE { i += 3; continue }
                let c1: UInt8 = i + 1 < n ? b[i + 1] : 0
                if c == 0xE1 && c1 == 0x9A { return false }
                if c == 0xE2 && (c1 == 0x80 || c1 == 0x81) { return false }
                if c == 0xE3 && c1 == 0x80 && i + 2 < n && b[i + 2] == 0x80 { return false }
                if c == 0xEF && (c1 == 0xBC || c1 == 0xBD) { return false }
                i += 3
            } else {
                i += 4
            }
        }
        return true
    }

    /// `Label.normalizedFully` of a label that is simple text (see `DocumentRules.isSimple`), read on
    /// its scalars: nil for any other label. On simple text every scalar is a Character of its own
    /// and no other text is canonically equal to it, so the Character-based steps of `normalized`
    /// (width folding, whitespace removal, enumerator stripping to a fixed point, colons at either
    /// end) are these scalar steps. Simple text stays simple when folded. No hashing, no caching.
    static func normalizedSimple(_ label: String) -> String? {
        label.utf8.withContiguousStorageIfAvailable { b -> String? in
            guard DocumentRules.isSimple(b) else { return nil }
            return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: b.count + 1) { u -> String in
                // Decode, fold (U+FF01…U+FF5E to ASCII, U+3000 to a space) and drop whitespace
                // (on folded simple text: tab, space and U+205F) in one pass.
                let n = b.count
                var i = 0
                var end = 0
                while i < n {
                    let c = UInt32(b[i])
                    var v: UInt32
                    if c < 0x80 {
                        v = c
                        i += 1
                    } else {
                        // Simple text is ASCII or three-byte sequences.
                        v = (c & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
                        i += 3
                    }
                    if v >= 0xFF01 && v <= 0xFF5E { v -= 0xFEE0 } else if v == 0x3000 { v = 0x20 }
                    if v == 0x20 || v == 0x09 || v == 0x205F { continue }
                    u[end] = v
                    end += 1
                }
                var start = 0
                while true {
                    let next = stripEnumerator(u, start, end)
                    if next == start { break }
                    start = next
                }
                while start < end && (u[start] == 0x3A || u[start] == 0xFF1A) { start += 1 }
                while end > start && (u[end - 1] == 0x3A || u[end - 1] == 0xFF1A) { end -= 1 }
                // Back to UTF-8 (ASCII or three bytes per scalar).
                return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 3 * (end - start) + 1) { o -> String in
                    var k = 0
                    for j in start..<end {
                        let v = u[j]
                        if v < 0x80 {
                            o[k] = UInt8(v)
                            k += 1
                        } else {
                            o[k] = UInt8(0xE0 | (v >> 12))
                            o[k + 1] = UInt8(0x80 | ((v >> 6) & 0x3F))
                            o[k + 2] = UInt8(0x80 | (v & 0x3F))
                            k += 3
                        }
                    }
                    return String(decoding: UnsafeBufferPointer(rebasing: o[0..<k]), as: UTF8.self)
                }
            }
        } ?? nil
    }

    /// `Label.stripEnumeratorOnScalars` on scalars `u[start..<end]`: where the label starts once
    /// one leading enumerator (①, 一、, （一）, 1、, (1), 1.) is removed; `start` when there is none.
    static func stripEnumerator(_ u: UnsafeMutableBufferPointer<UInt32>, _ start: Int, _ end: Int) -> Int {
        guard start < end else { return start }
        let first = u[start]
        if (0x2460...0x2469).contains(first) || (0x2474...0x247D).contains(first) { return start + 1 }
        func isNumeral(_ v: UInt32) -> Bool {
            switch v {
            case 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341, 0x767E: return true
            default: return false
            }
        }
        func isDigit(_ v: UInt32) -> Bool { v >= 0x30 && v <= 0x39 }
        func isClose(_ v: UInt32) -> Bool { v == 0x29 || v == 0xFF09 }                    // ) ）
        let opened = first == 0x28 || first == 0xFF08                                     // ( （
        let i = opened ? start + 1 : start
        // Chinese numerals: 一、 （一） 十一、
        var j = i
        while j < end && isNumeral(u[j]) { j += 1 }
        if j > i {
            var k = j
            if k < end && isClose(u[k]) { k += 1 } else if opened { return start }
            if k < end && (u[k] == 0x3001 || u[k] == 0x2E || u[k] == 0xFF0E) { k += 1 }  // 、 . ．
            if !opened && k == j { return start } // 一般 is a word, not an enumerator
            return k
        }
        // Arabic: 1、 (1) 1. — but never a number followed by a digit (1.5).
        var digits = 0
        while digits < 2 && j < end && isDigit(u[j]) {
            j += 1
            digits += 1
        }
        if digits > 0 {
            if opened {
                if j < end && isClose(u[j]) { return j + 1 }
                return start
            }
            if j < end && (isClose(u[j]) || u[j] == 0x3001 || u[j] == 0x2E || u[j] == 0xFF0E) {
                if j + 1 < end && isDigit(u[j + 1]) { return start }
                return j + 1
            }
        }
        return start
    }

    /// A label compared with rule words: `==` on bytes when the label is simple text (see
    /// `DocumentRules.isSimple`, where canonical equality is byte equality; worked out once per
    /// label), `includes` as everywhere.
    struct Word {
        let text: String
        let simple: Bool

        init(_ text: String) {
            self.text = text
            simple = text.utf8.withContiguousStorageIfAvailable(DocumentRules.isSimple) ?? false
        }

        /// A word whose simplicity is known (a table index works it out once per label).
        init(_ text: String, simple: Bool) {
            self.text = text
            self.simple = simple
        }

        func includes(_ w: String) -> Bool { text.includes(w) }

        /// `a.text == b.text`: on bytes when both are simple text (texts of different byte
        /// lengths differ then, known before either is read). That answer, the usual one, is
        /// given inline (a call saved and restored registers around a length comparison); the
        /// rest is `same`.
        @inline(__always)
        static func == (a: Word, b: Word) -> Bool {
            if a.simple && b.simple && a.text.utf8.count != b.text.utf8.count { return false }
            return same(a, b)
        }

        /// `a.text == b.text`, on bytes when both are simple text.
        @inline(never)
        static func same(_ a: Word, _ b: Word) -> Bool {
            guard a.simple && b.simple else { return a.text == b.text }
            if a.text.utf8.count != b.text.utf8.count { return false }
            let bytes: Bool?? = a.text.utf8.withContiguousStorageIfAvailable { x -> Bool? in
                b.text.utf8.withContiguousStorageIfAvailable { y -> Bool in
                    guard x.count == y.count else { return false }
                    var i = 0
                    while i < x.count && x[i] == y[i] { i += 1 }
                    return i == x.count
                }
            }
            if let r = bytes ?? nil { return r }
            return a.text == b.text
        }

        /// `a.text == w`: on bytes when both are simple text.
        static func == (a: Word, w: String) -> Bool {
            guard a.simple else { return a.text == w }
            let bytes: Bool?? = a.text.utf8.withContiguousStorageIfAvailable { x -> Bool? in
                w.utf8.withContiguousStorageIfAvailable { y -> Bool? in
                    guard DocumentRules.isSimple(y) else { return nil }
                    guard x.count == y.count else { return false }
                    var i = 0
                    while i < x.count && x[i] == y[i] { i += 1 }
                    return i == x.count
                } ?? nil
            }
            if let b = bytes ?? nil { return b }
            return a.text == w
        }
    }

    /// `s.hasPrefix(prefix)` for the fact-key prefixes (`econ.`, `func.`, `project.`,
    /// `three_public.`): on bytes when what follows the prefix is an ASCII byte or a scalar of
    /// simple text (see `DocumentRules.isSimple`; neither can join the prefix's last character),
    /// else as `hasPrefix` reads it. No other character is canonically equivalent to a lowercase
    /// ASCII letter, `.` or `_`, so different bytes are a different prefix.
    static func starts(_ s: String, with prefix: StaticString) -> Bool {
        if let f = s.utf8.withContiguousStorageIfAvailable({ starts($0, with: prefix) }) ?? nil { return f }
        return s.hasPrefix(prefix.description)
    }

    /// `starts` on a String's UTF-8 `b`; nil where the bytes do not tell (what follows the prefix
    /// might join its last character) and `hasPrefix` must decide.
    @inline(__always)
    static func starts(_ b: UnsafeBufferPointer<UInt8>, with prefix: StaticString) -> Bool? {
        let p = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        guard b.count >= p.count else { return false }
        var i = 0
        while i < p.count {
            if b[i] != p[i] { return false }
            i += 1
        }
        if b.count == p.count || b[p.count] < 0x80 { return true }
        // A three-byte scalar of simple text (a CJK label after `func.`, `project.`) never joins
        // the character before it either.
        let c = b[p.count]
        if c >= 0xE0 && c < 0xF0 && p.count + 2 < b.count {
            let v = (UInt32(c) & 0x0F) << 12 | (UInt32(b[p.count + 1]) & 0x3F) << 6 | (UInt32(b[p.count + 2]) & 0x3F)
            if DocumentRules.isSimpleScalar(v) { return true }
        }
        return nil
    }

    /// `s == literal` for a literal of lowercase ASCII letters, `.` and `_` (a fact's part or key):
    /// no other character is canonically equivalent to any of them, so a String equal to the
    /// literal is these very bytes, and one of another byte length differs (a String's length
    /// is stored, not counted).
    static func equals(_ s: String, _ literal: StaticString) -> Bool {
        s.utf8.count == literal.utf8CodeUnitCount && starts(s, with: literal)
    }

    /// `String(s.dropFirst(prefix.count))` for a string `starts(s, with: prefix)` holds for: an
    /// ASCII prefix is one character per byte, and what follows it starts a character (see
    /// `cut`), so the cut is made on UTF-8 bytes instead of walking characters.
    static func after(_ s: String, prefix: StaticString) -> String {
        let n = prefix.utf8CodeUnitCount
        let cut: String?? = s.utf8.withContiguousStorageIfAvailable { b -> String? in
            guard FastText.cut(b, at: n) else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: b[n...]), as: UTF8.self)
        }
        if let c = cut ?? nil { return c }
        return String(s.dropFirst(prefix.description.count))
    }

    /// Whether the first `n` bytes of `b` are ASCII (`n` characters) and what follows starts a
    /// character of its own — an ASCII byte or a scalar of simple text (as in `starts`) — so that
    /// dropping `n` characters is dropping `n` bytes. False where the character walk must decide.
    static func cut(_ b: UnsafeBufferPointer<UInt8>, at n: Int) -> Bool {
        guard b.count >= n else { return false }
        var i = 0
        while i < n {
            if b[i] >= 0x80 { return false }
            i += 1
        }
        if n < b.count && b[n] >= 0x80 {
            let c = b[n]
            guard c >= 0xE0 && c < 0xF0 && n + 2 < b.count else { return false }
            let v = (UInt32(c) & 0x0F) << 12 | (UInt32(b[n + 1]) & 0x3F) << 6 | (UInt32(b[n + 2]) & 0x3F)
            guard DocumentRules.isSimpleScalar(v) else { return false }
        }
        return true
    }

    /// `!s.isEmpty && s.allSatisfy { $0.isASCII && $0.isNumber }`: only ASCII digits, at least one.
    static func isDigits(_ s: String) -> Bool {
        var any = false
        for b in s.utf8 {
            guard b >= 0x30 && b <= 0x39 else { return false }
            any = true
        }
        return any
    }
}

/// Which words of a fixed list a text includes, each as `includes` answers (a literal UTF-8
/// match; an empty word never matches), found in one pass over the text instead of one search per
/// word: a match starts where a scalar starts, so at each scalar only the words beginning with that
/// scalar (looked up in a slot table by its low bits) are compared. Up to 64 words.
struct WordSet: Sendable {
    let words: [String]
    /// The words' bytes laid out flat: word k is `flat[starts[k]..<starts[k + 1]]`.
    private let flat: [UInt8]
    private let starts: [Int]
    /// By `scalar & mask`: the first scalar of some word (`UInt32.max` when none), and the words
    /// (bit k: word k) that begin with it. `mask` is the fewest low bits that tell the first
    /// scalars apart.
    private let slotScalar: [UInt32]
    private let slotWords: [UInt64]
    private let mask: UInt32

    init(_ words: [String]) {
        self.words = words
        var flat: [UInt8] = []
        var starts: [Int] = []
        var firsts: [UInt32] = []
        for w in words.prefix(64) {
            starts.append(flat.count)
            flat += Array(w.utf8)
            firsts.append(w.unicodeScalars.first?.value ?? UInt32.max)
        }
        starts.append(flat.count)
        let distinct = Array(Set(firsts.filter { $0 != UInt32.max }))
        var bits: UInt32 = 4
        while bits < 21 && Set(distinct.map { $0 & ((1 << bits) - 1) }).count < distinct.count { bits += 1 }
        let size = 1 << Int(bits)
        var slotScalar = [UInt32](repeating: UInt32.max, count: size)
        var slotWords = [UInt64](repeating: 0, count: size)
        for (k, f) in firsts.enumerated() where f != UInt32.max {
            let s = Int(f) & (size - 1)
            slotScalar[s] = f
            slotWords[s] |= 1 << UInt64(k)
        }
        self.flat = flat
        self.starts = starts
        self.slotScalar = slotScalar
        self.slotWords = slotWords
        mask = UInt32(size - 1)
    }

    /// Bit k set when `text.includes(words[k])`.
    func present(_ text: String) -> UInt64 {
        if words.count <= 64, let found = text.utf8.withContiguousStorageIfAvailable(present) { return found }
        var found: UInt64 = 0
        for (k, w) in words.prefix(64).enumerated() where text.includes(w) { found |= 1 << UInt64(k) }
        return found
    }

    /// `present` on valid UTF-8.
    func present(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let n = b.count
        var found: UInt64 = 0
        flat.withUnsafeBufferPointer { f in
            slotScalar.withUnsafeBufferPointer { scalars in
                slotWords.withUnsafeBufferPointer { slots in
                    starts.withUnsafeBufferPointer { starts in
                        var i = 0
                        while i < n {
                            let c = UInt32(b[i])
                            let v: UInt32
                            let width: Int
                            // (A three-byte scalar, CJK text's, is tested for first.)
                            if c &- 0xE0 < 0x10 {
                                guard i + 2 < n else { return }
                                v = (c & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
                                width = 3
                            } else if c < 0x80 {
                                v = c
                                width = 1
                            } else if c < 0xE0 {
                                guard i + 1 < n else { return }
                                v = (c & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F)
                                width = 2
                            } else {
                                guard i + 3 < n else { return }
                                v = (c & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6 | UInt32(b[i + 3] & 0x3F)
                                width = 4
                            }
                            let s = Int(v & mask)
                            if scalars[s] == v {
                                var candidates = slots[s] & ~found
                                while candidates != 0 {
                                    let k = candidates.trailingZeroBitCount
                                    candidates &= candidates - 1
                                    let lo = starts[k], len = starts[k + 1] - lo
                                    guard i + len <= n else { continue }
                                    var j = width
                                    while j < len && b[i + j] == f[lo + j] { j += 1 }
                                    if j == len { found |= 1 << UInt64(k) }
                                }
                            }
                            i += width
                        }
                    }
                }
            }
        }
        return found
    }

    /// Bit of word `w` in `present`'s answer (0 for a word not in the list).
    func bit(_ w: String) -> UInt64 {
        guard let k = words.prefix(64).firstIndex(of: w) else { return 0 }
        return 1 << UInt64(k)
    }
}
