import Foundation
import Testing
import GoujiModel
@testable import GoujiReconcile

/// The gold findings of the five seeds: every expected finding is reported (rule and severity),
/// and no error or warning outside them.
@Suite struct SeedFindingsTests {
    static let names = (try? Shared.goldNames()) ?? []

    @Test func fiveSeedsAreThere() throws {
        #expect(Self.names.count == 5)
    }

    @Test(arguments: names)
    func goldFindingsAreReported(_ name: String) throws {
        let doc = try Shared.augmented(name)
        let found = Reconciler().findings(for: doc)
        var got: [String: Int] = [:]
        for f in found { got["\(f.rule)/\(f.severity.rawValue)", default: 0] += 1 }
        var want: [String: Int] = [:]
        for e in try Shared.expected(name) { want["\(e.rule)/\(e.severity)", default: 0] += 1 }
        for (key, n) in want {
            #expect((got[key] ?? 0) >= n, "\(name): expected \(n) × \(key), found \(got[key] ?? 0)")
        }
        let expectedRules = Set(try Shared.expected(name).map(\.rule))
        let unexpected = found.filter { $0.severity != .info && !expectedRules.contains($0.rule) }
        #expect(unexpected.isEmpty, "\(name): unexpected \(unexpected.map { "\($0.rule) \($0.severity): \($0.message)" })")
        // Same severity too: no error/warning of an expected rule beyond what the gold lists at that severity.
        let serious = found.filter { $0.severity != .info }
        for f in serious {
            #expect(want["\(f.rule)/\(f.severity.rawValue)"] != nil, "\(name): \(f.rule) reported as \(f.severity) — \(f.message)")
        }
    }

    @Test func orderIsStable() throws {
        for name in Self.names {
            let doc = try Shared.augmented(name)
            let a = Reconciler().findings(for: doc)
            let b = Reconciler().findings(for: doc)
            #expect(a == b)
            #expect(!a.isEmpty)
        }
    }

    @Test func englishMessagesDifferButFindingsAgree() throws {
        let doc = try Shared.augmented(try #require(Self.names.first, "no gold readings: set GOUJI_SHARED"))
        let zh = Reconciler().findings(for: doc)
        let en = Reconciler(language: .en).findings(for: doc)
        #expect(zh.map(\.rule) == en.map(\.rule))
        #expect(zh.map(\.expected) == en.map(\.expected))
        #expect(zip(zh, en).allSatisfy { $0.message != $1.message })
        #expect(zh.allSatisfy { $0.message.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF } })
    }

    @Test func everyFindingIsLocatedAndValued() throws {
        for name in Self.names {
            for f in Reconciler().findings(for: try Shared.augmented(name)) {
                #expect(!f.refs.isEmpty, "\(f.rule) without refs")
                #expect(!f.expected.isEmpty && !f.found.isEmpty)
                #expect(f.refs.allSatisfy { $0.line != nil || $0.table != nil || $0.label != nil })
            }
        }
    }

    @Test func reportGroupsBySeverity() throws {
        let name = try #require(Self.names.dropFirst().first, "no gold readings: set GOUJI_SHARED")
        let doc = try Shared.augmented(name)
        let fs = Reconciler().findings(for: doc)
        let text = FindingReport.render(doc, findings: fs, language: .zh)
        let e = try #require(text.range(of: "【错误】"))
        let w = try #require(text.range(of: "【警告】"))
        let i = try #require(text.range(of: "【提示】"))
        #expect(e.lowerBound < w.lowerBound && w.lowerBound < i.lowerBound)
        #expect(text.contains("T-CHANGE"))
        #expect(text.contains("3463.96"))
        let en = FindingReport.render(doc, findings: Reconciler(language: .en).findings(for: doc), language: .en)
        #expect(en.contains("[ERROR]") && en.contains("expected:"))
    }
}

/// Mutation test: change one table amount by a delta that cannot hide in rounding; a new error or
/// warning must appear in ≥ 95% of mutants.
@Suite struct MutationTests {
    struct Key: Hashable {
        let rule: String
        let severity: Severity
        let refs: [FindingRef]
        let expected: String
        let found: String
    }

    static func serious(_ fs: [Finding]) -> [Key: Int] {
        var out: [Key: Int] = [:]
        for f in fs where f.severity != .info {
            out[Key(rule: f.rule, severity: f.severity, refs: f.refs, expected: f.expected, found: f.found), default: 0] += 1
        }
        return out
    }

    @Test(arguments: SeedFindingsTests.names)
    func mutantsAreCaught(_ name: String) throws {
        let deltas = ["0.10", "1.00", "-1.00", "10.00"].compactMap { Amount($0) }
        let reconciler = Reconciler()
        var total = 0
        var caught = 0
        var missed: [String] = []
        do {
            // Table amounts only: the gold reading without the prose-derived fields.
            let doc = try Shared.gold(name)
            let base = Self.serious(reconciler.findings(for: doc))
            for ti in doc.tables.indices {
                for ri in doc.tables[ti].rows.indices {
                    for col in doc.tables[ti].rows[ri].values.keys.sorted() {
                        guard let v = doc.tables[ti].rows[ri].values[col] else { continue }
                        for d in deltas {
                            guard let m = v.adding(d) else { continue }
                            var mutant = doc
                            // Keep the printed precision of the cell.
                            mutant.tables[ti].rows[ri].values[col] = m.rescaled(to: max(m.decimals, v.decimals)) ?? m
                            total += 1
                            let after = Self.serious(reconciler.findings(for: mutant))
                            let new = after.contains { k, n in n > (base[k] ?? 0) }
                            if new { caught += 1 } else {
                                let r = doc.tables[ti].rows[ri]
                                missed.append("\(name) \(doc.tables[ti].kind.rawValue) \(r.code ?? r.label) \(col) \(v.text)\(d.mantissa < 0 ? "" : "+")\(d.text)")
                            }
                        }
                    }
                }
            }
        }
        let rate = Double(caught) / Double(max(total, 1))
        print("mutation \(name): \(caught)/\(total) mutants caught (\(String(format: "%.1f", rate * 100))%)")
        for m in missed.prefix(60) { print("  missed: \(m)") }
        #expect(total > 300)
        #expect(rate >= 0.95)
    }
}

