@testable import GoujiModel
import GoujiTestSupport
import Testing

/// `Label.mayNeedFolding` reads the UTF-8 scalar by scalar (skipping the rest of a multi-byte
/// scalar): on random texts it must answer as the byte-by-byte scan it replaced.
@Suite struct FoldingScanTests {
    /// The scan as first written: every byte position tested.
    static func reference(_ s: String) -> Bool {
        let buf = Array(s.utf8)
        var i = 0
        let n = buf.count
        while i < n {
            let b = buf[i]
            if b == 0xEF, i + 1 < n, buf[i + 1] == 0xBC || buf[i + 1] == 0xBD { return true }
            if b == 0xE3, i + 2 < n, buf[i + 1] == 0x80, buf[i + 2] == 0x80 { return true }
            i += 1
        }
        return false
    }

    @Test func scalarScanMatchesByteScan() {
        // Full-width forms (EF BC/BD xx), the ideographic space (E3 80 80) and their near misses
        // (other E3 80 xx punctuation, EF BF/BB, other lead bytes), ASCII, 2- and 4-byte scalars.
        let pieces = ["１", "２０２４", "（", "）", "，", "ｚ", "｝", "\u{FF5F}", "\u{FF60}", "\u{3000}", "、", "。", "「", "\u{3001}",
                      "\u{FEFF}", "\u{FFFD}", "合计", "工资福利支出", "a", " ", "1,234.56", "é", "e\u{301}", "😀", "\u{1F1E8}\u{1F1F3}",
                      "—", "\u{A0}", "ア", "ｱ", "\u{E000}", "\u{EFFF}", "\u{F000}"]
        var g = SplitMix64(seed: 2026_12_02_4)
        var inputs = ["", "１", "\u{3000}", "合", "a\u{3000}", "\u{3001}\u{3000}"]
        for _ in 0..<5000 {
            var s = ""
            for _ in 0..<g.int(0...10) { s += pieces[g.int(0...(pieces.count - 1))] }
            inputs.append(s)
        }
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
