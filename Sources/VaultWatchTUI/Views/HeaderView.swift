import VaultWatchCore

/// The two header rows: where events come from and how fast, then totals, learning state and
/// active alerts by severity. A new Medium or High alert marks the first row for a moment.
enum HeaderView {
    static func draw(_ state: AppState, into buffer: inout ScreenBuffer, rect: Rect) {
        guard rect.height >= 2 else { return }
        let snapshot = state.snapshot
        let marked = state.isMarked
        let barRole: StyleRole = marked ? .headerMark : .headerBar
        buffer.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), role: barRole)
        let separator = state.chartGlyphs == .ascii ? " | " : " │ "
        var x = rect.x + 1
        let right = rect.maxX - 1
        x += buffer.write("VaultWatch", x: x, y: rect.y, maxWidth: right - x, role: barRole)
        x += buffer.write(separator, x: x, y: rect.y, maxWidth: right - x, role: barRole)
        let (modeText, modeRole) = modeLabel(state)
        x += buffer.write(modeText, x: x, y: rect.y, maxWidth: right - x, role: marked ? barRole : modeRole)
        x += buffer.write(separator, x: x, y: rect.y, maxWidth: right - x, role: barRole)
        let clock = snapshot.eventClock.map(Format.clock) ?? "waiting for events"
        x += buffer.write(clock, x: x, y: rect.y, maxWidth: right - x, role: barRole)
        x += buffer.write(separator, x: x, y: rect.y, maxWidth: right - x, role: barRole)
        x += buffer.write("\(Format.rate(snapshot.eventsPerSecond)) ev/s", x: x, y: rect.y, maxWidth: right - x, role: barRole)
        x += buffer.write(separator, x: x, y: rect.y, maxWidth: right - x, role: barRole)
        buffer.writeTruncating(state.sourceDescription, x: x, y: rect.y, maxWidth: right - x, role: barRole)

        // Second row: totals and learning on the left, alerts by severity on the right.
        let y = rect.y + 1
        var left = "events \(Format.count(snapshot.totalEvents))  malformed \(Format.count(snapshot.malformedRecords))  "
        // SDK challenge requests (401 without identity) are counted, never judged as denials.
        if snapshot.challengeRequests > 0 { left += "challenges \(Format.count(snapshot.challengeRequests))  " }
        if snapshot.totalEvents == 0 {
            left += "no history yet"
        } else if snapshot.isLearning {
            left += "learning \(snapshot.daysOfHistory)/\(snapshot.learningDays) d"
        } else {
            left += "learned \(snapshot.daysOfHistory) d"
        }
        if !state.filter.isEmpty || state.isEditingFilter {
            left += "  filter \"\(state.filter)\""
        }
        var counts: [(String, StyleRole)] = [("alerts ", .label)]
        for severity in Severity.allCases.reversed() {
            counts.append((Roles.tag(for: severity).trimmingTrailingSpaces, Roles.role(for: severity)))
            counts.append((" \(state.activeAlertCount(of: severity)) ", .value))
        }
        let countsWidth = counts.reduce(0) { $0 + TerminalWidth.of($1.0) }
        // A new Medium or High alert takes the totals' place for a moment: the analyst's eye
        // goes to the header, and the alert's name is readable even at 80 columns.
        if marked { left = "▲ " + state.markText }
        let leftWidth = rect.width - countsWidth - 3
        let used = buffer.writeTruncating(left, x: rect.x + 1, y: y, maxWidth: leftWidth, role: marked ? .headerMark : .label)
        // Data that may have been lost is never silent: the count and the newest report.
        if !marked, snapshot.dataLossReports > 0, let latest = snapshot.latestDataLoss {
            let count = snapshot.dataLossReports
            let text = "  \(Format.count(count)) possible data \(count == 1 ? "loss" : "losses"): \(latest)"
            buffer.writeTruncating(text, x: rect.x + 1 + used, y: y, maxWidth: leftWidth - used, role: .warning)
        }
        var countX = rect.maxX - countsWidth - 1
        for (text, role) in counts { countX += buffer.write(text, x: countX, y: y, role: role) }
    }

    static func modeLabel(_ state: AppState) -> (String, StyleRole) {
        if state.isPaused { return ("PAUSED", .paused) }
        switch state.mode {
        case .live: return ("LIVE", .live)
        case .replay:
            if state.loadingProgress != nil { return ("LOADING HISTORY", .replay) }
            return ("REPLAY ×\(Format.rate(state.speed))", .replay)
        }
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
