import GoujiModel

/// Space-aligned layouts (`pdftotext -layout`): where a header prints each column's words on one
/// line separated by runs of spaces, an amount's right edge tells which column it sits under.
/// The result is a preference only; the table's arithmetic still decides.
enum ColumnPositions {
    /// Right edge of each column's header cell, in column order; nil unless one header line
    /// names exactly the layout's columns, one per cell.
    static func columns(headerLines: [SourceLine], layout: ColumnLayout, latestYear: Int? = nil) -> [Int]? {
        columns(headerLines: headerLines, layout: layout, latestYear: latestYear,
                placed: { placedKeys(headerLines: headerLines, latestYear: latestYear) })
    }

    /// `columns`, with the header's `placedKeys` (same lines, same `latestYear`) asked for only where
    /// no single line names the columns: the table reader has read them already for the header's
    /// keys (`orderedKeys`) and hands them in, so a stacked header is not placed twice.
    static func columns(headerLines: [SourceLine], layout: ColumnLayout, latestYear: Int?,
                        placed: () -> [PlacedKey]?) -> [Int]? {
        guard layout.keys.count >= 2 else { return nil }
        for l in headerLines.reversed() where !l.raw.has("\t") {
            // Two cells need a space scalar between them inside the trimmed text: a line without
            // whitespace (most lines of a header printed one character per line) is one cell at
            // most, and the check below needs two.
            guard FastText.mayHaveWhitespace(l.text) else { continue }
            // Cells, further split at single spaces (long header words may touch). The line must
            // separate its cells by runs of spaces for positions to mean anything.
            let runs = LineTokens.cells(l.raw)
            guard runs.filter({ !ColumnPositions.keys(ofCell: $0.text, latestYear: latestYear).filter { !$0.begins(with: "#skip") }.isEmpty }).count >= 2
            else { continue }
            let cells = words(of: runs)
            var edges: [Int] = []
            var keys: [String] = []
            for c in cells {
                let found = ColumnPositions.keys(ofCell: c.text, latestYear: latestYear).filter { !$0.begins(with: "#skip") }
                guard let k = found.first else { continue }
                let key = k == "#total" || k == "#sub" ? Column.total : HeaderReader.flowKey(k) ?? k
                keys.append(key)
                edges.append(c.position + displayWidth(c.text))
            }
            if keys.count == layout.keys.count { return edges }
        }
        return stackedColumns(placed: placed(), layout: layout)
    }

    /// A header key with its cell (display columns `start..<end`), the header line it is on and its
    /// rank in reading order (`placedKeys`).
    typealias PlacedKey = (key: String, start: Int, end: Int, line: Int, rank: Int)

    /// The header's column words (`HeaderReader.scan`'s keys) in the order of their positions, for
    /// a space-aligned header printed over several lines. `pdftotext -layout` wraps each column's
    /// words inside its cell (一般公共预算 over 拨款收入, 合计 on the second line only): read line
    /// after line, such a header names its columns out of order (合计 last), and the halves of one
    /// cell can make a new word (政府性基金 over 预算拨款收入: 预算拨款, a 财政拨款 heading that is
    /// not printed). A key under a cell of an earlier line that is the same key or that cell's
    /// group heading is such a half, and is dropped.
    /// Nil where positions say nothing: a tab-separated header, a line naming columns without
    /// runs of spaces between cells, or fewer than two lines naming columns.
    static func orderedKeys(headerLines: [SourceLine], latestYear: Int? = nil) -> [String]? {
        placedKeys(headerLines: headerLines, latestYear: latestYear)?.map(\.key)
    }

    /// `orderedKeys` with each key's cell (display columns `start..<end`).
    /// `latestYear`: where the header compares years, the latest (its columns are the year's own).
    static func placedKeys(headerLines: [SourceLine], latestYear: Int? = nil) -> [(key: String, start: Int, end: Int, line: Int, rank: Int)]? {
        guard headerLines.count >= 2 else { return nil }
        // (Cells need runs of spaces between them: two lines at least must print some.)
        var spaced = 0
        // (A line set in from the header's other lines by a run of spaces places its one cell
        // too: a group heading centred over its columns, 基本支出 over 小计 人员经费 公用经费. A
        // document indenting every line alike sets none in.)
        let indents = headerLines.map { leadingWidth($0.raw) }
        let least = indents.min() ?? 0
        let setIn = indents.map { $0 >= least + 4 }
        for (n, l) in headerLines.enumerated() where l.text.has("  ") || l.text.has("\u{3000}") || setIn[n] { spaced += 1 }
        guard spaced >= 2 else { return nil }
        var entries: [(key: String, start: Int, end: Int, line: Int, rank: Int)] = []
        var linesWithKeys = 0
        // Each line's words with their display columns.
        var lineWords: [[(text: String, start: Int, end: Int)]] = []
        var runCounts: [Int] = []
        for l in headerLines {
            if l.raw.has("\t") { return nil }
            let runs = LineTokens.cells(l.raw)
            runCounts.append(setIn[runCounts.count] ? max(runs.count, 2) : runs.count)
            lineWords.append(words(of: runs).map { ($0.text, $0.position, $0.position + displayWidth($0.text)) })
        }
        func overlap(_ a: (text: String, start: Int, end: Int), _ b: (text: String, start: Int, end: Int)) -> Bool {
            a.start < b.end && b.start < a.end
        }
        // Each word's keys, read once (a word that is no tail is read as it is).
        let wordKeys = lineWords.map { $0.map { ColumnPositions.keys(ofCell: $0.text, latestYear: latestYear) } }
        func namesColumn(_ n: Int, _ j: Int) -> Bool { wordKeys[n][j].contains { !$0.begins(with: "#skip") } }
        // A cell's words wrapped onto the next line (年初财政拨款 over 结转和结余): a word below one
        // word only, and only under it, that names no column by itself, is the rest of its text.
        var tailOf: [[Int?]] = lineWords.map { [Int?](repeating: nil, count: $0.count) }
        var isTail: [[Bool]] = lineWords.map { [Bool](repeating: false, count: $0.count) }
        for n in lineWords.indices.dropLast() {
            for (i, w) in lineWords[n].enumerated() {
                let below = lineWords[n + 1].indices.filter { overlap(lineWords[n + 1][$0], w) }
                guard below.count == 1, let j = below.first else { continue }
                let u = lineWords[n + 1][j]
                guard lineWords[n].filter({ overlap($0, u) }).count == 1, !namesColumn(n + 1, j) else { continue }
                tailOf[n][i] = j
                isTail[n + 1][j] = true
            }
        }
        for n in lineWords.indices {
            var found = 0
            for (i, w) in lineWords[n].enumerated() where !isTail[n][i] {
                // The word and the tails wrapped below it, as one cell.
                var text = w.text
                var start = w.start, end = w.end
                var (m, k) = (n, i)
                while let j = tailOf[m][k] {
                    let u = lineWords[m + 1][j]
                    text += u.text
                    start = min(start, u.start)
                    end = max(end, u.end)
                    (m, k) = (m + 1, j)
                }
                for key in tailOf[n][i] == nil ? wordKeys[n][i] : ColumnPositions.keys(ofCell: text, latestYear: latestYear) {
                    entries.append((key, start, end, n, entries.count))
                    if !key.begins(with: "#skip") { found += 1 }
                }
            }
            guard found > 0 else { continue }
            if runCounts[n] < 2 { return nil }
            linesWithKeys += 1
        }
        guard linesWithKeys >= 2 else { return nil }
        var kept: [(key: String, start: Int, end: Int, line: Int, rank: Int)] = []
        for e in entries {
            let half = kept.contains { f in
                f.line < e.line && f.start < e.end && e.start < f.end
                    && (f.key == e.key || HeaderReader.groupChildren[e.key]?.contains(f.key) == true)
            }
            if !half { kept.append(e) }
        }
        // A heading that names no group of its own (本年预算数 centred over 合计 基本支出 项目支出,
        // read as the total) over a cell of a later line naming another column is a heading over
        // a group of columns: the columns are the cells under it.
        let cells = kept
        kept.removeAll { f in
            !f.key.begins(with: "#") && HeaderReader.groupChildren[f.key] == nil
                && cells.contains { e in
                    e.line > f.line && f.start < e.end && e.start < f.end && !e.key.begins(with: "#") && e.key != f.key
                }
        }
        kept.sort { a, b in
            let ca = a.start + a.end, cb = b.start + b.end
            return ca != cb ? ca < cb : a.rank < b.rank
        }
        return kept
    }

    /// Right edges of the layout's columns from a header printed over several lines
    /// (`placedKeys`): each column's rightmost cell naming it. Nil unless every column is named
    /// by a cell and the edges run left to right.
    static func stackedColumns(headerLines: [SourceLine], layout: ColumnLayout, latestYear: Int?) -> [Int]? {
        stackedColumns(placed: placedKeys(headerLines: headerLines, latestYear: latestYear), layout: layout)
    }

    /// `stackedColumns` from the header's `placedKeys` as read already.
    static func stackedColumns(placed: [PlacedKey]?, layout: ColumnLayout) -> [Int]? {
        guard let placed else { return nil }
        var edges: [Int] = []
        // (A 小计 names the total only where no 合计 does: under a group heading it is the group's.)
        let subtotalIsTotal = !placed.contains { $0.key == "#total" }
        for k in layout.keys {
            var edge: Int?
            var comparisons = 0
            for p in placed {
                if p.key == "#cmp" { comparisons += 1 }
                let key = p.key == "#total" || (p.key == "#sub" && subtotalIsTotal) ? Column.total
                    : p.key == "#cmp" ? HeaderReader.comparisonKey(comparisons)
                    : (p.key == "other_funds" && k == Column.other ? Column.other : HeaderReader.flowKey(p.key) ?? p.key)
                if key == k { edge = max(edge ?? p.end, p.end) }
            }
            guard let edge, edge > (edges.last ?? Int.min) else { return nil }
            edges.append(edge)
        }
        return edges
    }

    /// A space-aligned header printed over several lines, its words read column by column: each
    /// column's words from top to bottom (因公出国 over （境）费, 公务 over 接待费), the columns
    /// left to right, a heading over several columns before them (公务用车购置及运行费 over 小计
    /// 购置费 运行费). Read line after line, such a header names its columns out of order (合计 on
    /// the second line after every word of the first). A word continues the column above when it
    /// lies under one word of the line above only, and that word over it only. Nil unless two
    /// lines or more print cells apart (runs of spaces), or where a line holds a tab.
    static func columnOrderedText(headerLines: [SourceLine]) -> String? {
        // (Cells apart: runs of two spaces or more, or a wide space, on two lines at least; asked
        // first, before any line is split.)
        guard headerLines.filter({ $0.text.has("  ") || $0.text.has("\u{3000}") }).count >= 2 else { return nil }
        var lines: [[(text: String, start: Int, end: Int)]] = []
        var spaced = 0
        for l in headerLines where !l.isBlank {
            if l.raw.has("\t") { return nil }
            let runs = LineTokens.cells(l.raw)
            if runs.count >= 2 { spaced += 1 }
            lines.append(words(of: runs).map { ($0.text, $0.position, $0.position + displayWidth($0.text)) })
        }
        guard lines.count >= 2, spaced >= 2 else { return nil }
        func overlap(_ a: (text: String, start: Int, end: Int), _ b: (text: String, start: Int, end: Int)) -> Bool {
            a.start < b.end && b.start < a.end
        }
        // Columns: their text so far, where their top word starts (a heading over several
        // columns: where the first of them starts, if further left), their top line, and the
        // line and index of their lowest word.
        var columns: [(text: String, start: Int, line: Int, low: (line: Int, index: Int))] = []
        var columnOf: [[Int]] = lines.map { [Int](repeating: -1, count: $0.count) }
        for n in lines.indices {
            for (i, w) in lines[n].enumerated() {
                if n > 0 {
                    let above = lines[n - 1].indices.filter { overlap(lines[n - 1][$0], w) }
                    if above.count == 1, let j = above.first,
                       lines[n].filter({ overlap($0, lines[n - 1][j]) }).count == 1, columnOf[n - 1][j] >= 0 {
                        let c = columnOf[n - 1][j]
                        columns[c].text += w.text
                        columns[c].low = (n, i)
                        columnOf[n][i] = c
                        continue
                    }
                }
                columnOf[n][i] = columns.count
                columns.append((w.text, w.start, n, (n, i)))
            }
        }
        // A heading over several words of the next line starts where the first of them does.
        for c in columns.indices {
            let (n, i) = columns[c].low
            guard n + 1 < lines.count else { continue }
            let below = lines[n + 1].filter { overlap($0, lines[n][i]) }
            if below.count >= 2, let first = below.map(\.start).min() { columns[c].start = min(columns[c].start, first) }
        }
        let ordered = columns.indices.sorted { a, b in
            (columns[a].start, columns[a].line, a) < (columns[b].start, columns[b].line, b)
        }
        return ordered.map { columns[$0].text }.joined(separator: " ")
    }

    /// A line's cells (`LineTokens.cells`) further split at single spaces (long header words may
    /// touch), each word with its display column.
    static func words(of runs: [(text: String, position: Int)]) -> [(text: String, position: Int)] {
        var out: [(text: String, position: Int)] = []
        for c in runs {
            var x = c.position
            for w in c.text.split(separator: " ", omittingEmptySubsequences: false) {
                if !w.isEmpty { out.append((String(w), x)) }
                x += displayWidth(String(w)) + 1
            }
        }
        return out
    }

    /// The column keys a header cell names; in a header comparing years (`latestYear`), an
    /// earlier year's figures are a comparison column.
    static func keys(ofCell text: String, latestYear: Int?) -> [String] {
        let n = HeaderReader.normalize(text)
        return HeaderReader.scan(latestYear.flatMap { HeaderReader.markingEarlierYears(n, latest: $0) } ?? n)
    }

    /// The display width of the spaces a line starts with (an ideographic space is two).
    static func leadingWidth(_ s: String) -> Int {
        var w = 0
        for u in s.unicodeScalars {
            if u == " " { w += 1 } else if u == "\u{3000}" { w += 2 } else { break }
        }
        return w
    }

    static func displayWidth(_ s: String) -> Int {
        s.reduce(0) { $0 + (($1 == "\u{3000}" || ($1.unicodeScalars.first.map { $0.value >= 0x2E80 } ?? false)) ? 2 : 1) }
    }

    static func nearest(_ x: Int, _ edges: [Int]) -> Int {
        var best = 0
        var bestD = Int.max
        for (i, e) in edges.enumerated() {
            let d = abs(e - x)
            if d < bestD { bestD = d; best = i }
        }
        return best
    }
}
