import Foundation
import Testing
import GoujiModel
import GoujiParse
@testable import GoujiReconcile

/// Layouts of other regions than the seeds', written here, parsed and reconciled end to end:
/// a consistent document raises no error or warning, and a changed amount still does.
@Suite struct RegionalLayoutTests {
    static func findings(_ text: String) -> [Finding] {
        let doc = BudgetParser().parse(text: text, source: Source(name: "t.txt", format: .text))
        return Reconciler().findings(for: doc).filter { $0.severity != .info && $0.rule != "D-TABLES" }
    }

    /// The 三公 table with 会议费 and 培训费 beside the items, as `pdftotext -layout` prints it (a
    /// 合计 that includes them, the vehicle split under 小计 购置费 运行费) and tab-separated (a 合计
    /// of the items alone, a row labelled by the year's figures), with the narrative's 三公 total.
    static func threePublicWithMeetings(total: String = "5.20", stated: String = "4.20") -> String {
        """
        某某市某某局2024年部门预算

        七、财政拨款“三公”经费、会议费和培训费支出情况表
        单位名称：某某市某某局                                                        单位：万元
                                      “三公”经费
           合计       因公出国（境）费    公务接待费       公务用车购置及运行费             会议费       培训费
                                                         小计      购置费      运行费
            \(total)          0.00          1.20         3.00       0.00        3.00       0.40        0.60

        八、一般公共预算“三公”经费支出表
        单位：万元
        项目\t合计\t因公出国（境）费\t公务接待费\t公务用车购置及运行费\t会议费\t培训费
        2024年预算数\t4.20\t0.00\t1.20\t3.00\t0.40\t0.60
        第三部分 部门预算情况说明
        一、“三公”经费情况
        2024年“三公”经费预算 \(stated) 万元。其中：公务接待费 1.20 万元；公务用车购置及运行费 3.00 万元。
        """
    }

    /// 决算 flow tables (年初结转和结余 | 本年收入 | 本年支出 小计 基本支出 项目支出 | 年末结转和结余), by
    /// function item: tab-separated with the balances blank, then `pdftotext -layout` with them printed.
    static let flowTablesTabbedFirst = """
        某某县某某局2023年度部门决算

        第二部分 2023年度部门决算表

        一、收入支出决算总表
        单位：万元
        收入\t\t支出\t
        项目\t决算数\t项目\t决算数
        一、一般公共预算财政拨款收入\t300.00\t一、一般公共服务支出\t250.00
        二、政府性基金预算财政拨款收入\t\t二、社会保障和就业支出\t50.00
        本年收入合计\t300.00\t本年支出合计\t300.00
        年初结转和结余\t\t年末结转和结余\t
        总计\t300.00\t总计\t300.00

        二、财政拨款收入支出决算表
        单位：万元
        项目\t年初财政拨款结转和结余\t本年财政拨款收入\t本年财政拨款支出\t\t\t年末财政拨款结转和结余
        \t\t\t小计\t基本支出\t项目支出\t
        功能分类科目编码\t科目名称
        \t合计\t\t300.00\t300.00\t280.00\t20.00\t
        201\t一般公共服务支出\t\t250.00\t250.00\t230.00\t20.00\t
        20113\t商贸事务\t\t250.00\t250.00\t230.00\t20.00\t
        2011301\t行政运行\t\t230.00\t230.00\t230.00\t\t
        2011308\t招商引资\t\t20.00\t20.00\t\t20.00\t
        208\t社会保障和就业支出\t\t50.00\t50.00\t50.00\t\t
        20805\t行政事业单位养老支出\t\t50.00\t50.00\t50.00\t\t
        2080505\t机关事业单位基本养老保险缴费支出\t\t50.00\t50.00\t50.00\t\t

        三、政府性基金预算财政拨款收入支出决算表
        单位：万元
                                                      年初结转和结余   本年收入       本年支出                      年末结转和结余
                                                                                      小计       基本支出     项目支出
        科目编码    科目名称
                  合计                                     10.00        300.00        305.00       280.00        25.00            5.00
        201       一般公共服务支出                         10.00        250.00        255.00       230.00        25.00            5.00
        20113     商贸事务                                 10.00        250.00        255.00       230.00        25.00            5.00
        2011301   行政运行                                              230.00        230.00       230.00
        2011308   招商引资                                 10.00         20.00         25.00                     25.00            5.00
        208       社会保障和就业支出                                     50.00         50.00        50.00
        20805     行政事业单位养老支出                                   50.00         50.00        50.00
        2080505   机关事业单位基本养老保险缴费支出                       50.00         50.00        50.00

        第三部分 2023年度部门决算情况说明
        一、收入支出决算总体情况说明
        2023年度收入总计300.00万元，支出总计300.00万元。

        """

    /// The same tables the other way round: `-layout` with the balances blank, tab-separated with them printed.
    static let flowTablesSpacedFirst = """
        某某县某某局2023年度部门决算

        第二部分 2023年度部门决算表

        一、收入支出决算总表
        单位：万元
        收入\t\t支出\t
        项目\t决算数\t项目\t决算数
        一、一般公共预算财政拨款收入\t300.00\t一、一般公共服务支出\t250.00
        二、政府性基金预算财政拨款收入\t\t二、社会保障和就业支出\t50.00
        本年收入合计\t300.00\t本年支出合计\t300.00
        年初结转和结余\t\t年末结转和结余\t
        总计\t300.00\t总计\t300.00

        二、财政拨款收入支出决算表
        单位：万元
                                                      年初结转和结余   本年收入       本年支出                      年末结转和结余
                                                                                      小计       基本支出     项目支出
        科目编码    科目名称
                  合计                                                  300.00        300.00       280.00        20.00
        201       一般公共服务支出                                      250.00        250.00       230.00        20.00
        20113     商贸事务                                              250.00        250.00       230.00        20.00
        2011301   行政运行                                              230.00        230.00       230.00
        2011308   招商引资                                               20.00         20.00                     20.00
        208       社会保障和就业支出                                     50.00         50.00        50.00
        20805     行政事业单位养老支出                                   50.00         50.00        50.00
        2080505   机关事业单位基本养老保险缴费支出                       50.00         50.00        50.00

        三、政府性基金预算财政拨款收入支出决算表
        单位：万元
        项目\t年初结转和结余\t本年收入\t本年支出\t\t\t年末结转和结余
        \t\t\t小计\t基本支出\t项目支出\t
        功能分类科目编码\t科目名称
        \t合计\t10.00\t300.00\t305.00\t280.00\t25.00\t5.00
        201\t一般公共服务支出\t10.00\t250.00\t255.00\t230.00\t25.00\t5.00
        20113\t商贸事务\t10.00\t250.00\t255.00\t230.00\t25.00\t5.00
        2011301\t行政运行\t\t230.00\t230.00\t230.00\t\t
        2011308\t招商引资\t10.00\t20.00\t25.00\t\t25.00\t5.00
        208\t社会保障和就业支出\t\t50.00\t50.00\t50.00\t\t
        20805\t行政事业单位养老支出\t\t50.00\t50.00\t50.00\t\t
        2080505\t机关事业单位基本养老保险缴费支出\t\t50.00\t50.00\t50.00\t\t

        第三部分 2023年度部门决算情况说明
        一、收入支出决算总体情况说明
        2023年度收入总计300.00万元，支出总计300.00万元。

        """

    /// A flow table is read one-sided with its balances and the year's income as columns of their
    /// own (a 财政拨款收入支出决算表 is not the two-sided 财政拨款收支总表), whether its balances are
    /// blank or printed, tab-separated or space-aligned; its rows balance (R-COLS) with no false
    /// alarm, and a changed balance is an error.
    @Test func finalAccountsFlowTables() throws {
        let keys = [Column.priorCarryover, Column.fiscal, Column.total, Column.basic, Column.project, Column.carryForward]
        func amount(_ s: String) -> Amount { Amount(s) ?? .zero }
        // The space-aligned header's cells wrapped in narrow columns (年初财政拨款 over 结转和结余,
        // 本年财政 over 拨款收入), as `pdftotext -layout` prints them.
        let lines = Self.flowTablesTabbedFirst.split(separator: "\n", omittingEmptySubsequences: false)
        let top = try #require(lines.firstIndex { $0.contains("年初结转和结余   本年收入") })
        var wrapped = lines.map(String.init)
        wrapped[top] = String(repeating: " ", count: 46) + "年初财政拨款    本年财政        本年财政拨款支出            年末财政拨款"
        wrapped[top + 1] = String(repeating: " ", count: 46) + "结转和结余      拨款收入      小计       基本支出     项目支出   结转和结余"
        for text in [Self.flowTablesTabbedFirst, Self.flowTablesSpacedFirst, wrapped.joined(separator: "\n")] {
            let doc = BudgetParser().parse(text: text, source: Source(name: "t.txt", format: .text))
            #expect(doc.tables.first?.kind == .summary)
            let fiscal = try #require(doc.tables.first { $0.title == "财政拨款收入支出决算表" })
            #expect(fiscal.kind == .other)
            #expect(fiscal.columns == keys)
            #expect(fiscal.row(label: "合计")?.values == [Column.fiscal: amount("300.00"), Column.total: amount("300.00"),
                                                         Column.basic: amount("280.00"), Column.project: amount("20.00")])
            #expect(fiscal.row(code: "2011308")?.values == [Column.fiscal: amount("20.00"), Column.total: amount("20.00"),
                                                           Column.project: amount("20.00")])
            let fund = try #require(doc.tables.first { $0.kind == .govFund })
            #expect(fund.columns == keys)
            #expect(fund.row(code: "2011308")?.values == [Column.priorCarryover: amount("10.00"), Column.fiscal: amount("20.00"),
                                                         Column.total: amount("25.00"), Column.project: amount("25.00"),
                                                         Column.carryForward: amount("5.00")])
            #expect(Self.findings(text).map(\.rule) == [])
        }
        // A changed balance brought in breaks its row's flow (and its parent's sum).
        let changed = Self.flowTablesSpacedFirst.replacingOccurrences(of: "2011308\t招商引资\t10.00", with: "2011308\t招商引资\t11.00")
        #expect(changed != Self.flowTablesSpacedFirst)
        let rules = Self.findings(changed).map(\.rule)
        #expect(rules.contains("R-COLS") && rules.contains("R-TREE"))
    }

    /// 决算's 一般公共预算财政拨款基本支出决算表: three 科目编码 科目名称 决算数 groups side by side
    /// under 人员经费 | 公用经费, tab-separated (a 公用经费合计 cell merged over two groups).
    static let sideBySideTabbed = """
        某某县某某局2023年度部门决算

        第二部分 2023年度部门决算表

        七、一般公共预算财政拨款基本支出决算表
        单位：万元
        人员经费\t\t\t公用经费\t\t\t\t\t
        科目编码\t科目名称\t决算数\t科目编码\t科目名称\t决算数\t科目编码\t科目名称\t决算数
        301\t工资福利支出\t100.00\t302\t商品和服务支出\t30.00\t307\t债务利息及费用支出\t
        30101\t基本工资\t40.00\t30201\t办公费\t10.00\t31002\t办公设备购置\t5.00
        30102\t津贴补贴\t35.00\t30211\t差旅费\t8.00\t31007\t信息网络及软件购置更新\t5.00
        30108\t机关事业单位基本养老保险缴费\t15.00\t30217\t公务接待费\t2.00\t\t\t
        30113\t住房公积金\t10.00\t30231\t公务用车运行维护费\t10.00\t\t\t
        303\t对个人和家庭的补助\t20.00\t310\t资本性支出\t10.00\t\t\t
        30305\t生活补助\t20.00\t\t\t\t\t\t
        人员经费合计\t\t120.00\t公用经费合计\t\t\t\t\t40.00

        第三部分 2023年度部门决算情况说明
        一、一般公共预算财政拨款基本支出决算情况说明
        2023年度一般公共预算财政拨款基本支出160.00万元，其中：人员经费120.00万元；公用经费40.00万元。
        """

    /// The same table as `pdftotext -layout` prints it.
    static let sideBySideSpaced = """
        某某县某某局2023年度部门决算

        第二部分 2023年度部门决算表

        七、一般公共预算财政拨款基本支出决算表
        单位：万元
        人员经费                                           公用经费
        科目编码 科目名称                          决算数  科目编码 科目名称                    决算数  科目编码 科目名称                      决算数
        301     工资福利支出                      100.00  302     商品和服务支出               30.00  307     债务利息及费用支出
        30101   基本工资                           40.00  30201   办公费                       10.00  31002   办公设备购置                    5.00
        30102   津贴补贴                           35.00  30211   差旅费                        8.00  31007   信息网络及软件购置更新          5.00
        30108   机关事业单位基本养老保险缴费       15.00  30217   公务接待费                    2.00
        30113   住房公积金                         10.00  30231   公务用车运行维护费           10.00
        303     对个人和家庭的补助                 20.00  310     资本性支出                   10.00
        30305   生活补助                           20.00
        人员经费合计                                   120.00  公用经费合计                                                                            40.00

        第三部分 2023年度部门决算情况说明
        一、一般公共预算财政拨款基本支出决算情况说明
        2023年度一般公共预算财政拨款基本支出160.00万元，其中：人员经费120.00万元；公用经费40.00万元。
        """

    /// Groups printed side by side are rows of their own, each class with its items, the same
    /// rows tab-separated, space-aligned and with single spaces (blanks dropped); no false alarm,
    /// and a changed item is an R-TREE error.
    @Test func sideBySideGroupsAreRowsOfTheirOwn() throws {
        let single = Self.sideBySideTabbed.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.split(separator: "\t").joined(separator: " ")
        }.joined(separator: "\n")
        var readings: [[Row]] = []
        for text in [Self.sideBySideTabbed, Self.sideBySideSpaced, single] {
            let doc = BudgetParser().parse(text: text, source: Source(name: "t.txt", format: .text))
            let t = try #require(doc.tables.first)
            #expect(t.kind == .basicEconomic)
            #expect(t.columns == [Column.total])
            #expect(t.rows.map { $0.code ?? $0.label } == [
                "301", "30101", "30102", "30108", "30113", "303", "30305", "人员经费合计",
                "302", "30201", "30211", "30217", "30231", "310", "公用经费合计",
                "307", "31002", "31007"])
            #expect(t.row(code: "30217")?.values == [Column.total: Amount("2.00") ?? .zero])
            #expect(t.row(label: "公用经费合计")?.values == [Column.total: Amount("40.00") ?? .zero])
            #expect(t.row(code: "307")?.values == [:])
            #expect(Self.findings(text).map(\.rule) == [])
            readings.append(t.rows.map { Row(code: $0.code, label: $0.label, values: $0.values) })
        }
        #expect(readings[1] == readings[0] && readings[2] == readings[0])
        let changed = Self.sideBySideTabbed.replacingOccurrences(of: "30101\t基本工资\t40.00", with: "30101\t基本工资\t41.00")
        #expect(changed != Self.sideBySideTabbed)
        #expect(Self.findings(changed).map(\.rule).contains("R-TREE"))
    }

    /// 决算's 三公 table: the items printed twice, under 预算数 and under 决算数, in one wide row
    /// (column numbers 1…12 above it).
    static let threePublicBudgetAndOutturn = """
        某某县某某局2023年度部门决算

        八、一般公共预算财政拨款“三公”经费支出决算表
        单位：万元
        预算数\t\t\t\t\t\t决算数\t\t\t\t\t
        合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费\t合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费
        \t\t小计\t公务用车购置费\t公务用车运行费\t\t\t\t小计\t公务用车购置费\t公务用车运行费\t
        1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12
        12.00\t0.00\t8.00\t0.00\t8.00\t4.00\t10.50\t0.00\t7.50\t0.00\t7.50\t3.00

        第三部分 2023年度部门决算情况说明
        一、“三公”经费支出决算情况说明
        2023年度“三公”经费财政拨款支出决算为10.50万元，其中：公务用车购置及运行费7.50万元，公务接待费3.00万元。
        """

    /// A 三公 table comparing its figures with others (预算数 | 决算数, or two years' 预算数) reads its
    /// own half of the row: tab-separated, space-aligned, and with years; a changed own figure is
    /// still an error.
    @Test func threePublicComparingTwoGroupsReadsItsOwn() throws {
        let text = Self.threePublicBudgetAndOutturn
        let spaced = text.replacingOccurrences(of: "\t", with: "    ")
        let years = text.replacingOccurrences(of: "预算数\t", with: "2023年预算数\t").replacingOccurrences(of: "决算数\t", with: "2024年预算数\t")
        for t in [text, spaced, years] {
            let doc = BudgetParser().parse(text: t, source: Source(name: "t.txt", format: .text))
            let table = try #require(doc.tables.first { $0.kind == .threePublic })
            #expect(table.rows.map { $0.values[Column.total]?.printed ?? "-" } == ["10.50", "0.00", "3.00", "7.50", "0.00", "7.50"])
            #expect(doc.parseNotes.isEmpty)
        }
        #expect(Self.findings(text).map(\.rule) == [])
        let changed = text.replacingOccurrences(of: "\t7.50\t3.00", with: "\t7.50\t4.00")
        #expect(changed != text)
        #expect(Self.findings(changed).map(\.rule).contains("X-3PUB"))
    }

    /// 决算's 财政拨款收入支出决算总表: the carry-over 年初财政拨款结转和结余 beside 年末… (the amount in a
    /// cell of its own before a label starting with 年), then its parts by fund after it.
    static let fiscalFinalSummary = """
        某某县某某局2023年度部门决算

        三、财政拨款收入支出决算总表
        单位：万元
        收入\t\t支出\t\t\t
        项目\t决算数\t项目\t合计\t一般公共预算财政拨款\t政府性基金预算财政拨款
        一、一般公共预算财政拨款\t300.00\t一、一般公共服务支出\t250.00\t250.00\t
        二、政府性基金预算财政拨款\t\t二、社会保障和就业支出\t50.00\t50.00\t
        本年收入合计\t300.00\t本年支出合计\t300.00\t300.00\t
        年初财政拨款结转和结余\t10.00\t年末财政拨款结转和结余\t10.00\t10.00\t
        一般公共预算财政拨款\t10.00\t\t\t\t
        政府性基金预算财政拨款\t\t\t\t\t
        总计\t310.00\t总计\t310.00\t310.00\t
        """

    @Test func fiscalFinalSummaryWithItsCarryOverParts() throws {
        let doc = BudgetParser().parse(text: Self.fiscalFinalSummary, source: Source(name: "t.txt", format: .text))
        let t = try #require(doc.tables.first)
        #expect(t.kind == .fiscalSummary)
        #expect(t.rows.first { $0.label == "年初财政拨款结转和结余" }?.values[Column.total] == Amount("10.00"))
        #expect(t.rows.first { $0.label == "年末财政拨款结转和结余" }?.side == .expenditure)
        #expect(Self.findings(Self.fiscalFinalSummary).map(\.rule) == [])
        let changed = Self.fiscalFinalSummary.replacingOccurrences(of: "一般公共预算财政拨款\t10.00", with: "一般公共预算财政拨款\t11.00")
        #expect(changed != Self.fiscalFinalSummary)
        #expect(Self.findings(changed).map(\.rule).contains("R-BALANCE"))
    }

    /// 基本支出 split into 人员经费 and 公用经费 in a function table's header (小计 人员经费 公用经费 under
    /// 基本支出), tab-separated and with single spaces: 基本支出 = 人员经费 + 公用经费, 合计 = 基本支出 +
    /// 项目支出, no false alarm (also space-aligned); a changed 公用经费 is an R-COLS error.
    @Test func basicSplitIntoPersonnelAndPublicColumns() throws {
        let tabbed = """
        某某区某某局2024年部门预算

        五、一般公共预算支出表
        单位：万元
        科目编码\t科目名称\t合计\t基本支出\t\t\t项目支出
        \t\t\t小计\t人员经费\t公用经费\t
        \t合计\t300.00\t280.00\t240.00\t40.00\t20.00
        201\t一般公共服务支出\t250.00\t230.00\t190.00\t40.00\t20.00
        2011301\t行政运行\t230.00\t230.00\t190.00\t40.00\t
        2011308\t招商引资\t20.00\t\t\t\t20.00
        208\t社会保障和就业支出\t50.00\t50.00\t50.00\t\t
        2080505\t机关事业单位基本养老保险缴费支出\t50.00\t50.00\t50.00\t\t
        """
        let single = tabbed.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.split(separator: "\t").joined(separator: " ") }.joined(separator: "\n")
        // As `pdftotext -layout` prints it: 基本支出 alone on an indented line over its columns.
        let spaced = """
        某某区某某局2024年部门预算

        五、一般公共预算支出表
        单位：万元
                                                                                基本支出
         科目编码   科目名称                                 合计       小计       人员经费     公用经费      项目支出
                    合计                                   300.00     280.00       240.00        40.00        20.00
         201        一般公共服务支出                       250.00     230.00       190.00        40.00        20.00
         2011301    行政运行                               230.00     230.00       190.00        40.00
         2011308    招商引资                                20.00                                             20.00
         208        社会保障和就业支出                      50.00      50.00        50.00
         2080505    机关事业单位基本养老保险缴费支出        50.00      50.00        50.00

        """
        for text in [tabbed, single, spaced] {
            let doc = BudgetParser().parse(text: text, source: Source(name: "t.txt", format: .text))
            let t = try #require(doc.tables.first)
            #expect(t.columns == [Column.total, Column.basic, Column.personnel, Column.publicFunds, Column.project])
            let values: [String: Amount] = [Column.total: Amount("230.00") ?? .zero, Column.basic: Amount("230.00") ?? .zero,
                                            Column.personnel: Amount("190.00") ?? .zero, Column.publicFunds: Amount("40.00") ?? .zero]
            #expect(t.row(code: "2011301")?.values == values)
            #expect(Self.findings(text).map(\.rule) == [])
        }
        let changed = tabbed.replacingOccurrences(of: "2011301\t行政运行\t230.00\t230.00\t190.00\t40.00", with: "2011301\t行政运行\t230.00\t230.00\t190.00\t41.00")
        #expect(changed != tabbed)
        #expect(Self.findings(changed).map(\.rule).contains("R-COLS"))
    }

    /// A table comparing years (2023年预算数 2024年预算数 增减额 增减%), space-aligned and
    /// tab-separated: the year's own column is `total`, the others are dropped, and the
    /// comparison caption is no stale year.
    @Test func tablesComparingYears() throws {
        let spaced = """
        某某市某某局2024年部门预算

        五、一般公共预算支出情况表
        单位：万元
           科目编码      科目名称                       2023年预算数     2024年预算数      增减额      增减%
                          合计                              280.00           294.58       14.58      5.21
         201          一般公共服务支出                       230.00           230.00        0.00      0.00
             2011301      行政运行                           183.05           183.05        0.00      0.00
             2011308      招商引资                            46.95            46.95        0.00      0.00
         208          社会保障和就业支出                      50.00            64.58       14.58     29.16
             2080505      机关事业单位基本养老保险缴费支出    50.00            64.58       14.58     29.16
        """
        // Tab-separated, blank fields kept (合计 has no code).
        let tabbed = spaced.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let fields = line.split(separator: " ").map(String.init)
            return (fields.first == "合计" ? [""] + fields : fields).joined(separator: "\t")
        }.joined(separator: "\n")
        for text in [spaced, tabbed] {
            let doc = BudgetParser().parse(text: text, source: Source(name: "t.txt", format: .text))
            let t = try #require(doc.tables.first { $0.kind == .generalFunction })
            #expect(t.columns == [Column.total])
            #expect(t.row(label: "合计")?.values == [Column.total: Amount("294.58") ?? .zero])
            #expect(t.row(code: "2080505")?.values == [Column.total: Amount("64.58") ?? .zero])
            #expect(Self.findings(text).map(\.rule) == [])
        }
        // A changed amount in the year's column is still found.
        #expect(Self.findings(spaced.replacingOccurrences(of: "183.05           183.05", with: "183.05           183.15")).map(\.rule).contains("R-TREE"))
    }

    @Test func threePublicWithMeetingAndTrainingColumns() throws {
        let doc = BudgetParser().parse(text: Self.threePublicWithMeetings(), source: Source(name: "t.txt", format: .text))
        let tables = doc.tables.filter { $0.kind == .threePublic }
        #expect(tables.count == 2)
        let wide = try #require(tables.first)
        #expect(wide.row(label: ThreePublicItem.vehicle)?.values[Column.total] == Amount("3.00"))
        #expect(wide.row(label: ThreePublicItem.vehicleOperation)?.values[Column.total] == Amount("3.00"))
        #expect(wide.row(label: ThreePublicItem.meeting)?.values[Column.total] == Amount("0.40"))
        #expect(wide.row(label: ThreePublicItem.training)?.values[Column.total] == Amount("0.60"))
        // The year's figures are not a unit.
        #expect(tables.last?.units.isEmpty == true)
        #expect(Self.findings(Self.threePublicWithMeetings()).map(\.rule) == [])
        // A 合计 that fits neither reading, and a narrative total that fits neither, are errors.
        #expect(Self.findings(Self.threePublicWithMeetings(total: "5.30")).map(\.rule).contains("X-3PUB"))
        #expect(Self.findings(Self.threePublicWithMeetings(stated: "4.30")).map(\.rule).contains("T-AMOUNT"))
    }
}
