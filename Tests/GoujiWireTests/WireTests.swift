import Foundation
import Testing
@testable import GoujiWire
import GoujiTestSupport

func randomString(_ rng: inout SplitMix64) -> String {
    let pool: [String] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{01}", "预", "算", "勾稽", "😀", "é", "{", "}", "[", ","]
    let n = Int.random(in: 0...12, using: &rng)
    return (0..<n).map { _ in pool[Int.random(in: 0..<pool.count, using: &rng)] }.joined()
}

func randomValue(_ rng: inout SplitMix64, depth: Int = 0) -> JSONValue {
    let pick = Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &rng)
    switch pick {
    case 0: return .null
    case 1: return .bool(Bool.random(using: &rng))
    case 2: return .int(Int64.random(in: Int64.min...Int64.max, using: &rng))
    case 3: return .double(Double.random(in: -1e12...1e12, using: &rng))
    case 4: return .string(randomString(&rng))
    case 5: return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in randomValue(&rng, depth: depth + 1) })
    default:
        var o: [String: JSONValue] = [:]
        for _ in 0..<Int.random(in: 0...4, using: &rng) { o[randomString(&rng)] = randomValue(&rng, depth: depth + 1) }
        return .object(o)
    }
}

func randomEnvelope(_ rng: inout SplitMix64, index: Int) -> Envelope {
    Envelope(type: "t.\(index % 5)", id: "id-\(index)", replyTo: Bool.random(using: &rng) ? "r-\(index)" : nil,
             body: .object(["n": .int(Int64(index)), "v": randomValue(&rng)]))
}

func frame(_ json: String) -> [UInt8] {
    let b = Array(json.utf8)
    let n = UInt32(b.count)
    return [UInt8(n >> 24), UInt8((n >> 16) & 0xFF), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)] + b
}

/// Feeds `stream` in the given chunk sizes; returns every inbound item, and the fatal error if any.
func decodeAll(_ stream: [UInt8], chunks: [Int], max: Int = FrameDecoder.defaultMaxFrameBytes) -> ([Envelope.Inbound], WireError?) {
    var d = FrameDecoder(maxFrameBytes: max)
    var out: [Envelope.Inbound] = []
    var pos = 0
    var k = 0
    while pos < stream.count {
        let n = Swift.min(chunks[k % chunks.count], stream.count - pos)
        k += 1
        d.append(contentsOf: stream[pos..<(pos + n)])
        pos += n
        do {
            while let m = try d.nextMessage() { out.append(m) }
        } catch {
            return (out, error)
        }
    }
    return (out, nil)
}

@Suite struct JSONCodecTests {
    @Test func roundTripsRandomValues() throws {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<500 {
            let v = randomValue(&rng)
            let bytes = v.jsonBytes()
            let back = try JSONValue(parsing: bytes)
            #expect(back == v, "round trip of \(v.jsonString)")
            // Foundation agrees that the text is JSON.
            let parsed = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
            _ = parsed
        }
    }

    @Test func parsesEscapesAndUnicode() throws {
        let v = try JSONValue(parsing: Array(#"{"a":"x\"y\\z\/\n\u00e9\ud83d\ude00\u9884","b":[1,-2,3.5,1e3,-0,true,false,null]}"#.utf8))
        #expect(v["a"] == .string("x\"y\\z/\né😀预"))
        #expect(v["b"] == .array([.int(1), .int(-2), .double(3.5), .double(1000), .int(0), .bool(true), .bool(false), .null]))
        #expect(try JSONValue(parsing: Array("9223372036854775807".utf8)) == .int(.max))
        #expect(try JSONValue(parsing: Array("-9223372036854775808".utf8)) == .int(.min))
        #expect(try JSONValue(parsing: Array("9223372036854775808".utf8)) == .double(9223372036854775808))
    }

    @Test(arguments: [
        "", " ", "{", "}", "[1,]", "{\"a\":}", "{\"a\" 1}", "{a:1}", "01", "1.", ".5", "-", "1e", "+1",
        "tru", "nul", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00x\"", "\"a\u{01}b\"",
        "[1] 2", "{\"a\":1,}", "NaN", "Infinity", "[[[[",
    ])
    func rejectsInvalidJSON(_ text: String) {
        #expect(throws: WireError.self) { try JSONValue(parsing: Array(text.utf8)) }
    }

    /// Nested objects share the parser's member stack: each gets exactly its own members, and a
    /// repeated key keeps its last value (as JSONSerialization does).
    @Test func nestedObjectsKeepTheirOwnMembersAndTheLastOfARepeatedKey() throws {
        let v = try JSONValue(parsing: Array(#"{"a":{"x":1,"y":{"z":[{"k":1,"k":2},{}]},"x":3},"b":{},"a2":{"q":null}}"#.utf8))
        #expect(v == ["a": ["x": 3, "y": ["z": [["k": 2], [:]]]], "b": [:], "a2": ["q": nil]])
        #expect(throws: WireError.self) { try JSONValue(parsing: Array(#"{"a":{"b":1,}"#.utf8)) }
    }

    @Test func rejectsInvalidUTF8AndDeepNesting() {
        #expect(throws: WireError.self) { try JSONValue(parsing: [0x22, 0xFF, 0xFE, 0x22]) }
        #expect(throws: WireError.self) { try JSONValue(parsing: [0x22, 0xC3, 0x22]) }
        // Long strings take the 8-bytes-at-a-time path: a bad byte anywhere is still found.
        let a = [UInt8](repeating: 0x61, count: 21)
        for bad: [UInt8] in [[0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE0, 0x80, 0x80], [0x80]] {
            #expect(throws: WireError.self) { try JSONValue(parsing: [0x22] + a + bad + a + [0x22]) }
        }
        let good = "预算勾稽 " + String(repeating: "x", count: 30) + " 😀"
        #expect((try? JSONValue(parsing: Array("\"\(good)\"".utf8))) == .string(good))
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: WireError.self) { try JSONValue(parsing: Array(deep.utf8)) }
        let ok = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect((try? JSONValue(parsing: Array(ok.utf8))) != nil)
    }

    @Test func codableBridgeAgreesWithFoundation() throws {
        struct Item: Codable, Equatable { var name: String; var amount: String; var count: Int; var tags: [String]; var note: String? }
        let item = Item(name: "一般公共预算/拨款", amount: "1234.50", count: 7, tags: ["a", "b"], note: nil)
        let env = try Envelope.make(type: "x", body: item)
        #expect(env.body["name"] == .string("一般公共预算/拨款"))
        #expect(env.body["count"] == .int(7))
        #expect(try env.decodeBody(Item.self) == item)
        // A JSONValue body passes through untouched.
        let raw: JSONValue = ["k": [1, 2.5, "s", nil]]
        #expect(try Envelope.make(type: "y", body: raw).body == raw)
        // A body of the wrong shape is a typed error naming what is wrong.
        struct Other: Codable { var missing: Int }
        do {
            _ = try env.decodeBody(Other.self)
            Issue.record("expected invalidBody")
        } catch {
            guard case .invalidBody(let type, let reason) = error else { Issue.record("wrong error \(error)"); return }
            #expect(type == "x")
            #expect(reason.contains("missing"))
        }
    }
}

@Suite struct EnvelopeTests {
    @Test func encodesTheDocumentedShape() throws {
        let e = Envelope(type: "ping", id: "a1", replyTo: nil, body: ["x": 1])
        #expect(String(decoding: e.jsonBytes(), as: UTF8.self) == #"{"v":1,"type":"ping","id":"a1","reply_to":null,"body":{"x":1}}"#)
        let r = e.reply(type: "pong")
        #expect(r.replyTo == "a1")
        let f = e.frameBytes()
        #expect(f.count == 4 + e.jsonBytes().count)
        #expect(Array(f[0..<4]) == [0, 0, 0, UInt8(e.jsonBytes().count)])
        #expect(try Envelope(jsonBytes: e.jsonBytes()) == e)
    }

    @Test func errorEnvelope() {
        let e = Envelope.error(code: "nope", message: "do this instead", replyTo: "q7")
        #expect(e.type == "error")
        #expect(e.replyTo == "q7")
        #expect(e.body == ["code": "nope", "message": "do this instead"])
        #expect(e.errorInfo?.code == "nope")
    }

    @Test func idsAreUnique() {
        let ids = (0..<10_000).map { _ in Envelope.newID() }
        #expect(Set(ids).count == ids.count)
    }

    @Test func unknownVersionKeepsTheID() {
        let out = Envelope.decode(raw: UnsafeRawBufferPointer(start: nil, count: 0))
        #expect(out == .malformed(.invalidJSON(reason: "unexpected end of input", offset: 0), id: nil))
        let text = Array(#"{"v":2,"type":"ping","id":"q1","reply_to":null,"body":{}}"#.utf8)
        let r = text.withUnsafeBytes { Envelope.decode(raw: $0) }
        #expect(r == .malformed(.unsupportedVersion(2), id: "q1"))
        #expect(throws: WireError.unsupportedVersion(2)) { try Envelope(jsonBytes: text) }
    }

    @Test(arguments: [
        (#"{"type":"ping","id":"q","reply_to":null,"body":{}}"#, WireError.missingField("v")),
        (#"{"v":1,"id":"q","reply_to":null,"body":{}}"#, WireError.missingField("type")),
        (#"{"v":1,"type":"ping","reply_to":null,"body":{}}"#, WireError.missingField("id")),
        (#"{"v":1,"type":"ping","id":"q","reply_to":null}"#, WireError.missingField("body")),
        (#"{"v":"1","type":"ping","id":"q","body":{}}"#, WireError.wrongFieldType(field: "v", expected: "an integer")),
        (#"{"v":1,"type":3,"id":"q","body":{}}"#, WireError.wrongFieldType(field: "type", expected: "a string")),
        (#"{"v":1,"type":"p","id":"q","reply_to":5,"body":{}}"#, WireError.wrongFieldType(field: "reply_to", expected: "a string or null")),
        (#"[1,2]"#, WireError.wrongFieldType(field: "(envelope)", expected: "a JSON object")),
    ])
    func structuralFaultsAreTyped(_ text: String, _ expected: WireError) {
        #expect(throws: expected) { try Envelope(jsonBytes: Array(text.utf8)) }
    }
}

@Suite struct FrameDecoderTests {
    @Test func anySplitYieldsTheSameMessages() throws {
        var rng = SplitMix64(seed: 7)
        let envelopes = (0..<200).map { randomEnvelope(&rng, index: $0) }
        var stream: [UInt8] = []
        for e in envelopes { e.encodeFrame(into: &stream) }
        let expected = envelopes.map { Envelope.Inbound.envelope($0) }
        // One byte at a time, everything at once, and 50 random splits.
        #expect(decodeAll(stream, chunks: [1]).0 == expected)
        #expect(decodeAll(stream, chunks: [stream.count]).0 == expected)
        for _ in 0..<50 {
            let chunks = (0..<20).map { _ in Int.random(in: 1...300, using: &rng) }
            let (got, err) = decodeAll(stream, chunks: chunks)
            #expect(err == nil)
            #expect(got == expected)
        }
    }

    @Test func oversizePrefixIsRejectedBeforeTheBody() {
        var d = FrameDecoder(maxFrameBytes: 1024)
        d.append(contentsOf: [0x00, 0x00, 0x04])
        #expect((try? d.nextMessage()) == .some(nil))
        d.append(contentsOf: [0x01])  // 1025 > 1024, and no body byte has arrived
        #expect(throws: WireError.frameTooLarge(length: 1025, limit: 1024)) { try d.nextMessage() }
        #expect(d.bufferedBytes == 0)
        // The decoder stays failed: later bytes are dropped, the error repeats.
        d.append(contentsOf: frame(#"{"v":1,"type":"a","id":"b","body":{}}"#))
        #expect(d.bufferedBytes == 0)
        #expect(throws: WireError.frameTooLarge(length: 1025, limit: 1024)) { try d.nextFrame() }
        // Exactly at the limit is fine; the max prefix (4 GiB - 1) is rejected by the default limit.
        var ok = FrameDecoder(maxFrameBytes: 5)
        ok.append(contentsOf: [0, 0, 0, 5] + Array("hello".utf8))
        #expect((try? ok.nextFrame()) == .some(Array("hello".utf8)))
        var huge = FrameDecoder()
        huge.append(contentsOf: [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(throws: WireError.frameTooLarge(length: 0xFFFF_FFFF, limit: 64 << 20)) { try huge.nextFrame() }
    }

    @Test func invalidJSONFrameDoesNotLoseTheNextOne() {
        let good = Envelope(type: "ping", id: "g1", body: ["a": "b"])
        var stream = frame(#"{"v":1,"type":"ping","id":"x",#"#) + frame("") + frame(#"{"v":9,"type":"t","id":"old","body":{}}"#)
        good.encodeFrame(into: &stream)
        let (got, err) = decodeAll(stream, chunks: [3])
        #expect(err == nil)
        #expect(got.count == 4)
        if case .malformed(.invalidJSON, nil) = got[0] {} else { Issue.record("frame 0: \(got[0])") }
        if case .malformed(.invalidJSON, nil) = got[1] {} else { Issue.record("frame 1: \(got[1])") }
        #expect(got[2] == .malformed(.unsupportedVersion(9), id: "old"))
        #expect(got[3] == .envelope(good))
    }

    @Test func randomGarbageNeverCrashes() {
        var rng = SplitMix64(seed: 2024)
        var sawMalformed = 0
        var sawOversize = 0
        for trial in 0..<300 {
            var stream: [UInt8] = []
            // Half the trials: valid small prefixes around garbage bodies; half: pure noise.
            for _ in 0..<Int.random(in: 1...20, using: &rng) {
                let n = Int.random(in: 0...64, using: &rng)
                let body = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
                if trial % 2 == 0 {
                    stream += [0, 0, 0, UInt8(n)] + body
                } else {
                    stream += body
                }
            }
            let chunks = (0..<8).map { _ in Int.random(in: 1...40, using: &rng) }
            let (got, err) = decodeAll(stream, chunks: chunks, max: 4096)
            for g in got { if case .malformed = g { sawMalformed += 1 } }
            if case .frameTooLarge = err { sawOversize += 1 } else { #expect(err == nil) }
            if trial % 2 == 0 { #expect(err == nil) }
        }
        #expect(sawMalformed > 100)
        #expect(sawOversize > 10)
    }
}

@Suite struct MessageRouterTests {
    struct Boom: CodedError { var code = "busy"; var message = "retry later" }

    func router() -> MessageRouter {
        var r = MessageRouter()
        r.on("ping") { e in e.reply(type: "pong", body: e.body) }
        r.on("fail") { _ in throw Boom() }
        r.on("bad") { e in
            struct Need: Decodable { var n: Int }
            let need = try e.decodeBody(Need.self)
            return e.reply(type: "ok", body: ["n": .int(Int64(need.n))])
        }
        r.on("quiet") { _ in nil }
        return r
    }

    @Test func knownTypeIsHandled() {
        let reply = router().route(Envelope(type: "ping", id: "p1", body: ["z": true]))
        #expect(reply?.type == "pong")
        #expect(reply?.replyTo == "p1")
        #expect(reply?.body == ["z": true])
        #expect(router().route(Envelope(type: "quiet", id: "q")) == nil)
        #expect(router().knownTypes == ["ping", "fail", "bad", "quiet"])
    }

    @Test func unknownTypeGetsAnErrorReply() {
        let reply = router().route(Envelope(type: "launch.missiles", id: "m1"))
        #expect(reply?.type == "error")
        #expect(reply?.replyTo == "m1")
        #expect(reply?.errorInfo?.code == "unknown_type")
        #expect(reply?.errorInfo?.message.contains("launch.missiles") == true)
        // Error envelopes are never answered (no error ping-pong).
        #expect(router().route(Envelope.error(code: "x", message: "y", replyTo: "z")) == nil)
    }

    @Test func handlerErrorsBecomeErrorReplies() {
        #expect(router().route(Envelope(type: "fail", id: "f"))?.errorInfo?.code == "busy")
        let bad = router().route(Envelope(type: "bad", id: "b", body: ["n": "not a number"]))
        #expect(bad?.errorInfo?.code == "invalid_body")
        #expect(bad?.replyTo == "b")
        let good = router().route(Envelope(type: "bad", id: "b2", body: ["n": 3]))
        #expect(good?.body == ["n": 3])
        // A malformed frame routes to its error reply.
        let m = router().route(Envelope.Inbound.malformed(.unsupportedVersion(3), id: "old"))
        #expect(m?.errorInfo?.code == "unsupported_version")
        #expect(m?.replyTo == "old")
    }
}
