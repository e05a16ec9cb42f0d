import Foundation
import GoujiModel
@testable import GoujiParse
import GoujiTestSupport
import Testing

/// Form feeds and bare page numbers, as `pdftotext` leaves them between the rows of a table split
/// over pages (`PageFurniture`).
@Suite struct PageFurnitureTests {
    @Test func bareNumbers() {
        #expect(PageFurniture.bareNumber("12") == 12)
        #expect(PageFurniture.bareNumber("7") == 7)
        #expect(PageFurniture.bareNumber("2024") == 2024)
        // A code printed alone (leading zero, or five digits and more) is never one.
        #expect(PageFurniture.bareNumber("01") == nil)
        #expect(PageFurniture.bareNumber("30101") == nil)
        #expect(PageFurniture.bareNumber("1.5") == nil)
        #expect(PageFurniture.bareNumber("") == nil)
        #expect(PageFurniture.bareNumber("１２") == nil)
    }

    @Test func formFeedsGoAndTheNumbersBeforeThemAreBlanked() {
        let text = "合计\t3.00\n行政运行\t1.00\n12\n\u{0C}事业运行\t1.00\n其他\t1.00\n13\n\u{0C}尾\n14\n\u{0C}"
        let lines = SourceText(text).lines
        #expect(lines.map(\.text) == ["合计\t3.00", "行政运行\t1.00", "", "事业运行\t1.00", "其他\t1.00", "", "尾", "", ""])
        // Every line keeps its number.
        #expect(lines.map(\.number) == Array(1...9))
        #expect(!lines.contains { $0.raw.utf8.contains(0x0C) })
    }

    @Test func numbersAtTheTopOfEachPageAndIndentedOnesAreBlankedToo() {
        let top = SourceText("表头\n\u{0C}2\n行\t1.00\n\u{0C}3\n行\t2.00\n").lines
        #expect(top.map(\.text) == ["表头", "", "行\t1.00", "", "行\t2.00"])
        let layout = SourceText("  行政运行      1.00\n                          5\n\u{0C}  事业运行      2.00\n                          6\n\u{0C}").lines
        #expect(layout.map(\.text) == ["行政运行      1.00", "", "事业运行      2.00", "", ""])
        // The form feed's column is gone, so the line is aligned as the page printed it.
        #expect(layout[2].raw == "  事业运行      2.00")
    }

    @Test func aNumberAtOneBoundaryAloneIsNoEvidence() {
        // One page boundary with `208` (a code printed alone) before it; the other boundary holds
        // no number: nothing is blanked.
        let lines = SourceText("行\t1.00\n208\n\u{0C}社会保障和就业支出\t1.00\n行\t2.00\n\u{0C}").lines
        #expect(lines.map(\.text) == ["行\t1.00", "208", "社会保障和就业支出\t1.00", "行\t2.00", ""])
        // Two boundaries whose numbers stand at different offsets from their pages' counts.
        let odd = SourceText("a\n208\n\u{0C}b\n7\n\u{0C}c").lines
        #expect(odd.map(\.text) == ["a", "208", "b", "7", "c"])
    }

    @Test func withoutFormFeedsOnlyAChainOfPageNumbersIsBlanked() {
        // Codes printed one cell per line go up by one as page numbers do (类 301, 302, 303, each
        // over its rows), but far above the count of pages before them: they stay.
        let codes = (1...3).flatMap { k in ["\(300 + k)", "支出\(k)"] + Array(repeating: "行\t1.00", count: 24) }
        #expect(SourceText(codes.joined(separator: "\n")).lines.filter(\.isBlank).isEmpty)

        // Pages of 30 lines, numbered from 2 at each page's foot (an unnumbered cover): blanked,
        // and nothing else.
        var pages: [String] = []
        for page in 1...6 {
            pages += (1...29).map { "行\($0)\t\(page).00" }
            if page > 1 { pages.append("\(page)") } else { pages.append("") }
        }
        let read = SourceText(pages.joined(separator: "\n")).lines
        #expect(read.filter(\.isBlank).count == 6)
        #expect(read.filter { $0.text.hasPrefix("行") }.count == 6 * 29)

        // Serial numbers going up by one within one part of a text: too little of it to be pages.
        var serials = Array(repeating: "说明文字。", count: 200)
        for k in 1...4 { serials += ["\(k)", "项目\(k)"] + Array(repeating: "指标\t完成", count: 20) }
        #expect(SourceText(serials.joined(separator: "\n")).lines.filter(\.isBlank).isEmpty)

        // Numbers set in by ideographic spaces or tabs are read alike.
        let setIn = pages.map { $0.count <= 2 && !$0.isEmpty ? "\u{3000}\u{3000}\t" + $0 : $0 }
        #expect(SourceText(setIn.joined(separator: "\n")).lines.filter(\.isBlank).count == 6)

        // Two numbers are no chain; numbers a few lines apart are no pages.
        #expect(SourceText((["1"] + Array(repeating: "行", count: 40) + ["2"]).joined(separator: "\n")).lines.filter(\.isBlank).isEmpty)
        let close = (1...20).flatMap { ["\($0)", "行", "行"] }
        #expect(SourceText(close.joined(separator: "\n")).lines.filter(\.isBlank).isEmpty)
        // Uneven pages (one far longer than the others) are no chain of pages either.
        let uneven = ["1"] + Array(repeating: "行", count: 20) + ["2"] + Array(repeating: "行", count: 200) + ["3"]
            + Array(repeating: "行", count: 20) + ["4"]
        #expect(SourceText(uneven.joined(separator: "\n")).lines.filter(\.isBlank).isEmpty)
    }

    @Test func withoutFormFeedsManyBareNumbersStayLinear() {
        // 100k bare numbers going up and down, none a page: one pass, each looking back a few.
        let text = (0..<100_000).map { "\($0 % 7 + 1)" }.joined(separator: "\n")
        #expect(SourceText(text).lines.filter(\.isBlank).isEmpty)
    }

    @Test func manyBoundariesStayLinear() {
        // A text of nothing but one number and a form feed, over and over: each boundary's number
        // stands at another offset from its page, so none is a page number; one pass.
        let text = String(repeating: "12\n\u{0C}", count: 100_000)
        let lines = SourceText(text).lines
        #expect(lines.count == 100_001)
        #expect(lines.filter { $0.text == "12" }.count == 100_000)
    }

    @Test func runningHeadersAndFootersAreBlanked() {
        // Six pages, each but the first opening with the same header, each closing with a footer
        // that carries its page number; the first page opens with the document's title.
        var lines: [String] = []
        for page in 1...6 {
            lines.append(page == 1 ? "某某单位2024年部门预算" : "\u{0C}某某单位2024年部门预算")
            lines += ["表\(page)", "行政运行\t\(page).00"]
            lines.append("某某单位部门预算 第\(page)页 共6页")
        }
        let read = SourceText(lines.joined(separator: "\n")).lines
        #expect(read[0].text == "某某单位2024年部门预算")
        #expect(read.filter { $0.text.contains("某某单位") }.count == 1)
        #expect(read.filter { $0.text.hasPrefix("表") || $0.text.hasPrefix("行政运行") }.count == 12)
    }

    @Test func aTableHeaderRepeatedOverSomePagesStays() {
        // Eight pages; a table runs over pages 3 to 5 with its header at the top of each: three of
        // eight pages is no running header.
        var lines: [String] = []
        for page in 1...8 {
            let top = (3...5).contains(page) ? "项目\t合计\t基本支出\t项目支出" : "第\(page)部分说明文字"
            lines.append((page == 1 ? "" : "\u{0C}") + top)
            lines += ["行\t1.00\t1.00\t0.00", ["收入", "支出", "结转", "项目", "绩效", "资产", "采购", "说明"][page - 1]]
        }
        let read = SourceText(lines.joined(separator: "\n")).lines
        #expect(read.filter { $0.text == "项目\t合计\t基本支出\t项目支出" }.count == 3)
        #expect(read.filter(\.isBlank).isEmpty)
    }

    /// What a reader compares of two parses when lines were added: the cells, facts, projects and
    /// metadata, without line numbers.
    static func reading(_ doc: BudgetDocument) -> [String] {
        var out = [doc.unit?.name ?? "-", "\(doc.fiscalYear ?? 0)", "\(String(describing: doc.kind))", "\(String(describing: doc.scope))"]
        for t in doc.tables {
            out.append("\(t.kind) \(t.empty) \(t.columns)")
            for r in t.rows {
                out.append("  \(r.code ?? "") \(r.label) \(String(describing: r.side)) " +
                           r.values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))
            }
        }
        out += doc.facts.map { "\($0.key) \($0.value) \(String(describing: $0.change)) \(String(describing: $0.pct))" }
        out += doc.projects.map { "\($0.name) \(String(describing: $0.total)) \($0.indicators.count)" }
        return out
    }

    @Test(arguments: [("header", true), ("footer", false)])
    func seedsReadTheSameWithRunningLines(_ what: String, _ atTop: Bool) throws {
        for url in try SharedData.seedFiles() {
            let text = try String(contentsOf: url, encoding: .utf8)
            let source = Source(name: url.lastPathComponent, format: .text, bytes: text.utf8.count)
            let plain = BudgetParser().parse(text: text, source: source)
            // A page break every 35 lines: the footer (or a bare number), a form feed, the header.
            var out: [String] = []
            var page = 1
            for (i, line) in text.components(separatedBy: "\n").enumerated() {
                if i > 0 && i % 35 == 0 {
                    out.append(atTop ? "\(page)" : "某某单位\(page + 2024)年部门预算公开 第\(page)页")
                    out.append("\u{0C}" + (atTop ? "某某单位部门预算" : ""))
                    page += 1
                }
                out.append(line)
            }
            let doc = BudgetParser().parse(text: out.joined(separator: "\n"), source: source)
            #expect(Self.reading(doc) == Self.reading(plain), "\(what): \(url.lastPathComponent)")
        }
    }

    /// Page furniture laid over each seed's blank lines (so no line number moves): every
    /// `spacing` lines, a page number on a blank line and a form feed at the start of the next
    /// line, as pdftotext prints a page's end. Parsed, the document must equal the seed's.
    static func paginate(_ text: String, spacing: Int, number: (Int) -> String?, formFeed: Bool) -> String {
        var lines = text.components(separatedBy: "\n")
        var page = 1
        var next = spacing
        var i = 0
        while i + 1 < lines.count {
            if i >= next && lines[i].trimmingCharacters(in: .whitespaces).isEmpty {
                if let n = number(page) { lines[i] = n }
                if formFeed { lines[i + 1] = "\u{0C}" + lines[i + 1] }
                page += 1
                next = i + spacing
            }
            i += 1
        }
        return lines.joined(separator: "\n")
    }

    @Test(arguments: [
        ("bare numbers and form feeds", 37, true, false, true),
        ("indented numbers and form feeds", 41, true, true, true),
        ("form feeds alone", 29, false, false, true),
        ("bare numbers without form feeds", 43, true, false, false),
        ("indented numbers without form feeds", 31, true, true, false),
    ])
    func seedsReadTheSameWithPageFurniture(_ how: String, _ spacing: Int, _ numbered: Bool, _ indented: Bool,
                                           _ formFeed: Bool) throws {
        for url in try SharedData.seedFiles() {
            let text = try String(contentsOf: url, encoding: .utf8)
            let source = Source(name: url.lastPathComponent, format: .text, bytes: text.utf8.count)
            let plain = BudgetParser().parse(text: text, source: source)
            let paged = Self.paginate(text, spacing: spacing, number: { page in
                numbered ? (indented ? String(repeating: " ", count: 30 + page % 7) : "") + "\(page + 2)" : nil
            }, formFeed: formFeed)
            #expect(paged != text)
            let doc = BudgetParser().parse(text: paged, source: source)
            #expect(doc == plain, "\(how): \(url.lastPathComponent)")
        }
    }
}
