import Foundation
@testable import GoujiModel
import GoujiTestSupport
import Testing

/// `Label.normalized` answers most labels with a byte scan (`isNormal`); the answer must be the one
/// the full normalisation gives, on labels that take every branch and on every line of the seeds.
@Suite struct LabelShortcutTests {
    @Test func shortcutAgreesWithTheFullNormalisation() throws {
        var labels = trickyLabels
        for f in try SharedData.seedFiles() {
            let text = try String(contentsOf: f, encoding: .utf8)
            labels += text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            labels += text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
        }
        #expect(labels.count > 1000)
        for label in labels {
            #expect(Label.normalized(label) == Label.normalizedFully(label), "\(label.debugDescription)")
            if Label.isNormal(label) { #expect(Label.normalizedFully(label) == label, "\(label.debugDescription)") }
        }
    }
}
