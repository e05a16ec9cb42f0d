import Foundation
import GoujiTransport
import GoujiWire

/// Synchronous request/reply to a gouji socket, for the CLI and tests. Typed bodies both ways.
public struct GoujiClient: Sendable {
    public let home: GoujiHome
    public var timeoutMs: Int

    public init(home: GoujiHome, timeoutMs: Int = 30_000) {
        self.home = home
        self.timeoutMs = timeoutMs
    }

    public func call<Reply: Decodable>(_ socket: String, _ type: String, _ body: some Encodable,
                                       as: Reply.Type, timeoutMs: Int? = nil) throws -> Reply {
        let request = Wire.envelope(type, body)
        let reply: Envelope
        do {
            reply = try requestReply(path: socket, request, timeoutMs: timeoutMs ?? self.timeoutMs)
        } catch {
            if !FileManager.default.fileExists(atPath: socket) { throw RuntimeError.notRunning(home: home.root) }
            throw RuntimeError.service("no answer from \(socket): \(error)")
        }
        if reply.type == MessageType.error {
            let e = try? Wire.decode(reply, as: ErrorBody.self)
            throw RuntimeError.service(e?.message ?? "error reply from \(socket)")
        }
        do { return try Wire.decode(reply, as: Reply.self) } catch {
            throw RuntimeError.service("unexpected \(reply.type) reply from \(socket): \(error)")
        }
    }

    public func status() throws -> StatusBody {
        try call(home.controlSocket, MessageType.status, Empty(), as: StatusBody.self)
    }
}
