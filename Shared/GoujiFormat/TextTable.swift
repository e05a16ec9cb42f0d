import Foundation

/// A grid of text to print as an aligned table, CSV or JSON.
public struct TextTable: Sendable, Equatable {
    public enum Alignment: String, Sendable, Equatable {
        case left, right
    }

    public struct Column: Sendable, Equatable {
        public var title: String
        public var alignment: Alignment
        public init(_ title: String, alignment: Alignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }

    public var title: String?
    public var columns: [Column]
    /// Cells; nil is an empty cell (SQL NULL, a blank amount).
    public var rows: [[String?]]

    public init(title: String? = nil, columns: [Column], rows: [[String?]]) {
        self.title = title
        self.columns = columns
        self.rows = rows
    }

    /// The table aligned by display width: a header, a rule, then one line per row. Amount columns
    /// (`.right`) are right-aligned; a cell wider than `maxCellWidth` columns is cut with `…`.
    /// Lines end with `\n`; no trailing spaces.
    public func renderAligned(maxCellWidth: Int = 60, separator: String = "  ") -> String {
        let n = columns.count
        var widths = columns.map { DisplayWidth.of($0.title) }
        let cells: [[String]] = rows.map { row in
            (0..<n).map { i in
                let raw = i < row.count ? (row[i] ?? "") : ""
                let flat = raw.replacingNewlines()
                return DisplayWidth.truncate(flat, to: maxCellWidth)
            }
        }
        for row in cells {
            for i in 0..<n { widths[i] = max(widths[i], DisplayWidth.of(row[i])) }
        }
        var out = ""
        if let title { out += title + "\n" }
        func line(_ items: [String]) -> String {
            var parts: [String] = []
            for i in 0..<n {
                let right = columns[i].alignment == .right
                parts.append(DisplayWidth.pad(items[i], to: widths[i], rightAlign: right))
            }
            var s = parts.joined(separator: separator)
            while s.last == " " { s.removeLast() }
            return s + "\n"
        }
        out += line(columns.map(\.title))
        out += widths.map { String(repeating: "─", count: max($0, 1)) }.joined(separator: separator) + "\n"
        for row in cells { out += line(row) }
        return out
    }

    /// RFC 4180 CSV: a header record then one record per row, CRLF line breaks, fields quoted when
    /// they contain a comma, a quote, CR or LF (quotes doubled). Empty cells are empty fields.
    public func renderCSV() -> String {
        var out = CSV.record(columns.map(\.title))
        for row in rows {
            out += CSV.record((0..<columns.count).map { i in i < row.count ? (row[i] ?? "") : "" })
        }
        return out
    }
}

public enum CSV {
    /// One field, quoted when needed.
    public static func field(_ s: String) -> String {
        let needsQuotes = s.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
            || s.first == " " || s.last == " "
        guard needsQuotes else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record terminated by CRLF.
    public static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }
}

extension String {
    func replacingNewlines() -> String {
        guard contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" || $0 == "\t" }) else { return self }
        return String(map { ($0 == "\n" || $0 == "\r" || $0 == "\r\n" || $0 == "\t") ? " " : $0 })
    }

}
