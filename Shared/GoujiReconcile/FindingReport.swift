import GoujiModel

/// The human report of `gouji check FILE`: findings grouped by severity (errors first), each with
/// the compared values and where they are.
public enum FindingReport {
    public static func render(_ doc: BudgetDocument, findings: [Finding], language: ReportLanguage) -> String {
        let zh = language == .zh
        var out: [String] = []
        let unit = doc.unit?.name ?? doc.source.name
        let year = doc.fiscalYear.map(String.init) ?? "?"
        out.append(zh ? "勾稽检查：\(unit)（\(year) 年，\(doc.source.name)）" : "Reconciliation: \(unit) (\(year), \(doc.source.name))")
        let counts = Severity.allCases.map { s in (s, findings.filter { $0.severity == s }.count) }
        out.append(counts.map { s, n in zh ? "\(s.labelZH) \(n)" : "\(s.rawValue) \(n)" }.joined(separator: zh ? "，" : ", "))
        // A document printed in several units is compared in one (`UnitAlignment`): say so, as
        // the messages show the converted amounts.
        if let (base, units) = UnitAlignment.units(of: doc) {
            let others = units.joined(separator: zh ? "、" : ", ")
            out.append(zh ? "金额按\(base)比较：以\(others)列示的金额已换算为\(base)。"
                          : "Amounts are compared in \(base): those printed in \(others) were converted to \(base).")
        }
        if findings.isEmpty {
            out.append(zh ? "未发现问题。" : "No findings.")
            return out.joined(separator: "\n") + "\n"
        }
        for (severity, n) in counts where n > 0 {
            out.append("")
            out.append(zh ? "【\(severity.labelZH)】\(n) 项" : "[\(severity.rawValue.uppercased())] \(n)")
            var i = 0
            for f in findings where f.severity == severity {
                i += 1
                out.append("\(i). [\(f.rule)] \(f.message)")
                out.append(zh ? "   应为：\(f.expected)    实为：\(f.found)" : "   expected: \(f.expected)    found: \(f.found)")
                let places = f.refs.map(describe).filter { !$0.isEmpty }
                if !places.isEmpty {
                    out.append((zh ? "   位置：" : "   where: ") + places.joined(separator: "; "))
                }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func describe(_ r: FindingRef) -> String {
        var parts: [String] = []
        if let t = r.table { parts.append(t) }
        if let c = r.code { parts.append(c) }
        if let l = r.label, r.code == nil { parts.append(l) }
        if let c = r.column { parts.append(c) }
        if let l = r.line { parts.append("L\(l)") }
        return parts.joined(separator: " ")
    }
}
