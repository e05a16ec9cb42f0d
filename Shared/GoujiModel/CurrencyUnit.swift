/// The currency units disclosures print amounts in (`单位：万元`, `12,000.00元`), by their power of
/// ten in 元. Most documents print every table and the narrative in 万元; some print their tables
/// in 元 and the narrative in 万元, or one table in 元 among tables in 万元. Amounts stay as printed
/// in the model (`Table.currencyUnit`, `Fact.unit` say where the unit differs from the document's);
/// comparisons convert them first, exactly, by moving the decimal point.
public enum CurrencyUnit {
    /// The units read, finest first, with their power of ten in 元.
    public static let known: [(name: String, exponent: Int)] = [("元", 0), ("千元", 3), ("万元", 4), ("亿元", 8)]

    /// 元 → 0, 千元 → 3, 万元 → 4, 亿元 → 8; nil for anything else.
    public static func exponent(_ unit: String) -> Int? {
        known.first { $0.name == unit }?.exponent
    }

    /// The coarsest of `units` that this enum knows (万元 of 元 and 万元), nil when none is known.
    public static func coarsest(_ units: some Sequence<String>) -> String? {
        var best: (name: String, exponent: Int)?
        for u in units {
            guard let e = exponent(u) else { continue }
            if best.map({ e > $0.exponent }) ?? true { best = (u, e) }
        }
        return best?.name
    }
}

extension Amount {
    /// The same amount in a coarser unit (`12345.67` 元 → `1.234567` 万元), exact: only the decimal
    /// point moves, so the printed precision moves with it and the rounding interval is the same
    /// money. Nil when either unit is unknown, `to` is finer than `from` (a point moved the other
    /// way would claim precision the print never had), or the result needs more than
    /// `Amount.maxDecimals` decimals.
    public func converted(from: String, to: String) -> Amount? {
        guard let a = CurrencyUnit.exponent(from), let b = CurrencyUnit.exponent(to), b >= a else { return nil }
        let d = decimals + (b - a)
        guard d <= Amount.maxDecimals else { return nil }
        return Amount(mantissa: mantissa, decimals: d)
    }
}

extension Amount {
    /// The same value in any other known unit (`1.5` 亿元 → `15000` 万元, `12345.67` 元 →
    /// `1.234567` 万元): exact, for sums and comparisons across documents. Towards a finer unit the
    /// mantissa is multiplied, so the printed precision is not carried over; use
    /// `converted(from:to:)` where the rounding interval matters. Nil for an unknown unit or on
    /// overflow.
    public func scaled(from: String, to: String) -> Amount? {
        if let c = converted(from: from, to: to) { return c }
        guard let a = CurrencyUnit.exponent(from), let b = CurrencyUnit.exponent(to), a > b else { return nil }
        var m = mantissa
        var d = decimals
        for _ in 0..<(a - b) {
            if d > 0 {
                d -= 1
            } else {
                let (r, o) = m.multipliedReportingOverflow(by: 10)
                if o { return nil }
                m = r
            }
        }
        return Amount(mantissa: m, decimals: d)
    }
}
