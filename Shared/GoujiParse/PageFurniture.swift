/// Page furniture that text extracted from a PDF carries between the lines of a table: form feeds
/// and page numbers printed as a bare number.
///
/// `pdftotext` ends every page with a form feed (U+000C), so it stands at the start of the next
/// page's first line (`\f2080101 行政运行 …`), and a page number in the footer is a line of its own
/// just before it (`12`). A table split over pages then holds both between two of its rows. Left
/// in, the form feed glues itself to the row's code, and a bare page number reads as a code or an
/// amount. Numbers set off by dashes or with 第…页 are recognised by the readers
/// (`LineTokens.isPageNumber`); a bare number needs evidence, since a code too may stand alone on
/// a line (`208`, `01`, `2080505`). This pass, run once on a document's lines:
/// - removes form feeds from the lines (each marks a page boundary at its place);
/// - blanks bare page numbers next to page boundaries (the last line with text before a form
///   feed, or the first after it): a number is a page number when at least one other boundary's
///   number stands at the same offset from its page's count (`12` on the 12th page and `13` on
///   the 13th, or every page numbered one more than its count);
/// - without form feeds (text copied or extracted page by page), blanks the bare numbers of a
///   chain that only page numbers make (`chainedPageNumbers`): one more on each page, pages apart,
///   over much of the document, no greater than the pages before them can number. Codes printed
///   one cell per line go up by one too (类 301, 302, 303 of the economic classification, each
///   over its rows), but within one table, and far above the count of pages before them;
/// - blanks running headers and footers (`runningLines`): with form feeds, a line that opens or
///   closes most pages alike (a unit's name and 第3页 at each page's foot would otherwise join a
///   wrapped label or read as the unit's name).
/// A candidate is 1…4 ASCII digits without a leading zero (`01`, a code printed alone, is never
/// one). The line keeps its number, so everything read after it keeps its line numbers.
enum PageFurniture {
    /// The value of a trimmed line that may be a bare page number: 1…4 ASCII digits, the first not 0.
    static func bareNumber(_ text: String) -> Int? {
        let bytes = text.utf8
        guard (1...4).contains(bytes.count), bytes.first != 0x30 else { return nil }
        var v = 0
        for b in bytes {
            guard b >= 0x30 && b <= 0x39 else { return nil }
            v = v * 10 + Int(b - 0x30)
        }
        return v
    }

    /// Cleans `lines` in place (a text that holds a form feed).
    static func clean(_ lines: inout [SourceLine]) {
        let (pageNumbers, pageStarts) = boundaryPageNumbers(&lines)
        for i in pageNumbers { blank(&lines[i]) }
        for i in runningLines(lines, pageStarts: pageStarts) { blank(&lines[i]) }
    }

    /// The mask bits a line of a bare number may set (`chainedPageNumbers`).
    static let bareNumberBits: UInt64 = ScalarMask.of("0123456789 \t\u{3000}")

    /// Cleans `lines` in place (a text without form feeds): blanks the chain of bare page numbers.
    static func cleanWithoutFormFeeds(_ lines: inout [SourceLine]) {
        for i in chainedPageNumbers(lines) { blank(&lines[i]) }
    }

    /// The fewest lines a page holds between two page numbers in a chain: a page of a table or of
    /// prose prints more, while a code printed one cell per line is a few lines from the next.
    static let minimumPageLines = 15

    /// The bare numbers that number the pages of a text without form feeds, or none. A chain is
    /// bare numbers each one more than the one before, at least `minimumPageLines` lines after
    /// it; the longest chain (the first of equals) stands when:
    /// - it holds three numbers or more;
    /// - its pages are alike: each gap between two numbers lies within a third and three times
    ///   their median;
    /// - it spans at least 40% of the text's lines (page numbers run through a document; codes or
    ///   serial numbers going up by one stay within a table);
    /// - its first number is no more than the pages before it can number: the lines before it over
    ///   half the median gap, plus three (a cover and a contents page unnumbered make the numbers
    ///   smaller, never larger). 类 301 a few hundred lines into a document is far above that.
    static func chainedPageNumbers(_ lines: [SourceLine]) -> [Int] {
        // Candidates in line order: (line index, value).
        var candidates: [(index: Int, value: Int)] = []
        // (A line of digits and spaces only sets no mask bit but theirs: ASCII digits, space and
        // tab each & 63, an ideographic space its own. The mask rules out nearly every other line
        // without reading its text.)
        let bareBits = bareNumberBits
        for i in lines.indices where lines[i].mask & ~bareBits == 0 && !lines[i].isBlank {
            if let v = bareNumber(lines[i].text) { candidates.append((i, v)) }
        }
        guard candidates.count >= 3 else { return [] }
        // For each candidate, the chain ending there: its length and the candidate before it (the
        // latest one valued one less, far enough above). `latest[v]`: candidates valued v so far.
        var length = [Int](repeating: 1, count: candidates.count)
        var previous = [Int](repeating: -1, count: candidates.count)
        var byValue: [Int: [Int]] = [:]
        var best = 0
        for c in candidates.indices {
            let (i, v) = candidates[c]
            if let before = byValue[v - 1],
               let p = before.last(where: { candidates[$0].index + minimumPageLines <= i }) {
                length[c] = length[p] + 1
                previous[c] = p
            }
            byValue[v, default: []].append(c)
            if length[c] > length[best] { best = c }
        }
        guard length[best] >= 3 else { return [] }
        var chain: [Int] = []
        var c = best
        while c >= 0 { chain.append(candidates[c].index); c = previous[c] }
        chain.reverse()
        var gaps = zip(chain.dropFirst(), chain).map { $0 - $1 }
        gaps.sort()
        let median = gaps[gaps.count / 2]
        guard gaps.allSatisfy({ $0 * 3 >= median && $0 <= median * 3 }),
              (chain[chain.count - 1] - chain[0]) * 10 >= lines.count * 4,
              candidates[best].value - (chain.count - 1) <= chain[0] * 2 / max(median, 1) + 3 else { return [] }
        return chain
    }

    static func blank(_ line: inout SourceLine) {
        line = SourceLine(number: line.number, raw: "", text: "", mask: 0)
    }

    /// The fewest pages a document needs for a line repeated at their tops or bottoms to be read
    /// as a running header or footer.
    static let minimumRunningPages = 5

    /// Running headers and footers: the first line with text of each page but the first (whose
    /// top is the document's title), or the last line with text of each page, that reads the same
    /// (whitespace aside, digits read as one digit: `第3页`, `第4页`) on at least 60% of the pages
    /// and three or more. A table's header repeated at the tops of the pages it runs over stays:
    /// no table of a disclosure runs over most of its pages. `pageStarts`: where each page starts
    /// (the first is 0).
    static func runningLines(_ lines: [SourceLine], pageStarts: [Int]) -> [Int] {
        guard pageStarts.count >= minimumRunningPages else { return [] }
        var tops: [String: [Int]] = [:]
        var bottoms: [String: [Int]] = [:]
        // Pages with text (the form feed that ends the last page starts an empty one).
        var pages = 0
        for p in pageStarts.indices {
            let span = pageStarts[p]..<(p + 1 < pageStarts.count ? pageStarts[p + 1] : lines.count)
            guard let first = span.first(where: { !lines[$0].isBlank }),
                  let last = span.last(where: { !lines[$0].isBlank }) else { continue }
            pages += 1
            if p > 0 { tops[runningKey(lines[first].text), default: []].append(first) }
            if p == 0 || last != first { bottoms[runningKey(lines[last].text), default: []].append(last) }
        }
        guard pages >= minimumRunningPages else { return [] }
        let least = max(3, (pages * 6 + 9) / 10)
        var out: [Int] = []
        for (key, at) in tops.merging(bottoms, uniquingKeysWith: +) where at.count >= least {
            // A bare number (an amount, a code) is no running line; page numbers are read above.
            guard key.unicodeScalars.contains(where: { $0 != "#" }) else { continue }
            out += at
        }
        return out.sorted()
    }

    /// A line's text as running lines are compared: no whitespace, each run of ASCII digits one `#`.
    static func runningKey(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var inDigits = false
        for u in text.unicodeScalars {
            if u.value >= 0x30 && u.value <= 0x39 {
                if !inDigits { out.append("#") }
                inDigits = true
                continue
            }
            inDigits = false
            if SourceText.isSpaceScalar(u) { continue }
            out.append(u)
        }
        return String(out)
    }

    /// Removes the form feeds from `lines` and returns the indices of the bare page numbers at the
    /// page boundaries they mark, and where each page starts (the first at 0).
    static func boundaryPageNumbers(_ lines: inout [SourceLine]) -> (numbers: [Int], pageStarts: [Int]) {
        var pageStarts = [0]
        // A candidate next to a boundary, with the count of the page it is printed on (from 1).
        var atBoundary: [(index: Int, value: Int, page: Int)] = []
        var page = 1
        // The last line with text seen, on the current page (nil: none since the boundary), and
        // whether the first line with text after the last boundary is still to come.
        var lastWithText: Int?
        var awaitingFirst = false
        func note(_ i: Int, page: Int) {
            // (A page whose only text is one line: noted once, as its first.)
            if atBoundary.last?.index == i { return }
            if let v = bareNumber(lines[i].text) { atBoundary.append((i, v, page)) }
        }
        for i in lines.indices {
            // (A form feed sets the mask's bit 12, 0x0C & 63: lines without it hold none.)
            let feeds = lines[i].mayContain(1 << 12) ? lines[i].raw.utf8.reduce(0) { $0 + ($1 == 0x0C ? 1 : 0) } : 0
            if feeds > 0 {
                let parts = lines[i].raw.split(separator: "\u{0C}", omittingEmptySubsequences: false)
                // Text before the (first) form feed ends its page; the last line with text before
                // it may be that page's number.
                let before = SourceText.trim(parts[0])
                if before.isEmpty, let last = lastWithText { note(last, page: page) }
                page += feeds
                pageStarts.append(i)
                lines[i] = SourceLine(number: lines[i].number, raw: parts.joined())
                lastWithText = nil
                awaitingFirst = true
            }
            guard !lines[i].isBlank else { continue }
            if awaitingFirst {
                note(i, page: page)
                awaitingFirst = false
            }
            lastWithText = i
        }
        // The text's end ends the last page too (pdftotext's last form feed is after it).
        if let last = lastWithText { note(last, page: page) }
        // The offset (number minus page count) that the most candidates share, if two or more do.
        var counts: [Int: Int] = [:]
        for c in atBoundary { counts[c.value - c.page, default: 0] += 1 }
        guard let best = counts.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }),
              best.value >= 2 else { return ([], pageStarts) }
        return (atBoundary.filter { $0.value - $0.page == best.key }.map(\.index), pageStarts)
    }
}
