import Foundation
import GoujiModel
@testable import GoujiParse
import GoujiTestSupport
import Testing

/// Round 14 of the table reader's fast paths: each gives what the reading it replaces gives, on
/// random inputs (a fixed-seed generator: the same cases in every run) and on every seed line.
@Suite struct ParseRound14TableTests {
    /// Width folding as first written: scalar by scalar, U+FF01–FF5E to ASCII, U+3000 to a space.
    static func referenceFold(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if u.value >= 0xFF01 && u.value <= 0xFF5E { out.append(Unicode.Scalar(u.value - 0xFEE0) ?? u) }
            else if u.value == 0x3000 { out.append(" ") }
            else { out.append(u) }
        }
        return String(out)
    }

    /// `TableReader.unitMention` as it was before this round: every line width-folded, its
    /// brackets and 单位名称 found on the Characters.
    static func referenceUnitMention(_ text: String, line: Int) -> UnitMention? {
        let t = referenceFold(text)
        var code: String?
        var name: String?
        if let open = t.firstIndex(where: { $0 == "[" || $0 == "【" }),
           let close = t[open...].firstIndex(where: { $0 == "]" || $0 == "】" }) {
            let inner = t[t.index(after: open)..<close]
            if !inner.isEmpty && inner.allSatisfy({ $0.isASCII && $0.isNumber }) { code = String(inner) }
            var rest = SourceText.trim(t[t.index(after: close)...])
            if let r = rest.byteRange(of: "单位:") ?? rest.byteRange(of: "单位：") { rest = SourceText.trim(rest[..<r.lowerBound]) }
            if let sp = rest.firstIndex(where: { SourceText.isSpace($0) }) { rest = String(rest[..<sp]) }
            if !rest.isEmpty { name = rest }
        } else if let r = t.byteRange(of: "单位名称:") ?? t.byteRange(of: "单位名称：") {
            var rest = SourceText.trim(t[r.upperBound...])
            if let sp = rest.firstIndex(where: { SourceText.isSpace($0) }) { rest = String(rest[..<sp]) }
            if !rest.isEmpty { name = rest }
        }
        if code == nil && name == nil { return nil }
        return UnitMention(name: name, code: code, line: line)
    }

    static let foldPieces = ["：", ":", "［", "］", "【", "】", "（", "）", "\u{3000}", " ", "\t", "\u{00A0}", "２０２４", "１", "Ａ", "ｚ",
                             "\u{FF5E}", "\u{FF5F}", "\u{FF61}", "\u{FF9E}", "\u{FF00}", "\u{3001}", "单位", "万元", "a", "7", "e\u{301}", "\u{301}", "😀"]

    /// `Label.foldWidth`, its bytes now written straight into the String, folds as the scalar
    /// reading does (Strings and Substrings).
    @Test func foldWidthMatchesScalarFolding() throws {
        for s in randomTexts(from: Self.foldPieces, seed: 14_001) + (try SharedFiles.seedLines()) {
            #expect(Label.foldWidth(s) == Self.referenceFold(s), "\(s)")
            let sub = s.dropFirst()
            #expect(Label.foldWidth(sub) == Self.referenceFold(String(sub)), "\(s)")
        }
    }

    /// `unitMention` (a line without a bracket or 单位名称 answered before folding; the rest read
    /// on the folded bytes) reads what it read before, on random lines (brackets of both widths,
    /// unclosed, empty, full-width digits, every space, combining marks) and every seed line; so
    /// does its Character reading.
    @Test func unitMentionMatchesReference() throws {
        let pieces = ["[", "]", "【", "】", "［", "］", "208", "２０８", "1a", "某某局", "单位：万元", "单位:元", "单位名称：", "单位名称:",
                      "单位", "名称", "：", " ", "\u{3000}", "\u{00A0}", "\u{2002}", "\u{2003}", "\t", "\u{301}", "e\u{301}", "备注", "😀"]
        var mentions = 0
        for l in randomTexts(from: pieces, seed: 14_002) + (try SharedFiles.seedLines()) {
            let expected = Self.referenceUnitMention(l, line: 3)
            for u in [TableReader.unitMention(l, line: 3), TableReader.unitMention(l, line: 3, viaCharacters: true)] {
                #expect(u?.name == expected?.name, "\(l)")
                #expect(u?.code == expected?.code, "\(l)")
                #expect(u?.line == expected?.line, "\(l)")
            }
            if expected != nil { mentions += 1 }
        }
        #expect(mentions > 500)
    }

    /// `isUnitLine`'s bracket test, now read on the bytes where the bracket is a Character of its
    /// own, answers as the String reading does: brackets followed by spaces, combining marks, a
    /// joiner, a variation selector, a voiced-sound mark, a 4-byte scalar, 合计 split by spaces.
    @Test func isUnitLineBracketsMatchReference() throws {
        let pieces = ["[", "［", "【", "]", " ", "\u{3000}", "\t", "\u{00A0}", "\u{301}", "e\u{301}", "\u{200D}", "\u{FE0F}", "\u{3099}",
                      "\u{FF9E}", "😀", "合计", "合", "计", "208", "1.00", "12", "某局", "单位", "填报", "名称", "元", "a"]
        var units = 0
        for l in randomTexts(from: pieces, seed: 14_003) + (try SharedFiles.seedLines()) {
            let new = TableReader.isUnitLine(l, mask: ~0) { LineTokens.tokens(l)[...] }
            #expect(new == ParseRound13TableTests.referenceIsUnitLine(l, mask: ~0) { LineTokens.tokens(l)[...] }, "\(l)")
            if new { units += 1 }
        }
        #expect(units > 100)
    }
}
