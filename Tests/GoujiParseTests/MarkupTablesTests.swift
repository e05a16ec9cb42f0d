import Foundation
import Testing
import GoujiModel
@testable import GoujiParse

/// Tables a document converter printed as HTML rows or markdown pipe rows (`MarkupTables`).
@Suite struct MarkupTablesTests {
    static func flattened(_ text: String) -> [String] {
        let rows = MarkupTables.splittingRows(text)
        return MarkupTables.flattened(SourceText(rows), text: rows).lines.map(\.raw)
    }

    @Test func htmlRowsBecomeTabSeparatedLines() {
        let lines = Self.flattened("""
            单位支出总表
            <table>
            <tr><th>科目编码</th><th>科目名称</th><th>合计</th><th>基本支出</th><th>项目支出</th></tr>
            <tr><td>208</td><td>社会保障和就业支出</td><td>1,286.02</td><td>1,076.02</td><td>210.00</td></tr>
            <tr>
              <td>20805</td>
              <td>行政事业单位<br>养老支出</td>
              <td>130.41</td><td>130.41</td><td></td>
            </tr>
            </table>
            """)
        #expect(lines.count == 10) // every line keeps its number
        #expect(lines[0] == "单位支出总表")
        #expect(lines[1].isEmpty)
        #expect(lines[2] == "科目编码\t科目名称\t合计\t基本支出\t项目支出")
        #expect(lines[3] == "208\t社会保障和就业支出\t1,286.02\t1,076.02\t210.00")
        #expect(lines[4] == "20805\t行政事业单位 养老支出\t130.41\t130.41\t") // a blank cell kept
        #expect(lines[5...9].allSatisfy { $0.isEmpty })
    }

    @Test func mergedHeaderCellsKeepTheColumnsAfterThem() {
        let lines = Self.flattened("<tr><th>项目</th><th colspan=\"3\">财政拨款</th><th>其他</th></tr>")
        #expect(lines == ["项目\t财政拨款\t\t\t其他"])
    }

    /// A cell spanning rows (a performance table's level-one word) leaves an empty field in the
    /// rows it covers, so their cells keep their columns.
    @Test func cellsSpanningRowsKeepTheColumnsBelow() {
        let lines = Self.flattened("""
            <table>
            <tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>指标值</th></tr>
            <tr><td rowspan="3">产出指标</td><td rowspan="2">数量指标</td><td>参保人数</td><td>≥80401人</td></tr>
            <tr><td>发放人数</td><td>≥500人</td></tr>
            <tr><td>质量指标</td><td>合格率</td><td>≥98%</td></tr>
            <tr><td>效益指标</td><td>社会效益指标</td><td>满意度</td><td>≥95%</td></tr>
            </table>
            <table><tr><td>新表</td><td>1.00</td></tr></table>
            """)
        #expect(lines[2] == "产出指标\t数量指标\t参保人数\t≥80401人")
        #expect(lines[3] == "\t\t发放人数\t≥500人")
        #expect(lines[4] == "\t质量指标\t合格率\t≥98%")
        #expect(lines[5] == "效益指标\t社会效益指标\t满意度\t≥95%")
        #expect(lines.filter { !$0.isEmpty }.last == "新表\t1.00")
    }

    /// A table printed on one line (as an HTML page's source often is): each row on a line.
    @Test func aTableOnOneLineIsSplitIntoRows() {
        let lines = Self.flattened("<table><tr><td>合计</td><td>3.00</td></tr><tr><td>公务接待费</td><td>3.00</td></tr></table>")
        #expect(lines.filter { !$0.isEmpty } == ["合计\t3.00", "公务接待费\t3.00"])
    }

    @Test func markdownPipeRows() {
        let lines = Self.flattened("""
            | 科目编码 | 科目名称 | 合计 |
            |---|:---|---:|
            | 208 | 社会保障和就业支出 | 1,286.02 |
            |  | 合计 | 1,414.81 |
            说明 | 不是表格
            """)
        #expect(lines == ["科目编码\t科目名称\t合计", "", "208\t社会保障和就业支出\t1,286.02", "\t合计\t1,414.81", "说明 | 不是表格"])
    }

    /// Text without markup rows (the seeds: `<p>` debris, `**` marks) is left alone.
    @Test func otherTextIsLeftAlone() throws {
        for url in SharedFiles.seeds {
            let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
            #expect(MarkupTables.splittingRows(text) == text)
            let src = SourceText(text)
            #expect(MarkupTables.flattened(src, text: text).lines == src.lines, "\(url.lastPathComponent)")
        }
    }

    /// The gold tables rendered tab-separated (blank cells kept), then as HTML rows or markdown
    /// pipe rows: the same cells come back.
    @Test(arguments: ["html", "html-spread", "pipes"])
    func goldTablesAsMarkup(_ style: String) throws {
        let dir = try SharedFiles.tempDir("markup-\(style)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let goldDir = SharedFiles.root.appendingPathComponent("gold")
        for name in try FileManager.default.contentsOfDirectory(atPath: goldDir.path).filter({ $0.hasSuffix(".json") }).sorted() {
            let gold = try DocumentJSON.decode(Data(contentsOf: goldDir.appendingPathComponent(name)))
            let tabbed = VariantRenderer.render(gold, layout: .tabs)
            let text = tabbed.components(separatedBy: "\n").map { line -> String in
                guard line.contains("\t") else { return line }
                let cells = line.components(separatedBy: "\t")
                switch style {
                case "pipes": return "| " + cells.joined(separator: " | ") + " |"
                case "html-spread": return "<tr>\n" + cells.map { "  <td>\($0)</td>" }.joined(separator: "\n") + "\n</tr>"
                default: return "<tr>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>"
                }
            }.joined(separator: "\n")
            let doc = BudgetParser().parse(text: text, source: Source(name: name, format: .text))
            try DocumentJSON.encode(doc).write(to: dir.appendingPathComponent(name))
        }
        let s = try SharedFiles.score(pred: dir)
        #expect((s["cells"] ?? 0) >= 0.98, "\(style): cells F1 \(s["cells"] ?? 0)")
    }
}
