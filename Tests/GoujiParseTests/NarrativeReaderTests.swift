import Testing
import GoujiModel
@testable import GoujiParse

@Suite struct NarrativeReaderTests {
    func facts(_ text: String, projects: [Project] = [], tables: [Table] = []) -> [Fact] {
        NarrativeReader.facts(in: SourceText(text).lines, projects: projects, tables: tables)
    }

    func fact(_ fs: [Fact], _ key: String, _ n: Int = 0) -> Fact? {
        let m = fs.filter { $0.key == key }
        return n < m.count ? m[n] : nil
    }

    /// 财政拨款收入总计 X 万元、支出总计 Y 万元: the bare total after a 财政拨款 amount of its sentence
    /// is 财政拨款's (a false T-AMOUNT against all spending otherwise); not across a sentence's end,
    /// and not after an all-funds total.
    @Test func aBareTotalAfterAFiscalTotalIsFiscal() {
        let head = "第三部分 2024年部门预算情况说明\n"
        let fiscal = facts(head + "2024年财政拨款收入总计300.00万元、支出总计300.00万元。与上年相比，财政拨款收、支总计各减少10.00万元，下降3.23%。\n")
        #expect(fiscal.map(\.key) == ["fiscal.total", "fiscal.total"])
        // (收、支…各: the change and its percentage are both sides'.)
        #expect(fiscal.map(\.change) == [Amount("-10.00"), Amount("-10.00")])
        #expect(fiscal.map(\.pct) == [Amount("-3.23"), Amount("-3.23")])
        let one = facts(head + "2024年收入总计320.00万元、支出总计320.00万元，支出比上年增加10.00万元。\n")
        #expect(one.map(\.change) == [nil, Amount("10.00")])
        let all = facts(head + "2024年收入总计320.00万元、支出总计320.00万元。\n")
        #expect(all.map(\.key) == ["income.total", "expenditure.total"])
        let apart = facts(head + "2024年财政拨款收入总计300.00万元。支出总计320.00万元。\n")
        #expect(apart.map(\.key) == ["fiscal.total", "expenditure.total"])
    }

    /// A 决算's narrative states the budget beside the outturn: the budget is no fact there; in a
    /// budget, the 预算 amount is the fact.
    @Test func finalAccountsBudgetFiguresAreComparisons() {
        let text = "第三部分 2023年度部门决算情况说明\n七、“三公”经费财政拨款支出决算情况说明\n2023年度“三公”经费财政拨款支出预算为12.00万元，支出决算为10.50万元，完成预算的87.50%。\n"
        let final = NarrativeReader.facts(in: SourceText(text).lines, finalAccounts: true)
        #expect(final.map(\.key) == ["three_public.total"])
        #expect(final.first?.value == Amount("10.50"))
        #expect(facts(text).first?.value == Amount("12.00"))
    }

    @Test func wrappedSentencesKeepEachAmountsLine() throws {
        let text = """
        目 录
        第三部分 某某县水利局 2025 年部门预算情况说明

        第三部分 某某县水利局 2025 年部门预

        算情况说明

        （一）收入预算情况

        2025 年某某县水利局收入预算总额

        为 2,318.40 万元，较上年预算安排增加 118.4 万元，增

        长 5.38%；财政拨

        款收入 2,300 万元，占收入预算总额的 99.21%。

        第四部分 名词解释
        一、财政拨款收入 100 万元
        """
        let fs = facts(text)
        let income = try #require(fact(fs, "income.total"))
        #expect(income.value == Amount("2318.40"))
        #expect(income.line == 12)
        #expect(income.change == Amount("118.4"))
        #expect(income.pct == Amount("5.38"))
        let fiscal = try #require(fact(fs, "fiscal.total"))
        #expect(fiscal.value == Amount("2300"))
        #expect(fiscal.line == 16)
        #expect(fiscal.share == Amount("99.21"))
        #expect(fiscal.shareOf == "收入预算总额")
        // The glossary after the narrative part is not read.
        #expect(fs.count == 2)
    }

    /// A share keeps the words it is of, wherever the line wraps, in full-width or ASCII
    /// punctuation and in 元: the reconciler names the denominator from them.
    @Test func sharesKeepTheWholeTheyAreOf() throws {
        let text = """
        第三部分 2025 年部门预算情况说明
        1. 基本支出预算 2476260.58 元,占一般公共预算支出
        的84.06%,同比减少 4966.66 元,下降 0.2%。其中:
        工资福利支出预算 2016908.34 元,占基本支出预算
        81.45%,同比增加 33279.22 元,增长 1.68%。
        人员经费 120 万元，占基本支出的比重为 80%；公用经费 30 万元，占比 20%。
        """
        let fs = facts(text)
        let basic = try #require(fact(fs, "expenditure.basic"))
        #expect(basic.share == Amount("84.06") && basic.shareOf == "一般公共预算支出")
        #expect(basic.change == Amount("-4966.66") && basic.pct == Amount("-0.2"))
        let wages = try #require(fact(fs, "econ.301"))
        #expect(wages.share == Amount("81.45") && wages.shareOf == "基本支出预算" && wages.line == 4)
        let personnel = try #require(fact(fs, "basic.personnel"))
        #expect(personnel.share == Amount("80") && personnel.shareOf == "基本支出")
        let pub = try #require(fact(fs, "basic.public"))
        #expect(pub.share == Amount("20") && pub.shareOf == nil)
        #expect(NarrScanner.shareBase(NarrText.scalars("其中占")[...]) == nil)
        #expect(NarrScanner.shareBase(NarrText.scalars("占财政拨款支出的")[...]) == "财政拨款支出")
    }

    /// A function item printed with its levels (`…(类)…(款)…(项)`): the item is read under its
    /// 款, so that 行政运行 takes the code of the right section.
    @Test func functionItemsPrintedWithTheirLevels() throws {
        let table = Table(kind: .generalFunction, title: "一般公共预算支出表", line: 1, rows: [
            Row(code: "20113", label: "商贸事务"), Row(code: "2011301", label: "行政运行"),
            Row(code: "20801", label: "人力资源和社会保障管理事务"), Row(code: "2080101", label: "行政运行"),
        ])
        let text = """
        第三部分 2025 年部门预算情况说明
        1.一般公共服务支出（类）商贸事务（款）行政运行（项）183.05万元，比上年增加3.05万元。
        2.社会保障和就业支出(类)人力资源和社会保障管理事务(款)行政运行(项)20.00万元。
        """
        let fs = facts(text, tables: [table])
        #expect(fact(fs, "func.2011301")?.value == Amount("183.05"))
        #expect(fact(fs, "func.2011301")?.change == Amount("3.05"))
        #expect(fact(fs, "func.2080101")?.value == Amount("20.00"))
    }

    /// A code in brackets after the item's name gives its key; a bracketed number that is no
    /// classification code does not.
    @Test func codesInBracketsAfterTheName() throws {
        let text = """
        第三部分 2025 年部门预算情况说明
        按经济分类：工资福利支出(301)201.69万元；商品和服务支出（302）44.54万元；对个人和家庭的补助(303)1.40万元。
        行政运行（2011301）183.05万元。
        """
        let fs = facts(text)
        #expect(fact(fs, "econ.301")?.value == Amount("201.69"))
        #expect(fact(fs, "econ.302")?.value == Amount("44.54"))
        #expect(fact(fs, "econ.303")?.value == Amount("1.40"))
        #expect(fact(fs, "func.2011301")?.value == Amount("183.05"))
        #expect(NarrKeys.trailingCode("培训(100)") == nil && NarrKeys.trailingCode("工资福利支出(301)") == "301")
    }

    @Test func fullWidthDigitsAndSignedChanges() throws {
        let text = """
        2025年本部门支出预算总额为１，２０３．５０万元，比上年减少３４．２万元，下降２．７６％。
        其中：基本支出 803.5 万元，较上年预算安排增加减少 12 万元；项目支出 400 万元，较上年增加减 6.5 万元。
        对个人和家庭的补助 4.2 万元，较上年预算安排减少 0.36 万人。
        公务接待费 3 万元，比上年增加（减少）0 万元。
        """
        let fs = facts(text)
        let total = try #require(fact(fs, "expenditure.total"))
        #expect(total.value.text == "1203.50")
        #expect(total.change == Amount("-34.2"))
        #expect(total.pct == Amount("-2.76"))
        #expect(fact(fs, "expenditure.basic")?.change == Amount("-12"))
        #expect(fact(fs, "expenditure.project")?.change == Amount("-6.5"))
        #expect(fact(fs, "econ.303")?.change == Amount("-0.36"))
        #expect(fact(fs, "three_public.reception")?.change?.isZero == true)
    }

    @Test func economicClassesCarryTheirPartAndFunctionItemsTheirCodes() throws {
        let text = """
        按支出项目类别划分：基本支出 353.7万元，包括工资福利支出
        294.15万元、商品和服务支出 55.95万元。项目支出 2141.86万元，包括工资福利支出 1200万
        元，对个人和家庭补助 905.66万元。
        按支出功能科目划分：社会保险经办机构 282.9万元，其他社会保障和就业支出 175.18万元，
        事业单位医疗 15.09 万元，2130104-水利工程运行与维护 88 万元，防汛 12 万元，
        卫生健康支出 52.71 万元，占财政拨款支出的 2.1%。
        """
        let table = Table(kind: .generalFunction, title: "一般公共预算支出表", line: 1, rows: [
            Row(code: "2130106", label: "防汛", values: [:]),
        ])
        let fs = facts(text, tables: [table])
        #expect(fact(fs, "econ.301", 0)?.part == "basic")
        #expect(fact(fs, "econ.301", 0)?.line == 2)
        #expect(fact(fs, "econ.302")?.part == "basic")
        #expect(fact(fs, "econ.301", 1)?.part == "project")
        #expect(fact(fs, "econ.301", 1)?.value == Amount("1200"))
        #expect(fact(fs, "econ.303")?.value == Amount("905.66"))
        #expect(fact(fs, "func.2080109")?.value == Amount("282.9"))
        #expect(fact(fs, "func.2089999")?.value == Amount("175.18"))
        #expect(fact(fs, "func.2101102")?.value == Amount("15.09"))
        #expect(fact(fs, "func.2130104")?.value == Amount("88"))
        #expect(fact(fs, "func.2130106")?.value == Amount("12"))
        #expect(fact(fs, "func.210")?.share == Amount("2.1"))
        #expect(fact(fs, "func.2080109")?.part == nil)
    }

    @Test func threePublicUnderHeadingsAndBrackets() throws {
        let text = """
        六、“三公”经费支出情况
        （一）因公出国（境）经费
        2025 年预算安排 0.00 万元，比上年增加 0.00 万元，与上年持平。
        （二）公务用车购置及运行费
        2025 年预算安排 5.7 万元（公务用车购置费 0 万元，比上年增加 0 万元；公务用车运行维护费 5.7
        万元，比上年减少 0.3 万元。）比上年减少 0.3 万元，下降 5%。
        2025年本部门财政拨款安排“三公”经费6.5万元。
        """
        let fs = facts(text)
        #expect(fact(fs, "three_public.outbound")?.value.text == "0.00")
        #expect(fact(fs, "three_public.outbound")?.change?.isZero == true)
        let vehicle = try #require(fact(fs, "three_public.vehicle"))
        #expect(vehicle.value == Amount("5.7"))
        #expect(vehicle.change == Amount("-0.3"))
        #expect(vehicle.pct == Amount("-5"))
        #expect(fact(fs, "three_public.vehicle_purchase")?.change?.isZero == true)
        let op = try #require(fact(fs, "three_public.vehicle_operation"))
        #expect(op.change == Amount("-0.3"))
        #expect(op.pct == nil)
        #expect(op.line == 5)
        #expect(fact(fs, "three_public.total")?.value == Amount("6.5"))
    }

    @Test func projectsListsAndProjectSections() throws {
        let text = """
        七、预算绩效目标情况
        2025年，本部门共设置3个项目绩效目标，共涉及财政拨款资金320.5万元。
        部门预算安排项目 3
        个，项目预算金额合计 320.5 万元，其中：档案数字化;库房改造 200 万元；
        档案征集项目预算金额 100.5 万元；数字档案馆运维项目预算金额 20 万元。
        八、重点项目预算绩效目标情况
        项目 预算数（单位：万元） 绩效目标
        档案数字化 200
        完成馆藏档案数字化。
        档案征集 100.5
        九、项目情况说明
        1. 档案征集专项
        1) 项目概述：征集散存档案。
        6) 年度预算安排：100.50万元
        （十）重点项目：档案数字化项目情况说明
        ⑹本年度预算安排：200 万元
        """
        let projects = [Project(name: "档案数字化;库房改造", total: Amount("200")), Project(name: "档案征集", total: Amount("100.5"))]
        let fs = facts(text, projects: projects)
        #expect(fs.filter { $0.key == "projects.count" }.map(\.value) == [Amount("3")!, Amount("3")!])
        #expect(fs.filter { $0.key == "projects.total" }.map(\.value) == [Amount("320.5")!, Amount("320.5")!])
        #expect(fs.filter { $0.key == "project.档案数字化;库房改造" }.map(\.line) == [4, 16])
        #expect(fact(fs, "project.档案征集")?.value == Amount("100.5"))
        #expect(fact(fs, "project.数字档案馆运维")?.value == Amount("20"))
        #expect(fact(fs, "project.档案数字化")?.line == 8)
        #expect(fact(fs, "project.档案征集", 1)?.line == 10)
        #expect(fact(fs, "project.档案征集专项")?.value.text == "100.50")
        #expect(fact(fs, "fiscal.total") == nil)
    }

    @Test func adminCostAndProcurement() throws {
        let text = """
        2025 年单位机关运行费预算 111.1 万元，较上年预算增
        加 11.83 万元，增长 11.92%。
        2025 年某某市公共资源交易服务中心政府采购
        总额 26 万元，其中：政府采购货物预算 26 万元，政府采购
        工程预算 0 万元，服务类采购预算 0 万元。
        截至 2024 年 8 月 31 日，单位共有车辆 2 辆，单位价值 200 万元以上设备 0 台。
        """
        let fs = facts(text)
        let admin = try #require(fact(fs, "admin_cost"))
        #expect(admin.change == Amount("11.83"))
        #expect(admin.pct == Amount("11.92"))
        #expect(fact(fs, "procurement.total")?.line == 4)
        #expect(fact(fs, "procurement.goods")?.value == Amount("26"))
        #expect(fact(fs, "procurement.works")?.line == 5)
        #expect(fact(fs, "procurement.services") != nil)
        #expect(fs.count == 5)
    }

    @Test func aHugeLineIsReadInBoundedPieces() {
        let line = String(repeating: "收入预算总额为1414.81万元，", count: 4_000)
        let fs = facts("前言\n" + line + "\n")
        #expect(fs.count >= 3_990)
        #expect(fs.allSatisfy { $0.line == 2 && $0.key == "income.total" })
    }

    @Test func noNarrativeNoFacts() {
        #expect(facts("").isEmpty)
        #expect(facts("科目编码\t科目名称\t合计\n208\t社会保障和就业支出\t1,286.02\n").isEmpty)
    }
}
