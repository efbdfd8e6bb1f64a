import Foundation
import Sandbox

/// A chat as a person would read it, written as plain text: the acceptance runs keep
/// what the bot said, in each language, for a reader to check (`.local/transcripts`
/// when run by `scripts/test`; not written otherwise).
public enum TranscriptWriter {
    static let longText = 500

    /// The chat in reading order: who wrote, the text, and the buttons under it now.
    public static func render(_ transcript: ChatTranscript) -> String {
        transcript.messages.filter { !$0.deleted }.map { message in
            let who = message.sender == .user ? "👤 \(transcript.user.firstName)" : "🤖 bot"
            var text = message.text ?? message.caption ?? message.document.map { "📎 \($0.fileName ?? "file")" } ?? ""
            // A test's 5,000-character answer is shown by its start and length, so the chat stays readable.
            if text.count > longText { text = "\(text.prefix(60))… (\(text.count) characters)" }
            var lines = ["\(who):", text.split(separator: "\n", omittingEmptySubsequences: false).map { "    \($0)" }.joined(separator: "\n")]
            for row in message.replyMarkup?.inlineKeyboard?.inlineKeyboard ?? [] {
                lines.append("    " + row.map { "[\($0.text)]" }.joined(separator: " "))
            }
            if message.editCount > 0 { lines.append("    (edited \(message.editCount)×)") }
            return lines.joined(separator: "\n")
        }.joined(separator: "\n\n") + "\n"
    }

    /// Writes the chat to `<BOOKINGBOT_TRANSCRIPTS>/<name>.txt`, when that folder is set.
    public static func save(_ transcript: ChatTranscript?, as name: String) throws {
        guard let transcript, let folder = ProcessInfo.processInfo.environment["BOOKINGBOT_TRANSCRIPTS"], !folder.isEmpty else { return }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try render(transcript).write(toFile: "\(folder)/\(name).txt", atomically: true, encoding: .utf8)
    }
}
