import VaultWatchCore

/// The reducer: every change to `AppState` goes through these, from keys, snapshots and the
/// clock's ticks. Side effects are queued in `effects` for the run loop.
extension AppState {
    /// Applies one key press through the key table (or to the filter being typed).
    public mutating func handle(_ key: Key) {
        if isEditingFilter {
            editFilter(with: key)
            return
        }
        if isShowingRawJSON {
            if key == .escape || key == .character("q") || keyMap.action(for: key, in: .detail) == .rawJSON {
                isShowingRawJSON = false
            }
            return
        }
        if isShowingHelp {
            if key == .escape || key == .character("q") || keyMap.action(for: key, in: keyContext) == .help {
                isShowingHelp = false
            }
            return
        }
        guard let action = keyMap.action(for: key, in: keyContext) else { return }
        perform(action)
    }

    public mutating func perform(_ action: KeyAction) {
        switch action {
        case .help: isShowingHelp = true
        case .back: goBack()
        case .clearOrBack:
            if !filter.isEmpty { filter = "" } else if case .detail = screen { screen = .dashboard }
        case .open: open()
        case .nextPanel: focus = Panel(rawValue: (focus.rawValue + 1) % Panel.allCases.count) ?? .vaults
        case .previousPanel: focus = Panel(rawValue: (focus.rawValue + Panel.allCases.count - 1) % Panel.allCases.count) ?? .vaults
        case .focusVaults: focus = .vaults
        case .focusChart: focus = .chart
        case .focusActivity: focus = .activity
        case .focusAlerts: focus = .alerts
        case .moveDown, .nextMatch: move(by: 1)
        case .moveUp, .previousMatch: move(by: -1)
        case .top: move(by: Int.min / 2)
        case .bottom: move(by: Int.max / 2)
        case .pageUp: page(by: -1)
        case .pageDown: page(by: 1)
        case .startFilter:
            isEditingFilter = true
        case .togglePause:
            isPaused.toggle()
            if mode == .replay {
                effects.append(.replayChanged(speed: speed, isPaused: isPaused))
            } else if !isPaused, let held = heldSnapshot {
                heldSnapshot = nil
                show(held)
            }
        case .faster, .slower:
            guard mode == .replay else { return }
            speed = min(max(action == .faster ? speed * 2 : speed / 2, 1), 1_000_000)
            effects.append(.replayChanged(speed: speed, isPaused: isPaused))
        case .nextTheme: themeIndex = (themeIndex + 1) % themeNames.count
        case .nextAlert: stepAlert(by: 1)
        case .previousAlert: stepAlert(by: -1)
        case .dismiss: setStatus(.dismissed)
        case .resolve: setStatus(.resolved)
        case .rawJSON:
            if let alert = detailAlert, !alert.evidence.isEmpty { isShowingRawJSON = true }
        }
    }

    /// Takes a new snapshot: marks the header for new Medium or High alerts (and rings the
    /// bell if asked); a paused live display holds it until resumed.
    public mutating func receive(_ newSnapshot: DashboardSnapshot) {
        var newGrave: Alert?
        for alert in newSnapshot.alerts where !knownAlertIDs.contains(alert.id) {
            knownAlertIDs.insert(alert.id)
            if alert.severity >= .medium, newGrave.map({ alert.severity > $0.severity }) ?? true { newGrave = alert }
        }
        if let alert = newGrave {
            markText = "NEW \(alert.severity.displayName.uppercased()): \(alert.displayName)"
            markUntil = now + 3
            if ringsBell { effects.append(.bell) }
        }
        if mode == .live && isPaused {
            heldSnapshot = newSnapshot
        } else {
            show(newSnapshot)
        }
    }

    /// Advances the wall clock the header mark is timed on (monotonic seconds).
    public mutating func tick(now: Double) {
        self.now = now
    }

    public var isMarked: Bool { now < markUntil }

    // MARK: - Pieces

    private mutating func show(_ newSnapshot: DashboardSnapshot) {
        snapshot = newSnapshot
        if selectedVaultName == nil {
            // Start on the vault that most needs a look: most open alerts, then busiest now.
            selectedVaultName = visibleVaults.max { ($0.openAlerts, $0.operationsPerMinuteNow, $1.name) < ($1.openAlerts, $1.operationsPerMinuteNow, $0.name) }?.name
        }
        if followsNewestAlert || selectedAlertID == nil || !visibleAlerts.contains(where: { $0.id == selectedAlertID }) {
            selectedAlertID = visibleAlerts.first?.id
        }
    }

    private mutating func editFilter(with key: Key) {
        switch key {
        case .enter: isEditingFilter = false
        case .escape:
            filter = ""
            isEditingFilter = false
        case .backspace: if !filter.isEmpty { filter.removeLast() }
        case .character(let character):
            filter = TerminalSafeText.sanitize(filter + String(character))
        default: break
        }
        selectedAlertID = visibleAlerts.first?.id
        if let first = visibleVaults.first, !visibleVaults.contains(where: { $0.name == selectedVaultName }) {
            selectedVaultName = first.name
        }
    }

    private mutating func goBack() {
        switch screen {
        case .detail: screen = .dashboard
        case .dashboard: effects.append(.quit)
        }
    }

    private mutating func open() {
        switch focus {
        case .alerts:
            guard let id = selectedAlertID ?? visibleAlerts.first?.id else { return }
            screen = .detail(alertID: id)
            detailScroll = 0
            selectedEvidence = 0
        case .vaults:
            guard let name = selectedVaultName else { return }
            filter = name
            focus = .alerts
            selectedAlertID = visibleAlerts.first?.id
        case .chart, .activity:
            break
        }
    }

    private mutating func move(by delta: Int) {
        if case .detail = screen {
            let count = detailAlert?.evidence.count ?? 0
            selectedEvidence = Self.clamp(selectedEvidence, plus: delta, count: count)
            if delta == Int.min / 2 { detailScroll = 0 }
            return
        }
        switch focus {
        case .vaults:
            let vaults = visibleVaults
            guard !vaults.isEmpty else { return }
            selectedVaultName = vaults[Self.clamp(selectedVaultIndex, plus: delta, count: vaults.count)].name
        case .alerts:
            let alerts = visibleAlerts
            guard !alerts.isEmpty else { return }
            let index = Self.clamp(selectedAlertIndex, plus: delta, count: alerts.count)
            selectedAlertID = alerts[index].id
            followsNewestAlert = index == 0
        case .activity:
            activityOffset = Self.clamp(activityOffset, plus: delta, count: visibleActivity.count)
        case .chart:
            // The chart follows the vault selection: move through the vaults.
            let vaults = visibleVaults
            guard !vaults.isEmpty else { return }
            selectedVaultName = vaults[Self.clamp(selectedVaultIndex, plus: delta, count: vaults.count)].name
        }
    }

    private mutating func page(by direction: Int) {
        if case .detail = screen {
            detailScroll = max(0, detailScroll + direction * max(pageSize, 1))
            return
        }
        move(by: direction * max(pageSize, 1))
    }

    private mutating func stepAlert(by delta: Int) {
        guard case .detail(let id) = screen else { return }
        let alerts = visibleAlerts
        guard let index = alerts.firstIndex(where: { $0.id == id }) else { return }
        let next = Self.clamp(index, plus: delta, count: alerts.count)
        screen = .detail(alertID: alerts[next].id)
        selectedAlertID = alerts[next].id
        detailScroll = 0
        selectedEvidence = 0
    }

    private mutating func setStatus(_ choice: AlertStatusChoice) {
        guard case .detail(let id) = screen else { return }
        statusOverrides[id] = choice == .resolved ? .resolved : .dismissed
        effects.append(.alertStatusChanged(alertID: id, status: choice))
    }

    static func clamp(_ value: Int, plus delta: Int, count: Int) -> Int {
        guard count > 0 else { return 0 }
        let (sum, overflow) = value.addingReportingOverflow(delta)
        if overflow { return delta > 0 ? count - 1 : 0 }
        return min(max(sum, 0), count - 1)
    }
}
