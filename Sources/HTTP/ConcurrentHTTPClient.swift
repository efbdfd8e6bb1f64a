import CCurl
import CCurlShim
import Foundation

/// Many requests in flight on one thread of its own (libcurl multi): start() never blocks;
/// each request's completion runs on the client's thread when it ends.
///
/// Connections are kept alive in the client and reused by later requests; to an https host
/// that speaks HTTP/2 the requests share one connection as streams. Each request has its
/// own total timeout (the request's, else the options'), counted from when it leaves the
/// queue, so a server that never answers holds up only the requests sent to it.
///
/// Completions run one after another on the client's thread: a slow one delays every
/// other (and new transfers), so keep them short and never block in them; hand the result
/// to your own thread. Call `shutdown()` when done (deinit does, as a last resort).
public final class ConcurrentHTTPClient: @unchecked Sendable {
    public let options: HTTPOptions
    public let maxInFlight: Int
    private let inbox: TransferInbox

    /// How long `shutdown()` waits for the thread to fail what it holds and end.
    private static let shutdownWait: TimeInterval = 10

    /// Starts the client's thread, named `name`; at most `maxInFlight` (at least 1)
    /// requests run at once, the rest wait in FIFO order.
    public init(options: HTTPOptions = HTTPOptions(), maxInFlight: Int = 64, name: String = "http") {
        _ = curlGlobalInit
        self.options = options
        self.maxInFlight = max(1, maxInFlight)
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed: out of memory") }
        let bound = self.maxInFlight
        bb_curl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, bound)
        // Idle connections kept for reuse (by default libcurl keeps 4 per transfer added,
        // which shrinks to nothing when the client goes idle).
        bb_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, bound)
        bb_curl_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        inbox = TransferInbox(multi: multi)
        let loop = MultiTransferLoop(multi: multi, inbox: inbox, options: options, maxInFlight: bound)
        let thread = Thread { loop.run() }
        thread.name = name
        thread.start()
    }

    deinit { shutdown() }

    /// Queues the request (FIFO beyond maxInFlight). `completion` runs exactly once, on the
    /// client's thread: keep it short and never block in it (hand the result to your own
    /// thread). After `shutdown()` it runs at once, inline on the caller's thread, with
    /// `HTTPError.shutDown`, before start returns.
    public func start(_ request: HTTPRequest, completion: @escaping @Sendable (Result<HTTPResponse, HTTPError>) -> Void) {
        guard inbox.submit(PendingTransfer(request: request, completion: completion)) else {
            completion(.failure(.shutDown))
            return
        }
    }

    /// Requests running plus queued.
    public var inFlight: Int { inbox.inFlight }

    /// Fails what is queued or running with `HTTPError.shutDown` (each completion once, on
    /// the client's thread), ends the thread, and returns when that is done (waiting at
    /// most 10 s for slow completions; at once when called from a completion). Idempotent;
    /// start() after it fails at once.
    public func shutdown() {
        inbox.close()
        inbox.waitUntilEnded(timeout: Self.shutdownWait)
    }
}
