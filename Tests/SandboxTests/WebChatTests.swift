import Foundation
import HTTP
import Sandbox
import Telegram
import TestSupport
import XCTest

/// The web chat's server side: the page from the binary, the people, each chat as the app
/// shows it, its files, and the live feed. (The page itself is driven in a real browser
/// by WebChatEndToEndTests.)
final class WebChatTests: SandboxTestCase {
    private func postJSON(_ path: String, _ body: String) throws -> (Int, JSONValue) {
        let response = try http.postJSON("\(sandbox.baseURL)\(path)", body: Data(body.utf8))
        return (response.status, try JSONDecoder().decode(JSONValue.self, from: response.body))
    }

    private func chat(_ id: Int64) throws -> JSONValue {
        let (status, view) = try get("/web/chats/\(id)")
        XCTAssertEqual(status, 200)
        return view
    }

    func testThePageItsScriptStyleAndIconComeFromTheBinary() throws {
        let page = try http.get("\(sandbox.baseURL)/")
        XCTAssertEqual(page.status, 200)
        XCTAssertEqual(page.header("Content-Type"), "text/html; charset=utf-8")
        XCTAssertTrue(page.text.contains(#"<script src="/web/assets/chat.js""#), page.text)
        // Only its own script and style run: nothing the bot sends can become a script.
        XCTAssertEqual(page.header("Content-Security-Policy")?.contains("script-src 'self'"), true)
        for (asset, type, marker) in [("chat.js", "text/javascript; charset=utf-8", "new EventSource("),
                                      ("chat.css", "text/css; charset=utf-8", ".inline-keyboard"), ("icon.svg", "image/svg+xml", "<svg")] {
            let response = try http.get("\(sandbox.baseURL)/web/assets/\(asset)")
            XCTAssertEqual(response.status, 200, asset)
            XCTAssertEqual(response.header("Content-Type"), type, asset)
            XCTAssertTrue(response.text.contains(marker), asset)
        }
        XCTAssertEqual(try http.get("\(sandbox.baseURL)/favicon.ico").status, 200, "no 404 in the browser's console")
        XCTAssertEqual(try http.get("\(sandbox.baseURL)/web/assets/secret.txt").status, 404)
        XCTAssertEqual(try http.get("\(sandbox.baseURL)/web/nothing").status, 404)
    }

    func testPeopleAreListedWithWhoTheyAreAndNewOnesGetTheNextFreeID() throws {
        sandbox.register(User(id: 9001, firstName: "Olga", languageCode: "ru"), note: "owner")
        sandbox.register(User(id: 42, firstName: "Zed"))
        _ = try sandbox.sendText("hi", from: 42)
        let (created, person) = try postJSON("/web/people", #"{"name":"  Анна Каренина ","language":"ru"}"#)
        XCTAssertEqual(created, 200)
        XCTAssertEqual(person, .object(["id": .int(9002), "name": .string("Анна Каренина"), "language": .string("ru"),
                                        "chat_opened": .bool(false), "blocked_bot": .bool(false)]))
        XCTAssertEqual(try postJSON("/web/people", #"{"name":"Ben","language":"en"}"#).1["id"], .int(9003))
        // Noted people first, then by id.
        let (_, people) = try get("/web/people")
        guard case .array(let list) = people else { return XCTFail("\(people)") }
        XCTAssertEqual(list.map { $0["id"] }, [.int(9001), .int(42), .int(9002), .int(9003)])
        XCTAssertEqual(list[0]["note"], .string("owner"))
        XCTAssertEqual(list[1]["chat_opened"], .bool(true))

        for refused in [#"{"name":"","language":"ru"}"#, #"{"name":"   ","language":"en"}"#,
                        #"{"name":"\#(String(repeating: "я", count: 65))","language":"ru"}"#, #"{"name":"two\nlines","language":"en"}"#,
                        #"{"name":"Hans","language":"de"}"#, #"{"name":42,"language":"en"}"#, "not json", ""] {
            let (status, answer) = try postJSON("/web/people", refused)
            XCTAssertEqual(status, 400, refused)
            XCTAssertEqual(answer["ok"], .bool(false), refused)
        }
        // A made-up person never takes a huge id someone registered (nor overflows past it),
        // nor one in use; ids the page cannot hold exactly are not listed.
        sandbox.register(User(id: Int64.max, firstName: "Max"))
        XCTAssertEqual(try postJSON("/web/people", #"{"name":"Cleo","language":"en"}"#).1["id"], .int(9004))
        sandbox.register(User(id: 999_999_999, firstName: "Nine"))
        sandbox.register(User(id: 1_000_000_000, firstName: "Billion"))
        XCTAssertEqual(try postJSON("/web/people", #"{"name":"Dora","language":"en"}"#).1["id"], .int(1_000_000_001))
        XCTAssertEqual(try postJSON("/web/people", #"{"name":"Ella","language":"en"}"#).1["id"], .int(1_000_000_002))
        let listed = try get("/web/people").1.arrayValue?.compactMap { $0["id"]?.intValue } ?? []
        XCTAssertFalse(listed.contains(Int64.max))
        XCTAssertEqual(Set(listed).count, listed.count)
    }

    func testAChatShowsWhatTheAppShowsEditsInPlaceDeletionsGoneAnswersAndKeyboards() throws {
        _ = try sandbox.sendText("/start", from: 71)
        let calendar = InlineKeyboardMarkup([[.callback("Mo", "h"), .callback("Tu", "h")], [.callback("🟢 7", "d7"), .callback("8", "d8")],
                                             [InlineKeyboardButton(text: "Site", url: "https://example.org")]])
        let screen = try bot.sendMessage(chatID: 71, text: "Choose a day:", replyMarkup: .inlineKeyboard(calendar))
        let gone = try bot.sendMessage(chatID: 71, text: "temporary")
        _ = try bot.sendMessage(chatID: 71, text: "Menu", replyMarkup: .replyKeyboard(ReplyKeyboardMarkup([["📅 Book", "🗂 My bookings"], ["ℹ️ About"]])))
        var view = try chat(71)
        XCTAssertEqual(view["messages"]?.arrayValue?.count, 4)
        let shown = try XCTUnwrap(view["messages"]?.arrayValue?[1])
        XCTAssertEqual(shown["keyboard"], .array([
            .array([.object(["text": .string("Mo"), "data": .string("h")]), .object(["text": .string("Tu"), "data": .string("h")])]),
            .array([.object(["text": .string("🟢 7"), "data": .string("d7")]), .object(["text": .string("8"), "data": .string("d8")])]),
            .array([.object(["text": .string("Site"), "url": .string("https://example.org")])]),
        ]), "rows as the bot laid them out")
        XCTAssertEqual(view["reply_keyboard"], .array([.array([.string("📅 Book"), .string("🗂 My bookings")]), .array([.string("ℹ️ About")])]))
        XCTAssertEqual(view["messages"]?.arrayValue?.first?["from_bot"], .bool(false))

        let press = try sandbox.pressButton(from: 71, messageID: screen.messageID, callbackData: "d7")
        try bot.answerCallbackQuery(id: try XCTUnwrap(press.callbackQuery?.id), text: "That day is gone", showAlert: true)
        _ = try bot.editMessageText(chatID: 71, messageID: screen.messageID, text: "Choose a time:",
                                    replyMarkup: InlineKeyboardMarkup([[.callback("10:00", "t10")]]))
        try bot.deleteMessage(chatID: 71, messageID: gone.messageID)
        view = try chat(71)
        let messages = try XCTUnwrap(view["messages"]?.arrayValue)
        XCTAssertEqual(messages.compactMap { $0["text"]?.stringValue }, ["/start", "Choose a time:", "Menu"], "edited in place, deleted gone")
        XCTAssertEqual(messages[1]["id"], .int(screen.messageID))
        XCTAssertEqual(messages[1]["edits"], .int(1))
        XCTAssertEqual(messages[1]["keyboard"]?.arrayValue?.count, 1)
        XCTAssertEqual(view["answers"], .array([.object(["message_id": .int(screen.messageID), "text": .string("That day is gone"), "alert": .bool(true)])]))

        XCTAssertEqual(try get("/web/chats/72").0, 404, "never opened")
        for bad in ["abc", "-71", "0", "99999999999999999999", "1e3"] {
            XCTAssertEqual(try get("/web/chats/\(bad)").0, 400, bad)
        }
    }

    func testADocumentIsALinkToItsBytesAndNeverServedAsAPage() throws {
        _ = try sandbox.sendText("/start", from: 71)
        let csv = Data("\u{FEFF}name,when\r\nАнна,2026-12-08\r\n".utf8)
        _ = try bot.sendDocument(chatID: 71, fileName: "записи 2026.csv", data: csv, mimeType: "text/csv", caption: "Bookings")
        // A page the bot sends as a document must not run as one of the Sandbox's pages.
        _ = try bot.sendDocument(chatID: 71, fileName: "x.html", data: Data("<script>alert(1)</script>".utf8), mimeType: "text/html")
        let messages = try XCTUnwrap(try chat(71)["messages"]?.arrayValue)
        let document = try XCTUnwrap(messages[1]["document"])
        XCTAssertEqual(document["name"], .string("записи 2026.csv"))
        XCTAssertEqual(document["size"], .int(Int64(csv.count)))
        XCTAssertNil(document["data"], "the view carries a link, never the bytes")
        XCTAssertEqual(messages[1]["caption"], .string("Bookings"))

        let url = try XCTUnwrap(document["url"]?.stringValue)
        let download = try http.get("\(sandbox.baseURL)\(url)?download=1")
        XCTAssertEqual(download.status, 200)
        XCTAssertEqual(download.body, csv)
        XCTAssertEqual(download.header("Content-Type"), "application/octet-stream")
        XCTAssertEqual(download.header("Content-Disposition"),
                       #"attachment; filename="______ 2026.csv"; filename*=UTF-8''%D0%B7%D0%B0%D0%BF%D0%B8%D1%81%D0%B8%202026.csv"#)
        let page = try http.get("\(sandbox.baseURL)\(try XCTUnwrap(messages[2]["document"]?["url"]?.stringValue))")
        XCTAssertEqual(page.header("Content-Type"), "application/octet-stream")
        XCTAssertTrue(page.header("Content-Disposition")?.hasPrefix("attachment") == true)
        XCTAssertEqual(try http.get("\(sandbox.baseURL)/web/files/BQACsandbox999").status, 404)
    }

    func testAPhotoFromThePageReachesTheBotAndShowsWhereverTheBotSendsItOn() throws {
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: UInt8(7), count: 64))
        let upload = try http.send(HTTPRequest(method: "POST", url: "\(sandbox.baseURL)/web/photos?user_id=71&caption=Spring%20offer",
                                               body: .data(png, contentType: "image/png")))
        XCTAssertEqual(upload.status, 200, upload.text)
        let update = try JSONDecoder().decode(Update.self, from: upload.body)
        XCTAssertEqual(update.message?.caption, "Spring offer")
        let fileID = try XCTUnwrap(update.message?.photo?.last?.fileID)
        _ = try sandbox.sendText("/start", from: 72)
        _ = try bot.sendPhoto(chatID: 72, photo: .reference(fileID), caption: "🌷")
        let photo = try XCTUnwrap(try chat(72)["messages"]?.arrayValue?.last?["photo"])
        let shown = try http.get("\(sandbox.baseURL)\(try XCTUnwrap(photo["url"]?.stringValue))")
        XCTAssertEqual(shown.body, png)
        XCTAssertEqual(shown.header("Content-Type"), "image/png")
        XCTAssertNil(shown.header("Content-Disposition"), "a picture shows in the page")

        // A photo sent through the control API has no picture: a stand-in shows.
        let bare = try http.postJSON("\(sandbox.baseURL)/control/photos", body: Data(#"{"user_id":73}"#.utf8))
        let bareID = try XCTUnwrap(try JSONDecoder().decode(JSONValue.self, from: bare.body)["result"]?["message"]?["photo"]?.arrayValue?.last?["file_id"]?.stringValue)
        XCTAssertEqual(try http.get("\(sandbox.baseURL)/web/files/\(bareID)?photo=1").header("Content-Type"), "image/svg+xml")
        // A document the bot sent by URL has no bytes here: nothing to save, said so.
        let byURL = try post("sendDocument", #"{"chat_id":72,"document":"https://example.org/price-list.pdf"}"#)
        let referenceID = try XCTUnwrap(byURL.1["result"]?["document"]?["file_id"]?.stringValue)
        let missing = try http.get("\(sandbox.baseURL)/web/files/\(referenceID)?download=1")
        XCTAssertEqual(missing.status, 404)
        XCTAssertTrue(missing.text.contains("sent this file by URL"), missing.text)

        for (query, type, body, status) in [("user_id=71", "image/svg+xml", png, 415), ("user_id=71", "image/png", Data(), 413),
                                            ("user_id=71", "image/", png, 415), ("user_id=71", "image/;", png, 415),
                                            ("user_id=-1", "image/png", png, 400), ("user_id=abc", "image/png", png, 400),
                                            ("user_id=71&caption=\(String(repeating: "x", count: 1025))", "image/png", png, 400)] {
            let refused = try http.send(HTTPRequest(method: "POST", url: "\(sandbox.baseURL)/web/photos?\(query)", body: .data(body, contentType: type)))
            XCTAssertEqual(refused.status, status, "\(query) \(type)")
        }
    }

    func testTheEventStreamCarriesEachChangeOfTheListedChatsOnly() throws {
        _ = try sandbox.sendText("/start", from: 71)
        _ = try sandbox.sendText("/start", from: 72)
        let stream = try EventStreamReader(port: sandbox.port, path: "/web/events?chats=71")
        defer { stream.close() }
        let first = try stream.read(until: { $0.contains("event: chat\n") && $0.contains("event: people\n") })
        XCTAssertTrue(first.contains(#""chat_id":71"#), first)
        XCTAssertFalse(first.contains(#""chat_id":72"#), first)

        let screen = try bot.sendMessage(chatID: 71, text: "Choose a day:")
        XCTAssertTrue(try stream.read(until: { $0.contains("Choose a day:") }).contains("event: chat\n"))
        _ = try bot.editMessageText(chatID: 71, messageID: screen.messageID, text: "Choose a time:")
        let edited = try stream.read(until: { $0.contains("Choose a time:") })
        XCTAssertFalse(edited.contains("Choose a day:"), "the edit replaces the text: \(edited)")
        // Another chat's change wakes the stream but sends nothing of that chat.
        _ = try bot.sendMessage(chatID: 72, text: "for someone else")
        _ = try bot.sendMessage(chatID: 71, text: "next")
        XCTAssertFalse(try stream.read(until: { $0.contains(#""text":"next""#) }).contains("for someone else"))

        for bad in ["abc", "71,-1", "71,,x", (1...9).map(String.init).joined(separator: ","), "99999999999999999999"] {
            XCTAssertEqual(try get("/web/events?chats=\(bad)").0, 400, bad)
        }
    }

    func testStoppingTheSandboxEndsAnOpenEventStreamCleanly() throws {
        let stream = try EventStreamReader(port: sandbox.port, path: "/web/events?chats=71")
        defer { stream.close() }
        _ = try stream.read(until: { $0.contains("event: people") })
        let started = Date()
        sandbox.stop()
        // Stop gives up on a request after 3 s: well under that, the stream ended by itself.
        XCTAssertLessThan(Date().timeIntervalSince(started), 1, "the stream ends as the Sandbox stops")
        let rest = try XCTUnwrap(stream.readToEnd(timeout: 3), "the stream ends with the Sandbox")
        XCTAssertTrue(rest.hasSuffix("0\r\n\r\n"), "the chunked body is finished, not cut: \(rest.debugDescription)")
    }

    func testLiveStreamsAreBoundedAndAClosedPageGivesItsPlaceBack() throws {
        var streams = try (0..<32).map { _ in try EventStreamReader(port: sandbox.port, path: "/web/events") }
        defer { streams.forEach { $0.close() } }
        for stream in streams { _ = try stream.read(until: { $0.contains("event: people") }) }
        XCTAssertEqual(try get("/web/events").0, 503)
        streams.removeLast().close()
        // The closed page's stream notices when a write fails (after a change: TCP takes a
        // write or two to tell), and lets go.
        XCTAssertTrue(ChildProcess.eventually(timeout: 5) {
            _ = try? self.sandbox.sendText("hi", from: 71)
            guard let another = try? EventStreamReader(port: self.sandbox.port, path: "/web/events") else { return false }
            defer { another.close() }
            return (try? another.read(until: { $0.contains("\r\n") }).hasPrefix("HTTP/1.1 200")) == true
        }, "the place came back")
    }

    func testOtherSitesCannotActAsUsersNorReachTheSandboxByAnotherName() throws {
        let control = "\(sandbox.baseURL)/control/messages"
        let message = Data(#"{"user_id":71,"text":"hi"}"#.utf8)
        // A page elsewhere can only post "simple" bodies without asking first, and the
        // browser names the site; DNS rebinding arrives with its own host name.
        for (type, header, why) in [("text/plain", nil, "a simple body"), ("application/x-www-form-urlencoded", nil, "a form"),
                                     ("application/json", ("Sec-Fetch-Site", "cross-site"), "another site"),
                                     ("application/json", ("Host", "evil.example:\(sandbox.port)"), "another name")]
                as [(String, (String, String)?, String)] {
            var request = HTTPRequest(method: "POST", url: control, body: .data(message, contentType: type))
            if let (name, value) = header { request.headers.append((name: name, value: value)) }
            XCTAssertEqual(try http.send(request).status, 403, why)
        }
        XCTAssertEqual(try http.get("\(sandbox.baseURL)/bot\(token)/getMe", headers: [(name: "Host", value: "evil.example")]).status, 403)
        XCTAssertNil(sandbox.transcript(chatID: 71), "nothing was sent")
        // The page itself (same origin), programs, and localhost pass.
        XCTAssertEqual(try http.postJSON(control, body: message, headers: [(name: "Sec-Fetch-Site", value: "same-origin")]).status, 200)
        XCTAssertEqual(try http.get("http://localhost:\(sandbox.port)/web/people").status, 200)
        XCTAssertEqual(try http.get("\(sandbox.baseURL)/web/people", headers: [(name: "Sec-Fetch-Site", value: "cross-site")]).status, 200,
                       "reading is not acting (and a cross-site reader cannot read the answer)")
    }

    func testTheWebListenerServesThePageAndControlButNotTheBotAPI() throws {
        var options = self.options
        options.webListener = (host: "127.0.0.1", port: 0)
        let web = SandboxServer(options: options)
        try web.start()
        defer { web.stop() }
        let address = web.webURL
        XCTAssertNotEqual(address, web.baseURL + "/")
        XCTAssertEqual(try http.get(address).status, 200)
        XCTAssertEqual(try http.postJSON(address + "control/messages", body: Data(#"{"user_id":71,"text":"hi"}"#.utf8)).status, 200)
        XCTAssertEqual(try http.get(address + "bot\(token)/getMe").status, 404, "the token is no use there")
        XCTAssertEqual(try TelegramClient(baseURL: web.baseURL, token: token).getUpdates(timeout: 0).first?.message?.text, "hi")
    }
}

/// A raw reader of a server-sent event stream (the HTTP client waits for whole bodies).
final class EventStreamReader {
    private let socket: Int32
    private var received = ""

    init(port: Int, path: String) throws {
        socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw EventStreamError.cannotConnect }
        let request = Data("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    enum EventStreamError: Error { case cannotConnect, timedOut(String), ended(String) }

    /// Reads until what arrived since the last return satisfies `condition`; returns it.
    func read(timeout: TimeInterval = 5, until condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition(received) {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw EventStreamError.timedOut(received) }
            guard let chunk = next(waiting: left) else { throw EventStreamError.ended(received) }
            received += chunk
        }
        defer { received = "" }
        return received
    }

    /// What arrived until the server closed the stream, or nil if it did not within `timeout`.
    func readToEnd(timeout: TimeInterval) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while deadline.timeIntervalSinceNow > 0 {
            guard let chunk = next(waiting: deadline.timeIntervalSinceNow) else {
                defer { received = "" }
                return received
            }
            received += chunk
        }
        return nil
    }

    /// The next bytes, "" when none came in time, nil at the end of the stream.
    private func next(waiting seconds: TimeInterval) -> String? {
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, Int32(max(1, seconds * 1000))) > 0 else { return "" }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = recv(socket, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : nil
    }

    func close() {
        Foundation.close(socket)
    }
}
