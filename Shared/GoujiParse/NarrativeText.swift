import GoujiModel

/// Small text helpers shared by the metadata, project and narrative readers.
/// Internal; names are prefixed so they never collide with the table reader's helpers.
enum NarrText {
    /// Folds what matters for reading numbers: full-width digits, `．` `％` `，` between digits are
    /// left to `Amount`; here only digits, `％` and the ideographic space are folded, so every other
    /// printed character (full-width brackets, colons) survives into names and keys.
    static func foldDigits(_ s: Substring) -> String { foldDigits(String(s)) }

    static func foldDigits(_ s: String) -> String {
        var copy = s
        let needs = copy.withUTF8 { foldMayChange($0) }
        return needs ? foldDigitsSlow(s) : s
    }

    /// False when `foldDigits` certainly gives the text of these (valid UTF-8) bytes back.
    @inline(__always)
    static func foldMayChange(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        // Every fold starts at a full-width form (EF BC 90–99, 85, 8E; EF BC 8C after a
        // digit), the ideographic space (E3 80 80) or NBSP (C2 A0): read scalar by scalar,
        // only the lead bytes EF, E3 and C2 are looked at closer.
        let n = buf.count
        var i = 0
        while i < n {
            let b = buf[i]
            if b < 0x80 { i &+= 1; continue }
            // A run of ideographs (lead bytes E4–E9: U+4000–U+9FFF) is stepped over in a loop
            // of its own: no fold starts with those bytes. (Wrapping arithmetic: a byte is
            // read only below `n`.)
            if b &- 0xE4 < 6 {
                var j = i &+ 3
                while j < n && buf[j] &- 0xE4 < 6 { j &+= 3 }
                i = j
                continue
            }
            if b == 0xEF {
                if i + 2 < n, buf[i + 1] == 0xBC {
                    let c = buf[i + 2]
                    if (c >= 0x90 && c <= 0x99) || c == 0x85 || c == 0x8E { return true }
                    if c == 0x8C, i > 0, buf[i - 1] >= 0x30, buf[i - 1] <= 0x39 { return true }
                }
                i += 3
                continue
            }
            if b == 0xE3 {
                // Only the ideographic space (E3 80 80) folds; other E3 80 xx (、。「」…) do not.
                if i + 2 < n, buf[i + 1] == 0x80, buf[i + 2] == 0x80 { return true }
                i += 3
                continue
            }
            if b == 0xC2 {
                if i + 1 < n, buf[i + 1] == 0xA0 { return true }
                i += 2
                continue
            }
            i += b < 0xE0 ? 2 : (b < 0xF0 ? 3 : 4)
        }
        return false
    }

    /// The fold itself, on the UTF-8: ０-９ ％ ． to ASCII, U+3000 and NBSP to a space (each a
    /// scalar for a scalar), then a full-width comma between digits (１，２０３) to `,`.
    private static func foldDigitsSlow(_ s: String) -> String {
        var copy = s
        return copy.withUTF8 { buf -> String in
            var out: [UInt8] = []
            out.reserveCapacity(buf.count)
            let n = buf.count
            var i = 0
            var comma = false
            while i < n {
                let b = buf[i]
                if b == 0xEF, i + 2 < n, buf[i + 1] == 0xBC {
                    let c = buf[i + 2]
                    if c >= 0x90 && c <= 0x99 { out.append(c - 0x90 + 0x30); i += 3; continue }
                    if c == 0x85 { out.append(0x25); i += 3; continue }
                    if c == 0x8E { out.append(0x2E); i += 3; continue }
                    if c == 0x8C { comma = true }
                } else if b == 0xE3, i + 2 < n, buf[i + 1] == 0x80, buf[i + 2] == 0x80 {
                    out.append(0x20); i += 3; continue
                } else if b == 0xC2, i + 1 < n, buf[i + 1] == 0xA0 {
                    out.append(0x20); i += 2; continue
                }
                out.append(b)
                i += 1
            }
            guard comma else { return String(decoding: out, as: UTF8.self) }
            // A full-width comma (EF BC 8C) inside a number (１，２０３．５０) is a thousands
            // separator: a digit before it, exactly three after it. Digits are one byte each.
            func digit(_ k: Int) -> Bool { k >= 0 && k < out.count && out[k] >= 0x30 && out[k] <= 0x39 }
            var folded: [UInt8] = []
            folded.reserveCapacity(out.count)
            var k = 0
            while k < out.count {
                if out[k] == 0xEF, k + 2 < out.count, out[k + 1] == 0xBC, out[k + 2] == 0x8C,
                   digit(k - 1), digit(k + 3), digit(k + 4), digit(k + 5), !digit(k + 6) {
                    folded.append(0x2C)
                    k += 3
                    continue
                }
                folded.append(out[k])
                k += 1
            }
            return String(decoding: folded, as: UTF8.self)
        }
    }

    /// Substring test on UTF-8 bytes (see `StringProtocol.has`).
    @inline(__always)
    static func has(_ s: String, _ needle: String) -> Bool { s.has(needle) }

    @inline(__always) static func isDigitU(_ u: Unicode.Scalar) -> Bool { u.value >= 0x30 && u.value <= 0x39 }

    @inline(__always) static func isSpaceU(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x20, 0x09, 0x3000, 0xA0, 0x2002, 0x2003: return true
        default: return false
        }
    }

    @inline(__always) static func isHanU(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        return (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3400 && v <= 0x4DBF) || (v >= 0xF900 && v <= 0xFAFF)
    }

    /// Whether the scalars contain `needle` (given as scalars).
    static func hasU(_ s: ArraySlice<Unicode.Scalar>, _ needle: [Unicode.Scalar]) -> Bool {
        guard let first = needle.first, s.count >= needle.count else { return needle.isEmpty }
        var i = s.startIndex
        let last = s.endIndex - needle.count
        while i <= last {
            if s[i] == first {
                var k = 1
                while k < needle.count, s[i + k] == needle[k] { k += 1 }
                if k == needle.count { return true }
            }
            i += 1
        }
        return false
    }

    static func hasSuffixU(_ s: ArraySlice<Unicode.Scalar>, _ suffix: [Unicode.Scalar]) -> Bool {
        guard s.count >= suffix.count else { return false }
        var k = s.endIndex - suffix.count
        for u in suffix { if s[k] != u { return false }; k += 1 }
        return true
    }

    /// `Array(s.unicodeScalars)`, decoded straight off the UTF-8 in one pass (the generic
    /// initialiser walks the scalars twice: once to count them, once to copy them).
    static func scalars(_ s: String) -> [Unicode.Scalar] {
        FastText.scanUTF8(s) { buf in
            // At most one scalar per byte, decoded into a temporary buffer (on the stack when
            // small), then copied into an array reserved to the exact count: no per-scalar append,
            // and no `Array(unsafeUninitializedCapacity:)`, which allocates through the standard
            // library's unspecialised path (a generic metadata lookup, ~600 instructions, per call).
            withUnsafeTemporaryAllocation(of: Unicode.Scalar.self, capacity: buf.count) { tmp in
                let count = decodeScalars(buf, into: tmp)
                var out: [Unicode.Scalar] = []
                out.reserveCapacity(count)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: tmp[0..<count]))
                return out
            }
        }
    }

    /// Writes the scalars of valid UTF-8 bytes to `out` (room for one per byte); their number.
    @inline(__always)
    static func decodeScalars(_ buf: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<Unicode.Scalar>) -> Int {
        var i = 0
        var k = 0
        let n = buf.count
        guard out.count >= n else { return 0 }
        while i < n {
            let b0 = buf[i]
            if b0 < 0x80 {
                out.initializeElement(at: k, to: Unicode.Scalar(b0))
                k += 1
                i += 1
                continue
            }
            if b0 & 0xF0 == 0xE0 && i < n &- 2 {
                // The common case (CJK): three bytes, and a run of such scalars read in a loop of
                // its own. (Wrapping arithmetic: `k <= i < n`, nothing can overflow.)
                var j = i
                repeat {
                    let v = (UInt32(buf[j] & 0x0F) << 12) | (UInt32(buf[j &+ 1] & 0x3F) << 6) | UInt32(buf[j &+ 2] & 0x3F)
                    // Three bytes give a value below 0x10000, a scalar but for the surrogates
                    // (U+D800–U+DFFF), which read as U+FFFD as the failable initialiser has them:
                    // tested here, the value is the scalar's bits (`Unicode.Scalar` is a UInt32),
                    // without the initialiser's Optional.
                    let w = v &- 0xD800 < 0x800 ? 0xFFFD : v
                    out.initializeElement(at: k, to: unsafeBitCast(w, to: Unicode.Scalar.self))
                    k &+= 1
                    j &+= 3
                } while j < n &- 2 && buf[j] & 0xF0 == 0xE0
                i = j
                continue
            }
            var v: UInt32
            let len: Int
            if b0 < 0xE0 { v = UInt32(b0 & 0x1F); len = 2 }
            else if b0 < 0xF0 { v = UInt32(b0 & 0x0F); len = 3 }
            else { v = UInt32(b0 & 0x07); len = 4 }
            var c = 1
            while c < len && i + c < n { v = (v << 6) | UInt32(buf[i + c] & 0x3F); c += 1 }
            out.initializeElement(at: k, to: Unicode.Scalar(v) ?? "\u{FFFD}")
            k += 1
            i += len
        }
        return k
    }

    static func str(_ s: some Sequence<Unicode.Scalar>) -> String { FastText.string(s) }

    /// The scalars' text, encoded straight into the String's storage (no byte array between).
    static func str(_ s: ArraySlice<Unicode.Scalar>) -> String {
        String(unsafeUninitializedCapacity: s.count * 4) { out in
            var k = 0
            for u in s {
                let v = u.value
                if v < 0x80 {
                    out[k] = UInt8(v); k += 1
                } else if v < 0x800 {
                    out[k] = UInt8(0xC0 | (v >> 6)); out[k + 1] = UInt8(0x80 | (v & 0x3F)); k += 2
                } else if v < 0x10000 {
                    out[k] = UInt8(0xE0 | (v >> 12)); out[k + 1] = UInt8(0x80 | ((v >> 6) & 0x3F))
                    out[k + 2] = UInt8(0x80 | (v & 0x3F)); k += 3
                } else {
                    out[k] = UInt8(0xF0 | (v >> 18)); out[k + 1] = UInt8(0x80 | ((v >> 12) & 0x3F))
                    out[k + 2] = UInt8(0x80 | ((v >> 6) & 0x3F)); out[k + 3] = UInt8(0x80 | (v & 0x3F)); k += 4
                }
            }
            return k
        }
    }

    static func str(_ s: [Unicode.Scalar]) -> String { str(s[...]) }

    static func isDigit(_ c: Character) -> Bool {
        guard let a = c.asciiValue else { return false }
        return a >= 0x30 && a <= 0x39
    }

    static func isSpace(_ c: Character) -> Bool { SourceText.isSpace(c) }

    /// True for a CJK ideograph.
    static func isHan(_ c: Character) -> Bool {
        guard let u = c.unicodeScalars.first else { return false }
        let v = u.value
        return (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3400 && v <= 0x4DBF) || (v >= 0xF900 && v <= 0xFAFF)
    }

    /// Removes markdown/HTML debris that extraction leaves around text (`**`, `<p>`, a leading `- `).
    static func stripDebris(_ s: String) -> String {
        // Most text carries no debris: no `*` or `<`, no space at either end, no leading `-`.
        if isClean(s) { return s }
        var t = s
        var changed = false
        if FastText.hasByte(t, 0x2A), has(t, "**") { t = t.replacingAll("**", with: ""); changed = true }
        if FastText.hasByte(t, 0x3C) {
            for tag in ["<p>", "</p>", "<br>", "<br/>", "<b>", "</b>", "<strong>", "</strong>"] where has(t, tag) {
                t = t.replacingAll(tag, with: ""); changed = true
            }
        }
        if changed || Scalars.first(t).map(isSpaceU) == true || Scalars.last(t).map(isSpaceU) == true { t = SourceText.trim(t) }
        if t.utf8.first == UInt8(ascii: "-"), t.begins(with: "- ") { t = SourceText.trim(t.dropFirst(2)) }
        return t
    }

    /// True when `stripDebris` leaves `s` as it is for certain: no `*` (0x2A) or `<` (0x3C) byte,
    /// no space scalar (`isSpaceU`) first or last, no `-` first.
    static func isClean(_ s: String) -> Bool {
        FastText.scanUTF8(s) { buf -> Bool in
            let n = buf.count
            guard n > 0 else { return true }
            if n > 48 {
                if FastText.containsByte(buf, 0x2A) || FastText.containsByte(buf, 0x3C) { return false }
            } else if holdsEither(buf, 0x2A, 0x3C) {
                return false
            }
            if buf[0] == 0x2D || FastText.spaceLength(buf, at: 0) > 0 { return false }
            let l = buf[n - 1]
            if l == 0x20 || l == 0x09 { return false }
            if n >= 2, buf[n - 2] == 0xC2, l == 0xA0 { return false }
            if n >= 3, buf[n - 2] == 0x80, (buf[n - 3] == 0xE3 && l == 0x80) || (buf[n - 3] == 0xE2 && (l == 0x82 || l == 0x83)) { return false }
            return true
        }
    }

    /// Whether `buf` holds the byte `a` or the byte `b`, read eight bytes at a time: a byte of
    /// `x ^ a…a` is zero exactly where `x` holds `a`, and `(v - 0x01…01) & ~v & 0x80…80` is nonzero
    /// exactly when a byte of `v` is zero. (A loop over the bytes, through the buffer's iterator,
    /// cost eight instructions a byte, on nearly every short line a reader cleans.)
    @inline(__always)
    static func holdsEither(_ buf: UnsafeBufferPointer<UInt8>, _ a: UInt8, _ b: UInt8) -> Bool {
        guard let base = buf.baseAddress else { return false }
        let n = buf.count
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let ma = ones &* UInt64(a), mb = ones &* UInt64(b)
        var i = 0
        // (Each load reads the eight bytes `i ..< i + 8`, inside the buffer.)
        while i &+ 8 <= n {
            let x = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            let va = x ^ ma, vb = x ^ mb
            if (((va &- ones) & ~va) | ((vb &- ones) & ~vb)) & highs != 0 { return true }
            i &+= 8
        }
        while i < n {
            if base[i] == a || base[i] == b { return true }
            i &+= 1
        }
        return false
    }

    /// Splits on tabs or runs of whitespace, dropping empty fields.
    static func tokens(_ s: String) -> [String] {
        // Each word a String made from its bytes (no Substring between): words end at space
        // scalars, so every range is whole UTF-8.
        FastText.scanUTF8(s) { buf in
            var out: [String] = []
            FastText.forEachWord(buf) { r in
                // Room for a line's words at the first one (grown from one, the array was copied
                // at each doubling).
                if out.isEmpty { out.reserveCapacity(8) }
                out.append(String(decoding: UnsafeBufferPointer(rebasing: buf[r]), as: UTF8.self))
            }
            return out
        }
    }

    /// Splits on tabs, keeping empty fields (trimmed).
    static func tabCells(_ s: some StringProtocol) -> [String] {
        // A tab is a Character of its own: the fields are the byte runs between 0x09 bytes.
        FastText.scanUTF8(s) { buf in
            // One field more than the tabs: room for them all at once. (The bytes are read in
            // plain loops: through the buffer's iterator and a filtered range they cost some ten
            // instructions a byte.)
            let n = buf.count
            var tabs = 0
            var i = 0
            while i < n {
                if buf[i] == 0x09 { tabs &+= 1 }
                i &+= 1
            }
            var out: [String] = []
            out.reserveCapacity(tabs + 1)
            var start = 0
            while true {
                // The field `start ..< end`, up to the next tab or the end.
                var end = start
                while end < n && buf[end] != 0x09 { end &+= 1 }
                let field = UnsafeBufferPointer(rebasing: buf[start..<end])
                let (a, b) = FastText.trimmedRange(field)
                out.append(String(decoding: UnsafeBufferPointer(rebasing: field[a..<b]), as: UTF8.self))
                if end == n { break }
                start = end &+ 1
            }
            return out
        }
    }

    /// The first decimal amount printed in `s` (digits, `,`, `.`), with its range, if any.
    static func firstAmount(in s: String) -> Amount? {
        let t = foldDigits(s)
        // Where every scalar is a Character of its own (`TableReader.allOwnCharacters`), the
        // Characters read below are the scalars, and a digit, `,` or `.` is a byte of its own
        // (no other byte of the UTF-8 is below 0x80): the same runs are read on the bytes, without
        // an array of the line's Characters.
        if TableReader.allOwnCharacters(t) {
            return FastText.scanUTF8(t) { buf -> Amount? in
                let n = buf.count
                var i = 0
                while i < n {
                    guard buf[i] &- 0x30 < 10 else { i += 1; continue }
                    var j = i
                    while j < n, buf[j] &- 0x30 < 10 || buf[j] == 0x2C || buf[j] == 0x2E { j += 1 }
                    var e = j
                    while e > i, buf[e - 1] == 0x2C || buf[e - 1] == 0x2E { e -= 1 }
                    // (`i..<e` lies inside the buffer: `i < e <= j <= n`.)
                    if let a = Amount(String(decoding: UnsafeBufferPointer(rebasing: buf[i..<e]), as: UTF8.self)) { return a }
                    i = j
                }
                return nil
            }
        }
        return firstAmountByCharacters(t)
    }

    /// `firstAmount` read Character by Character on a text whose digits are folded: what the byte
    /// reading stands for (any text).
    static func firstAmountByCharacters(_ t: String) -> Amount? {
        let chars = Array(t)
        var i = 0
        while i < chars.count {
            if isDigit(chars[i]) {
                var j = i
                while j < chars.count, isDigit(chars[j]) || chars[j] == "," || chars[j] == "." { j += 1 }
                var text = String(chars[i..<j])
                while let l = text.last, l == "," || l == "." { text.removeLast() }
                if let a = Amount(text) { return a }
                i = j
            } else {
                i += 1
            }
        }
        return nil
    }

    /// Reads a whole token as an amount (`1,200` `71.50`), nil when it carries anything else.
    static func amountToken(_ s: String) -> Amount? {
        let t = foldDigits(s)
        guard let f = t.first, isDigit(f) else { return nil }
        return Amount(t)
    }

    /// Longest common subsequence length, for matching a narrative's project heading to a project.
    /// Where the shorter text has at most 64 scalars, its row of the table is a word of bits
    /// (Allison and Dix, 1986; Hyyrö, 2004): bit `j` of `v` is clear where the table's value rises
    /// at column `j`, and a row is a few word operations on the columns that match the other
    /// text's scalar (`match`): `v' = (v + (v & match)) | (v & ~match)`; the length is the number
    /// of clear bits. (The subsequence is the same read either way round.) Otherwise the table
    /// itself, its two rows one buffer on the stack, `prev` and `cur` the offsets of their starts
    /// (each row's first cell stays 0).
    static func lcs(_ a: UnsafeBufferPointer<Unicode.Scalar>, _ b: UnsafeBufferPointer<Unicode.Scalar>) -> Int {
        if a.isEmpty || b.isEmpty { return 0 }
        let (long, short) = a.count >= b.count ? (a, b) : (b, a)
        if short.count <= 64 {
            let m = short.count
            var v: UInt64 = ~0
            for i in 0..<long.count {
                let u = long[i]
                var match: UInt64 = 0
                for j in 0..<m where short[j] == u { match |= 1 &<< UInt64(j) }
                v = (v &+ (v & match)) | (v & ~match)
            }
            let columns: UInt64 = m == 64 ? ~0 : (1 &<< UInt64(m)) &- 1
            return m - (v & columns).nonzeroBitCount
        }
        let m = b.count
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * (m + 1)) { rows in
            rows.initialize(repeating: 0)
            var prev = 0, cur = m + 1
            for i in 0..<a.count {
                let u = a[i]
                // (`cur + j` and `prev + j` are at most `2 * m + 1`: inside the buffer.)
                for j in 1...m {
                    rows[cur + j] = u == b[j - 1] ? rows[prev + j - 1] + 1 : max(rows[prev + j], rows[cur + j - 1])
                }
                swap(&prev, &cur)
            }
            return rows[prev + m]
        }
    }
}
