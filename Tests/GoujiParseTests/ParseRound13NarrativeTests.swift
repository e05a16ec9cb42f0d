import Foundation
@testable import GoujiModel
@testable import GoujiParse
import GoujiTestSupport
import Testing

/// Round 13 of the narrative and metadata readers: each shortcut held to the reading it stands
/// for, on random inputs and on every line of the seeds.
@Suite struct ParseRound13NarrativeTests {
    static let pieces = ["持平", "保持", "无", "没", "划分", "科目", "1", "2.5", "万元", "、", "，", ")", "）", "(", "（",
                         "*", "<p>", "**", "<", " ", "\u{3000}", "\u{00A0}", "\t", "e\u{301}", "\u{301}", "😀", "\u{F900}",
                         "é", "a", "支出", "项目", "主管部门", "502-景德镇市人力资源局", "及代码", "(部门)", "实施单位", "一、", "（二）",
                         "3.", "⑴", "第三部分", "\u{D7FF}", "\u{E000}", "\u{FFFD}", "\u{FFFF}", "\u{10000}", "\r\n", "-"]

    static func texts(seed: UInt64) throws -> [String] {
        randomTexts(from: pieces, seed: seed) + (try SharedFiles.seedLines())
    }

    /// The seeds as the parser splits them into lines.
    static func seedDocuments() throws -> [[SourceLine]] {
        try SharedData.seedFiles().map { f in
            SourceText(String(decoding: try Data(contentsOf: f), as: UTF8.self)).lines
        }
    }

    /// The bits the walk to the next number and `holdsNoChangeWord` test are those of the scalars
    /// they stand for.
    @Test func scalarBitsAreTheScalars() {
        func bits(_ us: [Unicode.Scalar]) -> UInt64 { us.reduce(0) { $0 | (1 << UInt64($1.value & 63)) } }
        #expect(NarrScanner.walkScalarBits == bits(NarrScanner.walkScalars))
        #expect(NarrScanner.noChangeLeadBits == bits(NarrScanner.noChangeWords.compactMap(\.first)))
        #expect(Set(NarrScanner.noChangeWords.compactMap(\.first)).isSubset(of: Set(NarrScanner.walkScalars)))
    }

    /// `holdsEither` (eight bytes at a time) finds the two bytes wherever a byte loop does, at any
    /// length and alignment; `isClean` answers as before on random and seed texts.
    @Test func eitherByteAsTheLoop() throws {
        var g = SplitMix64(seed: 13_001)
        let alphabet: [UInt8] = [0x2A, 0x3C, 0x00, 0x2B, 0x3D, 0xAA, 0xBC, 0x29, 0x3B, 0xE4, 0x80, 0xFF, 0x01, 0x7F]
        for _ in 0..<20_000 {
            let n = g.int(0...40)
            var bytes = (0..<n).map { _ in alphabet[g.int(2...(alphabet.count - 1))] }
            if n > 0, g.int(0...2) == 0 { bytes[g.int(0...(n - 1))] = alphabet[g.int(0...1)] }
            let reference = bytes.contains(0x2A) || bytes.contains(0x3C)
            bytes.withUnsafeBufferPointer { #expect(NarrText.holdsEither($0, 0x2A, 0x3C) == reference, "\(bytes)") }
        }
        for t in try Self.texts(seed: 13_002) {
            let b = Array(t.utf8)
            var reference = !b.contains(0x2A) && !b.contains(0x3C)
            if let f = b.first, f == 0x2D { reference = false }
            if let u = t.unicodeScalars.first, NarrText.isSpaceU(u) { reference = false }
            if let u = t.unicodeScalars.last, u == " " || u == "\t" || u == "\u{A0}" || u == "\u{3000}" || u == "\u{2002}" || u == "\u{2003}" {
                reference = false
            }
            #expect(NarrText.isClean(t) == reference, "\(t.debugDescription)")
        }
    }

    /// `decodeScalars` (three-byte scalars written as their bits) gives the String's scalars.
    @Test func decodedScalarsAreTheStringsScalars() throws {
        var texts = try Self.texts(seed: 13_003)
        for v in stride(from: UInt32(0), through: 0x10FFFF, by: 7) {
            if let u = Unicode.Scalar(v) { texts.append("a" + String(u) + "中") }
        }
        for t in texts {
            #expect(NarrText.scalars(t) == Array(t.unicodeScalars), "\(t.debugDescription)")
        }
    }

    /// `tabCells` (plain byte loops) splits as the filtered range did: every field between tabs,
    /// empty ones kept, each trimmed.
    @Test func tabCellsAsSplit() throws {
        for t in try Self.texts(seed: 13_004) {
            let reference = t.utf8.split(separator: 0x09, omittingEmptySubsequences: false).map { field in
                SourceText.trim(String(decoding: Array(field), as: UTF8.self))
            }
            let cells = NarrText.tabCells(t)
            #expect(cells.map { Array($0.utf8) } == reference.map { Array($0.utf8) }, "\(t.debugDescription)")
        }
    }

    /// `lcs` on buffers is the longest common subsequence of the table as first written.
    @Test func lcsAsTheTable() {
        func reference(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
            if a.isEmpty || b.isEmpty { return 0 }
            var prev = [Int](repeating: 0, count: b.count + 1)
            var cur = prev
            for i in 1...a.count {
                for j in 1...b.count { cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 : max(prev[j], cur[j - 1]) }
                swap(&prev, &cur)
            }
            return prev[b.count]
        }
        var g = SplitMix64(seed: 13_005)
        let letters: [Unicode.Scalar] = ["社", "保", "项", "目", "经", "费", "a", "b"]
        for k in 0..<6000 {
            // (Up to 14 scalars, and past 64 on either side: both readings of `lcs`.)
            let most = k % 3 == 0 ? 90 : 14
            let a = (0..<g.int(0...most)).map { _ in letters[g.int(0...(letters.count - 1))] }
            let b = (0..<g.int(0...most)).map { _ in letters[g.int(0...(letters.count - 1))] }
            let l = a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in NarrText.lcs(x, y) } }
            #expect(l == reference(a, b), "\(a) \(b)")
        }
    }

    /// `bestProject` names the project the comparison of every name's scalars named before.
    @Test func bestProjectAsBefore() {
        func reference(_ heading: String, _ projects: [Project]) -> String? {
            var h = Array(heading.unicodeScalars)
            if heading.ends(with: "项目") { h.removeLast(2) }
            var best: (score: Double, length: Int, name: String)?
            for p in projects {
                var pn = Array(p.name.unicodeScalars)
                if p.name.ends(with: "项目") { pn.removeLast(2) }
                guard !pn.isEmpty, !h.isEmpty else { continue }
                let l = pn.withUnsafeBufferPointer { y in h.withUnsafeBufferPointer { x in NarrText.lcs(x, y) } }
                let score = Double(l) / Double(min(h.count, pn.count))
                guard score >= 0.8 else { continue }
                if let b = best, score < b.score || (score == b.score && l <= b.length) { continue }
                best = (score, l, p.name)
            }
            return best?.name
        }
        var g = SplitMix64(seed: 13_006)
        let words = ["社保", "经办", "项目", "业务", "经费", "工作", "信息化", "e\u{301}", "😀", "中心", ""]
        func name() -> String { (0..<g.int(0...4)).map { _ in words[g.int(0...(words.count - 1))] }.joined() }
        for _ in 0..<2000 {
            let projects = (0..<g.int(0...6)).map { _ in Project(name: name(), total: nil, fiscal: nil, indicators: [], line: nil) }
            let scanner = NarrScanner(projects: projects, tables: [])
            let heading = name()
            #expect(scanner.bestProject(for: heading) == reference(heading, projects), "\(heading) \(projects.map(\.name))")
        }
    }

    /// `startsWithTwo` answers as `code.first == "2"`, on random and seed texts and on 2 before
    /// every scalar.
    @Test func startsWithTwoAsTheFirstCharacter() throws {
        var texts = try Self.texts(seed: 13_008) + ["2", "20101", "2\u{301}", "2\u{FE0F}", "２", "2\r\n", "\u{1F1E8}2"]
        for v in UInt32(0)...0x2FFFF {
            if let u = Unicode.Scalar(v) { texts.append("2" + String(u) + "01") }
        }
        for t in texts {
            #expect(NarrScanner.startsWithTwo(t) == (t.first == "2"), "\(t.debugDescription)")
        }
    }

    /// `SupervisorMemo` gives every 主管部门 line the reading `supervisor(at:in:)` gives it: on the
    /// seeds, and on documents of repeated blocks, wrapped names, blank lines and ends.
    @Test func supervisorMemoAsTheReading() throws {
        var documents = try Self.seedDocuments()
        var g = SplitMix64(seed: 13_007)
        let heads = ["主管部门及代码", "主管部门", "主管部门：", "主管部门\t502-某某局", "主管部门\t601-某某局(部门)\t实施单位\t某中心",
                     "主管部门 502-某某人力资源和社", "主管部门名称"]
        let rest = ["502-景德镇市人力资源和社", "", "会保障局", "保障局", "实施单位 某中心", "项目属性", "2024", "某某局", "局", "一二三四五六七八九十一二三"]
        for _ in 0..<400 {
            var lines: [SourceLine] = []
            for _ in 0..<g.int(1...12) {
                let text = g.int(0...2) == 0 ? rest[g.int(0...(rest.count - 1))] : heads[g.int(0...(heads.count - 1))]
                lines.append(SourceLine(number: lines.count + 1, raw: text))
            }
            documents.append(lines)
        }
        for lines in documents {
            var memo = SupervisorMemo()
            for idx in lines.indices where lines[idx].text.has("主管部门") {
                #expect(memo.read(at: idx, in: lines) == MetaScan.supervisor(at: idx, in: lines), "\(lines.map(\.text)) \(idx)")
            }
        }
    }
}
