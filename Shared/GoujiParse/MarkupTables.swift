import GoujiModel

/// Tables that a document converter printed as markup: HTML rows (`<tr><td>208</td><td>社会保障和就业
/// 支出</td>…</tr>`, what pandoc and similar tools keep for tables with merged cells, one row per line
/// or spread over several) and markdown pipe rows (`| 208 | 社会保障和就业支出 | 1,286.02 |`).
/// Each row becomes one tab-separated line (a cell per field, blank cells kept, a `colspan` cell
/// followed by its empty fields, an empty field where a `rowspan` cell above covers the column) at
/// the line where the row starts; the other lines of a spread row and markdown's `|---|` rules are
/// left blank, so every line keeps its number. The table readers
/// then read them as the tab-separated layout they already know.
enum MarkupTables {
    /// The text with its markup rows flattened; `src` itself when it has none (two scans of
    /// `text`, the text `src` was read from, then a look at each line's scalar mask).
    static func flattened(_ src: SourceText, text: String) -> SourceText {
        // (A text without a cell tag or a pipe anywhere, two scans of its bytes, has no line with one.)
        guard hasCellTag(text) || FastText.hasByte(text, 0x7C) else { return src }
        let lt = ScalarMask.of("<"), pipe = ScalarMask.of("|")
        guard src.lines.contains(where: { ($0.mayContain(lt) && hasCellTag($0.text)) || ($0.mayContain(pipe) && isPipeRow($0.text)) })
        else { return src }
        var out = src.lines
        var row: (start: Int, cells: [String])?
        var cell: String?
        var colspan = 1, rowspan = 1
        // Columns a `rowspan` cell above still covers (column → rows left): the rows below print no
        // cell there, and get an empty field in its place so the cells after keep their columns.
        var below: [Int: Int] = [:]
        func fillCovered() {
            guard !below.isEmpty, var r = row else { return }
            while let n = below[r.cells.count] {
                below[r.cells.count] = n > 1 ? n - 1 : nil
                r.cells.append("")
            }
            row = r
        }
        func closeCell() {
            guard let c = cell else { return }
            fillCovered()
            let column = row?.cells.count ?? 0
            let width = max(1, min(colspan, 64))
            row?.cells.append(SourceText.trim(c.replacingOccurrences(of: "\t", with: " ")))
            for _ in 1..<width { row?.cells.append("") }
            if rowspan > 1 {
                for k in column..<(column + width) { below[k] = min(rowspan, 1000) - 1 }
            }
            cell = nil
            colspan = 1
            rowspan = 1
        }
        func closeRow() {
            closeCell()
            fillCovered()
            guard let r = row else { return }
            // Covered columns past the row's last cell are passed too.
            for (k, n) in below where k >= r.cells.count { below[k] = n > 1 ? n - 1 : nil }
            out[r.start] = SourceLine(number: src.lines[r.start].number, raw: r.cells.joined(separator: "\t"))
            row = nil
        }
        for (i, line) in src.lines.enumerated() {
            let t = line.text
            if row == nil, line.mayContain(pipe), isPipeRow(t) {
                out[i] = SourceLine(number: line.number, raw: isPipeRule(t) ? "" : pipeCells(t).joined(separator: "\t"))
                continue
            }
            guard row != nil || (line.mayContain(lt) && hasCellTag(t)) else { continue }
            let insideAtStart = row != nil
            var startedHere = false
            // Walk the line's tags: text between them goes to the open cell.
            var rest = Substring(t)
            var kept = ""
            while let open = rest.firstIndex(of: "<") {
                let before = rest[..<open]
                if cell != nil { cell?.append(contentsOf: before) } else if row == nil { kept += before }
                guard let close = rest[open...].firstIndex(of: ">") else { rest = rest[open...]; break }
                let tag = rest[rest.index(after: open)..<close].lowercased()
                rest = rest[rest.index(after: close)...]
                let name = tag.prefix { $0.isLetter || $0 == "/" }
                switch name {
                case "tr":
                    closeRow()
                    row = (i, [])
                    startedHere = true
                case "/tr":
                    closeRow()
                case "td", "th":
                    if row == nil {
                        row = (i, [])
                        startedHere = true
                    }
                    closeCell()
                    cell = ""
                    colspan = Self.span("colspan", in: tag)
                    rowspan = Self.span("rowspan", in: tag)
                case "/td", "/th":
                    closeCell()
                case "br", "br/", "p", "/p":
                    cell?.append(" ")
                case "/table", "table":
                    closeRow()
                    below = [:]
                default:
                    break
                }
            }
            if cell != nil { cell?.append(contentsOf: rest) } else if row == nil { kept += rest }
            // A row's line holds the row (written when it closes); a line inside a spread row is
            // left blank (its text went to the row); another keeps its text without the tags.
            if !startedHere {
                out[i] = SourceLine(number: line.number, raw: insideAtStart ? "" : kept)
            }
        }
        closeRow()
        return SourceText(lines: out)
    }

    /// The text with every HTML row that shares its line with text or another row before it
    /// moved to a line of its own (a table printed on one line): then a row starts its line.
    /// The text itself when no line needs it (the usual case: one search for `<tr`).
    static func splittingRows(_ text: String) -> String {
        guard hasRowTag(text) else { return text }
        var out: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let bytes = Array(line.utf8)
            @inline(__always) func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
            var start = 0
            var i = 0
            while i + 3 <= bytes.count {
                // `<tr` then no letter (not `<track`): a row starts here.
                if bytes[i] == 0x3C && lower(bytes[i + 1]) == 0x74 && lower(bytes[i + 2]) == 0x72
                    && (i + 3 == bytes.count || !(lower(bytes[i + 3]) >= 0x61 && lower(bytes[i + 3]) <= 0x7A)) {
                    if i > start && bytes[start..<i].contains(where: { $0 != 0x20 && $0 != 0x09 }) {
                        out.append(String(decoding: bytes[start..<i], as: UTF8.self))
                        start = i
                    }
                }
                i += 1
            }
            out.append(String(decoding: bytes[start...], as: UTF8.self))
        }
        return out.joined(separator: "\n")
    }

    /// `<tr` in any case, found in one pass over the bytes.
    static func hasRowTag(_ text: String) -> Bool {
        FastText.scanUTF8(text) { b in
            var i = 0
            let n = b.count
            // (memchr for each `<`: most texts hold none or a few.)
            while i + 2 < n, let j = FastText.firstIndex(of: 0x3C, in: b, i, n) {
                if j + 2 < n && b[j + 1] | 0x20 == 0x74 && b[j + 2] | 0x20 == 0x72 { return true }
                i = j + 1
            }
            return false
        }
    }

    /// The line opens an HTML cell or row, or holds a table's own tags (`<table>`, `<tbody>`,
    /// and `<thead>` with `<th`), which are dropped.
    static func hasCellTag(_ t: String) -> Bool {
        // `<` or `</`, then t and one of d h r a b (td, th, thead, tr, table, tbody), in any case:
        // one memchr per `<` on the bytes.
        FastText.scanUTF8(t) { b in
            var i = 0
            let n = b.count
            while i < n, let j = FastText.firstIndex(of: 0x3C, in: b, i, n) {
                var k = j + 1
                if k < n && b[k] == 0x2F { k += 1 }
                if k + 1 < n && b[k] | 0x20 == 0x74 {
                    switch b[k + 1] | 0x20 {
                    case 0x64, 0x68, 0x72, 0x61, 0x62: return true
                    default: break
                    }
                }
                i = j + 1
            }
            return false
        }
    }

    /// `| a | b |`: starts and ends with a pipe, two cells at least.
    static func isPipeRow(_ t: String) -> Bool {
        let u = t.utf8
        guard u.first == 0x7C, u.last == 0x7C, u.count >= 3 else { return false }
        return u.dropFirst().dropLast().contains(0x7C)
    }

    /// `|---|:---:|`: markdown's rule under a header.
    static func isPipeRule(_ t: String) -> Bool {
        t.allSatisfy { $0 == "|" || $0 == "-" || $0 == ":" || $0 == " " } && t.contains("-")
    }

    static func pipeCells(_ t: String) -> [String] {
        t.dropFirst().dropLast().split(separator: "|", omittingEmptySubsequences: false).map { SourceText.trim(String($0)) }
    }

    /// `colspan="3"` (`name` = colspan or rowspan) in a cell's tag; 1 without one.
    static func span(_ name: String, in tag: String) -> Int {
        guard let r = tag.range(of: name) else { return 1 }
        let digits = tag[r.upperBound...].drop { !$0.isNumber }.prefix { $0.isNumber }
        return Int(digits) ?? 1
    }
}
