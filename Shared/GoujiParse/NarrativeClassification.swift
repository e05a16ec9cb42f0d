/// Names of the standard government expenditure classification (政府收支分类科目), used to give a
/// narrative amount its canonical key (`econ.301`, `func.2080109`). Data, not logic: the function
/// classes (类) in full, and the 款/项 most often named in departmental narratives.
enum NarrativeClassification {
    /// 部门预算支出经济分类 classes and the 政府预算支出经济分类 classes.
    static let economic: [(String, String)] = [
        ("301", "工资福利支出"), ("302", "商品和服务支出"), ("303", "对个人和家庭的补助"),
        ("303", "对个人和家庭补助"), ("307", "债务利息及费用支出"), ("309", "资本性支出（基本建设）"),
        ("310", "资本性支出"), ("311", "对企业补助（基本建设）"), ("312", "对企业补助"),
        ("313", "对社会保障基金补助"), ("399", "其他支出"), ("399", "其他相关支出"),
        ("301", "工资福利"), ("302", "商品服务支出"), ("303", "对个人和家庭的补助支出"),
        ("303", "对个人和家庭补助支出"),
        ("501", "机关工资福利支出"), ("502", "机关商品和服务支出"), ("503", "机关资本性支出（一）"),
        ("504", "机关资本性支出（二）"), ("505", "对事业单位经常性补助"), ("506", "对事业单位资本性补助"),
        ("507", "对企业补助"), ("508", "对企业资本性支出"), ("509", "对个人和家庭的补助"),
        ("510", "对社会保障基金补助"), ("511", "债务利息及费用支出"), ("512", "债务还本支出"),
        ("513", "转移性支出"), ("514", "预备费及预留"),
    ]

    /// Function classification: 类 (3 digits), 款 (5), 项 (7).
    static let function: [(String, String)] = [
        ("201", "一般公共服务支出"), ("202", "外交支出"), ("203", "国防支出"), ("204", "公共安全支出"),
        ("205", "教育支出"), ("206", "科学技术支出"), ("207", "文化旅游体育与传媒支出"),
        ("208", "社会保障和就业支出"), ("209", "社会保险基金支出"), ("210", "卫生健康支出"),
        ("211", "节能环保支出"), ("212", "城乡社区支出"), ("213", "农林水支出"), ("214", "交通运输支出"),
        ("215", "资源勘探工业信息等支出"), ("216", "商业服务业等支出"), ("217", "金融支出"),
        ("219", "援助其他地区支出"), ("220", "自然资源海洋气象等支出"), ("221", "住房保障支出"),
        ("222", "粮油物资储备支出"), ("224", "灾害防治及应急管理支出"), ("227", "预备费"),
        ("229", "其他支出"), ("230", "转移性支出"), ("231", "债务还本支出"), ("232", "债务付息支出"),
        ("233", "债务发行费用支出"),
        // 201 一般公共服务
        ("20101", "人大事务"), ("20102", "政协事务"), ("20103", "政府办公厅（室）及相关机构事务"),
        ("20104", "发展与改革事务"), ("20105", "统计信息事务"), ("20106", "财政事务"), ("20107", "税收事务"),
        ("20108", "审计事务"), ("20111", "纪检监察事务"), ("20113", "商贸事务"), ("20123", "民族事务"),
        ("20126", "档案事务"), ("20128", "民主党派及工商联事务"), ("20129", "群众团体事务"),
        ("20131", "党委办公厅（室）及相关机构事务"), ("20132", "组织事务"), ("20133", "宣传事务"),
        ("20134", "统战事务"), ("20136", "其他共产党事务支出"), ("20138", "市场监督管理事务"),
        ("20199", "其他一般公共服务支出"),
        // 205 教育, 206 科学技术, 207 文化 (款)
        ("20501", "教育管理事务"), ("20502", "普通教育"), ("20503", "职业教育"), ("20507", "特殊教育"),
        ("20508", "进修及培训"), ("20509", "教育费附加安排的支出"), ("20599", "其他教育支出"),
        ("20601", "科学技术管理事务"), ("20602", "基础研究"), ("20603", "应用研究"), ("20604", "技术研究与开发"),
        ("20699", "其他科学技术支出"), ("20701", "文化和旅游"), ("20702", "文物"), ("20703", "体育"),
        ("20708", "广播电视"), ("20799", "其他文化旅游体育与传媒支出"),
        // 208 社会保障和就业
        ("20801", "人力资源和社会保障管理事务"), ("20802", "民政管理事务"), ("20805", "行政事业单位养老支出"),
        ("20806", "企业改革补助"), ("20807", "就业补助"), ("20808", "抚恤"), ("20809", "退役安置"),
        ("20810", "社会福利"), ("20811", "残疾人事业"), ("20816", "红十字事业"), ("20819", "最低生活保障"),
        ("20820", "临时救助"), ("20821", "特困人员救助供养"), ("20825", "其他生活救助"),
        ("20826", "财政对基本养老保险基金的补助"), ("20827", "财政对其他社会保险基金的补助"),
        ("20828", "退役军人管理事务"), ("20830", "财政代缴社会保险费支出"),
        ("2080101", "行政运行"), ("2080102", "一般行政管理事务"), ("2080103", "机关服务"),
        ("2080104", "综合业务管理"), ("2080105", "劳动保障监察"), ("2080106", "就业管理事务"),
        ("2080107", "社会保险业务管理事务"), ("2080109", "社会保险经办机构"), ("2080110", "劳动关系和维权"),
        ("2080111", "公共就业服务和职业技能鉴定机构"), ("2080112", "劳动人事争议调解仲裁"),
        ("2080113", "政府特殊津贴"), ("2080114", "资助留学回国人员"), ("2080116", "引进人才费用"),
        ("2080150", "事业运行"), ("2080199", "其他人力资源和社会保障管理事务支出"),
        ("2080501", "行政单位离退休"), ("2080502", "事业单位离退休"), ("2080503", "离退休人员管理机构"),
        ("2080505", "机关事业单位基本养老保险缴费支出"), ("2080506", "机关事业单位职业年金缴费支出"),
        ("2080507", "对机关事业单位基本养老保险基金的补助"), ("2080508", "对机关事业单位职业年金的补助"),
        ("2080599", "其他行政事业单位养老支出"),
        ("2080701", "就业创业服务补贴"), ("2080702", "职业培训补贴"), ("2080704", "社会保险补贴"),
        ("2080705", "公益性岗位补贴"), ("2080709", "职业技能鉴定补贴"), ("2080711", "就业见习补贴"),
        ("2080712", "高技能人才培养补助"), ("2080713", "求职创业补贴"), ("2080799", "其他就业补助支出"),
        ("2080801", "死亡抚恤"), ("2080802", "伤残抚恤"), ("2080803", "在乡复员、退伍军人生活补助"),
        ("2080805", "义务兵优待"), ("2080806", "农村籍退役士兵老年生活补助"), ("2080899", "其他优抚支出"),
        ("2082601", "财政对企业职工基本养老保险基金的补助"), ("2082602", "财政对城乡居民基本养老保险基金的补助"),
        ("2082699", "财政对其他基本养老保险基金的补助"),
        ("2082701", "财政对失业保险基金的补助"), ("2082702", "财政对工伤保险基金的补助"),
        ("2082799", "其他财政对社会保险基金的补助"),
        ("2083001", "财政代缴城乡居民基本养老保险费支出"), ("2083099", "财政代缴其他社会保险费支出"),
        ("2089999", "其他社会保障和就业支出"),
        // 210 卫生健康
        ("21001", "卫生健康管理事务"), ("21002", "公立医院"), ("21003", "基层医疗卫生机构"),
        ("21004", "公共卫生"), ("21007", "计划生育事务"), ("21011", "行政事业单位医疗"),
        ("21012", "财政对基本医疗保险基金的补助"), ("21013", "医疗救助"), ("21014", "优抚对象医疗"),
        ("21015", "医疗保障管理事务"), ("21099", "其他卫生健康支出"),
        ("2101101", "行政单位医疗"), ("2101102", "事业单位医疗"), ("2101103", "公务员医疗补助"),
        ("2101199", "其他行政事业单位医疗支出"),
        // 212, 213 (款)
        ("21201", "城乡社区管理事务"), ("21202", "城乡社区规划与管理"), ("21203", "城乡社区公共设施"),
        ("21205", "城乡社区环境卫生"), ("21301", "农业农村"), ("21302", "林业和草原"), ("21303", "水利"),
        ("21305", "巩固脱贫攻坚成果衔接乡村振兴"),
        // 221 住房保障
        ("22101", "保障性安居工程支出"), ("22102", "住房改革支出"), ("22103", "城乡社区住宅"),
        ("2210201", "住房公积金"), ("2210202", "提租补贴"), ("2210203", "购房补贴"),
    ]

    /// Name (with 的 and brackets' width folded away) → code; on a shared name the deepest code wins.
    static let functionByName: [String: String] = {
        var out: [String: String] = [:]
        for (code, name) in function {
            let k = key(name)
            if let old = out[k], old.count >= code.count { continue }
            out[k] = code
        }
        return out
    }()

    static let economicByName: [String: String] = {
        var out: [String: String] = [:]
        for (code, name) in economic where out[key(name)] == nil { out[key(name)] = code }
        return out
    }()

    /// A name and its key, for suffix lookups. The name's scalars (`length` of them) and its
    /// UTF-8 with its last bytes (`tail`): a name ends a label where its bytes end the label's,
    /// so `NarrScanner.longestSuffix` compares bytes and decodes no scalars. (Both are valid
    /// UTF-8: the name's first byte starts a scalar, so the label's equal byte starts one too,
    /// and the same scalars follow.)
    struct Entry: Sendable {
        let scalars: [Unicode.Scalar]
        let length: Int
        let key: String
        let bytes: [UInt8]
        let tail: NarrTableIndex.Tail
    }

    /// An entry for each (comparison name, fact key) pair, in the pairs' order (an empty name
    /// left out). Callers pass the pairs in a fixed order (never a `Dictionary`'s, which differs
    /// from run to run): `NarrScanner.classify` lets the first of equally long matches win.
    static func entries(_ pairs: [(String, String)]) -> [Entry] {
        var out: [Entry] = []
        out.reserveCapacity(pairs.count)
        for (name, key) in pairs {
            let u = NarrText.scalars(name)
            guard !u.isEmpty else { continue }
            out.append(Entry(scalars: u, length: u.count, key: key, bytes: Array(name.utf8), tail: NarrTableIndex.Tail(name)))
        }
        return out
    }

    /// The entries indexed by the name's last character, each bucket in the pairs' order: the
    /// reading by scalars that `SuffixTable` (the names read on their bytes) replaces; tests
    /// hold the two together.
    static func index(_ pairs: [(String, String)]) -> [Unicode.Scalar: [Entry]] {
        var out: [Unicode.Scalar: [Entry]] = [:]
        for e in entries(pairs) {
            guard let last = e.scalars.last else { continue }
            out[last, default: []].append(e)
        }
        return out
    }

    /// Function names before economic ones (a name in both reads as the function item), each
    /// group in name order.
    static let pairs = sortedPairs(functionByName, prefix: "func.") + sortedPairs(economicByName, prefix: "econ.")
    /// The entries in the pairs' order; `table` reads them, `byLastCharacter` (for the tests)
    /// indexes them by last scalar.
    static let all: [Entry] = entries(pairs)
    static let table = SuffixTable(all)
    static let byLastCharacter: [Unicode.Scalar: [Entry]] = index(pairs)

    /// Entries grouped by their name's last byte, each group in the entries' order, with their
    /// tails packed apart in the same order: a name ends a label only where their last bytes are
    /// equal, so a lookup reads the label's group alone, and on each entry only its tail until it
    /// passes (a label ending in 支出 was compared with every name, each entry read whole).
    struct SuffixTable: Sendable {
        let entries: [Entry]
        let tails: [NarrTableIndex.Tail]
        /// The entries ending with byte `b` are `starts[b]..<starts[b + 1]`.
        let starts: [Int]

        init(_ all: [Entry]) {
            // (Entries have a byte at least: `entries` leaves out empty names.)
            var starts = [Int](repeating: 0, count: 257)
            for e in all { if let b = e.bytes.last { starts[Int(b) + 1] += 1 } }
            for b in 0..<256 { starts[b + 1] += starts[b] }
            var next = starts
            var order = [Int](repeating: 0, count: starts[256])
            for (i, e) in all.enumerated() {
                guard let b = e.bytes.last else { continue }
                order[next[Int(b)]] = i
                next[Int(b)] += 1
            }
            self.entries = order.map { all[$0] }
            self.tails = order.map { all[$0].tail }
            self.starts = starts
        }

        /// The entries whose name ends with the byte `b`.
        @inline(__always) func group(endingWith b: UInt8) -> Range<Int> { starts[Int(b)]..<starts[Int(b) + 1] }
    }

    /// (name, prefix + code) for every entry, in name order (Unicode scalar order), so that an
    /// index built from a dictionary is the same in every run.
    static func sortedPairs(_ byName: [String: String], prefix: String) -> [(String, String)] {
        // UTF-8 byte order is scalar order.
        byName.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            .map { ($0.key, prefix + $0.value) }
    }

    /// Comparison form of a classification name: no 的, no spaces, ASCII brackets.
    static func key(_ s: some StringProtocol) -> String {
        // On the UTF-8, scalar by scalar: 的 (E7 9A 84), space, tab and U+3000 (E3 80 80) dropped,
        // （ (EF BC 88) and ） (EF BC 89) made ASCII; the text itself when nothing changes. The
        // bytes between changes are copied in runs.
        FastText.scanUTF8(s) { buf -> String in
            var out: [UInt8] = []
            var changed = false
            var run = 0
            var i = 0
            let n = buf.count
            @inline(__always) func cut(_ upTo: Int) {
                if !changed { out.reserveCapacity(n); changed = true }
                if run < upTo { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run..<upTo])) }
            }
            while i < n {
                let b = buf[i]
                if b < 0x80 {
                    if b == 0x20 || b == 0x09 { cut(i); run = i + 1 }
                    i += 1
                    continue
                }
                let len = b < 0xE0 ? 2 : (b < 0xF0 ? 3 : 4)
                let end = min(i + len, n)
                if end - i == 3 && (b == 0xE7 || b == 0xE3 || b == 0xEF) {
                    let b1 = buf[i + 1], b2 = buf[i + 2]
                    if (b == 0xE7 && b1 == 0x9A && b2 == 0x84) || (b == 0xE3 && b1 == 0x80 && b2 == 0x80) {
                        cut(i); run = end
                    } else if b == 0xEF && b1 == 0xBC && (b2 == 0x88 || b2 == 0x89) {
                        cut(i); run = end
                        out.append(b2 == 0x88 ? 0x28 : 0x29)
                    }
                }
                i = end
            }
            guard changed else { return String(s) }
            if run < n { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run..<n])) }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
