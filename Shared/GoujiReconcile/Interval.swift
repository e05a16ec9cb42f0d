import GoujiModel

/// The rounding interval of a printed amount (CHECKS.md "Rounding"): a value printed with d
/// decimals stands for [v − ½·10⁻ᵈ, v + ½·10⁻ᵈ]. Bounds are exact integers at `scale` decimals,
/// never floats. Sums add intervals; a check passes when the two sides' intervals overlap.
///
/// This is the one place interval arithmetic lives: the reconciler and the store's Y-CHANGE rule
/// both use it.
public struct Interval: Sendable, Hashable, CustomStringConvertible {
    /// Lower bound times 10^scale.
    public let lower: Int64
    /// Upper bound times 10^scale.
    public let upper: Int64
    /// Decimals of `lower` and `upper`.
    public let scale: Int

    /// The largest scale used (Amount.maxDecimals plus the half-unit digit).
    public static let maxScale = Amount.maxDecimals + 1

    public init(lower: Int64, upper: Int64, scale: Int) {
        self.lower = min(lower, upper)
        self.upper = max(lower, upper)
        self.scale = scale
    }

    /// The interval a printed amount stands for, at its own printed precision.
    public init?(printed amount: Amount) {
        self.init(printed: amount, readAt: amount.decimals)
    }

    /// The interval of an amount read at `decimals` of precision (a narrative `106.1` restating a
    /// table's `106.10` reads at 2). A precision below the printed one is never used: the amount's
    /// own decimals are the floor.
    public init?(printed amount: Amount, readAt decimals: Int) {
        let d = min(max(decimals, amount.decimals), Amount.maxDecimals)
        let m: Int64
        if d == amount.decimals {
            m = amount.mantissa
        } else {
            guard let x = amount.mantissa(atDecimals: d) else { return nil }
            m = x
        }
        let (c, o) = m.multipliedReportingOverflow(by: 10)
        if o { return nil }
        self.init(lower: c - 5, upper: c + 5, scale: d + 1)
    }

    /// A point interval: an exact value with no rounding (a computed difference, a zero for a blank cell).
    public init?(exact amount: Amount) {
        guard let m = amount.mantissa(atDecimals: amount.decimals) else { return nil }
        self.init(lower: m, upper: m, scale: amount.decimals)
    }

    public static let zero = Interval(lower: 0, upper: 0, scale: 0)

    /// The same interval at a larger scale; nil on overflow.
    public func rescaled(to s: Int) -> Interval? {
        guard s > scale else { return s == scale ? self : nil }
        var lo = lower, hi = upper
        for _ in 0..<(s - scale) {
            let (a, o1) = lo.multipliedReportingOverflow(by: 10)
            let (b, o2) = hi.multipliedReportingOverflow(by: 10)
            if o1 || o2 { return nil }
            lo = a
            hi = b
        }
        return Interval(lower: lo, upper: hi, scale: s)
    }

    /// The interval of a sum: bounds add.
    public func adding(_ other: Interval) -> Interval? {
        if scale == other.scale {
            // Same scale (the usual case): the bounds add as they are.
            let (lo, o1) = lower.addingReportingOverflow(other.lower)
            let (hi, o2) = upper.addingReportingOverflow(other.upper)
            if o1 || o2 { return nil }
            return Interval(lower: lo, upper: hi, scale: scale)
        }
        let s = max(scale, other.scale)
        guard let a = rescaled(to: s), let b = other.rescaled(to: s) else { return nil }
        let (lo, o1) = a.lower.addingReportingOverflow(b.lower)
        let (hi, o2) = a.upper.addingReportingOverflow(b.upper)
        if o1 || o2 { return nil }
        return Interval(lower: lo, upper: hi, scale: s)
    }

    public var negated: Interval { Interval(lower: -upper, upper: -lower, scale: scale) }

    /// The interval of a difference: [a.lo − b.hi, a.hi − b.lo].
    public func subtracting(_ other: Interval) -> Interval? { adding(other.negated) }

    /// True when the two intervals share at least one point (closed bounds).
    public func overlaps(_ other: Interval) -> Bool {
        if scale == other.scale { return lower <= other.upper && other.lower <= upper }
        let s = max(scale, other.scale)
        guard let a = rescaled(to: s), let b = other.rescaled(to: s) else { return false }
        return a.lower <= b.upper && b.lower <= a.upper
    }

    /// Sum of intervals; an empty sequence sums to the zero point. Nil on overflow.
    public static func sum(_ items: some Sequence<Interval>) -> Interval? {
        var t = Interval.zero
        for i in items {
            guard let n = t.adding(i) else { return nil }
            t = n
        }
        return t
    }

    /// The bounds as amounts (for messages).
    public var lowerAmount: Amount { Amount(mantissa: lower, decimals: min(scale, Amount.maxDecimals)) }
    public var upperAmount: Amount { Amount(mantissa: upper, decimals: min(scale, Amount.maxDecimals)) }

    public var description: String { "[\(lowerAmount.text), \(upperAmount.text)]" }
}

/// The outcome of comparing two sides of a relation.
public enum Agreement: Sendable, Equatable {
    /// The printed digits agree exactly.
    case exact
    /// The printed digits differ but the rounding intervals overlap (尾差, an `info`).
    case rounding
    /// The intervals do not overlap: a real discrepancy.
    case mismatch

    /// Compares an expected sum of printed terms with a printed value.
    /// `terms` are (amount, precision to read it at); `found` likewise.
    public static func of(terms: [(Amount, Int)], found: (Amount, Int)) -> Agreement? {
        guard let strict = Amount.sum(terms.map(\.0)) else { return nil }
        if strict.sameValue(as: found.0) { return .exact }
        var ivs: [Interval] = []
        for (a, d) in terms {
            guard let i = Interval(printed: a, readAt: d) else { return nil }
            ivs.append(i)
        }
        guard let left = Interval.sum(ivs), let right = Interval(printed: found.0, readAt: found.1) else { return nil }
        return left.overlaps(right) ? .rounding : .mismatch
    }

    /// Compares a sum of printed amounts with a printed amount, each at its own printed precision.
    public static func of(sum terms: [Amount], equals found: Amount) -> Agreement? {
        of(terms: terms.map { ($0, $0.decimals) }, found: (found, found.decimals))
    }

    /// Compares two interval sides whose printed (centre) values are `strictLeft` and `strictRight`.
    public static func of(left: Interval, strictLeft: Amount, right: Interval, strictRight: Amount) -> Agreement {
        if strictLeft.sameValue(as: strictRight) { return .exact }
        return left.overlaps(right) ? .rounding : .mismatch
    }
}

/// Ratios and percentages on intervals, exactly (128-bit cross-multiplication, no floats).
public enum Ratio {
    /// Whether `numerator ÷ denominator × 100` (both intervals) can equal a value of the
    /// percentage interval `percent`. The denominator must be strictly positive.
    /// Nil when the denominator interval reaches zero or below.
    public static func percentOverlaps(numerator n: Interval, denominator d: Interval, percent p: Interval) -> Bool? {
        let s = max(n.scale, d.scale, p.scale)
        guard let n = n.rescaled(to: s), let d = d.rescaled(to: s), let p = p.rescaled(to: s) else { return nil }
        guard d.lower > 0 else { return nil }
        // Ratio bounds as fractions (num, den) with den > 0.
        let lo: (Int64, Int64) = n.lower >= 0 ? (n.lower, d.upper) : (n.lower, d.lower)
        let hi: (Int64, Int64) = n.upper >= 0 ? (n.upper, d.lower) : (n.upper, d.upper)
        // ratio×100 = num×100/den (scale-free); p reads p.upper/10^s, so
        // num×100/den ≤ p.upper/10^s  ⇔  num×100×10^s ≤ p.upper×den.
        var k: Int64 = 100
        for _ in 0..<s {
            let (r, o) = k.multipliedReportingOverflow(by: 10)
            if o { return nil }
            k = r
        }
        let loOK = compare(lo.0, k, p.upper, lo.1) <= 0
        let hiOK = compare(p.lower, hi.1, hi.0, k) <= 0
        return loOK && hiOK
    }

    /// The strict check on printed digits: the ratio of the printed values, unrounded, lies inside
    /// the printed percentage's own rounding interval.
    public static func percentStrict(numerator: Amount, denominator: Amount, percent: Interval) -> Bool? {
        guard let n = Interval(exact: numerator), let d = Interval(exact: denominator) else { return nil }
        return percentOverlaps(numerator: n, denominator: d, percent: percent)
    }

    /// The percentage `numerator ÷ denominator × 100`, rounded half away from zero to `decimals`
    /// (for messages: the value the text should have printed). Nil when the denominator is zero.
    public static func percent(_ numerator: Amount, of denominator: Amount, decimals: Int) -> Amount? {
        let s = max(numerator.decimals, denominator.decimals)
        guard let a = numerator.mantissa(atDecimals: s), let b = denominator.mantissa(atDecimals: s), b != 0 else { return nil }
        // value = a×100×10^decimals / b
        var scaleUp: Int64 = 100
        for _ in 0..<decimals {
            let (r, o) = scaleUp.multipliedReportingOverflow(by: 10)
            if o { return nil }
            scaleUp = r
        }
        let (num, o) = a.multipliedReportingOverflow(by: scaleUp)
        if o { return nil }
        let negative = (num < 0) != (b < 0)
        let an = num.magnitude, bn = b.magnitude
        var q = an / bn
        let r = an % bn
        if r * 2 >= bn { q += 1 }
        guard q <= UInt64(Int64.max) else { return nil }
        return Amount(mantissa: negative ? -Int64(q) : Int64(q), decimals: decimals)
    }

    /// Sign of a×b − c×d, computed without overflow.
    static func compare(_ a: Int64, _ b: Int64, _ c: Int64, _ d: Int64) -> Int {
        let x = a.multipliedFullWidth(by: b)
        let y = c.multipliedFullWidth(by: d)
        if x.high != y.high { return x.high < y.high ? -1 : 1 }
        if x.low != y.low { return x.low < y.low ? -1 : 1 }
        return 0
    }
}

/// Year-on-year checks on intervals, for rules that compare a stated change with two documents
/// (the store's Y-CHANGE) or with a value and its change (T-CHANGE).
public enum ChangeCheck {
    /// A stated change against current − previous. Narrative amounts that drop trailing zeros are
    /// read at `readAt` decimals (the tables' precision); table amounts at their own.
    public static func change(stated: Amount, current: Amount, previous: Amount, readAt: Int = 2) -> Agreement? {
        guard let s = Interval(printed: stated, readAt: readAt),
              let c = Interval(printed: current, readAt: readAt),
              let p = Interval(printed: previous, readAt: readAt),
              let d = c.subtracting(p), let strict = current.subtracting(previous) else { return nil }
        return Agreement.of(left: d, strictLeft: strict, right: s, strictRight: stated)
    }

    /// A stated percentage change against (current − previous) ÷ previous. The percentage carries
    /// its own printed precision (`45%` is [44.5, 45.5]). Nil when previous is not positive.
    public static func percent(stated: Amount, current: Amount, previous: Amount, readAt: Int = 2) -> Agreement? {
        guard let pct = Interval(printed: stated),
              let c = Interval(printed: current, readAt: readAt),
              let p = Interval(printed: previous, readAt: readAt),
              let d = c.subtracting(p), let strictD = current.subtracting(previous),
              let overlaps = Ratio.percentOverlaps(numerator: d, denominator: p, percent: pct) else { return nil }
        if !overlaps { return .mismatch }
        return Ratio.percentStrict(numerator: strictD, denominator: previous, percent: pct) == true ? .exact : .rounding
    }
}
