import Foundation
import Telegram

/// A file part of a multipart request.
struct UploadedFile: Sendable, Equatable {
    let fileName: String
    let contentType: String?
    let data: Data
}

/// The parameters of one Bot API call, from the query, a JSON body, a form or a
/// multipart body, read the lenient way Telegram reads them: `"42"` is a fine chat id
/// and a `reply_markup` may be an object or a string holding its JSON.
///
/// Every accessor turns a wrong type into the 400 answer the bot would get.
struct Parameters {
    var values: [String: JSONValue] = [:]
    var files: [String: UploadedFile] = [:]

    /// What the call log shows: the fields, with each file summarised.
    var recorded: [String: JSONValue] {
        var result = values
        for (name, file) in files {
            result[name] = .object(["file_name": .string(file.fileName), "size": .int(Int64(file.data.count)),
                                    "mime_type": file.contentType.map(JSONValue.string) ?? .null])
        }
        return result
    }

    func has(_ key: String) -> Bool {
        if files[key] != nil { return true }
        if let value = values[key], value != .null { return true }
        return false
    }

    func int(_ key: String) throws -> Int64? {
        switch values[key] {
        case nil, .null?: return nil
        case .int(let value)?: return value
        case .double(let value)? where value.rounded() == value && abs(value) < 9e15: return Int64(value)
        case .string(let text)?:
            if let value = Int64(text.trimmingCharacters(in: .whitespaces)) { return value }
            throw BotAPIFailure.badRequest("invalid \(key) specified")
        default: throw BotAPIFailure.badRequest("invalid \(key) specified")
        }
    }

    func requiredInt(_ key: String) throws -> Int64 {
        guard let value = try int(key) else { throw BotAPIFailure.badRequest("\(key) is empty") }
        return value
    }

    func string(_ key: String) throws -> String? {
        switch values[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case .int(let value)?: return String(value)
        case .double(let value)?: return String(value)
        case .bool(let value)?: return String(value)
        default: throw BotAPIFailure.badRequest("field \"\(key)\" must be of type String")
        }
    }

    func bool(_ key: String) throws -> Bool? {
        switch values[key] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        case .int(let value)?: return value != 0
        case .string(let text)?:
            switch text.lowercased() {
            case "true", "1": return true
            case "false", "0", "": return false
            default: throw BotAPIFailure.badRequest("field \"\(key)\" must be of type Boolean")
            }
        default: throw BotAPIFailure.badRequest("field \"\(key)\" must be of type Boolean")
        }
    }

    /// A structured parameter, given as JSON or as a string holding JSON.
    func decode<T: Decodable>(_ key: String, as type: T.Type, failure: BotAPIFailure) throws -> T? {
        let data: Data
        switch values[key] {
        case nil, .null?: return nil
        case .string(let text)?: data = Data(text.utf8)
        case let value?: data = (try? JSONEncoder().encode(value)) ?? Data()
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw failure
        }
    }
}

/// Reads a request's parameters from its query and body.
enum ParameterReader {
    static func read(query: [(String, String)], contentType: String?, body: Data) throws -> Parameters {
        var parameters = Parameters()
        for (name, value) in query { parameters.values[name] = .string(value) }
        let type = (contentType ?? "").lowercased()
        if type.hasPrefix("application/json") {
            guard !body.isEmpty else { return parameters }
            guard case .object(let members)? = try? JSONDecoder().decode(JSONValue.self, from: body) else {
                throw BotAPIFailure.badRequest("can't parse JSON object")
            }
            parameters.values.merge(members) { _, new in new }
        } else if type.hasPrefix("application/x-www-form-urlencoded") {
            for (name, value) in formFields(String(decoding: body, as: UTF8.self)) {
                parameters.values[name] = .string(value)
            }
        } else if type.hasPrefix("multipart/form-data") {
            guard let boundary = MultipartReader.boundary(in: contentType ?? ""),
                  let parts = MultipartReader.parts(of: body, boundary: boundary) else {
                throw BotAPIFailure.badRequest("can't parse multipart/form-data body")
            }
            for part in parts {
                if let fileName = part.fileName {
                    parameters.files[part.name] = UploadedFile(fileName: fileName, contentType: part.contentType, data: part.data)
                } else {
                    parameters.values[part.name] = .string(String(decoding: part.data, as: UTF8.self))
                }
            }
        }
        return parameters
    }

    /// `a=1&b=x+y%21` → [("a","1"), ("b","x y!")].
    static func formFields(_ text: String) -> [(String, String)] {
        text.split(separator: "&").compactMap { pair in
            let halves = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ part: Substring) -> String {
                let spaced = part.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            guard let name = halves.first, !name.isEmpty else { return nil }
            return (decoded(name), halves.count > 1 ? decoded(halves[1]) : "")
        }
    }
}

/// A strict reader of `multipart/form-data` bodies.
enum MultipartReader {
    struct Part {
        let name: String
        let fileName: String?
        let contentType: String?
        let data: Data
    }

    static func boundary(in contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// The parts, or nil when the body does not follow the format.
    static func parts(of body: Data, boundary: String) -> [Part]? {
        let bytes = [UInt8](body)
        let delimiter = Array("--\(boundary)".utf8)
        guard var position = find(delimiter, in: bytes, from: 0) else { return nil }
        var parts: [Part] = []
        while true {
            position += delimiter.count
            // "--" after a delimiter closes the body.
            if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "-"), bytes[position + 1] == UInt8(ascii: "-") { return parts }
            guard position + 1 < bytes.count, bytes[position] == 0x0D, bytes[position + 1] == 0x0A else { return nil }
            let headerStart = position + 2
            guard let headerEnd = find([0x0D, 0x0A, 0x0D, 0x0A], in: bytes, from: headerStart) else { return nil }
            let contentStart = headerEnd + 4
            guard let next = find([0x0D, 0x0A] + delimiter, in: bytes, from: contentStart) else { return nil }
            let headers = String(decoding: bytes[headerStart..<headerEnd], as: UTF8.self)
            guard let part = part(headers: headers, data: Data(bytes[contentStart..<next])) else { return nil }
            parts.append(part)
            position = next + 2
        }
    }

    private static func part(headers: String, data: Data) -> Part? {
        var name: String?
        var fileName: String?
        var contentType: String?
        for line in headers.components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let field = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if field == "content-type" { contentType = value }
            if field == "content-disposition" {
                name = quotedParameter("name", in: value)
                fileName = quotedParameter("filename", in: value)
            }
        }
        guard let name else { return nil }
        return Part(name: name, fileName: fileName, contentType: contentType, data: data)
    }

    /// `name="document"` inside a Content-Disposition value.
    private static func quotedParameter(_ key: String, in value: String) -> String? {
        for piece in value.split(separator: ";") {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == key else { continue }
            var text = pair[1].trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = String(text.dropFirst().dropLast()) }
            return text.replacingOccurrences(of: "\\\"", with: "\"")
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == needle[0] && Array(haystack[index..<index + needle.count]) == needle { return index }
            index += 1
        }
        return nil
    }
}
