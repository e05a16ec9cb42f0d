import GoujiModel

/// The data the reconciliation rules read, in one place so a reviewer can read the whole rule set:
/// which columns a total decomposes into, which economic items must match which function items,
/// which 三公 items match which economic items, which tables a disclosure must carry, and how the
/// lines of two-sided tables are recognised. Codes follow 政府收支分类科目.
public enum RuleTables {

    // MARK: R-COLS — a row's total equals the sum of its component columns

    /// One column decomposition: `total` = Σ `parts`. Alternatives are tried in order; the check
    /// passes if any alternative agrees (layouts differ on whether 教育收费 sits inside 财政专户).
    /// `subsumes` lists part columns that, when present in the table, replace the columns they
    /// consolidate (财政拨款 replaces 一般公共预算 + 政府性基金 + 国有资本经营).
    public struct ColumnSum: Sendable {
        public let name: String
        public let total: String
        public let alternatives: [[String]]
        public let subsumes: [String: [String]]
        /// A column whose presence takes the rule's place: its parts then make up that column,
        /// not the total (人员经费 + 公用经费 under 基本支出 in a spending table).
        public var unless: String? = nil
    }

    public static let incomeSources: [String] = [
        Column.priorCarryover, Column.fiscal, Column.generalBudget, Column.govFund, Column.stateCapital,
        Column.fiscalSpecial, Column.eduFee, Column.specialOther, Column.business, Column.operating,
        Column.superior, Column.affiliated, Column.other, Column.nonFiscalBalance,
    ]

    public static let columnSums: [ColumnSum] = [
        ColumnSum(name: "合计 = 基本支出 + 项目支出", total: Column.total,
                  alternatives: [[Column.basic, Column.project, Column.operatingExp, Column.toAffiliated, Column.toSuperior]],
                  subsumes: [:]),
        ColumnSum(name: "合计 = 人员经费 + 公用经费", total: Column.total,
                  alternatives: [[Column.personnel, Column.publicFunds]], subsumes: [:], unless: Column.basic),
        ColumnSum(name: "基本支出 = 人员经费 + 公用经费", total: Column.basic,
                  alternatives: [[Column.personnel, Column.publicFunds]], subsumes: [:]),
        ColumnSum(name: "合计 = Σ 收入来源", total: Column.total,
                  alternatives: [incomeSources, incomeSources.filter { $0 != Column.eduFee }],
                  subsumes: [Column.fiscal: [Column.generalBudget, Column.govFund, Column.stateCapital]]),
        ColumnSum(name: "财政拨款 = 一般公共预算 + 政府性基金 + 国有资本经营", total: Column.fiscal,
                  alternatives: [[Column.generalBudget, Column.govFund, Column.stateCapital]], subsumes: [:]),
    ]

    /// A flow table (决算 收入支出决算表 by item: 年初结转和结余 | 本年收入 | 本年支出 | 年末结转和结余):
    /// in each row, the balance brought in plus the year's income equals the year's spending plus the
    /// balance carried on. A table with both balances is such a table: its 合计 is the year's spending,
    /// so the rules above that count the balance brought in as a source of 合计 do not apply to it.
    public static let flow = (name: "年初结转和结余 + 本年收入 = 本年支出 + 年末结转和结余",
                              opening: Column.priorCarryover, income: [Column.fiscal],
                              spending: Column.total, closing: Column.carryForward)

    // MARK: X-TOTAL — one figure, every table that carries it

    /// Where an X-TOTAL member is read in the first table of its kind (a row of its index).
    enum TotalPlace {
        /// The table's total row.
        case total
        /// The total row, less the 上年结转 and 非财政拨款结余 it prints (each taken off where the
        /// table prints it): the year's own income.
        case netTotal
        /// A two-sided table's line (`TableRules.TwoSided`); 本年支出 else 支出总计.
        case incomeSubtotal, expenditureSubtotal, expenditureSubtotalOrGrand, fiscalParent
        /// A two-sided table's lines that print the column, summed: read only when the member
        /// listed just before (the single line they make up) was not.
        case fiscalChildren, functionLines
        /// The first fiscal child line whose label includes 一般公共预算, named by its label.
        case generalBudgetChild

        var isFallback: Bool { self == .fiscalChildren || self == .functionLines }
    }

    /// One member of an X-TOTAL figure: the table and line that print it, the column, its name in
    /// a finding, and whether it is a spending figure (the others are income: see
    /// `CrossRules.groupBySide`).
    struct TotalMember {
        let figure: Int
        let kind: TableKind
        let place: TotalPlace
        let column: String
        /// `ColumnID.of(column)`, read once.
        let columnID: Int?
        let name: String
        let spending: Bool

        init(_ figure: Int, _ kind: TableKind, _ place: TotalPlace, _ column: String, _ name: String, spending: Bool = false) {
            self.figure = figure
            self.kind = kind
            self.place = place
            self.column = column
            self.columnID = ColumnID.of(column)
            self.name = name
            self.spending = spending
        }
    }

    /// The figures X-TOTAL compares, by `TotalMember.figure`: their names in a finding.
    static let totalFigures: [(zh: String, en: String)] = [
        ("收支总数", "total income/expenditure"),
        ("财政拨款总数", "fiscal appropriations total"),
        ("一般公共预算支出总数", "general public budget total"),
    ]

    /// Every figure's members, figure by figure, in the order they are compared and reported.
    static let totalMembers: [TotalMember] = [
        // All funds, current year.
        TotalMember(0, .summary, .incomeSubtotal, Column.total, "收支总表 本年收入合计"),
        TotalMember(0, .summary, .expenditureSubtotal, Column.total, "收支总表 本年支出合计", spending: true),
        TotalMember(0, .income, .netTotal, Column.total, "收入总表 合计"),
        TotalMember(0, .expenditure, .total, Column.total, "支出总表 合计", spending: true),
        // Fiscal appropriations.
        TotalMember(1, .summary, .fiscalParent, Column.total, "收支总表 财政拨款收入"),
        TotalMember(1, .summary, .fiscalChildren, Column.total, "收支总表 财政拨款收入各项"),
        TotalMember(1, .fiscalSummary, .fiscalParent, Column.total, "财政拨款收支总表 财政拨款收入"),
        TotalMember(1, .fiscalSummary, .fiscalChildren, Column.total, "财政拨款收支总表 收入各项"),
        TotalMember(1, .fiscalSummary, .expenditureSubtotal, Column.total, "财政拨款收支总表 本年支出", spending: true),
        TotalMember(1, .fiscalSummary, .functionLines, Column.total, "财政拨款收支总表 支出各项", spending: true),
        TotalMember(1, .income, .total, Column.fiscal, "收入总表 合计 财政拨款"),
        // General public budget.
        TotalMember(2, .generalFunction, .total, Column.total, "一般公共预算支出表 合计", spending: true),
        TotalMember(2, .income, .total, Column.generalBudget, "收入总表 合计 一般公共预算"),
        TotalMember(2, .summary, .generalBudgetChild, Column.total, "收支总表"),
        TotalMember(2, .fiscalSummary, .generalBudgetChild, Column.total, "财政拨款收支总表"),
        TotalMember(2, .fiscalSummary, .expenditureSubtotalOrGrand, Column.generalBudget, "财政拨款收支总表 支出 一般公共预算", spending: true),
        TotalMember(2, .generalEconomic, .total, Column.total, "一般公共预算支出经济分类表 合计", spending: true),
    ]

    // MARK: X-ECON-FUNC — economic items that must equal function items (basic expenditure)

    public struct EconFuncPair: Sendable {
        public let econ: [String]
        public let function: [String]
        public let what: String
        public let whatEN: String
    }

    /// 30110 职工基本医疗保险缴费 + 30111 公务员医疗补助缴费 ↔ 2101101 行政单位医疗 + 2101102 事业单位医疗
    /// + 2101103 公务员医疗补助 (2101199 其他行政事业单位医疗支出 takes 30112-type items, so it is left out).
    public static let econFuncPairs: [EconFuncPair] = [
        EconFuncPair(econ: ["30108"], function: ["2080505"], what: "机关事业单位基本养老保险缴费", whatEN: "basic pension contributions"),
        EconFuncPair(econ: ["30109"], function: ["2080506"], what: "职业年金缴费", whatEN: "occupational annuity contributions"),
        EconFuncPair(econ: ["30113"], function: ["2210201"], what: "住房公积金", whatEN: "housing provident fund"),
        EconFuncPair(econ: ["30110", "30111"], function: ["2101101", "2101102", "2101103"],
                     what: "职工基本医疗保险及公务员医疗补助缴费", whatEN: "medical insurance contributions"),
    ]

    // MARK: X-3PUB — 三公 items and their economic counterparts (basic expenditure)

    public static let threePublicEcon: [(item: String, econ: String)] = [
        (ThreePublicItem.reception, "30217"),
        (ThreePublicItem.vehicleOperation, "30231"),
    ]

    /// 合计 = 因公出国（境）费 + 公务接待费 + 公务用车购置及运行维护费; the vehicle line = 购置 + 运行维护.
    public static let threePublicParts: [(total: String, parts: [String])] = [
        (ThreePublicItem.total, [ThreePublicItem.outbound, ThreePublicItem.reception, ThreePublicItem.vehicle]),
        (ThreePublicItem.vehicle, [ThreePublicItem.vehiclePurchase, ThreePublicItem.vehicleOperation]),
    ]

    /// Fact keys of the 三公 narrative and the canonical row they restate.
    public static let threePublicFactKeys: [String: String] = [
        "three_public.total": ThreePublicItem.total,
        "three_public.outbound": ThreePublicItem.outbound,
        "three_public.reception": ThreePublicItem.reception,
        "three_public.vehicle": ThreePublicItem.vehicle,
        "three_public.vehicle_purchase": ThreePublicItem.vehiclePurchase,
        "three_public.vehicle_operation": ThreePublicItem.vehicleOperation,
    ]

    // MARK: D-TABLES — the standard tables of a budget disclosure

    public static let requiredTables: [(kind: TableKind, name: String)] = [
        (.summary, "收支总表"),
        (.income, "收入总表"),
        (.expenditure, "支出总表"),
        (.fiscalSummary, "财政拨款收支总表"),
        (.generalFunction, "一般公共预算支出表"),
        (.basicEconomic, "一般公共预算基本支出表"),
        (.threePublic, "“三公”经费支出表"),
        (.govFund, "政府性基金预算支出表"),
        (.stateCapital, "国有资本经营预算支出表"),
    ]

    // MARK: T-CHANGE — narrative totals and the facts that decompose them

    /// A total fact and the component facts whose values (and changes) must add up to it.
    public static let factCompositions: [(total: String, parts: [String])] = [
        ("income.total", ["fiscal.total"]),
        ("expenditure.total", ["expenditure.basic", "expenditure.project"]),
        ("expenditure.basic", ["basic.personnel", "basic.public"]),
        ("three_public.total", ["three_public.outbound", "three_public.reception", "three_public.vehicle"]),
        ("three_public.vehicle", ["three_public.vehicle_purchase", "three_public.vehicle_operation"]),
        ("procurement.total", ["procurement.goods", "procurement.works", "procurement.services"]),
    ]

    /// Fact keys a group of function or economic changes can add up to.
    public static let changeTotals: [String] = [
        "expenditure.total", "fiscal.total", "income.total", "expenditure.basic", "expenditure.project",
    ]

    // MARK: T-SHARE — what a stated share is of

    /// A fact's `share_of` (the words printed after 占) → the whole its share is of: a fact key, or
    /// `general` for 一般公共预算 spending (the general_function table's 合计). The first entry whose
    /// words `share_of` contains wins, so more specific words come first. An empty whole (政府性基金,
    /// 国有资本经营) and words that match no entry (部门预算总额) leave the share unchecked: a whole
    /// the narrative does not state cannot be guessed without false alarms.
    public static let shareBases: [(words: String, whole: String)] = [
        ("三公", "three_public.total"),
        ("人员经费", "basic.personnel"), ("公用经费", "basic.public"),
        ("基本支出", "expenditure.basic"), ("项目支出", "expenditure.project"),
        ("政府性基金", ""), ("国有资本", ""),
        ("一般公共预算", "general"), ("财政拨款", "fiscal.total"),
        ("支出", "expenditure.total"), ("收入", "income.total"),
    ]

    // MARK: Function classes (类) by name, for two-sided tables that print names without codes

    public static let functionClasses: [String: String] = [
        "一般公共服务支出": "201", "外交支出": "202", "国防支出": "203", "公共安全支出": "204",
        "教育支出": "205", "科学技术支出": "206", "文化旅游体育与传媒支出": "207",
        "社会保障和就业支出": "208", "社会保险基金支出": "209", "卫生健康支出": "210", "节能环保支出": "211",
        "城乡社区支出": "212", "农林水支出": "213", "交通运输支出": "214",
        "资源勘探工业信息等支出": "215", "商业服务业等支出": "216", "金融支出": "217",
        "援助其他地区支出": "219", "自然资源海洋气象等支出": "220", "住房保障支出": "221",
        "粮油物资储备支出": "222", "国有资本经营预算支出": "223", "灾害防治及应急管理支出": "224",
        "预备费": "227", "其他支出": "229", "转移性支出": "230", "债务还本支出": "231",
        "债务付息支出": "232", "债务发行费用支出": "233",
    ]

    /// Summary-table expenditure lines by nature and the expenditure-table column they restate.
    public static let expenditureNatureLines: [String: String] = [
        "基本支出": Column.basic, "项目支出": Column.project, "事业单位经营支出": Column.operatingExp,
        "对附属单位补助支出": Column.toAffiliated, "上缴上级支出": Column.toSuperior,
    ]

    /// Words that name a whole-table total row (code null).
    public static let totalLabels: Set<String> = ["合计", "总计", "合计数", "本年合计", "支出合计", "收入合计"]
}

/// How the lines of a two-sided table (summary, fiscal_summary) are recognised: by their words,
/// never by position alone.
enum LineRole: Equatable {
    case grand, subtotal, fiscalParent, fiscalChild, carryParent, carryChild, balance, source
    case function, nature, carryForward, other

    /// The words `income` and `expenditure` look for, each line searched once for all of them,
    /// and which of them make each role.
    /// (总计, 本年收入 and 本年支出 are not roles' words: a simple label equal to a whole label
    /// includes its words, so a label without them is compared with no whole label. See `mayEqual`.)
    static let incomeWords = WordSet(["合计", "小计", "上年结转", "上年结余", "结转", "结余", "事业基金",
                                      "一般公共预算", "政府性基金", "国有资本经营", "财政拨款", "预算拨款", "年初",
                                      "总计", "本年收入"])
    static let expenditureWords = WordSet(["合计", "小计", "结转", "结余", "总计", "本年支出"])
    struct Bits {
        let subtotal, carryParent, carryChild, balance, fiscalChild, fiscalParent: UInt64
        let expenditureSubtotal, carryForward: UInt64
        /// The words of the whole labels (`Labels`): 总计 (收入总计, 支出总计, 总计), 本年收入, 本年支出.
        let incomeGrand, incomeCurrent, expenditureGrand, expenditureCurrent: UInt64
    }
    static let bits: Bits = {
        let i = incomeWords, e = expenditureWords
        return Bits(subtotal: i.bit("合计") | i.bit("小计"),
                    // (决算: 年初结转和结余, 年初财政拨款结转和结余.)
                    carryParent: i.bit("上年结转") | i.bit("上年结余") | i.bit("年初"),
                    carryChild: i.bit("结转"),
                    balance: i.bit("结余") | i.bit("事业基金"),
                    fiscalChild: i.bit("一般公共预算") | i.bit("政府性基金") | i.bit("国有资本经营"),
                    fiscalParent: i.bit("财政拨款") | i.bit("预算拨款"),
                    expenditureSubtotal: e.bit("合计") | e.bit("小计"),
                    carryForward: e.bit("结转") | e.bit("结余"),
                    incomeGrand: i.bit("总计"), incomeCurrent: i.bit("本年收入"),
                    expenditureGrand: e.bit("总计"), expenditureCurrent: e.bit("本年支出"))
    }()

    /// Whether label `l`, whose words `found` are (bits of the role's word set), may equal a whole
    /// label whose words are `words`: a simple label equals a whole label only byte for byte
    /// (see `FastText.Word.==`), and then includes its words; a label that is not simple text is
    /// always compared.
    @inline(__always)
    static func mayEqual(_ l: FastText.Word, _ found: UInt64, _ words: UInt64) -> Bool {
        !l.simple || found & words != 0
    }

    /// Whole labels the roles compare with.
    struct Labels {
        let incomeGrand = FastText.Word("收入总计"), expenditureGrand = FastText.Word("支出总计"), grand = FastText.Word("总计")
        let incomeCurrent = FastText.Word("本年收入"), expenditureCurrent = FastText.Word("本年支出")
    }
    static let labels = Labels()

    static func income(normalized l: String) -> LineRole { income(FastText.Word(l)) }

    /// `income(normalized:)` of a normalised label.
    static func income(_ l: FastText.Word) -> LineRole {
        let w = labels
        let found = incomeWords.present(l.text)
        let b = bits
        if mayEqual(l, found, b.incomeGrand) && (l == w.incomeGrand || l == w.grand) { return .grand }
        if found & b.subtotal != 0 || (mayEqual(l, found, b.incomeCurrent) && l == w.incomeCurrent) { return .subtotal }
        if found & b.carryParent != 0 { return .carryParent }
        if found & b.carryChild != 0 { return .carryChild }
        if found & b.balance != 0 { return .balance }
        if found & b.fiscalChild != 0 { return .fiscalChild }
        if found & b.fiscalParent != 0 { return .fiscalParent }
        return .source
    }

    static func expenditure(normalized label: String) -> LineRole { expenditure(FastText.Word(label)) }

    /// Whether every function class name (`RuleTables.functionClasses`) is simple text that
    /// `expenditure` finds a function line: then a simple label found among them by its bytes
    /// (`RuleTables.functionClassTable`) is one without reading its words (`TwoSided.init`).
    static let classNamesAreFunctionLines: Bool = RuleTables.functionClasses.keys.allSatisfy { name in
        let w = FastText.Word(name)
        return w.simple && expenditure(w) == .function
    }

    /// `expenditure(normalized:)` of a normalised label.
    static func expenditure(_ l: FastText.Word) -> LineRole {
        let w = labels
        let found = expenditureWords.present(l.text)
        let b = bits
        if mayEqual(l, found, b.expenditureGrand) && (l == w.expenditureGrand || l == w.grand) { return .grand }
        if found & b.expenditureSubtotal != 0 || (mayEqual(l, found, b.expenditureCurrent) && l == w.expenditureCurrent) { return .subtotal }
        if found & b.carryForward != 0 { return .carryForward }
        if RuleTables.expenditureNatureTable[l.text, simple: l.simple] != nil { return .nature }
        return .function
    }
}
