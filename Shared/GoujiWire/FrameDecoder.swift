/// Incremental frame decoder: feed it bytes as they arrive, in any split, and take frames out.
///
/// A frame is a 4-byte big-endian unsigned length followed by that many bytes of UTF-8 JSON.
/// A length above `maxFrameBytes` is rejected as soon as its 4 prefix bytes arrive, before anything
/// is reserved for the body; after that the decoder is failed (the stream cannot be resynchronised)
/// and drops further input. A body that is not a valid envelope is reported as `.malformed` and the
/// stream continues with the next frame.
public struct FrameDecoder: Sendable {
    public static let defaultMaxFrameBytes = 64 << 20

    public let maxFrameBytes: Int
    private var buffer: [UInt8] = []
    private var start = 0
    /// Set once an oversize prefix has been seen.
    public private(set) var failure: WireError?

    public init(maxFrameBytes: Int = FrameDecoder.defaultMaxFrameBytes) {
        self.maxFrameBytes = max(0, maxFrameBytes)
    }

    /// Bytes received and not yet returned as frames.
    public var bufferedBytes: Int { buffer.count - start }

    /// Adds received bytes.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil, !bytes.isEmpty else { return }
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Adds received bytes.
    public mutating func append(contentsOf bytes: some Sequence<UInt8>) {
        guard failure == nil else { return }
        compact()
        buffer.append(contentsOf: bytes)
    }

    private mutating func compact() {
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
            start = 0
        } else if start >= 1 << 16 && start * 2 >= buffer.count {
            buffer.removeSubrange(0..<start)
            start = 0
        }
    }

    /// The length of the next frame's body if its prefix has arrived; throws when it is oversize.
    private mutating func nextLength() throws(WireError) -> Int? {
        if let f = failure { throw f }
        guard buffer.count - start >= 4 else { return nil }
        let n = UInt64(buffer[start]) << 24 | UInt64(buffer[start + 1]) << 16
            | UInt64(buffer[start + 2]) << 8 | UInt64(buffer[start + 3])
        if n > UInt64(maxFrameBytes) {
            let e = WireError.frameTooLarge(length: n, limit: maxFrameBytes)
            failure = e
            buffer = []
            start = 0
            throw e
        }
        let len = Int(n)
        guard buffer.count - start - 4 >= len else {
            // Reserve for the announced body once (it is within the limit).
            if buffer.capacity < start + 4 + len { buffer.reserveCapacity(start + 4 + len) }
            return nil
        }
        return len
    }

    /// The next complete frame's body, or nil when more bytes are needed.
    public mutating func nextFrame() throws(WireError) -> [UInt8]? {
        guard let len = try nextLength() else { return nil }
        let bodyStart = start + 4
        start = bodyStart + len
        return Array(buffer[bodyStart..<(bodyStart + len)])
    }

    /// Calls `body` with the next complete frame's bytes in place (valid only during the call), or
    /// returns nil when more bytes are needed. For relays that forward frames without decoding.
    public mutating func withNextFrame<R>(_ body: (UnsafeRawBufferPointer) -> R) throws(WireError) -> R? {
        guard let len = try nextLength() else { return nil }
        let bodyStart = start + 4
        start = bodyStart + len
        return buffer.withUnsafeBytes { raw in body(UnsafeRawBufferPointer(rebasing: raw[bodyStart..<(bodyStart + len)])) }
    }

    /// The next complete frame decoded as an envelope (parsed in place, without copying the body),
    /// or nil when more bytes are needed.
    public mutating func nextMessage() throws(WireError) -> Envelope.Inbound? {
        guard let len = try nextLength() else { return nil }
        let bodyStart = start + 4
        start = bodyStart + len
        return buffer.withUnsafeBytes { raw in
            Envelope.decode(raw: UnsafeRawBufferPointer(rebasing: raw[bodyStart..<(bodyStart + len)]))
        }
    }
}
