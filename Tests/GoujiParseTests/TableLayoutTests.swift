import Foundation
import GoujiModel
@testable import GoujiParse
import Testing

private func parse(_ text: String) -> BudgetDocument {
    BudgetParser().parse(text: text, source: Source(name: "t.txt", format: .text))
}

private func amount(_ s: String) -> Amount? { Amount(s) }

@Suite struct TableLayoutTests {
    @Test func wrappedLabelsAndCodesOnTheirOwnLine() {
        let text = """
        部门支出总表
        单位：万元
        科目编码 科目名称 合计 基本支出 项目支出
        合计 500.00 300.00 200.00
        215 交通运输支出 500.00 300.00 200.00
        03
        城市轨道交通建设
        运营补贴支出
        500.00 300.00 200.00
        2150301
        地铁运营补贴 500.00 300.00 200.00
        """
        let doc = parse(text)
        let t = doc.table(.expenditure)
        #expect(t?.rows.count == 4)
        let kuan = t?.row(code: "21503")
        #expect(kuan?.label == "城市轨道交通建设运营补贴支出")
        #expect(kuan?.values[Column.project] == amount("200.00"))
        #expect(kuan?.line == 9)
        #expect(t?.row(code: "2150301")?.label == "地铁运营补贴")
    }

    @Test func codesPrintedInClassSectionItemColumns() {
        // 类 款 项 in columns of their own: the leading integers before the label are one code,
        // with blanks dropped (spaces) or kept (tabs).
        let spaced = """
        部门支出总表
        单位：万元
        科目编码 科目名称 合计 基本支出 项目支出
        类 款 项
        合计 500.00 300.00 200.00
        215 交通运输支出 500.00 300.00 200.00
        215 03 城市轨道交通 500.00 300.00 200.00
        215 03 01 地铁运营补贴 500.00 300.00 200.00
        一般公共预算基本支出表
        单位：万元
        科目编码 科目名称 合计 人员经费 公用经费
        合计 12.00 10.00 2.00
        301 工资福利支出 10.00 10.00
        301 01 基本工资 10.00 10.00
        302 商品和服务支出 2.00 2.00
        302 01 办公费 2.00 2.00
        """
        let tabbed = """
        部门支出总表
        单位：万元
        类\t款\t项\t科目名称\t合计\t基本支出\t项目支出
        \t\t\t合计\t500.00\t300.00\t200.00
        215\t\t\t交通运输支出\t500.00\t300.00\t200.00
        215\t03\t\t城市轨道交通\t500.00\t300.00\t200.00
        215\t03\t01\t地铁运营补贴\t500.00\t300.00\t200.00
        """
        for text in [spaced, tabbed] {
            let t = parse(text).table(.expenditure)
            #expect(t?.rows.map(\.code) == [nil, "215", "21503", "2150301"])
            #expect(t?.row(code: "2150301")?.label == "地铁运营补贴")
            #expect(t?.row(code: "2150301")?.values == [Column.total: amount("500.00"), Column.basic: amount("300.00"),
                                                       Column.project: amount("200.00")].compactMapValues { $0 })
        }
        let be = parse(spaced).table(.basicEconomic)
        #expect(be?.rows.map(\.code) == [nil, "301", "30101", "302", "30201"])
        #expect(be?.row(code: "30201")?.values[Column.publicFunds] == amount("2.00"))
    }

    @Test func dashesForBlankCellsKeepTheCellsInPlace() {
        let text = """
        部门支出总表
        单位：万元
        科目编码 科目名称 合计 基本支出 项目支出
        合计 500.00 300.00 200.00
        215 交通运输支出 500.00 300.00 200.00
        2150301 地铁运营补贴 300.00 300.00 -
        2150302 其他城市轨道交通支出 200.00 — 200.00
        2150303 其他 0.00 － －
        """
        let t = parse(text).table(.expenditure)
        #expect(t?.row(code: "2150302")?.values[Column.project] == amount("200.00"))
        #expect(t?.row(code: "2150302")?.values[Column.basic]?.isZero == true)
        #expect(t?.row(code: "2150301")?.values[Column.basic] == amount("300.00"))
        #expect(t?.rows.count == 5)
        #expect(LineTokens.blankMarks("— －") == 2)
        #expect(LineTokens.blankMarks("--") == 1)
        for notBlank in ["----", "a-b", "-1", "", " ", "—x"] { #expect(LineTokens.blankMarks(notBlank) == 0, "\(notBlank)") }
        // A dash that starts a line is not a cell.
        #expect(LineTokens.tokens("- 其他收入 12.00").first?.kind != .number)
    }

    @Test func labelsWrappedBelowTheirAmountsJoinTheirRow() {
        // Cells aligned to their top (pdftotext -layout): a coded row's long label goes on below
        // the line with its code and amounts.
        let text = """
        部门支出总表
        单位：万元
        科目编码          科目名称                              合计          基本支出          项目支出
                          合计                                 500.00          300.00          200.00
        215               交通运输支出                         500.00          300.00          200.00
          21503           城市轨道交通建设                     500.00          300.00          200.00
                          运营补贴支出
            2150301       地铁运营补贴（含                     300.00          300.00
                          轻轨）
                          其中：
            2150302       其他城市轨道交通                     200.00                          200.00
                          支出
        单位支出总表
        """
        let t = parse(text).table(.expenditure)
        #expect(t?.row(code: "21503")?.label == "城市轨道交通建设运营补贴支出")
        #expect(t?.row(code: "2150301")?.label == "地铁运营补贴（含轻轨）")
        #expect(t?.row(code: "2150302")?.label == "其他城市轨道交通支出")
        #expect(t?.row(code: "2150302")?.values[Column.project] == amount("200.00"))
        // A heading, a note or a title is not the end of a label.
        for tail in ["其中：", "注：本表为空", "单位支出总表"] {
            #expect(!RowReader.continuesLabel(of: RawRow(code: "215", label: "交通", amounts: [Amount(mantissa: 1, decimals: 0)],
                                                         line: 1, lines: RowLines(1)), with: tail, next: nil), "\(tail)")
        }
        // Label text followed by amounts starts a row of its own (a label wrapped above them).
        let above = """
        部门支出总表
        单位：万元
        科目编码 科目名称 合计 基本支出 项目支出
        合计 500.00 300.00 200.00
        215 交通运输支出 500.00 300.00 200.00
        城市轨道交通建设
        运营补贴 500.00 300.00 200.00
        """
        let u = parse(above).table(.expenditure)
        #expect(u?.row(code: "215")?.label == "交通运输支出")
        #expect(u?.rows.last?.label == "城市轨道交通建设运营补贴")
    }

    /// A flow table's words are columns only where the header has both balances: elsewhere
    /// 本年收入 is part of a 合计 heading (收入决算表: 本年收入合计 财政拨款收入 …), and a
    /// 年末结转和结余 alone is no column.
    @Test func flowWordsAreColumnsOnlyBetweenBothBalances() {
        func keys(_ header: String, _ kind: TableKind) -> [String] {
            HeaderReader.layout(headerText: header, kind: kind, maxValues: 0).keys
        }
        #expect(keys("项目 年初结转和结余 本年收入 本年支出 小计 基本支出 项目支出 年末结转和结余", .govFund)
                == [Column.priorCarryover, Column.fiscal, Column.total, Column.basic, Column.project, Column.carryForward])
        #expect(keys("项目 本年收入合计 财政拨款收入 事业收入 其他收入", .income)
                == [Column.total, Column.fiscal, Column.business, Column.other])
        #expect(keys("项目 合计 基本支出 项目支出 年末结转和结余", .expenditure) == [Column.total, Column.basic, Column.project])
        // In a flow table 合计 is the year's spending: its parts are the spending columns only.
        let flow = HeaderReader.layout(headerText: "年初结转和结余 本年收入 本年支出 小计 基本支出 项目支出 年末结转和结余",
                                       kind: .other, maxValues: 0)
        #expect(flow.constraints.map(\.children) == [[3, 4]])
        // Two-sided in title only: a table of coded rows is read one-sided.
        let doc = parse("""
        财政拨款收入支出决算表
        单位：万元
        科目编码 科目名称 本年财政拨款收入 本年财政拨款支出
        201 一般公共服务支出 10.00 10.00
        20113 商贸事务 10.00 10.00
        2011301 行政运行 10.00 10.00
        """)
        #expect(doc.tables.first?.kind == .other)
        #expect(doc.tables.first?.rows.map(\.code) == ["201", "20113", "2011301"])
    }

    /// Side by side only where one header line names the code/name pair twice: not a header
    /// printed again below itself, nor 项目 … 项目支出.
    @Test func sideBySideGroupsAreDeclaredOnOneHeaderLine() {
        func lines(_ s: String) -> [SourceLine] { SourceText(s).lines }
        #expect(SideBySideReader.groupCount(headerLines: lines("科目编码 科目名称 决算数 科目编码 科目名称 决算数")) == 2)
        #expect(SideBySideReader.groupCount(headerLines: lines("科目编码 科目名称 合计 基本支出 项目支出\n功能科目编码 功能科目名称 合计")) == 1)
        #expect(SideBySideReader.groupCount(headerLines: lines("项目 合计 基本支出 项目支出")) == 0)
        // A line's groups: a code read as a number before a name starts one; an amount alone
        // after a name alone is that name's (a merged cell).
        let doc = parse("""
        一般公共预算基本支出表
        单位：万元
        科目编码 科目名称 金额 科目编码 科目名称 金额
        301 工资福利支出 10.00 302 商品和服务支出 5.00
        30101 基本工资 10.00 30201 办公费 5.00
        人员经费合计 10.00 公用经费合计 5.00
        """)
        #expect(doc.tables.first?.rows.map { $0.code ?? $0.label } == ["301", "30101", "人员经费合计", "302", "30201", "公用经费合计"])
        #expect(doc.tables.first?.row(code: "30201")?.values == [Column.total: Amount("5.00") ?? .zero])
    }

    /// An integer before 年/月/日 in its cell is a date, a number before % a ratio; an amount in a
    /// tab field of its own before a field starting with 年 (年末结转和结余) stays an amount.
    @Test func datesAndRatiosAreNoAmountsButAnAmountBeforeANianFieldIs() {
        func kinds(_ s: String) -> [Token.Kind] { LineTokens.tokens(s).map(\.kind) }
        #expect(!kinds("编制于 2024 年").contains(.number))
        #expect(!kinds("增长 5.21%").contains(.number))
        #expect(kinds("年初结转和结余\t10.00\t年末结转和结余\t10.00") == [.text, .number, .text, .number])
        #expect(kinds("合计 10.00 年末结转") == [.text, .number, .text])
    }

    /// A tab-separated block under a title no kind names (国有资产占用情况表) is an `other` table
    /// titled by that title, not by the unit line printed between them.
    @Test func untitledBlockPassesOverItsUnitLine() {
        let doc = parse("某某局2023年度部门决算\n\n十、国有资产占用情况表\n单位：万元\n项目\t资产总额\t流动资产\n合计\t150.00\t50.00\n")
        #expect(doc.tables.first?.title == "国有资产占用情况表")
    }

    @Test func summaryTitlesWithout总NameTheirKinds() {
        // Titles many regions print without 总 (or with 预算 before the table's name).
        let expected: [(String, TableKind?)] = [
            ("部门支出预算表", .expenditure), ("单位支出预算表", .expenditure), ("部门预算支出表", .expenditure),
            ("支出预算汇总表", .expenditure), ("部门收支预算表", .summary), ("收支预算情况表", .summary),
            ("部门预算收入表", .income), ("2025年部门收入预算表", .income),
            // A part of the spending, its 财政拨款 share or procurement is not the expenditure table.
            ("部门基本支出预算表", .basicByCategory), ("项目支出预算表", .projectList), ("部门预算项目支出表", .projectList),
            ("财政拨款支出预算表", .other),
            ("政府采购支出预算表", nil),
        ]
        for (title, kind) in expected {
            #expect(TableKindClassifier.kind(ofTitle: title) == kind, "\(title)")
        }
    }

    @Test func finalAccountsTitlesNameTheSameKinds() {
        // The public tables of a 部门决算 (final accounts), as the Ministry of Finance template
        // names them, and budget titles that say 收入支出 for 收支.
        let expected: [(String, TableKind)] = [
            ("收入支出决算总表", .summary), ("收入决算表", .income), ("支出决算表", .expenditure),
            ("财政拨款收入支出决算总表", .fiscalSummary), ("一般公共预算财政拨款支出决算表", .generalFunction),
            ("一般公共预算财政拨款基本支出决算表", .basicEconomic), ("一般公共预算财政拨款“三公”经费支出决算表", .threePublic),
            ("政府性基金预算财政拨款收入支出决算表", .govFund), ("国有资本经营预算财政拨款支出决算表", .stateCapital),
            ("2023年度部门收入支出预算总表", .summary), ("财政拨款收入支出预算总表", .fiscalSummary),
        ]
        for (title, kind) in expected {
            #expect(TableKindClassifier.kind(ofTitle: title) == kind, "\(title)")
        }
        let text = """
        2023年部门决算
        支出决算表
        单位：万元
        科目编码 科目名称 合计 基本支出 项目支出
        合计 500.00 300.00 200.00
        215 交通运输支出 500.00 300.00 200.00
        收入决算表
        单位：万元
        科目编码 科目名称 合计 财政拨款
        合计 500.00 500.00
        215 交通运输支出 500.00 500.00
        """
        let doc = parse(text)
        #expect(doc.kind == .finalAccounts)
        #expect(doc.table(.expenditure)?.row(code: "215")?.values[Column.project] == amount("200.00"))
        #expect(doc.table(.income)?.row(code: "215")?.values[Column.fiscal] == amount("500.00"))
    }

    @Test func pageOfCountFootersInsideATableAreNotRows() {
        let text = """
        部门支出总表
        单位：万元
        科目编码 科目名称 合计 基本支出 项目支出
        合计 500.00 300.00 200.00
        215 交通运输支出 500.00 300.00 200.00
        第 3 页，共 12 页
        21503 城市轨道交通 500.00 300.00 200.00
        共12页 第4页
        2150301 地铁运营补贴 500.00 300.00 200.00
        4/12
        """
        let t = parse(text).table(.expenditure)
        #expect(t?.rows.map(\.code) == [nil, "215", "21503", "2150301"])
        #expect(t?.rows.allSatisfy { !$0.label.contains("页") && $0.values.count == 3 } == true)
    }

    @Test func onlyAThreeDigitCodeAndTwoDigitPartsBeforeALabelJoin() {
        func first(_ line: String) -> Token? { LineTokens.tokens(line).first }
        #expect(first("208 01 09 社会保险经办机构 282.90 282.90")?.text == "2080109")
        #expect(first("208 01 09 社会保险经办机构 282.90 282.90")?.kind == .code)
        #expect(first("３０１ ０１ 基本工资 10.00")?.text == "30101")
        // Not a split code: parts of other lengths, decimals, no label after, three parts.
        for line in ["2080 01 名称 1.00", "208 1 名称 1.00", "208 001 名称 1.00", "208.00 01 名称 1.00",
                     "208 01.5 名称 1.00", "208 01 09", "208 01 09 11 名称 1.00", "[208] 01 名称 1.00"] {
            #expect(LineTokens.tokens(line).filter { $0.kind == .code }.map(\.text).allSatisfy { $0.count <= 3 }, "\(line)")
        }
    }

    @Test func droppedBlanksAreAssignedByArithmetic() {
        // 303 prints two amounts under 合计/人员经费/公用经费: the 合计 row's column sums decide.
        let text = """
        一般公共预算基本支出表
        科目编码 科目名称 合计 人员经费 公用经费
        合计 60.00 45.00 15.00
        301 工资福利支出 40.00 40.00
        302 商品和服务支出 15.00 15.00
        303 对个人和家庭的补助 5.00 5.00
        """
        let t = parse(text).table(.basicEconomic)
        #expect(t?.row(code: "301")?.values[Column.personnel] == amount("40.00"))
        #expect(t?.row(code: "302")?.values[Column.publicFunds] == amount("15.00"))
        #expect(t?.row(code: "302")?.values[Column.personnel] == nil)
        #expect(t?.row(code: "303")?.values[Column.personnel] == amount("5.00"))
    }

    @Test func tabSeparatedWithBlankFieldsAndDebris() {
        let text = "**一般公共预算支出表**\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n**\t**\t1\t2\t3\n\t合计\t30.00\t10.00\t20.00\n2080101\t行政运行\t10.00\t10.00\t\n2080102\t<p>一般行政管理事务</p>\t20.00\t\t20.00\n"
        let t = parse(text).table(.generalFunction)
        #expect(t?.rows.count == 3)
        #expect(t?.row(code: "2080102")?.label == "一般行政管理事务")
        #expect(t?.row(code: "2080102")?.values[Column.project] == amount("20.00"))
        #expect(t?.row(code: "2080102")?.values[Column.basic] == nil)
    }

    @Test func numberedTablesSplitAcrossPagesWithBracketedCodes() {
        let text = """
        表5
        一般公共预算支出情况表（按功能分类科目）
        功能科目名称 小计 基本支出 项目支出
        合计 3.00 1.00 2.00
        [208]社会保障和就业支出 3.00 1.00 2.00
        　[20801]人力资源和社会保障管理事务 2.00 0.00 2.00
        - 7 -
        功能科目名称 小计 基本支出 项目支出
        　　[2080101]行政运行 1.00 1.00 0.00
        注：无。
        """
        let doc = parse(text)
        let t = doc.table(.generalFunction)
        #expect(t?.title == "一般公共预算支出情况表（按功能分类科目）")
        #expect(t?.rows.map { $0.code ?? "-" } == ["-", "208", "20801", "2080101"])
        #expect(t?.row(code: "2080101")?.values[Column.basic] == amount("1.00"))
        #expect(t?.note == "注：无。")
        #expect(doc.prose.contains { $0.text == "注：无。" })
        #expect(!doc.prose.contains { $0.text.contains("- 7 -") })
    }

    @Test func headerPrintedOneCharacterPerLine() {
        let text = """
        单位收入总表
        科目编码 科目名称 合计
        上
        年
        结
        转
        财政拨款
        事
        业
        收
        入
        小计
        一般公共
        预算拨款
        政府性基金
        合计 10.00 6.00 4.00 4.00
        """
        let t = parse(text).table(.income)
        #expect(t?.columns == [Column.total, Column.priorCarryover, Column.fiscal, Column.generalBudget, Column.govFund, Column.business])
        let row = t?.row(label: "合计")
        #expect(row?.values[Column.total] == amount("10.00"))
        #expect(row?.values[Column.priorCarryover] == amount("6.00"))
        #expect(row?.values[Column.fiscal] == amount("4.00"))
        #expect(row?.values[Column.generalBudget] == amount("4.00"))
    }

    /// A two-sided line printed alone takes its side from its words: the balance carried out
    /// (年终结转结余, 年末结转和结余, 结转下年) is an expenditure-side line, the one carried in an income one.
    @Test func aLoneTwoSidedLineTakesItsSideFromItsWords() {
        #expect(RowReader.side(ofLabel: "二、年终结转结余") == .expenditure)
        #expect(RowReader.side(ofLabel: "年末结转和结余") == .expenditure)
        #expect(RowReader.side(ofLabel: "结转下年") == .expenditure)
        #expect(RowReader.side(ofLabel: "上年结转结余") == .income)
        #expect(RowReader.side(ofLabel: "年初结转和结余") == .income)
    }

    /// A space-aligned header wrapped over two lines, each column's words in its cell (as
    /// `pdftotext -layout` prints narrow columns): the columns follow their positions (合计 first,
    /// though printed on the second line), the halves 政府性基金 / 预算拨款收入 make no 财政拨款
    /// heading, 单位资金收入 is the unit's own funds, and each amount goes under its cell.
    @Test func headerWrappedInItsCellsOverTwoLines() {
        let text = """
        部门收入总体情况表
        单位：万元
                                                            一般公共预算   政府性基金   国有资本经营  财政专户管理   单位资金
           科目编码            科目名称            合计       拨款收入     预算拨款收入   预算拨款收入   资金收入       收入
                                 合计             300.00       250.00                                                50.00
         201          一般公共服务支出            300.00       250.00                                                50.00
             2011301      行政运行                200.00       200.00
             2011350      事业运行                100.00        50.00                                                50.00
        """
        let t = parse(text).table(.income)
        #expect(t?.columns == [Column.total, Column.generalBudget, Column.govFund, Column.stateCapital, Column.fiscalSpecial, Column.other])
        let row = t?.row(code: "2011350")
        #expect(row?.values.count == 3 && row?.values[Column.total] == amount("100.00"))
        #expect(row?.values[Column.generalBudget] == amount("50.00") && row?.values[Column.other] == amount("50.00"))
        #expect(t?.row(label: "合计")?.values[Column.other] == amount("50.00"))
        #expect(t?.row(code: "2011301")?.values[Column.other] == nil)
    }

    @Test func twoSidedLinesGiveTwoRows() {
        let text = """
        收支预算总表
        收 入 支出
        项目 预算数 项目 预算数
        一、财政拨款收入 100.00 社会保障和就业支出 90.00
        （一）一般公共预算收入 100.00 住房保障支出 10.00
        （二）政府性基金预算收入 卫生健康支出
        二、事业收入
        收入总计 100.00 支出总计 100.00
        """
        let t = parse(text).table(.summary)
        #expect(t?.row(label: "财政拨款收入", side: .income)?.values[Column.total] == amount("100.00"))
        #expect(t?.row(label: "社会保障和就业支出", side: .expenditure)?.values[Column.total] == amount("90.00"))
        #expect(t?.row(label: "政府性基金预算收入", side: .income)?.values.isEmpty == true)
        #expect(t?.row(label: "卫生健康支出", side: .expenditure) != nil)
        #expect(t?.row(label: "支出总计", side: .expenditure)?.values[Column.total] == amount("100.00"))
        #expect(t?.rows.allSatisfy { $0.side != nil } == true)
    }

    @Test func twoSidedLabelsWrappedInTheirCells() {
        // Each side's label wrapped in its cell: the rest on the next line where the label
        // starts. A whole label under a whole label is a row of its own.
        let text = """
        收支预算总表
        收入                                支出
        项目                    预算数      项目                    预算数
        财政拨款收入              100.00    社会保障和就业支            90.00
                                            出
        政府性基金预算收                    卫生健康支出                10.00
        入
        国有资本经营预算                    住房保障支出
        收入
        事业收入                            本年支出合计               100.00
        其他收入
        收入总计                  100.00    支出总计                   100.00
        """
        let t = parse(text).table(.summary)
        #expect(t?.row(label: "社会保障和就业支出", side: .expenditure)?.values[Column.total] == amount("90.00"))
        #expect(t?.row(label: "政府性基金预算收入", side: .income)?.values.isEmpty == true)
        #expect(t?.row(label: "国有资本经营预算收入", side: .income) != nil)
        #expect(t?.row(label: "事业收入", side: .income) != nil)
        #expect(t?.row(label: "其他收入", side: .income) != nil)
        #expect(t?.rows.contains { ["出", "入", "收入"].contains($0.label) } == false)
        #expect(t?.rows.count == 11)
    }

    @Test func emptyTablesDeclaredByNotes() {
        let text = """
        政府性基金预算支出表
        科目编码 科目名称 合计 基本支出 项目支出
        注：本表本年无发生额。
        国有资本经营预算拨款支出预算表
        科目编码\t科目名称\t合计\t基本支出\t项目支出
        合计\t\t0.00\t0.00\t0.00
        备注：本单位 2024 年没有使用国有资本经营预算拨款安排的支出。
        """
        let doc = parse(text)
        #expect(doc.table(.govFund)?.empty == true)
        #expect(doc.table(.stateCapital)?.empty == true)
        #expect(doc.table(.stateCapital)?.rows.isEmpty == true)
        #expect(doc.table(.stateCapital)?.note?.hasPrefix("备注") == true)
    }

    @Test func threePublicWideRowSettledBySubtotals() {
        let text = """
        财政拨款“三公”经费支出表
        部门编码 部门名称 合计 因公出国(境)费 公务接待费 公务用车购置及运行维护费
        小计 一般公务出国（境）费 高等院校和科研院所学术交流合作出国（境）费 小计 公务用车运行维护费 公务用车购置
        123456 某某单位 5.00 5.00
        """
        let t = parse(text).table(.threePublic)
        #expect(t?.row(label: ThreePublicItem.reception)?.values[Column.total] == amount("5.00"))
        #expect(t?.row(label: ThreePublicItem.total)?.values[Column.total] == amount("5.00"))
        #expect(t?.row(label: ThreePublicItem.outbound)?.values.isEmpty == true)
        #expect(t?.units.first?.code == "123456")
    }

    @Test func threePublicVerticalListWithFundsAndAdminCost() {
        let text = """
        财政拨款安排的行政经费及“三公”经费预算表
        项目 合计 一般公共预算 政府性基金预算 国有资本经营预算
        行政经费 20.00 20.00 0.00 0.00
        “三公”经费 3.00 3.00 0.00 0.00
        其中：（一）因公出国（境）支出 0.00 0.00 0.00 0.00
        （二）公务用车购置及运行维护支出 2.00 2.00 0.00 0.00
        1.公务用车购置费 0.00 0.00 0.00 0.00
        2.公务用车运行维护费 2.00 2.00 0.00 0.00
        （三）公务接待费支出 1.00 1.00 0.00 0.00
        """
        let t = parse(text).table(.threePublic)
        #expect(t?.row(label: ThreePublicItem.adminCost)?.values[Column.total] == amount("20.00"))
        #expect(t?.row(label: ThreePublicItem.total)?.values[Column.generalBudget] == amount("3.00"))
        #expect(t?.row(label: ThreePublicItem.vehicleOperation)?.values[Column.total] == amount("2.00"))
        #expect(t?.row(label: ThreePublicItem.reception)?.values[Column.total] == amount("1.00"))
    }

    @Test func tocIsNotATableAndCaptionYearsAreKept() {
        let text = """
        目录
        一、收支预算总表\t7
        - 二、《部门收入总表》
        第二部分 2,024 年部门预算表
        部门收入总表
        （2023年度）
        科目编码 科目名称 合计 财政拨款
        合计 1.00 1.00
        """
        let doc = parse(text)
        #expect(doc.toc.map(\.kind) == [.summary, .income])
        #expect(doc.tables.map(\.kind) == [.income])
        #expect(doc.captions.contains { $0.role == .part && $0.year == 2024 && $0.formatted })
        #expect(doc.captions.contains { $0.role == .table && $0.year == 2023 && $0.table == 0 })
        // A year in full-width digits is read, and is not a formatted one.
        let wide = parse("第二部分 ２０２４ 年部门预算表\n部门收入总表\n（２０２３年度）\n科目编码 科目名称 合计 财政拨款\n合计 1.00 1.00\n")
        #expect(wide.captions.contains { $0.role == .part && $0.year == 2024 && !$0.formatted })
        #expect(wide.captions.contains { $0.role == .table && $0.year == 2023 && !$0.formatted })
        #expect(TableReader.year(in: "（２，０２４ 年度）").map { $0 == (2024, true) } == true)
    }

    @Test func crlfBomFullWidthDigitsAndTrailingSpaces() {
        let text = "\u{FEFF}一般公共预算支出表\r\n科目编码 科目名称 合计 基本支出 项目支出  \r\n合计 １，２００．５０ １，２００．５０   \r\n"
        let t = parse(text).table(.generalFunction)
        #expect(t?.row(label: "合计")?.values[Column.total] == amount("1200.50"))
        #expect(t?.row(label: "合计")?.values[Column.basic] == amount("1200.50"))
        #expect(t?.line == 1)
        // A column-numbering row in full-width digits is a numbering row too.
        let numbered = parse("一般公共预算支出表\n科目编码 科目名称 合计 基本支出 项目支出\n** ** １ ２ ３\n合计 １２．５０ １２．５０\n").table(.generalFunction)
        #expect(numbered?.rows.map(\.label) == ["合计"])
        #expect(LineTokens.isNumberingRow("栏目 １ ２ ３ ４"))
        // A full-width amount glued to the next label is split from it, as an ASCII one is.
        for line in ["一、财政拨款收入 ２，４９５．５６一、本年支出 ２，４９５．５６", "一、财政拨款收入 2,495.56一、本年支出 2,495.56"] {
            #expect(LineTokens.tokens(line).map(\.kind) == [.text, .number, .text, .number], "\(line)")
        }
    }

    @Test func spaceAlignedColumnsFollowHeaderPositions() {
        // 上年结转 is blank; the amount sits under 一般公共预算 (pdftotext -layout).
        let text = """
        部门收入总表
        科目编码  科目名称            合计    上年结转   一般公共预算    事业收入
                  合计               8.00                    8.00
        208       社会保障和就业支出   8.00                    8.00
        """
        let t = parse(text).table(.income)
        #expect(t?.row(code: "208")?.values[Column.generalBudget] == amount("8.00"))
        #expect(t?.row(code: "208")?.values[Column.priorCarryover] == nil)
    }
}

@Suite struct ColumnAssignerTests {
    @Test func keepsOrderAndSatisfiesArithmetic() {
        // 合计 = 基本 + 项目; two amounts: 合计 and one part — tie, earliest (基本) wins.
        let a = ColumnAssigner(columnCount: 3, constraints: [(parent: 0, children: [1, 2])])
        let r = a.assign([Amount("5.00")!, Amount("5.00")!])
        #expect(r.assignment == [0, 1])
        #expect(r.ties == [[0, 2]])
        // Three amounts that only fit 合计 = 基本 + 项目 in order.
        let full = a.assign([Amount("5.00")!, Amount("2.00")!, Amount("3.00")!])
        #expect(full.assignment == [0, 1, 2])
        #expect(full.violations == 0)
    }

    @Test func roundingToleranceFollowsPrintedDecimals() {
        // 10.0 = 3.33 + 6.67 exactly; 10 = 3.3 + 6.7 within ±0.5 + 0.05 + 0.05.
        let a = ColumnAssigner(columnCount: 3, constraints: [(parent: 0, children: [1, 2])])
        #expect(a.assign([Amount("10")!, Amount("3.3")!, Amount("6.8")!]).violations == 0)
        #expect(a.assign([Amount("10.00")!, Amount("3.30")!, Amount("6.80")!]).violations == 1)
    }

    @Test func fortyColumnsStayFast() {
        // 合计 = Σ 39 children, 12 amounts printed: the search stays within its node budget.
        let a = ColumnAssigner(columnCount: 40, constraints: [(parent: 0, children: Array(1..<40))])
        let amounts = [Amount("66.00")!] + (1...11).map { Amount("\($0).00")! }
        let start = ContinuousClock.now
        let result = a.assign(amounts)
        let elapsed = ContinuousClock.now - start
        #expect(result.assignment.count == amounts.count)
        #expect(result.assignment == Array(0..<12))
        #expect(result.violations == 0)
        #expect(elapsed < .seconds(2))
    }

    @Test func finalAccountsLineNumberColumnsAndColumnNumberRows() {
        // 决算 two-sided tables: a 行次 column after each side's label, always printed, while a
        // blank amount is dropped; a 栏次 row numbering each side's columns.
        let text = """
        2023年度部门决算
        收入支出决算总表
        公开01表
        部门：测试中心                                   金额单位：万元
        收入                                     支出
        项目                     行次    金额     项目                     行次    金额
        栏次                             1        栏次                             2
        一、一般公共预算财政拨款收入  1    100.00   一、社会保障和就业支出    32     90.00
        二、政府性基金预算财政拨款收入 2            二、卫生健康支出          33
        三、事业收入               3     5        三、住房保障支出          34     15.00
        本年收入合计               12   105.00    本年支出合计              60    105.00
        支出决算表
        公开03表
        单位：万元
        科目编码 科目名称 本年支出合计 基本支出
        栏次 1 2
        合计 300.00 300.00
        215 交通运输支出 300.00 300.00
        收入决算表
        单位：万元
        项目 行次 合计 财政拨款
        栏 次 1 2
        215 交通运输支出 1 300.00 300.00
        """
        let doc = parse(text)
        let t = doc.table(.summary)
        #expect(t?.rows.contains { $0.label.contains("栏") } == false)
        #expect(t?.row(label: "一般公共预算财政拨款收入", side: .income)?.values[Column.total] == amount("100.00"))
        #expect(t?.row(label: "政府性基金预算财政拨款收入", side: .income)?.values.isEmpty == true)
        #expect(t?.row(label: "卫生健康支出", side: .expenditure)?.values.isEmpty == true)
        #expect(t?.row(label: "住房保障支出", side: .expenditure)?.values[Column.total] == amount("15.00"))
        // An amount printed without decimals after the line number is still the amount.
        #expect(t?.row(label: "事业收入", side: .income)?.values[Column.total] == amount("5"))
        #expect(t?.row(label: "本年支出合计", side: .expenditure)?.values[Column.total] == amount("105.00"))
        let e = doc.table(.expenditure)
        #expect(e?.rows.map(\.label) == ["合计", "交通运输支出"])
        #expect(e?.row(code: "215")?.values[Column.basic] == amount("300.00"))
        let i = doc.table(.income)
        #expect(i?.rows.count == 1)
        #expect(i?.row(code: "215")?.values[Column.fiscal] == amount("300.00"))

        // Without a 行次 heading, a small integer after the label is an amount like any other.
        let plain = parse("""
        收入支出决算总表
        收入 支出
        项目 金额 项目 金额
        一、事业收入 5 一、卫生健康支出 3
        """).table(.summary)
        #expect(plain?.row(label: "事业收入", side: .income)?.values[Column.total] == amount("5"))
        #expect(plain?.row(label: "卫生健康支出", side: .expenditure)?.values[Column.total] == amount("3"))
    }

    @Test func labelsCentredOnTheirCodeAndAmounts() {
        // `pdftotext -layout` prints a cell centred vertically with half its label above the
        // code and amounts and half below.
        let text = """
        部门支出总表
        单位：万元
        科目编码  科目名称                          合计        基本支出        项目支出
                  合计                            500.00          300.00          200.00
        215       交通运输支出                    500.00          300.00          200.00
                  城市轨道交通建
        21503                                     500.00          300.00          200.00
                  设运营补贴支出
                  地铁运营补贴
        2150301                                   300.00          300.00
                  专项资金
        2150302   轻轨运营补贴                    200.00                          200.00
                  其中：
        2150399                                    0.00
        """
        let t = parse(text).table(.expenditure)
        #expect(t?.rows.compactMap(\.code) == ["215", "21503", "2150301", "2150302", "2150399"])
        #expect(t?.row(code: "215")?.label == "交通运输支出")
        #expect(t?.row(code: "21503")?.label == "城市轨道交通建设运营补贴支出")
        #expect(t?.row(code: "21503")?.values[Column.project] == amount("200.00"))
        #expect(t?.row(code: "2150301")?.label == "地铁运营补贴专项资金")
        #expect(t?.row(code: "2150302")?.label == "轻轨运营补贴")
        // A heading above a code is not its label.
        #expect(t?.row(code: "2150399")?.label.contains("其中") == false)

        // Where no row shows a label centred on its code and amounts, codes printed on a line of
        // their own take the label after them, as before: a row without amounts keeps the text
        // it wraps onto.
        let own = parse("""
        部门支出总表
        单位：万元
        科目编码 科目名称 合计 基本支出 项目支出
        合计 500.00 300.00 200.00
        215 交通运输支出 500.00 300.00 200.00
        2150301 地铁运营补
        贴支出
        2150302
        轻轨运营补贴
        500.00 300.00 200.00
        """).table(.expenditure)
        #expect(own?.row(code: "2150301")?.label == "地铁运营补贴支出")
        #expect(own?.row(code: "2150301")?.values.isEmpty == true)
        #expect(own?.row(code: "2150302")?.label == "轻轨运营补贴")
        #expect(own?.row(code: "2150302")?.values[Column.project] == amount("200.00"))

        // Uncoded rows (a project list): the body ending in label text, amounts and label text
        // shows the labels are centred.
        let projects = parse("""
        部门预算项目支出及其他支出预算表
        单位：万元
        项目名称                                  合计          财政拨款
        合计                                    325.50          310.50
                  社会保险经办
                                                120.00          120.00
                  服务专项经费
        信息系统运行维护                         80.50           80.50
                  档案数字化
                                                 15.00
                  加工费
                  社保政策宣传
                                                110.00          110.00
                  服务项目
        """).table(.projectList)
        #expect(projects?.rows.map(\.label) == ["合计", "社会保险经办服务专项经费", "信息系统运行维护", "档案数字化加工费", "社保政策宣传服务项目"])
        #expect(projects?.rows.last?.values[Column.fiscal] == amount("110.00"))

        func tokens(_ line: String) -> [Token.Kind] { LineTokens.tokens(line).map(\.kind) }
        #expect(tokens("20801      1,155.61   1,155.61") == [.code, .number, .number])
        #expect(tokens("2080109 12.5") == [.code, .number])
        // Integers among the amounts, a two-digit lead, or text after: not a code before amounts.
        #expect(tokens("208 1155 1155.61") == [.number, .number, .number])
        #expect(tokens("12 1.00 2.00") == [.number, .number, .number])
        #expect(tokens("1,155.61 1,155.61") == [.number, .number])
    }

    @Test func titlesPrintedWithTheUnitOnTheirLine() {
        for unit in ["单位：万元", "金额单位：万元", "（单位：万元）", "单位:万元"] {
            for space in ["      ", "\t", "\u{3000}\u{3000}"] {
                let doc = parse("""
                2025年部门预算
                部门支出总表\(space)\(unit)
                科目编码 科目名称 合计 基本支出 项目支出
                合计 500.00 300.00 200.00
                215 交通运输支出 500.00 300.00 200.00
                """)
                #expect(doc.table(.expenditure)?.title == "部门支出总表", "\(unit)")
                #expect(doc.table(.expenditure)?.row(code: "215")?.values[Column.project] == amount("200.00"), "\(unit)")
                #expect(doc.currencyUnit == "万元", "\(unit)")
            }
        }
        // A title's own 单位 is kept: 单位收入总表, 2025年单位支出总表.
        #expect(TableKindClassifier.withoutTrailingUnit("2025年单位收入总表") == "2025年单位收入总表")
        #expect(TableKindClassifier.withoutTrailingUnit("单位支出总表  编制单位：测试中心") == "单位支出总表")
    }

    @Test func tablesContinuedOverPagesStayOneTable() {
        let text = """
        部门支出总表
        单位：万元
        科目编码 科目名称 合计 基本支出 项目支出
        合计 510.00 310.00 200.00
        205 教育支出 10.00 10.00
        20508 进修及培训 10.00 10.00
        2050803 培训支出 10.00 10.00
        - 3 -
        部门支出总表（续）
        科目编码 科目名称 合计 基本支出 项目支出
        215 交通运输支出 500.00 300.00 200.00
        续表
        科目编码 科目名称 合计 基本支出 项目支出
        21503 城市轨道交通 500.00 300.00 200.00
        表3（续）
        2150301 地铁运营补贴 500.00 300.00 200.00
        部门收入总表
        单位：万元
        科目编码 科目名称 合计 财政拨款
        合计 510.00 510.00
        """
        let doc = parse(text)
        #expect(doc.tables.map(\.kind) == [.expenditure, .income])
        let t = doc.table(.expenditure)
        #expect(t?.title == "部门支出总表")
        // A title with a bracketed part of its own, then the mark.
        let wide = parse("""
        一般公共预算支出情况表（按功能分类科目）
        单位：万元
        科目编码 科目名称 合计 基本支出 项目支出
        合计 500.00 300.00 200.00
        215 交通运输支出 500.00 300.00 200.00
        - 3 -
        一般公共预算支出情况表（按功能分类科目）（续）
        科目编码 科目名称 合计 基本支出 项目支出
        21503 城市轨道交通 500.00 300.00 200.00
        """)
        #expect(wide.tables.map(\.kind) == [.generalFunction])
        #expect(wide.table(.generalFunction)?.rows.map(\.code) == [nil, "215", "21503"])
        #expect(t?.rows.map(\.code) == [nil, "205", "20508", "2050803", "215", "21503", "2150301"])
        #expect(t?.rows.allSatisfy { !$0.label.contains("续") && $0.values.count >= 2 } == true)

        for mark in ["续表", "续表1", "续上表", "（续）", "表1（续）", "附表1-2（续表）", "续 表"] {
            #expect(TableReader.isContinuationMark(mark), "\(mark)")
        }
        for line in ["继续教育 10.00", "其他继续教育支出", "续", "持续推进重点项目建设"] {
            #expect(!TableReader.isContinuationMark(line), "\(line)")
        }
        for title in ["单位收入总表（续）", "单位收入总表(续表)", "单位收入总表 续", "续表：单位收入总表", "续上表 单位收入总表"] {
            #expect(TableReader.marksContinuation(title), "\(title)")
        }
        #expect(!TableReader.marksContinuation("继续教育收费收入表"))
    }

    @Test func aTitleRepeatedOnTheNextPageWithoutAMarkContinuesTheTable() {
        // The title again (here with its year) over the header again, rows on both pages.
        let doc = parse("""
        一、部门支出总表
        单位：万元
        科目编码 科目名称 合计 基本支出 项目支出
        合计 510.00 310.00 200.00
        205 教育支出 10.00 10.00
        2050803 培训支出 10.00 10.00
        - 3 -
        2025年部门支出总表
        单位：万元
        科目编码 科目名称 合计 基本支出 项目支出
        215 交通运输支出 500.00 300.00 200.00
        2150301 地铁运营补贴 500.00 300.00 200.00
        二、部门收入总表
        科目编码 科目名称 合计 财政拨款
        合计 510.00 510.00
        """)
        #expect(doc.tables.map(\.kind) == [.expenditure, .income])
        #expect(doc.table(.expenditure)?.rows.map(\.code) == [nil, "205", "2050803", "215", "2150301"])

        // The same title over rows that start again from a total is another table of that kind
        // (another unit's, in a department's set).
        let twice = parse("""
        部门支出总表
        单位名称：某某中心
        科目编码 科目名称 合计 基本支出 项目支出
        合计 10.00 10.00
        2050803 培训支出 10.00 10.00
        部门支出总表
        单位名称：某某站
        科目编码 科目名称 合计 基本支出 项目支出
        合计 20.00 20.00
        2050803 培训支出 20.00 20.00
        """)
        #expect(twice.tables.filter { $0.kind == .expenditure }.map(\.rows.count) == [2, 2])

        // Each project's performance table may bear the same title: they stay apart.
        let projects = parse("""
        项目支出绩效目标表
        项目名称 社区服务
        年度目标 完成社区服务 120 次
        项目支出绩效目标表
        项目名称 道路养护
        年度目标 养护道路 30.50 公里
        """)
        #expect(projects.tables.filter { $0.kind == .performance }.count == 2)

        // A heading of prose that repeats the title after the table starts no rows of it.
        let prose = parse("""
        部门支出总表
        科目编码 科目名称 合计 基本支出 项目支出
        合计 10.00 10.00
        2050803 培训支出 10.00 10.00
        部门支出总表
        2025年支出预算10.00万元，比上年增加2.00万元，主要是培训增加。
        """)
        #expect(prose.table(.expenditure)?.rows.count == 2)

        // Rows make the page before a table: a year caption right under the title is not one.
        #expect(!TableReader.holdsRowAmounts(SourceLine(number: 1, raw: "2025年部门支出总表")))
        #expect(!TableReader.holdsRowAmounts(SourceLine(number: 1, raw: "- 12 -")))
        #expect(!TableReader.holdsRowAmounts(SourceLine(number: 1, raw: "单位：万元")))
        #expect(TableReader.holdsRowAmounts(SourceLine(number: 1, raw: "合计 1,510.00")))
        #expect(TableReader.holdsRowAmounts(SourceLine(number: 1, raw: "205 教育支出 10 10")))
    }

    @Test func codesPrintedInLevelColumnsEachRowItsOwnLevel() {
        // 类, 款 and 项 columns, each row printing only its own level's digits: two digits right of
        // a 款's are a 项 of it; at a 款's place, another 款. Space-aligned and tab-separated.
        let spaced = """
        一般公共预算支出表
        单位：万元
        类    款    项          科目名称               合计        基本支出      项目支出
                                合计                 1,530.00     1,030.00       500.00
        201                     一般公共服务支出       1,230.00       730.00       500.00
              03                政府办公厅事务       1,230.00       730.00       500.00
                    01          行政运行                 730.00       730.00
                    02          一般行政管理事务         500.00                    500.00
        208                     社会保障和就业支出       300.00       300.00
              05                行政事业单位养老支出     200.00       200.00
                    05          机关事业单位基本养老保险缴费支出 200.00 200.00
              08                抚恤                     100.00       100.00
        """
        let rows: [[String]] = [["", "", "", "合计", "1530.00", "1030.00", "500.00"],
                                ["201", "", "", "一般公共服务支出", "1230.00", "730.00", "500.00"],
                                ["", "03", "", "政府办公厅事务", "1230.00", "730.00", "500.00"],
                                ["", "", "01", "行政运行", "730.00", "730.00", ""],
                                ["", "", "02", "一般行政管理事务", "500.00", "", "500.00"],
                                ["208", "", "", "社会保障和就业支出", "300.00", "300.00", ""],
                                ["", "05", "", "行政事业单位养老支出", "200.00", "200.00", ""],
                                ["", "", "05", "机关事业单位基本养老保险缴费支出", "200.00", "200.00", ""],
                                ["", "08", "", "抚恤", "100.00", "100.00", ""]]
        let tabbed = (["一般公共预算支出表", "单位：万元", "类\t款\t项\t科目名称\t合计\t基本支出\t项目支出"]
                      + rows.map { $0.joined(separator: "\t") }).joined(separator: "\n")
        for text in [spaced, tabbed] {
            let t = parse(text).table(.generalFunction)
            #expect(t?.rows.map(\.code) == [nil, "201", "20103", "2010301", "2010302", "208", "20805", "2080505", "20808"])
            #expect(t?.row(code: "2010302")?.values[Column.project] == amount("500.00"))
        }
    }

    @Test func aWideThreePublicHeaderPrintedOverSeveralLinesIsReadColumnByColumn() {
        // As `pdftotext -layout` prints it: each column's words wrapped within its cell (因公出国
        // over （境）费), 合计 on the second line, a heading over three columns, on top or centred.
        let under = """
                                        因公出国      公务用车购置及运行费               公务
               合计                     （境）费      小计       购置费      运行费      接待费
               12.00                      0.00        10.00       0.00       10.00        2.00
        """
        let over = """
                                                          公务用车购置及运行费
               合计       因公出国        公务
                          （境）费       接待费       小计       购置费      运行费
               12.00        0.00          2.00       10.00        0.00       10.00
        """
        for header in [under, over] {
            let doc = parse("一般公共预算“三公”经费支出预算表\n单位：万元\n" + header)
            let t = doc.table(.threePublic)
            func value(_ item: String) -> Amount? { t?.rows.first { $0.label == item }?.values[Column.total] }
            #expect(value("合计") == amount("12.00"))
            #expect(value("因公出国（境）费") == amount("0.00"))
            #expect(value("公务接待费") == amount("2.00"))
            #expect(value("公务用车购置及运行维护费") == amount("10.00"))
            #expect(value("公务用车购置费") == amount("0.00"))
            #expect(value("公务用车运行维护费") == amount("10.00"))
        }
        let lines = SourceText(under).lines.filter { !$0.isBlank }.prefix(2)
        #expect(ColumnPositions.columnOrderedText(headerLines: Array(lines))
                == "合计 因公出国（境）费 公务用车购置及运行费 小计 购置费 运行费 公务接待费")
        // One word per line, or tab-separated: positions say nothing.
        #expect(ColumnPositions.columnOrderedText(headerLines: SourceText("合计\n因公出国（境）费").lines) == nil)
        #expect(ColumnPositions.columnOrderedText(headerLines: SourceText("合计\t小计\n1\t2").lines) == nil)
    }

    @Test func theTreeArithmeticOverridesPositionsThatBreakIt() {
        // Amounts printed wider than their cells (元 figures shifted right under narrow headings):
        // by position, 项 rows' amounts stand nearer 项目支出 than 基本支出, which breaks every
        // parent's sums; by arithmetic alone every sum holds.
        let shifted = """
        部门支出总表
        单位：元
          科目编码        科目名称              合计      基本支出      项目支出
                          合计              8,380,000.00   6,580,000.00   1,800,000.00
          208             社会保障和就业支出  7,615,000.00   5,815,000.00   1,800,000.00
          2080101         行政运行              5,203,000.00       5,203,000.00
          2080109         社会保险经办机构      1,800,000.00                 1,800,000.00
          2080505         养老保险缴费            612,000.00         612,000.00
          221             住房保障支出            765,000.00   765,000.00
          2210201         住房公积金              765,000.00         765,000.00
        """
        let t = parse(shifted).table(.expenditure)
        #expect(t?.row(code: "2080101")?.values[Column.basic] == amount("5203000.00"))
        #expect(t?.row(code: "2080505")?.values[Column.basic] == amount("612000.00"))
        #expect(t?.row(code: "2210201")?.values[Column.basic] == amount("765000.00"))
        #expect(t?.row(code: "2210201")?.values[Column.project] == nil)

        // A table whose sums break whichever way its amounts are placed (the document's own
        // discrepancy: 208's 基本支出 is off) keeps the positions' reading.
        let wrong = shifted.replacingOccurrences(of: "5,815,000.00", with: "5,915,000.00")
            .replacingOccurrences(of: "7,615,000.00", with: "7,715,000.00")
        let w = parse(wrong).table(.expenditure)
        #expect(w?.row(code: "2080505")?.values[Column.project] == amount("612000.00"))
    }

    @Test func aTwoSidedTablesFundColumnsAreTakenFromPositions() {
        // 财政拨款收支总表 space-aligned: 50.00 under 国有资本经营预算 fits 政府性基金预算 as well
        // by the side's arithmetic (合计 = the funds' sum); its place tells which.
        let text = """
        财政拨款收支预算总表
        单位：万元
                         收    入                                                    支    出
          项    目                        预算数       项    目                        合计       一般公共预算    政府性基金预算   国有资本经营预算
          一、本年收入                   1,250.00      一、本年支出                  1,250.00      1,200.00                            50.00
          （一）一般公共预算拨款          1,200.00      （一）社会保障和就业支出      1,000.00        950.00                            50.00
          （二）国有资本经营预算拨款         50.00      （二）卫生健康支出              250.00        250.00
          二、上年结转                        0.00      二、结转下年                      0.00
        """
        let t = parse(text).table(.fiscalSummary)
        let spending = t?.rows.first { $0.side == .expenditure && $0.label == "本年支出" }
        #expect(spending?.values[Column.stateCapital] == amount("50.00"))
        #expect(spending?.values[Column.govFund] == nil)
        #expect(t?.rows.first { $0.label == "社会保障和就业支出" }?.values[Column.stateCapital] == amount("50.00"))
        // A lone amount stays the row's total.
        #expect(t?.rows.first { $0.label == "结转下年" }?.values[Column.total] == amount("0.00"))
    }

    @Test func serialNumberColumnsAreNotAmounts() {
        // Declared by a 序号 heading: before a label, or before a code (which stays a code), the
        // count restarting at 1; a code such as 301 in a row printed without a serial is kept.
        let declared = parse("""
        部门预算项目支出及其他支出预算表
        单位：万元
        序号    科目编码   项目名称                    合计          财政拨款
                合计                                   255.50        240.50
        1       2080109    社会保险经办服务            120.00        120.00
        2       2080109    信息系统运行维护             80.50         80.50
        12      2080199    数据治理                     25.00         25.00
        1                  档案数字化                   15.00
        2                  宣传                         15.00         15.00
        """).table(.projectList)
        #expect(declared?.rows.map(\.label) == ["合计", "社会保险经办服务", "信息系统运行维护", "数据治理", "档案数字化", "宣传"])
        #expect(declared?.rows.map(\.code) == [nil, "2080109", "2080109", "2080199", nil, nil])
        #expect(declared?.rows.last?.values[Column.fiscal] == amount("15.00"))
        #expect(declared?.rows.allSatisfy { $0.values.values.allSatisfy { $0.decimals == 2 } } == true)

        // Not declared: a count 1, 2, 3 down the table proves the column.
        let counted = parse("""
        部门预算项目支出及其他支出预算表
        单位：万元
        项目名称 合计 财政拨款
        1 社会保险经办服务 120.00 120.00
        2 信息系统运行维护 80.50 80.50
        3 档案数字化 15.00
        合计 215.50 200.50
        """).table(.projectList)
        #expect(counted?.rows.map(\.label) == ["社会保险经办服务", "信息系统运行维护", "档案数字化", "合计"])
        #expect(counted?.rows.first?.values[Column.total] == amount("120.00"))

        // Codes that happen to count are not serials: 301, 302 never start at 1; nor is a
        // single leading integer.
        let coded = parse("""
        一般公共预算基本支出表
        单位：万元
        科目编码 科目名称 合计 人员经费 公用经费
        合计 12.00 10.00 2.00
        301 工资福利支出 10.00 10.00
        302 商品和服务支出 2.00 2.00
        """).table(.basicEconomic)
        #expect(coded?.rows.map(\.code) == [nil, "301", "302"])

        #expect(NumberingColumns.isSmallOrdinal("1") && NumberingColumns.isSmallOrdinal("120"))
        for t in ["01", "0", "1.00", "1,200", "1200", "", "a"] { #expect(!NumberingColumns.isSmallOrdinal(t), "\(t)") }
        for t in ["栏次 1 2", "栏次 1 栏次 2", "栏 次 1", "栏次 ** 1 2 3", "栏次\t1\t2"] {
            #expect(NumberingColumns.isColumnNumberRow(t), "\(t)")
        }
        for t in ["栏次", "栏杆维护 1 2", "栏次 1.00", "合计 1 2", "栏次 123"] { #expect(!NumberingColumns.isColumnNumberRow(t), "\(t)") }
    }

    @Test func uncodedLabelsWrappedBelowTheirAmountsJoinTheirRow() {
        // A project list as pdftotext -layout prints it: a long name fills its cell and goes on
        // below the line with its amounts. The rest ends the table, or stands between two
        // numbered rows without a number of its own.
        let list = { (rows: String) in """
        项目支出预算表
                                                                           单位：万元
          序号    项目名称                                  合计          财政拨款       其他资金
                  合计                                     542.50         522.50          20.00
        \(rows)
        """ }
        let numbered = parse(list("""
           1      城乡居民基本养老保险补助                  300.00         300.00
           2      社会保险经办信息系统运行维护费             150.50         130.50          20.00
           3      老年人福利补贴及高龄津贴发放工作           80.00          80.00
                  经费
           4      社区养老服务                               12.00          12.00
        """)).table(.projectList)
        #expect(numbered?.rows.map(\.label) == ["合计", "城乡居民基本养老保险补助", "社会保险经办信息系统运行维护费",
                                                "老年人福利补贴及高龄津贴发放工作经费", "社区养老服务"])
        #expect(numbered?.rows[3].values[Column.fiscal] == amount("80.00"))
        let last = parse(list("""
           1      城乡居民基本养老保险补助                  300.00         300.00
           2      社会保险经办信息系统运行维护费             150.50         130.50          20.00
           3      社区养老服务                               12.00          12.00
           4      老年人福利补贴及高龄津贴发放工作           80.00          80.00
                  经费
        """)).table(.projectList)
        #expect(last?.rows.last?.label == "老年人福利补贴及高龄津贴发放工作经费")
        #expect(last?.rows.count == 5)

        // A label-only line after a label that does not fill its cell is a row of its own (a
        // heading, a row of blank cells), and so is one followed by an unnumbered row.
        let short = parse(list("""
           1      城乡居民基本养老保险补助                  300.00         300.00
           2      社会保险经办信息系统运行维护费             150.50         130.50          20.00
           3      社区养老服务                               12.00          12.00
                  其他项目
        """)).table(.projectList)
        #expect(short?.rows.map(\.label).suffix(2) == ["社区养老服务", "其他项目"])
        let unnumbered = parse(list("""
                  城乡居民基本养老保险补助                  300.00         300.00
                  社会保险经办信息系统运行维护费             150.50         130.50          20.00
                  老年人福利补贴及高龄津贴发放工作           80.00          80.00
                  专项业务
                  社区养老服务                               12.00          12.00
        """)).table(.projectList)
        #expect(unnumbered?.rows.contains { $0.label == "老年人福利补贴及高龄津贴发放工作" } == true)
    }

    @Test func aYearHeadingCentredOverItsColumnsIsNoColumn() {
        // 2025年预算数 centred over 合计 基本支出 项目支出 (pdftotext -layout prints a merged cell
        // so), between the last year's column and the changes: it heads the three columns and is
        // none of them. Read as the total, it took 基本支出's place, and a 0.00 under 增减% went to
        // 项目支出, where the arithmetic holds as well.
        let t = parse("""
        一般公共预算支出表
        单位：万元
          科目编码      科目名称                 2024年预算数                2025年预算数                   增减额      增减%
                                                                    合计      基本支出     项目支出
                        合计                         1,100.00     1,200.00     400.00       800.00       100.00       9.09
          213           农林水支出                   1,000.00     1,100.00     300.00       800.00       100.00      10.00
          21301         农业农村                     1,000.00     1,100.00     300.00       800.00       100.00      10.00
          2130101       行政运行                       300.00       300.00     300.00                                 0.00
          2130104       事业运行                       700.00       800.00                  800.00       100.00      14.29
          208           社会保障和就业支出             100.00       100.00     100.00                                 0.00
        """).table(.generalFunction)
        #expect(t?.columns == [Column.total, Column.basic, Column.project])
        #expect(t?.row(code: "2130101").map { Set($0.values.keys) } == [Column.total, Column.basic])
        #expect(t?.row(code: "2130101")?.values[Column.basic] == amount("300.00"))
        #expect(t?.row(code: "208").map { Set($0.values.keys) } == [Column.total, Column.basic])
        #expect(t?.row(code: "2130104").map { Set($0.values.keys) } == [Column.total, Column.project])
        #expect(t?.row(code: "2130104")?.values[Column.project] == amount("800.00"))
        // A heading that is a group of its own (基本支出 over 人员经费 公用经费) stays one.
        let lines = ["  科目名称          合计              基本支出                 项目支出",
                     "                                人员经费    公用经费"].enumerated().map { SourceLine(number: $0.offset + 1, raw: $0.element) }
        #expect(ColumnPositions.placedKeys(headerLines: lines)?.map(\.key).contains(Column.basic) == true)
    }

    @Test func groupHeadingWithoutSubtotalIsAColumnWhereTheArithmeticSaysSo() {
        // 财政拨款收入 printed without 小计: a column of its own when the rows print it (the
        // amounts then only add up with it), a heading over its funds when they do not.
        let column = parse("""
        部门收入总表
        单位：万元
        科目编码 科目名称 合计 上年结转 财政拨款收入 一般公共预算 政府性基金预算 事业收入
        合计 110.00 100.00 100.00 10.00
        208 社会保障和就业支出 100.00 100.00 100.00
        210 卫生健康支出 10.00 10.00
        """).table(.income)
        #expect(column?.columns.contains(Column.fiscal) == true)
        #expect(column?.row(code: "208")?.values[Column.fiscal] == amount("100.00"))
        #expect(column?.row(code: "208")?.values[Column.priorCarryover] == nil)
        #expect(column?.row(label: "合计")?.values[Column.business] == amount("10.00"))
        let heading = parse("""
        部门收入总表
        单位：万元
        科目编码 科目名称 合计 上年结转 财政拨款收入 一般公共预算 政府性基金预算 事业收入
        合计 110.00 100.00 10.00
        208 社会保障和就业支出 100.00 100.00
        210 卫生健康支出 10.00 10.00
        """).table(.income)
        #expect(heading?.columns.contains(Column.fiscal) == false)
        let a = { (s: [String]) in s.compactMap(Amount.init) }
        #expect(TableReader.mayPrintGroup(a(["110.00", "100.00", "60.00", "40.00", "10.00"])))
        #expect(TableReader.mayPrintGroup(a(["110.00", "100.00", "100.01", "10.00"])))
        #expect(!TableReader.mayPrintGroup(a(["110.00", "100.00", "10.00"])))
        #expect(!TableReader.mayPrintGroup(a(["110.00", "100.00", "60.00"])))
        #expect(heading?.row(code: "208")?.values.count == 2)
        #expect(heading?.row(code: "208")?.values[Column.fiscal] == nil)
    }

    @Test func groupHeadingWithSubtotalIsAColumn() {
        let l = HeaderReader.layout(headerText: "合计 财政拨款 小计 一般公共预算 政府性基金 事业收入", kind: .income, maxValues: 3)
        #expect(l.keys == [Column.total, Column.fiscal, Column.generalBudget, Column.govFund, Column.business])
        let bare = HeaderReader.layout(headerText: "合计 财政拨款收入 一般公共预算 政府性基金 事业收入", kind: .income, maxValues: 3)
        #expect(bare.keys == [Column.total, Column.generalBudget, Column.govFund, Column.business])
    }
}
