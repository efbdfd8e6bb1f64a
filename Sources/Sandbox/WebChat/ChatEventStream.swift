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
    /// A comment line this often keeps proxies from closing an idle stream and shows a
    /// closed page up (its write fails).
    static let heartbeat: TimeInterval = 15
    /// Changes closer together than this go out together (a bot's send and its answer).
    static let coalescing: Duration = .milliseconds(40)

    let world: SandboxWorld
    let chatIDs: [Int64]

    func response() -> Response {
        Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
                 body: ResponseBody { writer in try await stream(to: &writer) })
    }

    private func stream(to writer: inout any ResponseBodyWriter) async throws {
        // Counted as a request being answered, so the Sandbox's stop waits for its end.
        world.beginRequest()
        defer { world.endRequest() }
        var sent: [String: Data] = [:]
        try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
        while true {
            let version = world.version
            let events = changes(since: &sent)
            try await writer.write(ByteBuffer(string: events.isEmpty ? ": idle\n\n" : events))
            if world.isStopped { break }
            await world.waitForChange(after: version, until: .now() + Self.heartbeat)
            try await Task.sleep(for: Self.coalescing)
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
