import Foundation
import GoujiTransport
import GoujiWire
import Logging

/// The one place the runtime touches the wire types: typed bodies in and out of envelopes.
enum Wire {
    static func envelope(_ type: String, _ body: some Encodable, replyTo: String? = nil) -> Envelope {
        do {
            return try Envelope.make(type: type, replyTo: replyTo, body: body)
        } catch {
            // Our own bodies always encode; should one not, the peer gets an error it can report.
            return Envelope.error(code: "internal_error", message: "cannot encode \(type): \(error)", replyTo: replyTo)
        }
    }

    static func decode<T: Decodable>(_ env: Envelope, as: T.Type) throws -> T {
        try env.decodeBody(T.self)
    }
}

extension FrameConnection {
    /// Sends a typed message; returns its id.
    @discardableResult
    func sendMessage(_ type: String, _ body: some Encodable, replyTo: String? = nil) -> String {
        let env = Wire.envelope(type, body, replyTo: replyTo)
        send(env)
        return env.id
    }

    func sendError(code: String, message: String, replyTo: String?) {
        send(Envelope.error(code: code, message: message, replyTo: replyTo))
    }
}

extension ReconnectingClient {
    static func make(loop: EventLoop, path: String, maxFrameBytes: Int) -> ReconnectingClient {
        let c = ReconnectingClient(loop: loop, path: path, initialBackoffMs: 20, maxBackoffMs: 1000)
        c.maxFrameBytes = maxFrameBytes
        return c
    }
}
