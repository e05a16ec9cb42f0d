import Testing
import GoujiModel
@testable import GoujiParse

@Suite struct MetadataReaderTests {
    func read(_ text: String) -> BudgetDocument {
        var doc = BudgetDocument(source: Source(name: "t.txt", format: .text))
        MetadataReader.read(SourceText(text), into: &doc)
        return doc
    }

    /// A cover printing the year in Chinese numerals (二〇二五年) gives the year, and the unit's name
    /// stops before it, as with Arabic digits.
    @Test func yearInChineseNumerals() {
        let text = """
        某某县农业农村局
        二〇二五年部门预算

        一、部门职责
        本部门负责全县农业农村工作。

        某某县农业农村局二○二五年度部门预算表
        一般公共预算支出表
        单位：万元
        """
        let doc = read(text)
        #expect(doc.fiscalYear == 2025)
        #expect(doc.kind == .budget)
        #expect(doc.scope == .department)
        #expect(doc.unit?.name == "某某县农业农村局")
    }

    @Test func chineseNumeralYearsFoldOnlyWhereTheyAreYears() {
        #expect(YearNumerals.folding("二〇二五年部门预算") == "2025年部门预算")
        #expect(YearNumerals.folding("二零二四 年度") == "2024 年度")
        #expect(YearNumerals.folding("某局二○二三年决算，二〇二二年") == "某局2023年决算，2022年")
        // Not years: no zero numeral, five numerals, out of range, no 年 after.
        for text in ["一二三四年", "十二年", "二〇二五五年", "三〇〇〇年", "二〇二五元", "〇", ""] {
            #expect(YearNumerals.folding(text) == text)
        }
    }

    @Test func anotherUnitYearAndWording() {
        let text = """
        附件2
        某某县财政局2025年部门预算

        目录
        第一部分 部门概况
        第二部分 某某县财政局 2025 年部门预算表

        第一部分 部门概况
        一、机构设置及人员情况
        本部门核定编制 40 人，实有人员 38 人，其中：在职 35 人，退休人员 12 名。

        第二部分 某某县财政局 2024 年部门预算表
        部门收支总表
        （2,024 年度）
        填报单位：【301001】某某县财政局    单位：万元
        项目 预算数
        部门收入总表
        填报单位：【301001】某某县财政局    单位：万元
        第三部分 某某县财政局2025年部门预算情况说明
        """
        let doc = read(text)
        #expect(doc.kind == .budget)
        #expect(doc.fiscalYear == 2025)
        #expect(doc.scope == .department)
        #expect(doc.unit == UnitRef(name: "某某县财政局", code: "301001"))
        #expect(doc.currencyUnit == "万元")
        #expect(doc.staffing == Staffing(authorized: 40, actual: 38, inService: 35, retired: 12))
    }

    @Test func finalAccountsOfAUnitWithFullWidthDigits() {
        let text = """
        测试市第一中学２０２３年单位决算
        填报单位［７０１００２］测试市第一中学 单位：元
        本单位编制人数共计 120 人，实有人数小计 118 人。
        """
        let doc = read(text)
        #expect(doc.kind == .finalAccounts)
        #expect(doc.fiscalYear == 2023)
        #expect(doc.scope == .unit)
        #expect(doc.unit?.name == "测试市第一中学")
        #expect(doc.unit?.code == "701002")
        #expect(doc.currencyUnit == "元")
        #expect(doc.staffing.authorized == 120)
        #expect(doc.staffing.actual == 118)
        #expect(doc.staffing.inService == nil)
        #expect(doc.staffing.retired == nil)
    }

    @Test func titleNamesTheUnitWhenNoFieldDoes() {
        let text = """
        2026 年度
        **某某区医疗保障
        服务中心部门预算**

        目录
        第一部分 部门概况
        单位名称\t经费性质\t在职人数
        某某区医疗保障服务中心\t财政核拨\t9
        """
        let doc = read(text)
        #expect(doc.unit == UnitRef(name: "某某区医疗保障服务中心", code: nil))
        #expect(doc.fiscalYear == 2026)
        #expect(doc.staffing == Staffing(inService: 9))
    }

    /// A notice about the budget (关于…的说明) names the unit without its 关于 or 的.
    @Test func aNoticeTitleNamesTheUnitWithoutItsFunctionWords() {
        #expect(read("某某市财政局关于2025年部门预算的公开说明\n目录\n").unit?.name == "某某市财政局")
        #expect(read("关于某某县民政局2025年部门预算的说明\n目录\n").unit?.name == "某某县民政局")
        #expect(read("某某县民政局的2025年部门预算\n目录\n").unit?.name == "某某县民政局")
    }

    /// A year printed after the name without 年 (`某某市投资促进局 2024` over `部门预算及…说明`)
    /// is not part of the name; digits inside a name are kept.
    @Test func titleYearWithoutNianIsNotPartOfTheName() {
        let doc = read("某某市投资促进局 2024\n部门预算及三公经费预算情况说明\n目 录\n")
        #expect(doc.unit?.name == "某某市投资促进局")
        #expect(read("第12中学\n部门预算\n目录\n").unit?.name == "第12中学")
    }

    /// A staffing table extracted one cell per line: the header keys on lines of their own, then
    /// their counts; a header key followed by its count alone; counts that do not match the keys
    /// one for one are not read.
    @Test func staffingTablePrintedOneCellPerLine() {
        let header = "某某市档案馆 2024 年单位预算\n第一部分 单位概况\n"
        let columns = read(header + "人员情况\n编制人数\n实有人数\n在职人数\n\n退休人数\n15\n14\n１２\n7人\n")
        #expect(columns.staffing == Staffing(authorized: 15, actual: 14, inService: 12, retired: 7))
        let pairs = read(header + "编制人数\n15\n实有人数\n14\n")
        #expect(pairs.staffing == Staffing(authorized: 15, actual: 14))
        let short = read(header + "编制人数\n实有人数\n在职人数\n15\n14\n说明\n")
        #expect(short.staffing == Staffing())
    }

    @Test func wrappedHeadCountsAndSupervisorFields() {
        let text = """
        某某市档案馆 2024 年单位预算
        编制人数共计 15 人。实有人数小计 14 人，其中：在职人数小计 12

        人；退休

        人数小计 7 人。
        项目名称 档案数字化
        主管部门及代码
        305-某某市文化广电新闻出版旅

        游局
        实施单位 某某市档案馆
        """
        let doc = read(text)
        #expect(doc.staffing == Staffing(authorized: 15, actual: 14, inService: 12, retired: 7))
        #expect(doc.supervisor == UnitRef(name: "某某市文化广电新闻出版旅游局", code: "305"))
        #expect(doc.scope == .unit)
        #expect(doc.unit?.name == "某某市档案馆")
    }

    @Test func supervisorInATabbedCell() {
        let text = "主管部门\t812-某某市水利局(部门)\t实施单位\t某某市水文站\n"
        let doc = read(text)
        #expect(doc.supervisor == UnitRef(name: "某某市水利局", code: "812"))
    }

    @Test func indicatorHeadCountsAreNotStaffing() {
        let text = """
        2024年单位预算
        数量指标 退休人员职业年金缴纳人数 ≥240人
        """
        #expect(read(text).staffing.retired == nil)
    }

    @Test func emptyAndRandomInputLeaveFieldsUnset() {
        let empty = read("")
        #expect(empty.kind == nil)
        #expect(empty.fiscalYear == nil)
        #expect(empty.unit == nil)
        let noise = read(String(repeating: "\u{1}\u{FFFD}abc 123\t\t\n", count: 200))
        #expect(noise.fiscalYear == nil)
        #expect(noise.unit == nil)
        #expect(noise.staffing == Staffing())
    }
}
