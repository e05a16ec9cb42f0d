import Foundation
import Testing
import GoujiModel
@testable import GoujiParse
@testable import GoujiReconcile
import GoujiTestSupport

/// The table index keeps each numeric code's first row in a hash table (not a sorted list), reads
/// codes with a tighter loop, and builds a finding's place from the row in place: each held to
/// the plain reading it replaced, on the seeds' and gold tables and on many random ones.
@Suite struct Rtab16Tests {
    /// `Code.read` as it was: every byte looked at for ASCII and for digits.
    static func referenceRead(_ b: [UInt8]) -> (number: Int64, count: Int, ascii: Bool) {
        var number: Int64 = 0
        var ascii = true
        var digits = b.count > 0 && b.count <= 17
        for c in b {
            if c >= 0x80 { ascii = false }
            if c >= 0x30 && c <= 0x39 {
                number = number &* 10 &+ Int64(c &- 0x30)
            } else {
                digits = false
            }
        }
        return (digits ? number : -1, b.count, ascii)
    }

    /// The first row whose code has this number and length (what the sorted list answered).
    static func referenceRow(_ t: Table, number: Int64, length: Int) -> Int? {
        t.rows.indices.first { i in
            guard let c = t.rows[i].code else { return false }
            let m = Code.measure(c)
            return m.number >= 0 && m.number == number && m.length == length
        }
    }

    static func tables() throws -> [Table] {
        var tables: [Table] = []
        for name in try Shared.goldNames() { tables += try Shared.gold(name).tables }
        for url in try SharedData.seedFiles() {
            let text = try String(contentsOf: url, encoding: .utf8)
            tables += BudgetParser().parse(text: text, source: Source(name: url.lastPathComponent, format: .text)).tables
        }
        return tables
    }

    static func randomCode(_ g: inout SplitMix64) -> String? {
        switch g.int(0...11) {
        case 0: return nil
        case 1: return ""
        case 2: return "A" + String(g.int(0...99))
        case 3: return String(repeating: "9", count: g.int(16...20))   // 17 digits and beyond
        case 4: return "２０１"                                           // full-width digits
        case 5: return "2010" + "一"
        case 6: return "0" + String(g.int(0...99))                        // a leading zero
        default:
            // Codes of a small tree: many repeats of few keys.
            let l = [3, 5, 7][g.int(0...2)]
            var s = "2"
            while s.count < l { s += String(g.int(0...2)) }
            return s
        }
    }

    @Test func codeReadMatchesReference() {
        var g = SplitMix64(seed: 16_01)
        let pieces: [[UInt8]] = [[], Array("0".utf8), Array("9".utf8), Array("/".utf8), Array(":".utf8),
                                 Array("一".utf8), [0x7F], [0x80], [0xFF], Array(" ".utf8)]
        for _ in 0..<20_000 {
            var b: [UInt8] = []
            for _ in 0..<g.int(0...22) {
                if g.int(0...3) == 0 { b += pieces[g.int(0...(pieces.count - 1))] } else { b.append(UInt8(0x30 + g.int(0...9))) }
            }
            let r = b.withUnsafeBufferPointer(Code.read)
            let e = Self.referenceRead(b)
            #expect(r.number == e.number && r.count == e.count && r.ascii == e.ascii, "\(b)")
        }
    }

    /// Every numeric key (and some absent ones) finds the first row of its code, on every table
    /// of the seeds and gold readings and on random tables with repeated, long and odd codes.
    @Test func numericRowsMatchReference() throws {
        var tables = try Self.tables()
        #expect(!tables.isEmpty)
        var g = SplitMix64(seed: 16_02)
        for round in 0..<600 {
            let n = g.int(0...(round % 10 == 0 ? 400 : 40))
            let rows = (0..<n).map { i in Row(code: Self.randomCode(&g), label: "r\(i)", values: [Column.total: Amount(mantissa: Int64(i), decimals: 2)]) }
            tables.append(Table(kind: .expenditure, title: "t\(round)", line: 1, rows: rows, columns: [Column.total]))
        }
        for t in tables {
            var unused = [Int](repeating: 0, count: Amount.maxDecimals + 1)
            let x = TableIndex(t, norm: Label.normalized, decimals: &unused)
            var any = false
            for i in t.rows.indices {
                guard let c = t.rows[i].code else { continue }
                let m = Code.measure(c)
                guard m.number >= 0 else {
                    #expect(x.codeNumber(i) == -1)
                    continue
                }
                any = true
                #expect(x.codeNumber(i) == m.number && x.codeLength(i) == m.length)
                #expect(x.rowIndex(numericKey: m.number << 5 | Int64(m.length)) == Self.referenceRow(t, number: m.number, length: m.length), "\(t.title) \(c)")
                #expect(x.rowIndex(Code(c)) == Self.referenceRow(t, number: m.number, length: m.length))
            }
            #expect(x.hasNumericCodes == any)
            // Absent keys: other lengths and numbers, and no key at all.
            for _ in 0..<20 {
                let number = Int64(g.int(0...3_000_000)), length = g.int(1...18)
                #expect(x.rowIndex(numericKey: number << 5 | Int64(length)) == Self.referenceRow(t, number: number, length: length))
            }
            #expect(x.rowIndex(numericKey: -1) == nil)
        }
    }

    /// A finding's place read from the row in place is the one built from a copy of the row.
    @Test func refMatchesRowRef() throws {
        for name in try Shared.goldNames() {
            let doc = try Shared.gold(name)
            let ctx = Context(doc: doc, language: .zh)
            for i in doc.tables.indices {
                let x = ctx.index(at: i)
                for r in x.table.rows.indices {
                    for column in [nil, Column.total] as [String?] {
                        #expect(ctx.ref(x, r, column) == ctx.ref(x.table, x.table.rows[r], column))
                    }
                }
            }
        }
    }
}
