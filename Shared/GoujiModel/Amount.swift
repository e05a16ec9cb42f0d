/// An amount exactly as printed: an integer mantissa scaled by 10^-decimals.
///
/// Amounts are never floats. `"1,414.81"` reads as mantissa 141481, decimals 2; the number of
/// printed decimals is kept because it gives the rounding interval reconciliation uses
/// (a value with d decimals stands for v ± ½·10⁻ᵈ).
public struct Amount: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The value times 10^decimals.
    public let mantissa: Int64
    /// How many decimals were printed (0 for `120`, 2 for `1414.81`).
    public let decimals: Int

    /// The largest number of decimals an amount may carry (keeps arithmetic inside Int64).
    public static let maxDecimals = 8

    public init(mantissa: Int64, decimals: Int) {
        precondition(decimals >= 0 && decimals <= Amount.maxDecimals, "decimals out of range")
        self.mantissa = mantissa
        self.decimals = decimals
    }

    public static let zero = Amount(mantissa: 0, decimals: 0)

    /// Reads a printed amount: ASCII or full-width digits, thousands separators (`,` `，` `、`-free),
    /// an optional sign (`-`, `－`, `+`), an optional decimal point (`.` or `．`).
    /// Returns nil for anything else (including an empty string or a value that overflows).
    ///
    /// Inlinable so that a caller in another module gets it specialised for its string type; the
    /// work itself is the non-generic `parse(utf8:)` on the text's contiguous UTF-8 bytes.
    @inlinable
    public init?(_ text: some StringProtocol) {
        let read = text.utf8.withContiguousStorageIfAvailable { Amount.parse(utf8: $0) } ?? Amount.parse(string: String(text))
        guard let read else { return nil }
        self = read
    }

    @usableFromInline
    static func parse(string: String) -> Amount? {
        var s = string
        return s.withUTF8 { parse(utf8: $0) }
    }

    /// The reading of `init?(_:)` on (valid) UTF-8 bytes, one Unicode scalar at a time. Only ASCII
    /// scalars, the full-width forms U+FF01…U+FF5E and U+2212 can be accepted, and all the
    /// non-ASCII ones are three bytes long; any other scalar rejects the text.
    @usableFromInline
    static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Amount? {
        var negative = false
        var mantissa: Int64 = 0
        var decimals = 0
        var seenDigit = false
        var seenPoint = false
        var first = true
        var i = 0
        let n = bytes.count
        while i < n {
            let b0 = bytes[i]
            var v: UInt32
            if b0 < 0x80 {
                v = UInt32(b0)
                i += 1
            } else if b0 >= 0xE0 && b0 < 0xF0 && i + 2 < n {
                v = (UInt32(b0 & 0x0F) << 12) | (UInt32(bytes[i + 1] & 0x3F) << 6) | UInt32(bytes[i + 2] & 0x3F)
                i += 3
                // Full-width forms U+FF01…U+FF5E map onto ASCII.
                if v >= 0xFF01 && v <= 0xFF5E { v -= 0xFEE0 }
            } else {
                return nil
            }
            switch v {
            case 0x30...0x39:
                let digit = Int64(v - 0x30)
                let (m1, o1) = mantissa.multipliedReportingOverflow(by: 10)
                let (m2, o2) = m1.addingReportingOverflow(digit)
                if o1 || o2 { return nil }
                mantissa = m2
                seenDigit = true
                if seenPoint {
                    decimals += 1
                    if decimals > Amount.maxDecimals { return nil }
                }
            case 0x2C: // ,
                if !seenDigit || seenPoint { return nil }
            case 0x2E: // .
                if seenPoint || !seenDigit { return nil }
                seenPoint = true
            case 0x2D, 0x2212: // - and minus sign
                if !first { return nil }
                negative = true
            case 0x2B:
                if !first { return nil }
            default:
                return nil
            }
            first = false
        }
        if !seenDigit { return nil }
        if seenPoint && decimals == 0 { return nil }
        return Amount(mantissa: negative ? -mantissa : mantissa, decimals: decimals)
    }

    /// Canonical text: no separators, the printed number of decimals (`"1414.81"`, `"-24.18"`, `"120"`).
    public var text: String {
        let negative = mantissa < 0
        let magnitude = mantissa.magnitude
        var digits = String(magnitude)
        if decimals > 0 {
            if digits.count <= decimals {
                digits = String(repeating: "0", count: decimals - digits.count + 1) + digits
            }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
        }
        return negative ? "-" + digits : digits
    }

    public var description: String { text }

    public var isZero: Bool { mantissa == 0 }

    public var negated: Amount { Amount(mantissa: -mantissa, decimals: decimals) }

    /// The mantissa at a larger scale; nil on overflow.
    public func mantissa(atDecimals d: Int) -> Int64? {
        precondition(d >= decimals)
        var m = mantissa
        for _ in 0..<(d - decimals) {
            let (r, o) = m.multipliedReportingOverflow(by: 10)
            if o { return nil }
            m = r
        }
        return m
    }

    /// The same value printed with more decimals (`106.1` → `106.10`).
    public func rescaled(to d: Int) -> Amount? {
        guard d >= decimals, d <= Amount.maxDecimals, let m = mantissa(atDecimals: d) else { return nil }
        return Amount(mantissa: m, decimals: d)
    }

    /// Exact sum; the result carries the larger number of decimals. Nil on overflow.
    public func adding(_ other: Amount) -> Amount? {
        let d = max(decimals, other.decimals)
        guard let a = mantissa(atDecimals: d), let b = other.mantissa(atDecimals: d) else { return nil }
        let (s, o) = a.addingReportingOverflow(b)
        return o ? nil : Amount(mantissa: s, decimals: d)
    }

    public func subtracting(_ other: Amount) -> Amount? { adding(other.negated) }

    /// Exact value equality regardless of printed decimals (`106.1` == `106.10`).
    public func sameValue(as other: Amount) -> Bool {
        let d = max(decimals, other.decimals)
        return mantissa(atDecimals: d) == other.mantissa(atDecimals: d)
    }

    public static func < (lhs: Amount, rhs: Amount) -> Bool {
        let d = max(lhs.decimals, rhs.decimals)
        guard let a = lhs.mantissa(atDecimals: d), let b = rhs.mantissa(atDecimals: d) else {
            return Double(lhs.mantissa) / pow10(lhs.decimals) < Double(rhs.mantissa) / pow10(rhs.decimals)
        }
        return a < b
    }

    /// Approximate value, for display and ratios only (never for equality).
    public var doubleValue: Double { Double(mantissa) / Amount.pow10(decimals) }

    static func pow10(_ d: Int) -> Double {
        var r = 1.0
        for _ in 0..<d { r *= 10 }
        return r
    }
}

extension Amount: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) {
            guard let a = Amount(s) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an amount: \(s)")
            }
            self = a
        } else if let i = try? c.decode(Int64.self) {
            self = Amount(mantissa: i, decimals: 0)
        } else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "an amount is a decimal string")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }
}

extension Amount {
    /// Sum of amounts; nil on overflow. An empty sequence sums to zero.
    public static func sum(_ values: some Sequence<Amount>) -> Amount? {
        var total = Amount.zero
        for v in values {
            guard let t = total.adding(v) else { return nil }
            total = t
        }
        return total
    }
}
