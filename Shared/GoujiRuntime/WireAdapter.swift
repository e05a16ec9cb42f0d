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

/// A service's own failure, sent by the router as an `error` reply with `code` and `message`.
struct ServiceError: CodedError {
    let code: String
    let message: String

    static func badRequest(_ message: String) -> ServiceError { ServiceError(code: "bad_request", message: message) }
}

extension FrameConnection {
    /// Routes every message through `router` and sends its reply, if any, back on this connection.
    func serve(_ router: MessageRouter) {
        onMessage = { [weak self] env in
            guard let self, let reply = router.route(env) else { return }
            self.send(reply)
        }
    }
}

extension UnixServer {
    /// The one way a service listens: every accepted connection gets the router `routes` returns
    /// for it (nil: the service is gone, messages are ignored), each message goes through that
    /// router and its reply, if any, is sent back on the same connection.
    ///
    /// A router whose handlers hold the connection keeps it alive only until it closes
    /// (a closed FrameConnection drops its callbacks).
    static func listening(loop: EventLoop, path: String, maxFrameBytes: Int,
                          routes: @escaping (FrameConnection) -> MessageRouter?) throws -> UnixServer {
        let server = UnixServer(loop: loop, path: path, maxFrameBytes: maxFrameBytes)
        server.onConnection = { conn in
            if let router = routes(conn) { conn.serve(router) }
        }
        try server.start()
        return server
    }
}
