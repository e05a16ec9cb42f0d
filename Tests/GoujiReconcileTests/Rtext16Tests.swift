import Foundation
import GoujiModel
import GoujiParse
@testable import GoujiReconcile
import GoujiTestSupport
import Testing

/// `TextRules.run` classifies each fact key once (`classify`: its number and family read from its
/// bytes in one pass), and a `project.` key's name is matched in the key's own bytes where it is
/// already normal. Both are held here to the reference answers: `id`, the prefix tests
/// `hasPrefix` answers, and `chooseProject` of the normalised name.
@Suite struct Rtext16Tests {
    /// Keys: the named keys, every gold fact's key and every parsed seed fact's key, and random
    /// keys made of their pieces, prefixes and characters that join or are equivalent to others.
    static func keys() throws -> [String] {
        var keys = Array(TextRules.namedKeys.keys) + ["", "econ.301", "func.2080109", "func.社会保障", "project.社保",
                                                      "project.\u{301}社保", "econ.\u{301}", "three_public.total",
                                                      "three_public.x", "project.", "econ", "Econ.301", "ｅcon.301"]
        for name in try Shared.goldNames() { keys += try Shared.gold(name).facts.map(\.key) }
        let parser = BudgetParser()
        for url in try SharedData.seedFiles() {
            let text = try String(contentsOf: url, encoding: .utf8)
            keys += parser.parse(text: text, source: Source(name: url.lastPathComponent, format: .text)).facts.map(\.key)
        }
        var g = SplitMix64(seed: 0x7E16)
        let pieces = Array(TextRules.namedKeys.keys) + ["econ.", "func.", "project.", "three_public.", "econ", "func", "3", "01",
                                                        ".", "_", "l", "\u{301}", "\u{212A}", "基本", "é", "（一）", " ", "社保经办"]
        for _ in 0..<20_000 {
            var s = ""
            for _ in 0..<g.int(1...3) { s += pieces[g.int(0...(pieces.count - 1))] }
            if g.int(0...3) == 0 { s = String(s.dropLast(g.int(0...2))) }
            keys.append(s)
        }
        return keys
    }

    /// The family as the prefix tests used to tell it: `hasPrefix`, the key's first byte first.
    static func referenceFamily(_ key: String) -> TextRules.Family {
        if key.hasPrefix("econ.") { return .econ }
        if key.hasPrefix("func.") { return .function }
        if key.hasPrefix("three_public.") { return .threePublic }
        if key.hasPrefix("project.") { return .project }
        return .none
    }

    @Test func classifyAgreesWithIdAndThePrefixes() throws {
        let lengths = TextRules.namedKeyLengths
        for k in try Self.keys() {
            let (id, family) = TextRules.classify(k, lengths: lengths)
            #expect(id == (TextRules.namedKeys[k] ?? -1), "\(k.debugDescription)")
            #expect(id == TextRules.id(k), "\(k.debugDescription)")
            #expect(family == Self.referenceFamily(k), "\(k.debugDescription)")
            #expect(TextRules.Family(k) == family, "\(k.debugDescription)")
            // (Without the length mask every key is looked up: the same number.)
            #expect(TextRules.classify(k, lengths: nil).id == id, "\(k.debugDescription)")
        }
    }

    /// The project a `project.` key names, read in the key's bytes, is the one the normalised
    /// name chooses (`chooseProject` of `ctx.norm` of what follows the prefix), on the gold
    /// documents' projects and on random names: normal and not (spaces, enumerators, colons,
    /// full-width letters), simple and not, equal, containing and contained.
    @Test func projectKeysChooseAsTheNormalisedName() throws {
        var g = SplitMix64(seed: 0x960A)
        var words = ["社保", "经办", "项目", "经费", "社保经办", "a", "é", "e\u{301}", "（一）", "城乡居民", "补贴", " ", "：", "Ａ", "1、"]
        var docs: [BudgetDocument] = []
        for name in try Shared.goldNames() {
            let doc = try Shared.gold(name)
            docs.append(doc)
            words += doc.projects.map(\.name)
        }
        func text() -> String {
            var s = ""
            for _ in 0..<g.int(1...3) { s += words[g.int(0...(words.count - 1))] }
            return s
        }
        for doc in docs {
            let ctx = Context(doc: doc, language: .zh)
            let names = TextRules.Projects(ctx).names
            var keys = doc.facts.map(\.key).filter { $0.hasPrefix("project.") }
            keys += doc.projects.map { "project." + $0.name }
            for _ in 0..<300 { keys.append("project." + text()) }
            for key in keys {
                let reference = TextRules.chooseProject(FastText.Word(ctx.norm(String(key.dropFirst(8)))), in: names)
                #expect(TextRules.chooseProject(ctx, key: key, in: names) == reference, "\(key.debugDescription)")
            }
        }
        // Random lists of names (some of them not simple text, some repeated).
        let ctx = Context(doc: docs[0], language: .zh)
        for _ in 0..<5_000 {
            var names: [(project: Int, name: FastText.Word)] = []
            for j in 0..<g.int(0...6) {
                let n = ctx.norm(text())
                if !n.isEmpty { names.append((j, FastText.Word(n))) }
            }
            let key = "project." + (names.isEmpty || g.int(0...2) == 0 ? text() : names[g.int(0...(names.count - 1))].name.text)
            if g.int(0...5) == 0, let first = names.first { names.append((names.count, first.name)) }
            let reference = TextRules.chooseProject(FastText.Word(ctx.norm(String(key.dropFirst(8)))), in: names)
            #expect(TextRules.chooseProject(ctx, key: key, in: names) == reference, "\(key.debugDescription)")
        }
    }

    /// `FastText.cut` holds only where dropping the prefix's characters drops its bytes.
    @Test func cutDropsWhatDropFirstDrops() throws {
        for k in try Self.keys() {
            for n in [5, 8, 13] {
                let cut = k.utf8.withContiguousStorageIfAvailable { FastText.cut($0, at: n) } ?? false
                guard cut else { continue }
                #expect(String(decoding: Array(k.utf8.dropFirst(n)), as: UTF8.self) == String(k.dropFirst(n)), "\(k.debugDescription) \(n)")
            }
        }
    }
}
