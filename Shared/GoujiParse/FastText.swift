import GoujiModel

#if canImport(Glibc)
import Glibc
#endif

/// The parser's text primitives, on UTF-8 bytes and unicode scalars instead of Characters:
/// splitting, trimming, searching and filtering lines without grapheme breaking or Unicode
/// normalisation. They agree with the Character-based reading on every text where each scalar is
/// a Character of its own (CJK, ASCII, full-width forms, the usual spaces: see FastTextTests);
/// helpers that keep a Character fallback say so.
enum FastText {
    /// True when `s` may hold a whitespace scalar (any Unicode White_Space: ASCII 09–0D/20, U+0085,
    /// U+00A0, U+1680, U+2000–U+205F, U+3000). Conservative: a false "true" only costs the slow path.
    @inline(__always)
    static func mayHaveWhitespace(_ s: some StringProtocol) -> Bool {
        scanUTF8(s) { buf in
            var i = 0
            let n = buf.count
            while i < n {
                let b = buf[i]
                if b &- 0xE4 < 6 {
                    // A run of ideographs (lead bytes E4–E9, U+4000–U+9FFF: no whitespace) in a
                    // loop of its own. (Wrapping arithmetic: a byte is read only below `n`.)
                    var j = i &+ 3
                    while j < n && buf[j] &- 0xE4 < 6 { j &+= 3 }
                    i = j
                    continue
                }
                if b < 0x80 {
                    if b == 0x20 || (b >= 0x09 && b <= 0x0D) { return true }
                } else if b == 0xC2 || b == 0xE1 {
                    return true
                } else if b == 0xE2 {
                    if i + 1 < n, buf[i + 1] == 0x80 || buf[i + 1] == 0x81 { return true }
                } else if b == 0xE3 {
                    if i + 2 < n, buf[i + 1] == 0x80, buf[i + 2] == 0x80 { return true }
                }
                // Scalar by scalar: ASCII and the lead bytes C2, E1, E2, E3 only start scalars, so
                // the rest of a multi-byte scalar is skipped unread.
                i += scalarLength(lead: b)
            }
            return false
        }
    }

    /// True when the bytes contain `byte`.
    @inline(__always)
    static func hasByte(_ s: some StringProtocol, _ byte: UInt8) -> Bool {
        scanUTF8(s) { containsByte($0, byte) }
    }

    /// True when `buf` contains `byte` (memchr where available).
    @inline(__always)
    static func containsByte(_ buf: UnsafeBufferPointer<UInt8>, _ byte: UInt8) -> Bool {
        #if canImport(Glibc)
        guard let base = buf.baseAddress else { return false }
        return memchr(base, Int32(byte), buf.count) != nil
        #else
        return buf.contains(byte)
        #endif
    }

    /// The first index in `lower..<upper` where `buf` holds `byte` (memchr where available).
    @inline(__always)
    static func firstIndex(of byte: UInt8, in buf: UnsafeBufferPointer<UInt8>, _ lower: Int, _ upper: Int) -> Int? {
        guard lower < upper else { return nil }
        #if canImport(Glibc)
        guard let base = buf.baseAddress, let p = memchr(base + lower, Int32(byte), upper - lower) else { return nil }
        return base.distance(to: p.assumingMemoryBound(to: UInt8.self))
        #else
        var i = lower
        while i < upper { if buf[i] == byte { return i }; i += 1 }
        return nil
        #endif
    }

    @inline(__always)
    static func scanUTF8<R>(_ s: some StringProtocol, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let r = s.utf8.withContiguousStorageIfAvailable(body) { return r }
        var copy = String(s)
        return copy.withUTF8(body)
    }

    /// True when a scalar of this value always forms a Character on its own (a grapheme break on
    /// both sides, whatever its neighbours): ASCII but CR, Latin-1, general punctuation but ZWNJ/ZWJ,
    /// symbols, CJK (without the combining tone and kana marks), full-width forms (without the
    /// half-width voicing marks). Conservative: anything else answers false.
    @inline(__always)
    static func isOwnCharacter(_ v: UInt32) -> Bool {
        switch v {
        case 0..<0x80: return v != 0x0D
        case 0xA0...0xFF: return true
        case 0x2000...0x20CF: return v != 0x200C && v != 0x200D
        case 0x2100...0x2BFF: return true
        case 0x2E80...0x3029, 0x3030...0x3098, 0x309B...0x9FFF: return true
        case 0xF900...0xFAFF, 0xFE30...0xFE4F: return true
        case 0xFF00...0xFFEF: return v != 0xFF9E && v != 0xFF9F
        case 0xFFFD: return true
        default: return false
        }
    }

    /// Decodes the 1–3-byte UTF-8 scalar at `i` (its value and length); nil for a 4-byte or
    /// truncated sequence, which the callers hand to their slow path.
    @inline(__always)
    static func decodeScalar(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int)? {
        let n = buf.count
        let b0 = buf[i]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        if b0 < 0xE0, i + 1 < n { return ((UInt32(b0 & 0x1F) << 6) | UInt32(buf[i + 1] & 0x3F), 2) }
        if b0 < 0xF0, i + 2 < n {
            return ((UInt32(b0 & 0x0F) << 12) | (UInt32(buf[i + 1] & 0x3F) << 6) | UInt32(buf[i + 2] & 0x3F), 3)
        }
        return nil
    }

    /// The scalar at `i` (value and length) when it is a Character by itself (`isOwnCharacter`,
    /// so never CR); nil otherwise, which sends the line splitters to their Character path.
    @inline(__always)
    static func ownCharacter(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int)? {
        let b = buf[i]
        if b < 0x80 { return b == 0x0D ? nil : (UInt32(b), 1) }
        guard let (value, length) = decodeScalar(buf, at: i), isOwnCharacter(value) else { return nil }
        return (value, length)
    }

    /// True when `needle` occurs in `hay` starting at byte `offset` (false when it would not fit).
    @inline(__always)
    static func bytes(_ needle: UnsafeBufferPointer<UInt8>, occurAt offset: Int, in hay: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = needle.count
        guard offset >= 0, hay.count - offset >= n else { return false }
        var i = 0
        // Four bytes at a time first (a word of two ideographs is six bytes, and most of the words
        // compared share their lead byte with the text's): unaligned loads, each within both
        // buffers (`i + 4 <= n`, and the text holds `n` bytes from `offset`).
        if n >= 4, let h = hay.baseAddress, let w = needle.baseAddress {
            let text = UnsafeRawPointer(h + offset), word = UnsafeRawPointer(w)
            while i + 4 <= n {
                if text.loadUnaligned(fromByteOffset: i, as: UInt32.self) != word.loadUnaligned(fromByteOffset: i, as: UInt32.self) {
                    return false
                }
                i += 4
            }
        }
        while i < n { if hay[offset + i] != needle[i] { return false }; i += 1 }
        return true
    }

    /// `s.count` (Characters): the scalar count when every scalar is its own Character
    /// (`isOwnCharacter`), which skips grapheme breaking; the Character count otherwise.
    static func characterCount(_ s: some StringProtocol) -> Int {
        let fast = scanUTF8(s) { buf -> Int in
            var count = 0
            var i = 0
            let n = buf.count
            while i < n {
                // A run of ideographs (lead bytes E4–E9: U+4000–U+9FFF, each its own Character)
                // is counted without decoding. (Wrapping arithmetic: indices stay below `n`.)
                if buf[i] &- 0xE4 < 6 && i < n &- 2 {
                    var j = i
                    repeat {
                        count &+= 1
                        j &+= 3
                    } while j < n &- 2 && buf[j] &- 0xE4 < 6
                    i = j
                    continue
                }
                guard let (v, len) = decodeScalar(buf, at: i) else { return -1 }
                guard isOwnCharacter(v) else { return -1 }
                count += 1
                i += len
            }
            return count
        }
        return fast >= 0 ? fast : s.count
    }

    /// `s` without its whitespace scalars (Unicode White_Space).
    static func removingWhitespace(_ s: String) -> String {
        mayHaveWhitespace(s) ? removingScalars(s, where: isWhitespaceScalar) : s
    }

    /// `s` without its space scalars (`SourceText.isSpaceScalar`).
    static func removingSpaces(_ s: String) -> String {
        mayHaveWhitespace(s) ? removingScalars(s, where: SourceText.isSpaceScalar) : s
    }

    /// `s` without the scalars `drop` names. Only ASCII and the scalars led by C2, E1, E2 or E3
    /// (where every whitespace scalar lives) are decoded and asked about; any other scalar's bytes
    /// are copied as they are: callers' `drop` must answer false for those (whitespace, spaces, `*`).
    /// The kept bytes are whole scalars of a String, so valid UTF-8: they are written to a scratch
    /// buffer (on the stack for a line) and copied into the new String without the validation pass
    /// `String(unsafeUninitializedCapacity:)` makes over what it is given.
    @inline(__always)
    static func removingScalars(_ s: String, where drop: (Unicode.Scalar) -> Bool) -> String {
        let n = s.utf8.count
        guard n > 0 else { return s }
        return scanUTF8(s) { buf in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n) { out -> String in
                var i = 0
                var k = 0
                while i < n {
                    let b0 = buf[i]
                    if b0 < 0x80 {
                        if !drop(Unicode.Scalar(b0)) { out[k] = b0; k += 1 }
                        i += 1
                    } else if b0 == 0xC2, i + 1 < n {
                        let v = (UInt32(b0 & 0x1F) << 6) | UInt32(buf[i + 1] & 0x3F)
                        if !(Unicode.Scalar(v).map(drop) ?? false) { out[k] = b0; out[k + 1] = buf[i + 1]; k += 2 }
                        i += 2
                    } else if b0 &- 0xE4 < 6 && i < n &- 2 {
                        // A run of ideographs (lead bytes E4–E9, never asked about: see above),
                        // copied three bytes at a time. (Wrapping arithmetic: `k <= i < n`.)
                        var j = i
                        repeat {
                            out[k] = buf[j]; out[k &+ 1] = buf[j &+ 1]; out[k &+ 2] = buf[j &+ 2]
                            k &+= 3
                            j &+= 3
                        } while j < n &- 2 && buf[j] &- 0xE4 < 6
                        i = j
                    } else if b0 >= 0xE1 && b0 <= 0xE3, i + 2 < n {
                        let v = (UInt32(b0 & 0x0F) << 12) | (UInt32(buf[i + 1] & 0x3F) << 6) | UInt32(buf[i + 2] & 0x3F)
                        if !(Unicode.Scalar(v).map(drop) ?? false) {
                            out[k] = b0; out[k + 1] = buf[i + 1]; out[k + 2] = buf[i + 2]; k += 3
                        }
                        i += 3
                    } else {
                        out[k] = b0
                        k += 1
                        i += 1
                    }
                }
                return UTF8Scan.stringOfValidUTF8(UnsafeBufferPointer(rebasing: out[..<k]))
            }
        }
    }

    /// A string from scalars, built as UTF-8 bytes (`String.UnicodeScalarView.append` pays a
    /// few hundred instructions per scalar).
    @inline(__always)
    static func string(_ scalars: some Sequence<Unicode.Scalar>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.underestimatedCount * 3)
        for u in scalars { UTF8.encode(u) { bytes.append($0) } }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Unicode White_Space, by value (no property-table lookup).
    @inline(__always)
    static func isWhitespaceScalar(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// The String of bytes `r` of `s`'s UTF-8, `r` cut at scalar boundaries: a copy of those bytes
    /// that, unlike `String(decoding:)`, does not validate them again (a String's bytes are valid
    /// UTF-8, and so is any range of them between scalars).
    @inline(__always)
    static func slice(_ s: String, _ r: Range<Int>) -> String {
        let u = s.utf8
        let lower = u.index(u.startIndex, offsetBy: r.lowerBound)
        return String(s[lower..<u.index(lower, offsetBy: r.count)])
    }

    /// The length of the UTF-8 scalar that starts with byte `b` (1 for ASCII, and for a
    /// continuation byte, which never starts a scalar of a String: a scan then goes on byte by
    /// byte). A scan for bytes that only start scalars (ASCII, lead bytes) may step by it.
    @inline(__always)
    static func scalarLength(lead b: UInt8) -> Int {
        b >= 0xF0 ? 4 : (b >= 0xE0 ? 3 : (b >= 0xC0 ? 2 : 1))
    }

    /// The most UTF-8 bytes a String keeps inline (a small String: no storage allocated).
    static var smallStringBytes: Int { 15 }

    /// `slice(s, r)` where `bytes` is `s`'s UTF-8 and `isASCII` tells whether `bytes[r]` is all
    /// ASCII: the bytes copied into a new String as they are, neither validated again (they are a
    /// String's, cut between scalars) nor scanned for ASCII (the caller's scan already knows, or
    /// `isASCII(_:)` tells). `bytes` may start `origin` bytes into `s`'s UTF-8 (a reader over part
    /// of a line): `bytes[r]` is then `s`'s bytes `origin + r`.
    /// `UTF8Span(unchecked:)` and `String(copying:)` cost about 260 instructions for a 50-byte line
    /// against 760 for the slice (its index checks and Substring copy) and 890 for
    /// `String(decoding:)` (measured). Where they are not available: a range that makes a small
    /// String (at most `smallStringBytes`) is decoded from the bytes, cheaper than a slice then, and
    /// a longer one is sliced. The same String every way.
    @inline(__always)
    static func copy(_ r: Range<Int>, of s: String, bytes: UnsafeBufferPointer<UInt8>, origin: Int = 0,
                     isASCII: Bool) -> String {
        if #available(macOS 26.0, *) {
            // `bytes[r]` is in bounds (`rebasing` traps otherwise) and valid UTF-8 (above).
            return UTF8Scan.stringOfValidUTF8(UnsafeBufferPointer(rebasing: bytes[r]), isASCII: isASCII)
        }
        if r.count <= smallStringBytes { return String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self) }
        return slice(s, origin + r.lowerBound..<origin + r.upperBound)
    }

    /// `copy`'s ASCII flag for bytes no scan of the caller has looked at. Bytes that make a small
    /// String (at most `smallStringBytes`) are not scanned: a small String takes its ASCII flag
    /// from its own bytes, whatever it is told. The flag is only a hint either way (a String
    /// told false of ASCII bytes is the same String, only its later reads take the slower path).
    @inline(__always)
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if bytes.count <= smallStringBytes { return false }
        var high: UInt8 = 0
        for b in bytes { high |= b }
        return high < 0x80
    }

    /// The byte range of `buf` without leading and trailing space scalars (`SourceText.isSpaceScalar`).
    /// (Inlined: every line of a text is trimmed, and most have nothing to trim, two tests.)
    @inline(__always)
    static func trimmedRange(_ buf: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
        var a = 0
        while a < buf.count {
            let n = spaceLength(buf, at: a)
            if n == 0 { break }
            a += n
        }
        var b = buf.count
        while b > a {
            let last = buf[b - 1]
            if last == 0x20 || last == 0x09 { b -= 1; continue }
            if last == 0xA0, b - 2 >= a, buf[b - 2] == 0xC2 { b -= 2; continue }
            if b - 3 >= a, (last == 0x80 && buf[b - 2] == 0x80 && buf[b - 3] == 0xE3)
                || ((last == 0x82 || last == 0x83) && buf[b - 2] == 0x80 && buf[b - 3] == 0xE2) { b -= 3; continue }
            break
        }
        return (a, b)
    }
}


/// Byte-level (UTF-8) substring, prefix and suffix tests: exact for the whole-character needles the
/// parser uses, and free of the grapheme breaking and Unicode normalisation that `String.contains`,
/// `hasPrefix` and `hasSuffix` pay on every call. One implementation for every reader.
extension StringProtocol {
    /// True when the UTF-8 bytes contain `needle`'s. (`from:` given: its default is a call.)
    @inline(__always)
    func has(_ needle: String) -> Bool {
        var needle = needle
        return needle.isEmpty || needle.withUTF8 { nd in FastText.scanUTF8(self) { ByteSearch.first(nd, in: $0, from: 0) != nil } }
    }

    /// True when the UTF-8 bytes start with `prefix`'s.
    @inline(__always)
    func begins(with prefix: String) -> Bool {
        var prefix = prefix
        return prefix.withUTF8 { p in FastText.scanUTF8(self) { h in FastText.bytes(p, occurAt: 0, in: h) } }
    }

    /// True when the UTF-8 bytes end with `suffix`'s.
    @inline(__always)
    func ends(with suffix: String) -> Bool {
        var suffix = suffix
        return suffix.withUTF8 { p in FastText.scanUTF8(self) { h in FastText.bytes(p, occurAt: h.count - p.count, in: h) } }
    }
}

extension StringProtocol where Index == String.Index {
    /// The first (or, `backwards`, the last) range of `needle`'s UTF-8 bytes: `range(of:)` /
    /// `firstRange(of:)` without Foundation's or the regex engine's per-call machinery.
    func byteRange(of needle: String, backwards: Bool = false) -> Range<String.Index>? {
        var needle = needle
        let found = needle.withUTF8 { nd in
            FastText.scanUTF8(self) { hay -> Int? in
                nd.isEmpty ? 0 : backwards ? ByteSearch.last(nd, in: hay) : ByteSearch.first(nd, in: hay, from: 0)
            }
        }
        guard let at = found else { return nil }
        let u = utf8
        let lower = u.index(u.startIndex, offsetBy: at)
        return lower..<u.index(lower, offsetBy: needle.utf8.count)
    }

    /// Every occurrence of `needle` replaced by `replacement` (byte-level, left to right).
    func replacingAll(_ needle: String, with replacement: String) -> String {
        guard !needle.isEmpty, has(needle) else { return String(self) }
        var out = ""
        var rest = self[...]
        while let r = rest.byteRange(of: needle) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        out += rest
        return out
    }
}

extension FastText {
    /// Length of the space scalar (`SourceText.isSpaceScalar`: ASCII space, tab, U+3000, NBSP,
    /// U+2002, U+2003) starting at byte `i`, or 0.
    @inline(__always)
    static func spaceLength(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let b = buf[i]
        if b == 0x20 || b == 0x09 { return 1 }
        if b == 0xC2 { return i + 1 < buf.count && buf[i + 1] == 0xA0 ? 2 : 0 }
        if b == 0xE3 { return i + 2 < buf.count && buf[i + 1] == 0x80 && buf[i + 2] == 0x80 ? 3 : 0 }
        if b == 0xE2 { return i + 2 < buf.count && buf[i + 1] == 0x80 && (buf[i + 2] == 0x82 || buf[i + 2] == 0x83) ? 3 : 0 }
        return 0
    }

    /// True when `a` and `b` have the same UTF-8 bytes. For the fixed-point loops that strip
    /// prefixes: each step yields the text or a proper part of it, never a different spelling of
    /// the same text, so byte equality is String equality there (without its normalisation).
    static func sameBytes(_ a: String, _ b: String) -> Bool { isOneOf(a, [b]) }

    /// `sameBytes` without the array: true when `a` and `b` have the same UTF-8 bytes.
    static func equalBytes(_ a: String, _ b: String) -> Bool {
        let n = a.utf8.count
        guard b.utf8.count == n else { return false }
        return scanUTF8(a) { x in
            scanUTF8(b) { y in
                var i = 0
                while i < n { if x[i] != y[i] { return false }; i += 1 }
                return true
            }
        }
    }

    /// True when `s` has the same UTF-8 bytes as one of `words`.
    static func isOneOf(_ s: String, _ words: [String]) -> Bool {
        let n = s.utf8.count
        return words.contains { w in
            guard w.utf8.count == n else { return false }
            return scanUTF8(w) { a in
                scanUTF8(s) { b in
                    var i = 0
                    while i < n { if a[i] != b[i] { return false }; i += 1 }
                    return true
                }
            }
        }
    }

    /// True when `s` holds an ASCII or full-width digit.
    static func hasDigit(_ s: String) -> Bool {
        scanUTF8(s) { buf in
            var i = 0
            let n = buf.count
            while i < n {
                let b = buf[i]
                if b >= 0x30 && b <= 0x39 { return true }
                if b == 0xEF, i + 2 < n, buf[i + 1] == 0xBC, buf[i + 2] >= 0x90 && buf[i + 2] <= 0x99 { return true }
                // A whole ideograph (lead byte E4–E9, two continuation bytes 80–BF: none a digit
                // byte or EF) is stepped over at once. (Wrapping arithmetic: `i < n`.)
                i &+= b &- 0xE4 < 6 && i < n &- 2 ? 3 : 1
            }
            return false
        }
    }

    /// Necessary condition for the last word of `s` to be all `*` or to read as an `Int` once
    /// width-folded: it holds only `*`, signs and digits, ASCII or full-width (＋ － ０…９, which fold
    /// to them). Words end at the space scalars (`SourceText.isSpaceScalar`); a Character-level
    /// word is never shorter (a space Character is a space scalar), so any other scalar in this
    /// word is in that one too, and fails it. Conservative.
    static func lastWordMayBeSmallNumber(_ s: String) -> Bool {
        scanUTF8(s) { buf in
            // The length of the space scalar that ends at `end`, or 0.
            @inline(__always) func spaceEnding(at end: Int) -> Int {
                let b = buf[end - 1]
                if b == 0x20 || b == 0x09 { return 1 }
                if b == 0xA0 { return end >= 2 && buf[end - 2] == 0xC2 ? 2 : 0 }
                guard end >= 3, buf[end - 2] == 0x80 else { return 0 }
                if buf[end - 3] == 0xE3 { return b == 0x80 ? 3 : 0 }
                if buf[end - 3] == 0xE2 { return b == 0x82 || b == 0x83 ? 3 : 0 }
                return 0
            }
            var end = buf.count
            while end > 0 {
                let n = spaceEnding(at: end)
                if n == 0 { break }
                end -= n
            }
            guard end > 0 else { return false }
            var i = end
            while i > 0, spaceEnding(at: i) == 0 {
                let b = buf[i - 1]
                if b < 0x80 {
                    if !(b == 0x2A || b == 0x2B || b == 0x2D || (b >= 0x30 && b <= 0x39)) { return false }
                    i -= 1
                } else {
                    // ＋ (EF BC 8B), － (EF BC 8D), ０…９ (EF BC 90…99); any other scalar fails.
                    guard i >= 3, buf[i - 3] == 0xEF, buf[i - 2] == 0xBC, b == 0x8B || b == 0x8D || (b >= 0x90 && b <= 0x99)
                    else { return false }
                    i -= 3
                }
            }
            return true
        }
    }

    /// Calls `body` with the byte range of each word of `buf`: runs between space scalars
    /// (`SourceText.isSpaceScalar`), empty ones skipped.
    @inline(__always)
    static func forEachWord(_ buf: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        var start = -1
        var i = 0
        while i < buf.count {
            let n = spaceLength(buf, at: i)
            if n > 0 {
                if start >= 0 { body(start..<i); start = -1 }
                i += n
            } else {
                if start < 0 { start = i }
                i += nonSpaceStep(buf, at: i)
            }
        }
        if start >= 0 { body(start..<buf.count) }
    }

    /// How far a scan for space scalars steps from `i`, where none starts: over a run of whole
    /// ideographs (lead bytes E4–E9, and their continuation bytes 80–BF: no space scalar starts
    /// with either), else the one byte. The same as stepping byte by byte, with fewer tests.
    @inline(__always)
    static func nonSpaceStep(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let n = buf.count
        guard buf[i] &- 0xE4 < 6 && i < n &- 2 else { return 1 }
        // (Wrapping arithmetic: a byte is read only below `n`.)
        var j = i &+ 3
        while j < n &- 2 && buf[j] &- 0xE4 < 6 { j &+= 3 }
        return j &- i
    }

    /// Byte ranges of the words of `buf` (`forEachWord`).
    static func wordRanges(_ buf: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        forEachWord(buf) { out.append($0) }
        return out
    }

    /// The words of `s`: runs between space scalars (`SourceText.isSpaceScalar`), empty ones dropped.
    static func words(_ s: String) -> [Substring] {
        let ranges = scanUTF8(s) { wordRanges($0) }
        let u = s.utf8
        return ranges.map { r in
            s[u.index(u.startIndex, offsetBy: r.lowerBound)..<u.index(u.startIndex, offsetBy: r.upperBound)]
        }
    }
}
