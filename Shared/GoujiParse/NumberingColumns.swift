import GoujiModel

/// Numbers that number a table rather than hold its amounts. Final-accounts (决算) tables print
/// them, and so do many project lists:
/// - a 栏次 row under the header that numbers the columns (`栏次 1 2 3`, `栏次 1 栏次 2`);
/// - a 行次 (line number) column after each label (`一般公共预算财政拨款收入 1 1,414.81`);
/// - a 序号 (serial number) column before each label (`1 社会保险经办服务 120.00`).
/// None of them is an amount: read as one, it would take a column's place or start a row.
enum NumberingColumns {
    /// Whether a 行次 (line number) column is declared in `headerText` (one side's header, for
    /// a two-sided table).
    static func declaresLineNumbers(_ headerText: String) -> Bool {
        headerText.has("行次")
    }

    /// Whether a 序号 (serial number) column is declared in `headerText`.
    static func declaresSerialNumbers(_ headerText: String) -> Bool {
        headerText.has("序号")
    }

    /// A row that numbers the columns: its words are 栏次 (or 栏 and 次 apart), numbers 0…99 and
    /// `*` marks, with at least one number, and it starts with 栏次. Each side of a two-sided
    /// table may print its own 栏次 (`栏次 1 栏次 2`), and a table of one or two amount columns
    /// numbers fewer than the three columns `LineTokens.isNumberingRow` asks of a labelled row.
    static func isColumnNumberRow(_ text: String) -> Bool {
        // Cheap test first: the text starts with 栏 (E6 A0 8F), which a table row seldom does.
        let u = text.utf8
        guard u.count <= 200, u.first == 0xE6, text.begins(with: "栏") else { return false }
        let words = Label.foldWidth(text).split(whereSeparator: { SourceText.isSpace($0) })
        var numbers = 0
        var i = 0
        while i < words.count {
            let w = words[i]
            if w == "栏次" {
                i += 1
            } else if w == "栏", i + 1 < words.count, words[i + 1] == "次" {
                i += 2
            } else if w.allSatisfy({ $0 == "*" }) {
                i += 1
            } else if w.utf8.count <= 2, w.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                numbers += 1
                i += 1
            } else {
                return false
            }
        }
        return numbers > 0
    }

    /// A line or serial number as printed: an integer of one to three digits without a leading
    /// zero, no separator and no decimals (an amount of 1 prints as `1.00`; a 款 code as `01`).
    static func isSmallOrdinal(_ text: String) -> Bool {
        let u = text.utf8
        guard (1...3).contains(u.count), let f = u.first, f >= 0x31 && f <= 0x39 else { return false }
        return u.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// The value of a serial number a line starts with: an ordinal (`isSmallOrdinal`; a leading
    /// two- or three-digit integer followed by text is read as a code token, so both kinds are
    /// asked) with a label or a code after it; nil otherwise. `beforeCode`: a code follows it.
    static func leadingOrdinal(_ tokens: ArraySlice<Token>) -> (value: Int, beforeCode: Bool)? {
        guard let first = tokens.first, first.kind != .text, isSmallOrdinal(first.text), let value = Int(first.text) else { return nil }
        let next = tokens.index(after: tokens.startIndex)
        guard next < tokens.endIndex else { return nil }
        switch tokens[next].kind {
        case .text: return (value, false)
        case .code: return (value, true)
        case .number: return codeAfterSerial(tokens.dropFirst()) == nil ? nil : (value, true)
        }
    }

    /// The code token the first of `rest` is once the serial number before it is gone: a number
    /// of a code's shape with text after it (`LineTokens.leadingCode`), as if it began the line.
    static func codeAfterSerial(_ rest: ArraySlice<Token>) -> Token? {
        guard let first = rest.first else { return nil }
        let next = rest.index(after: rest.startIndex)
        return LineTokens.leadingCode(first, textFollows: next == rest.endIndex || rest[next].kind == .text)
    }

    /// Drops the serial numbers lines start with: leading ordinals before a label or a code that
    /// count 1, 2, 3 … down the table. Where the header declares a 序号 column, the count may start
    /// again at 1 (a list in parts), an ordinal before a code is one wherever the count is, and
    /// any other ordinal out of the count is left alone (a code such as 301 in a row printed
    /// without its serial). Where it does not, only one unbroken count over at least two lines
    /// proves such a column.
    static func dropSerialNumbers(_ body: inout [BodyLine], declared: Bool) {
        var starts: [Int] = []
        var expected = 1
        for i in body.indices {
            guard let (n, beforeCode) = leadingOrdinal(body[i].tokens) else { continue }
            if n != expected && !(declared && (n == 1 || beforeCode)) {
                if declared { continue }
                return
            }
            expected = n + 1
            starts.append(i)
        }
        guard declared || starts.count >= 2 else { return }
        for i in starts {
            var rest = body[i].tokens.dropFirst()
            if let code = codeAfterSerial(rest) { rest[rest.startIndex] = code }
            body[i].tokens = rest
            body[i].serial = true
        }
    }

    /// Drops the line number each row prints first after its label, in rows of the sides whose
    /// header declares a 行次 column (`side` nil: a one-sided table). A row whose first amount is
    /// not an ordinal (`isSmallOrdinal`) is left as it is.
    static func dropLineNumbers(_ rows: inout [RawRow], income: Bool, expenditure: Bool) {
        guard income || expenditure else { return }
        for i in rows.indices {
            let numbered = rows[i].side == .expenditure ? expenditure : income
            guard numbered, let first = rows[i].amounts.first, first.decimals == 0,
                  (1...999).contains(first.mantissa) else { continue }
            rows[i].amounts.removeFirst()
            if rows[i].positions?.isEmpty == false { rows[i].positions?.removeFirst() }
            if rows[i].rightEdges?.isEmpty == false { rows[i].rightEdges?.removeFirst() }
        }
    }
}
