import Foundation
import GoujiModel
import GoujiParse
import Testing

@Suite struct BadInputTests {
    private func parse(_ text: String) -> BudgetDocument {
        BudgetParser().parse(text: text, source: Source(name: "bad.txt", format: .text))
    }

    @Test func emptyFile() {
        let doc = parse("")
        #expect(doc.tables.isEmpty)
        #expect(doc.parseNotes.contains { $0.message.contains("no text") })
        let blank = parse("\n\r\n  \t\n")
        #expect(blank.parseNotes.contains { $0.message.contains("no text") })
    }

    @Test func randomBytes() {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<200_000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let doc = parse(String(decoding: bytes, as: UTF8.self))
        #expect(doc.tables.isEmpty)
        #expect(doc.parseNotes.contains { $0.message.contains("undecodable") })
        #expect(doc.parseNotes.contains { $0.message.contains("no budget tables") })
    }

    @Test func noTables() {
        let doc = parse("第一部分 概况\n一、主要职责\n负责全市社会保险经办工作。\n")
        #expect(doc.tables.isEmpty)
        #expect(doc.prose.count == 3)
        #expect(doc.parseNotes.contains { $0.message.contains("no budget tables") })
    }

    /// Numbers no Int64 holds, and amounts at the finest precision an Amount keeps, inside table
    /// rows and captions: each used to trap (an overflowing digit loop, a negative tolerance range).
    @Test func extremeNumbersInTables() {
        let long = String(repeating: "9", count: 25)
        let texts = [
            "部门支出总表\n科目编码 科目名称 合计 基本支出 项目支出\n2080109 社会保险经办机构 \(long) 945.61\n",
            "部门支出总表\n科目编码 科目名称 合计 基本支出 项目支出\n2080109 社会保险经办机构 1.12345678 1.00000000\n",
            "部门支出总表\n科目编码 科目名称 合计 基本支出 项目支出\n2080109 社会保险经办机构 1.123456 1.000000\n208 社会保障和就业支出 1.123456 1.000000\n",
            "\(long)年部门预算\n部门支出总表\n单位：万元 \(long)年\n科目编码 科目名称 合计 基本支出 项目支出\n2080109 社会保险经办机构 1.00 1.00\n",
        ]
        for text in texts {
            let doc = parse(text)
            #expect(doc.tables.count == 1, "\(text)")
        }
    }

    @Test func hundredMegabytesOfRepeatedLines() throws {
        // 100 MB: a table title, then a data row repeated; parsing must finish and stay bounded.
        let row = "2080109 社会保险经办机构 1,155.61 945.61 210.00\n"
        let target = 100 * 1024 * 1024
        var text = "部门支出总表\n科目编码 科目名称 合计 基本支出 项目支出\n"
        text.reserveCapacity(target + row.utf8.count)
        let chunk = String(repeating: row, count: 4096)
        while text.utf8.count < target { text += chunk }
        let before = residentBytes()
        let start = ContinuousClock.now
        let doc = BudgetParser(maxInputBytes: 2 << 20).parse(text: text, source: Source(name: "big.txt", format: .text))
        let elapsed = ContinuousClock.now - start
        let after = residentBytes()
        #expect(doc.tables.count == 1)
        #expect(doc.parseNotes.contains { $0.message.contains("only the first") })
        let rows = doc.tables.first?.rows.count ?? 0
        #expect(rows > 1000)
        #expect(doc.tables.first?.rows.last?.values[Column.project] == Amount("210.00"))
        // Memory: a few times the input.
        if let before, let after { #expect(after - before < 4 * target, "grew \((after - before) >> 20) MB") }
        #expect(elapsed < .seconds(120))
    }

    private func residentBytes() -> Int? {
        guard let s = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let parts = s.split(separator: " ")
        guard parts.count > 1, let pages = Int(parts[1]) else { return nil }
        return pages * 4096
    }
}
