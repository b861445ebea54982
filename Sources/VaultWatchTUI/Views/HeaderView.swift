import VaultWatchCore

/// The two header rows: where events come from and how fast, then totals, learning state and
/// active alerts by severity. A new Medium or High alert marks the first row for a moment.
/// The totals are this run's: restarted on a state file, the header says so (`events N this
/// run`) and what the stream came to with the runs before; the learning state and the alerts
/// are the detector's, the state's history included.
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
        var counts: [(String, StyleRole)] = [("alerts ", .label)]
        for severity in Severity.allCases.reversed() {
            counts.append((Roles.tag(for: severity).trimmingTrailingSpaces, Roles.role(for: severity)))
            counts.append((" \(state.activeAlertCount(of: severity)) ", .value))
        }
        let countsWidth = counts.reduce(0) { $0 + TerminalWidth.of($1.0) }
        let leftWidth = rect.width - countsWidth - 3
        if marked {
            // A new Medium or High alert takes the totals' place for a moment: the analyst's eye
            // goes to the header, and the alert's name is readable even at 80 columns.
            buffer.writeTruncating("▲ " + state.markText, x: rect.x + 1, y: y, maxWidth: leftWidth, role: .headerMark)
        } else {
            var x = rect.x + 1
            for (index, item) in HeaderItem.fitting(secondRowItems(state), width: leftWidth).enumerated() {
                if index > 0 { x += buffer.write(HeaderItem.separator, x: x, y: y, role: .label) }
                x += buffer.writeTruncating(item.text, x: x, y: y, maxWidth: item.width, role: item.role)
            }
        }
        var countX = rect.maxX - countsWidth - 1
        for (text, role) in counts { countX += buffer.write(text, x: countX, y: y, role: role) }
    }

    /// What the second row's left side says, in its order, each with how much it matters when
    /// the row is too narrow for all of them.
    static func secondRowItems(_ state: AppState) -> [HeaderItem] {
        let snapshot = state.snapshot
        var items = [HeaderItem("events \(Format.count(snapshot.totalEvents))", rank: 3)]
        // Restarted on a state file: the counts are this run's, from 0, and what the stream came
        // to with the runs before is said beside them (it gives way first: this run's challenges
        // and duplicates are this run's data, the total only context).
        if let before = snapshot.runsBefore {
            items = [
                HeaderItem("events \(Format.count(snapshot.totalEvents)) this run", rank: 3),
                HeaderItem("\(Format.count(before.events + snapshot.totalEvents)) with the runs before", rank: 0),
            ]
        }
        items.append(HeaderItem("malformed \(Format.count(snapshot.malformedRecords))", rank: 2))
        // SDK challenge requests (401 without identity) are counted, never judged as denials.
        if snapshot.challengeRequests > 0 { items.append(HeaderItem("challenges \(Format.count(snapshot.challengeRequests))", rank: 1)) }
        // Records delivered again are counted once among the events, and said.
        if snapshot.duplicateRecords > 0 { items.append(HeaderItem("duplicates \(Format.count(snapshot.duplicateRecords))", rank: 1)) }
        // Whether alerts can be trusted yet: kept before the totals.
        if !snapshot.hasHistory {
            items.append(HeaderItem("no history yet", rank: 4))
        } else if snapshot.isLearning {
            items.append(HeaderItem("learning \(snapshot.daysOfHistory)/\(snapshot.learningDays) d", rank: 4))
        } else {
            items.append(HeaderItem("learned \(snapshot.daysOfHistory) d", rank: 4))
        }
        // A filter hides rows: it must show while it is on. Its text may be cut, never "filter".
        if !state.filter.isEmpty || state.isEditingFilter {
            items.append(HeaderItem("filter \"\(state.filter)\"", rank: 5, shortest: "filter \"…"))
        }
        // Data that may have been lost is never silent: the count and the newest report, which
        // is cut where the row ends.
        if snapshot.dataLossReports > 0, let latest = snapshot.latestDataLoss {
            let count = snapshot.dataLossReports
            let head = "\(Format.count(count)) possible data \(count == 1 ? "loss" : "losses")"
            items.append(HeaderItem("\(head): \(latest)", rank: 6, shortest: head + "…", role: .warning))
        }
        return items
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
