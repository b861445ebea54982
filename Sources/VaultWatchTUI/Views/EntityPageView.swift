import VaultWatchCore

/// An entity's page: what the baselines know of it, what it did in the journal's window (a
/// chart per hour, operations, outcomes, counterparts), its events (filter with `/`, `Enter`
/// opens the record) and the alerts that involve it (`Tab` moves between the two lists).
/// Side by side from 120 columns, stacked below.
enum EntityPageView {
    typealias Span = AlertDetailView.Span

    static func draw(_ state: AppState, into buffer: inout ScreenBuffer, rect: Rect) {
        guard let entity = state.openEntity else { return }
        let activity = state.entityActivity
        let summary = summaryLines(entity, state: state, activity: activity, width: (rect.width >= 120 ? rect.width / 2 : rect.width) - 2, roomy: rect.width >= 120 && rect.height >= 30)
        let alertCount = state.entityAlerts.count
        if rect.width >= 120 {
            let (left, right) = rect.splitLeft(rect.width / 2)
            let alertRows = min(max(2, alertCount + 1), max(2, left.height / 3))
            let (top, alerts) = left.splitTop(left.height - alertRows)
            drawSummary(summary, entity: entity, activity: activity, state: state, into: &buffer, rect: top)
            drawAlerts(state, into: &buffer, rect: alerts.inset(columns: 0))
            drawEvents(state, into: &buffer, rect: right.inset(columns: 1))
            return
        }
        let alertRows = min(max(2, alertCount + 1), 4)
        let summaryRows = min(summary.count + 1, max(4, rect.height - alertRows - 5))
        let (top, rest) = rect.splitTop(summaryRows)
        let (events, alerts) = rest.splitTop(rest.height - alertRows)
        drawSummary(summary, entity: entity, activity: activity, state: state, into: &buffer, rect: top)
        drawEvents(state, into: &buffer, rect: events)
        drawAlerts(state, into: &buffer, rect: alerts)
    }

    /// A line of the summary: spans, or the hourly chart.
    enum Line {
        case text([Span])
        case chart
    }

    static func summaryLines(_ entity: EntityReference, state: AppState, activity: EntityActivity?, width: Int, roomy: Bool) -> [Line] {
        var lines: [Line] = []
        lines.append(.text([Span(entity.kind.label.uppercased(), .label), Span(" "), Span(EntityText.full(of: entity, state: state), .title)]))
        let labelWidth = 15
        // A fact wraps onto a few lines (more when the page is wide), the rest cut with `…`.
        let maximumLines = roomy ? 4 : 1
        func fact(_ label: String, _ text: String, _ role: StyleRole = .value) {
            var wrapped = TextWrap.lines(text, width: max(10, width - labelWidth))
            if wrapped.count > maximumLines {
                wrapped = Array(wrapped.prefix(maximumLines))
                wrapped[maximumLines - 1] = Format.pad(wrapped[maximumLines - 1] + " …", max(10, width - labelWidth))
            }
            for (index, line) in wrapped.enumerated() {
                lines.append(.text([Span(Format.pad(index == 0 ? label : "", labelWidth), .dim), Span(line, role)]))
            }
        }
        if let profile = state.entityProfile {
            if !profile.isKnown {
                fact("baselines", "nothing learned yet (new, forgotten, or only calls that teach nothing)", .dim)
            } else {
                if let first = profile.firstSeen { fact("first seen", Format.clock(first)) }
                let known = knownNames(state: state, activity: activity)
                for item in profile.facts {
                    fact(item.label, item.values.map { TerminalSafeText.sanitize(named($0, known: known, state: state)) }.joined(separator: " · "))
                }
            }
        } else {
            fact("baselines", "asking the detector…", .dim)
        }
        guard let activity else {
            fact("last 24 h", "reading the journal…", .dim)
            return lines
        }
        let hours = activity.hourlyCounts.count
        var heading = "\(Format.count(activity.totalEvents)) event\(activity.totalEvents == 1 ? "" : "s")"
        let failed = activity.hourlyFailures.reduce(0, +)
        if failed > 0 { heading += " · \(Format.count(failed)) refused or failed" }
        if activity.isTruncated, let oldest = activity.journalOldest {
            heading += " · the journal's event cap keeps only since \(Format.shortDateTime(oldest))"
        }
        fact("last \(hours) h", heading)
        lines.append(.chart)
        func counts(_ label: String, _ values: [EntityActivity.Count]) {
            guard !values.isEmpty else { return }
            let text = values.prefix(8).map { "\(TerminalSafeText.sanitize($0.name)) \(Format.count($0.count))" }.joined(separator: " · ")
            fact(label, text)
        }
        counts("operations", activity.operations)
        counts("outcomes", activity.outcomes)
        switch entity.kind {
        case .principal, .application:
            counts("vaults", activity.vaults)
            counts("addresses", activity.addresses)
        case .address:
            counts("callers", activity.callers.map { .init(name: callerName($0.name, state: state), count: $0.count) })
            counts("vaults", activity.vaults)
        case .vault:
            counts("callers", activity.callers.map { .init(name: callerName($0.name, state: state), count: $0.count) })
        }
        return lines
    }

    /// UPNs of principals by object id, from the page's events and the alerts: the baselines
    /// keep ids only.
    static func knownNames(state: AppState, activity: EntityActivity?) -> [String: String] {
        var names: [String: String] = [:]
        for event in activity?.events ?? [] {
            if let id = event.principalID, let upn = event.upn { names[id] = upn }
        }
        for alert in state.snapshot.alerts {
            if let id = alert.principalID, let upn = alert.upn { names[id] = upn }
        }
        return names
    }

    /// `value` with a leading object or application id replaced by its UPN or directory name,
    /// when one is known (`payments-kv: since …` stays as it is).
    static func named(_ value: String, known: [String: String], state: AppState) -> String {
        let id = String(value.prefix(36))
        guard id.count == 36, id.allSatisfy({ $0.isHexDigit || $0 == "-" }) else { return value }
        guard let name = known[id] ?? state.names.name(for: id) else { return value }
        return name + value.dropFirst(36)
    }

    static func callerName(_ caller: String, state: AppState) -> String {
        state.names.name(for: caller) ?? caller
    }

    static func drawSummary(
        _ lines: [Line], entity: EntityReference, activity: EntityActivity?, state: AppState, into buffer: inout ScreenBuffer, rect: Rect
    ) {
        let body = PanelFrame.draw(
            title: entity.kind.label.prefix(1).uppercased() + entity.kind.label.dropFirst(), number: nil,
            trailing: "baselines and the last \(activity?.hourlyCounts.count ?? 24) h of event time", focused: false,
            into: &buffer, rect: rect, glyphs: state.chartGlyphs)
        for (row, line) in lines.prefix(body.height).enumerated() {
            let y = body.y + row
            switch line {
            case .text(let spans):
                var x = body.x + 1
                for span in spans { x += buffer.write(span.text, x: x, y: y, maxWidth: max(0, body.maxX - 1 - x), role: span.role) }
            case .chart:
                guard let activity else { continue }
                drawChart(activity, state: state, into: &buffer, x: body.x + 1 + 15, y: y, width: body.width - 17)
            }
        }
    }

    /// The hours as one row of bars (two cells an hour when there is room), oldest first,
    /// with the first and last hour named; hours with refusals or failures are coloured so.
    static func drawChart(_ activity: EntityActivity, state: AppState, into buffer: inout ScreenBuffer, x: Int, y: Int, width: Int) {
        let hours = activity.hourlyCounts.count
        guard hours > 0 else { return }
        let labelWidth = 12
        let cell = max(1, min(3, (width - labelWidth) / hours))
        guard cell * hours + labelWidth <= width else { return }
        let glyphs = state.chartGlyphs == .braille ? ChartGlyphs.blocks : state.chartGlyphs
        let marks = Sparkline.encode(activity.hourlyCounts.map(Double.init), width: hours, glyphs: glyphs)
        var column = x
        column += buffer.write(Format.timeOfDay(activity.firstHour).prefix(5) + " ", x: column, y: y, role: .dim)
        for (hour, mark) in marks.enumerated() {
            let role: StyleRole = activity.hourlyFailures[hour] > 0 ? .eventDenied : .chartValue
            for _ in 0..<cell { column += buffer.put(activity.hourlyCounts[hour] == 0 ? glyphs.emptySpark : mark, x: column, y: y, role: activity.hourlyCounts[hour] == 0 ? .dim : role) }
        }
        let last = EventTime(ticks: activity.firstHour.ticks + Int64(hours - 1) * EventTime.ticksPerHour)
        buffer.write(" " + Format.timeOfDay(last).prefix(5), x: column, y: y, role: .dim)
    }

    static func drawEvents(_ state: AppState, into buffer: inout ScreenBuffer, rect: Rect) {
        let events = state.entityEvents
        let focused = state.cursor.section == 0
        var trailing = state.filter.isEmpty ? "newest first" : "filter \"\(state.filter)\""
        if let activity = state.entityActivity, activity.totalEvents > activity.events.count {
            trailing += " · newest \(Format.count(activity.events.count)) of \(Format.count(activity.totalEvents))"
        }
        let body = PanelFrame.draw(
            title: "Events (\(Format.count(events.count)))", number: nil, trailing: trailing, focused: focused,
            into: &buffer, rect: rect, glyphs: state.chartGlyphs)
        guard body.height > 0 else { return }
        if events.isEmpty {
            let text: String
            if state.entityActivity == nil {
                text = " reading the journal…"
            } else {
                text = state.filter.isEmpty ? " no events in the journal's window" : " no event matches the filter"
            }
            buffer.write(text, x: body.x, y: body.y, role: .dim)
            return
        }
        let kind = state.openEntity?.kind ?? .principal
        let selected = min(state.cursor.rows[0], events.count - 1)
        let first = VaultsView.firstVisible(selected: selected, count: events.count, rows: body.height)
        let wide = body.width >= 90
        for (offset, event) in events[first..<min(events.count, first + body.height)].enumerated() {
            let y = body.y + offset
            let isSelected = first + offset == selected && focused
            if isSelected { buffer.fill(Rect(x: body.x, y: y, width: body.width, height: 1), role: .selected) }
            let role: StyleRole = isSelected ? .selected : Roles.role(for: event.outcome)
            var text = (wide ? Format.shortDateTime(event.time) + ":" + Format.two(event.time.components.second) : Format.timeOfDay(event.time))
            text += " " + Format.pad(TerminalSafeText.sanitize(event.operation ?? "?"), wide ? 22 : 16)
            text += " " + Format.pad(Roles.outcomeLabel(event.outcome, status: event.httpStatusCode ?? 0), 10)
            if wide || kind != .address { text += " " + Format.pad(event.callerIP?.description ?? "", wide ? 16 : 15) }
            let caller = event.upn ?? event.principalID.map { state.names.name(for: $0) ?? $0 } ?? event.appID ?? ""
            let counterpart: String
            switch kind {
            case .principal: counterpart = event.vault ?? ""
            case .application, .address: counterpart = (event.vault ?? "") + " " + caller
            case .vault: counterpart = caller
            }
            text += " " + TerminalSafeText.sanitize(counterpart)
            if let object = event.objectName { text += " " + TerminalSafeText.sanitize(object) }
            buffer.write(isSelected ? (state.chartGlyphs == .ascii ? ">" : "▶") : " ", x: body.x, y: y, role: isSelected ? .selected : .normal)
            buffer.writeTruncating(text, x: body.x + 1, y: y, maxWidth: body.width - 1, role: role)
        }
    }

    static func drawAlerts(_ state: AppState, into buffer: inout ScreenBuffer, rect: Rect) {
        let alerts = state.entityAlerts
        let focused = state.cursor.section == 1
        let body = PanelFrame.draw(
            title: "Alerts (\(alerts.count))", number: nil, trailing: "Tab: events/alerts", focused: focused,
            into: &buffer, rect: rect, glyphs: state.chartGlyphs)
        guard body.height > 0 else { return }
        if alerts.isEmpty {
            buffer.write(" no alert involves it", x: body.x, y: body.y, role: .dim)
            return
        }
        let selected = min(state.cursor.rows[1], alerts.count - 1)
        let first = VaultsView.firstVisible(selected: selected, count: alerts.count, rows: body.height)
        for (offset, alert) in alerts[first..<min(alerts.count, first + body.height)].enumerated() {
            let y = body.y + offset
            let isSelected = first + offset == selected && focused
            let role: StyleRole = isSelected ? .selected : (alert.status == .active ? .normal : .dim)
            if isSelected { buffer.fill(Rect(x: body.x, y: y, width: body.width, height: 1), role: .selected) }
            var x = body.x
            x += buffer.write(isSelected ? (state.chartGlyphs == .ascii ? ">" : "▶") : " ", x: x, y: y, role: role)
            x += buffer.write(Roles.tag(for: alert.severity), x: x, y: y, role: alert.status == .active ? Roles.role(for: alert.severity) : .dim)
            x += buffer.write(" " + Format.shortDateTime(alert.firstSeen) + " ", x: x, y: y, role: isSelected ? role : .dim)
            var text = TerminalSafeText.sanitize(alert.displayName) + "  " + TerminalSafeText.sanitize(alert.vault ?? "—")
            text += alert.status == .active ? (alert.count > 1 ? "  ×\(alert.count)" : "") : "  " + alert.status.rawValue
            buffer.writeTruncating(text, x: x, y: y, maxWidth: body.maxX - x, role: role)
        }
    }
}
