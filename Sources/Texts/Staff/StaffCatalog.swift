/// The staff side's templates, both languages side by side (the staff screens change
/// together, so a translation is never forgotten in another file). The same template
/// language as the client catalogs (`Template.swift`); the tests check that both
/// languages of a key ask for the same values.
enum StaffCatalog {
    static func template(_ key: StaffKey, in language: Language) -> String {
        let (ru, en) = pair(key)
        return language == .ru ? ru : en
    }

    private static func pair(_ key: StaffKey) -> (ru: String, en: String) {
        switch key {
        case .menu:
            return (ru: "🛠 Меню сотрудника\n"
                        + "Ваша роль: {role, select, superAdmin {главный администратор} other {модератор}}.\n\n"
                        + "Здесь появятся расписание, клиенты, услуги и настройки.",
                    en: "🛠 Staff menu\n"
                        + "Your role: {role, select, superAdmin {super admin} other {moderator}}.\n\n"
                        + "The schedule, clients, services and settings will appear here.")
        case .buttonClose:
            return (ru: "✖️ Закрыть", en: "✖️ Close")
        }
    }
}
