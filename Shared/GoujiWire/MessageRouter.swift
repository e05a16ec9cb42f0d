/// Maps message types to handlers and answers everything else with an error reply, so each service
/// declares the set of types it handles in one place.
///
/// A handler returns its reply (sent with `reply_to` set to the request's id) or nil when it replies
/// later or not at all. A thrown error becomes an `error` reply: a `WireError` keeps its code, a
/// `CodedError` gives its own code, anything else is `internal`.
public struct MessageRouter {
    public typealias Handler = (Envelope) throws -> Envelope?

    private var handlers: [String: Handler] = [:]
    /// The service's name, used in the `unknown_type` reply ("NAME does not handle TYPE").
    public let serviceName: String?

    public init(serviceName: String? = nil) {
        self.serviceName = serviceName
    }

    /// Registers the handler for `type` (replacing an earlier one).
    public mutating func on(_ type: String, _ handler: @escaping Handler) {
        handlers[type] = handler
    }

    /// The message types this router handles.
    public var knownTypes: Set<String> { Set(handlers.keys) }

    public func handles(_ type: String) -> Bool { handlers[type] != nil }

    /// Routes one envelope; returns the reply to send, if any. Unknown types get an `unknown_type`
    /// error reply (except `error` envelopes themselves, which are never answered, to avoid loops).
    public func route(_ envelope: Envelope) -> Envelope? {
        guard let h = handlers[envelope.type] else {
            if envelope.isError { return nil }
            guard let serviceName else { return .error(.unknownType(envelope.type), replyTo: envelope.id) }
            return .error(code: WireError.Code.unknownType, message: "\(serviceName) does not handle \(envelope.type)",
                          replyTo: envelope.id)
        }
        do {
            guard var reply = try h(envelope) else { return nil }
            if reply.replyTo == nil { reply.replyTo = envelope.id }
            return reply
        } catch let e as WireError {
            return .error(e, replyTo: envelope.id)
        } catch let e as any CodedError {
            return .error(code: e.code, message: e.message, replyTo: envelope.id)
        } catch {
            return .error(code: WireError.Code.internalError, message: String(describing: error), replyTo: envelope.id)
        }
    }

    /// Routes one inbound frame: a malformed frame gets its error reply.
    public func route(_ inbound: Envelope.Inbound) -> Envelope? {
        switch inbound {
        case .envelope(let e): return route(e)
        case .malformed(let err, let id): return .error(err, replyTo: id)
        }
    }
}

/// An error with a stable wire code, for services' own failures (the router sends `code` and
/// `message` in the error reply).
public protocol CodedError: Error {
    var code: String { get }
    var message: String { get }
}
