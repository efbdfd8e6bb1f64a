/// The staff side's templates, both languages side by side (the staff screens change
/// together, so a translation is never forgotten in another file). The same template
/// language as the client catalogs (`Template.swift`); the tests check that both
/// languages of a key ask for the same values.
enum StaffCatalog {
    static func template(_ key: StaffKey, in language: Language) -> String {
        let (ru, en) = pair(key)
        return language == .ru ? ru : en
    }

    static func pair(_ key: StaffKey) -> (ru: String, en: String) {
        switch key {
        case .menu:
            return (ru: "🛠 Меню сотрудника\n"
                        + "Ваша роль: {role, select, superAdmin {главный администратор} other {модератор}}.\n\n"
                        + "Расписание и записи, клиенты, услуги, цифры — выберите раздел ниже.",
                    en: "🛠 Staff menu\n"
                        + "Your role: {role, select, superAdmin {super admin} other {moderator}}.\n\n"
                        + "The schedule and bookings, clients, services, figures — choose a section below.")
        case .firstRun:
            return (ru: "🛠 Вы — сотрудник, а записываться пока не на что. С чего начать:\n"
                        + "1. Добавьте первую услугу: «🛠 Меню сотрудника» → «Услуги».\n"
                        + "{hours, select, yes {2. Задайте часы работы по дням недели: «Настройки» → «Часы работы».\n} other {}}"
                        + "\nКлиенты увидят календарь, как только появится хотя бы одна услуга.",
                    en: "🛠 You are staff, and there is nothing to book yet. To start:\n"
                        + "1. Add your first service: “🛠 Staff menu” → “Services”.\n"
                        + "{hours, select, yes {2. Set your work hours for each weekday: “Settings” → “Work hours”.\n} other {}}"
                        + "\nClients see the calendar as soon as there is a service.")
        case .rules:
            return (ru: "📋 Правила записи\n\n{hours}\n\n"
                        + "• Время начала — каждые {step}\n"
                        + "• Запись открыта на {horizon, plural, one {# месяц} few {# месяца} many {# месяцев} other {# месяца}} вперёд\n"
                        + "• Не позднее чем за {notice} до начала\n"
                        + "• У клиента не больше {limit, plural, one {# активной записи} few {# активных записей} many {# активных записей} other {# активной записи}}\n"
                        + "• Отмена — не позднее чем за {cancel, plural, one {# час} few {# часа} many {# часов} other {# часа}}, "
                        + "перенос — за {move, plural, one {# час} few {# часа} many {# часов} other {# часа}}\n"
                        + "• {hasReminders, select, yes {Напоминания: за {reminders}} other {Напоминаний нет}}",
                    en: "📋 Booking rules\n\n{hours}\n\n"
                        + "• Start times every {step}\n"
                        + "• Bookable {horizon, plural, one {# month} other {# months}} ahead\n"
                        + "• At least {notice} before the start\n"
                        + "• At most {limit, plural, one {# active booking} other {# active bookings}} per client\n"
                        + "• Cancel up to {cancel, plural, one {# hour} other {# hours}} before, "
                        + "move up to {move, plural, one {# hour} other {# hours}} before\n"
                        + "• {hasReminders, select, yes {Reminders: {reminders} before} other {No reminders}}")
        case .fieldAgain:
            return (ru: "⚠️ {problem}\n\n{prompt}", en: "⚠️ {problem}\n\n{prompt}")
        case .problemLength:
            return (ru: "Нужно от {min} до {max, plural, one {# символа} few {# символов} many {# символов} other {# символа}}. "
                        + "Попробуйте ещё раз.",
                    en: "It needs {min} to {max, plural, one {# character} other {# characters}}. Please try again.")
        case .problemNumber:
            return (ru: "Нужно целое число от {min} до {max}. Попробуйте ещё раз.",
                    en: "It needs a whole number from {min} to {max}. Please try again.")
        case .problemTaken:
            return (ru: "Это уже занято — выберите другое.", en: "That one is already taken — please choose another.")
        case .problemTooLong:
            return (ru: "Слишком длинно: не больше {max, plural, one {# символа} few {# символов} many {# символов} other {# символа}}. "
                        + "Попробуйте ещё раз.",
                    en: "Too long: at most {max, plural, one {# character} other {# characters}}. Please try again.")
        case .problemNeedsLetterOrDigit:
            return (ru: "В названии нужна хотя бы одна буква или цифра (одни эмодзи или знаки не подойдут). Попробуйте ещё раз.",
                    en: "A name needs at least one letter or digit (emoji or symbols alone won't do). Please try again.")
        case .problemMinutes:
            return (ru: "Нужна длительность от {min} до {max} минут, кратная {step}: например 90, 1:30 или 1ч 30м. Попробуйте ещё раз.",
                    en: "It needs a length from {min} to {max} minutes in steps of {step}: for example 90, 1:30 or 1h 30m. "
                        + "Please try again.")
        case .problemAmount:
            return (ru: "Нужно число не меньше 0, не больше двух знаков после запятой: например 1500 или 1500,50. Попробуйте ещё раз.",
                    en: "It needs a number of 0 or more with at most two decimals: for example 1500 or 1500.50. Please try again.")
        case .buttonSkip:
            return (ru: "⏭ Пропустить", en: "⏭ Skip")
        case .buttonConfirm:
            return (ru: "✅ Подтвердить", en: "✅ Confirm")
        case .buttonRules:
            return (ru: "📋 Правила записи", en: "📋 Booking rules")
        case .buttonBack:
            return (ru: "⬅️ Назад", en: "⬅️ Back")
        case .buttonClose:
            return (ru: "✖️ Закрыть", en: "✖️ Close")
        case .buttonAuditExport:
            return (ru: "🧾 Журнал действий (CSV)", en: "🧾 Audit log (CSV)")
        case .auditExportAsk:
            return (ru: "🧾 Выгрузка журнала действий\n\n"
                        + "Все действия сотрудников — разрешённые и отклонённые: кто, что, с чем и когда. "
                        + "Файл CSV открывается в Excel; он будет готов через минуту-другую и придёт в этот чат.\n\n"
                        + "Выгрузить?",
                    en: "🧾 Audit log export\n\n"
                        + "Every staff action, allowed or refused: who, what, on what and when. "
                        + "The CSV file opens in Excel; it takes a minute or two and arrives in this chat.\n\n"
                        + "Export it?")
        case .auditExportStarted:
            return (ru: "⏳ Файл готовится и придёт в этот чат.", en: "⏳ The file is being prepared and will arrive in this chat.")
        case .auditExportReady:
            return (ru: "✅ Журнал действий: {entries, plural, one {# запись} few {# записи} many {# записей} other {# записи}}"
                        + "{cut, select, yes { (последние из {total})} other {}}.",
                    en: "✅ Audit log: {entries, plural, one {# entry} other {# entries}}"
                        + "{cut, select, yes { (the latest of {total})} other {}}.")
        case .auditPage:
            return (ru: "📜 Журнал действий — страница {page} из {pages} "
                        + "({total, plural, one {# запись} few {# записи} many {# записей} other {# записи}})\n\n{lines}",
                    en: "📜 Audit log — page {page} of {pages} ({total, plural, one {# entry} other {# entries}})\n\n{lines}")
        case .auditEmpty:
            return (ru: "📜 Журнал действий пока пуст.", en: "📜 The audit log is empty so far.")
        case .auditLine:
            return (ru: "{allowed, select, yes {✅} other {⛔️ отклонено:}} {date} {time} · "
                        + "{hasName, select, yes {{name} } other {}}{hasUsername, select, yes {@{username} } other {}}(id {id})\n"
                        + "{what}{hasTarget, select, yes { · {target}} other {}}",
                    en: "{allowed, select, yes {✅} other {⛔️ refused:}} {date} {time} · "
                        + "{hasName, select, yes {{name} } other {}}{hasUsername, select, yes {@{username} } other {}}(id {id})\n"
                        + "{what}{hasTarget, select, yes { · {target}} other {}}")
        case .auditStep:
            return (ru: "шаг «{step}»", en: "step “{step}”")
        case .auditBookingCreated:
            return (ru: "создана запись", en: "booking created")
        case .auditBookingCancelled:
            return (ru: "отменена запись{hasReason, select, yes {: {reason}} other {}}",
                    en: "booking cancelled{hasReason, select, yes {: {reason}} other {}}")
        case .auditBookingMoved:
            return (ru: "перенесена запись", en: "booking moved")
        case .auditBookingCompleted:
            return (ru: "отмечен состоявшийся визит", en: "visit marked completed")
        case .auditBookingNoShow:
            return (ru: "отмечено: клиент не пришёл", en: "marked as a no-show")
        case .auditRefusedByStore:
            // Why, in words: the store's reasons for bookings (`BookingRefusal`, `not_found`),
            // services (`ServiceRefusal`) and settings; any other as stored.
            return (ru: "{what} — не выполнено: {why, select, "
                        + "not_found {записи нет или она уже не действует} not_active {услуга недоступна} in_past {время прошло} "
                        + "too_soon {слишком близко к началу} outside_hours {вне часов работы} not_aligned {не по сетке времени} "
                        + "beyond_horizon {слишком далеко вперёд} overlaps_booking {время занято} overlaps_block {время закрыто} "
                        + "limit_reached {лимит записей клиента} cancel_cutoff {поздно отменять} reschedule_cutoff {поздно переносить} "
                        + "not_started {визит ещё не начался} "
                        + "nameTaken {название занято} notFound {услуги нет} archived {услуга в архиве} notArchived {услуга не в архиве} "
                        + "hasBookings {у услуги есть записи} neverBooked {услугу ни разу не записывали} atEdge {уже с краю} "
                        + "outOfRange {значение вне допустимого} other {{why}}}",
                    en: "{what} — not done: {why, select, "
                        + "not_found {no such booking, or no longer confirmed} not_active {service unavailable} in_past {time passed} "
                        + "too_soon {too close to the start} outside_hours {outside work hours} not_aligned {off the time grid} "
                        + "beyond_horizon {too far ahead} overlaps_booking {time taken} overlaps_block {time blocked} "
                        + "limit_reached {client's booking limit} cancel_cutoff {too late to cancel} reschedule_cutoff {too late to move} "
                        + "not_started {visit not started yet} "
                        + "nameTaken {name taken} notFound {no such service} archived {service archived} notArchived {service not archived} "
                        + "hasBookings {the service has bookings} neverBooked {the service was never booked} atEdge {already at the edge} "
                        + "outOfRange {value out of range} other {{why}}}")
        case .auditExportStart:
            return (ru: "выгрузка журнала действий", en: "audit log export")
        case .auditNoticeChanged:
            return (ru: "уведомления «{kind}» {on, select, yes {включены} other {выключены}}",
                    en: "notifications of {kind} turned {on, select, yes {on} other {off}}")
        case .auditOther:
            return (ru: "действие «{name}»", en: "action “{name}”")
        case .auditService:
            return (ru: "услуга: {what, select, create {создана «{name}»} activate {включена} deactivate {выключена} "
                        + "archive {в архиве} restore {из архива} delete {удалена «{name}»} up {выше в списке} "
                        + "down {ниже в списке} other {{what}}}",
                    en: "service: {what, select, create {created “{name}”} activate {activated} deactivate {deactivated} "
                        + "archive {archived} restore {restored} delete {deleted “{name}”} up {moved up} "
                        + "down {moved down} other {{what}}}")
        case .auditServiceUpdated:
            return (ru: "услуга изменена: {fields}", en: "service edited: {fields}")
        case .auditServiceField:
            return (ru: "{field, select, name {название} description {описание} duration {длительность} price_text {цена} "
                        + "price_amount {сумма} other {{field}}}",
                    en: "{field, select, name {name} description {description} duration {duration} price_text {price} "
                        + "price_amount {amount} other {{field}}}")
        case .buttonAuditLog:
            return (ru: "📜 Журнал действий", en: "📜 Audit log")
        case .buttonPreviousPage:
            return (ru: "◀ Новее", en: "◀ Newer")
        case .buttonNextPage:
            return (ru: "Старее ▶", en: "Older ▶")
        case .auditExportFailed:
            return (ru: "⚠️ Не удалось подготовить выгрузку журнала действий. Попробуйте позже.",
                    en: "⚠️ The audit log export could not be prepared. Please try again later.")
        case .exportTime:
            return (ru: "Время", en: "Time")
        case .exportActorID:
            return (ru: "ID сотрудника", en: "Actor ID")
        case .exportActor:
            return (ru: "Сотрудник", en: "Actor")
        case .exportAction:
            return (ru: "Действие", en: "Action")
        case .exportTarget:
            return (ru: "Объект", en: "Target")
        case .exportDetails:
            return (ru: "Подробности", en: "Details")
        case .exportAllowed:
            return (ru: "Разрешено", en: "Allowed")
        case .exportYes:
            return (ru: "да", en: "yes")
        case .exportNo:
            return (ru: "нет", en: "no")
        }
    }
}
