import Foundation
import HTTP

/// The Bot API at one address with one token: a method's URL, and an HTTP outcome read into
/// the raw JSON of `result` or a `TelegramError`. Both clients (blocking and concurrent)
/// read their answers here, so they fail alike, and neither error carries the token or
/// the URL.
struct BotAPIEndpoint: Sendable {
    let baseURL: String
    private let token: String

    init(baseURL: String, token: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
    }

    func url(_ method: String) -> String { "\(baseURL)/bot\(token)/\(method)" }

    /// A transfer's outcome: no answer is `.network`, an answer is read by `result(of:)`.
    func result(of outcome: Result<HTTPResponse, HTTPError>) -> Result<Data, TelegramError> {
        switch outcome {
        case .failure(let error): return .failure(.network(scrubbed(error)))
        case .success(let response): return Result { () throws(TelegramError) in try result(of: response) }
        }
    }

    /// The Bot API's answer envelope.
    private struct Envelope: Decodable {
        let ok: Bool
        let errorCode: Int?
        let description: String?
        let parameters: ResponseParameters?

        enum CodingKeys: String, CodingKey {
            case ok, errorCode = "error_code", description, parameters
        }
    }

    /// The raw JSON of an answer's `result`, byte for byte as the server sent it.
    func result(of response: HTTPResponse) throws(TelegramError) -> Data {
        guard let envelope = try? JSONDecoder().decode(Envelope.self, from: response.body) else {
            // A proxy or load balancer in front of Telegram can answer with HTML.
            if response.status >= 500 {
                throw TelegramError.server(status: response.status, description: "HTTP \(response.status) without a Bot API answer")
            }
            throw TelegramError.invalidResponse("HTTP \(response.status), body is not a Bot API answer (\(response.body.count) bytes)")
        }
        if envelope.ok {
            guard let result = RawJSON.member("result", of: response.body) else {
                throw TelegramError.invalidResponse("answer without a result")
            }
            return result
        }
        let description = scrubbed(envelope.description ?? "HTTP \(response.status)")
        switch envelope.errorCode ?? response.status {
        case 429:
            let seconds = envelope.parameters?.retryAfter ?? Self.seconds(in: description) ?? 1
            // The caller waits this long and adds it to clocks: a hostile value must not trap there.
            throw TelegramError.flood(retryAfter: min(max(1, seconds), Self.longestRetryAfter))
        case 401: throw TelegramError.unauthorized
        case 403: throw TelegramError.forbidden(description)
        case 404: throw TelegramError.notFound
        case 409: throw TelegramError.conflict(description)
        case let code where code >= 500: throw TelegramError.server(status: code, description: description)
        default: throw TelegramError.badRequest(description)
        }
    }

    /// A day: the longest wait a 429 is taken to ask for.
    static let longestRetryAfter = 86_400

    /// "Too Many Requests: retry after 7" → 7, for a 429 without parameters.
    private static func seconds(in description: String) -> Int? {
        guard let range = description.range(of: "retry after ") else { return nil }
        return Int(description[range.upperBound...].prefix { $0.isNumber })
    }

    func scrubbed(_ error: HTTPError) -> HTTPError {
        switch error {
        case .cannotConnect(let message): return .cannotConnect(scrubbed(message))
        case .cannotResolveHost(let message): return .cannotResolveHost(scrubbed(message))
        case .timedOut(let message): return .timedOut(scrubbed(message))
        case .transport(let code, let message): return .transport(code: code, message: scrubbed(message))
        case .responseTooLarge, .status, .shutDown: return error
        }
    }

    private func scrubbed(_ text: String) -> String {
        token.isEmpty ? text : text.replacingOccurrences(of: token, with: "<token>")
    }
}
