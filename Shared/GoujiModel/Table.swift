/// The kinds of table a disclosure carries (MODEL.md "Table kinds").
public enum TableKind: String, Codable, Sendable, CaseIterable, Comparable {
    case summary
    case income
    case expenditure
    case fiscalSummary = "fiscal_summary"
    case generalFunction = "general_function"
    case generalEconomic = "general_economic"
    case basicEconomic = "basic_economic"
    case projectEconomic = "project_economic"
    case threePublic = "three_public"
    case govFund = "gov_fund"
    case stateCapital = "state_capital"
    case basicByCategory = "basic_by_category"
    case projectList = "project_list"
    case performance
    case other

    public static func < (lhs: TableKind, rhs: TableKind) -> Bool {
        (allCases.firstIndex(of: lhs) ?? allCases.count) < (allCases.firstIndex(of: rhs) ?? allCases.count)
    }

    /// True for the tables of amounts a document prints once each, whose title, repeated on a
    /// later page with rows between, continues the table. A performance table's title may be
    /// shared by every project's table, and `other` gathers unlike tables.
    public var repeatsTitleOnEachPage: Bool { self != .performance && self != .other }

    /// True for the two-sided tables whose rows carry a `side`.
    public var isTwoSided: Bool { self == .summary || self == .fiscalSummary }
}

public enum Side: String, Codable, Sendable {
    case income, expenditure
}

/// Column keys (MODEL.md "Column keys"). Values are keyed by these raw strings.
public enum Column {
    public static let total = "total"
    public static let priorCarryover = "prior_carryover"
    public static let fiscal = "fiscal"
    public static let generalBudget = "general_budget"
    public static let govFund = "gov_fund"
    public static let stateCapital = "state_capital"
    public static let fiscalSpecial = "fiscal_special"
    public static let eduFee = "edu_fee"
    public static let specialOther = "special_other"
    public static let business = "business"
    public static let operating = "operating"
    public static let superior = "superior"
    public static let affiliated = "affiliated"
    public static let other = "other"
    public static let nonFiscalBalance = "non_fiscal_balance"
    public static let basic = "basic"
    public static let project = "project"
    public static let operatingExp = "operating_exp"
    public static let toAffiliated = "to_affiliated"
    public static let toSuperior = "to_superior"
    public static let carryForward = "carry_forward"
    public static let personnel = "personnel"
    public static let publicFunds = "public"

    /// Every known key, in the order a table usually prints them.
    public static let all: [String] = [
        total, priorCarryover, fiscal, generalBudget, govFund, stateCapital, fiscalSpecial, eduFee,
        specialOther, business, operating, superior, affiliated, other, nonFiscalBalance, basic,
        project, operatingExp, toAffiliated, toSuperior, carryForward, personnel, publicFunds,
    ]
}

/// Canonical `three_public` row labels (MODEL.md "Rows").
public enum ThreePublicItem {
    public static let total = "合计"
    public static let outbound = "因公出国（境）费"
    public static let reception = "公务接待费"
    public static let vehicle = "公务用车购置及运行维护费"
    public static let vehiclePurchase = "公务用车购置费"
    public static let vehicleOperation = "公务用车运行维护费"
    public static let adminCost = "行政经费"
    /// Columns some regions print beside the 三公 items (…“三公”经费、会议费和培训费支出情况表):
    /// kept as rows of their own, never counted as 三公 items. Their table's 合计 may include them.
    public static let meeting = "会议费"
    public static let training = "培训费"
    public static let extras = [meeting, training]
}

public struct Table: Codable, Sendable, Equatable {
    public var kind: TableKind
    public var title: String
    /// 1-based source line of the title.
    public var line: Int
    public var empty: Bool
    public var rows: [Row]
    /// Column keys in the order the header prints them (as far as the parser could tell).
    public var columns: [String]
    /// Units the table names: its 填报单位 line, or a data row's 部门编码/部门名称 (D-UNIT).
    public var units: [UnitMention]
    /// The note that declares the table empty, or any 注/备注 under it.
    public var note: String?
    /// The currency unit the table states (`单位：元`) where it differs from the document's
    /// `currency_unit`; nil when they agree or the table states none. Amounts stay as printed, in
    /// this unit (the reconciler converts before comparing across tables).
    public var currencyUnit: String?

    public init(kind: TableKind, title: String, line: Int, empty: Bool = false, rows: [Row] = [],
                columns: [String] = [], units: [UnitMention] = [], note: String? = nil, currencyUnit: String? = nil) {
        self.kind = kind
        self.title = title
        self.line = line
        self.empty = empty
        self.rows = rows
        self.columns = columns
        self.units = units
        self.note = note
        self.currencyUnit = currencyUnit
    }

    enum CodingKeys: String, CodingKey {
        case kind, title, line, empty, rows, columns, units, note
        case currencyUnit = "currency_unit"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decodeIfPresent(TableKind.self, forKey: .kind) ?? .other
        title = try c.decodeIfPresent(String.self, forKey: .title) ?? ""
        line = try c.decodeIfPresent(Int.self, forKey: .line) ?? 0
        empty = try c.decodeIfPresent(Bool.self, forKey: .empty) ?? false
        rows = try c.decodeIfPresent([Row].self, forKey: .rows) ?? []
        columns = try c.decodeIfPresent([String].self, forKey: .columns) ?? []
        units = try c.decodeIfPresent([UnitMention].self, forKey: .units) ?? []
        note = try c.decodeIfPresent(String.self, forKey: .note)
        currencyUnit = try c.decodeIfPresent(String.self, forKey: .currencyUnit)
    }

    /// The first row with this code.
    public func row(code: String) -> Row? { rows.first { $0.code == code } }
    /// The first row whose label, normalised, equals this one.
    public func row(label: String, side: Side? = nil) -> Row? {
        let key = Label.normalized(label)
        return rows.first { Label.normalized($0.label) == key && (side == nil || $0.side == side) }
    }
}

public struct UnitMention: Codable, Sendable, Equatable {
    public var name: String?
    public var code: String?
    public var line: Int
    public init(name: String?, code: String?, line: Int) {
        self.name = name
        self.code = code
        self.line = line
    }
}

public struct Row: Codable, Sendable, Equatable {
    public var code: String?
    public var label: String
    public var side: Side?
    public var values: [String: Amount]
    /// 1-based source line where the row's amounts were printed.
    public var line: Int?

    public init(code: String?, label: String, side: Side? = nil, values: [String: Amount] = [:], line: Int? = nil) {
        self.code = code
        self.label = label
        self.side = side
        self.values = values
        self.line = line
    }

    enum CodingKeys: String, CodingKey {
        case code, label, side, values, line
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = try c.decodeIfPresent(String.self, forKey: .code)
        label = try c.decodeIfPresent(String.self, forKey: .label) ?? ""
        side = try c.decodeIfPresent(Side.self, forKey: .side)
        values = try c.decodeIfPresent([String: Amount].self, forKey: .values) ?? [:]
        line = try c.decodeIfPresent(Int.self, forKey: .line)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(code, forKey: .code)
        try c.encode(label, forKey: .label)
        try c.encodeIfPresent(side, forKey: .side)
        try c.encode(values, forKey: .values)
        try c.encodeIfPresent(line, forKey: .line)
    }

    public subscript(column: String) -> Amount? { values[column] }
}
