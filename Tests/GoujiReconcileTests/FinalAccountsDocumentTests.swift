import Foundation
import Testing
import GoujiModel
import GoujiParse
@testable import GoujiReconcile

/// A whole 决算 written in the forms the final-accounts sets print (收入支出决算总表, 收入决算表 and
/// 支出决算表 with their 决算 columns, a flow table 财政拨款收入支出决算表 by item, the basic
/// expenditure side by side, the 三公 table with its budget beside it, empty flow tables, a narrative
/// comparing outturn with budget): consistent, it raises no error or warning; a changed amount does.
@Suite struct FinalAccountsDocumentTests {
    static let document = """
        某某县某某局2023年度部门决算

        第一部分 部门概况
        本部门编制人数12人，实有人数11人。

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

        二、收入决算表
        单位：万元
        项目\t\t本年收入合计\t财政拨款收入\t上级补助收入\t事业收入\t经营收入\t附属单位上缴收入\t其他收入
        功能分类科目编码\t科目名称\t\t\t\t\t\t\t
        \t合计\t300.00\t300.00\t\t\t\t\t
        201\t一般公共服务支出\t250.00\t250.00\t\t\t\t\t
        20113\t商贸事务\t250.00\t250.00\t\t\t\t\t
        2011301\t行政运行\t230.00\t230.00\t\t\t\t\t
        2011308\t招商引资\t20.00\t20.00\t\t\t\t\t
        208\t社会保障和就业支出\t50.00\t50.00\t\t\t\t\t
        20805\t行政事业单位养老支出\t50.00\t50.00\t\t\t\t\t
        2080505\t机关事业单位基本养老保险缴费支出\t50.00\t50.00\t\t\t\t\t

        三、支出决算表
        单位：万元
        项目\t\t本年支出合计\t基本支出\t项目支出\t上缴上级支出\t经营支出\t对附属单位补助支出
        功能分类科目编码\t科目名称\t\t\t\t\t\t
        \t合计\t300.00\t280.00\t20.00\t\t\t
        201\t一般公共服务支出\t250.00\t230.00\t20.00\t\t\t
        20113\t商贸事务\t250.00\t230.00\t20.00\t\t\t
        2011301\t行政运行\t230.00\t230.00\t\t\t\t
        2011308\t招商引资\t20.00\t\t20.00\t\t\t
        208\t社会保障和就业支出\t50.00\t50.00\t\t\t\t
        20805\t行政事业单位养老支出\t50.00\t50.00\t\t\t\t
        2080505\t机关事业单位基本养老保险缴费支出\t50.00\t50.00\t\t\t\t

        四、财政拨款收入支出决算表
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

        五、一般公共预算财政拨款支出决算表
        单位：万元
        项目\t\t本年支出\t\t
        功能分类科目编码\t科目名称\t小计\t基本支出\t项目支出
        \t合计\t300.00\t280.00\t20.00
        201\t一般公共服务支出\t250.00\t230.00\t20.00
        20113\t商贸事务\t250.00\t230.00\t20.00
        2011301\t行政运行\t230.00\t230.00\t
        2011308\t招商引资\t20.00\t\t20.00
        208\t社会保障和就业支出\t50.00\t50.00\t
        20805\t行政事业单位养老支出\t50.00\t50.00\t
        2080505\t机关事业单位基本养老保险缴费支出\t50.00\t50.00\t

        六、一般公共预算财政拨款基本支出决算表
        单位：万元
        人员经费\t\t\t公用经费\t\t\t\t\t
        科目编码\t科目名称\t决算数\t科目编码\t科目名称\t决算数\t科目编码\t科目名称\t决算数
        301\t工资福利支出\t220.00\t302\t商品和服务支出\t30.00\t307\t债务利息及费用支出\t
        30101\t基本工资\t75.00\t30201\t办公费\t8.00\t310\t资本性支出\t10.00
        30102\t津贴补贴\t80.00\t30211\t差旅费\t11.50\t31002\t办公设备购置\t10.00
        30108\t机关事业单位基本养老保险缴费\t50.00\t30217\t公务接待费\t3.00\t\t\t
        30199\t其他工资福利支出\t15.00\t30231\t公务用车运行维护费\t7.50\t\t\t
        303\t对个人和家庭的补助\t20.00\t\t\t\t\t\t
        30305\t生活补助\t20.00\t\t\t\t\t\t
        人员经费合计\t\t240.00\t公用经费合计\t\t\t\t\t40.00

        七、一般公共预算财政拨款“三公”经费支出决算表
        单位：万元
        预算数\t\t\t\t\t\t决算数\t\t\t\t\t
        合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费\t合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费
        \t\t小计\t公务用车购置费\t公务用车运行费\t\t\t\t小计\t公务用车购置费\t公务用车运行费\t
        1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12
        12.00\t0.00\t8.00\t0.00\t8.00\t4.00\t10.50\t0.00\t7.50\t0.00\t7.50\t3.00

        八、政府性基金预算财政拨款收入支出决算表
        单位：万元
        项目\t年初结转和结余\t本年收入\t本年支出\t\t\t年末结转和结余
        \t\t\t小计\t基本支出\t项目支出\t
        注：本单位2023年度无政府性基金预算财政拨款收入支出，故本表为空表。

        九、国有资本经营预算财政拨款支出决算表
        单位：万元
        项目\t本年支出
        注：本单位2023年度无国有资本经营预算财政拨款支出，故本表为空表。

        第三部分 2023年度部门决算情况说明
        一、收入支出决算总体情况说明
        2023年度收入总计300.00万元、支出总计300.00万元。与2022年度相比，收、支总计各增加20.00万元，增长7.14%。主要原因是人员经费增加。
        二、收入决算情况说明
        本年收入合计300.00万元，其中：财政拨款收入300.00万元，占100%。
        三、支出决算情况说明
        本年支出合计300.00万元，其中：基本支出280.00万元，占93.33%；项目支出20.00万元，占6.67%。
        四、财政拨款收入支出决算总体情况说明
        2023年度财政拨款收入总计300.00万元、支出总计300.00万元。与2022年度相比，财政拨款收、支总计各减少10.00万元，下降3.23%。
        五、一般公共预算财政拨款支出决算情况说明
        （一）一般公共预算财政拨款支出决算总体情况
        2023年度一般公共预算财政拨款支出300.00万元，占本年支出合计的100%。
        （二）一般公共预算财政拨款支出决算结构情况
        一般公共服务支出250.00万元，占83.33%；社会保障和就业支出50.00万元，占16.67%。
        （三）一般公共预算财政拨款支出决算具体情况
        1.一般公共服务支出（类）商贸事务（款）行政运行（项）。年初预算为220.00万元，支出决算为230.00万元，完成年初预算的104.55%。决算数大于年初预算数的主要原因是人员增加。
        六、一般公共预算财政拨款基本支出决算情况说明
        2023年度一般公共预算财政拨款基本支出280.00万元，其中：人员经费240.00万元，主要包括基本工资、津贴补贴；公用经费40.00万元，主要包括办公费、差旅费。
        七、“三公”经费财政拨款支出决算情况说明
        2023年度“三公”经费财政拨款支出预算为12.00万元，支出决算为10.50万元，完成预算的87.50%。
        """

    static func findings(_ text: String) -> [Finding] {
        let doc = BudgetParser().parse(text: text, source: Source(name: "t.txt", format: .text))
        return Reconciler().findings(for: doc).filter { $0.severity != .info && $0.rule != "D-TABLES" }
    }

    @Test func aConsistentFinalAccountsRaisesNothing() throws {
        let doc = BudgetParser().parse(text: Self.document, source: Source(name: "t.txt", format: .text))
        #expect(doc.kind == .finalAccounts)
        #expect(doc.staffing == Staffing(authorized: 12, actual: 11))
        #expect(doc.tables.map(\.kind) == [.summary, .income, .expenditure, .other, .generalFunction, .basicEconomic,
                                            .threePublic, .govFund, .stateCapital])
        #expect(doc.tables.filter(\.empty).map(\.kind) == [.govFund, .stateCapital])
        #expect(doc.facts.filter { $0.key == "three_public.total" }.map(\.value) == [Amount("10.50")])
        #expect(Self.findings(Self.document).map { "\($0.rule) \($0.message)" } == [])
    }

    @Test func aChangedAmountIsFound() {
        for (from, to, rule) in [("2011308\t招商引资\t\t20.00\t20.00", "2011308\t招商引资\t\t21.00\t21.00", "R-TREE"),
                                 ("30211\t差旅费\t11.50", "30211\t差旅费\t12.50", "R-TREE"),
                                 ("支出决算为10.50万元", "支出决算为11.50万元", "T-AMOUNT")] {
            let changed = Self.document.replacingOccurrences(of: from, with: to)
            #expect(changed != Self.document)
            #expect(Self.findings(changed).map(\.rule).contains(rule), "\(from) -> \(to)")
        }
    }
}
