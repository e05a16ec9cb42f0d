import GoujiModel
import Testing

/// `Amount.init?(_:)` reads UTF-8 bytes (inlinable, non-generic core) instead of walking
/// Unicode scalars generically; it must accept and reject exactly what the scalar reading did.
@Suite struct AmountReadingTests {
    /// The scalar-by-scalar reading `Amount.init?(_:)` had before, kept here as the reference.
    private func reference(_ text: some StringProtocol) -> Amount? {
        var negative = false, mantissa: Int64 = 0, decimals = 0
        var seenDigit = false, seenPoint = false, first = true
        for scalar in text.unicodeScalars {
            var v = scalar.value
            if v >= 0xFF01 && v <= 0xFF5E { v -= 0xFEE0 }
            switch v {
            case 0x30...0x39:
                let (m1, o1) = mantissa.multipliedReportingOverflow(by: 10)
                let (m2, o2) = m1.addingReportingOverflow(Int64(v - 0x30))
                if o1 || o2 { return nil }
                mantissa = m2
                seenDigit = true
                if seenPoint { decimals += 1; if decimals > Amount.maxDecimals { return nil } }
            case 0x2C: if !seenDigit || seenPoint { return nil }
            case 0x2E: if seenPoint || !seenDigit { return nil }; seenPoint = true
            case 0x2D, 0x2212: if !first { return nil }; negative = true
            case 0x2B: if !first { return nil }
            default: return nil
            }
            first = false
        }
        if !seenDigit || (seenPoint && decimals == 0) { return nil }
        return Amount(mantissa: negative ? -mantissa : mantissa, decimals: decimals)
    }

    @Test func sameAsScalarReading() {
        let pieces = ["0", "7", "12", ",", ".", "-", "+", "−", "－", "＋", "１", "９", "，", "．", "、", " ", "万",
                      "e", "é", "𝟙", "\u{FF5E}", "\u{FF00}", "\u{FF5F}", "\u{2211}", "00"]
        var texts = ["", "1,414.81", "-24.18", "120", "１２３．４５", "－１，２３４", "9223372036854775807",
                     "9223372036854775808", "1.123456789", "1.12345678", "1.", ".5", "+5", "5-", "１2.3４"]
        for a in pieces { for b in pieces { texts.append(a + b); for c in ["1", "．", "5"] { texts.append(a + c + b) } } }
        for t in texts {
            #expect(Amount(t) == reference(t), "\(t)")
            let sub = ("x" + t + "y").dropFirst().dropLast()
            #expect(Amount(sub) == reference(sub), "\(t) as Substring")
        }
    }
}
