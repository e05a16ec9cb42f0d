import GoujiFormat
import Testing

@Suite struct DisplayWidthTests {
    @Test func asciiIsOneColumn() {
        #expect(DisplayWidth.of("abc 123") == 7)
        #expect(DisplayWidth.of("") == 0)
    }

    @Test func cjkAndFullwidthAreTwoColumns() {
        #expect(DisplayWidth.of("社会保险") == 8)
        #expect(DisplayWidth.of("（一）") == 6)          // fullwidth parentheses
        #expect(DisplayWidth.of("２０２４") == 8)          // fullwidth digits
        #expect(DisplayWidth.of("，。、") == 6)            // CJK punctuation
        #expect(DisplayWidth.of("한국") == 4)              // Hangul syllables
        #expect(DisplayWidth.of("𠀀") == 2)               // CJK extension B
        #expect(DisplayWidth.of("合计 total") == 10)
    }

    @Test func combiningAndControlAreZeroColumns() {
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("a\u{200B}b") == 2)
        #expect(DisplayWidth.of("\u{1}x") == 1)
    }

    @Test func ambiguousAndNarrowSymbolsAreOneColumn() {
        #expect(DisplayWidth.of("“三公”") == 6)            // curly quotes are ambiguous → 1
        #expect(DisplayWidth.of("≥80401") == 6)
        #expect(DisplayWidth.of("ｱ") == 1)                // halfwidth katakana
    }

    @Test func padAndTruncateByColumns() {
        #expect(DisplayWidth.pad("合计", to: 6, rightAlign: false) == "合计  ")
        #expect(DisplayWidth.pad("1.5", to: 6, rightAlign: true) == "   1.5")
        #expect(DisplayWidth.truncate("人力资源和社会保障管理事务", to: 9) == "人力资源…")
        #expect(DisplayWidth.of(DisplayWidth.truncate("人力资源和社会保障管理事务", to: 9)) <= 9)
        #expect(DisplayWidth.truncate("short", to: 9) == "short")
    }
}

@Suite struct TextTableTests {
    let table = TextTable(columns: [
        .init("编码"), .init("项目"), .init("合计", alignment: .right),
    ], rows: [
        [nil, "合计", "1414.81"],
        ["2080109", "社会保险经办机构", "1155.61"],
        ["221", "住房保障支出", "7.5"],
    ])

    @Test func columnsAlignByDisplayWidth() {
        let lines = table.renderAligned().split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        // Every amount ends at the same display column.
        let ends = lines.enumerated().filter { $0.offset != 1 }.map { DisplayWidth.of($0.element) }
        #expect(Set(ends).count == 1)
        // The label column starts at the same display column on every line.
        let starts = [lines[0], lines[2], lines[3], lines[4]].map { line -> Int in
            let prefix = line.prefix { $0 != "社" && $0 != "合" && $0 != "住" && $0 != "项" }
            return DisplayWidth.of(String(prefix))
        }
        #expect(Set(starts).count == 1)
        #expect(lines[4].hasSuffix("    7.5"))
        #expect(lines[2] == String(repeating: " ", count: 9) + "合计" + String(repeating: " ", count: 14) + "1414.81")
        #expect(lines.allSatisfy { !$0.hasSuffix(" ") })
    }

    @Test func titleAndLongCells() {
        let t = TextTable(title: "单位支出总表", columns: [.init("项目")], rows: [["一二三四五六七八九十"]])
        let out = t.renderAligned(maxCellWidth: 8)
        #expect(out.hasPrefix("单位支出总表\n"))
        #expect(out.contains("一二三…"))
    }

    @Test func csvQuotesPerRFC4180() {
        #expect(CSV.field("plain") == "plain")
        #expect(CSV.field("a,b") == "\"a,b\"")
        #expect(CSV.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSV.field("two\nlines") == "\"two\nlines\"")
        #expect(CSV.field("cr\rx") == "\"cr\rx\"")
        #expect(CSV.field(" padded") == "\" padded\"")
        #expect(CSV.field("社会保险") == "社会保险")
        #expect(CSV.record(["a", "", "c,d"]) == "a,,\"c,d\"\r\n")
    }

    @Test func csvOfATable() {
        let csv = table.renderCSV()
        #expect(csv == "编码,项目,合计\r\n,合计,1414.81\r\n2080109,社会保险经办机构,1155.61\r\n221,住房保障支出,7.5\r\n")
    }

    @Test func pagerCommandFallsBackToLess() {
        #expect(Output.pagerCommand(environment: [:]) == "less -FRX")
        #expect(Output.pagerCommand(environment: ["PAGER": "  "]) == "less -FRX")
        #expect(Output.pagerCommand(environment: ["PAGER": "more"]) == "more")
        #expect(Output.lineCount("a\nb\nc\n", limit: 100) == 3)
        #expect(Output.lineCount("a\nb\nc\n", limit: 2) == 2)
    }
}
