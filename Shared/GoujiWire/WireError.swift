/// Everything that can be wrong with bytes arriving on the wire. Each case says what the sender
/// should do about it; `code` is the stable machine-readable code sent in error replies.
public enum WireError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A length prefix announced a frame above the configured maximum (the connection is closed).
    case frameTooLarge(length: UInt64, limit: Int)
    /// The frame body is not valid UTF-8 JSON; `offset` is the byte offset in the body.
    case invalidJSON(reason: String, offset: Int)
    /// The envelope is JSON but not an object, or lacks a required field.
    case missingField(String)
    /// A field is present with the wrong JSON type.
    case wrongFieldType(field: String, expected: String)
    /// The envelope's `v` is not one this side speaks.
    case unsupportedVersion(Int64)
    /// The receiving service does not handle this message type.
    case unknownType(String)
    /// The body does not have the shape the message type requires.
    case invalidBody(type: String, reason: String)
    /// A value could not be encoded to JSON (e.g. a non-finite number through JSONEncoder).
    case encodingFailed(String)

    /// Stable error codes (the `code` field of an `error` envelope's body).
    public enum Code {
        public static let frameTooLarge = "frame_too_large"
        public static let invalidJSON = "invalid_json"
        public static let missingField = "missing_field"
        public static let wrongFieldType = "wrong_field_type"
        public static let unsupportedVersion = "unsupported_version"
        public static let unknownType = "unknown_type"
        public static let invalidBody = "invalid_body"
        public static let encodingFailed = "encoding_failed"
        public static let internalError = "internal"
    }

    public var code: String {
        switch self {
        case .frameTooLarge: return Code.frameTooLarge
        case .invalidJSON: return Code.invalidJSON
        case .missingField: return Code.missingField
        case .wrongFieldType: return Code.wrongFieldType
        case .unsupportedVersion: return Code.unsupportedVersion
        case .unknownType: return Code.unknownType
        case .invalidBody: return Code.invalidBody
        case .encodingFailed: return Code.encodingFailed
        }
    }

    public var description: String {
        switch self {
        case .frameTooLarge(let length, let limit):
            return "frame of \(length) bytes exceeds the \(limit)-byte limit; send smaller messages (e.g. a path instead of the bytes) or raise maxFrameBytes on both ends"
        case .invalidJSON(let reason, let offset):
            return "frame body is not valid UTF-8 JSON (\(reason) at byte \(offset)); send one JSON object per frame"
        case .missingField(let field):
            return "envelope lacks required field '\(field)'; send {\"v\":1,\"type\":…,\"id\":…,\"reply_to\":…,\"body\":{…}}"
        case .wrongFieldType(let field, let expected):
            return "envelope field '\(field)' must be \(expected)"
        case .unsupportedVersion(let v):
            return "envelope version \(v) is not supported; this side speaks v\(Envelope.currentVersion)"
        case .unknownType(let type):
            return "message type '\(type)' is not handled by this service; see docs/PROTOCOL.md for the types each service accepts"
        case .invalidBody(let type, let reason):
            return "body of '\(type)' does not match its schema: \(reason)"
        case .encodingFailed(let reason):
            return "message could not be encoded as JSON: \(reason)"
        }
    }
}
