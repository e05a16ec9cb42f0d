import GoujiModel

/// Space-aligned layouts (`pdftotext -layout`): where a header prints each column's words on one
/// line separated by runs of spaces, an amount's right edge tells which column it sits under.
/// The result is a preference only; the table's arithmetic still decides.
enum ColumnPositions {
    /// Right edge of each column's header cell, in column order; nil unless one header line
    /// names exactly the layout's columns, one per cell.
    static func columns(headerLines: [SourceLine], layout: ColumnLayout) -> [Int]? {
        guard layout.keys.count >= 2 else { return nil }
        for l in headerLines.reversed() where !l.raw.has("\t") {
            // Two cells need a space scalar between them inside the trimmed text: a line without
            // whitespace (most lines of a header printed one character per line) is one cell at
            // most, and the check below needs two.
            guard FastText.mayHaveWhitespace(l.text) else { continue }
            // Cells, further split at single spaces (long header words may touch). The line must
            // separate its cells by runs of spaces for positions to mean anything.
            let runs = LineTokens.cells(l.raw)
            guard runs.filter({ !HeaderReader.scan(HeaderReader.normalize($0.text)).filter { !$0.begins(with: "#skip") }.isEmpty }).count >= 2
            else { continue }
            var cells: [(text: String, position: Int)] = []
            for c in runs {
                var x = c.position
                for w in c.text.split(separator: " ", omittingEmptySubsequences: false) {
                    if !w.isEmpty { cells.append((String(w), x)) }
                    x += displayWidth(String(w)) + 1
                }
            }
            var edges: [Int] = []
            var keys: [String] = []
            for c in cells {
                let found = HeaderReader.scan(HeaderReader.normalize(c.text)).filter { !$0.begins(with: "#skip") }
                guard let k = found.first else { continue }
                let key = k == "#total" || k == "#sub" ? Column.total : k
                keys.append(key)
                edges.append(c.position + displayWidth(c.text))
            }
            if keys.count == layout.keys.count { return edges }
        }
        return nil
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
