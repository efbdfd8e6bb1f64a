import Foundation
import HTTP

/// The HTTP requests of Bot API calls, built alike by both clients.
enum BotAPIRequests {
    static func json(_ url: String, payload: Data, timeout: Double?) -> HTTPRequest {
        HTTPRequest(method: "POST", url: url, body: .data(payload, contentType: "application/json"), timeout: timeout)
    }

    static func multipart(_ url: String, parts: [MultipartPart], timeout: Double?) -> HTTPRequest {
        HTTPRequest(method: "POST", url: url, body: .multipart(parts), timeout: timeout)
    }

    /// sendDocument's fields; `replyMarkup` is already JSON.
    static func documentParts(chatID: Int64, fileName: String, data: Data, mimeType: String?, caption: String?,
                              replyMarkup: Data?) -> [MultipartPart] {
        var parts = [MultipartPart(name: "chat_id", value: String(chatID)),
                     MultipartPart(name: "document", data: data, filename: fileName, contentType: mimeType ?? "application/octet-stream")]
        if let caption { parts.append(MultipartPart(name: "caption", value: caption)) }
        if let replyMarkup { parts.append(MultipartPart(name: "reply_markup", data: replyMarkup)) }
        return parts
    }
}
