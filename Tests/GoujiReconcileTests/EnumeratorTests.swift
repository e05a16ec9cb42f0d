import Testing
@testable import GoujiModel
@testable import GoujiReconcile

/// The reconciler strips enumerators from its scalar buffers with `Label.enumeratorEnd`, the one
/// grammar the parser's byte and scalar readings use too. On simple text (every scalar a Character
/// of its own) its cut is where the Character reading cuts; any other label (a digit with a
/// combining mark, `3.5ﾞ`) is left to `Label.normalized`, so the reconciler's normalisation is
/// Label's on every label.
@Suite struct EnumeratorTests {
    static let edges = [
        "", "①项目", "⑴项目", "⑽", "一、基本支出", "（一）工资福利支出", "(一)其他", "十一、合计", "一般公共服务", "一",
        "1、办公费", "(1)办公费", "（12）项目", "12.办公", "1.5万元", "123、", "1)", "（1", "(12", "一）", "1．项目",
        "１、项目", "2）事业", "（十）", "3、", "、", ":", "3.5ﾞ", "3ﾞ.5", "5ﾞ、项目", "1\u{0301}、项目", "（一\u{3099}）",
        "一、（一）1、办公费", "（1）（2）项目", "1、2", "1、2项目", "ａ１、",
    ]

    /// Labels drawn from enumerator pieces, digits, marks that join the character before them and
    /// a few words, so that every branch of the grammar meets every kind of neighbour.
    static func randomLabels(_ count: Int) -> [String] {
        let pieces: [String] = ["一", "二", "十", "百", "1", "2", "9", "0", "(", ")", "（", "）", "、", ".", "．", "①", "⑴",
                                "ﾞ", "\u{0301}", "\u{3099}", "办", "公", "a", " ", "\u{3000}", "：", "１", "５"]
        var seed: UInt64 = 0x2545_F491_4F6C_DD1D
        var out: [String] = []
        for _ in 0..<count {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            var label = ""
            for _ in 0..<Int(seed >> 61) {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                label += pieces[Int(seed >> 33) % pieces.count]
            }
            out.append(label)
        }
        return out
    }

    @Test func scalarCutIsTheCharacterReadingsOnSimpleText() throws {
        let labels = Self.edges + Self.randomLabels(5000) + (try FastTextTests.seedLabels())
        var simpleSeen = 0
        for label in labels {
            guard label.utf8.withContiguousStorageIfAvailable(DocumentRules.isSimple) == true else { continue }
            simpleSeen += 1
            var u = label.unicodeScalars.map(\.value)
            let cut = u.withUnsafeMutableBufferPointer { FastText.stripEnumerator($0, 0, $0.count) }
            let rest = String(String.UnicodeScalarView(u[cut...].compactMap(Unicode.Scalar.init)))
            #expect(Array(rest.utf8) == Array(Label.stripEnumeratorByCharacters(label).utf8), "\(label.debugDescription)")
        }
        #expect(simpleSeen > 1000)
    }

    @Test func reconcilerNormalisationIsLabels() throws {
        let ctx = Context(doc: try Shared.gold(try #require(Shared.goldNames().first, "no gold readings: set GOUJI_SHARED")), language: .zh)
        for label in Self.edges + Self.randomLabels(5000) {
            let slow = Array(Label.normalized(label).utf8)
            if let fast = FastText.normalizedSimple(label) { #expect(Array(fast.utf8) == slow, "\(label.debugDescription)") }
            #expect(Array(ctx.norm(label).utf8) == slow, "\(label.debugDescription)")
        }
        // A digit with a combining mark is no simple text: Label's Character reading decides it.
        #expect(FastText.normalizedSimple("3.5ﾞ") == nil)
    }

    /// The parser's readings share the grammar: on bytes and on scalars they cut where the
    /// Character reading cuts, or leave the label to it.
    @Test func parserReadingsAgreeWithCharacters() {
        for label in Self.edges + Self.randomLabels(5000) {
            let slow = Label.stripEnumeratorByCharacters(label)
            if let fast = Label.stripEnumeratorOnScalars(label) { #expect(Array(fast.utf8) == Array(slow.utf8), "\(label.debugDescription)") }
            #expect(Array(Label.stripEnumerator(label).utf8) == Array(slow.utf8), "\(label.debugDescription)")
        }
    }
}
