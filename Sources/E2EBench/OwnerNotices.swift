import Foundation
import Sandbox

/// A booking change a simulated client made, which the owner is to be told of.
struct BookingEvent: Equatable {
    enum Kind: Equatable { case booked, cancelled }
    var kind: Kind
    /// The client's first name, as the notice names them.
    var client: String
    /// The visit's start, HH:MM in the business's time zone (the bench runs the bot in UTC).
    var time: String
    /// When the client saw the booked (or cancelled) screen, on the bench's clock.
    var at: Double
}

/// The owner's chat as the bench watches it: each bot message with when it was first seen
/// and its latest text (a notice edited later to hold more keeps its first time).
final class OwnerWatch {
    let owner: Int64
    private(set) var messages: [Int64: (seenAt: Double, text: String)] = [:]
    private var actionCount = -1
    private var checkedAt = -Double.infinity

    init(owner: Int64) { self.owner = owner }

    /// Reads the owner's chat if anything happened in it since the last look (at most
    /// every `interval` seconds, unless `force`).
    func look(_ sandbox: SandboxServer, now: Double, interval: Double = 0.25, force: Bool = false) {
        guard force || now - checkedAt >= interval else { return }
        checkedAt = now
        let count = sandbox.botActionCounts(chatIDs: [owner])[0]
        guard count != actionCount, let transcript = sandbox.transcript(chatID: owner) else { return }
        actionCount = count
        for message in transcript.botMessages {
            let text = message.text ?? message.caption ?? ""
            if let known = messages[message.messageID] {
                if known.text != text { messages[message.messageID] = (known.seenAt, text) }
            } else {
                messages[message.messageID] = (now, text)
            }
        }
    }

    /// Messages first seen at or after `since`.
    func count(since: Double) -> Int { messages.values.filter { $0.seenAt >= since }.count }

    var received: [NoticeMessage] {
        messages.sorted { $0.key < $1.key }.map { NoticeMessage(seenAt: $0.value.seenAt, text: $0.value.text) }
    }
}

/// One message the owner received.
struct NoticeMessage: Equatable {
    var seenAt: Double
    var text: String
}

/// Which bookings reached the owner, read from the notices' text in whatever form they
/// take: one notice a message, or several coalesced into one ("3 new bookings: …").
///
/// Each mention of a client name (the bench's names are `Client 00042`: fixed width, so
/// none is the start of another) is paired with the first HH:MM after it and before the
/// next name. The mentions of one client and time, in the order the owner got them, are
/// matched one to one with that client's events at that time in the order they happened
/// (booked, then cancelled, perhaps booked again): the i-th event is told by the i-th mention.
enum NoticeCoverage {
    static let namePrefix = "Client "
    static let nameDigits = 5

    static func name(of index: Int) -> String {
        let digits = String(index)
        return namePrefix + String(repeating: "0", count: max(0, nameDigits - digits.count)) + digits
    }

    /// The (client, time) pairs a message names, in order.
    static func mentions(in text: String) -> [(client: String, time: String)] {
        let characters = Array(text)
        let prefix = Array(namePrefix)
        var starts: [Int] = []
        var index = 0
        while index + prefix.count + nameDigits <= characters.count {
            if Array(characters[index..<index + prefix.count]) == prefix,
               characters[(index + prefix.count)..<(index + prefix.count + nameDigits)].allSatisfy({ $0.isASCII && $0.isNumber }) {
                starts.append(index)
                index += prefix.count + nameDigits
            } else {
                index += 1
            }
        }
        return starts.enumerated().compactMap { position, start in
            let nameEnd = start + prefix.count + nameDigits
            let end = position + 1 < starts.count ? starts[position + 1] : characters.count
            guard let time = firstTime(in: characters[nameEnd..<end]) else { return nil }
            return (String(characters[start..<nameEnd]), time)
        }
    }

    /// The first H:MM or HH:MM in the characters.
    static func firstTime(in characters: ArraySlice<Character>) -> String? {
        let text = Array(characters)
        func digit(_ i: Int) -> Bool { i >= 0 && i < text.count && text[i].isASCII && text[i].isNumber }
        for colon in text.indices where text[colon] == ":" {
            guard digit(colon - 1), digit(colon + 1), digit(colon + 2), !digit(colon + 3) else { continue }
            let hours = digit(colon - 2) ? String(text[(colon - 2)..<colon]) : "0" + String(text[colon - 1])
            return hours + ":" + String(text[(colon + 1)...(colon + 2)])
        }
        return nil
    }

    struct Result: Equatable {
        var bookings: Int
        /// Bookings whose notice the owner had within `within` seconds of the booking.
        var coveredInTime: Int
        /// Bookings whose notice came at all.
        var covered: Int
    }

    static func check(events: [BookingEvent], messages: [NoticeMessage], within: Double) -> Result {
        struct Key: Hashable { var client: String; var time: String }
        var told: [Key: [Double]] = [:]
        for message in messages.sorted(by: { $0.seenAt < $1.seenAt }) {
            for mention in mentions(in: message.text) {
                told[Key(client: mention.client, time: mention.time), default: []].append(message.seenAt)
            }
        }
        var next: [Key: Int] = [:]
        var result = Result(bookings: 0, coveredInTime: 0, covered: 0)
        for event in events.sorted(by: { $0.at < $1.at }) {
            let key = Key(client: event.client, time: event.time)
            let position = next[key, default: 0]
            next[key] = position + 1
            guard event.kind == .booked else { continue }
            result.bookings += 1
            guard let times = told[key], position < times.count else { continue }
            result.covered += 1
            if times[position] - event.at <= within { result.coveredInTime += 1 }
        }
        return result
    }
}
