import Foundation
import Hummingbird
import NIOCore
import Telegram

/// The request context: large enough bodies for document uploads (Telegram takes 50 MB).
struct SandboxContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
    var maxUploadSize: Int { 64 << 20 }
}

/// Routes every request: `/bot<token>/<method>` to the Bot API, `/control/…` to the
/// control API, `/` and `/web/…` to the web chat, anything else 404. Never throws: whatever arrives gets an answer.
struct SandboxRouter: Sendable {
    let world: SandboxWorld
    /// False on the web chat's own listener: its page and the control API, never the Bot
    /// API, because that listener may face beyond loopback (`--web-host`), where the
    /// token must not be reachable.
    var servesBotAPI = true
    /// Which host names and callers this listener answers.
    let localOnly: LocalOnlyGuard

    func respond(to request: Request, context: SandboxContext) async -> Response {
        world.beginRequest()
        defer { world.endRequest() }
        let path = request.uri.path.removingPercentEncoding ?? request.uri.path
        let components = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let acting = request.method == .post && (components.first == "control" || components.first == "web")
        if let refusal = localOnly.refusal(request, acting: acting) {
            return Self.failure(BotAPIFailure(code: 403, description: "Forbidden: \(refusal)"))
        }
        let body: Data
        do {
            body = Data(buffer: try await request.body.collect(upTo: context.maxUploadSize))
        } catch {
            return Self.failure(BotAPIFailure(code: 413, description: "Request Entity Too Large"))
        }
        if servesBotAPI, let first = components.first, first.hasPrefix("bot"), components.count <= 2 {
            world.beginBotCall()
            defer { world.endBotCall() }
            // The request's way to Telegram, the call there (a long poll's wait too), the
            // answer's way back.
            let legs = world.options.latency.drawLegs()
            await world.travel(legs.toTelegram)
            let (response, index) = await botAPI(token: String(first.dropFirst(3)), method: components.count == 2 ? components[1] : "",
                                                 request: request, body: body)
            await world.travel(legs.back)
            if let index { world.recordAnswered(index: index) }
            return response
        }
        if WebChatRoutes.claims(components) {
            return await WebChatRoutes(world: world).respond(path: components, request: request,
                                                             query: ParameterReader.formFields(request.uri.query ?? ""), body: body)
        }
        if components.first == "control" {
            return ControlAPI(world: world).respond(path: Array(components.dropFirst()), method: request.method,
                                                    query: ParameterReader.formFields(request.uri.query ?? ""), body: body)
        }
        return Self.failure(.notFound)
    }

    /// The call's answer, and where it was recorded (nil: refused before it was).
    private func botAPI(token: String, method: String, request: Request, body: Data) async -> (Response, Int?) {
        guard token == world.options.token else { return (Self.failure(.unauthorized), nil) }
        let parameters: Parameters
        do {
            parameters = try ParameterReader.read(query: ParameterReader.formFields(request.uri.query ?? ""),
                                                  contentType: request.headers[.contentType], body: body)
        } catch {
            let (index, _) = world.record(method: method, parameters: [:])
            return (answer(.failure(error), recordAt: index), index)
        }
        let (index, injected) = world.record(method: method, parameters: parameters.recorded)
        if let injected { return (Self.failure(injected), index) }
        guard SandboxWorld.methods.contains(method.lowercased()) else { return (answer(.failure(BotAPIFailure.notFound), recordAt: index), index) }
        if method.lowercased() == "getupdates" {
            return (answer(await longPoll(parameters), recordAt: index), index)
        }
        return (answer(Result { try world.perform(method, parameters) }, recordAt: index), index)
    }

    private func longPoll(_ parameters: Parameters) async -> Result<BotAPIResult, any Error> {
        do {
            var step = try world.startPoll(parameters)
            while case .wait(let ticket, let generation) = step {
                await world.waitForChange(after: generation, until: ticket.deadline)
                step = try world.continuePoll(ticket)
            }
            guard case .answer(let result) = step else { return .failure(BotAPIFailure.notFound) }
            return .success(result)
        } catch {
            return .failure(error)
        }
    }

    private func answer(_ outcome: Result<BotAPIResult, any Error>, recordAt index: Int) -> Response {
        switch outcome {
        case .success(.json(let result, let description)):
            world.recordOutcome(index: index, errorCode: nil)
            var body = Data(#"{"ok":true,"result":"#.utf8) + result
            if let description, let text = try? JSONEncoder().encode(description) {
                body += Data(#","description":"#.utf8) + text
            }
            body += Data("}".utf8)
            return Self.json(status: 200, body)
        case .failure(let error):
            let failure = error as? BotAPIFailure ?? .badRequest("\(error)")
            world.recordOutcome(index: index, errorCode: failure.code)
            return Self.failure(failure)
        }
    }

    /// Telegram's error envelope.
    static func failure(_ failure: BotAPIFailure) -> Response {
        struct Envelope: Encodable {
            let ok = false
            let error_code: Int
            let description: String
            let parameters: ResponseParameters?
        }
        let envelope = Envelope(error_code: failure.code, description: failure.description,
                                parameters: failure.retryAfter.map { ResponseParameters(retryAfter: $0) })
        return json(status: failure.code, (try? JSONEncoder.sorted.encode(envelope)) ?? Data())
    }

    static func json(status: Int, _ body: Data) -> Response {
        Response(status: .init(code: status), headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
