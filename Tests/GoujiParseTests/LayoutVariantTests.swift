import Foundation
import GoujiModel
import GoujiParse
import Testing

/// Re-renders the gold tables in three layouts, under other titles, another unit and year, and
/// checks that the parser reads the same cells back.
enum VariantRenderer {
    enum Layout: CaseIterable { case spaceAligned, tabs, singleSpaceWrapped }

    static let titles: [TableKind: String] = [
        .summary: "部门收支总表", .income: "部门收入预算表", .expenditure: "部门支出预算总表",
        .fiscalSummary: "财政拨款收支预算总表", .generalFunction: "一般公共预算拨款支出预算表",
        .generalEconomic: "一般公共预算支出经济分类情况表", .basicEconomic: "一般公共预算基本支出经济分类情况表",
        .projectEconomic: "一般公共预算项目支出情况表（按经济分类科目）", .threePublic: "一般公共预算“三公”经费支出预算表",
        .govFund: "政府性基金预算拨款支出预算表", .stateCapital: "国有资本经营预算拨款支出预算表",
        .basicByCategory: "部门预算基本支出预算表", .projectList: "部门预算项目支出及其他支出预算表",
    ]

    /// Final-accounts (决算) titles, as the Ministry of Finance's template for 部门决算 names them.
    static let finalTitles: [TableKind: String] = [
        .summary: "收入支出决算总表", .income: "收入决算表", .expenditure: "支出决算表",
        .fiscalSummary: "财政拨款收入支出决算总表", .generalFunction: "一般公共预算财政拨款支出决算表",
        .basicEconomic: "一般公共预算财政拨款基本支出决算表", .threePublic: "财政拨款“三公”经费支出决算表",
        .govFund: "政府性基金预算财政拨款收入支出决算表", .stateCapital: "国有资本经营预算财政拨款支出决算表",
    ]

    static let headerWords: [String: String] = [
        Column.total: "合计", Column.priorCarryover: "上年结转", Column.fiscal: "财政拨款小计",
        Column.generalBudget: "一般公共预算", Column.govFund: "政府性基金预算", Column.stateCapital: "国有资本经营预算",
        Column.fiscalSpecial: "财政专户管理资金", Column.eduFee: "教育收费", Column.business: "事业收入",
        Column.operating: "事业单位经营收入", Column.affiliated: "附属单位上缴收入", Column.superior: "上级补助收入",
        Column.other: "其他收入", Column.nonFiscalBalance: "使用非财政拨款结余", Column.basic: "基本支出",
        Column.project: "项目支出", Column.personnel: "人员经费", Column.publicFunds: "公用经费",
    ]

    /// Other words for the same columns, as other regions and the 决算 templates print them
    /// (财政拨款收入 as a column of its own without 小计, 本年收入合计, 经营收入, 日常公用经费 …).
    static let otherHeaderWords: [String: String] = [
        Column.total: "本年收入合计", Column.priorCarryover: "上年结转结余", Column.fiscal: "财政拨款收入",
        Column.generalBudget: "一般公共预算财政拨款", Column.govFund: "政府性基金预算财政拨款",
        Column.stateCapital: "国有资本经营预算财政拨款", Column.business: "事业收入", Column.operating: "经营收入",
        Column.affiliated: "附属单位上缴收入", Column.superior: "上级补助收入", Column.other: "其他收入",
        Column.nonFiscalBalance: "用事业基金弥补收支差额", Column.basic: "基本支出", Column.project: "项目支出",
        Column.personnel: "人员经费", Column.publicFunds: "日常公用经费",
    ]

    static func columns(for t: Table) -> [String] {
        let used = Set(t.rows.flatMap { $0.values.keys })
        switch t.kind {
        case .income, .basicByCategory, .projectList:
            var cols = [Column.total, Column.priorCarryover, Column.fiscal, Column.generalBudget, Column.govFund,
                        Column.stateCapital, Column.business, Column.operating, Column.affiliated, Column.superior,
                        Column.other, Column.nonFiscalBalance]
            if !used.contains(Column.fiscal) { cols.removeAll { $0 == Column.fiscal } }
            return cols
        case .basicEconomic: return [Column.total, Column.personnel, Column.publicFunds]
        default: return [Column.total, Column.basic, Column.project]
        }
    }

    static func width(_ s: String) -> Int { s.reduce(0) { $0 + (($1.unicodeScalars.first?.value ?? 0) >= 0x2E80 ? 2 : 1) } }
    static func pad(_ s: String, _ w: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(1, w - width(s)))
        return right ? fill + s : s + fill
    }
    static func grouped(_ a: Amount) -> String {
        let t = a.text
        let parts = t.split(separator: ".", maxSplits: 1)
        var intPart = String(parts[0])
        let negative = intPart.hasPrefix("-")
        if negative { intPart.removeFirst() }
        var out = ""
        for (i, c) in intPart.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (negative ? "-" : "") + String(out.reversed()) + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// A numeric code in 类/款/项 columns (`2080109` → `208`, `01`, `09`; `30101` → `301`, `01`),
    /// blank where the code stops; nil for a code of another shape.
    static func splitCode(_ code: String?) -> [String] {
        guard let c = code else { return ["", "", ""] }
        guard [3, 5, 7].contains(c.count), c.allSatisfy(\.isASCII), c.allSatisfy(\.isNumber) else { return [c, "", ""] }
        let d = Array(c)
        return [String(d[0..<3]), d.count >= 5 ? String(d[3..<5]) : "", d.count == 7 ? String(d[5..<7]) : ""]
    }

    /// One printed row: code, label, the values in column order (nil = blank cell). With
    /// `splitCodes`, the code is printed in three columns (类, 款, 项; `splitCode`).
    /// With `centred` (space-aligned only), a long label is centred on its code and amounts: its
    /// first half on the line above them, its second half on the line below.
    static func rowLine(code: String?, label: String, cells: [Amount?], layout: Layout, splitCodes: Bool = false,
                        wrapTop: Bool = false, blank: String? = nil, centred: Bool = false) -> String {
        switch layout {
        case .tabs:
            let codeFields = splitCodes ? splitCode(code) : [code ?? ""]
            return (codeFields + [label] + cells.map { $0?.text ?? blank ?? "" }).joined(separator: "\t")
        case .spaceAligned:
            let codeWidth = splitCodes ? 15 : 10
            var s = splitCodes ? splitCode(code).map { pad($0, 5) }.joined() : pad(code ?? "", 10)
            // A long label of a coded row wrapped in its cell, the cell aligned to its top: the
            // amounts on the first line, the rest of the label under it.
            let wrapAt = 6
            if centred && label.count > wrapAt {
                let half = label.count / 2
                let indent = String(repeating: " ", count: codeWidth)
                s += pad("", 40)
                for c in cells { s += pad(c.map(grouped) ?? blank ?? "", 16, right: true) }
                return indent + label.prefix(half) + "\n" + s + "\n" + indent + label.dropFirst(half)
            }
            let wrapped = wrapTop && code != nil && label.count > wrapAt
            s += pad(wrapped ? String(label.prefix(wrapAt)) : label, 40)
            for c in cells { s += pad(c.map(grouped) ?? blank ?? "", 16, right: true) }
            if wrapped { s += "\n" + String(repeating: " ", count: codeWidth) + label.dropFirst(wrapAt) }
            return s
        case .singleSpaceWrapped:
            let nums = cells.compactMap { $0?.text ?? blank }.joined(separator: " ")
            let printedCode = splitCodes ? splitCode(code).filter { !$0.isEmpty }.joined(separator: " ") : code
            let prefix = printedCode.flatMap { $0.isEmpty ? nil : $0 + " " } ?? ""
            if label.count > 9 {
                let cut = label.index(label.startIndex, offsetBy: 8)
                return prefix + label[..<cut] + "\n" + label[cut...] + (nums.isEmpty ? "" : " " + nums)
            }
            return prefix + label + (nums.isEmpty ? "" : " " + nums)
        }
    }

    /// The 栏次 row under a one-sided header that numbers its `count` amount columns, in `layout`.
    static func columnNumberRow(_ count: Int, layout: Layout, splitCodes: Bool = false) -> String {
        let numbers = (1...max(1, count)).map(String.init)
        switch layout {
        case .tabs: return (["栏次"] + Array(repeating: "", count: splitCodes ? 3 : 1) + numbers).joined(separator: "\t")
        case .spaceAligned: return pad("栏次", (splitCodes ? 15 : 10) + 40) + numbers.map { pad($0, 16, right: true) }.joined()
        case .singleSpaceWrapped: return (["栏次"] + numbers).joined(separator: " ")
        }
    }

    static func header(_ words: [String], layout: Layout, splitCodes: Bool = false) -> String {
        let code = splitCodes ? ["类", "款", "项"] : ["科目编码"]
        switch layout {
        case .tabs: return (code + ["科目名称"] + words).joined(separator: "\t")
        case .spaceAligned:
            let codeText = splitCodes ? code.map { pad($0, 5) }.joined() : pad("科目编码", 10)
            return codeText + pad("科目名称", 40) + words.map { pad($0, 16, right: true) }.joined()
        case .singleSpaceWrapped: return (code + ["科目名称"] + words).joined(separator: " ")
        }
    }

    /// The gold document's tables printed in `layout`; with `splitCodes`, codes in 类/款/项 columns;
    /// with `wrapTop` (space-aligned only), coded rows' long labels wrapped under their amounts.
    /// `blank`: what a blank cell of a one-sided table prints (nothing by default; `-`, `—` …).
    /// `finalAccounts`: as a 决算 prints them: 决算 titles, each with its 公开NN表 number, a 栏次
    /// row under each header, and a 行次 (line number) column on each side of two-sided tables.
    /// `continued`: each one-sided table breaks onto a new page halfway, under a page number, a
    /// continuation mark and its header again: the title followed by `continued` (`（续）`), or
    /// `continued` alone on its line when it starts with 续 (`续表`).
    static func render(_ gold: BudgetDocument, layout: Layout, splitCodes: Bool = false, wrapTop: Bool = false,
                       blank: String? = nil, finalAccounts: Bool = false, continued: String? = nil,
                       centred: Bool = false, otherHeaders: Bool = false, wrapTwoSided: Bool = false) -> String {
        let headerWords = otherHeaders ? otherHeaderWords : headerWords
        let kind = finalAccounts ? "决算" : "预算"
        var out: [String] = ["测试市社会保险中心2025年部门\(kind)", "", "第二部分 2025年部门\(kind)表", ""]
        for (n, t) in gold.tables.filter({ $0.kind != .other && $0.kind != .performance }).enumerated() {
            let title = (finalAccounts ? finalTitles[t.kind] : nil) ?? titles[t.kind] ?? t.title
            out.append(title)
            out.append(finalAccounts ? String(format: "公开%02d表", n + 1) : "")
            out.append("编制单位：测试市社会保险中心 单位：万元")
            out.append("")
            if t.kind.isTwoSided {
                let expenseCols = [Column.total, Column.generalBudget, Column.govFund, Column.stateCapital]
                    .filter { c in c == Column.total || t.rows.contains { $0.side == .expenditure && $0.values[c] != nil } }
                let sep = layout == .tabs ? "\t" : (layout == .spaceAligned ? "        " : " ")
                out.append((["收入", "", "支出"]).joined(separator: sep))
                let lineNumber = finalAccounts ? ["行次"] : []
                out.append((["项目"] + lineNumber + ["预算数", "项目"] + lineNumber
                             + expenseCols.map { $0 == Column.total ? "合计" : headerWords[$0] ?? "合计" })
                    .joined(separator: sep))
                if finalAccounts {
                    out.append((["栏次", "", "1", "栏次", ""] + expenseCols.indices.map { String($0 + 2) }).joined(separator: sep))
                }
                let inc = t.rows.filter { $0.side == .income }
                let exp = t.rows.filter { $0.side == .expenditure }
                for i in 0..<max(inc.count, exp.count) {
                    var parts: [String] = []
                    if i < inc.count {
                        parts.append(inc[i].label)
                        if finalAccounts { parts.append(String(i + 1)) }
                        parts.append(inc[i].values[Column.total].map { layout == .spaceAligned ? grouped($0) : $0.text } ?? "")
                    } else { parts += finalAccounts ? ["", "", ""] : ["", ""] }
                    if i < exp.count {
                        parts.append(exp[i].label)
                        if finalAccounts { parts.append(String(inc.count + i + 1)) }
                        for c in expenseCols {
                            parts.append(exp[i].values[c].map { layout == .spaceAligned ? grouped($0) : $0.text } ?? "")
                        }
                    }
                    if wrapTwoSided && layout == .spaceAligned {
                        // Cells of fixed width: a label longer than 8 characters wraps, its rest on
                        // the next line where it starts.
                        let left = i < inc.count ? inc[i].label : "", right = i < exp.count ? exp[i].label : ""
                        let leftValue = i < inc.count ? inc[i].values[Column.total].map(grouped) ?? "" : ""
                        let rightValues = i < exp.count ? expenseCols.map { exp[i].values[$0].map(grouped) ?? "" } : []
                        var line = pad(String(left.prefix(8)), 20) + pad(leftValue, 12, right: true) + "    " + pad(String(right.prefix(8)), 20)
                        for v in rightValues { line += pad(v, 14, right: true) }
                        out.append(String(line.reversed().drop { $0 == " " }.reversed()))
                        let (l2, r2) = (String(left.dropFirst(8)), String(right.dropFirst(8)))
                        if !l2.isEmpty || !r2.isEmpty {
                            out.append(l2.isEmpty ? String(repeating: " ", count: 36) + r2 : r2.isEmpty ? l2 : pad(l2, 36) + r2)
                        }
                    } else if layout == .tabs {
                        out.append(parts.joined(separator: "\t"))
                    } else {
                        out.append(parts.filter { !$0.isEmpty }.joined(separator: sep))
                    }
                }
            } else if t.kind == .threePublic {
                let funds = [Column.generalBudget].filter { c in t.rows.contains { $0.values[c] != nil } }
                out.append(header(["合计"] + funds.map { headerWords[$0] ?? "" }, layout: layout))
                for r in t.rows {
                    out.append(rowLine(code: nil, label: r.label, cells: ([Column.total] + funds).map { r.values[$0] }, layout: layout))
                }
            } else {
                let cols = columns(for: t)
                if [.generalFunction, .basicEconomic].contains(t.kind) { out.append("支出功能分类科目 2025年预算数") }
                let headerLine = header(cols.map { headerWords[$0] ?? $0 }, layout: layout, splitCodes: splitCodes)
                out.append(headerLine)
                if finalAccounts { out.append(columnNumberRow(cols.count, layout: layout, splitCodes: splitCodes)) }
                for (k, r) in t.rows.enumerated() {
                    if let continued, k > 0, k == t.rows.count / 2 {
                        out += ["", "- \(n + 2) -", "", continued.hasPrefix("续") ? continued : title + continued, headerLine]
                    }
                    var code = r.code
                    // Print 款 codes as their two-digit segment under the 类, as the seeds do.
                    if !splitCodes, let c = code, c.count == 5, c.hasPrefix("20"), layout == .singleSpaceWrapped { code = String(c.suffix(2)) }
                    out.append(rowLine(code: code, label: r.label, cells: cols.map { r.values[$0] }, layout: layout,
                                       splitCodes: splitCodes, wrapTop: wrapTop, blank: blank, centred: centred))
                }
            }
            if t.empty { out.append("注：本表本年无发生额。") }
            out.append("")
        }
        return out.joined(separator: "\n")
    }
}

@Suite struct LayoutVariantTests {
    @Test(arguments: VariantRenderer.Layout.allCases)
    func goldTablesReRendered(layout: VariantRenderer.Layout) throws {
        try scoreReRendered(layout: layout, splitCodes: false)
    }

    /// The same tables with their codes printed in 类/款/项 columns (`208 01 09 社会保险经办机构`,
    /// tab fields `208\t01\t09`, or aligned under 类 款 项 headings): the same cells come back.
    @Test(arguments: VariantRenderer.Layout.allCases)
    func goldTablesWithSplitCodes(layout: VariantRenderer.Layout) throws {
        try scoreReRendered(layout: layout, splitCodes: true)
    }

    /// Space-aligned, coded rows' long labels wrapped below their amounts (a cell aligned to its
    /// top, as `pdftotext -layout` prints it): the same cells, and every coded row's whole label.
    @Test(arguments: [false, true])
    func goldTablesWithLabelsWrappedUnderTheirAmounts(splitCodes: Bool) throws {
        try scoreReRendered(layout: .spaceAligned, splitCodes: splitCodes, wrapTop: true)
        for (name, gold, doc) in try goldRendered({ VariantRenderer.render($0, layout: .spaceAligned, splitCodes: splitCodes, wrapTop: true) }) {
            expectWholeLabels(gold, doc, name, uncoded: false)
        }
    }

    /// The same tables as a 决算 prints them (`VariantRenderer.render`'s `finalAccounts`): the
    /// 栏次 rows and 行次 columns number the table and are not read as amounts.
    @Test(arguments: VariantRenderer.Layout.allCases)
    func goldTablesAsFinalAccounts(layout: VariantRenderer.Layout) throws {
        try scoreReRendered(layout: layout, splitCodes: false, finalAccounts: true)
    }

    /// Space-aligned, long labels centred on their code and amounts (half above, half below, as
    /// `pdftotext -layout` prints a cell centred vertically): the same cells, and every row's
    /// whole label.
    @Test(arguments: [false, true])
    func goldTablesWithLabelsCentredOnTheirAmounts(splitCodes: Bool) throws {
        try scoreReRendered(layout: .spaceAligned, splitCodes: splitCodes, centred: true)
        for (name, gold, doc) in try goldRendered({ VariantRenderer.render($0, layout: .spaceAligned, splitCodes: splitCodes, centred: true) }) {
            expectWholeLabels(gold, doc, name, uncoded: true)
        }
    }

    /// The column headings in other words (`otherHeaderWords`; 财政拨款收入 a column of its own
    /// without a 小计 under it): the same cells.
    @Test(arguments: VariantRenderer.Layout.allCases)
    func goldTablesUnderOtherHeadings(layout: VariantRenderer.Layout) throws {
        try scoreReRendered(layout: layout, splitCodes: false, otherHeaders: true)
    }

    /// Space-aligned, two-sided tables' labels wrapped in cells of eight characters, the rest of
    /// each on the next line where it starts: the same cells.
    @Test func goldTwoSidedTablesWithWrappedLabels() throws {
        try scoreReRendered(layout: .spaceAligned, splitCodes: false, wrapTwoSided: true)
    }

    /// Each table broken over two pages, the second under a page number, a continuation mark
    /// (the title with （续） or (续表), a 续表 line, or the title again without a mark) and the
    /// header again: one table each, the same cells.
    @Test(arguments: VariantRenderer.Layout.allCases)
    func goldTablesContinuedOverPages(layout: VariantRenderer.Layout) throws {
        for mark in ["（续）", "(续表)", "续表", ""] {
            try scoreReRendered(layout: layout, splitCodes: false, continued: mark)
            for (name, gold, doc) in try goldRendered({ VariantRenderer.render($0, layout: layout, continued: mark) }) {
                let kinds = gold.tables.map(\.kind).filter { $0 != .other && $0 != .performance }
                #expect(doc.tables.map(\.kind).filter { $0 != .other && $0 != .performance } == kinds, "\(name) \(mark)")
            }
        }
    }

    /// Blank cells printed as a dash (`-`, `—`, `－`), as many disclosures print them: the same
    /// cells (a dash reads as a zero, which scores as a blank).
    @Test(arguments: VariantRenderer.Layout.allCases)
    func goldTablesWithDashedBlanks(layout: VariantRenderer.Layout) throws {
        for dash in ["-", "—", "－"] { try scoreReRendered(layout: layout, splitCodes: false, blank: dash) }
    }

    /// Each gold document (by file name, in order), printed by `render` and parsed back.
    func goldRendered(_ render: (BudgetDocument) -> String) throws -> [(name: String, gold: BudgetDocument, doc: BudgetDocument)] {
        let goldDir = SharedFiles.root.appendingPathComponent("gold")
        let names = try FileManager.default.contentsOfDirectory(atPath: goldDir.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(names.count == 5)
        return try names.map { name in
            let gold = try DocumentJSON.decode(Data(contentsOf: goldDir.appendingPathComponent(name)))
            return (name, gold, BudgetParser().parse(text: render(gold), source: Source(name: name, format: .text)))
        }
    }

    /// Every one-sided table of `gold` (but 三公) comes back with its rows, each coded row under
    /// its whole label; with `uncoded`, every uncoded row's whole label is among the parsed ones.
    func expectWholeLabels(_ gold: BudgetDocument, _ doc: BudgetDocument, _ name: String, uncoded: Bool) {
        for t in gold.tables where t.kind != .other && t.kind != .performance && !t.kind.isTwoSided && t.kind != .threePublic {
            guard let parsed = doc.table(t.kind) else { Issue.record("\(name): no \(t.kind)"); continue }
            for r in t.rows {
                if let code = r.code {
                    #expect(parsed.row(code: code)?.label == r.label, "\(name) \(t.kind) \(code)")
                } else if uncoded {
                    #expect(parsed.rows.contains { $0.code == nil && $0.label == r.label }, "\(name) \(t.kind) \(r.label)")
                }
            }
            #expect(parsed.rows.count == t.rows.count, "\(name) \(t.kind): \(parsed.rows.count) rows")
        }
    }

    func scoreReRendered(layout: VariantRenderer.Layout, splitCodes: Bool, wrapTop: Bool = false, blank: String? = nil,
                         finalAccounts: Bool = false, continued: String? = nil, centred: Bool = false,
                         otherHeaders: Bool = false, wrapTwoSided: Bool = false) throws {
        let dir = try SharedFiles.tempDir("variants")
        defer { try? FileManager.default.removeItem(at: dir) }
        func render(_ gold: BudgetDocument) -> String {
            VariantRenderer.render(gold, layout: layout, splitCodes: splitCodes, wrapTop: wrapTop, blank: blank,
                                   finalAccounts: finalAccounts, continued: continued, centred: centred,
                                   otherHeaders: otherHeaders, wrapTwoSided: wrapTwoSided)
        }
        for (name, gold, doc) in try goldRendered(render) {
            if let keep = ProcessInfo.processInfo.environment["GOUJI_VARIANT_OUT"], !keep.isEmpty {
                let d = URL(fileURLWithPath: keep).appendingPathComponent("\(layout)\(splitCodes ? "-split" : "")")
                try? FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
                try render(gold).write(to: d.appendingPathComponent(name + ".txt"), atomically: true, encoding: .utf8)
                try DocumentJSON.encode(doc, pretty: true).write(to: d.appendingPathComponent(name))
            }
            try DocumentJSON.encode(doc).write(to: dir.appendingPathComponent(name))
        }
        let s = try SharedFiles.score(pred: dir)
        #expect((s["cells"] ?? 0) >= 0.98, "\(layout)\(splitCodes ? " split codes" : "")\(blank.map { " blanks " + $0 } ?? "")\(finalAccounts ? " 决算" : "")\(continued.map { " continued " + $0 } ?? "")\(otherHeaders ? " other headings" : "")\(wrapTwoSided ? " two-sided wrapped" : ""): cells F1 \(s["cells"] ?? 0)")
    }
}
