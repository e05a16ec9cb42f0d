import Foundation
import GoujiModel
import GoujiParse
@testable import GoujiReconcile
import GoujiTestSupport
import Testing

/// T-AMOUNT holds each fact's candidates to the stated amount as they are found, stops at the
/// first exact agreement and makes no candidate it does not keep (`TextRules.Found`); the
/// candidates are made and kept only for a finding. The outcome must be what the kept list gives,
/// as `amounts` read it before: exact when some candidate agrees exactly, else the first within
/// rounding, else (complete) a mismatch with every candidate.
@Suite struct TextRulesFoundTests {
    /// Each fact of `doc` against its kept candidates.
    static func check(_ doc: BudgetDocument, _ name: String) {
        let ctx = Context(doc: doc, language: .zh)
        let projects = TextRules.Projects(ctx)
        for f in doc.facts {
            let id = TextRules.id(f.key)
            var kept = TextRules.Found(stated: nil)
            let keptComplete = TextRules.candidates(ctx, key: f.key, part: f.part, id: id, projects: projects, into: &kept)
            #expect(kept.count == kept.list.count, "\(name) \(f.key)")
            guard let stated = ctx.narrative(f.value) else { continue }
            var found = TextRules.Found(stated: stated)
            let complete = TextRules.candidates(ctx, key: f.key, part: f.part, id: id, projects: projects, into: &found)
            let outcomes = kept.list.map { $0.term.agreement(with: stated) }
            let exact = outcomes.contains(.exact)
            #expect(found.exact == exact, "\(name) line \(f.line) \(f.key)")
            guard !exact else { continue }
            #expect(found.rounding == outcomes.firstIndex(of: .rounding), "\(name) line \(f.line) \(f.key)")
            #expect(found.count == kept.list.count, "\(name) line \(f.line) \(f.key)")
            #expect(complete == keptComplete, "\(name) line \(f.line) \(f.key)")
        }
    }

    @Test func foundAgreesWithTheKeptCandidatesOnGoldAndMutants() throws {
        for name in try Shared.goldNames() {
            Self.check(try Shared.gold(name), name)
        }
        // Mutated seeds: amounts and lines edited at random, so that many facts disagree with
        // their tables (exactly, within rounding or not at all).
        let parser = BudgetParser()
        var rng = SplitMix64(seed: 0xF0D15)
        for url in try SharedData.seedFiles() {
            let text = try String(contentsOf: url, encoding: .utf8)
            Self.check(parser.parse(text: text, source: Source(name: url.lastPathComponent, format: .text)), url.lastPathComponent)
            for i in 0..<60 {
                let mutant = MutatedTextTests.mutate(text, using: &rng)
                Self.check(parser.parse(text: mutant, source: Source(name: "\(i)", format: .text)), "\(url.lastPathComponent)#\(i)")
            }
        }
    }

    /// `TextRules.id` tells most keys without the table: the same number as the lookup, for the
    /// named keys, every gold fact's key, and keys made of their pieces and other characters.
    @Test func idAgreesWithTheKeyTable() throws {
        #expect(TextRules.namedKeyLengths != nil)
        var keys = Array(TextRules.namedKeys.keys) + ["", "econ.301", "func.2080109", "func.20801", "project.社保", "admin_cost\u{301}",
                                                      "income.tota", "income.totaL", "three_public.total "]
        for name in try Shared.goldNames() { keys += try Shared.gold(name).facts.map(\.key) }
        var g = SplitMix64(seed: 0x1D5)
        let pieces = Array(TextRules.namedKeys.keys) + ["econ.", "func.", "project.", "3", "01", ".", "_", "l", "\u{301}", "\u{212A}", "基本", "é"]
        for _ in 0..<20_000 {
            var s = ""
            for _ in 0..<g.int(1...3) { s += pieces[g.int(0...(pieces.count - 1))] }
            if g.int(0...3) == 0 { s = String(s.dropLast(g.int(0...2))) }
            keys.append(s)
        }
        for k in keys {
            #expect(TextRules.id(k) == (TextRules.namedKeys[k] ?? -1), "\(k.debugDescription)")
        }
    }

    /// `FastText.Word ==` (its length test inline, the rest out of line) answers as `String ==`.
    @Test func wordEqualityAgreesWithStringEquality() {
        var g = SplitMix64(seed: 0x3D0)
        let pieces = ["合计", "合", "计", "支出", "e", "\u{301}", "é", "Ａ", "A", " ", "（一）", "𝄞", "ｶ", "\u{FF9E}", "基本"]
        var texts = ["", "合计", "合计 ", "é", "e\u{301}"]
        for _ in 0..<3_000 {
            var s = ""
            for _ in 0..<g.int(0...4) { s += pieces[g.int(0...(pieces.count - 1))] }
            texts.append(s)
        }
        for _ in 0..<30_000 {
            let a = texts[g.int(0...(texts.count - 1))], b = texts[g.int(0...(texts.count - 1))]
            #expect((FastText.Word(a) == FastText.Word(b)) == (a == b), "\(a.debugDescription) \(b.debugDescription)")
        }
    }

    /// `chooseProject` as it was first written: every name compared, exact and containing
    /// matches counted together.
    static func referenceChooseProject(_ name: FastText.Word, in names: [(project: Int, name: FastText.Word)]) -> Int {
        var matches = 0, exact = 0
        var lastMatch = -1, lastExact = -1
        for (j, n) in names {
            if name.text == n.text {
                matches += 1
                exact += 1
                lastMatch = j
                lastExact = j
            } else if n.text.includes(name.text) || name.text.includes(n.text) {
                matches += 1
                lastMatch = j
            }
        }
        return exact == 1 ? lastExact : (matches == 1 ? lastMatch : -1)
    }

    @Test func chooseProjectAgreesWithTheReference() throws {
        var g = SplitMix64(seed: 0x960)
        var words = ["社保", "经办", "项目", "经费", "社保经办", "a", "é", "e\u{301}", "（一）", "城乡居民", "补贴"]
        for name in try Shared.goldNames() {
            words += try Shared.gold(name).projects.map(\.name)
        }
        func text() -> String {
            var s = ""
            for _ in 0..<g.int(1...3) { s += words[g.int(0...(words.count - 1))] }
            return s
        }
        for _ in 0..<5_000 {
            var names: [(project: Int, name: FastText.Word)] = []
            for j in 0..<g.int(0...6) { names.append((j, FastText.Word(text()))) }
            // Often a name of the list itself (an exact match), sometimes twice in the list.
            let name = names.isEmpty || g.int(0...2) == 0 ? FastText.Word(text()) : names[g.int(0...(names.count - 1))].name
            if g.int(0...5) == 0, let first = names.first { names.append((names.count, first.name)) }
            #expect(TextRules.chooseProject(name, in: names) == Self.referenceChooseProject(name, in: names), "\(name.text.debugDescription)")
        }
    }

    @Test func partKindAgreesWithStringEquality() {
        var g = SplitMix64(seed: 0xBA51C)
        let pieces = ["basic", "project", "b", "asic", "proj", "ect", "e\u{301}", "\u{301}", "é", "B", "K", "\u{212A}", " ", "基本", ".", "_"]
        var parts: [String?] = [nil, "", "basic", "project", "basic ", "Basic", "projects", "basic\u{301}", "project\u{301}"]
        for _ in 0..<20_000 {
            var s = ""
            for _ in 0..<g.int(0...3) { s += pieces[g.int(0...(pieces.count - 1))] }
            parts.append(s)
        }
        for p in parts {
            let expected = p == "basic" ? 1 : p == "project" ? 2 : 0
            #expect(TextRules.partKind(p) == expected, "\(String(describing: p).debugDescription)")
        }
    }
}
