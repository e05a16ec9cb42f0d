import Foundation
@testable import GoujiModel
@testable import GoujiParse
import GoujiTestSupport
import Testing

/// Round 12 of the project reader: each shortcut held to the reading it stands for (kept here as
/// the reference), on random inputs and on the seeds.
@Suite struct ProjectReaderRound12Tests {
    /// Pieces of indicator rows and field lines, with the scalars that send a fast reading to its
    /// general one (combining marks, joiners, CR, a compatibility ideograph, an emoji).
    static let pieces = ["产出指标", "数量指标", "效益", "满意度", "满意度指", "标", "成本", "≥", "≤", "=", "＝", "<", "＞", "≈",
                         "1", "９", "０", "98%", "1,200", "万元", "一级指标", "二级指标", "三级指标", "项目名称", "资金总额",
                         "年度资金", "财政拨款", "目标", " ", "\t", "\u{3000}", "**", "<p>", "- ", "\u{301}", "\u{200D}",
                         "\u{200B}", "\r", "\u{F900}", "😀", "é", "e\u{301}", "a", "：", ":"]

    /// Seed lines and their tokens.
    static func seedTexts() throws -> [String] {
        var out: [String] = []
        for line in try SharedFiles.seedLines() {
            out.append(line)
            out += NarrText.tokens(line)
            out += NarrText.tabCells(line)
        }
        return out
    }

    // MARK: First Characters on the bytes

    @Test func firstCharacterOnTheBytesMatchesTheCharacter() throws {
        let texts = randomTexts(from: Self.pieces, seed: 12_001) + (try Self.seedTexts())
        for s in texts {
            let c = s.first ?? " "
            #expect(ProjIndicators.firstCharacterIsOneScalar(s, ProjIndicators.isValueOperatorScalar) == ProjIndicators.isValueOperator(c),
                    "\(s.debugDescription)")
            #expect(ProjIndicators.firstCharacterIsOneScalar(s, ProjIndicators.isFoldedDigitScalar) == ProjIndicators.isFoldedDigit(c),
                    "\(s.debugDescription)")
        }
    }

    @Test func valueOperatorScalarsAreTheSet() {
        for v in UInt32(0)...0x2FFFF {
            guard let u = Unicode.Scalar(v) else { continue }
            #expect(ProjIndicators.isValueOperator(Character(u)) == ProjIndicators.valueOperators.contains(Character(u)), "\(v)")
        }
    }

    // MARK: The word table

    @Test func wordKindsMatchTheWordLists() throws {
        var samples = randomTexts(from: Self.pieces, seed: 12_002) + (try Self.seedTexts())
        for w in ProjIndicators.allWords {
            let u = Array(w.unicodeScalars)
            for k in 0...u.count { samples.append(NarrText.str(u[..<k])) }
            samples.append(w + "\u{301}")
        }
        for s in samples {
            #expect(ProjIndicators.inLevel1(s) == ProjIndicators.level1Words.contains { FastText.sameBytes($0, s) }, "\(s.debugDescription)")
            #expect(ProjIndicators.inLevel2(s) == ProjIndicators.level2Words.contains { FastText.sameBytes($0, s) }, "\(s.debugDescription)")
            #expect(ProjIndicators.isPrefixOfWord(s) == TextSideRound5Tests.referenceIsPrefix(s), "\(s.debugDescription)")
        }
    }

    // MARK: Families

    /// `family(ofLevel2:)` as it was: String searches.
    static func referenceFamily(ofLevel2 w: String) -> String? {
        if w.begins(with: "数量") || w.begins(with: "质量") || w.begins(with: "时效") { return "产出" }
        if w.has("效益") || w.begins(with: "可持续影响") { return "效益" }
        if w.has("满意度") { return "满意度" }
        if w.has("经济成本") || w.has("社会成本") || w.has("生态环境成本") { return "成本" }
        return nil
    }

    @Test func familiesMatchTheStringSearches() throws {
        let words = ["数量", "质量", "时效", "效益", "可持续影响", "满意度", "经济成本", "社会成本", "生态环境成本", "成本", "指标", "其他", "\u{301}"]
        var samples = randomTexts(from: words + Self.pieces, seed: 12_003) + (try Self.seedTexts())
        samples += ProjIndicators.allWords
        for s in samples {
            #expect(ProjIndicators.family(ofLevel2: s) == Self.referenceFamily(ofLevel2: s), "\(s.debugDescription)")
        }
        #expect(ProjIndicators.families == ["产出", "效益", "满意度", "成本"])
    }

    // MARK: The header search

    @Test func headerWordSearchMatchesFoundation() throws {
        let pieces = ["一级指标", "一级", "指标", "一", "级", "\u{301}", "\u{200B}", "\u{200D}", "\u{F900}", "\u{FA0E}", "\t", " ",
                      "a", "😀", "\u{3000}", "（", "\u{302A}", "\u{AD}", "é", "ｱ", "\u{FF9E}"]
        let texts = randomTexts(from: pieces, seed: 12_004) + (try Self.seedTexts())
        for s in texts {
            #expect(ProjIndicators.containsWord(s, "一级指标") == s.contains("一级指标"), "\(s.debugDescription)")
        }
    }

    // MARK: Blocks read with line masks and without copying the lines

    /// `project(fromPerformance:)` as it was: the non-blank lines copied into an array, each line
    /// up to the header stripped of debris and searched, the indicators read from a copy of the
    /// lines from the header on (without the blank ones).
    static func referenceProject(_ lines: ArraySlice<SourceLine>) -> Project? {
        let body = Array(lines.filter { !$0.isBlank })
        guard !body.isEmpty else { return nil }
        var name: String?
        var nameLine: Int?
        var total: Amount?
        var fiscal: Amount?
        var headerIndex: Int?
        var i = 0
        while i < body.count {
            let text = NarrText.stripDebris(body[i].text)
            if ProjectReader.isIndicatorHeader(text) { headerIndex = i; break }
            if name == nil, let r = text.byteRange(of: "项目名称") {
                var rest = String(text[r.upperBound...])
                while let f = rest.first, f == ":" || f == "：" || NarrText.isSpace(f) { rest.removeFirst() }
                var cellText = NarrText.has(rest, "\t") ? (NarrText.tabCells(rest).first { !$0.isEmpty } ?? "") : rest
                cellText = SourceText.trim(cellText)
                var j = i + 1
                if cellText.isEmpty {
                    while j < body.count {
                        let t = NarrText.stripDebris(body[j].text)
                        if ProjectReader.isFieldLabel(t) || ProjectReader.isIndicatorHeader(t) { break }
                        cellText += t
                        j += 1
                        if cellText.count > 120 { break }
                    }
                    if !cellText.isEmpty { nameLine = body[i + 1].number }
                } else {
                    nameLine = body[i].number
                }
                let cleaned = ProjectReader.cleanName(cellText)
                if !cleaned.isEmpty { name = cleaned }
                i = max(i + 1, j)
                continue
            }
            if NarrText.has(text, "资金总额") || NarrText.has(text, "年度资金"), total == nil {
                total = ProjectReader.amount(after: NarrText.has(text, "资金总额") ? "资金总额" : "年度资金", in: text)
            } else if NarrText.has(text, "财政拨款"), fiscal == nil, !NarrText.has(text, "目标") {
                fiscal = ProjectReader.amount(after: "财政拨款", in: text)
            }
            i += 1
        }
        if name == nil {
            for title in body[..<min(headerIndex ?? body.count, 6)] {
                let t = NarrText.stripDebris(title.text)
                if ProjectReader.isFieldLabel(t) { break }
                if NarrText.has(t, "整体") { break }
                let cleaned = ProjectReader.nameFromTitle(t)
                if !cleaned.isEmpty { name = cleaned; nameLine = title.number; break }
            }
        }
        guard let name else { return nil }
        var indicators: [Indicator] = []
        if let h = headerIndex {
            indicators = ProjIndicators.read(ArraySlice(Array(body[h...])))
        }
        return Project(name: name, total: total, fiscal: fiscal, indicators: indicators, line: nameLine)
    }

    @Test func blocksMatchTheCopyingReading() throws {
        // Random blocks of field lines, indicator rows (spaced and tabbed), blank lines and debris.
        let lines = ["项目名称 校园安保服务", "项目名称：", "**项目名称** 河道保洁", "项目名称\t\t绿化养护\t", "河道保洁项目绩效目标表",
                     "年度资金总额 36.5", "其中：财政拨款 36.5", "资金总额:\t\t1,250.00\t", "\t财政拨款:\t\t1,200.00\t", "财政拨款目标 5",
                     "其他资金 0", "主管部门 某局", "年度绩效目标", "保障校园安全。", "一级指标 二级指标 三级指标 指标值",
                     "绩效目标 指标\t一级指标\t二级指标\t三级指标\t目标值", "产出指标", "数量指标 安保人员数量 =8人",
                     "成本指标 经济成本指标 人均安保成本 ≤4.5 万元/人/年", "\t产出指标\t数量指标\t保洁河道长度\t≥42公里",
                     "\t\t质量指标\t水面漂浮物清除率\t≥95%", "满意度指", "标", "服务对象满意度 居民满意度 ≥90%", "", "", "   ",
                     "<p>项目名称 社区服务</p>", "- 年度资金总额 12", "名称续行", "注：无", "第三部分 名词解释", "e\u{301} 项目名称 x"]
        var g = SplitMix64(seed: 12_005)
        var checked = 0
        for _ in 0..<3000 {
            var text: [String] = []
            for _ in 0..<g.int(0...24) { text.append(lines[g.int(0...(lines.count - 1))]) }
            let src = SourceText(text.joined(separator: "\n"))
            #expect(ProjectReader.project(fromPerformance: src.lines[...]) == Self.referenceProject(src.lines[...]), "\(text)")
            checked += 1
        }
        // Every seed, from each line that may start a block, over the next 80 lines.
        for f in try SharedData.seedFiles() {
            let src = SourceText(try String(contentsOf: f, encoding: .utf8))
            for k in src.lines.indices where src.lines[k].text.has("绩效目标") || src.lines[k].text.has("项目名称") {
                let block = src.lines[k..<min(k + 80, src.lines.count)]
                #expect(ProjectReader.project(fromPerformance: block) == Self.referenceProject(block), "\(f.lastPathComponent) \(k)")
                checked += 1
            }
        }
        #expect(checked > 3000)
    }
}
