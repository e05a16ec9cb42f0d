/// A project named in a performance-target table (or a project list where there is none).
public struct Project: Codable, Sendable, Equatable {
    public var name: String
    /// 年度资金总额.
    public var total: Amount?
    /// 其中：财政拨款.
    public var fiscal: Amount?
    public var indicators: [Indicator]
    /// Source line of the project's name.
    public var line: Int?
    /// The currency unit of `total` and `fiscal` where the project's table states one that differs
    /// from the document's `currency_unit`; nil when they agree.
    public var unit: String?

    public init(name: String, total: Amount? = nil, fiscal: Amount? = nil, indicators: [Indicator] = [], line: Int? = nil,
                unit: String? = nil) {
        self.name = name
        self.total = total
        self.fiscal = fiscal
        self.indicators = indicators
        self.line = line
        self.unit = unit
    }

    enum CodingKeys: String, CodingKey { case name, total, fiscal, indicators, line, unit }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        total = try c.decodeIfPresent(Amount.self, forKey: .total)
        fiscal = try c.decodeIfPresent(Amount.self, forKey: .fiscal)
        indicators = try c.decodeIfPresent([Indicator].self, forKey: .indicators) ?? []
        line = try c.decodeIfPresent(Int.self, forKey: .line)
        unit = try c.decodeIfPresent(String.self, forKey: .unit)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(total, forKey: .total)
        try c.encode(fiscal, forKey: .fiscal)
        try c.encode(indicators, forKey: .indicators)
        try c.encodeIfPresent(line, forKey: .line)
        try c.encodeIfPresent(unit, forKey: .unit)
    }
}

public struct Indicator: Codable, Sendable, Equatable {
    public var l1: String
    public var l2: String
    public var l3: String
    public var value: String
    public init(l1: String, l2: String, l3: String, value: String) {
        self.l1 = l1
        self.l2 = l2
        self.l3 = l3
        self.value = value
    }
}

/// An amount stated in the narrative (MODEL.md "Facts").
public struct Fact: Codable, Sendable, Equatable {
    /// `income.total`, `econ.301`, `func.2080109`, `three_public.reception`, `project.<name>`, …
    public var key: String
    public var value: Amount
    /// Signed year-on-year change (减少 → negative).
    public var change: Amount?
    /// Stated percentage change (增长 11.92% → 11.92; 下降 45% → -45).
    public var pct: Amount?
    /// Stated share (占财政拨款支出的 11.34% → 11.34).
    public var share: Amount?
    /// What the share is of, as printed between 占 and the percentage, without spaces or a final 的
    /// (`财政拨款支出`, `基本支出预算`). Reconciliation names the denominator from these words; nil
    /// where no words were printed (占比 11.34%).
    public var shareOf: String?
    /// `basic` or `project` where the narrative splits an economic class.
    public var part: String?
    public var line: Int
    /// The printed words around the amount, for messages.
    public var text: String?
    /// The currency unit of `value` and `change` (`元` in `12,000.00元`) where it differs from the
    /// document's `currency_unit`; nil when they agree.
    public var unit: String?

    enum CodingKeys: String, CodingKey {
        case key, value, change, pct, share, shareOf = "share_of", part, line, text, unit
    }

    public init(key: String, value: Amount, change: Amount? = nil, pct: Amount? = nil, share: Amount? = nil,
                shareOf: String? = nil, part: String? = nil, line: Int, text: String? = nil, unit: String? = nil) {
        self.key = key
        self.value = value
        self.change = change
        self.pct = pct
        self.share = share
        self.shareOf = shareOf
        self.part = part
        self.line = line
        self.text = text
        self.unit = unit
    }
}

public enum Severity: String, Codable, Sendable, Comparable, CaseIterable {
    case error, warning, info

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .info: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// Where a finding looks: a table cell or a narrative line.
public struct FindingRef: Codable, Sendable, Equatable, Hashable {
    public var table: String?
    public var code: String?
    public var label: String?
    public var column: String?
    public var line: Int?
    public init(table: String? = nil, code: String? = nil, label: String? = nil, column: String? = nil, line: Int? = nil) {
        self.table = table
        self.code = code
        self.label = label
        self.column = column
        self.line = line
    }
}

/// One result of reconciliation (CHECKS.md).
public struct Finding: Codable, Sendable, Equatable {
    public var rule: String
    public var severity: Severity
    public var message: String
    public var refs: [FindingRef]
    public var expected: String
    public var found: String

    public init(rule: String, severity: Severity, message: String, refs: [FindingRef], expected: String, found: String) {
        self.rule = rule
        self.severity = severity
        self.message = message
        self.refs = refs
        self.expected = expected
        self.found = found
    }
}
