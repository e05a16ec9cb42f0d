/// Labels that take every branch of label normalisation: enumerators, whitespace of all kinds,
/// full-width forms, colons, circled numbers, words that start like enumerators, combining marks.
/// Tests of the fast text paths check them against the definitions they stand in for.
public let trickyLabels: [String] = [
    "", "合计", "一、基本支出", "（一）工资福利支出", "(1)办公费", "1、收入", "1.5万元", "十一、其他",
    "一般公共服务支出", "一般公共预算", "三公经费", "①因公出国（境）费", "⑴公务接待费",
    "基本 支出", "基本\u{3000}支出", "基本\u{00A0}支出", "基本\u{2002}支出", "基本\t支出", " 合计 ",
    "因公出国（境）费", "ＡＢＣ支出", "：合计", "合计：", "其中：人员经费", "：一、收入", "百分比",
    "七、社会保障和就业支出", "2080505", "  2080505  ", "事业运行\u{202F}", "\u{1680}合计", "a\u{0301}b",
    "\u{85}x", "x\u{2028}y", "Ａ１", "〇", "二〇二四年",
]
