import Testing
import GoujiModel
@testable import GoujiParse

@Suite struct ProjectReaderTests {
    func project(_ text: String) -> Project? {
        let src = SourceText(text)
        return ProjectReader.project(fromPerformance: src.lines[...])
    }

    @Test func tabSeparatedWithLeadingMergedCellAndNameFromTitle() throws {
        let text = """
        河道保洁项目绩效目标表

        项目资金 (万元)\t资金总额:\t\t1,250.00\t
        \t财政拨款:\t\t1,200.00\t
        \t其他资金:\t\t50.00\t
        总体目标\t保持河道整洁。\t\t\t
        绩效目标 指标\t一级指标\t二级指标\t三级指标\t目标值
        \t产出指标\t数量指标\t保洁河道长度\t≥42公里
        \t\t质量指标\t水面漂浮物清除率\t≥95%
        \t效益指标\t生态效益指标\t水质达标率\t=100%
        \t满意度指标\t服务对象满意度指标\t沿河居民满意度\t≥90%

        2. 有关情况说明
        本单位无其他需要说明的绩效目标情况。
        """
        let p = try #require(project(text))
        #expect(p.name == "河道保洁")
        #expect(p.total == Amount("1250.00"))
        #expect(p.fiscal == Amount("1200.00"))
        #expect(p.indicators == [
            Indicator(l1: "产出指标", l2: "数量指标", l3: "保洁河道长度", value: "≥42公里"),
            Indicator(l1: "产出指标", l2: "质量指标", l3: "水面漂浮物清除率", value: "≥95%"),
            Indicator(l1: "效益指标", l2: "生态效益指标", l3: "水质达标率", value: "=100%"),
            Indicator(l1: "满意度指标", l2: "服务对象满意度指标", l3: "沿河居民满意度", value: "≥90%"),
        ])
    }

    @Test func spaceSeparatedWithGroupCellsOnlyOnTheFirstRow() throws {
        let text = """
        项目支出绩效目标表
        （2025年度）

        项目名称 校园安保服务
        主管部门及代码
        701-某某县教育体育局
        实施单位 某某县第二中学
        项目资金
        （万元）
        年度资金总额 36.5
        其中：财政拨款 36.5
        其他资金 0
        年度绩效目标
        保障校园安全。
        一级指标 二级指标 三级指标 指标值
        成本指标 经济成本指标 人均安保成本 ≤4.5 万元/人/年
        产出指标
        数量指标 安保人员数量 =8人

        巡逻频次 ≥4 次/天
        时效指标 服务及时率 ≥98%
        效益指标 社会效益指标
        校园安全事故发生率 ＝0
        师生安全感 显著提升
        满意度指标 服务对象满意度 师生满意度 ≥95%
        """
        let p = try #require(project(text))
        #expect(p.name == "校园安保服务")
        #expect(p.total == Amount("36.5"))
        #expect(p.fiscal == Amount("36.5"))
        #expect(p.indicators.count == 7)
        #expect(p.indicators.first == Indicator(l1: "成本指标", l2: "经济成本指标", l3: "人均安保成本", value: "≤4.5 万元/人/年"))
        #expect(p.indicators[2] == Indicator(l1: "产出指标", l2: "数量指标", l3: "巡逻频次", value: "≥4 次/天"))
        #expect(p.indicators[3] == Indicator(l1: "产出指标", l2: "时效指标", l3: "服务及时率", value: "≥98%"))
        #expect(p.indicators[5] == Indicator(l1: "效益指标", l2: "社会效益指标", l3: "师生安全感", value: "显著提升"))
        #expect(p.indicators[6] == Indicator(l1: "满意度指标", l2: "服务对象满意度", l3: "师生满意度", value: "≥95%"))
    }

    @Test func levelWordsCentredInTheirMergedCells() throws {
        // `pdftotext -layout` prints a merged cell's word on its group's middle row: the rows
        // above it are blank at that level.
        let text = """
        项目支出绩效目标表
        项目名称      社保经办服务
        项目资金      年度资金总额      71.50
        一级指标      二级指标            三级指标                      指标值
                      经济成本指标        资金投入                      ≥71.5万元
        成本指标
                      数量指标            经费支付期数                  ≥4期
        产出指标      质量指标            养老金月发放平均水平          ≥197元/月·人
                      时效指标            当年投入完成的时间            ≥12月
                      经济效益指标        城乡保参保人数                ≥216600人
        效益指标      社会效益指标        群众政策知晓率                ≥99.6%
                      生态效益指标        绿化覆盖率                    ≥50%
        满意度指标    服务对象满意度指标  群众满意率                    ≥98%
        """
        let p = try #require(project(text))
        #expect(p.indicators.map(\.l1) == ["成本指标", "产出指标", "产出指标", "产出指标", "效益指标", "效益指标", "效益指标", "满意度指标"])
        #expect(p.indicators.map(\.l2) == ["经济成本指标", "数量指标", "质量指标", "时效指标", "经济效益指标", "社会效益指标", "生态效益指标",
                                           "服务对象满意度指标"])
        // The older framework's 成本指标 under 产出指标, and 满意度 under 效益指标 where no
        // 满意度 level-one word is printed, stay where they are.
        var old = [Indicator(l1: "产出指标", l2: "成本指标", l3: "a", value: "1"),
                   Indicator(l1: "效益指标", l2: "服务对象满意度指标", l3: "b", value: "2")]
        ProjIndicators.settleLevels(&old)
        #expect(old.map(\.l1) == ["产出指标", "效益指标"])
    }

    @Test func theMergedCellLeftOfTheLevelsIsNoPartOfAnIndicator() throws {
        // 绩效指标, the merged cell left of the levels: on a middle row (centred, as
        // `pdftotext -layout` prints it), on a line of its own, a blank first header cell in
        // tab-separated rows, or one character per line down the rows.
        let expected = [
            Indicator(l1: "产出指标", l2: "数量指标", l3: "服务老年人数", value: "≥500人"),
            Indicator(l1: "产出指标", l2: "质量指标", l3: "服务满意度", value: "≥90%"),
            Indicator(l1: "产出指标", l2: "时效指标", l3: "资金拨付及时率", value: "100%"),
            Indicator(l1: "效益指标", l2: "社会效益指标", l3: "老年人生活质量", value: "有所提高"),
        ]
        let head = "项目支出绩效目标表\n项目名称          社区养老服务补助\n项目资金          年度资金总额      120.00\n"
        let middle = head + """
                    一级指标       二级指标        三级指标              指标值
                                   数量指标        服务老年人数          ≥500人
                    产出指标       质量指标        服务满意度            ≥90%
         绩效指标                  时效指标        资金拨付及时率        100%
                    效益指标       社会效益指标    老年人生活质量        有所提高
        """
        let ownLine = head + """
                    一级指标       二级指标        三级指标              指标值
                                   数量指标        服务老年人数          ≥500人
                    产出指标       质量指标        服务满意度            ≥90%
         年度绩效指标
                                   时效指标        资金拨付及时率        100%
                    效益指标       社会效益指标    老年人生活质量        有所提高
        """
        let tabbed = "项目支出绩效目标表\n项目名称\t社区养老服务补助\n年度资金总额\t120.00\n" + [
            "\t一级指标\t二级指标\t三级指标\t指标值", "\t\t数量指标\t服务老年人数\t≥500人", "\t产出指标\t质量指标\t服务满意度\t≥90%",
            "绩效指标\t\t时效指标\t资金拨付及时率\t100%", "\t效益指标\t社会效益指标\t老年人生活质量\t有所提高",
        ].joined(separator: "\n")
        let downTheRows = head + """
                    一级指标       二级指标        三级指标              指标值
                                   数量指标        服务老年人数          ≥500人
         绩
         效         产出指标       质量指标        服务满意度            ≥90%
         指                        时效指标        资金拨付及时率        100%
         标         效益指标       社会效益指标    老年人生活质量        有所提高
        """
        for text in [middle, ownLine, tabbed, downTheRows] {
            let p = try #require(project(text))
            #expect(p.indicators == expected, "\(text)")
        }
        #expect(ProjIndicators.isBlockLabel("项目绩效指标"))
        #expect(!ProjIndicators.isBlockLabel("产出指标") && !ProjIndicators.isBlockLabel("年度绩效指标完成率"))
    }

    @Test func anIndentedRowStartsWithItsLevelTwoWord() throws {
        // 成本 and 满意度 are level-one or level-two words. Where the level-one cell is blank (the
        // row indented past the header, as `pdftotext -layout` prints it), such a word is level two.
        let text = """
        项目支出绩效目标表
        项目名称      社会保险经办业务
        项目资金      年度资金总额      706.9
        一级指标      二级指标      三级指标                      指标值
        产出指标      数量          保险业务月均受理量            ≥60000条
                      成本          保险经办业务月均成本          ≤58.91万元
        满意度        满意度        参保对象满意度                ≥95%
        """
        let p = try #require(project(text))
        #expect(p.indicators.map(\.l1) == ["产出指标", "产出指标", "满意度"])
        #expect(p.indicators.map(\.l2) == ["数量", "成本", "满意度"])
        #expect(ProjIndicators.indent("  \u{3000}\t产出") == 8)
    }

    @Test func wrappedLabelsAndAWrappedProjectName() throws {
        let text = """
        项目绩效目标表
        （2,025 年度）

        项目名称
        城乡居民医疗救助资金及困难群众临时救助资金;低保对象

        参保补贴
        主管部门及代码
        606-某某市医疗保障局
        实施单位 某某市医疗保障服务中心
        年度资金总额 2,400
        其中：财政拨款
        一级指标 二级指标 三级指标 指标值
        成本指标
        经济成本指
        标
        人均救助成本 ＝300 元
        产出指标
        数量指标
        救助人次 ≥8000 人次
        效益指标
        社会效益指
        标
        因病致贫返贫发生率 明显下降
        满意度指
        标
        服务对象满
        意度
        救助对象满意度 ≥90%

        第三部分 某某市医疗保障服务中心 2025 年单位预算情况说明
        一、收支情况
        """
        let p = try #require(project(text))
        #expect(p.name == "城乡居民医疗救助资金及困难群众临时救助资金;低保对象参保补贴")
        #expect(p.total == Amount("2400"))
        #expect(p.fiscal == nil)
        #expect(p.indicators == [
            Indicator(l1: "成本指标", l2: "经济成本指标", l3: "人均救助成本", value: "＝300 元"),
            Indicator(l1: "产出指标", l2: "数量指标", l3: "救助人次", value: "≥8000 人次"),
            Indicator(l1: "效益指标", l2: "社会效益指标", l3: "因病致贫返贫发生率", value: "明显下降"),
            Indicator(l1: "满意度指标", l2: "服务对象满意度", l3: "救助对象满意度", value: "≥90%"),
        ])
    }

    @Test func tabRowsWithShortLevelNames() throws {
        let text = """
        项目支出绩效目标表
        (2025年度)
        项目名称\t12345热线服务项目\t\t
        主管部门\t901-某某市政务服务管理局(部门)\t实施单位\t某某市政务服务中心
        项目资金 (万元)\t年度资金总额\t88\t
        \t其中:财政拨款\t80\t
        \t其他资金\t8\t
        一级指标\t二级指标\t三级指标\t指标值
        产出指标\t数量\t12345热线接通量\t≥30万次
        \t质量\t一次办结率 (%)\t≥90%
        满意度\t满意度\t来电群众满意度\t≥95%
        """
        let p = try #require(project(text))
        #expect(p.name == "12345热线服务项目")
        #expect(p.total == Amount("88"))
        #expect(p.fiscal == Amount("80"))
        #expect(p.indicators.map(\.l3) == ["12345热线接通量", "一次办结率 (%)", "来电群众满意度"])
        #expect(p.indicators[1].l1 == "产出指标")
        #expect(p.indicators[2].l1 == "满意度")
        #expect(p.indicators[2].l2 == "满意度")
    }

    /// Every project under one title, each block opened by its 项目名称 field (as `pdftotext
    /// -layout` prints a form per project); the whole unit's targets are no project.
    @Test func projectsUnderOneTitleAndTheUnitsOverallTargets() throws {
        let text = """
        十、项目支出绩效目标表
                                                                    单位：万元
         项目名称          招商引资工作经费
         主管部门          某某市某某局                  实施单位    某某市某某局
                           年度资金总额：           46.95
         项目资金          其中：财政拨款           46.95
                                 其他资金            0.00
         年度总体目标      开展招商引资活动。
         一级指标     二级指标            三级指标                指标值
         产出指标     数量指标            举办招商活动次数        ≥5次
         满意度指标   服务对象满意度指标  企业满意度              ≥90%

         项目名称          办公楼维修经费
                           年度资金总额：           22.00
         项目资金          其中：财政拨款           20.00
         一级指标     二级指标            三级指标                指标值
         产出指标     数量指标            维修面积                ≥800平方米
        """
        let ps = ProjectReader.projects(fromPerformance: SourceText(text).lines[...])
        #expect(ps.map(\.name) == ["招商引资工作经费", "办公楼维修经费"])
        #expect(ps.map(\.total) == [Amount("46.95"), Amount("22.00")])
        #expect(ps.map(\.fiscal) == [Amount("46.95"), Amount("20.00")])
        #expect(ps.map(\.indicators.count) == [2, 1])
        #expect(ps.last?.indicators.first?.l3 == "维修面积")
        let overall = """
        十一、部门整体支出绩效目标表
         部门名称          某某市某某局
                           年度资金总额：          294.58
         一级指标     二级指标            三级指标                指标值
         产出指标     数量指标            招商项目数              ≥20个
        """
        #expect(ProjectReader.projects(fromPerformance: SourceText(overall).lines[...]).isEmpty)
    }

    @Test func aTableWithoutNameOrIndicatorsIsNoProject() {
        #expect(project("项目支出绩效目标表\n（2025年度）\n") == nil)
        #expect(project("") == nil)
    }

    @Test func projectListRowsBecomeProjects() {
        let table = Table(kind: .projectList, title: "部门预算项目支出及其他支出预算表", line: 10, rows: [
            Row(code: nil, label: "合计", values: ["total": Amount("150.00")!, "fiscal": Amount("150.00")!]),
            Row(code: nil, label: "档案数字化", values: ["total": Amount("100.00")!, "fiscal": Amount("100.00")!], line: 12),
            Row(code: nil, label: "1、库房改造", values: ["total": Amount("50.00")!], line: 13),
        ])
        let ps = ProjectReader.projects(fromList: table)
        #expect(ps.map(\.name) == ["档案数字化", "库房改造"])
        #expect(ps.map(\.total) == [Amount("100.00"), Amount("50.00")])
        #expect(ps[0].fiscal == Amount("100.00"))
        #expect(ps[1].fiscal == nil)
        #expect(ps[0].line == 12)
    }

    /// A list grouped by unit: each unit's subtotal line (named like an organisation, the sum of
    /// the lines after it) is no project; a project whose amount happens to equal the next
    /// ones' sum stays one.
    @Test func unitSubtotalsInAProjectListAreNoProjects() {
        func row(_ label: String, _ total: String) -> Row { Row(code: nil, label: label, values: ["total": Amount(total) ?? .zero]) }
        let table = Table(kind: .projectList, title: "项目支出预算表", line: 1, rows: [
            row("合计", "79.50"),
            row("某某市某某局", "69.50"), row("招商引资工作经费", "46.95"), row("办公楼维修经费", "22.55"),
            row("某某市某某服务中心本级", "10.00"), row("档案整理经费", "6.00"), row("设备购置费", "4.00"),
        ])
        #expect(ProjectReader.projects(fromList: table).map(\.name) == ["招商引资工作经费", "办公楼维修经费", "档案整理经费", "设备购置费"])
        let plain = Table(kind: .projectList, title: "项目支出预算表", line: 1, rows: [
            row("运行维护经费", "10.00"), row("档案整理经费", "6.00"), row("设备购置费", "4.00"),
        ])
        #expect(ProjectReader.projects(fromList: plain).count == 3)
    }
}
