import VaultWatchCore

/// One alert in full: what it is, why (reasons with their numbers), who and where (entities),
/// the baseline comparison chart, what to do, and the evidence events at the bottom, where
/// `j`/`k` pick one, `Enter` opens it and `y` shows its original record. `Tab` moves the cursor
/// to the entities, each of which `Enter` opens as a page. The upper part scrolls with
/// `PgUp`/`PgDn`, and follows the cursor among the entities.
enum AlertDetailView {
    static func draw(_ state: AppState, into buffer: inout ScreenBuffer, rect: Rect) {
        guard let alert = state.detailAlert else {
            buffer.write(" This alert is no longer in the list. Press q to go back.", x: rect.x, y: rect.y, role: .dim)
            return
        }
        let position = state.visibleAlerts.firstIndex { $0.id == alert.id }.map { "alert \($0 + 1) of \(state.visibleAlerts.count)" } ?? ""
        let titleBody = PanelFrame.draw(
            title: "Alert", number: nil, trailing: position, focused: true, into: &buffer, rect: rect, glyphs: state.chartGlyphs)
        let evidenceRows = min(max(4, titleBody.height / 3), alert.evidence.count + 2)
        let (documentArea, evidenceArea) = titleBody.splitTop(titleBody.height - evidenceRows)
        let (lines, entityLine) = document(for: alert, state: state, width: documentArea.width - 2)
        let maximumScroll = max(0, lines.count - documentArea.height)
        var scroll = min(state.detailScroll, maximumScroll)
        if let entityLine, entityLine < scroll || entityLine >= scroll + documentArea.height {
            scroll = min(maximumScroll, max(0, entityLine - 1))
        }
        var y = documentArea.y
        var index = scroll
        while y < documentArea.maxY && index < lines.count {
            switch lines[index] {
            case .text(let spans):
                var x = documentArea.x + 1
                for span in spans { x += buffer.write(span.text, x: x, y: y, maxWidth: documentArea.maxX - 1 - x, role: span.role) }
                y += 1
                index += 1
            case .chart(let height):
                // The chart's rows are consecutive placeholders; draw it once, over what is visible.
                let visible = min(height, documentArea.maxY - y)
                if let vault = state.snapshot.vaults.first(where: { $0.name == alert.vault }) {
                    ChartView.drawSeries(vault, state: state, into: &buffer, rect: Rect(x: documentArea.x + 2, y: y, width: min(documentArea.width - 4, 100), height: visible))
                } else {
                    buffer.write("  (no activity recorded for this vault in this session)", x: documentArea.x, y: y, role: .dim)
                }
                y += visible
                index += height
            }
        }
        if scroll < maximumScroll {
            buffer.writeRightAligned(" more ↓ PgDn ", rightEdge: documentArea.maxX - 1, y: documentArea.maxY - 1, role: .dim)
        }
        drawEvidence(alert, state: state, into: &buffer, rect: evidenceArea)
    }

    enum Line {
        case text([Span])
        /// First row of a chart `height` rows tall; the following rows are part of it.
        case chart(height: Int)
    }

    struct Span {
        var text: String
        var role: StyleRole
        init(_ text: String, _ role: StyleRole = .normal) {
            self.text = text
            self.role = role
        }
    }

    /// The document's lines, and the line of the selected entity when the cursor is on them.
    static func document(for alert: Alert, state: AppState, width: Int) -> (lines: [Line], selectedEntityLine: Int?) {
        var lines: [Line] = []
        let selectsEntity = state.cursor.section == 1
        let selectedEntity = min(state.cursor.rows[1], max(0, EntityReference.entities(of: alert).count - 1))
        var entityIndex = 0
        var selectedEntityLine: Int?
        let safe = TerminalSafeText.sanitize
        var title: [Span] = [Span(alert.severity.displayName.uppercased(), Roles.role(for: alert.severity)), Span(" "),
                             Span(safe(alert.displayName), .title)]
        title.append(Span("  \(alert.status.rawValue)", alert.status == .active ? .value : .dim))
        if alert.isSample { title.append(Span("  (sample)", .dim)) }
        lines.append(.text(title))
        var when = "\(alert.kind.rawValue) · first \(Format.clock(alert.firstSeen))"
        if alert.count > 1 {
            let sameDay = alert.lastSeen.ticks / EventTime.ticksPerDay == alert.firstSeen.ticks / EventTime.ticksPerDay
            when += " · last \(sameDay ? Format.timeOfDay(alert.lastSeen) : Format.clock(alert.lastSeen)) · \(alert.count) events"
        }
        lines.append(.text([Span(when, .dim)]))
        lines.append(.text([]))
        for line in TextWrap.lines(alert.description, width: width) { lines.append(.text([Span(line)])) }
        if !alert.reasons.isEmpty {
            lines.append(.text([]))
            lines.append(.text([Span("Why", .label)]))
            for reason in alert.reasons {
                for (index, line) in TextWrap.lines(reason, width: width - 2).enumerated() {
                    lines.append(.text([Span(index == 0 ? "• " : "  ", .dim), Span(line, .value)]))
                }
            }
        }
        lines.append(.text([]))
        lines.append(.text([Span("Entities", .label), Span(selectsEntity ? "  Enter opens a page" : "  Tab selects, Enter opens a page", .dim)]))
        /// A row; `opens` marks the entities that have a page (selectable in order).
        func entity(_ label: String, _ value: String?, opens: Bool = false) {
            guard let value, !value.isEmpty else { return }
            let text = safe(value)
            let room = width - 14
            let shown = TerminalWidth.of(text) > room ? Format.pad(text, room) : text
            var isSelected = false
            if opens {
                isSelected = selectsEntity && entityIndex == selectedEntity
                if isSelected { selectedEntityLine = lines.count }
                entityIndex += 1
            }
            let marker = isSelected ? (state.chartGlyphs == .ascii ? ">" : "▶") : " "
            lines.append(.text([Span(marker, isSelected ? .selected : .normal), Span(Format.pad(label, 13), isSelected ? .selected : .dim), Span(shown, isSelected ? .selected : .value)]))
        }
        if let upn = alert.upn {
            let name = state.names.name(for: alert.principalID).map { ", \($0)" } ?? ""
            entity("principal", "\(upn) (\(alert.principalID ?? "no object id")\(name))", opens: true)
        } else {
            entity("principal", alert.principalID.map(state.names.label(for:)), opens: true)
        }
        entity("application", alert.appID.map(state.names.label(for:)), opens: true)
        entity("IP address", alert.ip?.description, opens: true)
        entity("vault", alert.vault, opens: true)
        entity("resource", alert.resourceID)
        // ATT&CK's own names ("Initial Access"), as analysts search for them, never Swift case names.
        if !alert.tactics.isEmpty { entity("tactics", alert.tactics.map(\.rawValue).joined(separator: ", ")) }
        if !alert.techniques.isEmpty { entity("techniques", alert.techniques.map(\.description).joined(separator: ", ")) }
        lines.append(.text([]))
        let baselineTitle = "Baseline: \(alert.vault.map(safe) ?? "no vault"), operations per hour against the usual band"
        lines.append(.text([Span(TerminalWidth.of(baselineTitle) > width ? Format.pad(baselineTitle, width) : baselineTitle, .label)]))
        let chartHeight = 6
        lines.append(.chart(height: chartHeight))
        for _ in 1..<chartHeight { lines.append(.text([])) }
        lines.append(.text([]))
        lines.append(.text([Span("What to do", .label)]))
        for line in TextWrap.lines(alert.remediation, width: width) { lines.append(.text([Span(line)])) }
        return (lines, selectedEntityLine)
    }

    static func drawEvidence(_ alert: Alert, state: AppState, into buffer: inout ScreenBuffer, rect: Rect) {
        let body = PanelFrame.draw(
            title: "Evidence", number: nil, trailing: "\(alert.evidence.count == 1 ? "1 event" : "\(alert.evidence.count) events") · Enter open · y record", focused: state.cursor.section == 0,
            into: &buffer, rect: rect, glyphs: state.chartGlyphs)
        guard body.height > 0 else { return }
        if alert.evidence.isEmpty {
            buffer.write(" no evidence events", x: body.x, y: body.y, role: .dim)
            return
        }
        let selected = min(state.selectedEvidence, alert.evidence.count - 1)
        let first = VaultsView.firstVisible(selected: selected, count: alert.evidence.count, rows: body.height)
        for (offset, evidence) in alert.evidence[first..<min(alert.evidence.count, first + body.height)].enumerated() {
            let y = body.y + offset
            let isSelected = first + offset == selected && state.cursor.section == 0
            if isSelected { buffer.fill(Rect(x: body.x, y: y, width: body.width, height: 1), role: .selected) }
            let role: StyleRole = isSelected ? .selected : Roles.role(for: evidence.outcome)
            var text = Format.clock(evidence.time) + "  " + Format.pad(TerminalSafeText.sanitize(evidence.operation ?? "?"), 18)
            text += " " + Format.pad(Roles.outcomeLabel(evidence.outcome, status: evidence.httpStatusCode ?? 0), 10)
            text += " " + Format.pad(evidence.callerIP?.description ?? "", 16)
            let caller = evidence.upn ?? evidence.principalID.map { state.names.name(for: $0) ?? $0 }
            text += " " + TerminalSafeText.sanitize(evidence.objectName ?? caller ?? "")
            buffer.write(isSelected ? (state.chartGlyphs == .ascii ? ">" : "▶") : " ", x: body.x, y: y, role: isSelected ? .selected : .normal)
            buffer.writeTruncating(text, x: body.x + 1, y: y, maxWidth: body.width - 1, role: role)
        }
    }
}
