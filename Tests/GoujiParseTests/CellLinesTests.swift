import Foundation
import Testing
import GoujiModel
@testable import GoujiParse

/// Tables printed one cell per line (`CellLines`): rows joined back, everything else left alone.
@Suite struct CellLinesTests {
    static func joined(_ text: String) -> [String] {
        CellLines.joiningRows(SourceText(text)).lines.map(\.raw)
    }

    @Test func rowsOfOneCellPerLineAreJoined() {
        let text = """
            合计
            1,414.81
            1,204.81
            210.00
            208
            社会保障和就业支出
            1,286.02
            1,076.02
            210.00
            2080109
            社会保险经办机构
            1,155.61
            945.61
            210.00
            """
        let lines = Self.joined(text)
        #expect(lines.count == 14) // every line keeps its number
        #expect(lines[0] == "合计 1,414.81 1,204.81 210.00")
        #expect(lines[4] == "208") // a code stays on its line, before its label
        #expect(lines[5] == "社会保障和就业支出 1,286.02 1,076.02 210.00")
        #expect(lines[9] == "2080109")
        #expect(lines[10] == "社会保险经办机构 1,155.61 945.61 210.00")
        #expect(lines.filter(\.isEmpty).count == 9)
    }

    @Test func wrappedLabelsAndBlankCellsKeepTheirPlaces() {
        let text = """
            2080505
            机关事业单位基本养老

            保险缴费支出
            86.94
            -
            86.94
            2080506
            机关事业单位职业年金缴费支出
            43.47
            -
            43.47
            210
            卫生健康支出
            52.71
            52.71
            """
        let lines = Self.joined(text)
        #expect(lines[1] == "机关事业单位基本养老")
        #expect(lines[3] == "保险缴费支出 86.94 - 86.94")
        #expect(lines[8] == "机关事业单位职业年金缴费支出 43.47 - 43.47")
        #expect(lines[13] == "卫生健康支出 52.71 52.71")
    }

    /// A lone amount under a label outside such a table (a wrapped cell, a short list) is left
    /// alone, and so are rows printed on one line with a code line between them.
    @Test func otherLayoutsAreLeftAlone() {
        let few = """
            其中：财政拨款收入
            2,495.56
            一、本年支出
            2,495.56
            """
        #expect(Self.joined(few) == few.components(separatedBy: "\n"))
        let coded = """
            01 人力资源和社会保障管理事务 1,155.61 945.61 210.00
            2080109
            社会保险经办机构 1,155.61 945.61 210.00
            05 行政事业单位养老支出 130.41 130.41
            2080505
            机关事业单位基本养老保险缴费支出 86.94 86.94
            2080506
            机关事业单位职业年金缴费支出 43.47 43.47
            """
        #expect(Self.joined(coded) == coded.components(separatedBy: "\n"))
        // The same with no-break or ideographic spaces between the cells.
        for space in ["\u{00A0}", "\u{3000}"] {
            let other = coded.replacingOccurrences(of: " ", with: space)
            #expect(Self.joined(other) == other.components(separatedBy: "\n"))
        }
        for url in SharedFiles.seeds {
            let text = String(decoding: (try? Data(contentsOf: url)) ?? Data(), as: UTF8.self)
            let src = SourceText(text)
            #expect(CellLines.joiningRows(src).lines == src.lines, "\(url.lastPathComponent)")
        }
    }

    /// A year split from its 年 in a header cell goes back before it, and is no amount.
    @Test func aYearSplitFromItsCellIsNoAmount() {
        let text = """
            支出经济分类科目
            2024
            年基本支出
            合计
            1,204.81
            1,093.71
            111.10
            301
            工资福利支出
            1,089.51
            1,089.51
            """
        let lines = Self.joined(text)
        #expect(lines[1] == "2024 年基本支出" && lines[2].isEmpty)
        #expect(lines[3] == "合计 1,204.81 1,093.71 111.10")
    }

    /// Every seed with its tables (headers and rows) printed one cell per line, as `pdftotext`
    /// without `-layout` prints many ruled tables, scores as the seeds do.
    @Test func seedsPrintedOneCellPerLineScoreAlike() throws {
        let dir = try SharedFiles.tempDir("seeds-cells")
        defer { try? FileManager.default.removeItem(at: dir) }
        for url in SharedFiles.seeds {
            let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
            let doc = BudgetParser().parse(text: text, source: Source(name: url.lastPathComponent, format: .text))
            // From the line after each title to its last row: one cell (run of non-space) per line.
            var spans: [ClosedRange<Int>] = []
            for t in doc.tables {
                guard let last = t.rows.compactMap(\.line).max() else { continue }
                spans.append((t.line + 1)...last)
            }
            var out: [String] = []
            for (i, line) in text.components(separatedBy: "\n").enumerated() {
                if spans.contains(where: { $0.contains(i + 1) }) {
                    let cells = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{3000}" })
                    if cells.isEmpty { out.append(line) } else { out.append(contentsOf: cells.map(String.init)) }
                } else {
                    out.append(line)
                }
            }
            let printed = BudgetParser().parse(text: out.joined(separator: "\n"), source: Source(name: url.lastPathComponent, format: .text))
            try DocumentJSON.encode(printed).write(to: dir.appendingPathComponent(url.deletingPathExtension().lastPathComponent + ".json"))
        }
        let s = try SharedFiles.score(pred: dir)
        // (One seed prints its staffing in a small table: one cell per line, the count is lost.)
        for (key, floor) in [("cells", 0.99), ("tables", 0.98), ("projects", 0.98), ("indicators", 0.95), ("meta", 0.95), ("facts", 0.90)] {
            #expect((s[key] ?? 0) >= floor, "\(key) \(s[key] ?? 0)")
        }
    }
}
