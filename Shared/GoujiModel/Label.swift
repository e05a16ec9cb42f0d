/// Label normalisation shared by the parser, reconciliation, the store and scoring-compatible keys:
/// NFKC-like width folding, whitespace removed, leading enumerators (`一、`, `（一）`, `1、`, `(1)`) removed.
public enum Label {
    /// Folds full-width ASCII forms and the ideographic space onto ASCII.
    public static func foldWidth(_ s: some StringProtocol) -> String {
        if let r = s.utf8.withContiguousStorageIfAvailable({ needsFolding($0) ? foldedUTF8($0) : String(s) }) { return r }
        var copy = String(s)
        let folded = copy.withUTF8 { needsFolding($0) ? foldedUTF8($0) : nil }
        return folded ?? copy
    }

    /// `foldWidth` of a String, not generic: callers in other modules run it specialised (the
    /// generic body runs there through witness calls per byte). A text with nothing to fold is
    /// its own folding.
    public static func foldWidth(_ s: String) -> String {
        s.utf8.withContiguousStorageIfAvailable { needsFolding($0) ? foldedUTF8($0) : s } ?? foldWidth(s[...])
    }

    /// `foldWidth` of a Substring, not generic (see the String form).
    public static func foldWidth(_ s: Substring) -> String {
        s.utf8.withContiguousStorageIfAvailable { needsFolding($0) ? foldedUTF8($0) : String(s) }
            ?? foldWidth(String(s))
    }

    /// The folding of UTF-8 bytes: copied as they are but for the full-width forms U+FF01–FF5E
    /// (EF BC 81 – EF BD 9E, to ASCII) and U+3000 (E3 80 80, to a space).
    static func foldedUTF8(_ buf: UnsafeBufferPointer<UInt8>) -> String {
        let n = buf.count
        guard n > 0 else { return "" }
        // Written straight into the new String's storage (no byte array grown between): folding
        // never lengthens the text, so `k` <= `i` < `n` at every write.
        return String(unsafeUninitializedCapacity: n) { out in
            var i = 0
            var k = 0
            while i < n {
                let b = buf[i]
                if b == 0xEF, i + 2 < n, buf[i + 1] == 0xBC || buf[i + 1] == 0xBD {
                    let v = 0xF000 | (UInt32(buf[i + 1] & 0x3F) << 6) | UInt32(buf[i + 2] & 0x3F)
                    if v >= 0xFF01 && v <= 0xFF5E {
                        out[k] = UInt8(v - 0xFEE0)
                        k += 1
                        i += 3
                        continue
                    }
                } else if b == 0xE3, i + 2 < n, buf[i + 1] == 0x80, buf[i + 2] == 0x80 {
                    out[k] = 0x20
                    k += 1
                    i += 3
                    continue
                }
                out[k] = b
                k += 1
                i += 1
            }
            return k
        }
    }

    /// True when the UTF-8 holds a full-width form (EF BC xx / EF BD xx) or the ideographic
    /// space (E3 80 80): only then can `foldWidth` change anything.
    static func mayNeedFolding(_ s: some StringProtocol) -> Bool {
        if let r = s.utf8.withContiguousStorageIfAvailable(needsFolding) { return r }
        var copy = String(s)
        return copy.withUTF8(needsFolding)
    }

    /// `mayNeedFolding` of UTF-8 bytes. Scalar by scalar: EF and E3 are lead bytes, never
    /// continuation bytes, so in valid UTF-8 (a String's) they occur only where a scalar starts;
    /// the rest of a multi-byte scalar is skipped unread (a third of the steps on CJK text). A
    /// stray continuation byte, which a String never holds, would be stepped over one byte at a
    /// time.
    static func needsFolding(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = buf.count
        while i < n {
            let b = buf[i]
            if b < 0x80 { i += 1; continue }
            if b == 0xEF {
                if i + 1 < n, buf[i + 1] == 0xBC || buf[i + 1] == 0xBD { return true }
            } else if b == 0xE3 {
                if i + 2 < n, buf[i + 1] == 0x80, buf[i + 2] == 0x80 { return true }
            }
            i += b >= 0xF0 ? 4 : (b >= 0xE0 ? 3 : (b >= 0xC0 ? 2 : 1))
        }
        return false
    }

    private static let chineseNumerals: Set<Character> = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "百"]
    private static let circled: Set<Character> = ["⑴", "⑵", "⑶", "⑷", "⑸", "⑹", "⑺", "⑻", "⑼", "⑽", "①", "②", "③", "④", "⑤", "⑥", "⑦", "⑧", "⑨", "⑩"]

    /// Removes one leading enumerator, if there is one. Works on width-folded text.
    public static func stripEnumerator(_ s: String) -> String {
        // The UTF-8 reading (a String's bytes are contiguous, native ones always), else the scalar
        // reading; either answers nil where only Characters can decide. Fast path: the first scalar
        // cannot start an enumerator (a digit, a bracket, a circled number or a Chinese numeral), so
        // there is nothing to strip (read on the bytes: the scalar view's `first` costs a hundred
        // instructions, and every label is stripped).
        let read: String?? = s.utf8.withContiguousStorageIfAvailable { buf in
            mayStartEnumerator(firstOf: buf) ? stripEnumeratorOnBytes(s, buf) : s
        }
        if let read {
            if let fast = read { return fast }
        } else {
            guard let u = s.unicodeScalars.first, mayStartEnumerator(u) else { return s }
            if let fast = stripEnumeratorOnScalars(s) { return fast }
        }
        return stripEnumeratorByCharacters(s)
    }

    /// `mayStartEnumerator` of the first scalar of `buf` (valid UTF-8, a String's); false when it is
    /// empty. Every scalar that answer accepts is ASCII or three bytes long, so no other is decoded.
    @inline(__always)
    static func mayStartEnumerator(firstOf buf: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let b0 = buf.first else { return false }
        if b0 < 0x80 { return mayStartEnumerator(Unicode.Scalar(b0)) }
        guard b0 & 0xF0 == 0xE0, buf.count >= 3 else { return false }
        let v = (UInt32(b0 & 0x0F) << 12) | (UInt32(buf[1] & 0x3F) << 6) | UInt32(buf[2] & 0x3F)
        return Unicode.Scalar(v).map(mayStartEnumerator) ?? false
    }

    /// Whether a text starting with `u` may start with an enumerator (a digit, a bracket, a circled
    /// number or a Chinese numeral): `stripEnumerator` gives any other text back as it is.
    @inlinable
    public static func mayStartEnumerator(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x30...0x39, 0x28, 0xFF08, 0x2460...0x2469, 0x2474...0x247D,
             0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341, 0x767E:
            return true
        default:
            return false
        }
    }

    /// `stripEnumerator` read Character by Character: what the faster readings stand for (any text).
    static func stripEnumeratorByCharacters(_ s: String) -> String {
        let chars = Array(s)
        guard let first = chars.first else { return s }
        if circled.contains(first) { return String(chars.dropFirst()) }
        var i = 0
        let opened = first == "(" || first == "（"
        if opened { i += 1 }
        // Chinese numerals: 一、 （一） 十一、
        var j = i
        while j < chars.count, chineseNumerals.contains(chars[j]) { j += 1 }
        if j > i {
            var k = j
            if k < chars.count, chars[k] == ")" || chars[k] == "）" { k += 1 }
            else if opened { return s }
            if k < chars.count, chars[k] == "、" || chars[k] == "." || chars[k] == "．" { k += 1 }
            if !opened && k == j { return s } // 一般 is a word, not an enumerator
            return String(chars[k...])
        }
        // Arabic: 1、 (1) 1. — but never a number followed by a digit (1.5).
        j = i
        while j < chars.count, j - i < 2, chars[j].isASCII, chars[j].isNumber { j += 1 }
        if j > i {
            if opened {
                if j < chars.count, chars[j] == ")" || chars[j] == "）" { return String(chars[(j + 1)...]) }
                return s
            }
            if j < chars.count, [")", "）", "、", ".", "．"].contains(chars[j]) {
                if j + 1 < chars.count, chars[j + 1].isASCII, chars[j + 1].isNumber { return s }
                return String(chars[(j + 1)...])
            }
        }
        return s
    }

    /// `stripEnumerator` read on unicode scalars, without building the label's Characters: exact
    /// when every scalar it looks at, the one after each, and the one after the cut are Characters
    /// of their own, which `isPlainScalar` guarantees; nil otherwise (the Character reading decides).
    static func stripEnumeratorOnScalars(_ s: String) -> String? {
        let v = s.unicodeScalars
        var plain = true
        // The scalar at `i`, noting whether it is plain, and whether the scalar after it is: a
        // combining mark after a digit (`5ﾞ`) makes the pair one Character, which is no digit to
        // the Character reading, so only that reading may decide such a text.
        func at(_ i: String.Index) -> Unicode.Scalar? {
            guard i < v.endIndex else { return nil }
            let u = v[i]
            if !isPlainScalar(u.value) { plain = false }
            let after = v.index(after: i)
            if after < v.endIndex, !isPlainScalar(v[after].value) { plain = false }
            return u
        }
        func rest(_ i: String.Index) -> String {
            _ = at(i)
            return String(v[i...])
        }
        func isNumeral(_ u: Unicode.Scalar) -> Bool {
            switch u.value {
            case 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341, 0x767E: return true
            default: return false
            }
        }
        func isDigit(_ u: Unicode.Scalar) -> Bool { u.value >= 0x30 && u.value <= 0x39 }
        func read() -> String {
            guard let first = at(v.startIndex) else { return s }
            if (0x2460...0x2469).contains(first.value) || (0x2474...0x247D).contains(first.value) {
                return rest(v.index(after: v.startIndex))
            }
            let opened = first == "(" || first == "（"
            let i = opened ? v.index(after: v.startIndex) : v.startIndex
            // Chinese numerals: 一、 （一） 十一、
            var j = i
            while let c = at(j), isNumeral(c) { j = v.index(after: j) }
            if j > i {
                var k = j
                if let c = at(k), c == ")" || c == "）" { k = v.index(after: k) } else if opened { return s }
                if let c = at(k), c == "、" || c == "." || c == "．" { k = v.index(after: k) }
                if !opened && k == j { return s } // 一般 is a word, not an enumerator
                return rest(k)
            }
            // Arabic: 1、 (1) 1. — but never a number followed by a digit (1.5).
            var digits = 0
            while digits < 2, let c = at(j), isDigit(c) { j = v.index(after: j); digits += 1 }
            if digits > 0 {
                if opened {
                    if let c = at(j), c == ")" || c == "）" { return rest(v.index(after: j)) }
                    return s
                }
                if let c = at(j), [")", "）", "、", ".", "．"].contains(c) {
                    let next = v.index(after: j)
                    if let d = at(next), isDigit(d) { return s }
                    return rest(next)
                }
            }
            return s
        }
        let out = read()
        return plain ? out : nil
    }

    /// `stripEnumeratorOnScalars(s)` where `buf` is `s`'s (valid) UTF-8: the scalar walk step for
    /// step (the same scalars looked at, so the same `plain` answer), with the rest cut at a byte
    /// offset. The scalar walk slices the String's scalar view and builds an array literal per
    /// enumerator, and every label of a table and every heading of the narrative is stripped.
    static func stripEnumeratorOnBytes(_ s: String, _ buf: UnsafeBufferPointer<UInt8>) -> String? {
        let n = buf.count
        var plain = true
        // The scalar starting at byte `i`: its value and length; nil at the end.
        func decode(_ i: Int) -> (v: UInt32, len: Int)? {
            guard i < n else { return nil }
            let b0 = buf[i]
            let d: (v: UInt32, len: Int)
            if b0 < 0x80 {
                d = (UInt32(b0), 1)
            } else if b0 < 0xE0, i + 1 < n {
                d = ((UInt32(b0 & 0x1F) << 6) | UInt32(buf[i + 1] & 0x3F), 2)
            } else if b0 < 0xF0, i + 2 < n {
                d = ((UInt32(b0 & 0x0F) << 12) | (UInt32(buf[i + 1] & 0x3F) << 6) | UInt32(buf[i + 2] & 0x3F), 3)
            } else if i + 3 < n {
                d = ((UInt32(b0 & 0x07) << 18) | (UInt32(buf[i + 1] & 0x3F) << 12) | (UInt32(buf[i + 2] & 0x3F) << 6)
                     | UInt32(buf[i + 3] & 0x3F), 4)
            } else {
                // (Not valid UTF-8 here: leave it to the scalar walk.)
                plain = false
                return nil
            }
            return d
        }
        // The scalar at byte `i`, noting whether it and the scalar after it are plain (see the
        // scalar walk's `at`).
        func at(_ i: Int) -> (v: UInt32, len: Int)? {
            guard let d = decode(i) else { return nil }
            if !isPlainScalar(d.v) { plain = false }
            if let next = decode(i + d.len), !isPlainScalar(next.v) { plain = false }
            return d
        }
        func rest(_ i: Int) -> String {
            _ = at(i)
            // (`i` is where a decoded scalar ends, so the rest is valid UTF-8.)
            return UTF8Scan.stringOfValidUTF8(UnsafeBufferPointer(rebasing: buf[i...]))
        }
        func isNumeral(_ v: UInt32) -> Bool {
            switch v {
            case 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341, 0x767E: return true
            default: return false
            }
        }
        func isDigit(_ v: UInt32) -> Bool { v >= 0x30 && v <= 0x39 }
        // ) or ）
        func isClose(_ v: UInt32) -> Bool { v == 0x29 || v == 0xFF09 }
        func read() -> String {
            guard let first = at(0) else { return s }
            if (0x2460...0x2469).contains(first.v) || (0x2474...0x247D).contains(first.v) {
                return rest(first.len)
            }
            let opened = first.v == 0x28 || first.v == 0xFF08
            let i = opened ? first.len : 0
            // Chinese numerals: 一、 （一） 十一、
            var j = i
            while let c = at(j), isNumeral(c.v) { j += c.len }
            if j > i {
                var k = j
                if let c = at(k), isClose(c.v) { k += c.len } else if opened { return s }
                // 、 . ．
                if let c = at(k), c.v == 0x3001 || c.v == 0x2E || c.v == 0xFF0E { k += c.len }
                if !opened && k == j { return s } // 一般 is a word, not an enumerator
                return rest(k)
            }
            // Arabic: 1、 (1) 1. — but never a number followed by a digit (1.5).
            var digits = 0
            while digits < 2, let c = at(j), isDigit(c.v) { j += c.len; digits += 1 }
            if digits > 0 {
                if opened {
                    if let c = at(j), isClose(c.v) { return rest(j + c.len) }
                    return s
                }
                if let c = at(j), isClose(c.v) || c.v == 0x3001 || c.v == 0x2E || c.v == 0xFF0E {
                    let next = j + c.len
                    if let d = at(next), isDigit(d.v) { return s }
                    return rest(next)
                }
            }
            return s
        }
        let out = read()
        return plain ? out : nil
    }

    /// A scalar that is always a Character of its own and unchanged by normalisation: ASCII but
    /// CR, the circled numbers, CJK punctuation and ideographs, full-width forms.
    static func isPlainScalar(_ v: UInt32) -> Bool {
        switch v {
        case 0..<0x80: return v != 0x0D
        case 0x2460...0x24FF, 0x3000...0x3029, 0x3030...0x303F, 0x4E00...0x9FFF, 0xFF01...0xFF5E: return true
        default: return false
        }
    }

    /// The comparison key of a label: width folded, whitespace removed, enumerators stripped,
    /// surrounding colons dropped.
    public static func normalized(_ s: some StringProtocol) -> String {
        // Most labels are already normal; a byte scan proves it without the per-scalar work below.
        isNormal(s) ? String(s) : normalizedFully(s)
    }

    /// `normalized` without the shortcut (tests check the two agree).
    static func normalizedFully(_ s: some StringProtocol) -> String {
        var t = foldWidth(s)
        if t.unicodeScalars.contains(where: { $0.properties.isWhitespace }) { t = t.filter { !$0.isWhitespace } }
        var previous = ""
        while previous != t {
            previous = t
            t = stripEnumerator(t)
        }
        while let f = t.first, f == ":" || f == "：" { t.removeFirst() }
        while let l = t.last, l == ":" || l == "：" { t.removeLast() }
        return t
    }

    /// True when `normalized(label) == label` is certain from the bytes alone: nothing to fold, no
    /// whitespace, no leading enumerator, no colon at either end.
    package static func isNormal(_ label: some StringProtocol) -> Bool {
        var s = String(label)
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
}
