import Foundation
import GoujiModel
import GoujiTestSupport
@testable import GoujiWire
import Testing

@Suite struct JSONValueDecoderTests {
    func value(_ text: String) throws -> JSONValue { try JSONValue(parsing: Data(text.utf8)) }

    @Test func goldDocumentsDecodeAsJSONDecoderDoes() throws {
        let files = try SharedData.goldFiles()
        #expect(files.count == 5)
        for f in files {
            let data = try Data(contentsOf: f)
            let reference = try DocumentJSON.decode(data)
            let decoded = try JSONValueDecoder().decode(BudgetDocument.self, from: JSONValue(parsing: data))
            #expect(decoded == reference, "\(f.lastPathComponent)")
            // And through an envelope, as the services receive it.
            let env = try Envelope.make(type: "doc", body: reference)
            #expect(try env.decodeBody(BudgetDocument.self) == reference)
        }
    }

    struct Shapes: Codable, Equatable {
        var name: String
        var count: Int
        var small: UInt8
        var ratio: Double
        var flag: Bool
        var note: String?
        var list: [Int?]
        var table: [String: [String]]
        var nested: [Shapes]
    }

    @Test func shapesDecodeAsJSONDecoderDoes() throws {
        let text = #"""
        {"name":"一般公共预算","count":-3,"small":255,"ratio":2,"flag":true,"note":null,"list":[1,null,3],
         "table":{"a":["x"],"b":[]},
         "nested":[{"name":"n","count":1.0,"small":0,"ratio":0.5,"flag":false,"list":[],"table":{},"nested":[]}]}
        """#
        let reference = try JSONDecoder().decode(Shapes.self, from: Data(text.utf8))
        #expect(try JSONValueDecoder().decode(Shapes.self, from: value(text)) == reference)
    }

    @Test func mismatchesAreDecodingErrorsWithTheirPath() throws {
        struct Need: Decodable { var items: [Item] }
        struct Item: Decodable { var n: UInt8 }
        func reason(_ text: String) throws -> String {
            let env = Envelope(type: "t", id: "1", replyTo: nil, body: try value(text))
            switch Result(catching: { () throws(WireError) -> Need in try env.decodeBody(Need.self) }) {
            case .success: return ""
            case .failure(.invalidBody(_, let reason)): return reason
            case .failure(let other): return "\(other)"
            }
        }
        #expect(try reason(#"{}"#) == "missing key 'items'")
        #expect(try reason(#"{"items":[{"n":1},{"n":"2"}]}"#).hasPrefix("expected UInt8 at 'items.[1].n'"))
        #expect(try reason(#"{"items":[{"n":null}]}"#).hasPrefix("null where UInt8 is required at 'items.[0].n'"))
        #expect(try reason(#"{"items":[{"n":256}]}"#) == "256 does not fit in UInt8 at 'items.[0].n'")
        #expect(try reason(#"{"items":[{"n":1.5}]}"#) == "1.5 does not fit in UInt8 at 'items.[0].n'")
        #expect(try reason(#"{"items":{"n":1}}"#).hasPrefix("expected Array<Any> at 'items'"))
        #expect(try reason(#"{"items":[{"n":1}]}"#) == "")
    }

    /// String-keyed dictionaries are decoded member by member: each member's path names its key,
    /// and a value that is not an object is still a type mismatch.
    @Test func dictionaryMembersCarryTheirKeyInThePath() throws {
        struct Holder: Decodable, Equatable { var map: [String: [String: UInt8]] }
        #expect(try JSONValueDecoder().decode(Holder.self, from: value(#"{"map":{"a":{"x":1},"b":{}}}"#))
                == Holder(map: ["a": ["x": 1], "b": [:]]))
        let env = Envelope(type: "t", id: "1", replyTo: nil, body: try value(#"{"map":{"a":{"x":1},"b":{"y":"2"}}}"#))
        #expect(throws: WireError.invalidBody(type: "t", reason: "expected UInt8 at 'map.b.y'")) {
            try env.decodeBody(Holder.self)
        }
        #expect(throws: (any Error).self) { try JSONValueDecoder().decode(Holder.self, from: value(#"{"map":[]}"#)) }
    }
}
