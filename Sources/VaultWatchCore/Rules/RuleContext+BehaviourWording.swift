/// Phrases the behavioural rules share, in the context's language. Called only when a rule
/// fires.
extension RuleContext {
    /// "in 12 days of history" / "en 12 jours d'historique".
    public func historyPhrase(days: Int) -> String {
        switch language {
        case .en: days == 1 ? "in 1 day of history" : "in \(days) days of history"
        case .fr: days <= 1 ? "en \(days) jour d'historique" : "en \(days) jours d'historique"
        }
    }

    public func weekdayName(_ weekday: Int) -> String {
        let english = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
        let french = ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"]
        let index = max(0, min(6, weekday))
        return language == .fr ? french[index] : english[index]
    }

    /// "15:00".
    public func clock(hourOfDay: Int, minute: Int = 0) -> String {
        (hourOfDay < 10 ? "0" : "") + "\(hourOfDay):" + (minute < 10 ? "0" : "") + "\(minute)"
    }

    /// "14:02" for an event time.
    public func clock(_ time: EventTime) -> String {
        let components = time.components
        return clock(hourOfDay: components.hour, minute: components.minute)
    }

    /// "between 15:00 and 16:00 on Monday 2026-03-02" / "entre 15:00 et 16:00 le lundi 2026-03-02".
    func hourPhrase(_ hour: Int32) -> String {
        let start = EventTime.startOfHour(hour)
        let hourOfDay = HourCalendar.hourOfDay(hour)
        let weekday = weekdayName(HourCalendar.weekday(ofHour: hour))
        let date = String(start.iso8601.prefix(10))
        let end = clock(hourOfDay: (hourOfDay + 1) % 24)
        switch language {
        case .en: return "between \(clock(hourOfDay: hourOfDay)) and \(end) on \(weekday) \(date)"
        case .fr: return "entre \(clock(hourOfDay: hourOfDay)) et \(end) le \(weekday) \(date)"
        }
    }

    /// "Monday 15:00 (weekdays)" / "lundi 15:00 (jours ouvrés)": what a vault's band
    /// describes, in the vault's local time ("Monday 09:00 Australia/Sydney (weekdays)"; an
    /// inferred clock says so).
    func bandSlotPhrase(_ hour: Int32, clock vaultClock: LocalClock = .utc) -> String {
        let hourOfDay = clock(hourOfDay: vaultClock.hourOfDay(hour))
        let weekday = weekdayName(vaultClock.weekday(ofHour: hour))
        let weekend = vaultClock.isWeekend(hour: hour)
        var zone = ""
        switch (vaultClock.source, language) {
        case (.utc, _): zone = ""
        case (.configured, _): zone = " " + vaultClock.label
        case (.inferred, .en): zone = " local time (\(vaultClock.label), inferred from the vault's weekly rhythm)"
        case (.inferred, .fr): zone = " heure locale (\(vaultClock.label), déduite du rythme hebdomadaire du coffre)"
        }
        switch language {
        case .en: return "\(weekday) \(hourOfDay)\(zone) (\(weekend ? "weekend days" : "weekdays"))"
        case .fr: return "\(weekday) \(hourOfDay)\(zone) (\(weekend ? "week-ends" : "jours ouvrés"))"
        }
    }

    /// A number with at most one decimal: "4", "2.5" / "2,5".
    func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        var text = rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
        if language == .fr { text = text.replacingOccurrences(of: ".", with: ",") }
        return text
    }

    /// "0.4%" / "0,4 %".
    func percent(_ share: Double) -> String {
        let value = number(share * 100)
        return language == .fr ? "\(value) %" : "\(value)%"
    }

    func vaultName(_ vault: Symbol) -> String { symbols.string(vault) ?? "?" }

    /// The name of a principal by symbol: its id (a UPN is only known from an event).
    func principalName(_ principal: Symbol) -> String { symbols.string(principal) ?? "?" }
}
