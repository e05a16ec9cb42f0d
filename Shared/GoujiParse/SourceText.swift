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

    public init(number: Int, raw: String) {
        self.number = number
        self.raw = raw
        self.text = SourceText.trim(raw)
    }

    public var isBlank: Bool { text.isEmpty }
}

public struct SourceText: Sendable {
    public let lines: [SourceLine]

    public init(_ text: String) {
        var body = Substring(text)
        if body.first == "\u{FEFF}" { body = body.dropFirst() }
        var lines: [SourceLine] = []
        lines.reserveCapacity(body.utf8.count / 24 + 1)
        var number = 0
        // Split on \n, \r\n and lone \r alike. Swift treats "\r\n" as one Character.
        var current = Substring()
        var start = body.startIndex
        var i = body.startIndex
        while i < body.endIndex {
            let c = body[i]
            if c == "\n" || c == "\r\n" || c == "\r" {
                current = body[start..<i]
                number += 1
                lines.append(SourceLine(number: number, raw: SourceText.clean(current)))
                i = body.index(after: i)
                start = i
            } else {
                i = body.index(after: i)
            }
        }
        if start < body.endIndex {
            number += 1
            lines.append(SourceLine(number: number, raw: SourceText.clean(body[start...])))
        }
        self.lines = lines
    }

    /// The line with this 1-based number, if it exists.
    public subscript(number number: Int) -> SourceLine? {
        number >= 1 && number <= lines.count ? lines[number - 1] : nil
    }

    static func clean(_ s: Substring) -> String {
        var out = String(s)
        if out.has("\0") { out.removeAll { $0 == "\0" } }
        while let last = out.last, last == " " || last == "\t" || last == "\u{3000}" || last == "\u{A0}" {
            out.removeLast()
        }
        return out
    }

    public static func isSpace(_ c: Character) -> Bool {
        c == " " || c == "\t" || c == "\u{3000}" || c == "\u{A0}" || c == "\u{2002}" || c == "\u{2003}"
    }

    public static func trim(_ s: some StringProtocol) -> String {
        var sub = Substring(s)
        while let f = sub.first, isSpace(f) { sub = sub.dropFirst() }
        while let l = sub.last, isSpace(l) { sub = sub.dropLast() }
        return String(sub)
    }
}
