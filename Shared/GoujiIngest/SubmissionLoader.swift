import Crypto
import Foundation
import GoujiModel
#if canImport(Glibc)
import Glibc
#endif

/// Why a submission was refused. Every message says what happened and what to do about it.
public enum IngestError: Error, Equatable, CustomStringConvertible, Sendable {
    case unreadable(path: String, reason: String)
    case empty(name: String)
    case tooLarge(name: String, bytes: Int, limit: Int)
    case binary(name: String)
    case undecodable(name: String)
    case truncatedPDF(name: String)
    case pdfNoText(name: String)
    case pdftotextFailed(name: String, reason: String)
    case spool(reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            "cannot read \(path): \(reason); check the path and its permissions"
        case let .empty(name):
            "\(name) is empty; submit the disclosure's text or PDF"
        case let .tooLarge(name, bytes, limit):
            "\(name) has \(bytes) bytes, above the \(limit)-byte limit; split it or raise ingest.max_document_bytes"
        case let .binary(name):
            "\(name) is binary, neither text nor PDF; submit the disclosure as UTF-8/GB18030 text or as a PDF"
        case let .undecodable(name):
            "\(name) is neither valid UTF-8 nor GB18030/GBK text; re-save it as UTF-8"
        case let .truncatedPDF(name):
            "\(name) is a truncated PDF (no %%EOF trailer); download it again"
        case let .pdfNoText(name):
            "\(name) is a PDF without a text layer (a scan?); run OCR on it first and submit the text"
        case let .pdftotextFailed(name, reason):
            "pdftotext could not convert \(name): \(reason); install poppler-utils or check the PDF"
        case let .spool(reason):
            "the spool could not store the document: \(reason); check free space and permissions under GOUJI_HOME"
        }
    }
}

/// A submission, decoded to text and identified by the hash of its source bytes.
public struct Submission: Sendable, Equatable {
    /// `sha256:` + lowercase hex of the source bytes (before any decoding).
    public var docID: String
    /// The file name (or the name given with the bytes).
    public var name: String
    public var format: SourceFormat
    /// Size of the source bytes.
    public var bytes: Int
    /// The text, UTF-8, with any BOM removed.
    public var text: String

    public init(docID: String, name: String, format: SourceFormat, bytes: Int, text: String) {
        self.docID = docID
        self.name = name
        self.format = format
        self.bytes = bytes
        self.text = text
    }

    public var source: Source { Source(name: name, format: format, bytes: bytes) }
}

/// Turns a path or bytes into a `Submission`: hashes, detects PDF, decodes text, refuses the rest.
public struct SubmissionLoader: Sendable {
    /// Largest accepted source, in bytes.
    public var maxBytes: Int
    /// The pdftotext executable.
    public var pdftotext: String

    public init(maxBytes: Int = 64 << 20, pdftotext: String = "/usr/bin/pdftotext") {
        self.maxBytes = maxBytes
        self.pdftotext = pdftotext
    }

    public static func docID(of bytes: some DataProtocol) -> String {
        let digest = SHA256.hash(data: bytes)
        return "sha256:" + digest.map { byteHex($0) }.joined()
    }

    private static func byteHex(_ b: UInt8) -> String {
        let digits: [Character] = Array("0123456789abcdef")
        return String([digits[Int(b >> 4)], digits[Int(b & 0x0F)]])
    }

    public func load(path: String) throws(IngestError) -> Submission {
        let url = URL(fileURLWithPath: path)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(path: path, reason: Self.reason(of: error))
        }
        return try load(bytes: data, name: url.lastPathComponent, path: path)
    }

    /// Loads bytes. `path`, when the bytes are already a file, spares pdftotext a temporary copy.
    public func load(bytes data: Data, name: String, path: String? = nil) throws(IngestError) -> Submission {
        if data.isEmpty { throw .empty(name: name) }
        if data.count > maxBytes { throw .tooLarge(name: name, bytes: data.count, limit: maxBytes) }
        let id = Self.docID(of: data)
        if data.starts(with: Array("%PDF-".utf8)) {
            let text = try pdfText(data, name: name, path: path)
            return Submission(docID: id, name: name, format: .pdf, bytes: data.count, text: text)
        }
        let text = try Self.decodeText(data, name: name)
        return Submission(docID: id, name: name, format: .text, bytes: data.count, text: text)
    }

    // MARK: Text

    /// UTF-8 (BOM ok), else GB18030 (a superset of GBK and GB2312). Refuses binary content.
    public static func decodeText(_ data: Data, name: String) throws(IngestError) -> String {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if bytes.isEmpty { throw .empty(name: name) }
        if bytes.contains(0) { throw .binary(name: name) }
        let text: String
        if let utf8 = String(validating: bytes, as: UTF8.self) {
            text = utf8
        } else if let gb = gb18030ToUTF8(bytes) {
            text = gb
        } else {
            throw .undecodable(name: name)
        }
        if !looksLikeText(text) { throw .binary(name: name) }
        return text
    }

    /// True when control characters (other than tab, newlines, form feed) are rare.
    static func looksLikeText(_ text: String) -> Bool {
        var control = 0
        var total = 0
        for s in text.unicodeScalars {
            total += 1
            switch s.value {
            case 0x09, 0x0A, 0x0D, 0x0C: continue
            case 0x00...0x1F, 0x7F, 0xFFFD: control += 1
            case 0xE000...0xF8FF: control += 1 // private use: what GB18030 makes of binary
            default: continue
            }
        }
        return total > 0 && control * 100 <= total // at most 1%
    }

    /// Strict GB18030 → UTF-8 through iconv; nil on any invalid or incomplete sequence.
    static func gb18030ToUTF8(_ input: [UInt8]) -> String? {
        #if canImport(Glibc)
        let cd = iconv_open("UTF-8", "GB18030")
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        var source = input.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: input.count * 2 + 16)
        var inLeft = source.count
        var outLeft = output.count
        let capacity = output.count
        let result = source.withUnsafeMutableBufferPointer { ib in
            output.withUnsafeMutableBufferPointer { ob -> Int in
                var ip = ib.baseAddress
                var op = ob.baseAddress
                return iconv(cd, &ip, &inLeft, &op, &outLeft)
            }
        }
        if result == -1 || inLeft != 0 { return nil }
        let produced = output[0..<(capacity - outLeft)].map { UInt8(bitPattern: $0) }
        return String(validating: produced, as: UTF8.self)
        #else
        return nil
        #endif
    }

    // MARK: PDF

    func pdfText(_ data: Data, name: String, path: String?) throws(IngestError) -> String {
        // A complete PDF ends with %%EOF (possibly followed by whitespace) within its last KiB.
        let tail = data.suffix(1024)
        if tail.range(of: Data("%%EOF".utf8)) == nil { throw .truncatedPDF(name: name) }
        var input = path
        var temporary: String?
        if input == nil {
            let t = NSTemporaryDirectory() + "gouji-pdf-\(UUID().uuidString).pdf"
            do { try data.write(to: URL(fileURLWithPath: t)) } catch {
                throw .pdftotextFailed(name: name, reason: "cannot write a temporary copy: \(Self.reason(of: error))")
            }
            temporary = t
            input = t
        }
        defer { if let t = temporary { try? FileManager.default.removeItem(atPath: t) } }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: pdftotext)
        process.arguments = ["-layout", "-enc", "UTF-8", input ?? "", "-"]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw .pdftotextFailed(name: name, reason: Self.reason(of: error))
        }
        // Read stdout before waiting, so a large text cannot fill the pipe and stall the child.
        let text = out.fileHandleForReading.readDataToEndOfFile()
        let errText = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            let why = String(decoding: errText, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw .pdftotextFailed(name: name, reason: why.isEmpty ? "exit status \(process.terminationStatus)" : why)
        }
        let s = String(decoding: text, as: UTF8.self)
        if s.unicodeScalars.allSatisfy({ $0.properties.isWhitespace || $0.value == 0x0C }) {
            throw .pdfNoText(name: name)
        }
        return s
    }

    static func reason(of error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSCocoaErrorDomain, ns.code == NSFileReadNoSuchFileError { return "no such file" }
        if ns.domain == NSCocoaErrorDomain, ns.code == NSFileReadNoPermissionError { return "permission denied" }
        return ns.localizedDescription
    }
}
