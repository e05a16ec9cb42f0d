import GoujiModel
@testable import GoujiParse
import Testing

/// The same input must give the same document in every run: nothing may depend on the
/// per-process order of a `Set` or `Dictionary`. Ties are broken by documented, fixed rules.
@Suite struct DeterminismTests {
    private func row(_ code: String?, _ label: String, _ amounts: [Int64], line: Int) -> RawRow {
        RawRow(code: code, label: label, side: nil, amounts: amounts.map { Amount(mantissa: $0, decimals: 0) },
               positions: nil, rightEdges: nil, line: line, lines: [line])
    }

    /// More than `maxCombinations` combinations sends the resolver to its uniform-pattern
    /// fallback. Here every uniform pattern (all children in column c) scores the same and beats
    /// the children's own first choices; the documented rule takes the earliest columns.
    /// Walking the patterns in a `Set`'s order picked any of the four, varying between runs.
    @Test func crossRowFallbackBreaksTiesByEarliestColumns() {
        let columns = 4
        var rows = [row(nil, "合计", [0, 0, 0, 0], line: 1)]
        var results = [ColumnAssigner.Result(assignment: [0, 1, 2, 3], ties: [], violations: 0, truncated: false)]
        let kids = 8 // 4^8 = 65,536 combinations > 16,384
        for k in 0..<kids {
            rows.append(row(String(201 + k), "支出\(k)", [100], line: 2 + k))
            // Each child's first choice differs (column k % 4); the other columns are ties.
            let first = k % columns
            results.append(ColumnAssigner.Result(assignment: [first],
                                                 ties: (0..<columns).filter { $0 != first }.map { [$0] },
                                                 violations: 0, truncated: false))
        }
        var combos = 1
        for _ in 0..<kids { combos *= columns }
        #expect(combos > CrossRowResolver.maxCombinations)
        let chosen = CrossRowResolver.resolve(rows: rows, results: results, columnCount: columns)
        for k in 1...kids { #expect(chosen[k].assignment == [0]) }
    }

    @Test func uniformPatternsAreInEarliestColumnsOrder() {
        let patterns = CrossRowResolver.uniformPatterns([[[2, 3], [0, 1]], [[1, 2], [0, 1], [0]], [[0, 2]]])
        #expect(patterns == [[0], [0, 1], [0, 2], [1, 2], [2, 3]])
    }

    /// Each bucket of the classification index lists function names before economic ones and
    /// each group in name order, whatever order the dictionaries it is built from iterate in.
    @Test func classificationIndexIsInAFixedOrder() {
        for (_, entries) in NarrativeClassification.byLastCharacter {
            let funcs = entries.filter { $0.key.hasPrefix("func.") }
            let econs = entries.filter { $0.key.hasPrefix("econ.") }
            #expect(entries.map(\.key) == (funcs + econs).map(\.key))
            for group in [funcs, econs] {
                let names = group.map { String(String.UnicodeScalarView($0.scalars)) }
                #expect(names == names.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) })
            }
        }
    }

    /// Equally long matches: the document's table row first, then the function name, then the
    /// economic name (其他支出 is both 229 and 399).
    @Test func classifyTieRule() {
        let plain = NarrScanner(projects: [], tables: [])
        #expect(plain.classify("其他支出") == "func.229")
        #expect(plain.classify("对企业补助") == "econ.312")
        let table = Table(kind: .generalFunction, title: "一般公共预算支出表", line: 1,
                          rows: [Row(code: "2130199", label: "其他支出", line: 2)])
        let withTable = NarrScanner(projects: [], tables: [table])
        #expect(withTable.classify("其他支出") == "func.2130199")
    }
}
