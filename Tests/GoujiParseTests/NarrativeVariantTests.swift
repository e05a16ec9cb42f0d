import Foundation
import Testing
import GoujiModel
@testable import GoujiParse

/// The seeds' narratives printed another way must give the same facts: re-wrapped at another width
/// (with blank lines between or not), with full-width digits, with CRLF line ends.
@Suite struct NarrativeVariantTests {
    struct KV: Hashable { let key: String; let value: String }

    static func kv(_ facts: [Fact]) -> [KV: Int] {
        var out: [KV: Int] = [:]
        for f in facts {
            // Values compare as decimals: 0.00 == 0, 706.90 == 706.9.
            var v = f.value.text
            if v.contains(".") { while v.hasSuffix("0") { v.removeLast() }; if v.hasSuffix(".") { v.removeLast() } }
            out[KV(key: f.key, value: v), default: 0] += 1
        }
        return out
    }

    /// Rewraps the prose of a text: every paragraph (lines up to one ending with 。 or a heading) is
    /// joined and cut again every `width` characters; lines that look like table rows are kept.
    static func rewrap(_ text: String, width: Int, blankBetween: Bool) -> String {
        let lines = SourceText(text).lines
        var out: [String] = []
        var para = ""
        func flush() {
            guard !para.isEmpty else { return }
            let chars = Array(para)
            var k = 0
            while k < chars.count {
                var end = min(chars.count, k + width)
                // Never cut inside a number: the source never does either.
                while end < chars.count, end > k + 1, chars[end - 1].isNumber || chars[end - 1] == "." || chars[end - 1] == "," , chars[end].isNumber || chars[end] == "." || chars[end] == "," {
                    end -= 1
                }
                out.append(String(chars[k..<end]))
                if blankBetween { out.append("") }
                k = end
            }
            para = ""
        }
        for l in lines {
            let t = l.text
            if t.isEmpty { continue }
            let toks = NarrText.tokens(t)
            let isRow = l.raw.contains("\t") || toks.count >= 3 || (toks.count == 2 && NarrText.amountToken(toks[1]) != nil)
            let isHeading = NarrHeading.level(NarrText.foldDigits(t)) != nil
            if isRow || isHeading || t.count <= 6 {
                flush()
                out.append(l.raw)
                if blankBetween { out.append("") }
                continue
            }
            para += t
            if t.hasSuffix("。") { flush() }
        }
        flush()
        return out.joined(separator: "\n")
    }

    static func fullWidthDigits(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if u.value >= 0x30 && u.value <= 0x39, let f = Unicode.Scalar(u.value + 0xFEE0) { out.append(f) } else { out.append(u) }
        }
        return String(out)
    }

    func narrativeFacts(_ text: String, _ seed: NarrSeeds.Seed) -> [Fact] {
        var doc = seed.gold
        doc.facts = []
        return NarrativeReader.facts(in: SourceText(text).lines, projects: doc.projects)
    }

    @Test func rewrappedNarrativesGiveTheSameFacts() throws {
        for seed in try NarrSeeds.load() {
            let base = Self.kv(narrativeFacts(seed.text, seed))
            #expect(base == Self.kv(seed.gold.facts), "\(seed.name): seed facts")
            for (width, blank) in [(17, false), (29, true), (1000, false)] {
                let variant = Self.rewrap(seed.text, width: width, blankBetween: blank)
                let got = Self.kv(narrativeFacts(variant, seed))
                let missing = base.filter { got[$0.key, default: 0] < $0.value }.map(\.key)
                let extra = got.filter { base[$0.key, default: 0] < $0.value }.map(\.key)
                #expect(missing.isEmpty && extra.isEmpty, "\(seed.name) width \(width): missing \(missing) extra \(extra)")
            }
        }
    }

    @Test func fullWidthDigitsAndCRLFGiveTheSameFacts() throws {
        for seed in try NarrSeeds.load() {
            let base = Self.kv(narrativeFacts(seed.text, seed))
            let variant = Self.fullWidthDigits(seed.text).replacingOccurrences(of: "\n", with: "\r\n")
            let got = narrativeFacts(variant, seed)
            #expect(Self.kv(got) == base, "\(seed.name)")
            // Line numbers survive CRLF.
            let lines = Set(NarrativeReader.facts(in: SourceText(seed.text).lines, projects: seed.gold.projects).map(\.line))
            #expect(Set(got.map(\.line)) == lines, "\(seed.name) lines")
        }
    }
}
