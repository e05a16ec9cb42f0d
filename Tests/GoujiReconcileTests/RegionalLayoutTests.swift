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
