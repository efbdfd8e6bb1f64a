// The Russian catalog. Plural branches follow CLDR for integers: one (1, 21, 101…),
// few (2–4, 22–24…), many (0, 5–20, 25–30, 111…); `other` is there only as a safe
// default. Numbers after "за", "через", "до", "меньше" take the case those words govern,
// so each such phrase is written whole here rather than built from a shared noun.

extension Catalog {
    static let russianNames = CalendarNames(
        months: ["Январь", "Февраль", "Март", "Апрель", "Май", "Июнь",
                 "Июль", "Август", "Сентябрь", "Октябрь", "Ноябрь", "Декабрь"],
        monthsAfterDay: ["января", "февраля", "марта", "апреля", "мая", "июня",
                         "июля", "августа", "сентября", "октября", "ноября", "декабря"],
        monthsShort: ["янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"],
        weekdays: ["понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"],
        weekdaysShort: ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"])

    static func russian(_ key: CatalogKey) -> String {
        switch key {
        // MARK: Start and menu
        case .welcomeNew:
            return "👋 {hasName, select, yes {Здравствуйте, {name}!} other {Здравствуйте!}}\n\n"
                + "Я помогу записаться на приём: выберите услугу, день и время — и запись готова. "
                + "Посмотреть, перенести или отменить её можно здесь же.\n\n{howItWorks}"
        case .howItWorks:
            return "❓ Как это работает\n\n{legend}\n\n• {limitRule}\n• {cancelRule}\n• {noticeRule}\n• {reminderRule}"
        case .welcomeBack:
            return "👋 С возвращением{hasName, select, yes {, {name}} other {}}!\n\nВыберите в меню, что сделать."
        case .welcomeBackWithCount:
            return "👋 С возвращением{hasName, select, yes {, {name}} other {}}!\n"
                + "Вы записывались к нам уже {count, plural, one {# раз} few {# раза} many {# раз} other {# раза}} — "
                + "спасибо, что выбираете нас.\n\nВыберите в меню, что сделать."
        case .mainMenu:
            return "Главное меню. Выберите, что сделать 👇"
        case .help:
            return "ℹ️ Что я умею\n\n{commands}\n\nИли пользуйтесь кнопками меню: «{book}», «{my}», «{about}»."
        case .commandLine:
            return "/{command} — {description}"
        case .about:
            return "ℹ️ О нас\n\n"
                + "{hasServices, select, yes {💼 Услуги:\n\n{services}} other {Сейчас нет услуг для записи.}}"
                + "{hasAddress, select, yes {\n\n📍 Адрес: {address}} other {}}"
                + "{hasContact, select, yes {\n📞 Связаться с нами: {contact}} other {}}"
                + "\n\n🕘 Часы работы:\n{hours}"
                + "\n\n📋 Правила записи:\n• {limitRule}\n• {cancelRule}\n• {noticeRule}\n• {reminderRule}"
        case .aboutService:
            return "▫️ {name}\n⏱ {duration}{hasPrice, select, yes { · 💰 {price}} other {}}"
                + "{hasDescription, select, yes {\n{description}} other {}}"
        case .aboutMoreServices:
            return "…и ещё {count, plural, one {# услуга} few {# услуги} many {# услуг} other {# услуги}}: "
                + "все услуги видны в «{book}»."
        case .hoursEveryDay:
            return "Ежедневно: {open}–{close}"
        case .hoursLine:
            return "{days}: {open}–{close}"
        case .hoursDayOff:
            return "{days}: выходной"
        case .dayRange:
            return "{from}–{to}"
        case .ruleLimit:
            return "{limit, plural, =0 {Запись сейчас закрыта.} "
                + "one {Одновременно можно иметь до # активной записи.} "
                + "few {Одновременно можно иметь до # активных записей.} "
                + "many {Одновременно можно иметь до # активных записей.} "
                + "other {Одновременно можно иметь до # активной записи.}}"
        case .ruleCutoffs:
            return "{same, select, yes {Отменить или перенести запись можно {cancelHours, plural, "
                + "=0 {в любой момент до её начала} one {не позднее чем за # час до начала} "
                + "few {не позднее чем за # часа до начала} many {не позднее чем за # часов до начала} "
                + "other {не позднее чем за # часа до начала}}.} "
                + "other {Отменить запись можно {cancelHours, plural, =0 {в любой момент до её начала} "
                + "one {не позднее чем за # час} few {не позднее чем за # часа} many {не позднее чем за # часов} "
                + "other {не позднее чем за # часа}}, а перенести — {moveHours, plural, =0 {в любой момент до её начала} "
                + "one {не позднее чем за # час до начала} few {не позднее чем за # часа до начала} "
                + "many {не позднее чем за # часов до начала} other {не позднее чем за # часа до начала}}.}}"
        case .ruleNotice:
            return "{hasNotice, select, yes {Записаться можно не позднее чем {lead} до начала.} "
                + "other {Записаться можно на любое свободное время.}}"
        case .ruleReminders:
            return "Перед визитом я пришлю {several, select, yes {напоминания} other {напоминание}} {leads} до начала."
        case .ruleNoReminders:
            return "Напоминаний перед визитом я не присылаю — пожалуйста, сохраните дату и время."

        // MARK: Booking flow
        case .chooseService:
            return "💼 Выберите услугу:\n\nВаши записи: {active}/{limit}"
        case .noServices:
            return "Сейчас нет услуг для записи. Загляните, пожалуйста, позже 🙏"
        case .calendar:
            return "🔹 {service} · {duration}\n\n🗓 {month}\nВыберите день:\n\n{legend}"
        case .legend:
            return "Дни в календаре отмечены цветом:\n🟢 — всё время свободно\n🟡 — есть свободное время\n"
                + "🔴 — всё занято\n⚫ — запись недоступна"
        case .legendShort:
            return "🟢 свободно · 🟡 есть время · 🔴 занято · ⚫ недоступно"
        case .daySlots:
            return "🔹 {service} · {duration}\n📅 {date}\n\nВыберите время:"
                + "{few, select, yes {\n\n⏳ Свободного времени осталось мало: "
                + "{count, plural, one {# вариант} few {# варианта} many {# вариантов} other {# варианта}}.} other {}}"
        case .noSlots:
            return "🔹 {service}\n📅 {date}\n\nВ этот день свободного времени нет. Выберите другой день."
        case .confirmBooking:
            return "Проверьте, всё ли верно:\n\n🔹 Услуга: {service}\n📅 Дата: {date}\n🕐 Время: {time}\n"
                + "⏱ Длительность: {duration}{hasPrice, select, yes {\n💰 Стоимость: {price}} other {}}\n\nПодтвердить запись?"
        case .booked:
            return "✅ Вы записаны!\n\n🔹 {service}\n📅 {date}, {time}\n⏱ {duration}"
                + "{hasPrice, select, yes { · 💰 {price}} other {}}{hasAddress, select, yes {\n📍 {address}} other {}}"
                + "\n\n{reminders}\n\nПосмотреть, перенести или отменить запись можно в разделе «{my}»."
        case .bookedReminders:
            return "🔔 Я пришлю {several, select, yes {напоминания} other {напоминание}} {leads} до начала."
        case .bookedNoReminders:
            return "🔔 Напоминаний по этой записи не будет — пожалуйста, сохраните дату и время."

        // MARK: Refusals
        case .slotTaken:
            return "😔 Это время только что заняли.\n\n📅 {date} — вот что ещё свободно:"
        case .slotTakenDayFull:
            return "😔 Это время только что заняли, и свободного времени в этот день больше нет.\n\n"
                + "📅 {date}\n\nВыберите другой день."
        case .limitReached:
            return "У вас уже {active, plural, one {# активная запись} few {# активные записи} "
                + "many {# активных записей} other {# активной записи}} — это максимум ({limit}).\n\n"
                + "Чтобы записаться ещё, отмените одну из них в разделе «{my}» или дождитесь визита."
        case .serviceUnavailable:
            return "😔 Услуга «{service}» больше недоступна для записи. Выберите другую."
        case .inPast:
            return "Это время уже прошло. Выберите другое."
        case .tooSoon:
            return "Это время слишком близко: записаться можно не позднее чем {lead} до начала. Выберите время попозже."
        case .outsideHours:
            return "Это время вне часов работы. Выберите другое."
        case .notAligned:
            return "Такого времени нет в расписании. Выберите время из списка."
        case .beyondHorizon:
            return "Так далеко вперёд запись ещё не открыта: сейчас можно записаться до {lastDay} включительно."
        case .overlapsBlock:
            return "Это время закрыто для записи. Выберите другое."
        case .bookingNotFound:
            return "Эта запись не найдена или уже не действует."

        // MARK: My bookings, cancel, move
        case .myBookings:
            return "🗂 Ваши записи:\n\n{items}{hasPast, select, yes {\n\nПрошлых визитов: {past}} other {}}"
        case .myBookingsItem:
            return "{index}. {service}\n📅 {date}, {time} — {relative}\n⏱ {duration}"
                + "{hasPrice, select, yes { · 💰 {price}} other {}}"
        case .myBookingsMore:
            return "…и ещё {count, plural, one {# запись} few {# записи} many {# записей} other {# записи}}."
        case .myBookingsEmpty:
            return "У вас нет предстоящих записей.{hasPast, select, yes {\nПрошлых визитов: {past}.} other {}}\n\n"
                + "Чтобы записаться, нажмите «{book}»."
        case .cancelQuestion:
            return "Отменить эту запись?\n\n🔹 {service}\n📅 {date}, {time}\n⏱ {duration}"
        case .cancelled:
            return "❌ Запись отменена.\n\n🔹 {service}\n📅 {date}, {time}\n\n"
                + "Напоминаний по ней больше не будет. Чтобы записаться снова, нажмите «{book}»."
        case .cancelRefused:
            return "Отменить запись в боте уже нельзя: до начала осталось меньше "
                + "{hours, plural, one {# часа} few {# часов} many {# часов} other {# часа}}.\n\n"
                + "{hasContact, select, yes {Пожалуйста, свяжитесь с нами: {contact}} "
                + "other {Пожалуйста, свяжитесь с нами напрямую.}}{hasAddress, select, yes {\n📍 {address}} other {}}"
        case .moveCalendar:
            return "🔁 Перенос записи\n\n🔹 {service} · {duration}\nСейчас: {date}, {time}\n\n"
                + "🗓 {month}\nВыберите новый день:\n\n{legend}"
        case .moveSlots:
            return "🔁 Перенос записи\n\n🔹 {service}\nСейчас: {oldDate}, {oldTime}\n\n📅 {date}\nВыберите новое время:"
                + "{few, select, yes {\n\n⏳ Свободного времени осталось мало: "
                + "{count, plural, one {# вариант} few {# варианта} many {# вариантов} other {# варианта}}.} other {}}"
        case .moveNoSlots:
            return "🔁 Перенос записи\n\n🔹 {service}\nСейчас: {oldDate}, {oldTime}\n\n📅 {date}\n\n"
                + "В этот день свободного времени нет. Выберите другой день."
        case .confirmMove:
            return "Перенести запись?\n\n🔹 {service}\nБыло: {oldDate}, {oldTime}\nСтанет: {newDate}, {newTime}\n"
                + "⏱ {duration}"
        case .moved:
            return "🔁 Запись перенесена!\n\n🔹 {service}\nБыло: {oldDate}, {oldTime}\nСтало: {newDate}, {newTime}"
                + "\n\n{reminders}"
        case .moveRefused:
            return "Перенести запись в боте уже нельзя: до начала осталось меньше "
                + "{hours, plural, one {# часа} few {# часов} many {# часов} other {# часа}}.\n\n"
                + "{hasContact, select, yes {Пожалуйста, свяжитесь с нами: {contact}} "
                + "other {Пожалуйста, свяжитесь с нами напрямую.}}{hasAddress, select, yes {\n📍 {address}} other {}}"

        // MARK: Flow control and errors
        case .flowCancelled:
            return "Хорошо, отменено. Вы в главном меню."
        case .nothingToCancel:
            return "Сейчас нечего отменять — вы в главном меню."
        case .unknownInput:
            return "Не понимаю это сообщение 🤔\nВоспользуйтесь кнопками меню или отправьте /help."
        case .staleButton:
            return "⌛ Это сообщение устарело. Откройте меню, чтобы продолжить."
        case .invalidButton:
            return "Эта кнопка больше не работает. Откройте меню, чтобы продолжить."
        case .pleaseWait:
            return "⏳ Не так быстро — подождите секунду."
        case .somethingWentWrong:
            return "😔 Что-то пошло не так. Попробуйте ещё раз чуть позже."
        case .noAccess:
            return "🔒 Извините, у вас нет доступа к этому разделу. Он для сотрудников."
        case .superAdminsOnly:
            return "🔒 Это только для главных администраторов. Если нужно, обратитесь к владельцу."
        case .flowReset:
            return "⚠️ Не удалось продолжить начатое действие, оно сброшено. Пожалуйста, начните заново из меню."

        // MARK: Reminders and reviews
        case .reminder:
            return "🔔 Напоминание о записи\n\n🔹 {service}\n"
                + "{when, select, soon {🕐 Начало {lead}, в {time}} today {🕐 Сегодня в {time}} "
                + "tomorrow {🕐 Завтра в {time}} other {📅 {date}, {time}}}"
                + "{hasAddress, select, yes {\n📍 {address}} other {}}\n\n"
                + "{canCancel, select, yes {Если планы изменились, отмените запись кнопкой ниже.} other {Ждём вас!}}"
        case .reviewRequest:
            return "⭐ Как прошёл визит?\n\n🔹 {service}, {date}\n\nОцените его, пожалуйста, от 1 до 5 — это займёт секунду."
        case .askReviewComment:
            return "Спасибо за оценку: {stars} ⭐\n\nХотите добавить комментарий? Напишите его одним сообщением "
                + "или нажмите «{skip}»."
        case .reviewThanks:
            return "🙏 Спасибо за отзыв! Он помогает нам становиться лучше."

        // MARK: Told to the client and to admins
        case .cancelledByBusiness:
            return "😔 Ваша запись отменена\n\n🔹 {service}\n📅 {date}, {time}"
                + "{hasReason, select, yes {\n\nПричина: {reason}} other {}}\n\n"
                + "Приносим извинения. Чтобы выбрать другое время, нажмите «{book}»."
        case .cancelledByBlock:
            return "😔 Ваша запись отменена: в это время мы закрыты\n\n🔹 {service}\n📅 {date}, {time}\n\nПричина: {reason}\n\n"
                + "Приносим извинения. Чтобы выбрать другое время, нажмите «{book}»."
        case .movedByBusiness:
            return "🔁 Ваша запись перенесена\n\n🔹 {service}\nБыло: {oldDate}, {oldTime}\nСтало: {newDate}, {newTime}"
                + "{hasReason, select, yes {\n\nПричина: {reason}} other {}}\n\n"
                + "Если новое время не подходит, загляните в «{my}»."
        case .shiftedByBusiness:
            return "🔁 Мы изменили расписание, и {count, plural, one {ваша запись перенесена} few {ваши записи перенесены} "
                + "many {ваши записи перенесены} other {ваши записи перенесены}}:\n\n{items}\n\n"
                + "Приносим извинения. Если новое время не подходит, загляните в «{my}»."
        case .shiftedByBusinessItem:
            return "🔹 {service}\nБыло: {oldDate}, {oldTime}\nСтало: {newDate}, {newTime}"
        case .serviceChangedByBusiness:
            return "🔁 Услуга в {count, plural, one {вашей записи} few {ваших записях} many {ваших записях} other {ваших записях}} изменилась: "
                + "«{old}» заменена на «{new}». Время то же:\n\n{items}\n\nЕсли это не подходит, загляните в «{my}»."
        case .serviceChangedByBusinessItem:
            return "📅 {date}, {time}"
        case .adminNewBooking:
            return "🆕 Новая запись\n\n👤 {client}\n🔹 {service}\n📅 {date}, {time}\n⏱ {duration}"
        case .adminCancelled:
            return "❌ Запись отменена\n\n👤 {client}\n🔹 {service}\n📅 {date}, {time}"
                + "{hasReason, select, yes {\nПричина: {reason}} other {}}"
        case .adminMoved:
            return "🔁 Запись перенесена\n\n👤 {client}\n🔹 {service}\nБыло: {oldDate}, {oldTime}\n"
                + "Стало: {newDate}, {newTime}"
        case .clientLabel:
            return "{hasName, select, yes {{name}} other {id {id}}}{hasUsername, select, yes { (@{username})} other {}}"
        case .staffAccessChanged:
            return "{change, select, added {🛠 Вас добавили в сотрудники: {superAdmin, select, yes {супер-админ} other {модератор}}. "
                + "Меню сотрудника — команда /admin.} role {🛠 Ваша роль сотрудника теперь: {superAdmin, select, yes {супер-админ} other {модератор}}.} "
                + "other {🛠 Вы больше не в числе сотрудников. Записываться как клиент можно по-прежнему.}}"

        // MARK: Amounts of time
        case .durationHours:
            return "{hours} ч"
        case .durationMinutes:
            return "{minutes} мин"
        case .durationHoursMinutes:
            return "{hours} ч {minutes} мин"
        case .leadBeforeDays:
            return "за {days, plural, one {# день} few {# дня} many {# дней} other {# дня}}"
        case .leadBeforeHours:
            return "за {hours, plural, one {# час} few {# часа} many {# часов} other {# часа}}"
        case .leadBeforeMinutes:
            return "за {minutes, plural, one {# минуту} few {# минуты} many {# минут} other {# минуты}}"
        case .leadBeforeMixed:
            return "за {duration}"
        case .leadInHours:
            return "через {hours, plural, one {# час} few {# часа} many {# часов} other {# часа}}"
        case .leadInMinutes:
            return "через {minutes, plural, one {# минуту} few {# минуты} many {# минут} other {# минуты}}"
        case .leadInMixed:
            return "через {duration}"

        // MARK: Lists
        case .listPair, .listEnd:
            return "{first} и {second}"
        case .listStart, .listMiddle:
            return "{first}, {second}"

        // MARK: Dates
        case .dateWithWeekday:
            return "{weekday}, {day} {month}"
        case .dayMonth:
            return "{day} {month}"
        case .shortDate:
            return "{day}.{month}"
        case .monthTitle:
            return "{month} {year}"
        case .time:
            return "{hour}:{minute}"
        case .relativeToday:
            return "сегодня"
        case .relativeTomorrow:
            return "завтра"
        case .relativeYesterday:
            return "вчера"
        case .relativeInDays:
            return "через {days, plural, one {# день} few {# дня} many {# дней} other {# дня}}"
        case .relativeDaysAgo:
            return "{days, plural, one {# день} few {# дня} many {# дней} other {# дня}} назад"

        // MARK: Buttons
        case .buttonBook: return "📅 Записаться"
        case .buttonMyBookings: return "🗂 Мои записи"
        case .buttonAbout: return "ℹ️ О нас"
        case .buttonStaffMenu: return "🛠 Меню сотрудника"
        case .buttonHowItWorks: return "❓ Как это работает"
        case .buttonBookNow: return "📅 Записаться сейчас"
        case .buttonBack: return "⬅️ Назад"
        case .buttonCancel: return "✖️ Отмена"
        case .buttonConfirm: return "✅ Подтвердить"
        case .buttonMainMenu: return "🏠 Главное меню"
        case .buttonCancelBooking: return "❌ Отменить запись"
        case .buttonMove: return "🔁 Перенести"
        case .buttonCancelBookingAt: return "❌ Отменить {date} {time}"
        case .buttonMoveBookingAt: return "🔁 Перенести {date} {time}"
        case .buttonYesCancel: return "Да, отменить"
        case .buttonNoKeep: return "Нет, оставить"
        case .buttonPreviousMonth: return "◀"
        case .buttonNextMonth: return "▶"
        case .buttonEmptyDay: return " "
        case .buttonDay: return "{mark} {day}"
        case .buttonService: return "{name} · {duration} · {price}"
        case .buttonServiceNoPrice: return "{name} · {duration}"
        case .buttonSlot: return "{time}"
        case .buttonOtherDay: return "📅 Другой день"
        case .buttonStars: return "{stars} ⭐"
        case .buttonSkipComment: return "Пропустить"

        // MARK: Alerts
        case .alertStaleButton: return "Это сообщение устарело"
        case .alertInvalidButton: return "Эта кнопка больше не работает"
        case .alertPleaseWait: return "Подождите секунду…"
        case .alertSomethingWentWrong: return "Что-то пошло не так, попробуйте ещё раз"
        case .alertDayFull: return "В этот день всё занято"
        case .alertDayUnavailable: return "На этот день запись недоступна"
        case .alertMonthBeforeRange: return "Прошедшие месяцы недоступны"
        case .alertMonthBeyondHorizon: return "Дальше запись пока не открыта"
        case .alertSlotTaken: return "Это время только что заняли"
        case .alertLimitReached:
            return "Достигнут предел: {limit, plural, one {# активная запись} few {# активные записи} "
                + "many {# активных записей} other {# активной записи}}"
        case .alertBooked: return "✅ Вы записаны"
        case .alertCancelled: return "Запись отменена"
        case .alertMoved: return "Запись перенесена"
        case .alertFlowCancelled: return "Отменено"
        case .alertRatingSaved: return "Спасибо за оценку: {stars} ⭐"
        case .alertAlreadyReviewed: return "Вы уже оценили этот визит"
        case .alertReviewTooEarly: return "Оценить визит можно после того, как он состоится"
        case .alertBookingNotFound: return "Запись не найдена"
        case .alertNoAccess: return "Нет доступа"

        // MARK: Commands
        case .commandStart: return "Главное меню"
        case .commandBook: return "Записаться на приём"
        case .commandMy: return "Мои записи"
        case .commandHelp: return "Помощь"
        case .commandCancel: return "Прервать текущее действие"
        }
    }
}
