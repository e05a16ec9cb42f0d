import GoujiModel

/// The language of finding messages and of the human report.
public enum ReportLanguage: String, Sendable, CaseIterable {
    case zh, en
}

/// Reconciles one `budget-doc/1` document against the catalogue of CHECKS.md (every rule but
/// `Y-CHANGE`, which needs the store). Pure: the same document always yields the same findings in
/// the same order (catalogue order, then document order).
public struct Reconciler: Sendable {
    public let language: ReportLanguage

    public init(language: ReportLanguage = .zh) {
        self.language = language
    }

    /// Every finding of the document, in a stable order.
    public func findings(for doc: BudgetDocument) -> [Finding] {
        // Amounts printed in several units are compared in one (`UnitAlignment`).
        let aligned = UnitAlignment.aligned(doc)
        let ctx = Context(doc: aligned ?? doc, language: language, unitsConverted: aligned != nil)
        TableRules.run(ctx)          // R-COLS, R-TREE, R-BALANCE
        CrossRules.run(ctx)          // X-TOTAL, X-FUNC, X-BASIC, X-ECON-FUNC, X-3PUB, X-PROJ
        TextRules.run(ctx)           // T-AMOUNT, T-CHANGE, T-SHARE, T-ADMIN
        DocumentRules.run(ctx)       // D-TABLES, D-YEAR, D-UNIT, D-EMPTY, D-TEXT
        return ctx.findings
    }

    /// The document with `findings` filled in (what `--json` exports).
    public func reconciled(_ doc: BudgetDocument) -> BudgetDocument {
        var d = doc
        d.findings = findings(for: doc)
        return d
    }
}

/// One side of a comparison: a printed amount and the interval it stands for.
struct Term {
    let amount: Amount
    let interval: Interval

    /// A printed amount read at `readAt` decimals (never fewer than printed).
    init?(_ amount: Amount, readAt: Int? = nil) {
        guard let i = Interval(printed: amount, readAt: readAt ?? amount.decimals) else { return nil }
        self.amount = amount
        self.interval = i
    }

    init(amount: Amount, interval: Interval) {
        self.amount = amount
        self.interval = interval
    }

    /// A blank cell: exactly zero.
    static let blank = Term(amount: .zero, interval: .zero)
    /// The empty sum (what `sum([])` gives).
    static let zero = Term(amount: .zero, interval: .zero)

    /// `a.adding(b)`: at equal decimals the mantissas add directly (what `adding` computes then).
    @inline(__always)
    static func add(_ a: Amount, _ b: Amount) -> Amount? {
        guard a.decimals == b.decimals else { return a.adding(b) }
        let (m, o) = a.mantissa.addingReportingOverflow(b.mantissa)
        return o ? nil : Amount(mantissa: m, decimals: a.decimals)
    }

    /// One more term of a sum, added as `sum` adds (nil on overflow).
    func plus(_ other: Term) -> Term? {
        guard let a = Term.add(amount, other.amount), let i = interval.adding(other.interval) else { return nil }
        return Term(amount: a, interval: i)
    }

    static func sum(_ terms: [Term]) -> Term? {
        // Amount.sum and Interval.sum, in one loop without intermediate arrays.
        var a = Amount.zero
        var i = Interval.zero
        for t in terms {
            guard let x = add(a, t.amount) else { return nil }
            a = x
        }
        for t in terms {
            guard let y = i.adding(t.interval) else { return nil }
            i = y
        }
        return Term(amount: a, interval: i)
    }

    func minus(_ other: Term) -> Term? {
        guard let a = amount.subtracting(other.amount), let i = interval.subtracting(other.interval) else { return nil }
        return Term(amount: a, interval: i)
    }

    func agreement(with other: Term) -> Agreement {
        // `Agreement.of`, with `sameValue` answered directly at equal decimals.
        if amount.decimals == other.amount.decimals {
            if amount.mantissa == other.amount.mantissa { return .exact }
            return interval.overlaps(other.interval) ? .rounding : .mismatch
        }
        return Agreement.of(left: interval, strictLeft: amount, right: other.interval, strictRight: other.amount)
    }
}

extension Amount {
    /// `text`, written digit by digit into a small buffer (`text` inserts the point into a String,
    /// which costs far more). Same characters for every amount.
    var printed: String {
        withPrintedBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the UTF-8 bytes of `printed` (ASCII), written into temporary memory: a
    /// finding's text takes the digits without a String of them made and then copied.
    func withPrintedBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let negative = mantissa < 0
        var m = mantissa.magnitude
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { buf -> R in
            var i = 40
            var written = 0
            repeat {
                i -= 1
                buf[i] = UInt8(truncatingIfNeeded: m % 10) + 0x30
                m /= 10
                written += 1
                if written == decimals {
                    i -= 1
                    buf[i] = 0x2E
                }
            } while m != 0 || written < decimals
            if decimals > 0 && buf[i] == 0x2E {
                i -= 1
                buf[i] = 0x30
            }
            if negative {
                i -= 1
                buf[i] = 0x2D
            }
            return body(UnsafeBufferPointer(rebasing: buf[i..<40]))
        }
    }
}

/// A row code with what prefix tests need, computed once: an all-digit code (the usual) as a
/// number with its length, so prefixes are a division; any other code by its text.
struct Code {
    let text: String
    /// The digits as a number for a code of 1...17 ASCII digits; -1 for any other code.
    let number: Int64
    /// Length in characters (`String.count`).
    let length: Int
    let ascii: Bool

    init(_ text: String) {
        self.text = text
        (number, length, ascii) = Code.measure(text)
    }

    /// A numeric code whose number and length are already read (`Code.measure` of `text`).
    init(text: String, number: Int64, length: Int) {
        self.text = text
        self.number = number
        self.length = length
        ascii = true
    }

    /// What a `Code` of `text` holds besides the text: its number, its length in characters and
    /// whether it is ASCII (the table index reads these without keeping a `Code`).
    static func measure(_ text: String) -> (number: Int64, length: Int, ascii: Bool) {
        // Read on the contiguous UTF-8 where there is one (iterating `utf8` costs far more).
        let read = text.utf8.withContiguousStorageIfAvailable(Code.read) ?? Code.read(Array(text.utf8))
        return (read.number, read.ascii ? read.count : text.count, read.ascii)
    }

    static func read(_ bytes: [UInt8]) -> (number: Int64, count: Int, ascii: Bool) {
        bytes.withUnsafeBufferPointer(read)
    }

    static func read(_ b: UnsafeBufferPointer<UInt8>) -> (number: Int64, count: Int, ascii: Bool) {
        let n = b.count
        guard let p = b.baseAddress, n > 0 else { return (-1, n, true) }
        // The leading digits (nearly every code is all digits: one comparison per byte, the
        // subtraction's wrap-around sending every other byte above 9); then, for a code that is
        // not, whether the rest is ASCII. (Every read is below `n`.)
        var number: Int64 = 0
        var i = 0
        while i < n {
            let d = p[i] &- 0x30
            if d > 9 { break }
            number = number &* 10 &+ Int64(d)
            i += 1
        }
        if i == n { return (n <= 17 ? number : -1, n, true) }
        while i < n {
            if p[i] >= 0x80 { return (-1, n, false) }
            i += 1
        }
        return (-1, n, true)
    }

    static let powers: [Int64] = (0...18).map { e in (0..<e).reduce(Int64(1)) { p, _ in p * 10 } }

    /// A key unique to a numeric code (its number and length); nil for other codes.
    var key: Int64? { number >= 0 ? number << 5 | Int64(length) : nil }

    /// `text.hasPrefix(p.text)`: a division for numeric codes, a byte comparison for ASCII codes.
    func hasPrefix(_ p: Code) -> Bool {
        if number >= 0 && p.number >= 0 {
            return length >= p.length && number / Code.powers[length - p.length] == p.number
        }
        guard ascii && p.ascii else { return text.hasPrefix(p.text) }
        return text.utf8.starts(with: p.text.utf8)
    }

    /// `text == other.text`.
    func same(_ other: Code) -> Bool {
        if number >= 0 || other.number >= 0 { return number == other.number && length == other.length }
        return text == other.text
    }
}

/// Column keys as small integers: the known keys of `Column.all` by their position there (found by
/// length and first byte, then confirmed by comparison), others by name.
enum ColumnID {
    static let known = Column.all
    /// Candidate known ids by (UTF-8 length & 31) << 5 | (first byte & 31); -1 for none. Two
    /// tables: two known keys may share a slot.
    static let slots: ([Int8], [Int8]) = {
        var a = [Int8](repeating: -1, count: 1024)
        var b = [Int8](repeating: -1, count: 1024)
        for (i, k) in known.enumerated() {
            let s = slot(k)
            if a[s] < 0 { a[s] = Int8(i) } else { b[s] = Int8(i) }
        }
        return (a, b)
    }()

    @inline(__always)
    static func slot(_ k: String) -> Int {
        if let s = k.utf8.withContiguousStorageIfAvailable({ b in b.isEmpty ? 0 : (b.count & 31) << 5 | Int(b[0] & 31) }) { return s }
        let u = k.utf8
        guard let f = u.first else { return 0 }
        return (u.count & 31) << 5 | Int(f & 31)
    }

    /// The position of `k` in `Column.all`, if it is a known key.
    static func of(_ k: String) -> Int? {
        let s = slot(k)
        let (a, b) = slots
        let x = Int(a[s])
        if x >= 0 && known[x] == k { return x }
        let y = Int(b[s])
        if y >= 0 && known[y] == k { return y }
        return nil
    }
}

/// What the rules ask of one table, computed once per run: normalised labels, rows by code and
/// by label, the total row, the columns, the code depth. Rules query it instead of scanning rows.
final class TableIndex {
    let table: Table
    /// Normalises labels (the run's `LabelNormalizer`).
    private let norm: (String) -> String
    /// `Label.normalized` of each row's label, by row index. Worked out on first use: most rows
    /// carry a code, and the rules read a coded table's labels only to find a row by its name (a
    /// finding's place asks for its row's label alone: `label(_:)`); the index itself normalises
    /// only the rows that may be the total row.
    var labels: [String] {
        if let normalized { return normalized }
        return readLabels().labels
    }
    private var normalized: [String]?

    /// Whether each label (of `labels`) is simple text, worked out with the labels: nearly every
    /// rule that reads the labels compares them as simple text.
    var simpleLabels: [Bool] {
        if let simple { return simple }
        return readLabels().simple
    }
    private var simple: [Bool]?

    /// `labels` and `simpleLabels`, in one pass over the rows, kept.
    private func readLabels() -> (labels: [String], simple: [Bool]) {
        let count = table.rows.count
        var labels: [String] = []
        labels.reserveCapacity(count)
        var simple: [Bool] = []
        simple.reserveCapacity(count)
        // By position (a `map` over the rows copies each one).
        table.rows.withUnsafeBufferPointer { rows in
            for i in rows.indices {
                let label = norm(rows[i].label)
                simple.append(label.utf8.withContiguousStorageIfAvailable(DocumentRules.isSimple) ?? false)
                labels.append(label)
            }
        }
        normalized = labels
        self.simple = simple
        return (labels, simple)
    }

    /// `labels[row]`, without normalising the other rows' labels when they are not yet.
    func label(_ row: Int) -> String {
        if let normalized { return normalized[row] }
        return norm(table.rows[row].label)
    }
    /// The first row of each numeric code, by its key (`Code.key`), in an open-addressed table in
    /// the run's `IndexArena`: `numericSlots` keys (-1 for an empty slot), then each slot's row.
    /// A table of the codes in document order (first row kept) needs no sort, and a lookup is
    /// one probe or two instead of a binary search.
    private let numericCodes: UnsafeMutablePointer<Int64>
    /// The number of distinct numeric codes (0: no slots, `numericCodes` is never read).
    private let numericCount: Int
    /// A power of two, at least twice `numericCount` (a probe always reaches an empty slot).
    private let numericSlots: Int
    /// `64 - log2(numericSlots)`: a key's slot is the top bits of its hash.
    private let numericShift: UInt64
    /// Holds `ints` and `numericCodes` (kept alive with the index).
    private let arena: IndexArena
    /// The first row of each other code.
    private let otherCodes: [String: Int]
    /// The whole-table total row (合计/总计, no code, no side), and its position. (The row is read
    /// from the table when asked: a copy kept per index was retained and released field by field
    /// for every table.)
    var total: Row? { totalIndex.map { table.rows[$0] } }
    let totalIndex: Int?
    /// The table's integers in one region of the run's `IndexArena` (one allocation for every
    /// table of the document, not one per table and list; nothing to release per table): each
    /// row's code as a number (`codeNumber`), each row's code length (`codeLength`), then every
    /// cell, row-major at `row * width + column`, as its mantissa (0 for a blank cell) and its
    /// decimals (-1 for a blank cell), at `mantissaBase + cell` and `decimalsBase + cell`. Plain
    /// integers: the rules sum and compare them without building `Amount?`s.
    private let ints: UnsafeMutablePointer<Int64>
    private let mantissaBase: Int
    private let decimalsBase: Int
    /// `table.rows.count`.
    let rowCount: Int
    /// `columns.count`, the stride of a row in the cell arrays.
    let width: Int
    /// Every column key the header or a row carries, in print order: known keys first, then the
    /// others sorted. (Names read from the bit set of known keys: no array of them per table.)
    let columns: TableColumns
    /// The known keys (by `ColumnID`) the table carries, as a bit set: known keys come first in
    /// `columns`, in id order, so a known key's position is the number of lower ids present (no
    /// position array per table).
    private let knownMask: UInt64
    /// Each row's code, by row index (nil for a row without one). Built on first use: the rules
    /// read codes as numbers (`codeNumbers`, `codeLengths`); only tables whose codes are not all
    /// digits need these.
    private(set) lazy var codes: [Code?] = table.rows.map { $0.code.map(Code.init) }
    /// The longest code (in characters); 0 without codes.
    let depth: Int
    /// Whether every code the table prints is numeric.
    let allNumeric: Bool

    /// Row `row`'s code as a number (-1 for a row without a numeric code).
    @inline(__always)
    func codeNumber(_ row: Int) -> Int64 { ints[row] }
    /// The length of row `row`'s numeric code (-1 for a row without one).
    @inline(__always)
    func codeLength(_ row: Int) -> Int { Int(truncatingIfNeeded: ints[rowCount + row]) }
    /// Whether some row carries a numeric code.
    var hasNumericCodes: Bool { numericCount > 0 }
    /// Whether some cell prints a nonzero amount.
    var hasNonzeroCell: Bool { (mantissaBase..<decimalsBase).contains { ints[$0] != 0 } }
    /// The number of cells (`rowCount * width`).
    var cellCount: Int { decimalsBase - mantissaBase }
    /// For each row, the length of the longest code the table prints that is a proper prefix of
    /// the row's numeric code (0 when none; -1 for a row without a numeric code). Worked out on
    /// first use (only the function tables `functionAmount` reads need it).
    private(set) lazy var longestPrintedPrefix: [Int] = {
        var out = [Int](filled: -1, count: rowCount)
        for i in 0..<rowCount where codeNumber(i) >= 0 {
            let number = codeNumber(i), length = codeLength(i)
            var found = 0
            var l = length - 1
            while l >= 1 {
                let prefix = number / Code.powers[length - l]
                if rowIndex(numericKey: prefix << 5 | Int64(l)) != nil {
                    found = l
                    break
                }
                l -= 1
            }
            out[i] = found
        }
        return out
    }()

    /// `functionAmount`'s top-most rows under a code the table does not print.
    /// (Empty dictionaries made by `init()`: a `[:]` literal was built by a call per table.)
    var under = [Int64: [Int]]()
    var underOther = [String: [Int]]()

    /// `decimals` counts, by number of decimals, the amounts of the table's cells.
    /// `arena`: where the index keeps its integers (the run's, shared by every table; nil: one
    /// of its own).
    /// (`t` is taken, not borrowed, and kept last: the caller's copy becomes the index's, not
    /// copied again field by field and destroyed.)
    init(_ t: __owned Table, norm: @escaping (String) -> String, decimals: inout [Int], arena given: IndexArena? = nil) {
        self.norm = norm
        let rowCount = t.rows.count
        let arena = given ?? IndexArena(capacity: TableIndex.estimate(t))
        self.arena = arena
        // (`Dictionary()`, not `[:]`: the literal was built by a call per table.)
        var otherCodes = [String: Int]()
        var totalIndex: Int?
        var depth = 0
        var allNumeric = true
        // Column keys: known ones as a bit set, others in first-seen order.
        var knownMask: UInt64 = 0
        var others: [String] = []
        for c in t.columns { _ = TableIndex.see(c, &knownMask, &others) }
        // The cells are laid out for the header's keys while the rows are read (nearly always
        // every key a row carries is in the header); a cell under a key the header lacks waits
        // in `late`, and the layout is redone once at the end if there are any.
        let headerMask = knownMask
        let headerOthers = others.count
        var (columns, otherPosition) = TableIndex.layout(knownMask: knownMask, others: others)
        var width = columns.count
        var ints = TableIndex.ints(arena, rows: rowCount, cells: rowCount * width)
        let mantissas = 2 * rowCount, cellDecimals = 2 * rowCount + rowCount * width
        var late: [(row: Int32, id: Int32, value: Amount)] = []
        // (Claimed once the codes are counted; until then, and for a table without numeric
        // codes, it points at `ints` and no key is read from it: `numericCount` is 0.)
        var firsts = ints
        var firstCount = 0
        var slots = 4
        var shift: UInt64 = 62
        // The numeric codes' keys and rows, and the column keys met so far with their ids (at
        // most `seenCapacity`; a key beyond is looked up by `see` each time), in temporary
        // memory: arrays allocated and freed per table cost more than reading the table.
        withUnsafeTemporaryAllocation(of: (key: Int64, row: Int).self, capacity: rowCount) { numeric in
        withUnsafeTemporaryAllocation(of: String.self, capacity: TableIndex.seenCapacity) { seenKeys in
        // (`seenIDs[j]`: key j's id; `seenIDs[seenCapacity + j]`: its cells' place in the header's
        // layout, -1 when the header lacks it.)
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * TableIndex.seenCapacity) { seenIDs in
        var numericCount = 0
        var seen = 0
        defer { UnsafeMutableBufferPointer(rebasing: seenKeys[0..<seen]).deinitialize() }
        var hint = 0
        // Rows are read in place, field by field (a `for r in rows` copies every row), and the
        // per-row arrays written through their buffers (a subscript write on an array checks
        // that its storage is unshared, every time).
        do {
        // The decimals counted through a buffer: a subscript write on the array checks that its
        // storage is unshared, for every cell.
        decimals.withUnsafeMutableBufferPointer { decimals in
        // The cells' mantissas and decimals (header layout), read once here: `ints` is a captured
        // `var`, reloaded at every write through it.
        let mantissaCells = ints + mantissas, decimalCells = ints + cellDecimals
        let decimalsCount = UInt(decimals.count)
        t.rows.withUnsafeBufferPointer { rows in
            for i in rows.indices {
                // (Row i's cells start at i * width, below `rowCount * width`: no overflow.)
                let rowCells = i &* width
                let code = rows[i].code
                if let c = code {
                    // The code as a number and its length (what `Code` holds); no `Code` is kept.
                    let (number, length, _) = Code.measure(c)
                    depth = max(depth, length)
                    if number >= 0 {
                        ints[i] = number
                        ints[rowCount + i] = Int64(length)
                        numeric[numericCount] = (number << 5 | Int64(length), i)
                        numericCount += 1
                    } else {
                        allNumeric = false
                        if otherCodes[c] == nil { otherCodes[c] = i }
                    }
                } else {
                    if totalIndex == nil && rows[i].side == nil && TableIndex.isTotal(norm(rows[i].label)) { totalIndex = i }
                }
                for (k, v) in rows[i].values {
                    // Rows repeat the same few keys: a scan of the keys met so far with `==`
                    // (identical small or shared strings compare by their bits) before `see`.
                    // The scan starts after the key met last: rows of a table list the same keys
                    // in the same order, so the first comparison nearly always matches (a
                    // comparison of different keys costs more than one of equal ones).
                    var id = -1
                    var place = -1
                    var j = hint
                    for _ in 0..<seen {
                        if j >= seen { j = 0 }
                        if seenKeys[j] == k {
                            id = seenIDs[j]
                            place = seenIDs[TableIndex.seenCapacity + j]
                            hint = j + 1
                            break
                        }
                        j += 1
                    }
                    if id < 0 {
                        id = TableIndex.see(k, &knownMask, &others)
                        // The key's place, worked out once per key met (a count of bits per cell
                        // cost more than the cell's other work).
                        if id < 64 {
                            place = headerMask & (1 << UInt64(id)) != 0 ? TableIndex.position(known: id, in: headerMask) : -1
                        } else {
                            place = id - 64 < headerOthers ? otherPosition[id - 64] : -1
                        }
                        if seen < TableIndex.seenCapacity {
                            seenKeys.initializeElement(at: seen, to: k)
                            seenIDs[seen] = id
                            seenIDs[TableIndex.seenCapacity + seen] = place
                            seen += 1
                            hint = seen
                        }
                    }
                    // (One unsigned comparison: a negative count of decimals is out of range too.)
                    if UInt(bitPattern: v.decimals) < decimalsCount { decimals[v.decimals] &+= 1 }
                    guard place >= 0 else { late.append((Int32(i), Int32(id), v)); continue }
                    // (A place in the header's layout is below `width`: the cell lies in the row's.)
                    let cell = rowCells &+ place
                    mantissaCells[cell] = v.mantissa
                    decimalCells[cell] = Int64(Int8(truncatingIfNeeded: v.decimals))
                }
            }
        }
        }
        }
        // First row of each numeric code: the codes entered in document order, a key already
        // there kept (its first row).
        if numericCount > 0 {
            while slots < 2 * numericCount { slots &<<= 1 }
            shift = UInt64(64 - slots.trailingZeroBitCount)
            firsts = arena.claim(2 * slots)
            firsts.initialize(repeating: -1, count: slots)
            for e in 0..<numericCount {
                let key = numeric[e].key
                var i = TableIndex.slot(key, shift)
                // (Slots below `slots`; a key is never -1: numbers and lengths are not negative.)
                while firsts[i] >= 0 && firsts[i] != key { i = (i &+ 1) & (slots &- 1) }
                if firsts[i] < 0 {
                    firsts[i] = key
                    firsts[slots + i] = Int64(numeric[e].row)
                    firstCount += 1
                }
            }
        }
        }
        }
        }
        if !late.isEmpty {
            // Keys the header lacks: the final layout, the header's cells moved into it, then
            // the late cells placed.
            let (finalColumns, finalOtherPosition) = TableIndex.layout(knownMask: knownMask, others: others)
            let finalWidth = finalColumns.count
            var moved = [Int](repeating: 0, count: width)
            for id in 0..<64 where headerMask & (1 << UInt64(id)) != 0 {
                moved[TableIndex.position(known: id, in: headerMask)] = TableIndex.position(known: id, in: knownMask)
            }
            for j in 0..<headerOthers { moved[otherPosition[j]] = finalOtherPosition[j] }
            let finalCells = rowCount * finalWidth
            let final = TableIndex.ints(arena, rows: rowCount, cells: finalCells)
            let finalMantissas = 2 * rowCount, finalDecimals = 2 * rowCount + finalCells
            for r in 0..<(2 * rowCount) { final[r] = ints[r] }
            for r in 0..<rowCount {
                for c in 0..<width {
                    final[finalMantissas + r * finalWidth + moved[c]] = ints[mantissas + r * width + c]
                    final[finalDecimals + r * finalWidth + moved[c]] = ints[cellDecimals + r * width + c]
                }
            }
            for e in late {
                let id = Int(e.id)
                let position = id < 64 ? TableIndex.position(known: id, in: knownMask) : finalOtherPosition[id - 64]
                let cell = Int(e.row) * finalWidth + position
                final[finalMantissas + cell] = e.value.mantissa
                final[finalDecimals + cell] = Int64(Int8(truncatingIfNeeded: e.value.decimals))
            }
            (columns, otherPosition, width) = (finalColumns, finalOtherPosition, finalWidth)
            ints = final
        }
        self.numericCodes = firsts
        self.numericCount = firstCount
        self.numericSlots = slots
        self.numericShift = shift
        self.otherCodes = otherCodes
        self.totalIndex = totalIndex
        self.columns = columns
        self.knownMask = knownMask
        self.ints = ints
        self.rowCount = rowCount
        mantissaBase = 2 * rowCount
        decimalsBase = 2 * rowCount + rowCount * width
        self.width = width
        self.depth = depth
        self.allNumeric = allNumeric
        table = t
    }

    /// The integers of a table of `rows` rows and `cells` cells, before any is read: no code
    /// (-1 numbers and lengths), blank cells (mantissa 0, decimals -1).
    static func ints(_ arena: IndexArena, rows: Int, cells: Int) -> UnsafeMutablePointer<Int64> {
        let ints = arena.claim(2 * rows + 2 * cells)
        ints.initialize(repeating: -1, count: 2 * rows)
        (ints + 2 * rows).initialize(repeating: 0, count: cells)
        (ints + 2 * rows + cells).initialize(repeating: -1, count: cells)
        return ints
    }

    /// The integers `TableIndex` keeps for table `t` when its rows carry only the header's keys
    /// (what `Context` reserves per table: a table needing more takes another chunk).
    static func estimate(_ t: Table) -> Int {
        let rows = t.rows.count
        return 4 * rows + 2 * rows * t.columns.count
    }

    /// How many column keys a table's reading remembers (a table carries a handful).
    static let seenCapacity = 16

    /// The id of column key `k` (its `ColumnID`, or 64 + its position in `others`, where it is
    /// added if new), noted in `knownMask` when known. (A static function: a nested one that
    /// captured the two would check exclusive access to them at run time on every call.)
    static func see(_ k: String, _ knownMask: inout UInt64, _ others: inout [String]) -> Int {
        if let id = ColumnID.of(k) {
            knownMask |= 1 << UInt64(id)
            return id
        }
        if let j = others.firstIndex(of: k) { return 64 + j }
        others.append(k)
        return 64 + others.count - 1
    }

    /// The columns of a table carrying the known keys in `knownMask` and the keys `others` (in
    /// first-seen order): the known keys in id order, then the others sorted; and each other
    /// key's position there. (A table of known keys only allocates nothing here.)
    static func layout(knownMask: UInt64, others: [String]) -> (columns: TableColumns, otherPosition: [Int]) {
        let knownCount = knownMask.nonzeroBitCount
        // (Rare: keys the catalogue does not know.)
        guard !others.isEmpty else { return (TableColumns(knownMask: knownMask, others: []), []) }
        let sortedOthers = others.sorted()
        let otherPosition = others.map { k in knownCount + (sortedOthers.firstIndex(of: k) ?? 0) }
        return (TableColumns(knownMask: knownMask, others: sortedOthers), otherPosition)
    }

    /// `RuleTables.totalLabels.contains(label)`, by comparison: hashing Chinese text is slower.
    static func isTotal(_ label: String) -> Bool { totalLabels[label] != nil }
    private static let totalLabels = LabelTable(Dictionary(uniqueKeysWithValues: RuleTables.totalLabels.map { ($0, true) }))

    /// The position of column `name` in `columns`, if the table has it.
    func column(_ name: String) -> Int? {
        if let id = ColumnID.of(name) {
            return knownMask & (1 << UInt64(id)) != 0 ? TableIndex.position(known: id, in: knownMask) : nil
        }
        return columns.position(ofOther: name)
    }

    /// The position in `columns` of known key `id` (present in `mask`): the known keys below it.
    @inline(__always)
    static func position(known id: Int, in mask: UInt64) -> Int {
        (mask & ((1 << UInt64(id)) &- 1)).nonzeroBitCount
    }

    /// `column(name)` for a name whose `ColumnID.of` is already known (`id`).
    func column(_ name: String, id: Int?) -> Int? {
        if let id {
            return knownMask & (1 << UInt64(id)) != 0 ? TableIndex.position(known: id, in: knownMask) : nil
        }
        return columns.position(ofOther: name)
    }

    /// True when the header or a row carries column `name`.
    func has(_ name: String) -> Bool { column(name) != nil }

    /// The first row with this code.
    func rowIndex(_ code: Code) -> Int? {
        guard let key = code.key else { return otherCodes[code.text] }
        return rowIndex(numericKey: key)
    }

    /// Row `row`'s code, when it is the first row of that code in the table. A numeric code is
    /// built from the number and length the index already read (no second reading of its text).
    func firstCode(_ row: Int) -> Code? {
        guard let text = table.rows[row].code else { return nil }
        let number = codeNumber(row)
        guard number >= 0 else {
            let c = Code(text)
            return rowIndex(c) == row ? c : nil
        }
        let length = codeLength(row)
        return rowIndex(numericKey: number << 5 | Int64(length)) == row ? Code(text: text, number: number, length: length) : nil
    }

    /// The first row of the numeric code with this `Code.key`.
    func rowIndex(numericKey key: Int64) -> Int? {
        guard numericCount > 0, key >= 0 else { return nil }
        // (Slots below `numericSlots`, which holds an empty one: the probe ends.)
        var i = TableIndex.slot(key, numericShift)
        while true {
            let k = numericCodes[i]
            if k == key { return Int(numericCodes[numericSlots + i]) }
            if k < 0 { return nil }
            i = (i &+ 1) & (numericSlots &- 1)
        }
    }

    /// A numeric code key's first slot: the top bits of its product with a large odd constant
    /// (Fibonacci hashing; `shift` is 64 minus the slots' bits, so the slot is below their count).
    @inline(__always)
    static func slot(_ key: Int64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) &>> shift)
    }

    func row(code: String) -> Row? { rowIndex(Code(code)).map { table.rows[$0] } }
    /// The amount of row `row` in column `columns[column]`.
    /// (Here and in the helpers below, cell positions are worked out with wrapping arithmetic:
    /// a row below `rowCount` and a column below `width` give a position below the cell count,
    /// and the integers are read through an unchecked pointer, which an overflow check on the
    /// position would not make any safer.)
    func cell(_ row: Int, _ column: Int) -> Amount? {
        let k = row &* width &+ column
        let d = ints[decimalsBase &+ k]
        return d < 0 ? nil : Amount(mantissa: ints[mantissaBase + k], decimals: Int(d))
    }

    /// Σ the terms (`Term(_:)`) of `rows`' amounts in column `column`, added as they are read (the
    /// same additions in the same order as `Term.sum` of them: nil on any overflow), and how many
    /// of the amounts read as terms. No array per column.
    @inline(__always)
    func termSum(_ rows: some Sequence<Int>, column: Int) -> (terms: Int, sum: Term?) {
        var terms = 0
        var sum: Term? = Term.zero
        for r in rows {
            guard let v = cell(r, column), let term = Term(v) else { continue }
            terms += 1
            sum = sum?.plus(term)
        }
        return (terms, sum)
    }

    /// The amount row `row` prints in the column named `name` (`table.rows[row].values[name]`,
    /// without copying the row or hashing the name); nil without a row.
    func value(_ row: Int?, _ name: String) -> Amount? {
        guard let row, let c = column(name) else { return nil }
        return cell(row, c)
    }

    /// True when row `row` prints an amount in column `columns[column]` (`cell(row, column) != nil`).
    @inline(__always)
    func printed(_ row: Int, _ column: Int) -> Bool { ints[decimalsBase &+ row &* width &+ column] >= 0 }

    /// True when row `row` prints, in column `column`, the same digits at the same decimals as
    /// `other` prints at `otherRow`, `otherColumn` (both printed).
    @inline(__always)
    func sameCell(_ row: Int, _ column: Int, as other: TableIndex, _ otherRow: Int, _ otherColumn: Int) -> Bool {
        let k = row &* width &+ column, o = otherRow &* other.width &+ otherColumn
        let d = ints[decimalsBase + k]
        return d >= 0 && d == other.ints[other.decimalsBase + o] && ints[mantissaBase + k] == other.ints[other.mantissaBase + o]
    }

    /// The largest mantissa (in magnitude) `exactSum` takes. Below it a cell's rounding interval
    /// (`Term`) always exists, and sums of up to `exactSumMaxTerms` such cells, and of their
    /// intervals, stay far inside Int64: the sum `Term.sum`/`Term.plus` would build is never nil.
    static let exactSumMaxMantissa: Int64 = 100_000_000_000_000   // 10^14
    static let exactSumMaxTerms = 9_000

    /// Whether the printed cells of `rows` in `column` add up, digit for digit, to the printed
    /// cell of row `total` there: every one of them printed at the same decimals as the total, at
    /// least one printed, all within `exactSumMaxMantissa`, and the mantissas' sum equal to the
    /// total's. When true, `Term` arithmetic would find the sum `.exact` (same decimals, same
    /// mantissa) with no overflow on the way; when false, nothing is known (the caller works it
    /// out with `Term`s). Integers only: no `Amount`, `Interval` or `Term` is built.
    func exactSum(_ rows: [Int], column: Int, total: Int) -> Bool {
        exactSum(count: rows.count, target: total &* width &+ column) { rows[$0] &* width &+ column }
    }

    /// `exactSum` of rows listed in a buffer.
    func exactSum(_ rows: UnsafeBufferPointer<Int>, column: Int, total: Int) -> Bool {
        exactSum(count: rows.count, target: total &* width &+ column) { rows[$0] &* width &+ column }
    }

    /// `exactSum` over the cells of row `row` in `columns` against its cell in column `total`.
    func exactRowSum(_ row: Int, columns: [Int], total: Int) -> Bool {
        columns.withUnsafeBufferPointer { exactRowSum(row, columns: $0, total: total) }
    }

    /// `exactRowSum` of columns listed in a buffer (the order of the cells does not change an
    /// exact sum).
    func exactRowSum(_ row: Int, columns: UnsafeBufferPointer<Int>, total: Int) -> Bool {
        let base = row &* width
        return exactSum(count: columns.count, target: base &+ total) { base &+ columns[$0] }
    }

    /// The columns (positions below 64, as bits) where `sumCheck` has nothing to do for parent
    /// row `p` and child rows `rows`: where `exactSum(rows, column:, total: p)` holds, or where
    /// neither the parent nor any child prints a cell. Every column in one pass over the
    /// integers; a column left out here is worked out as before (so a table wider than 64
    /// columns, or with `exactSumMaxTerms` children or more, is settled nowhere).
    func settledColumns(_ rows: UnsafeBufferPointer<Int>, parent p: Int) -> UInt64 {
        guard rows.count < TableIndex.exactSumMaxTerms else { return 0 }
        let limit = TableIndex.exactSumMaxMantissa.magnitude
        let mantissas = ints + mantissaBase, decimals = ints + decimalsBase
        var settled: UInt64 = 0
        // (Rows below `rowCount` and columns below `width`: every cell position is below
        // `rowCount * width`, so it is worked out without overflow checks.)
        for c in 0..<min(width, 64) {
            let t = p &* width &+ c
            let d = decimals[t]
            var sum: Int64 = 0
            var printed = false
            var exact = true
            for r in rows {
                let k = r &* width &+ c
                let e = decimals[k]
                if e < 0 { continue }
                printed = true
                let m = mantissas[k]
                if e != d || m.magnitude > limit { exact = false }
                sum &+= m
            }
            if d < 0 {
                if !printed { settled |= 1 << UInt64(c) }
            } else if exact && printed && mantissas[t].magnitude <= limit && sum == mantissas[t] {
                settled |= 1 << UInt64(c)
            }
        }
        return settled
    }

    /// The known keys the table carries (`ColumnID`s as bits).
    var knownColumns: UInt64 { knownMask }

    /// Whether row `row` prints an amount in some known column of the bit set `known`.
    func printsAny(_ row: Int, known: UInt64) -> Bool {
        var bits = known
        while bits != 0 {
            if printed(row, TableIndex.position(known: bits.trailingZeroBitCount, in: knownMask)) { return true }
            bits &= bits - 1
        }
        return false
    }

    /// `exactSum` of `count` cells, the `i`th at flat position `cell(i)`, against the cell at flat
    /// position `target`.
    @inline(__always)
    private func exactSum(count: Int, target t: Int, cell: (Int) -> Int) -> Bool {
        let d = ints[decimalsBase &+ t]
        guard d >= 0, count < TableIndex.exactSumMaxTerms else { return false }
        let limit = TableIndex.exactSumMaxMantissa
        let target = ints[mantissaBase &+ t]
        guard target.magnitude <= limit.magnitude else { return false }
        var sum: Int64 = 0
        var printed = 0
        for i in 0..<count {
            let k = cell(i)
            let e = ints[decimalsBase &+ k]
            if e < 0 { continue }
            let m = ints[mantissaBase &+ k]
            guard e == d, m.magnitude <= limit.magnitude else { return false }
            sum &+= m
            printed &+= 1
        }
        return printed > 0 && sum == target
    }
    /// The first row whose normalised label is `label` (already normalised). A scan: labels are
    /// looked up a few times per table, and hashing Chinese text costs more than comparing it.
    func row(normalized label: String) -> Row? { rowIndex(normalized: label).map { table.rows[$0] } }

    /// `labels.firstIndex(of: label)`, comparing bytes where both labels are simple text (see
    /// `DocumentRules.isSimple`: canonical equality is byte equality there).
    func rowIndex(normalized label: String) -> Int? {
        let q = FastText.Word(label)
        let labels = self.labels
        guard q.simple else { return labels.firstIndex(of: label) }
        let simple = simpleLabels
        let found: Int?? = label.utf8.withContiguousStorageIfAvailable { b -> Int? in
            for i in labels.indices {
                if simple[i] {
                    let same = labels[i].utf8.withContiguousStorageIfAvailable { l -> Bool in
                        guard l.count == b.count else { return false }
                        var k = 0
                        while k < l.count && l[k] == b[k] { k += 1 }
                        return k == l.count
                    } ?? (labels[i] == label)
                    if same { return i }
                } else if labels[i] == label {
                    return i
                }
            }
            return nil
        }
        if let found { return found }
        return labels.firstIndex(of: label)
    }


    /// Each expenditure line's function class (类) code by its name (two-sided tables print
    /// names, not codes); nil for other rows (X-FUNC compares expenditure lines only).
    lazy var functionClasses: [String?] = {
        let simple = simpleLabels
        let rows = table.rows
        let labels = self.labels
        return labels.indices.map { i in
            rows[i].side == .expenditure ? RuleTables.functionClassTable[labels[i], simple: simple[i]] : nil
        }
    }()

    /// The recognised lines of a two-sided table, worked out once.
    lazy var sides = TableRules.TwoSided(self)
}

/// A table's column keys in print order: the known keys it carries (`ColumnID`s, as bits) in id
/// order, then the others sorted. Position p names its key without an array of names per table
/// (building one, and freeing it with the index, cost more than the rules' few reads of names).
struct TableColumns: RandomAccessCollection {
    let knownMask: UInt64
    /// The keys the catalogue does not know, sorted (empty for nearly every table).
    let others: [String]
    private let knownCount: Int

    init(knownMask: UInt64, others: [String]) {
        self.knownMask = knownMask
        self.others = others
        knownCount = knownMask.nonzeroBitCount
    }

    var startIndex: Int { 0 }
    var endIndex: Int { knownCount + others.count }

    /// The key at position `p`: below `knownCount`, the known key of the p-th lowest bit.
    subscript(p: Int) -> String {
        guard p < knownCount else { return others[p - knownCount] }
        precondition(p >= 0, "TableColumns: negative position")
        var bits = knownMask
        for _ in 0..<p { bits &= bits - 1 }
        return ColumnID.known[bits.trailingZeroBitCount]
    }

    /// `firstIndex(of: name)` for a name that is no known key (`ColumnID.of(name) == nil`): only
    /// the others can equal it.
    func position(ofOther name: String) -> Int? {
        others.firstIndex(of: name).map { knownCount + $0 }
    }
}

/// The integers of a run's table indexes (`TableIndex.ints`, `numericCodes`), in few
/// allocations: each index claims a region and keeps a pointer to it; regions never move (a
/// claim that does not fit takes a new chunk), and every chunk is freed with the arena, when
/// the last index that holds it goes. One allocation per document instead of two per table: the
/// allocations and frees, and the heap's consolidation they caused, cost more than reading
/// the tables.
final class IndexArena {
    private var chunks: [UnsafeMutablePointer<Int64>] = []
    private var next: UnsafeMutablePointer<Int64>?
    private var left = 0

    init(capacity: Int) {
        grow(max(capacity, 16))
    }

    private func grow(_ n: Int) {
        let p = UnsafeMutablePointer<Int64>.allocate(capacity: n)
        chunks.append(p)
        next = p
        left = n
    }

    /// `n` integers, not initialised.
    func claim(_ n: Int) -> UnsafeMutablePointer<Int64> {
        if n > left || next == nil { grow(max(n, 256)) }
        guard let p = next else { preconditionFailure("IndexArena: no chunk") }
        next = p + n
        left -= n
        return p
    }

    deinit {
        for c in chunks { c.deallocate() }
    }
}

/// Shared state of one reconciliation run: the document, the message language, the findings,
/// and the per-table indexes the rules query.
final class Context {
    let doc: BudgetDocument
    let language: ReportLanguage
    private(set) var findings: [Finding] = []
    /// The precision (decimals) most table amounts are printed with; narrative amounts that drop
    /// trailing zeros are read at it.
    /// (What is fixed once the indexes are built is `let`: a class's `var` is read with a dynamic
    /// exclusivity check, and the rules read these for every lookup.)
    let tablePrecision: Int
    /// One index per document table, in document order.
    let indexes: [TableIndex]
    /// The first filled table of each kind.
    /// By `TableKind.allCases` position (an array: hashing a kind hashes its raw string).
    private let firstFilled: [Int?]
    private let firstOfKind: [Int?]
    /// Normalises labels (and remembers the costly ones).
    private let normalizer: LabelNormalizer
    /// Whether `UnitAlignment` converted amounts printed in another unit: a narrative amount is
    /// then read at its own precision only (a converted table amount's many decimals do not say
    /// the narrative dropped trailing zeros).
    let unitsConverted: Bool

    /// `TableKind.allCases` is computed (a new array) on every access: keep one.
    private static let kinds = TableKind.allCases

    /// The position of `kind` in `TableKind.allCases` (what the per-kind arrays are indexed by),
    /// by a switch: a search of the list compared the kind with every case before it, at each of
    /// the rules' lookups. (The switch is exhaustive, so a new kind must be numbered here; a test
    /// holds the numbers to the list.)
    static func ordinal(_ kind: TableKind) -> Int {
        switch kind {
        case .summary: 0
        case .income: 1
        case .expenditure: 2
        case .fiscalSummary: 3
        case .generalFunction: 4
        case .generalEconomic: 5
        case .basicEconomic: 6
        case .projectEconomic: 7
        case .threePublic: 8
        case .govFund: 9
        case .stateCapital: 10
        case .basicByCategory: 11
        case .projectList: 12
        case .performance: 13
        case .other: 14
        }
    }

    init(doc: BudgetDocument, language: ReportLanguage, unitsConverted: Bool = false) {
        self.doc = doc
        self.language = language
        self.unitsConverted = unitsConverted
        let normalizer = LabelNormalizer()
        self.normalizer = normalizer
        // The most frequent number of decimals among table amounts (ties: the larger), counted by
        // the table indexes as they read the cells.
        var counts = [Int](filled: 0, count: Amount.maxDecimals + 1)
        var indexes: [TableIndex] = []
        indexes.reserveCapacity(doc.tables.count)
        var firstFilled = [Int?](filled: nil, count: Context.kinds.count)
        var firstOfKind = [Int?](filled: nil, count: Context.kinds.count)
        // By position: `enumerated()` copies each table, field by field (the index keeps one copy).
        let tables = doc.tables
        // One closure for every index (each keeps it to normalise its labels when asked).
        let norm = normalizer.norm
        // Every index's integers in one arena, sized for the tables' headers.
        var capacity = 0
        for i in tables.indices { capacity += TableIndex.estimate(tables[i]) }
        let arena = IndexArena(capacity: capacity)
        for i in tables.indices {
            indexes.append(TableIndex(tables[i], norm: norm, decimals: &counts, arena: arena))
            let k = Context.ordinal(tables[i].kind)
            if !tables[i].empty && !tables[i].rows.isEmpty && firstFilled[k] == nil { firstFilled[k] = i }
            if firstOfKind[k] == nil { firstOfKind[k] = i }
        }
        var best = -1
        for (d, n) in counts.enumerated() where n > 0 && (best < 0 || n >= counts[best]) { best = d }
        tablePrecision = best < 0 ? 2 : best
        self.indexes = indexes
        self.firstFilled = firstFilled
        self.firstOfKind = firstOfKind
    }

    /// `Label.normalized` (row labels are normalised once, in their table's index).
    func norm(_ label: String) -> String { normalizer.norm(label) }

    /// The index of a document table.
    func index(_ t: Table) -> TableIndex {
        // Most tables the rules hold are the first filled one of their kind.
        if let i = firstFilled[Context.ordinal(t.kind)], indexes[i].table.line == t.line, indexes[i].table.title == t.title {
            return indexes[i]
        }
        // Else the table printed at that line (a scan: a dozen tables, and most lookups are
        // answered above); of that kind and title when several share the line.
        let tables = doc.tables
        var atLine = 0
        for i in tables.indices where tables[i].line == t.line { atLine += 1 }
        for i in tables.indices where tables[i].line == t.line && tables[i].kind == t.kind && (atLine == 1 || tables[i].title == t.title) {
            return indexes[i]
        }
        var unused = [Int](repeating: 0, count: Amount.maxDecimals + 1)
        return TableIndex(t, norm: normalizer.norm, decimals: &unused)
    }

    /// `index(doc.tables[i])`, without copying the table to ask (the same choice, read from the
    /// tables in place).
    func index(at i: Int) -> TableIndex {
        let tables = doc.tables
        if let f = firstFilled[Context.ordinal(tables[i].kind)], indexes[f].table.line == tables[i].line,
           indexes[f].table.title == tables[i].title {
            return indexes[f]
        }
        let line = tables[i].line
        var atLine = 0
        for j in tables.indices where tables[j].line == line { atLine += 1 }
        for j in tables.indices where tables[j].line == line && tables[j].kind == tables[i].kind
            && (atLine == 1 || tables[j].title == tables[i].title) {
            return indexes[j]
        }
        return indexes[i]
    }

    func text(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }

    /// Only the message of the report's language is built.
    func add(_ rule: String, _ severity: Severity, zh: @autoclosure () -> String, en: @autoclosure () -> String,
             refs: [FindingRef], expected: String, found: String) {
        findings.append(Finding(rule: rule, severity: severity, message: language == .zh ? zh() : en(), refs: refs, expected: expected, found: found))
    }

    /// Emits the finding a comparison calls for: nothing when the printed digits agree, an `info`
    /// when only the rounding intervals agree (尾差), `severity` when they do not.
    /// `what` names the relation; it is followed by the compared values.
    @discardableResult
    func compare(_ rule: String, expected: Term, found: Term, severity: Severity = .error,
                 whatZH makeZH: @autoclosure () -> String, whatEN makeEN: @autoclosure () -> String,
                 refs makeRefs: @autoclosure () -> [FindingRef],
                 expectedText makeExpected: @autoclosure () -> String? = nil,
                 adviceZH: String? = nil, adviceEN: String? = nil) -> Agreement {
        compare(rule, expected: expected, found: found, severity: severity,
                what: { m, english in m.add(english ? makeEN() : makeZH()) },
                refs: makeRefs(), expectedText: makeExpected(), adviceZH: adviceZH, adviceEN: adviceEN)
    }

    /// `compare` with the relation's words written straight into the message by `what` (in
    /// English when its second argument is true): no String of them made, checked and copied
    /// into the message.
    @discardableResult
    func compare(_ rule: String, expected: Term, found: Term, severity: Severity = .error,
                 what: (inout TextBuffer, Bool) -> Void,
                 refs makeRefs: @autoclosure () -> [FindingRef],
                 expectedText makeExpected: @autoclosure () -> String? = nil,
                 adviceZH: String? = nil, adviceEN: String? = nil) -> Agreement {
        let a = expected.agreement(with: found)
        if a == .exact { return a }
        // Messages and places are built only for a finding.
        let exp = makeExpected() ?? expected.amount.printed
        let refs = makeRefs()
        let zh = language == .zh
        // Only the message of the report's language, in one byte buffer.
        var m = TextBuffer(capacity: 400)
        what(&m, !zh)
        let foundText = found.amount.printed
        m.add(zh ? "：应为 " : ": expected ")
        m.add(exp)
        m.add(zh ? "，实为 " : ", found ")
        m.add(foundText)
        switch a {
        case .exact:
            break
        case .rounding:
            m.add(zh ? "，差额在四舍五入区间内（尾差），无需更正。"
                     : "; the difference lies within the rounding intervals (rounding difference), no correction needed.")
            findings.append(Finding(rule: rule, severity: .info, message: m.string, refs: refs, expected: exp, found: foundText))
        case .mismatch:
            let diff = found.amount.subtracting(expected.amount)?.printed ?? "?"
            m.add(zh ? "（差 " : " (difference ")
            m.add(diff)
            m.add(zh ? "），超出四舍五入区间。" : "), beyond rounding. ")
            if zh { m.add(adviceZH ?? "请核对并更正其中一方。") } else { m.add(adviceEN ?? "Check both figures and correct the wrong one.") }
            findings.append(Finding(rule: rule, severity: severity, message: m.string, refs: refs, expected: exp, found: foundText))
        }
        return a
    }

    // MARK: Table helpers

    func term(_ row: Row?, _ column: String) -> Term? {
        guard let v = row?.values[column] else { return nil }
        return Term(v)
    }

    /// The whole-table total row (合计/总计, no code).
    func totalRow(_ table: Table?) -> Row? {
        guard let table else { return nil }
        return index(table).total
    }

    /// The first row with this code.
    func row(_ table: Table, code: String) -> Row? { index(table).row(code: code) }

    /// The first row whose label, normalised, equals this one (`Table.row(label:)`).
    func row(_ table: Table, label: String) -> Row? { index(table).row(normalized: norm(label)) }

    /// The recognised lines of the first summary and fiscal_summary tables.
    /// (Looked up once: the text rules ask for them for every fact.)
    lazy var summarySides: TableRules.TwoSided? = first(.summary).map { index($0).sides }
    lazy var fiscalSides: TableRules.TwoSided? = first(.fiscalSummary).map { index($0).sides }

    /// `ref(x.table, x.table.rows[row], column)`, the label taken from the index.
    func ref(_ x: TableIndex, _ row: Int, _ column: String?) -> FindingRef {
        FindingRef(table: x.table.kind.rawValue, code: x.table.rows[row].code, label: x.label(row),
                   column: column, line: x.table.rows[row].line ?? x.table.line)
    }

    func ref(_ table: Table, _ row: Row?, _ column: String?) -> FindingRef {
        FindingRef(table: table.kind.rawValue, code: row?.code, label: row.map { norm($0.label) },
                   column: column, line: row?.line ?? table.line)
    }

    /// The index of `first(kind)`.
    func firstIndex(_ kind: TableKind) -> TableIndex? { firstFilled[Context.ordinal(kind)].map { indexes[$0] } }

    /// The first table of a kind that carries numbers (declared-empty tables excluded).
    func first(_ kind: TableKind) -> Table? { firstFilled[Context.ordinal(kind)].map { doc.tables[$0] } }
    /// The first table of a kind, filled or not.
    func firstAny(_ kind: TableKind) -> Table? { firstOfKind[Context.ordinal(kind)].map { doc.tables[$0] } }
    /// The index of `firstAny(kind)`.
    func firstAnyIndex(_ kind: TableKind) -> TableIndex? { firstOfKind[Context.ordinal(kind)].map { indexes[$0] } }

    /// The amount a function table gives a code: the row with that code, else the sum of the
    /// top-most rows under it (a table that prints only 项 rows still yields its 类 amount).
    func functionAmount(_ table: Table, code: String, column: String) -> Term? {
        let x = index(table)
        return functionAmount(x, code: Code(code), column: x.column(column))
    }

    /// `functionAmount` on a table's index, the column given by its position in `x.columns`
    /// (nil when the table has no such column).
    func functionAmount(_ x: TableIndex, code q: Code, column: Int?) -> Term? {
        func term(_ i: Int) -> Term? { column.flatMap { x.cell(i, $0) }.flatMap { Term($0) } }
        // (A row that prints no cell at all has no value; one that prints others is blank here.)
        if let i = x.rowIndex(q) { return term(i) ?? ((0..<x.width).contains { x.printed(i, $0) } ? .blank : nil) }
        if x.allNumeric && q.number >= 0 {
            // The same rows, on the codes as numbers, in one pass: a row strictly under `code`
            // is top-most there when no printed code between them is a prefix of its code, that
            // is when its longest printed proper prefix is no longer than `code`. Summed as
            // `Term.sum` sums (same additions, same order), without a list of rows or terms.
            let inner = x.longestPrintedPrefix
            var sum: Term? = Term.zero
            var any = false
            // Read through buffers, without a bounds check per row: `inner` holds a length per
            // row, and a numeric code longer than `q` is so by 1…16 digits (at most 17 in all),
            // below the count of `Code.powers`.
            inner.withUnsafeBufferPointer { inner in
                Code.powers.withUnsafeBufferPointer { powers in
                    for i in 0..<x.rowCount {
                        let length = x.codeLength(i)
                        guard length > q.length && inner[i] <= q.length,
                              x.codeNumber(i) / powers[length &- q.length] == q.number else { continue }
                        any = true
                        sum = sum?.plus(term(i) ?? .blank)
                    }
                }
            }
            return any ? sum : nil
        }
        let under: [Int]
        if let u = q.key.flatMap({ x.under[$0] }) ?? (q.key == nil ? x.underOther[q.text] : nil) {
            under = u
        } else {
            // Rows strictly under `code` with no other printed code between them and it.
            let below = x.codes.indices.filter { i in
                guard let c = x.codes[i] else { return false }
                return c.hasPrefix(q) && !c.same(q)
            }
            under = below.filter { i in
                guard let c = x.codes[i] else { return false }
                return !below.contains { j in
                    guard let oc = x.codes[j] else { return false }
                    return !oc.same(c) && c.hasPrefix(oc)
                }
            }
            if let key = q.key { x.under[key] = under } else { x.underOther[q.text] = under }
        }
        if under.isEmpty { return nil }
        return Term.sum(under.map { term($0) ?? .blank })
    }

    /// A narrative amount as a term, read at the tables' precision.
    func narrative(_ amount: Amount, like table: Amount? = nil) -> Term? {
        if unitsConverted { return Term(amount) }
        return Term(amount, readAt: max(table?.decimals ?? tablePrecision, amount.decimals))
    }
}

extension Severity {
    var labelZH: String {
        switch self {
        case .error: "错误"
        case .warning: "警告"
        case .info: "提示"
        }
    }
}

/// A `[String: V]` of `RuleTables` looked up by UTF-8 bytes where that gives the same answer:
/// hashing Chinese text (Unicode-normalising) costs far more than comparing a few byte strings.
/// A key whose bytes equal the label's is the key the dictionary finds (equal bytes, equal
/// Strings). Otherwise bytes decide only when the key and the label are both simple text (see
/// `DocumentRules.isSimple`: no scalar there composes, decomposes or is equivalent to another),
/// where canonical equality — what `String ==` and hashing use — is byte equality: a simple label
/// no key's bytes equal is in no key.
struct LabelTable<V: Sendable>: Sendable {
    let dictionary: [String: V]
    /// The keys' bytes, found by a hash of them (nil when some key is not simple: every lookup
    /// then hashes the String). One object read through pointers: a lookup retains nothing per
    /// field (a struct of arrays, read from a static, was retained and released array by array).
    private let bytes: LabelBytes?
    /// `values[k]`: the value of key k of `bytes`.
    private let values: [V]

    init(_ d: [String: V]) {
        dictionary = d
        // Sorted keys (by length, then text): the layout never depends on hash order.
        let keys = d.keys.sorted { a, b in a.utf8.count == b.utf8.count ? a < b : a.utf8.count < b.utf8.count }
        var values: [V] = []
        var simple = true
        for k in keys {
            var key = k
            guard key.withUTF8(DocumentRules.isSimple), let v = d[k] else { simple = false; break }
            values.append(v)
        }
        self.bytes = simple ? LabelBytes(keys.map { Array($0.utf8) }) : nil
        self.values = simple ? values : []
    }

    subscript(_ label: String) -> V? {
        guard let bytes else { return dictionary[label] }
        // The key with the label's bytes, if any; else the label's simplicity decides: -1, a
        // simple label, is in no key; -2, a label that is not simple or has no contiguous UTF-8,
        // is hashed.
        let found: Int = label.utf8.withContiguousStorageIfAvailable { b -> Int in
            let k = bytes.find(b)
            if k >= 0 { return k }
            return DocumentRules.isSimple(b) ? -1 : -2
        } ?? -2
        if found >= 0 { return values[found] }
        if found == -1 { return nil }
        return dictionary[label]
    }

    /// The lookup of a label whose simplicity is known (`simple`: `DocumentRules.isSimple` of it).
    subscript(_ label: String, simple simple: Bool) -> V? {
        guard let bytes else { return dictionary[label] }
        let found: Int = label.utf8.withContiguousStorageIfAvailable { b -> Int in
            let k = bytes.find(b)
            if k >= 0 { return k }
            return simple ? -1 : -2
        } ?? -2
        if found >= 0 { return values[found] }
        if found == -1 { return nil }
        return dictionary[label]
    }
}

/// Byte strings (a `LabelTable`'s keys) in one allocation, found by a hash of their bytes in an
/// open-addressed table: one probe and one comparison for most lookups, instead of comparing the
/// label with every key of its length.
final class LabelBytes: @unchecked Sendable {
    // (Immutable once built: `@unchecked` only because the storage is a raw allocation.)
    /// Key k's bytes are `data[start(k)..<start(k + 1)]`: `starts` holds `count + 1` offsets.
    private let data: UnsafeMutablePointer<UInt8>
    private let starts: UnsafeMutablePointer<Int>
    /// `slots[i]`: a key's number, or -1 for an empty slot; `mask + 1` slots (a power of two, at
    /// least twice the keys: a probe sequence always reaches an empty slot).
    private let slots: UnsafeMutablePointer<Int>
    private let mask: Int
    let count: Int

    init(_ keys: [[UInt8]]) {
        count = keys.count
        let total = keys.reduce(0) { $0 + $1.count }
        data = UnsafeMutablePointer<UInt8>.allocate(capacity: max(total, 1))
        starts = UnsafeMutablePointer<Int>.allocate(capacity: keys.count + 1)
        var at = 0
        for (k, key) in keys.enumerated() {
            starts[k] = at
            for c in key {
                data[at] = c
                at += 1
            }
        }
        starts[keys.count] = at
        var size = 4
        while size < 2 * keys.count { size *= 2 }
        mask = size - 1
        slots = UnsafeMutablePointer<Int>.allocate(capacity: size)
        slots.initialize(repeating: -1, count: size)
        for (k, key) in keys.enumerated() {
            let h = key.withUnsafeBufferPointer(LabelBytes.hash)
            var i = h & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = k
        }
    }

    deinit {
        data.deallocate()
        starts.deallocate()
        slots.deallocate()
    }

    /// A hash of a byte string: its length and its first and last eight bytes (all of them when
    /// shorter), mixed. Equal strings hash alike; others collide only by chance.
    @inline(__always)
    static func hash(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        let n = b.count
        var h = UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15
        if n >= 8, let p = b.baseAddress {
            // (Both loads lie inside the buffer: n ≥ 8.)
            let raw = UnsafeRawPointer(p)
            h ^= raw.loadUnaligned(as: UInt64.self)
            h = (h ^ (h >> 31)) &* 0xBF58_476D_1CE4_E5B9
            h ^= raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        } else {
            for c in b { h = (h ^ UInt64(c)) &* 0x0000_0100_0000_01B3 }
        }
        h = (h ^ (h >> 29)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: h ^ (h >> 32))
    }

    /// The number of the key whose bytes are `b`'s, or -1.
    func find(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        let n = b.count
        var i = LabelBytes.hash(b) & mask
        while true {
            let k = slots[i]
            if k < 0 { return -1 }
            let s = starts[k]
            // (Key k's bytes are `data[s..<s + n]` when its length is n.)
            if starts[k + 1] - s == n {
                var j = 0
                if let q = b.baseAddress {
                    // Eight bytes at a time, then the rest byte by byte (every load lies inside
                    // both strings: j + 8 ≤ n).
                    let x = UnsafeRawPointer(data + s), y = UnsafeRawPointer(q)
                    while j + 8 <= n && x.loadUnaligned(fromByteOffset: j, as: UInt64.self) == y.loadUnaligned(fromByteOffset: j, as: UInt64.self) {
                        j += 8
                    }
                }
                while j < n && data[s + j] == b[j] { j += 1 }
                if j == n { return k }
            }
            i = (i + 1) & mask
        }
    }
}

extension RuleTables {
    /// `functionClasses` and `expenditureNatureLines` for lookups by label.
    static let functionClassTable = LabelTable(functionClasses)
    static let expenditureNatureTable = LabelTable(expenditureNatureLines)
}

/// `Label.normalized` for one run. Simple labels are normalised on their scalars; the few others
/// are costly to normalise: those are remembered.
final class LabelNormalizer {
    private var normalizedLabels: [String: String] = [:]

    func norm(_ label: String) -> String {
        if FastText.isNormal(label) { return label }
        // Simple text (nearly every label) is normalised on its scalars, cheaper than hashing it.
        if let n = FastText.normalizedSimple(label) { return n }
        if let n = normalizedLabels[label] { return n }
        let n = Label.normalized(label)
        normalizedLabels[label] = n
        return n
    }
}

/// Finding text put together as UTF-8 bytes in one buffer and made a String once: cheaper than
/// interpolating or appending Strings piece by piece (each append checks and may grow the
/// String). Same characters.
struct TextBuffer: ~Copyable {
    /// The text is `base[0..<count]`, in memory of its own (`capacity` bytes): each piece is
    /// copied in with one `memmove`, with no check of an array's uniqueness or capacity through
    /// its general paths (a message takes a dozen pieces or more).
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0
    /// Whether every byte came from a String or an amount's digits, so the text is valid UTF-8
    /// as it stands; false once bytes of unknown origin are added (`add(_:)` of a buffer or a
    /// Substring), and the text is then read as `String(decoding:)` reads it.
    private var valid = true

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deallocate()
    }

    mutating func add(_ s: String) {
        // (A String without contiguous UTF-8 is made contiguous in a copy.)
        if s.utf8.withContiguousStorageIfAvailable({ append($0) }) == nil {
            var copy = s
            copy.withUTF8 { append($0) }
        }
    }

    /// `add(a.printed)`, the digits written straight in (ASCII).
    mutating func add(_ a: Amount) {
        a.withPrintedBytes { append($0) }
    }

    /// Appends the bytes (read, with the rest of the text, as `String(decoding:)` reads them).
    mutating func add(_ b: UnsafeBufferPointer<UInt8>) {
        valid = false
        append(b)
    }

    /// Appends bytes, making room (at least doubled) first when they do not fit.
    private mutating func append(_ b: UnsafeBufferPointer<UInt8>) {
        let n = b.count
        guard n > 0, let source = b.baseAddress else { return }
        if count + n > capacity {
            let grown = max(count + n, 2 * capacity)
            let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
            moved.initialize(from: base, count: count)
            base.deallocate()
            base = moved
            capacity = grown
        }
        // (`count + n <= capacity`: room was made above.)
        (base + count).initialize(from: source, count: n)
        count += n
    }

    /// `add(String(n))`: an integer's digits are an amount's at no decimals.
    mutating func add(_ n: Int) {
        add(Amount(mantissa: Int64(n), decimals: 0))
    }

    /// `add(String(s))`, without the String.
    mutating func add(_ s: Substring) {
        if s.utf8.withContiguousStorageIfAvailable({ add($0) }) == nil { add(String(s)) }
    }

    /// The text. Bytes that are all whole Strings and ASCII digits are valid UTF-8 as they stand
    /// (a concatenation of valid UTF-8 is valid): the String is made from them without checking
    /// them again, which `String(decoding:)` does byte by byte (most of a Chinese message's cost).
    var string: String {
        let text = UnsafeBufferPointer(start: base, count: count)
        return valid ? String.fromValidUTF8(text) : String(decoding: text, as: UTF8.self)
    }
}

/// The standard library's `String._uncheckedFromUTF8(_:)` (what `String(decoding:as:)` calls once
/// it has validated the bytes): a String of the bytes, copied, not checked. Only for bytes known
/// to be valid UTF-8 (`TextBuffer.string`). (An ABI entry point of the standard library, declared
/// here by its symbol: it has no public spelling.)
extension String {
    @_silgen_name("$sSS18_uncheckedFromUTF8ySSSRys5UInt8VGFZ")
    fileprivate static func fromValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> String
}

extension Array where Element: BitwiseCopyable {
    /// `Array(repeating: value, count: count)`, without the standard library's out-of-line
    /// allocation of an exact buffer (`init(repeating:)` and `init(unsafeUninitializedCapacity:)`
    /// both look the storage class's generic metadata up at run time, several hundred
    /// instructions per array, several arrays per table): room reserved here (its metadata is
    /// cached where the compiler specialises the call), then filled.
    @inline(__always)
    init(filled value: Element, count: Int) {
        self.init()
        reserveCapacity(count)
        append(contentsOf: repeatElement(value, count: count))
    }
}
