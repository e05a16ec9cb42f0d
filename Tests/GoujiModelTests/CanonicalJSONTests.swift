import Foundation
import GoujiModel
import GoujiTestSupport
import Testing

/// `CanonicalJSONEncoder` must write exactly what Foundation's `JSONEncoder` writes with the
/// document options: stored documents are compared by these bytes.
@Suite struct CanonicalJSONTests {
    func foundation<T: Encodable>(_ value: T, pretty: Bool) throws -> String {
        String(decoding: try DocumentJSON.encoder(pretty: pretty).encode(value), as: UTF8.self)
    }

    func canonical<T: Encodable>(_ value: T, pretty: Bool) throws -> String {
        String(decoding: try CanonicalJSONEncoder(pretty: pretty).encode(value), as: UTF8.self)
    }

    @Test func goldDocumentsEncodeAsFoundationDoes() throws {
        let files = try SharedData.goldFiles()
        #expect(files.count == 5)
        for f in files {
            var doc = try DocumentJSON.decode(try Data(contentsOf: f))
            doc.findings = [Finding(rule: "T-SUM", severity: .error, message: "合计 \"≠\" 明细\n",
                                    refs: [FindingRef(table: "expenditure", code: "2080109", column: "total")],
                                    expected: "1.00", found: "2.00")]
            for pretty in [false, true] {
                #expect(try canonical(doc, pretty: pretty) == foundation(doc, pretty: pretty), "\(f.lastPathComponent) pretty=\(pretty)")
            }
            #expect(String(decoding: try DocumentJSON.encode(doc), as: UTF8.self) == (try foundation(doc, pretty: false)))
        }
    }

    struct Shapes: Encodable {
        var empty: [Int] = []
        var emptyObject: [String: Int] = [:]
        var text = "x\u{1}\u{1f}\"\\/\n\r\t\u{8}\u{c}\u{7f}中文 ☃ 𝄞"
        var missing: Int? = nil
        var flag = true
        var nested: [[Int]] = [[1, -2], []]
        var big: Int64 = -9_223_372_036_854_775_807
        var unsigned: UInt8 = 255
        var keys: [String: String] = ["b": "1", "B": "2", "_": "3", "é": "4", "a10": "5", "a9": "6"]
        var optionals: [Int?] = [1, nil]
        var whole = 3.0
        var fraction = 0.1
    }

    @Test func edgeShapesEncodeAsFoundationDoes() throws {
        for pretty in [false, true] {
            #expect(try canonical(Shapes(), pretty: pretty) == foundation(Shapes(), pretty: pretty))
            #expect(try canonical([Shapes()], pretty: pretty) == foundation([Shapes()], pretty: pretty))
            #expect(try canonical("top-level", pretty: pretty) == foundation("top-level", pretty: pretty))
        }
    }

    struct TwiceEncoded: Encodable {
        enum Key: String, CodingKey { case a, b }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(1, forKey: .b)
            try c.encode("first", forKey: .a)
            try c.encode("last", forKey: .a)
        }
    }

    @Test func aKeyEncodedTwiceKeepsItsLastValue() throws {
        #expect(try canonical(TwiceEncoded(), pretty: false) == #"{"a":"last","b":1}"#)
        #expect(try canonical(TwiceEncoded(), pretty: false) == foundation(TwiceEncoded(), pretty: false))
    }

    @Test func nonFiniteNumbersAreRefused() {
        #expect(throws: EncodingError.self) { try CanonicalJSONEncoder().encode([Double.nan]) }
    }
}
