import Testing
@testable import GoujiWire

@Suite struct RouterServiceNameTests {
    @Test func unknownTypeReplyNamesTheService() throws {
        let router = MessageRouter(serviceName: "gouji-store")
        let env = try Envelope.make(type: "no.such", id: "42", replyTo: nil, body: [String: String]())
        let reply = try #require(router.route(env))
        #expect(reply.type == "error")
        #expect(reply.replyTo == "42")
        let body = try reply.decodeBody([String: String].self)
        #expect(body["code"] == "unknown_type")
        #expect(body["message"]?.contains("gouji-store does not handle no.such") == true)
    }
}
