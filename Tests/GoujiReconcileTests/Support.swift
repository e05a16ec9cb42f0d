import Foundation
import GoujiModel
@testable import GoujiReconcile
import GoujiTestSupport

/// Loads the seeds and gold readings from shared/ (located by `SharedData`).
enum Shared {
    static var root: URL { SharedData.root }

    static func goldNames() throws -> [String] {
        let dir = root.appendingPathComponent("gold")
        return try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    static func gold(_ name: String) throws -> BudgetDocument {
        try DocumentJSON.decode(Data(contentsOf: root.appendingPathComponent("gold/\(name).json")))
    }

    struct Expected: Decodable {
        let rule: String
        let severity: String
    }
    struct ExpectedFile: Decodable {
        let expected_findings: [Expected]?
    }

    static func expected(_ name: String) throws -> [Expected] {
        let data = try Data(contentsOf: root.appendingPathComponent("gold/\(name).json"))
        return try JSONDecoder().decode(ExpectedFile.self, from: data).expected_findings ?? []
    }

    static func seedLines(_ name: String) throws -> [String] {
        let text = try String(contentsOf: root.appendingPathComponent("seeds/\(name).txt"), encoding: .utf8)
        return text.components(separatedBy: "\n")
    }

    /// The gold reading plus the source-derived fields the parser adds (toc, captions, prose,
    /// table units), built here by a deliberately simple reading of the seed text: every line is
    /// prose; 《…》 lines before the first table are the table of contents; lines printing a year
    /// with 年 are captions; 填报单位 lines and 部门编码 data rows are unit mentions.
    static func augmented(_ name: String) throws -> BudgetDocument {
        var doc = try gold(name)
        let lines = try seedLines(name)
        let firstTable = doc.tables.map(\.line).min() ?? lines.count
        doc.prose = lines.enumerated().map { TextLine(line: $0.offset + 1, text: $0.element) }
        for (i, l) in lines.enumerated() where i + 1 < firstTable {
            guard let a = l.range(of: "《"), let b = l.range(of: "》"), a.upperBound < b.lowerBound else { continue }
            let title = String(l[a.upperBound..<b.lowerBound])
            if let kind = kind(of: title) { doc.toc.append(TocEntry(title: title, kind: kind, line: i + 1)) }
        }
        for (i, l) in lines.enumerated() {
            guard let (year, formatted) = year(in: l) else { continue }
            let line = i + 1
            let role: Caption.Role
            if l.contains("部分") { role = .part }
            else if l.contains("预算数") || l.contains("决算数") { role = .column }
            else if l.contains("年度）") || l.contains("年度)") { role = .table }
            else { continue }
            let table = doc.tables.indices.last { doc.tables[$0].line <= line }
            if role != .part && table == nil { continue }
            doc.captions.append(Caption(role: role, text: l.trimmingCharacters(in: .whitespaces), year: year, formatted: formatted, line: line, table: role == .part ? nil : table))
        }
        for ti in doc.tables.indices {
            let start = doc.tables[ti].line
            let end = ti + 1 < doc.tables.count ? doc.tables[ti + 1].line : lines.count
            var headerSeen = false
            for n in start..<min(end, start + 40) where n - 1 < lines.count {
                let l = lines[n - 1]
                if let r = l.range(of: "填报单位") {
                    let rest = String(l[r.upperBound...])
                    if let o = rest.firstIndex(where: { $0 == "[" || $0 == "［" }), let c = rest.firstIndex(where: { $0 == "]" || $0 == "］" }), o < c {
                        let code = String(rest[rest.index(after: o)..<c])
                        let after = rest[rest.index(after: c)...]
                        let nameEnd = after.firstIndex(where: { $0 == " " || $0 == "单" }) ?? after.endIndex
                        doc.tables[ti].units.append(UnitMention(name: String(after[..<nameEnd]), code: code, line: n))
                    }
                }
                if l.contains("部门编码") { headerSeen = true; continue }
                if headerSeen {
                    let parts = l.split(separator: " ")
                    if parts.count >= 3, parts[0].allSatisfy(\.isNumber), !parts[1].allSatisfy({ $0.isNumber || $0 == "." }) {
                        doc.tables[ti].units.append(UnitMention(name: String(parts[1]), code: String(parts[0]), line: n))
                        headerSeen = false
                    }
                }
            }
        }
        return doc
    }

    static func year(in l: String) -> (Int, Bool)? {
        let chars = Array(l)
        var i = 0
        while i < chars.count {
            if chars[i].isASCII && chars[i].isNumber {
                var j = i
                while j < chars.count, chars[j].isASCII, chars[j].isNumber || chars[j] == "," { j += 1 }
                var k = j
                while k < chars.count, chars[k] == " " { k += 1 }
                let digits = String(chars[i..<j])
                if k < chars.count, chars[k] == "年", let y = Int(digits.replacingOccurrences(of: ",", with: "")), (1990...2100).contains(y) {
                    return (y, digits.contains(","))
                }
                i = j
            } else { i += 1 }
        }
        return nil
    }

    static func kind(of title: String) -> TableKind? {
        let t = title
        if t.contains("三公") { return .threePublic }
        if t.contains("政府性基金") { return .govFund }
        if t.contains("国有资本") { return .stateCapital }
        if t.contains("绩效") { return .performance }
        if t.contains("基本支出") { return .basicEconomic }
        if t.contains("财政拨款收支") { return .fiscalSummary }
        if t.contains("一般公共预算") { return .generalFunction }
        if t.contains("收支") { return .summary }
        if t.contains("收入") { return .income }
        if t.contains("支出") { return .expenditure }
        return nil
    }
}
