import Foundation
import Telegram

/// Reads just enough of a raw update to queue it: its id and the chat it belongs to.
/// The bytes themselves go to the queue untouched (unknown fields and all).
public enum UpdateIntake {
    public struct Accepted: Sendable, Equatable {
        public let updateID: Int64
        /// The chat whose order the update joins: its chat, else its sender (an inline
        /// query has no chat), else 0.
        public let chat: Int64
        public let kind: String
        public let payload: Data
    }

    public enum Rejection: String, Error, Sendable {
        case empty
        case notJSON = "not_json"
        case notAnUpdate = "not_an_update"
    }

    public static func read(_ body: Data) -> Result<Accepted, Rejection> {
        guard !body.isEmpty else { return .failure(.empty) }
        guard (try? JSONSerialization.jsonObject(with: body)) is [String: Any] else { return .failure(.notJSON) }
        guard let update = try? Update.decode(body) else { return .failure(.notAnUpdate) }
        return .success(Accepted(updateID: update.updateID, chat: update.chatID ?? update.fromID ?? 0,
                                 kind: update.kind.description, payload: body))
    }
}

/// Compares secrets in time that does not depend on where they differ.
public enum ConstantTime {
    public static func equals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        // The whole length difference, not its low byte: with 8 bits, the secret followed
        // by 256 NULs compared equal.
        var lengthDifference = x.count ^ y.count
        var difference: UInt8 = 0
        for index in 0..<max(x.count, y.count) {
            let left = index < x.count ? x[index] : 0
            let right = index < y.count ? y[index] : 0
            difference |= left ^ right
        }
        lengthDifference |= Int(difference)
        return lengthDifference == 0
    }
}
