/// Word searches for the narrative and metadata readers that first ask a scalar mask
/// (`ScalarMask`): a word whose scalars are not all in a text cannot occur in it, so most of the
/// many keyword tests a label goes through cost a few instructions instead of a byte search.

/// A word to look for, with its scalar mask computed once.
struct MaskedWord: Sendable {
    let text: String
    let mask: UInt64

    init(_ text: String) {
        self.text = text
        self.mask = ScalarMask.of(text)
    }
}

/// A text to search in, with its scalar mask computed once.
struct MaskedText {
    let text: String
    let mask: UInt64

    init(_ text: String) {
        self.text = text
        self.mask = ScalarMask.of(text)
    }

    /// Exactly `text.has(w.text)`: the mask only skips searches that cannot succeed.
    @inline(__always)
    func has(_ w: MaskedWord) -> Bool { mask & w.mask == w.mask && text.has(w.text) }

    @inline(__always)
    func hasAny(_ words: [MaskedWord]) -> Bool {
        for w in words where has(w) { return true }
        return false
    }
}

enum NFCInert {
    /// True when every scalar of `s` is one whose text no Unicode normalisation changes and that
    /// never combines with a neighbour (ASCII, CJK ideographs outside the compatibility block, CJK
    /// punctuation without its combining tone marks, full-width forms). Two such texts are equal as
    /// Strings (canonical equivalence) exactly when their UTF-8 bytes are equal, so their bytes can
    /// stand for them as dictionary keys without hashing through normalisation.
    static func check(_ s: String) -> Bool {
        FastText.scanUTF8(s) { buf in
            var i = 0
            let n = buf.count
            while i < n {
                let b = buf[i]
                if b < 0x80 { i += 1; continue }
                // Lead bytes E5–E9 start the scalars U+5000–U+9FFF, ideographs all: stepped over
                // without decoding (in valid UTF-8 the two bytes after such a lead byte are its own).
                if b &- 0xE5 < 5 && i &+ 2 < n { i &+= 3; continue }
                guard let (v, len) = FastText.decodeScalar(buf, at: i) else { return false }
                switch v {
                case 0x3000...0x3029, 0x3030...0x303F, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xFF00...0xFFEF: break
                default: return false
                }
                i += len
            }
            return true
        }
    }
}

/// A String compared and hashed by its UTF-8 bytes: only for texts that are all `NFCInert`.
struct ByteKey: Hashable {
    let text: String

    static func == (a: ByteKey, b: ByteKey) -> Bool { FastText.sameBytes(a.text, b.text) }

    func hash(into h: inout Hasher) {
        FastText.scanUTF8(text) { h.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

/// The words the narrative reader looks for in labels and headings, masks computed once.
enum NarrWords {
    static let jixiaomubiao = MaskedWord("绩效目标"), xiangmu = MaskedWord("项目")
    static let anpai = MaskedWord("安排"), gaixiangmu = MaskedWord("该项目"), yusuanjine = MaskedWord("预算金额")
    static let projectTotals = ["合计", "总额", "总计", "共涉及", "涉及", "共计"].map(MaskedWord.init)
    static let yingong = MaskedWord("因公出国"), gongwujiedai = MaskedWord("公务接待"), gongwuyongche = MaskedWord("公务用车")
    static let gouzhi = MaskedWord("购置"), yunxing = MaskedWord("运行"), weihu = MaskedWord("维护"), sangong = MaskedWord("三公")
    static let caigou = MaskedWord("采购")
    static let adminWords = ["机关运行经费", "机关运行费", "行政经费", "机关运行"].map(MaskedWord.init)
    static let xiangmuzhichu = MaskedWord("项目支出"), jibenzhichu = MaskedWord("基本支出")
    static let renyuanjingfei = MaskedWord("人员经费"), gongyongjingfei = MaskedWord("公用经费")
    static let otherFunds = NarrKeys.otherFunds.map(MaskedWord.init)
    static let caizhengbokuan = MaskedWord("财政拨款"), yibanbokuan = MaskedWord("一般公共预算拨款")
    static let totalWords = ["总额", "预算", "总计", "合计", "收入为", "支出为"].map(MaskedWord.init)
    static let shouru = MaskedWord("收入"), zhichu = MaskedWord("支出")
    static let itemVerbs = ["安排", "预算", "总额", "合计", "较", "比", "增", "减", "占", "主要", "用于", "为", "是", "年"].map(MaskedWord.init)
}

/// `unicodeScalars.first`, `.last` and `.count` read straight off the UTF-8 (the generic
/// collection versions walk the scalar view through an unspecialised index).
enum Scalars {
    @inline(__always)
    static func first(_ s: String) -> Unicode.Scalar? {
        FastText.scanUTF8(s) { buf in buf.isEmpty ? nil : Unicode.Scalar(MetaScan.scalar(at: 0, in: buf)) }
    }

    @inline(__always)
    static func last(_ s: String) -> Unicode.Scalar? {
        FastText.scanUTF8(s) { buf in MetaScan.scalar(before: buf.count, in: buf).flatMap { Unicode.Scalar($0.0) } }
    }

    /// The number of scalars: the bytes that start one (valid UTF-8).
    static func count(_ s: String) -> Int {
        FastText.scanUTF8(s) { buf in
            // (A plain loop: through the buffer's iterator it cost some eight instructions a byte.)
            var n = 0
            var i = 0
            while i < buf.count {
                if buf[i] & 0xC0 != 0x80 { n &+= 1 }
                i &+= 1
            }
            return n
        }
    }

    /// `FastText.characterCount(s) >= 2`: true at once when the first two scalars are each a
    /// Character of their own (`FastText.isOwnCharacter`).
    static func hasTwoCharacters(_ s: String) -> Bool {
        let fast = FastText.scanUTF8(s) { buf -> Bool? in
            guard !buf.isEmpty else { return false }
            guard let (v0, l0) = FastText.decodeScalar(buf, at: 0), FastText.isOwnCharacter(v0) else { return nil }
            guard l0 < buf.count else { return false }
            guard let (v1, _) = FastText.decodeScalar(buf, at: l0), FastText.isOwnCharacter(v1) else { return nil }
            return true
        }
        return fast ?? (FastText.characterCount(s) >= 2)
    }

    /// `a.utf8.lexicographicallyPrecedes(b.utf8)`, on the buffers.
    static func bytesPrecede(_ a: String, _ b: String) -> Bool {
        FastText.scanUTF8(a) { x in
            FastText.scanUTF8(b) { y in
                let n = min(x.count, y.count)
                var i = 0
                while i < n {
                    if x[i] != y[i] { return x[i] < y[i] }
                    i += 1
                }
                return x.count < y.count
            }
        }
    }
}
