import Foundation
import Hummingbird
import Telegram

/// The Sandbox's control API over HTTP, for a user simulator in another process.
///
/// JSON in and out; answers `{"ok":true,"result":…}` or `{"ok":false,"description":…}`
/// (400 for a refused action or a malformed body, 404 for an unknown path or chat):
///
/// | request | does |
/// |---|---|
/// | `POST /control/users` `{"id":…,"first_name":…,"username"?,"language_code"?}` | sets a user's profile |
/// | `POST /control/messages` `{"user_id":…,"text":…,"forward_from"?: User}` | the user sends text; result: the update |
/// | `POST /control/callbacks` `{"user_id":…,"message_id":…,"callback_data":…}` | the user presses an inline button; result: the update |
/// | `POST /control/block`, `POST /control/unblock` `{"user_id":…}` | the user blocks / unblocks the bot; result: the update or null |
/// | `GET /control/chats` | ids of opened chats |
/// | `GET /control/chats/<id>` | that chat's transcript |
/// | `GET /control/calls[?method=sendMessage]` | Bot API calls received |
/// | `GET /control/pending` | `{"pending_update_count":…}` |
/// | `POST /control/flood` `{"calls":…,"retry_after":…}` | the next calls answer 429 |
/// | `POST /control/server-errors` `{"calls":…,"status"?:502}` | the next calls answer a 5xx |
/// | `GET /control/commands[?language_code=ru]` | the default-scope command list, or null |
/// | `GET /control/counters` | the press report, 429s given, Bot API calls in flight and their peak (`Counters`) |
/// | `POST /control/counters/reset` | `resetCounters()` |
struct ControlAPI {
    let world: SandboxWorld

    struct MessageRequest: Decodable {
        let userID: Int64
        let text: String
        let forwardFrom: User?
        enum CodingKeys: String, CodingKey { case userID = "user_id", text, forwardFrom = "forward_from" }
    }

    struct PhotoRequest: Decodable {
        let userID: Int64
        let caption: String?
        enum CodingKeys: String, CodingKey { case userID = "user_id", caption }
    }

    struct PressRequest: Decodable {
        let userID: Int64
        let messageID: Int64
        let callbackData: String
        enum CodingKeys: String, CodingKey { case userID = "user_id", messageID = "message_id", callbackData = "callback_data" }
    }

    struct UserRequest: Decodable {
        let userID: Int64
        enum CodingKeys: String, CodingKey { case userID = "user_id" }
    }

    struct FloodRequest: Decodable {
        let calls: Int
        let retryAfter: Int
        enum CodingKeys: String, CodingKey { case calls, retryAfter = "retry_after" }
    }

    struct ServerErrorRequest: Decodable {
        let calls: Int
        let status: Int?
    }

    struct Pending: Encodable {
        let pendingUpdateCount: Int
        enum CodingKeys: String, CodingKey { case pendingUpdateCount = "pending_update_count" }
    }

    /// The load figures of `SandboxServer` (pressReport, floodRefusals, calls in flight).
    struct Counters: Encodable {
        let pressed: Int
        let answerDelays: [Double]
        let late: Int
        let unanswered: Int
        let floodRefusals: Int
        let callsInFlight: Int
        let peakCallsInFlight: Int

        init(_ world: SandboxWorld) {
            let presses = world.pressReport
            let calls = world.botCallsInFlight
            (pressed, answerDelays, late, unanswered) = (presses.pressed, presses.answerDelays, presses.late, presses.unanswered)
            (floodRefusals, callsInFlight, peakCallsInFlight) = (world.floodRefusals, calls.now, calls.peak)
        }

        enum CodingKeys: String, CodingKey {
            case pressed, answerDelays = "answer_delays", late, unanswered, floodRefusals = "flood_refusals"
            case callsInFlight = "calls_in_flight", peakCallsInFlight = "peak_calls_in_flight"
        }
    }

    private struct ControlFailure: Error {
        let status: Int
        let description: String
    }

    func respond(path: [String], method: HTTPRequest.Method, query: [(String, String)], body: Data) -> Response {
        do {
            return try ok(route(path: path, method: method, query: query, body: body))
        } catch let failure as ControlFailure {
            return Self.failure(failure.status, failure.description)
        } catch let error as SandboxError {
            return Self.failure(400, error.description)
        } catch {
            return Self.failure(400, "\(error)")
        }
    }

    private func route(path: [String], method: HTTPRequest.Method, query: [(String, String)], body: Data) throws -> Data {
        let parameter = { (name: String) in query.last { $0.0 == name }?.1 }
        switch (method, path) {
        case (.post, ["users"]):
            world.register(try decode(User.self, body))
            return try encode(true)
        case (.post, ["messages"]):
            let request = try decode(MessageRequest.self, body)
            return try encode(world.userSends(request.text, from: request.userID, forwardedFrom: request.forwardFrom))
        case (.post, ["photos"]):
            let request = try decode(PhotoRequest.self, body)
            return try encode(world.userSendsPhoto(caption: request.caption, from: request.userID))
        case (.post, ["callbacks"]):
            let request = try decode(PressRequest.self, body)
            return try encode(world.press(userID: request.userID, messageID: request.messageID, callbackData: request.callbackData))
        case (.post, ["block"]):
            return try encode(world.setBlocked(true, userID: decode(UserRequest.self, body).userID))
        case (.post, ["unblock"]):
            return try encode(world.setBlocked(false, userID: decode(UserRequest.self, body).userID))
        case (.get, ["chats"]):
            return try encode(world.chatIDs())
        case (.get, let route) where route.count == 2 && route[0] == "chats":
            guard let id = Int64(route[1]) else { throw ControlFailure(status: 400, description: "chat id must be an integer") }
            guard let transcript = world.transcript(chatID: id) else { throw ControlFailure(status: 404, description: "no chat \(id)") }
            return try encode(transcript)
        case (.get, ["calls"]):
            return try encode(world.recordedCalls(method: parameter("method")))
        case (.get, ["pending"]):
            return try encode(Pending(pendingUpdateCount: world.pendingCount))
        case (.post, ["flood"]):
            let request = try decode(FloodRequest.self, body)
            world.inject(.flood(retryAfter: max(1, request.retryAfter)), calls: request.calls)
            return try encode(true)
        case (.post, ["server-errors"]):
            let request = try decode(ServerErrorRequest.self, body)
            let status = request.status ?? 502
            world.inject(.server(status: (500...599).contains(status) ? status : 500), calls: request.calls)
            return try encode(true)
        case (.get, ["counters"]):
            return try encode(Counters(world))
        case (.post, ["counters", "reset"]):
            world.resetCounters()
            return try encode(true)
        case (.get, ["commands"]):
            let language = parameter("language_code").flatMap { $0.isEmpty ? nil : $0 }
            return try encode(world.commandList(scope: .default, languageCode: language))
        default:
            throw ControlFailure(status: 404, description: "no control route \(method.rawValue) /control/\(path.joined(separator: "/"))")
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, _ body: Data) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: body)
        } catch {
            throw ControlFailure(status: 400, description: "malformed JSON body for this request")
        }
    }

    private func encode(_ value: some Encodable) throws -> Data {
        try JSONEncoder.sorted.encode(value)
    }

    private func ok(_ result: Data) -> Response {
        SandboxRouter.json(status: 200, Data(#"{"ok":true,"result":"#.utf8) + result + Data("}".utf8))
    }

    /// The control API's (and the web chat's) refusal: `{"ok":false,"description":…}`.
    static func failure(_ status: Int, _ description: String) -> Response {
        struct Envelope: Encodable {
            let ok = false
            let description: String
        }
        return SandboxRouter.json(status: status, (try? JSONEncoder.sorted.encode(Envelope(description: description))) ?? Data())
    }
}
