import CLibUV
import Foundation
import GoujiWire
import Logging

/// A framed connection over a Unix stream socket. Loop thread only (see `EventLoop`); from another
/// thread use `loop.execute { conn.send(…) }`.
///
/// Writes: `send` encodes the frame into the connection's pending buffer; every frame sent during
/// one loop turn goes out in one write before the loop next polls.
///
/// Backpressure policy: `queuedBytes` counts bytes sent but not yet taken by the kernel.
/// - At or above `highWaterMark` the connection is not writable (`isWritable == false`) and it stops
///   reading (and dispatching already-buffered frames) from its own peer, so a request/reply service
///   never produces replies faster than its peer drains them.
/// - When the queue drains to `lowWaterMark` or below, reading resumes and `onWritable` fires;
///   producers that push unsolicited messages should wait for it.
/// - Above `maxQueuedBytes` (a hard bound for producers that ignore `isWritable`) the connection is
///   closed with `TransportError.queueOverflow`.
public final class FrameConnection: LoopResource, @unchecked Sendable {
    public let loop: EventLoop
    public let maxFrameBytes: Int
    /// SO_PEERCRED of the peer (nil if the kernel could not tell).
    public private(set) var peer: PeerCredentials?

    /// Each well-formed envelope, in order.
    public var onMessage: ((Envelope) -> Void)?
    /// A frame that is not a valid envelope. Default (nil): an error reply is sent and the
    /// connection stays open.
    public var onMalformed: ((WireError, _ id: String?) -> Void)?
    /// When set, every frame is delivered here as raw bytes (valid during the call only) instead of
    /// being decoded: for relays and for measuring the transport without the JSON codec.
    public var onRawFrame: ((UnsafeRawBufferPointer) -> Void)?
    /// Called once when the connection is closed (nil: orderly close by either side).
    public var onClose: ((TransportError?) -> Void)?
    /// Called when the outgoing queue drains to `lowWaterMark` after having reached `highWaterMark`.
    public var onWritable: (() -> Void)?

    public var highWaterMark = 8 << 20
    public var lowWaterMark = 1 << 20
    public var maxQueuedBytes = 256 << 20

    private var pipe: UnsafeMutablePointer<uv_pipe_t>?
    // The two per-frame buffers skip dynamic exclusivity checks (they cost ~30% of the raw-frame
    // path). Sound because both are private, touched on the loop thread only, and no access to
    // one overlaps another access to the same one: user callbacks run after `nextMessage` returns;
    // during `withNextFrame` the callback may `send` (touches `pending`, not `decoder`), and nothing
    // reachable from a callback reads `decoder`; `pending` is borrowed only around `uv_try_write`
    // and a memcpy, which call no Swift code.
    @exclusivity(unchecked) private var decoder: FrameDecoder
    private let readBuffer: UnsafeMutableRawPointer
    private static let readBufferSize = 256 << 10
    @exclusivity(unchecked) private var pending: [UInt8] = []
    private var inflight: UnsafeMutableRawPointer?
    private var inflightCapacity = 0
    private var inflightCount = 0
    private let writeReq: UnsafeMutablePointer<uv_write_t>
    private var writing = false
    private var flushScheduled = false
    private var reading = false
    private var backpressured = false
    private var closing = false
    private var closeWhenFlushed = false
    private var closeTimer: LoopTimer?
    private var closeError: TransportError?
    private var internalCloseHandlers: [(TransportError?) -> Void] = []
    private var pendingRequests: [String: PendingRequest] = [:]

    private struct PendingRequest {
        var completion: (Result<Envelope, TransportError>) -> Void
        var timer: LoopTimer?
    }

    /// Total bytes sent/received (frames included), for stats.
    public private(set) var bytesOut = 0
    public private(set) var bytesIn = 0

    /// Takes ownership of an initialised, connected pipe and starts reading.
    init(loop: EventLoop, pipe: UnsafeMutablePointer<uv_pipe_t>, maxFrameBytes: Int) {
        self.loop = loop
        self.pipe = pipe
        self.maxFrameBytes = maxFrameBytes
        self.decoder = FrameDecoder(maxFrameBytes: maxFrameBytes)
        self.readBuffer = .allocate(byteCount: Self.readBufferSize, alignment: 16)
        self.writeReq = .allocate(capacity: 1)
        var fd: uv_os_fd_t = -1
        if uv_fileno(asHandle(pipe), &fd) == 0 { peer = PeerCredentials.of(fd: fd) }
        pipe.pointee.data = Unmanaged.passUnretained(self).toOpaque()
        writeReq.pointee.data = Unmanaged.passUnretained(self).toOpaque()
        loop.register(self)
        startReading()
    }

    deinit {
        readBuffer.deallocate()
        writeReq.deallocate()
        inflight?.deallocate()
    }

    /// Bytes queued and not yet accepted by the kernel.
    public var queuedBytes: Int { pending.count + inflightCount }
    /// False from the moment the queue reaches the high-water mark until it drains to the
    /// low-water mark (hysteresis), and once closing.
    public var isWritable: Bool { !closing && !backpressured }
    public var isOpen: Bool { !closing }

    // MARK: sending

    /// Queues `envelope`; it is written before the loop next polls, together with every other
    /// frame sent during this turn. Returns false (and sends nothing) when the connection is closed
    /// or the frame exceeds `maxFrameBytes`.
    @discardableResult
    public func send(_ envelope: Envelope) -> Bool {
        guard !closing else { return false }
        let before = pending.count
        envelope.encodeFrame(into: &pending)
        let size = pending.count - before - 4
        if size > maxFrameBytes {
            pending.removeSubrange(before...)
            loop.logger.error("message not sent: too large", metadata: [
                "type": "\(envelope.type)", "bytes": "\(size)", "limit": "\(maxFrameBytes)"])
            return false
        }
        afterEnqueue()
        return true
    }

    /// Queues pre-encoded frame bytes (4-byte length + JSON), e.g. a frame relayed unchanged.
    @discardableResult
    public func send(frameBytes: some Collection<UInt8>) -> Bool {
        guard !closing else { return false }
        pending.append(contentsOf: frameBytes)
        afterEnqueue()
        return true
    }

    /// Queues one frame whose body is `body` (the length prefix is added here).
    @discardableResult
    public func sendFrame(body: UnsafeRawBufferPointer) -> Bool {
        guard !closing else { return false }
        guard body.count <= maxFrameBytes else {
            loop.logger.error("frame not sent: too large", metadata: ["bytes": "\(body.count)", "limit": "\(maxFrameBytes)"])
            return false
        }
        let n = UInt32(body.count)
        pending.append(UInt8(truncatingIfNeeded: n >> 24))
        pending.append(UInt8(truncatingIfNeeded: n >> 16))
        pending.append(UInt8(truncatingIfNeeded: n >> 8))
        pending.append(UInt8(truncatingIfNeeded: n))
        pending.append(contentsOf: body)
        afterEnqueue()
        return true
    }

    private func afterEnqueue() {
        if !flushScheduled {
            flushScheduled = true
            loop.markDirty(self)
        }
        let q = queuedBytes
        if q > maxQueuedBytes {
            loop.logger.error("closing connection: peer not reading", metadata: [
                "queued": "\(q)", "limit": "\(maxQueuedBytes)", "peer": "\(peer?.description ?? "?")"])
            closeNow(.queueOverflow(queued: q, limit: maxQueuedBytes))
            return
        }
        if q >= highWaterMark && !backpressured {
            backpressured = true
            stopReading()
        }
    }

    func flushFromLoop() {
        flushScheduled = false
        flush()
    }

    private func flush() {
        guard let pipe, !writing, !pending.isEmpty else { return }
        let stream = asStream(pipe)
        // Try the kernel directly; only what it does not take now is copied for uv_write.
        let written: Int32 = pending.withUnsafeMutableBytes { p in
            var buf = uv_buf_init(p.baseAddress?.assumingMemoryBound(to: CChar.self), UInt32(p.count))
            return uv_try_write(stream, &buf, 1)
        }
        var taken = 0
        if written >= 0 {
            taken = Int(written)
        } else if written != UV_EAGAIN.rawValue && written != UV_ENOSYS.rawValue {
            closeNow(.uv("write", written))
            return
        }
        bytesOut += taken
        if taken == pending.count {
            pending.removeAll(keepingCapacity: pending.capacity <= 4 << 20)
            afterDrain()
            return
        }
        let rest = pending.count - taken
        if inflightCapacity < rest {
            inflight?.deallocate()
            inflightCapacity = max(rest, 64 << 10)
            inflight = .allocate(byteCount: inflightCapacity, alignment: 16)
        }
        guard let inflight else { return }
        pending.withUnsafeBytes { p in
            guard let base = p.baseAddress else { return }
            inflight.copyMemory(from: base + taken, byteCount: rest)
        }
        pending.removeAll(keepingCapacity: pending.capacity <= 4 << 20)
        inflightCount = rest
        writing = true
        defer { afterDrain() }  // the kernel may have taken enough to cross the low-water mark
        var buf = uv_buf_init(inflight.assumingMemoryBound(to: CChar.self), UInt32(rest))
        let rc = uv_write(writeReq, stream, &buf, 1) { req, status in
            guard let req, let d = req.pointee.data else { return }
            Unmanaged<FrameConnection>.fromOpaque(d).takeUnretainedValue().writeDone(status)
        }
        if rc != 0 {
            writing = false
            inflightCount = 0
            closeNow(.uv("uv_write", rc))
            return
        }
    }

    private func writeDone(_ status: Int32) {
        writing = false
        bytesOut += inflightCount
        inflightCount = 0
        if inflightCapacity > 8 << 20 {  // do not keep a huge buffer after a big message
            inflight?.deallocate()
            inflight = nil
            inflightCapacity = 0
        }
        if status < 0 {
            if status != UV_ECANCELED.rawValue { closeNow(.uv("write", status)) }
            return
        }
        flush()
        afterDrain()
    }

    private func afterDrain() {
        if closing {
            if closeWhenFlushed && queuedBytes == 0 { closeNow(closeError) }
            return
        }
        if backpressured && queuedBytes <= lowWaterMark {
            backpressured = false
            startReading()
            dispatchBuffered()
            if !closing { onWritable?() }
        }
    }

    /// Sends `request` and calls `completion` once with the first message whose `reply_to` is its
    /// id (that message is not passed to `onMessage`; an `error` reply is a success carrying the
    /// error envelope), or with `.timeout` / `.closedBeforeReply`. `timeoutMs` 0 means no timeout.
    public func request(_ request: Envelope, timeoutMs: UInt64,
                        _ completion: @escaping (Result<Envelope, TransportError>) -> Void) {
        guard send(request) else {
            completion(.failure(closing ? .closedBeforeReply
                : .messageTooLarge(bytes: request.jsonBytes().count, limit: maxFrameBytes)))
            return
        }
        var timer: LoopTimer?
        if timeoutMs > 0 {
            let id = request.id
            timer = loop.schedule(afterMilliseconds: timeoutMs) { [weak self] in
                guard let self, let p = self.pendingRequests.removeValue(forKey: id) else { return }
                p.completion(.failure(.timeout(milliseconds: Int(timeoutMs))))
            }
        }
        pendingRequests[request.id] = PendingRequest(completion: completion, timer: timer)
    }

    /// Requests sent with `request` still waiting for their reply.
    public var pendingRequestCount: Int { pendingRequests.count }

    // MARK: reading

    private func startReading() {
        guard let pipe, !reading, !closing else { return }
        reading = true
        let rc = uv_read_start(asStream(pipe), { h, _, buf in
            guard let h, let buf, let d = h.pointee.data else { return }
            let c = Unmanaged<FrameConnection>.fromOpaque(d).takeUnretainedValue()
            buf.pointee.base = c.readBuffer.assumingMemoryBound(to: CChar.self)
            buf.pointee.len = FrameConnection.readBufferSize
        }, { s, nread, buf in
            guard let s, let d = s.pointee.data else { return }
            Unmanaged<FrameConnection>.fromOpaque(d).takeUnretainedValue().didRead(nread)
        })
        if rc != 0 { closeNow(.uv("uv_read_start", rc)) }
    }

    private func stopReading() {
        guard let pipe, reading else { return }
        reading = false
        uv_read_stop(asStream(pipe))
    }

    private func didRead(_ nread: Int) {
        if nread > 0 {
            bytesIn += nread
            decoder.append(UnsafeRawBufferPointer(start: readBuffer, count: nread))
            dispatchBuffered()
        } else if nread < 0 {
            if nread == Int(UV_EOF.rawValue) {
                closeNow(nil)
            } else {
                closeNow(.uv("read", Int32(truncatingIfNeeded: nread)))
            }
        }
    }

    /// Delivers buffered frames until none is complete, the connection closes, or backpressure.
    private func dispatchBuffered() {
        if let raw = onRawFrame {
            while !closing && !backpressured {
                let got: Bool?
                do { got = try decoder.withNextFrame { raw($0); return true } } catch { rejectOversize(error); return }
                if got == nil { return }
            }
            return
        }
        while !closing && !backpressured {
            let next: Envelope.Inbound?
            do {
                next = try decoder.nextMessage()
            } catch {
                rejectOversize(error)
                return
            }
            guard let next else { return }
            switch next {
            case .envelope(let e):
                if let r = e.replyTo, let p = pendingRequests.removeValue(forKey: r) {
                    p.timer?.cancel()
                    p.completion(.success(e))
                } else {
                    onMessage?(e)
                }
            case .malformed(let err, let id):
                loop.logger.warning("malformed frame", metadata: ["error": "\(err.code)", "id": "\(id ?? "-")"])
                if let h = onMalformed { h(err, id) } else { send(.error(err, replyTo: id)) }
            }
        }
    }

    private func rejectOversize(_ error: WireError) {
        loop.logger.warning("closing connection: oversize frame", metadata: [
            "error": "\(error)", "peer": "\(peer?.description ?? "?")"])
        send(.error(error, replyTo: nil))
        let te: TransportError
        if case .frameTooLarge(let length, let limit) = error {
            te = .frameTooLarge(length: length, limit: limit)
        } else {
            te = .uv(operation: "decode", code: 0, message: error.description)
        }
        close(error: te)
    }

    // MARK: closing

    /// Stops reading, writes what is queued (up to 2 s), then closes. `onClose` gets nil.
    public func close() { close(error: nil) }

    private func close(error: TransportError?) {
        guard !closing else { return }
        stopReading()
        closing = true
        closeError = error
        closeWhenFlushed = true
        if queuedBytes == 0 && !writing {
            closeNow(error)
            return
        }
        flush()
        if !loop.isShuttingDown, pipe != nil {
            closeTimer = loop.schedule(afterMilliseconds: 2000) { [weak self] in self?.closeNow(self?.closeError) }
        }
    }

    /// Closes immediately, dropping anything queued.
    public func abort() { closeNow(nil) }

    func closeNow(_ error: TransportError?) {
        guard let p = pipe else { return }
        pipe = nil
        closing = true
        closeError = error
        closeTimer?.cancel()
        closeTimer = nil
        if reading { uv_read_stop(asStream(p)); reading = false }
        closeHandle(p) { [self] in
            pending = []
            let handlers = internalCloseHandlers
            internalCloseHandlers = []
            let userClose = onClose
            onMessage = nil
            onMalformed = nil
            onRawFrame = nil
            onClose = nil
            onWritable = nil
            let waiting = pendingRequests
            pendingRequests = [:]
            loop.unregister(self)
            for (_, p) in waiting {
                p.timer?.cancel()
                p.completion(.failure(.closedBeforeReply))
            }
            userClose?(error)
            for h in handlers { h(error) }
        }
    }

    func addCloseHandler(_ h: @escaping (TransportError?) -> Void) { internalCloseHandlers.append(h) }

    func shutdownClose() {
        guard pipe != nil else { return }
        if !pending.isEmpty && !writing { flush() }
        closeNow(closeError)
    }
}
