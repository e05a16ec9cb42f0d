// `gouji check`: the parse and reconcile libraries run in-process, with no daemon, like a linter.
import ArgumentParser
import Foundation
import GoujiIngest
import GoujiModel
import GoujiParse
import GoujiReconcile

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Parse and reconcile disclosures in-process (no daemon needed).",
        discussion: """
            Exit status: 0 when no document has an error finding, 1 when one does, \
            2 when an input cannot be read (the others are still checked).
            """)

    @Flag(help: "Print one budget-doc/1 JSON object per line, with its findings.")
    var json = false

    @Option(help: "Language of the messages: zh or en.")
    var lang: String = "zh"

    @Argument(help: "Text or PDF files (directories are searched recursively).")
    var files: [String]

    mutating func run() throws {
        guard let language = ReportLanguage(rawValue: lang) else {
            throw ValidationError("--lang takes zh or en, not \(lang)")
        }
        let loader = SubmissionLoader()
        let parser = BudgetParser()
        let reconciler = Reconciler(language: language)
        var unreadable = false
        var anyError = false
        var paths: [String] = []
        for input in files {
            do {
                paths += try Submissions.collect([input])
            } catch {
                FileHandle.standardError.write(Data("gouji check: \(input): cannot be read (\(error))\n".utf8))
                unreadable = true
            }
        }
        for path in paths {
            let submission: Submission
            do {
                submission = try loader.load(path: path)
            } catch {
                FileHandle.standardError.write(Data("gouji check: \(path): \(error)\n".utf8))
                unreadable = true
                continue
            }
            var doc = parser.parse(text: submission.text, source: submission.source, docID: submission.docID)
            let findings = reconciler.findings(for: doc)
            if findings.contains(where: { $0.severity == .error }) { anyError = true }
            if json {
                doc.findings = findings
                let data = try DocumentJSON.encode(doc)
                FileHandle.standardOutput.write(data + Data("\n".utf8))
            } else {
                let report = FindingReport.render(doc, findings: findings, language: language)
                FileHandle.standardOutput.write(Data("== \(path)\n\(report)\n".utf8))
            }
        }
        if unreadable { throw ExitCode(2) }
        if anyError { throw ExitCode(1) }
    }
}
