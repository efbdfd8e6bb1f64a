import Booking

/// The dashboard's screen (SPEC admin 1–2): the figures, the revenue estimate, the load
/// per weekday and the recommendations, with what each counts said in the text.
public enum DashboardText: StaffScreenText, Hashable {
    /// The figures as of `asOf` (the business's wall clock).
    case screen(DashboardReport, asOf: LocalDateTime)

    public func text(in language: Language) -> String {
        switch self {
        case .screen(let report, let asOf):
            return DashboardRendering(language: language).screen(report, asOf: asOf)
        }
    }
}

public enum DashboardButton: StaffLabel, Hashable {
    /// The staff menu's way in.
    case open
    case refresh
    /// Back to the staff menu.
    case back

    public func label(in language: Language) -> String {
        switch self {
        case .open: return DashboardKey.buttonOpen.buttonLabel(in: language)
        case .refresh: return DashboardKey.buttonRefresh.buttonLabel(in: language)
        case .back: return DashboardKey.buttonBack.buttonLabel(in: language)
        }
    }
}

private struct DashboardRendering {
    let language: Language

    func screen(_ report: DashboardReport, asOf: LocalDateTime) -> String {
        let figures = report.figures
        let dates = DateFormat(language: language)
        let revenueLines = figures.revenue.compactMap { service -> String? in
            guard let price = service.priceCents, let sum = service.revenueCents else { return nil }
            return DashboardKey.revenueLine.render(["name": .text(service.name), "visits": .number(service.visits),
                                                    "price": .text(money(price)), "sum": .text(money(sum))], in: language)
        }
        var revenue = revenueLines.isEmpty ? [DashboardKey.revenueNone.render(in: language)] : revenueLines
        if report.unpricedVisits > 0 {
            revenue.append(DashboardKey.unpriced.render(["visits": .number(report.unpricedVisits)], in: language))
        }
        let loads = Weekday.allCases.map { weekday -> String in
            let name = dates.weekdayShortName(weekday)
            guard let percent = report.weekdayLoads[weekday]?.percent else {
                return DashboardKey.loadClosed.render(["weekday": .text(name)], in: language)
            }
            return DashboardKey.loadLine.render(["weekday": .text(name), "percent": .number(percent)], in: language)
        }
        let advice = report.advice.isEmpty ? [DashboardKey.adviceNone.render(in: language)] : report.advice.map(self.advice)
        let average = report.averageRatingTenths ?? 0
        return DashboardKey.screen.screen([
            "time": .text(dates.time(asOf)),
            "clients": .number(figures.clientsTotal), "new": .number(figures.clientsNewThisWeek),
            "upcoming": .number(figures.upcoming), "today": .number(figures.bookingsToday), "next": .number(figures.bookingsNext7Days),
            "cancelled7": .number(figures.cancelledLast7Days), "cancelled30": .number(figures.cancelledLast30Days),
            "noShows30": .number(figures.noShowsLast30Days), "noShows": .number(figures.noShowsAllTime),
            "hasReviews": .flag(figures.reviewCount > 0), "reviews": .number(figures.reviewCount), "average": .text(tenths(average)),
            "revenue": .text(money(report.revenueCents)), "revenueLines": .text(revenue.joined(separator: "\n")),
            "weeks": .number(DashboardWindow.loadWeeks), "loads": .text(loads.joined(separator: "\n")),
            "todayOpen": .flag(report.todayLoad.percent != nil), "todayPercent": .number(report.todayLoad.percent ?? 0),
            "advice": .text(advice.joined(separator: "\n")),
        ], in: language)
    }

    private func advice(_ advice: DashboardAdvice) -> String {
        switch advice {
        case .lowLoadToday(let percent):
            return DashboardKey.adviceLowLoad.render(["percent": .number(percent)], in: language)
        case .manyCancellations(let count):
            return DashboardKey.adviceCancellations.render(["count": .number(count)], in: language)
        case .idleService(let name):
            return DashboardKey.adviceIdleService.render(["name": .text(name)], in: language)
        case .alwaysFull(let weekday):
            return DashboardKey.adviceAlwaysFull.render(["weekday": .text(DateFormat(language: language).weekdayName(weekday)),
                                                         "percent": .number(DashboardAdvice.fullDayPercent),
                                                         "weeks": .number(DashboardWindow.loadWeeks)], in: language)
        }
    }

    /// "4.3" / "4,3".
    private func tenths(_ value: Int) -> String {
        "\(value / 10)\(language == .ru ? "," : ".")\(value % 10)"
    }

    /// Hundredths as an amount: "18 000" / "18,000", with kopecks / cents only when there are some.
    private func money(_ cents: Int64) -> String {
        let units = String(cents / 100)
        var grouped = ""
        for (index, digit) in units.enumerated() {
            if index > 0, (units.count - index) % 3 == 0 { grouped += language == .ru ? "\u{00A0}" : "," }
            grouped.append(digit)
        }
        let rest = cents % 100
        guard rest != 0 else { return grouped }
        return grouped + (language == .ru ? "," : ".") + (rest < 10 ? "0" : "") + String(rest)
    }
}

/// The dashboard's templates.
enum DashboardKey: String, StaffTemplateSet {
    case screen, revenueLine, revenueNone, unpriced, loadLine, loadClosed
    case adviceLowLoad, adviceCancellations, adviceIdleService, adviceAlwaysFull, adviceNone
    case buttonOpen, buttonRefresh, buttonBack

    var pair: (ru: String, en: String) {
        switch self {
        case .screen:
            return (ru: "📊 Сводка на {time}\n\n"
                        + "👥 Клиентов (хоть раз записывались): {clients}, из них новых на этой неделе: {new}\n"
                        + "📅 Предстоящих записей: {upcoming}\n"
                        + "🗓 Записей сегодня: {today}, в следующие 7 дней: {next}\n"
                        + "❌ Отмен за 7 дней: {cancelled7}, за 30 дней: {cancelled30}\n"
                        + "🚫 Неявок за 30 дней: {noShows30}, за всё время: {noShows}\n"
                        + "⭐️ {hasReviews, select, yes {Средняя оценка: {average} из 5 "
                        + "({reviews, plural, one {# отзыв} few {# отзыва} many {# отзывов} other {# отзыва}})} other {Отзывов пока нет}}\n\n"
                        + "💰 Выручка за 30 дней (оценка): {revenue}\n{revenueLines}\n"
                        + "Считаются подтверждённые и завершённые визиты, начавшиеся за последние 30 дней, "
                        + "по нынешним числовым ценам услуг.\n\n"
                        + "📈 Загрузка по дням недели за последние "
                        + "{weeks, plural, one {# неделю} few {# недели} many {# недель} other {# недели}} "
                        + "(занятое записями время к рабочему по нынешнему графику):\n{loads}\n"
                        + "Сегодня: {todayOpen, select, yes {занято {todayPercent}%} other {выходной}}\n\n"
                        + "💡 Рекомендации:\n{advice}",
                    en: "📊 Dashboard as of {time}\n\n"
                        + "👥 Clients (ever booked): {clients}, new this week: {new}\n"
                        + "📅 Upcoming bookings: {upcoming}\n"
                        + "🗓 Bookings today: {today}, in the next 7 days: {next}\n"
                        + "❌ Cancellations in 7 days: {cancelled7}, in 30 days: {cancelled30}\n"
                        + "🚫 No-shows in 30 days: {noShows30}, all time: {noShows}\n"
                        + "⭐️ {hasReviews, select, yes {Average rating: {average} of 5 "
                        + "({reviews, plural, one {# review} other {# reviews}})} other {No reviews yet}}\n\n"
                        + "💰 Revenue in 30 days (estimate): {revenue}\n{revenueLines}\n"
                        + "Counted: confirmed and completed visits that started in the last 30 days, "
                        + "at the services' current numeric prices.\n\n"
                        + "📈 Load per weekday over the last {weeks, plural, one {# week} other {# weeks}} "
                        + "(time booked against the work hours in force):\n{loads}\n"
                        + "Today: {todayOpen, select, yes {{todayPercent}% booked} other {closed}}\n\n"
                        + "💡 Recommendations:\n{advice}")
        case .revenueLine:
            return (ru: "• {name}: {visits, plural, one {# визит} few {# визита} many {# визитов} other {# визита}} × {price} = {sum}",
                    en: "• {name}: {visits, plural, one {# visit} other {# visits}} × {price} = {sum}")
        case .revenueNone:
            return (ru: "• визитов с числовой ценой не было", en: "• no visits with a numeric price")
        case .unpriced:
            return (ru: "• не учтено: {visits, plural, one {# визит} few {# визита} many {# визитов} other {# визита}} "
                        + "к услугам без числовой цены",
                    en: "• not counted: {visits, plural, one {# visit} other {# visits}} to services without a numeric price")
        case .loadLine:
            return (ru: "{weekday}: {percent}%", en: "{weekday}: {percent}%")
        case .loadClosed:
            return (ru: "{weekday}: выходной", en: "{weekday}: closed")
        case .adviceLowLoad:
            return (ru: "• Сегодня занято всего {percent}%: хороший повод напомнить о себе клиентам или предложить скидку.",
                    en: "• Today is only {percent}% booked: a good moment to remind clients of you or make an offer.")
        case .adviceCancellations:
            return (ru: "• {count, plural, one {# отмена} few {# отмены} many {# отмен} other {# отмены}} за последние 7 дней: "
                        + "стоит узнать у клиентов причины или напоминать о визите раньше.",
                    en: "• {count, plural, one {# cancellation} other {# cancellations}} in the last 7 days: "
                        + "worth asking clients why, or reminding them earlier.")
        case .adviceIdleService:
            return (ru: "• На «{name}» никто не записывался 30 дней: обновите описание или цену либо отключите услугу.",
                    en: "• Nobody has booked “{name}” in 30 days: refresh its description or price, or deactivate it.")
        case .adviceAlwaysFull:
            return (ru: "• День «{weekday}» занят на {percent}% и больше все последние "
                        + "{weeks, plural, one {# неделю} few {# недели} many {# недель} other {# недели}}: "
                        + "подумайте о более долгом рабочем дне.",
                    en: "• {weekday} has been {percent}% booked or more for each of the last {weeks, plural, one {# week} other {# weeks}}: "
                        + "consider longer hours that day.")
        case .adviceNone:
            return (ru: "• Ничего необычного.", en: "• Nothing stands out.")
        case .buttonOpen:
            return (ru: "📊 Сводка", en: "📊 Dashboard")
        case .buttonRefresh:
            return (ru: "🔄 Обновить", en: "🔄 Refresh")
        case .buttonBack:
            return (ru: "◀ Меню сотрудника", en: "◀ Staff menu")
        }
    }
}
