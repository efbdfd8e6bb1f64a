/// The clients' screens (SPEC admin 4): totals and the top ten, a look-up by id or
/// @username, a client's card with their bookings.
public enum ClientsText: StaffScreenText, Hashable {
    /// `total` clients (people who ever booked, staff excluded), `newThisWeek` of them first
    /// booked since Monday (as the dashboard counts them); the top by completed visits.
    case home(total: Int, newThisWeek: Int, top: [ClientVisitLine])
    /// Asks for an id or @username.
    case ask
    /// What was typed is neither.
    case badQuery
    /// Nobody is known by it (`query` as it was understood: digits, or @name).
    case notFound(query: String)
    /// A client's card; their bookings are the buttons.
    case card(ClientInfo, upcoming: Int, past: Int, completed: Int)
}

/// One line of the top ten.
public struct ClientVisitLine: Sendable, Hashable {
    public var client: ClientInfo
    public var completed: Int

    public init(client: ClientInfo, completed: Int) {
        self.client = client
        self.completed = completed
    }
}

public enum ClientsButton: StaffLabel, Hashable {
    /// The staff menu's entry.
    case clients
    case find
    case backToClients
}

enum ClientsKey: String, StaffTemplateSet {
    case home, topLine, topEmpty, ask, badQuery, notFound, card
    case buttonClients, buttonFind, buttonBackToClients

    /// Formats with no words, the same in both languages on purpose.
    static let neutral: Set<ClientsKey> = []

    var pair: (ru: String, en: String) {
        switch self {
        case .home:
            return (ru: "👥 Клиенты\n\nВсего клиентов (хоть раз записывались): {total}\nНовых за неделю: {new}\n\n"
                        + "Топ-10 по состоявшимся визитам:\n{top}",
                    en: "👥 Clients\n\nClients in total (ever booked): {total}\nNew this week: {new}\n\n"
                        + "Top 10 by completed visits:\n{top}")
        case .topLine:
            return (ru: "{place}. {client}, id {id} — {visits, plural, one {# визит} few {# визита} many {# визитов} other {# визита}}",
                    en: "{place}. {client}, id {id} — {visits, plural, one {# visit} other {# visits}}")
        case .topEmpty:
            return (ru: "пока ни одного состоявшегося визита", en: "no completed visits yet")
        case .ask:
            return (ru: "🔎 Пришлите числовой id клиента или его @username.", en: "🔎 Send the client’s numeric id or their @username.")
        case .badQuery:
            return (ru: "⚠️ Это не id и не @username. Пришлите, например, 123456789 или @anna.",
                    en: "⚠️ That is neither an id nor a @username. Send, for example, 123456789 or @anna.")
        case .notFound:
            return (ru: "🔎 Клиент «{query}» не найден. Пришлите другой id или @username.",
                    en: "🔎 No client “{query}” was found. Send another id or @username.")
        case .card:
            return (ru: "👤 {client}, id {id}\n\nПредстоящих записей: {upcoming}\nПрошлых и отменённых: {past}\n"
                        + "Состоявшихся визитов: {completed}\n\nНажмите на запись, чтобы открыть её.",
                    en: "👤 {client}, id {id}\n\nUpcoming bookings: {upcoming}\nPast and cancelled: {past}\n"
                        + "Completed visits: {completed}\n\nPress a booking to open it.")
        case .buttonClients:
            return (ru: "👥 Клиенты", en: "👥 Clients")
        case .buttonFind:
            return (ru: "🔎 Найти клиента", en: "🔎 Find a client")
        case .buttonBackToClients:
            return (ru: "⬅️ К клиентам", en: "⬅️ Back to clients")
        }
    }
}

extension ClientsText {
    public func text(in language: Language) -> String {
        switch self {
        case .home(let total, let new, let top):
            let lines = top.enumerated().map { place, line in
                ClientsKey.topLine.render(["place": .number(place + 1), "client": .text(ScheduleText.person(line.client, in: language)),
                                           "id": .text(String(line.client.id)), "visits": .number(line.completed)], in: language)
            }
            let list = lines.isEmpty ? ClientsKey.topEmpty.render(in: language) : lines.joined(separator: "\n")
            return ClientsKey.home.screen(["total": .number(total), "new": .number(new), "top": .text(list)], in: language)
        case .ask:
            return ClientsKey.ask.screen(in: language)
        case .badQuery:
            return ClientsKey.badQuery.screen(in: language)
        case .notFound(let query):
            return ClientsKey.notFound.screen(["query": .text(query)], in: language)
        case .card(let client, let upcoming, let past, let completed):
            return ClientsKey.card.screen(["client": .text(ScheduleText.person(client, in: language)), "id": .text(String(client.id)),
                                           "upcoming": .number(upcoming), "past": .number(past), "completed": .number(completed)],
                                          in: language)
        }
    }
}

extension ClientsButton {
    public func label(in language: Language) -> String {
        switch self {
        case .clients: return ClientsKey.buttonClients.buttonLabel(in: language)
        case .find: return ClientsKey.buttonFind.buttonLabel(in: language)
        case .backToClients: return ClientsKey.buttonBackToClients.buttonLabel(in: language)
        }
    }
}
