import GoujiModel

/// Tables printed as groups side by side: each line carries several (code, name, amount) groups
/// under a header that repeats 科目编码 科目名称 决算数 (决算's 一般公共预算财政拨款基本支出决算表,
/// 人员经费 | 公用经费 over three groups across; some regions print their budget's basic expenditure
/// alike). Each group of a line is a row of its own, `total` its amount; the rows follow the groups
/// from left to right, so a class stays with its items.
///
/// A line is split into groups by its tokens, not by where its cells sit, so the reading is the
/// same tab-separated, space-aligned or with blanks dropped: a group is a code, then its name,
/// then its amount, and a code, or a name after an amount, starts the next. An amount alone after
/// a name alone is that name's (a 合计 cell merged over two groups prints its amount in the last).
enum SideBySideReader {
    /// The groups a header declares: how often one of its lines names the code/name pair (科目名称,
    /// else 科目编码). Two or more: side by side. (Per line: a header printed again below itself,
    /// as an empty table's may be, names the pair twice over two lines. Not 项目: 项目 … 项目支出
    /// names it twice in one group.)
    static func groupCount(headerLines: [SourceLine]) -> Int {
        var most = 0
        // (On the line as printed: the pair's words are printed whole in a header line.)
        for l in headerLines where l.text.has("科目") { most = max(most, groupCount(line: l.text)) }
        return most
    }

    static func groupCount(line h: String) -> Int {
        for word in ["科目名称", "科目编码"] {
            var n = 0
            var rest = h[...]
            while let r = rest.byteRange(of: word) {
                n += 1
                rest = rest[r.upperBound...]
            }
            if n > 0 { return n }
        }
        return 0
    }

    /// One group of a line: its code, its name's texts and its amount, each where printed.
    struct Group {
        var code: String?
        var texts: [String] = []
        var amount: Amount?

        var isEmpty: Bool { code == nil && texts.isEmpty && amount == nil }
    }

    /// A line's tokens split into groups (see the type).
    static func groups(_ tokens: ArraySlice<Token>) -> [Group] {
        var out: [Group] = []
        var current = Group()
        func close() {
            if !current.isEmpty { out.append(current) }
            current = Group()
        }
        for i in tokens.indices {
            let t = tokens[i]
            switch t.kind {
            case .code:
                close()
                current.code = t.text
            case .text:
                if current.amount != nil { close() }
                current.texts.append(t.text)
            case .number where isCode(t, before: i + 1 < tokens.endIndex ? tokens[i + 1] : nil):
                close()
                current.code = t.text
            case .number:
                if current.amount != nil { close() }
                current.amount = t.amount
            }
        }
        close()
        // An amount alone takes the place of the name alone before it (a merged cell).
        var merged: [Group] = []
        for g in out {
            if g.code == nil, g.texts.isEmpty, let a = g.amount, let last = merged.indices.last,
               merged[last].amount == nil, !merged[last].texts.isEmpty {
                merged[last].amount = a
            } else {
                merged.append(g)
            }
        }
        return merged
    }

    /// A code read as a number (only a line's first code is told apart by the tokens): 3, 5 or 7
    /// ASCII digits without a decimal point or grouping, a name right after it.
    static func isCode(_ t: Token, before next: Token?) -> Bool {
        guard next?.kind == .text else { return false }
        let n = t.text.utf8.count
        return (n == 3 || n == 5 || n == 7) && t.text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    static func read(body: [BodyLine], table: inout Table, consumed: inout [Bool]) {
        table.columns = [Column.total]
        // The rows of each group position, in line order; emitted group after group.
        var byPosition: [[Row]] = []
        for b in body {
            let gs = groups(b.tokens)
            guard !gs.isEmpty else { continue }
            for (k, g) in gs.enumerated() {
                let label = RowReader.cleanLabel(g.texts.joined())
                guard g.code != nil || !label.isEmpty else { continue }
                var values: [String: Amount] = [:]
                if let a = g.amount { values[Column.total] = a }
                while byPosition.count <= k { byPosition.append([]) }
                // A coded group goes after the rows of its class wherever those are (a blank
                // group before it on the line moves it to the left).
                var target = k
                if let code = g.code, code.utf8.count > 3,
                   let j = byPosition.firstIndex(where: { $0.last?.code.map { code.hasPrefix($0.prefix(3)) } ?? false }) {
                    target = j
                }
                byPosition[target].append(Row(code: g.code, label: label, values: values, line: b.line.number))
            }
            if b.line.number - 1 < consumed.count { consumed[b.line.number - 1] = true }
        }
        for rows in byPosition { table.rows.append(contentsOf: rows) }
    }
}
