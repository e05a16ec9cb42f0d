import GoujiModel
@testable import GoujiParse
import GoujiTestSupport
import Testing

/// Parser speed, round 3: each shortcut against the reading it replaces (kept here as the
/// reference), on fixed cases and fixed-seed random ones.
@Suite struct ParseRound3FastPathTests {
    /// Header and table line pieces: column words, single characters of vertical headers, the
    /// space scalars (single and runs), tabs and debris.
    static let headerPieces = ["合计", "基本支出", "项目支出", "一般公共预算", "财政拨款", "上年结转", "小计", "科目编码", "科目名称",
                               "预算数", "事业收入", "其他收入", "人员经费", "公用经费", "年", "结", "转", "单", "位", "（", "）",
                               " ", "  ", "   ", "\u{3000}", "\u{00A0}", "\u{2002}", "\u{2003}", "\t", "*", "**", "<b>", "- ",
                               "1", "2", "12.5", "-3", "a", "e\u{301}", "\u{301}", "\r"]

    static func randomLines(seed: UInt64, count: Int = 4000) -> [String] {
        var g = SplitMix64(seed: seed)
        var out: [String] = []
        for _ in 0..<count {
            var s = ""
            for _ in 0..<g.int(0...9) { s += headerPieces[g.int(0...(headerPieces.count - 1))] }
            out.append(s)
        }
        return out
    }

    // MARK: ColumnPositions.columns

    /// `ColumnPositions.columns` as it was: every header line split into cells and scanned,
    /// whitespace or not.
    static func referenceColumns(headerLines: [SourceLine], layout: ColumnLayout) -> [Int]? {
        guard layout.keys.count >= 2 else { return nil }
        for l in headerLines.reversed() where !l.raw.has("\t") {
            let runs = LineTokens.cells(l.raw)
            guard runs.filter({ !HeaderReader.scan(HeaderReader.normalize($0.text)).filter { !$0.begins(with: "#skip") }.isEmpty }).count >= 2
            else { continue }
            var cells: [(text: String, position: Int)] = []
            for c in runs {
                var x = c.position
                for w in c.text.split(separator: " ", omittingEmptySubsequences: false) {
                    if !w.isEmpty { cells.append((String(w), x)) }
                    x += ColumnPositions.displayWidth(String(w)) + 1
                }
            }
            var edges: [Int] = []
            var keys: [String] = []
            for c in cells {
                let found = HeaderReader.scan(HeaderReader.normalize(c.text)).filter { !$0.begins(with: "#skip") }
                guard let k = found.first else { continue }
                let key = k == "#total" || k == "#sub" ? Column.total : k
                keys.append(key)
                edges.append(c.position + ColumnPositions.displayWidth(c.text))
            }
            if keys.count == layout.keys.count { return edges }
        }
        return nil
    }

    @Test func columnPositionsMatchReference() {
        let lines = Self.randomLines(seed: 3_001) + ["合计  基本支出  项目支出", "合计 基本支出", "合计\u{3000}项目支出", "  合计  小计",
                                                      "合计", "年", "科目编码  合计", "合计\t基本支出"]
        let layouts = [ColumnLayout(keys: [Column.total, Column.basic, Column.project], groups: [:]),
                       ColumnLayout(keys: [Column.total, Column.basic], groups: [:]),
                       ColumnLayout(keys: [Column.total], groups: [:])]
        var g = SplitMix64(seed: 3_002)
        var found = 0
        for i in lines.indices {
            // One to three header lines, the line under test among them.
            var header = [SourceLine(number: 1, raw: lines[i])]
            for _ in 0..<g.int(0...2) { header.append(SourceLine(number: header.count + 1, raw: lines[g.int(0...(lines.count - 1))])) }
            for layout in layouts {
                let new = ColumnPositions.columns(headerLines: header, layout: layout)
                #expect(new == Self.referenceColumns(headerLines: header, layout: layout), "\(header.map(\.raw))")
                if new != nil { found += 1 }
            }
        }
        // The random lines reach the positions, not only the early exits.
        #expect(found > 50)
    }
}
