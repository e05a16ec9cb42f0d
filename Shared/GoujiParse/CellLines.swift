import GoujiModel

/// Tables extracted one cell per line (what `pdftotext` without `-layout` prints for many ruled
/// tables): a row's label on a line, then each of its amounts on a line of its own.
///
///     社会保障和就业支出
///     1,286.02
///     1,076.02
///     210.00
///
/// Such rows are joined back into one line (`社会保障和就业支出 1,286.02 1,076.02 210.00`), the
/// amount lines left blank so every line keeps its number; the table readers then read them as
/// single-space rows with blank cells dropped, assigning columns by arithmetic. A code on a line of
/// its own before the label stays there (the readers take a code line above its label), and so do
/// the first lines of a wrapped label. Only runs of at least `minimumRows` such rows, or a row of
/// `minimumAmounts` amounts or more, are joined: a lone amount under a label elsewhere (a wrapped
/// cell, a narrative line) is left alone.
enum CellLines {
    /// Rows in a run before it is read as a table printed one cell per line.
    static let minimumRows = 3
    /// Amounts under one label that make a row by themselves (a row alone between a page's
    /// repeated header and the table's end).
    static let minimumAmounts = 3
    /// Longest label line joined (a sentence is not a row label).
    static let maximumLabelLength = 60

    /// The text with its one-cell-per-line rows joined; `src` itself when it has none (the usual
    /// case, decided by one pass over the lines' scalar masks).
    static func joiningRows(_ src: SourceText) -> SourceText {
        let lines = src.lines
        // Such a table prints amounts with decimals or separators alone on their lines, under a
        // label or another lone amount (not under a row printed on its line: an amount wrapped out
        // of its cell). Without a few, nothing is joined (code lines, years and counts are lone
        // integers). The lines' scalar masks are asked first: a line holding any other scalar is
        // no lone number.
        var amounts = 0
        for j in lines.indices where lines[j].mask & ~numberMask == 0 && !lines[j].isBlank {
            let l = lines[j]
            guard startsLikeNumber(l.text) && isLoneDecimal(l.text) && Amount(l.text) != nil else { continue }
            var p = j - 1
            while p >= 0, lines[p].isBlank { p -= 1 }
            guard p >= 0 else { continue }
            let above = lines[p].text
            if (startsLikeNumber(above) && isLoneDecimal(above) && Amount(above) != nil) || !printsAmount(above) {
                amounts += 1
                if amounts >= minimumAmounts { break }
            }
        }
        guard amounts >= minimumAmounts else { return src }
        var kinds = [Kind](repeating: .text, count: lines.count)
        var decimals = 0, integers = 0
        for (i, l) in lines.enumerated() {
            if l.isBlank {
                kinds[i] = .blank
            } else if startsLikeNumber(l.text), let a = Amount(l.text) {
                kinds[i] = .number
                if a.decimals > 0 || l.text.contains(",") { decimals += 1 } else { integers += 1 }
            } else if l.text.utf8.count <= 9, LineTokens.blankMarks(l.text) == 1 {
                kinds[i] = .number
            }
        }
        // A year split from its 年 (`2024` / `年基本支出`, a header cell) is not an amount: it is
        // put back before its 年.
        var out = lines
        var changed = false
        for i in kinds.indices where kinds[i] == .number {
            var j = i + 1
            while j < lines.count, kinds[j] == .blank { j += 1 }
            if j < lines.count, lines[j].text.hasPrefix("年"), lines[i].text.utf8.count == 4 {
                kinds[i] = .text
                integers -= 1
                out[i] = SourceLine(number: lines[i].number, raw: lines[i].raw + " " + lines[j].text)
                out[j] = SourceLine(number: lines[j].number, raw: "")
                kinds[j] = .blank
                changed = true
            }
        }
        // Where most lone numbers print decimals, a lone integer just before a label is that
        // label's code (`2080109` / `社会保险经办机构`), not the last amount of the row above.
        let integersBeforeLabelsAreCodes = decimals > integers

        // A label line prints no amount of its own: a row printed on one line (`01 人力资源… 1,155.61
        // 945.61`), then a code line, is another layout.
        func isLabel(_ i: Int) -> Bool {
            guard kinds[i] == .text else { return false }
            let t = lines[i].text
            return t.utf8.count <= 3 * maximumLabelLength && !FastText.hasByte(t, 0x09) && !endsSentence(t) && !printsAmount(t)
        }
        func next(_ i: Int) -> Int? {
            var j = i + 1
            while j < lines.count, kinds[j] == .blank { j += 1 }
            return j < lines.count ? j : nil
        }
        func isCode(_ i: Int) -> Bool {
            guard integersBeforeLabelsAreCodes, kinds[i] == .number, let j = next(i), isLabel(j) else { return false }
            let t = lines[i].text
            return t.allSatisfy { $0.isASCII && $0.isNumber } && (2...9).contains(t.count)
        }

        // Rows: a label line and the lone amounts after it (a code line ends them).
        var rows: [(label: Int, amounts: [Int])] = []
        var i = 0
        while i < lines.count {
            // (The label test, the costliest, last: most lines are not followed by a lone amount.)
            guard kinds[i] == .text, let first = next(i), kinds[first] == .number, !isCode(first), isLabel(i) else {
                i += 1
                continue
            }
            var amounts = [first]
            var j = first
            while let k = next(j), kinds[k] == .number, !isCode(k) {
                amounts.append(k)
                j = k
            }
            rows.append((i, amounts))
            i = j + 1
        }
        // Runs of rows close to one another (a code line, the first lines of a wrapped label and
        // blanks between two rows).
        func printedLines(after a: Int, before b: Int) -> Int {
            var n = 0
            var k = a + 1
            while k < b, n <= 3 {
                if kinds[k] != .blank { n += 1 }
                k += 1
            }
            return n
        }
        var start = 0
        while start < rows.count {
            var end = start + 1
            while end < rows.count, printedLines(after: rows[end - 1].amounts.last ?? rows[end - 1].label, before: rows[end].label) <= 3 {
                end += 1
            }
            if end - start >= minimumRows || rows[start..<end].contains(where: { $0.amounts.count >= minimumAmounts }) {
                for r in rows[start..<end] {
                    let label = lines[r.label]
                    var raw = label.raw
                    for k in r.amounts {
                        raw += " " + lines[k].text
                        out[k] = SourceLine(number: lines[k].number, raw: "")
                    }
                    out[r.label] = SourceLine(number: label.number, raw: raw)
                }
                changed = true
            }
            start = end
        }
        return changed ? SourceText(lines: out) : src
    }

    enum Kind { case text, number, blank }

    /// Every scalar a lone amount or dash may print (`ScalarMask`).
    static let numberMask = ScalarMask.of("0123456789.,-－—０１２３４５６７８９．，")

    /// The text's first scalar may start an amount: an ASCII or full-width digit, or a minus sign.
    @inline(__always)
    static func startsLikeNumber(_ t: String) -> Bool {
        guard let f = t.utf8.first else { return false }
        if f >= 0x30 && f <= 0x39 { return true }
        if f == 0x2D { return t.utf8.count > 1 }
        return f == 0xEF && t.unicodeScalars.first.map { (0xFF10...0xFF19).contains($0.value) || $0.value == 0xFF0D } == true
    }

    /// The text ends with 。 (a sentence, not a row label).
    static func endsSentence(_ t: String) -> Bool {
        let u = t.utf8
        guard u.count >= 3 else { return false }
        var it = u.reversed().makeIterator()
        return it.next() == 0x82 && it.next() == 0x80 && it.next() == 0xE3
    }

    /// A word of the text, between spaces, is an amount with a point or a separator
    /// (`1,155.61`): the line prints a row of its own.
    static func printsAmount(_ t: String) -> Bool {
        guard FastText.hasByte(t, 0x2E) || FastText.hasByte(t, 0x2C) || t.unicodeScalars.contains(where: { $0.value == 0xFF0E || $0.value == 0xFF0C }) else {
            return false
        }
        return t.split(whereSeparator: { $0.isWhitespace }).contains { w in
            startsLikeNumber(String(w)) && isLoneDecimal(String(w)) && Amount(w) != nil
        }
    }

    /// One token with a point or a comma (`1,286.02`, `0.00`): no space of any kind in it
    /// (no-break and ideographic spaces separate cells too).
    static func isLoneDecimal(_ t: String) -> Bool {
        if FastText.mayHaveWhitespace(t) { return false }
        return t.utf8.contains { $0 == 0x2E || $0 == 0x2C } || t.unicodeScalars.contains { $0.value == 0xFF0E || $0.value == 0xFF0C }
    }
}
