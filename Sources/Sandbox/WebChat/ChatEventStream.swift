import Dispatch
import Foundation
import Hummingbird
import NIOCore

/// The web chat's live feed: server-sent events (`text/event-stream`) that carry the people
/// and the listed chats whenever they change, so the page never reloads or polls.
///
/// Each event is the whole current state of one thing, sent only when it differs from
/// what this stream sent last: `event: people` (`[PersonView]`) and `event: chat`
/// (`ChatView`). A page that reconnects (EventSource does, after `retry`) is sent all of
/// it again. Waiting costs no thread: it suspends on the Sandbox's change notice.
struct ChatEventStream: Sendable {
    /// A page shows a few chats side by side; more is a mistake or an attack.
    static let maxChats = 8
    /// Streams open at once (a few pages, each reconnecting now and then); each costs a
    /// chat view per change, so there is a bound.
    static let maxStreams = 32
    /// A comment line this often keeps proxies from closing an idle stream and shows a
    /// closed page up (its write fails).
    static let heartbeat: TimeInterval = 15
    /// Changes closer together than this go out together (a bot's send and its answer).
    static let coalescing: Duration = .milliseconds(40)

    let world: SandboxWorld
    let chatIDs: [Int64]

    /// The stream, or 503 when `maxStreams` are open. It counts as a request being
    /// answered from now until its body is done with (written, or dropped unwritten when
    /// the page went away first), so the Sandbox's stop waits for its end.
    func response() -> Response {
        guard let ticket = StreamTicket(world: world, limit: Self.maxStreams) else {
            return WebChatRoutes.problem(503, "too many live pages are open: close some")
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
                        body: ResponseBody { writer in
                            try await stream(to: &writer)
                            ticket.keep()
                        })
    }

    private func stream(to writer: inout any ResponseBodyWriter) async throws {
        var sent: [String: Data] = [:]
        try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
        while true {
            let version = world.version
            let events = changes(since: &sent)
            try await writer.write(ByteBuffer(string: events.isEmpty ? ": idle\n\n" : events))
            if world.isStopped { break }
            await world.waitForChange(after: version, until: .now() + Self.heartbeat)
            if !world.isStopped { try await Task.sleep(for: Self.coalescing) }
        }
        try await writer.finish(nil)
    }

    /// The events for what differs from `sent`, which it then records.
    private func changes(since sent: inout [String: Data]) -> String {
        var events = ""
        func add(_ name: String, key: String, _ data: Data) {
            guard sent[key] != data else { return }
            sent[key] = data
            // JSON has no raw line breaks, so the whole of it is one `data:` line.
            events += "event: \(name)\ndata: \(String(decoding: data, as: UTF8.self))\n\n"
        }
        add("people", key: "people", encode(world.people()))
        for id in chatIDs {
            if let view = world.chatView(id) { add("chat", key: "chat \(id)", encode(view)) }
        }
        return events
    }

    private func encode(_ value: some Encodable) -> Data {
        (try? JSONEncoder.sorted.encode(value)) ?? Data("null".utf8)
    }
}

/// One open stream's place among `maxStreams`: given back when the response's body lets
/// go of it, whether the body was written or never was.
private final class StreamTicket: Sendable {
    private let world: SandboxWorld

    init?(world: SandboxWorld, limit: Int) {
        guard world.beginStream(limit: limit) else { return nil }
        self.world = world
    }

    /// Holds the ticket until the stream's end (the body's closure owns it).
    func keep() {}

    deinit { world.endStream() }
}
