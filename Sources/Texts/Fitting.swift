/// Telegram's size limits, and shortening that keeps a text whole-looking within them.
///
/// Lengths are counted in UTF-16 code units: Telegram measures text that way, so an
/// emoji counts as two, and a count in characters would let an emoji-heavy text through
/// that Telegram then refuses.
public enum TelegramLimits {
    /// sendMessage / editMessageText text.
    public static let messageLength = 4096
    /// answerCallbackQuery text.
    public static let alertLength = 200
    /// Telegram has no documented cap for button text, but longer labels are cut off
    /// on every client; the catalog keeps labels within this.
    public static let buttonLabelLength = 64

    /// The length Telegram sees.
    public static func length(_ text: String) -> Int { text.utf16.count }
}

enum Fitting {
    /// `text` cut to `limit` UTF-16 units at a character boundary, ending in "…" when cut.
    static func clamp(_ text: String, to limit: Int) -> String {
        guard TelegramLimits.length(text) > limit else { return text }
        var result = ""
        var used = 0
        let budget = limit - 1  // room for "…"
        for character in text {
            let size = String(character).utf16.count
            if used + size > budget { break }
            result.append(character)
            used += size
        }
        // Do not leave a dangling space or line break before the ellipsis.
        while let last = result.last, last.isWhitespace { result.removeLast() }
        return result + "…"
    }

    /// Renders with the longest value (a name) that keeps the result within `limit`:
    /// the value is shortened with "…", the rest of the template stays whole.
    static func fitValue(_ value: String, limit: Int, render: (String) -> String) -> String {
        let full = render(value)
        guard TelegramLimits.length(full) > limit else { return full }
        let overflow = TelegramLimits.length(full) - limit
        var keep = max(0, TelegramLimits.length(value) - overflow)
        while true {
            let attempt = render(clamp(value, to: max(1, keep)))
            if TelegramLimits.length(attempt) <= limit || keep <= 1 { return clamp(attempt, to: limit) }
            keep -= 1
        }
    }

    /// The largest `shown` in 0...count for which `render(shown)` fits `limit` (render is
    /// expected to grow with `shown`); `render(0)` when even one item is too many.
    static func largestFitting(count: Int, limit: Int, render: (Int) -> String) -> String {
        let all = render(count)
        if TelegramLimits.length(all) <= limit { return all }
        var (low, high) = (0, count - 1)  // render(low) is assumed to fit; count does not
        while low < high {
            let middle = (low + high + 1) / 2
            if TelegramLimits.length(render(middle)) <= limit { low = middle } else { high = middle - 1 }
        }
        return render(low)
    }
}
