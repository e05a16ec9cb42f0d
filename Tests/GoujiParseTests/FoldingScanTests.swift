@testable import GoujiModel
@testable import GoujiParse
import GoujiTestSupport
import Testing

/// `Label.mayNeedFolding` reads the UTF-8 scalar by scalar (skipping the rest of a multi-byte
/// scalar): on random texts it must answer as the byte-by-byte scan it replaced.
@Suite struct FoldingScanTests {
    /// The scan as first written: every byte position tested.
    static func reference(_ s: String) -> Bool {
        anyBytePosition(s) { buf, i in
            let b = buf[i], n = buf.count
            if b == 0xEF, i + 1 < n, buf[i + 1] == 0xBC || buf[i + 1] == 0xBD { return true }
            return b == 0xE3 && i + 2 < n && buf[i + 1] == 0x80 && buf[i + 2] == 0x80
        }
    }

    @Test func scalarScanMatchesByteScan() {
        // Full-width forms (EF BC/BD xx), the ideographic space (E3 80 80) and their near misses
        // (other E3 80 xx punctuation, EF BF/BB, other lead bytes), ASCII, 2- and 4-byte scalars.
        let pieces = ["１", "２０２４", "（", "）", "，", "ｚ", "｝", "\u{FF5F}", "\u{FF60}", "\u{3000}", "、", "。", "「", "\u{3001}",
                      "\u{FEFF}", "\u{FFFD}", "合计", "工资福利支出", "a", " ", "1,234.56", "é", "e\u{301}", "😀", "\u{1F1E8}\u{1F1F3}",
                      "—", "\u{A0}", "ア", "ｱ", "\u{E000}", "\u{EFFF}", "\u{F000}"]
        let inputs = ["", "１", "\u{3000}", "合", "a\u{3000}", "\u{3001}\u{3000}"] + randomTexts(from: pieces, seed: 2026_12_02_4)
        for s in inputs {
            #expect(Label.mayNeedFolding(s) == Self.reference(s), "\(Array(s.utf8))")
            #expect(Label.mayNeedFolding(s[...]) == Self.reference(s), "\(Array(s.utf8))")
            if s.count > 1 {
                let tail = s.dropFirst()
                #expect(Label.mayNeedFolding(tail) == Self.reference(String(tail)), "\(Array(s.utf8))")
            }
        }
    }
}

/// `RowReader.hasSentencePunctuation` and `TableKindClassifier.hasTitlePunctuation` step scalar by
/// scalar (`FastText.scalarLength`): on random texts they must answer as the byte-by-byte scans
/// they replaced.
@Suite struct PunctuationScanTests {
    static func sentenceReference(_ s: String) -> Bool {
        anyBytePosition(s) { buf, i in
            let b = buf[i], n = buf.count
            if b == 0x3B { return true }
            if b == 0xE3, i + 2 < n, buf[i + 1] == 0x80, buf[i + 2] == 0x82 { return true }
            if b == 0xEF, i + 2 < n, buf[i + 1] == 0xBC {
                let c = buf[i + 2]
                if c == 0x9B || c == 0x8C || c == 0x81 || c == 0x9F { return true }
            }
            return false
        }
    }

    static func titleReference(_ s: String) -> Bool {
        anyBytePosition(s) { buf, i in
            let b = buf[i], n = buf.count
            if b == 0x2C || b == 0x3B { return true }
            if b >= 0xE2, i + 2 < n {
                let b1 = buf[i + 1]
                let b2 = buf[i + 2]
                if b == 0xE3 && b1 == 0x80 && (b2 == 0x82 || b2 == 0x8A || b2 == 0x8B) { return true }
                if b == 0xEF && b1 == 0xBC && (b2 == 0x8C || b2 == 0x9B || b2 == 0x9F || b2 == 0x81) { return true }
                if b == 0xE2 && b1 == 0x80 && b2 == 0xA6 { return true }
            }
            return false
        }
    }

    @Test func scalarScansMatchByteScans() {
        // The punctuation looked for, its neighbours in the same byte ranges (、「」《》 E3 80 xx,
        // full-width forms EF BC xx, — … E2 80 xx), ASCII, 2- and 4-byte scalars.
        let pieces = ["。", "；", ";", "，", ",", "！", "？", "《", "》", "…", "、", "「", "」", "（", "）", "：", "—", "–", "\u{3000}",
                      "１", "ｚ", "合计", "工资福利支出", "a", " ", "1,234.56", "é", "😀", "\u{FEFF}", "\u{A0}", "\u{2026}", "\u{2027}",
                      "\u{E000}", "ア"]
        let inputs = ["", ";", "。", "…", "合;", "合。"] + randomTexts(from: pieces, seed: 2026_12_02_5)
        for s in inputs {
            #expect(RowReader.hasSentencePunctuation(s) == Self.sentenceReference(s), "\(Array(s.utf8))")
            #expect(TableKindClassifier.hasTitlePunctuation(s) == Self.titleReference(s), "\(Array(s.utf8))")
        }
    }
}

/// `FastText.mayHaveWhitespace` steps scalar by scalar: on random texts it must answer as the
/// byte-by-byte scan it replaced.
@Suite struct WhitespaceScanTests {
    static func reference(_ s: String) -> Bool {
        anyBytePosition(s) { buf, i in
            let b = buf[i], n = buf.count
            if b < 0x80 { return b == 0x20 || (b >= 0x09 && b <= 0x0D) }
            if b == 0xC2 || b == 0xE1 { return true }
            if b == 0xE2 { return i + 1 < n && (buf[i + 1] == 0x80 || buf[i + 1] == 0x81) }
            return b == 0xE3 && i + 2 < n && buf[i + 1] == 0x80 && buf[i + 2] == 0x80
        }
    }

    @Test func scalarScanMatchesByteScan() {
        // Whitespace of every lead byte (ASCII, C2, E1, E2 80/81, E3 80 80), near misses with the
        // same leads, other multi-byte scalars whose continuation bytes look like those.
        let pieces = [" ", "\t", "\n", "\r", "\u{0B}", "\u{85}", "\u{A0}", "é", "\u{1680}", "\u{1E00}", "\u{2002}", "\u{2003}", "\u{200A}",
                      "—", "\u{205F}", "\u{2070}", "\u{3000}", "、", "\u{3041}", "合计", "工资福利支出", "１", "a", "1.5", "😀",
                      "\u{FEFF}", "\u{E280}", "\u{C280}"]
        let inputs = ["", " ", "合", "\u{3000}"] + randomTexts(from: pieces, seed: 2026_12_02_6)
        for s in inputs {
            #expect(FastText.mayHaveWhitespace(s) == Self.reference(s), "\(Array(s.utf8))")
            #expect(FastText.mayHaveWhitespace(s[...]) == Self.reference(s), "\(Array(s.utf8))")
        }
    }
}

/// `ByteSearch.first` compares the first byte inline before calling memcmp at each anchor: on
/// random texts and words it must find what a naive search finds.
@Suite struct ByteSearchPrecheckTests {
    static func naive(_ needle: [UInt8], _ hay: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, hay.count >= needle.count, from >= 0 else { return nil }
        var i = from
        while i + needle.count <= hay.count {
            if Array(hay[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }

    @Test func firstMatchesNaiveSearch() {
        let pieces = ["合计", "合", "计", "收入", "支出", "预算", "万元", "，", "。", "a", "aa", "1", " ", "\u{3000}", "算", "合合", "计计",
                      "😀", "é"]
        var g = SplitMix64(seed: 2026_12_02_7)
        for _ in 0..<4000 {
            var hay = ""
            for _ in 0..<g.int(0...12) { hay += pieces[g.int(0...(pieces.count - 1))] }
            var needle = ""
            for _ in 0..<g.int(1...3) { needle += pieces[g.int(0...(pieces.count - 1))] }
            let h = Array(hay.utf8), n = Array(needle.utf8)
            let from = g.int(0...max(0, h.count))
            let found = h.withUnsafeBufferPointer { hb in n.withUnsafeBufferPointer { nb in ByteSearch.first(nb, in: hb, from: from) } }
            #expect(found == Self.naive(n, h, from: from), "\(hay) \(needle) \(from)")
        }
    }
}

/// 5,000 texts of up to ten pieces each, drawn from `pieces` (the scan tests' random inputs).
func randomTexts(from pieces: [String], seed: UInt64) -> [String] {
    var g = SplitMix64(seed: seed)
    var texts: [String] = []
    for _ in 0..<5000 {
        var s = ""
        for _ in 0..<g.int(0...10) { s += pieces[g.int(0...(pieces.count - 1))] }
        texts.append(s)
    }
    return texts
}

/// The scans as first written: whether `match` holds at some byte position of `s`'s UTF-8
/// (every position tried, continuation bytes included).
func anyBytePosition(_ s: String, _ match: ([UInt8], Int) -> Bool) -> Bool {
    let buf = Array(s.utf8)
    return buf.indices.contains { match(buf, $0) }
}
