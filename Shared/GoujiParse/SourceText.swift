import GoujiModel

/// A disclosure's text, split into numbered lines and cleaned of what extraction leaves behind
/// (a BOM, CRLF/CR line ends, NUL bytes, trailing spaces). Line numbers are 1-based and count every
/// line of the input, blank ones included, so they match the source file.
public struct SourceLine: Sendable, Equatable {
    /// 1-based line number in the source.
    public let number: Int
    /// The line as printed, without its line end; tabs and runs of spaces kept (they separate cells).
    public let raw: String
    /// `raw` with leading/trailing whitespace (ASCII, ideographic space, NBSP) removed.
    public let text: String

    /// One bit per scalar printed on the line (`ScalarMask`): a word whose bits are not all set
    /// cannot occur in `raw` or `text`, so a reader skips the search.
    let mask: UInt64

    public init(number: Int, raw: String) {
        self.number = number
        self.raw = raw
        self.text = SourceText.trim(raw)
        self.mask = ScalarMask.of(raw)
    }

    /// A line whose `text` is already known (`SourceText` trims on bytes while splitting).
    init(number: Int, raw: String, text: String, mask: UInt64) {
        self.number = number
        self.raw = raw
        self.text = text
        self.mask = mask
    }

    public var isBlank: Bool { text.isEmpty }

    /// False when the line certainly does not contain a word of mask `m` (`ScalarMask.of(word)`);
    /// true when it may (then search it).
    @inline(__always)
    func mayContain(_ m: UInt64) -> Bool { mask & m == m }
}

/// A 64-bit summary of the scalars in a text: each scalar sets the bit its last (two) UTF-8
/// bytes hash to. Every scalar of a word that occurs in a text occurs in it, so the word's mask is a
/// subset of the text's: a cheap necessary condition for a substring search.
enum ScalarMask {
    @inline(__always)
    static func of(_ buf: UnsafeBufferPointer<UInt8>) -> UInt64 { scan(buf).mask }

    /// The mask of `buf`, and whether it is all ASCII (`SourceText` makes its line Strings with that
    /// flag known: the scan already tells the kinds of scalar apart).
    @inline(__always)
    static func scan(_ buf: UnsafeBufferPointer<UInt8>) -> (mask: UInt64, isASCII: Bool) {
        var m: UInt64 = 0
        var ascii = true
        var i = 0
        let n = buf.count
        while i < n {
            let b = buf[i]
            // (Wrapping arithmetic: every index is below `n`, so nothing can overflow.) Runs of
            // ASCII and of three-byte scalars are read in loops of their own, without the tests
            // for the other kinds between two scalars.
            if b < 0x80 {
                var j = i
                repeat {
                    m |= 1 &<< UInt64(buf[j] & 63)
                    j &+= 1
                } while j < n && buf[j] < 0x80
                i = j
                continue
            }
            // The common case, a whole three-byte scalar (CJK): its last byte and the one before,
            // as below, without working out the length.
            ascii = false
            if b & 0xF0 == 0xE0 && i < n &- 2 {
                var j = i
                repeat {
                    let h = UInt32(buf[j &+ 2]) &+ UInt32(buf[j &+ 1]) &* 7
                    m |= 1 &<< UInt64(h & 63)
                    j &+= 3
                } while j < n &- 2 && buf[j] & 0xF0 == 0xE0
                i = j
                continue
            }
            // A multi-byte scalar (the text is valid UTF-8): its length from the lead byte; its
            // last byte and the one before it.
            let len = b < 0xE0 ? 2 : (b < 0xF0 ? 3 : 4)
            let end = min(i + len, n)
            let prev = end - 2 >= i ? buf[end - 2] : 0
            let h = UInt32(buf[end - 1]) &+ UInt32(prev) &* 7
            m |= 1 << UInt64(h & 63)
            i = end
        }
        return (m, ascii)
    }

    static func of(_ s: String) -> UInt64 { FastText.scanUTF8(s) { of($0) } }
}

public struct SourceText: Sendable {
    public let lines: [SourceLine]

    public init(_ text: String) {
        // Lines are found on the bytes (offsets) and made into Strings from them in the same pass
        // (`FastText.copy`: cut at line ends and at space scalars, so at scalar boundaries, they are
        // copied without validating the UTF-8 again as `String(decoding:)` would).
        var contiguous = text
        // Native UTF-8 now (a bridged or UTF-16 input is copied once): its bytes are read in place.
        contiguous.makeContiguousUTF8()
        // (A constant for the closure below: a captured variable is loaded, so retained and released,
        // at each line that reads it.)
        let base = contiguous
        var lines: [SourceLine] = []
        var formFeeds = false
        FastText.scanUTF8(base) { bytes in
            var start = 0
            // A UTF-8 BOM (EF BB BF) at the start is not text.
            if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
            var i = start
            let n = bytes.count
            lines.reserveCapacity(bytes.count / 16 + 1)
            // A text without \r (one memchr over it) is not searched for one line by line.
            let anyCR = FastText.containsByte(UnsafeBufferPointer(rebasing: bytes[start..<n]), 0x0D)
            formFeeds = FastText.containsByte(UnsafeBufferPointer(rebasing: bytes[start..<n]), 0x0C)
            // Split on \n, \r\n and a lone \r alike: the next \n (memchr, found once and kept until
            // passed, so a file of lone \r stays linear; an empty line's \n is where it starts), a \r
            // before it, else the end of the text (a last line without a line end).
            var newline = -1
            while i < n {
                if newline < i { newline = bytes[i] == 0x0A ? i : FastText.firstIndex(of: 0x0A, in: bytes, i, n) ?? n }
                let end = (anyCR ? FastText.firstIndex(of: 0x0D, in: bytes, i, newline) : nil) ?? newline
                // An empty line (often every other one in extracted text) is blank without a look at
                // its bytes: `line` would give the same.
                lines.append(end > start ? SourceText.line(lines.count + 1, base, bytes, start, end)
                                         : SourceLine(number: lines.count + 1, raw: "", text: "", mask: 0))
                i = end
                if i < n && bytes[i] == 0x0D && i + 1 < n && bytes[i + 1] == 0x0A { i += 1 }
                i += 1
                start = i
            }
        }
        // Page furniture from a PDF's extraction: form feeds, page numbers printed bare, running
        // headers and footers.
        if formFeeds { PageFurniture.clean(&lines) } else { PageFurniture.cleanWithoutFormFeeds(&lines) }
        self.lines = lines
    }

    /// Lines already split (a reading that rewrites some, `CellLines`): each keeps its number.
    init(lines: [SourceLine]) {
        self.lines = lines
    }

    /// The line at bytes `start..<end` of `base` (`bytes` is its UTF-8): `raw` without the trailing
    /// spaces, `text` without the leading ones too. A line holding NUL bytes is cleaned on its String.
    @inline(__always)
    private static func line(_ number: Int, _ base: String, _ bytes: UnsafeBufferPointer<UInt8>,
                             _ start: Int, _ end: Int) -> SourceLine {
        let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
        let (a, b) = FastText.trimmedRange(line)
        // (An all-space line keeps its spaces in `raw`: trimmedRange gives a == b == its length.)
        let rawEnd = start + b, textStart = start + a
        // The leading spaces are whole scalars, so `raw`'s mask is the union of theirs and `text`'s;
        // read apart, the two tell whether each String is ASCII.
        let (textMask, textASCII) = ScalarMask.scan(UnsafeBufferPointer(rebasing: bytes[textStart..<rawEnd]))
        let (leadMask, leadASCII) = a > 0 ? ScalarMask.scan(UnsafeBufferPointer(rebasing: bytes[start..<textStart])) : (0, true)
        let mask = textMask | leadMask
        // A NUL byte (a scalar of its own, 0x00 & 63 == 0) sets the mask's bit 0, and the trailing
        // spaces cut above hold none: only a line with that bit set may hold one and is searched.
        if mask & 1 != 0 && FastText.containsByte(line, 0) {
            return SourceLine(number: number, raw: clean(FastText.slice(base, start..<end)))
        }
        let text = textStart < rawEnd ? FastText.copy(textStart..<rawEnd, of: base, bytes: bytes, isASCII: textASCII) : ""
        let raw = a == 0 ? text : FastText.copy(start..<rawEnd, of: base, bytes: bytes, isASCII: textASCII && leadASCII)
        return SourceLine(number: number, raw: raw, text: text, mask: mask)
    }

    /// The line with this 1-based number, if it exists.
    public subscript(number number: Int) -> SourceLine? {
        number >= 1 && number <= lines.count ? lines[number - 1] : nil
    }

    static func clean(_ s: Substring) -> String { clean(String(s)) }

    static func clean(_ s: String) -> String {
        var out = s
        if out.utf8.contains(0) { out.removeAll { $0 == "\0" } }
        // Fast path: the last scalar is no space, so the last Character is none either.
        if let u = out.unicodeScalars.last, !isSpaceScalar(u) { return out }
        while let last = out.last, isSpace(last) {
            out.removeLast()
        }
        return out
    }

    @inline(__always)
    static func isSpaceScalar(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x20, 0x09, 0x3000, 0xA0, 0x2002, 0x2003: return true
        default: return false
        }
    }

    public static func isSpace(_ c: Character) -> Bool {
        // Compare scalar values: Character equality on CJK text goes through Unicode normalisation.
        switch c.unicodeScalars.first?.value ?? 0 {
        case 0x20, 0x09, 0x3000, 0xA0, 0x2002, 0x2003: return c.unicodeScalars.count == 1
        default: return false
        }
    }

    public static func trim(_ s: some StringProtocol) -> String {
        FastText.scanUTF8(s) { buf in
            let (a, b) = FastText.trimmedRange(buf)
            if a == 0 && b == buf.count { return String(s) }
            // (Cut at space scalars, so between scalars of valid UTF-8.)
            let kept = UnsafeBufferPointer(rebasing: buf[a..<b])
            return UTF8Scan.stringOfValidUTF8(kept, isASCII: FastText.isASCII(kept))
        }
    }
}
