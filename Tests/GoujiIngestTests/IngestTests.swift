import Foundation
import Testing
@testable import GoujiIngest
import GoujiTestSupport

func tempDir(_ tag: String) -> String {
    let p = NSTemporaryDirectory() + "gouji-ingest-\(tag)-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
    return p
}

func seedsDir() -> String {
    SharedData.root.appendingPathComponent("seeds").path
}

@Suite struct LoaderTests {
    let loader = SubmissionLoader()

    @Test func docIDIsSHA256OfTheBytes() throws {
        let s = try loader.load(bytes: Data("abc".utf8), name: "a.txt")
        #expect(s.docID == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(s.format == .text)
        #expect(s.text == "abc")
        #expect(s.bytes == 3)
    }

    @Test func utf8BOMIsRemovedButHashedAsSent() throws {
        let bytes = Data([0xEF, 0xBB, 0xBF] + Array("预算".utf8))
        let s = try loader.load(bytes: bytes, name: "b.txt")
        #expect(s.text == "预算")
        #expect(s.docID == SubmissionLoader.docID(of: bytes))
        #expect(s.docID != SubmissionLoader.docID(of: Data("预算".utf8)))
    }

    @Test func gb18030IsDecoded() throws {
        // 部门预算 in GBK/GB18030: B2BF C3C5 D4A4 CBE3
        let bytes = Data([0xB2, 0xBF, 0xC3, 0xC5, 0xD4, 0xA4, 0xCB, 0xE3, 0x0A, 0x31, 0x32, 0x2E, 0x35])
        let s = try loader.load(bytes: bytes, name: "gbk.txt")
        #expect(s.text == "部门预算\n12.5")
    }

    @Test func seedRoundTripsThroughGB18030() throws {
        let dir = seedsDir()
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".txt") }.sorted()
        #expect(!files.isEmpty)
        guard let first = files.first else { return }
        let utf8 = try String(contentsOfFile: dir + "/" + first, encoding: .utf8)
        // Encode with iconv (the system tool) and decode with the loader.
        let tmp = tempDir("gb")
        let src = tmp + "/in.txt"
        try utf8.write(toFile: src, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        p.arguments = ["-f", "UTF-8", "-t", "GB18030", src]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let gb = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(String(data: gb, encoding: .utf8) == nil || gb == Data(utf8.utf8))
        let s = try loader.load(bytes: gb, name: first)
        #expect(s.text == utf8)
    }

    @Test func binaryIsRefused() {
        var bytes = [UInt8](repeating: 0, count: 256)
        for i in 0..<256 { bytes[i] = UInt8(i) }
        #expect(throws: IngestError.binary(name: "x.bin")) { try loader.load(bytes: Data(bytes), name: "x.bin") }
        // ELF header without NUL bytes still has control characters.
        let ctrl = Data((0..<200).map { UInt8(1 + $0 % 8) })
        #expect(throws: IngestError.binary(name: "c")) { try loader.load(bytes: ctrl, name: "c") }
    }

    @Test func undecodableIsRefused() {
        // 0xFF is invalid in both UTF-8 and GB18030.
        let bytes = Data(Array("预算".utf8) + [0xFF, 0xFF, 0x41])
        #expect(throws: IngestError.undecodable(name: "u.txt")) { try loader.load(bytes: bytes, name: "u.txt") }
    }

    @Test func emptyAndMissingAreRefused() {
        #expect(throws: IngestError.empty(name: "e")) { try loader.load(bytes: Data(), name: "e") }
        do {
            _ = try loader.load(path: "/nonexistent/file.txt")
            Issue.record("missing file accepted")
        } catch {
            #expect(error.description.contains("/nonexistent/file.txt"))
        }
    }

    @Test func truncatedPDFIsRefused() {
        let bytes = Data("%PDF-1.4\n1 0 obj << >> endobj\n".utf8)
        #expect(throws: IngestError.truncatedPDF(name: "t.pdf")) { try loader.load(bytes: bytes, name: "t.pdf") }
    }

    @Test func pdfTextIsExtracted() throws {
        let pdf = Self.minimalPDF(text: "Budget 2024 total 1234.56")
        let s = try loader.load(bytes: pdf, name: "m.pdf")
        #expect(s.format == .pdf)
        #expect(s.text.contains("Budget 2024 total 1234.56"))
        #expect(s.docID == SubmissionLoader.docID(of: pdf))
    }

    /// A one-page PDF with a text layer, built with a correct xref table.
    static func minimalPDF(text: String) -> Data {
        let stream = "BT /F1 12 Tf 72 720 Td (\(text)) Tj ET"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
        var out = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (i, o) in objects.enumerated() {
            offsets.append(out.utf8.count)
            out += "\(i + 1) 0 obj\n\(o)\nendobj\n"
        }
        let xref = out.utf8.count
        out += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for o in offsets { out += String(format: "%010d 00000 n \n", o) }
        out += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(out.utf8)
    }
}

@Suite struct SpoolTests {
    let loader = SubmissionLoader()

    @Test func acceptIsDurableAndDuplicatesAreRecognised() throws {
        let dir = tempDir("spool")
        let spool = try Spool(directory: dir)
        let a = try loader.load(bytes: Data("文档甲".utf8), name: "a.txt")
        #expect(try spool.accept(a) == .accepted)
        #expect(try spool.accept(a) == .duplicate(.accepted))
        let back = try spool.load(a.docID)
        #expect(back == a)
        try spool.mark(a.docID, .stored)
        #expect(try spool.accept(a) == .duplicate(.stored))
    }

    @Test func restartRedeliversWhatWasNotStored() throws {
        let dir = tempDir("restart")
        var ids: [String] = []
        do {
            let spool = try Spool(directory: dir)
            for i in 0..<5 {
                let s = try loader.load(bytes: Data("doc \(i)".utf8), name: "\(i).txt")
                _ = try spool.accept(s)
                ids.append(s.docID)
            }
            try spool.mark(ids[0], .stored)
            try spool.mark(ids[1], .parsed)
            try spool.mark(ids[2], .failed, reason: "no tables")
        }
        // Simulate a torn write at the end of the journal.
        let fh = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/journal.log"))
        try fh.seekToEnd()
        try fh.write(contentsOf: Data("{\"doc_id\":\"sha2".utf8))
        try fh.close()
        let again = try Spool(directory: dir)
        #expect(again.pending().map(\.docID) == [ids[1], ids[3], ids[4]])
        #expect(again.record(ids[2])?.reason == "no tables")
        #expect(again.record(ids[0])?.state == .stored)
        #expect(again.counts()[.failed] == 1)
        // A failed document submitted again is accepted again.
        let failed = try again.load(ids[2])
        #expect(try again.accept(failed) == .accepted)
        #expect(again.pending().map(\.docID).contains(ids[2]))
    }

    @Test func journalIsCompactedOnOpen() throws {
        let dir = tempDir("compact")
        let s = try loader.load(bytes: Data("x".utf8), name: "x.txt")
        do {
            let spool = try Spool(directory: dir)
            _ = try spool.accept(s)
            for i in 0..<100 { try spool.mark(s.docID, i % 2 == 0 ? .parsed : .accepted) }
        }
        _ = try Spool(directory: dir)
        let lines = try String(contentsOfFile: dir + "/journal.log", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1)
        let reopened = try Spool(directory: dir)
        #expect(reopened.record(s.docID)?.state == .accepted)
    }
}
