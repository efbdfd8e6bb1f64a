import Foundation
import Hummingbird
import NIOCore
import Telegram

/// The web chat: a page that looks and behaves like Telegram's app, to act as several
/// people at once and watch the bot answer (issue #18). Served by the Sandbox itself, for
/// use on this machine only (the Sandbox binds 127.0.0.1 and has no authentication).
///
/// | request | does |
/// |---|---|
/// | `GET /` | the page (its script and style under `/web/assets/`) |
/// | `GET /web/people` | the people to act as (`PersonView`) |
/// | `POST /web/people` `{"name":…,"language":"ru"\|"en"}` | a new person, with the next free id |
/// | `GET /web/chats/<id>` | that person's chat as the app shows it (`ChatView`) |
/// | `GET /web/events?chats=<id>,<id>` | server-sent events: `people`, and `chat` for each listed chat, whenever they change |
/// | `GET /web/files/<file id>[?download=1][?photo=1]` | a file's bytes (for a photo never seen, a stand-in picture) |
/// | `POST /web/photos?user_id=…[&caption=…]` (body: the image) | the person sends a photo |
///
/// Typing and pressing go through the control API (`POST /control/messages`, `/control/callbacks`).
struct WebChatRoutes: Sendable {
    let world: SandboxWorld

    /// Whether the request is the web chat's; the rest of the Sandbox answers the others.
    static func claims(_ components: [String]) -> Bool {
        components.isEmpty || components.first == "web" || components == ["favicon.ico"]
    }

    func respond(path components: [String], request: Request, query: [(String, String)], body: Data) async -> Response {
        let parameter = { (name: String) in query.last { $0.0 == name }?.1 }
        switch (request.method, components) {
        case (.get, []):
            return WebChatAssets.page.response
        case (.get, ["favicon.ico"]):
            return WebChatAssets.icon.response
        case (.get, let path) where path.count == 3 && path[0] == "web" && path[1] == "assets":
            return WebChatAssets.named(path[2])?.response ?? Self.problem(404, "no such asset")
        case (.get, ["web", "people"]):
            return Self.json(world.people())
        case (.post, ["web", "people"]):
            return createPerson(body)
        case (.get, let path) where path.count == 3 && path[0] == "web" && path[1] == "chats":
            guard let id = Self.chatID(path[2]) else { return Self.problem(400, "a chat id is a positive integer") }
            guard let view = world.chatView(id) else { return Self.problem(404, "no chat \(id) yet: send it a message first") }
            return Self.json(view)
        case (.get, ["web", "events"]):
            let listed = (parameter("chats") ?? "").split(separator: ",", omittingEmptySubsequences: true)
            let ids = listed.compactMap { Self.chatID(String($0)) }
            guard ids.count == listed.count, ids.count <= ChatEventStream.maxChats else {
                return Self.problem(400, "chats: up to \(ChatEventStream.maxChats) positive integer ids, comma-separated")
            }
            return ChatEventStream(world: world, chatIDs: ids).response()
        case (.get, let path) where path.count == 3 && path[0] == "web" && path[1] == "files":
            return file(id: path[2], download: parameter("download") == "1", shownAsPhoto: parameter("photo") == "1")
        case (.post, ["web", "photos"]):
            return sendPhoto(from: parameter("user_id"), caption: parameter("caption"), type: request.headers[.contentType], body: body)
        default:
            return Self.problem(404, "no web chat route \(request.method.rawValue) /\(components.joined(separator: "/"))")
        }
    }

    // MARK: - People

    /// Telegram's limit for a first name.
    static let maxNameLength = 64
    static let languages = ["ru", "en"]

    private func createPerson(_ body: Data) -> Response {
        struct NewPerson: Decodable {
            let name: String
            let language: String
        }
        guard let person = try? JSONDecoder().decode(NewPerson.self, from: body) else {
            return Self.problem(400, #"expected {"name":…,"language":"ru"|"en"}"#)
        }
        let name = person.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= Self.maxNameLength, !name.contains(where: \.isNewline) else {
            return Self.problem(400, "a name is 1–\(Self.maxNameLength) characters on one line")
        }
        guard Self.languages.contains(person.language) else { return Self.problem(400, "the language is ru or en") }
        return Self.json(world.createPerson(name: name, language: person.language))
    }

    // MARK: - Files

    /// Telegram takes photos up to 10 MB.
    static let maxPhotoBytes = 10 << 20

    private func file(id: String, download: Bool, shownAsPhoto: Bool) -> Response {
        guard let file = world.file(id) else { return Self.problem(404, "no such file") }
        guard let data = file.data else {
            // A photo sent through the control API has no bytes: a stand-in shows where it
            // is. A file the bot sent by URL was never fetched: there is nothing to save.
            return shownAsPhoto ? WebChatAssets.missingPhoto.response : Self.problem(404, "the bot sent this file by URL: the Sandbox never had its bytes")
        }
        var headers: HTTPFields = [.contentType: Self.servedType(file.mimeType), .cacheControl: "no-store",
                                   .init("X-Content-Type-Options")!: "nosniff"]
        if download || !Self.servedType(file.mimeType).hasPrefix("image/") {
            headers[.contentDisposition] = Self.attachment(file.fileName ?? "file")
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Pictures are shown as what they are; everything else is served as bytes to save, so a
    /// file the bot sent can never run as a page of the Sandbox's origin.
    static func servedType(_ mimeType: String?) -> String {
        let pictures = ["image/jpeg", "image/png", "image/gif", "image/webp"]
        return mimeType.flatMap { type in pictures.first { $0 == type.lowercased() } } ?? "application/octet-stream"
    }

    /// `attachment` with the name in both forms browsers read (RFC 6266): an ASCII stand-in
    /// and the UTF-8 original.
    static func attachment(_ name: String) -> String {
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" ? Character($0) : "_" })
        let encoded = name.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? "file"
        return #"attachment; filename="\#(ascii)"; filename*=UTF-8''\#(encoded)"#
    }

    /// RFC 3986's unreserved characters: ASCII only (`.alphanumerics` takes in every letter).
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    private func sendPhoto(from user: String?, caption: String?, type: String?, body: Data) -> Response {
        guard let userID = user.flatMap(Self.chatID) else { return Self.problem(400, "user_id is a positive integer") }
        let mimeType = Self.servedType(type.map { String($0.prefix { $0 != ";" }).trimmingCharacters(in: .whitespaces) })
        guard mimeType.hasPrefix("image/") else { return Self.problem(415, "a photo is a JPEG, PNG, GIF or WebP image") }
        guard !body.isEmpty, body.count <= Self.maxPhotoBytes else { return Self.problem(413, "a photo is 1 byte to 10 MB") }
        do {
            let caption = caption.flatMap { $0.isEmpty ? nil : $0 }
            return Self.json(try world.userSendsPhoto(caption: caption, from: userID, data: body, mimeType: mimeType))
        } catch {
            return Self.problem(400, "\(error)")
        }
    }

    // MARK: - Answers

    /// A private chat's id: a user's, so positive, and exact as a number in the page's
    /// JavaScript (Telegram's ids fit in 52 bits).
    static func chatID(_ text: String) -> Int64? {
        guard text.count <= 16, let id = Int64(text), validChatIDs.contains(id) else { return nil }
        return id
    }

    static let validChatIDs: ClosedRange<Int64> = 1...(1 << 53 - 1)

    static func json(_ value: some Encodable) -> Response {
        let body = (try? JSONEncoder.sorted.encode(value)) ?? Data("null".utf8)
        return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func problem(_ status: Int, _ description: String) -> Response {
        ControlAPI.failure(status, description)
    }
}
