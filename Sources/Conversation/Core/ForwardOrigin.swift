/// Who first sent a message someone forwarded to the bot, as far as Telegram tells: staff
/// add a colleague by forwarding one of their messages (SPEC admin 11).
public enum ForwardOrigin: Sendable, Equatable {
    /// A person (or a bot) Telegram names.
    case user(id: Int64, firstName: String, username: String?, isBot: Bool)
    /// Someone whose privacy settings hide their account: only the name they show.
    case hiddenUser(name: String)
    /// A group or a channel, not a person.
    case chat
}
