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
            let action = keyMap.action(for: key, in: keyContext)
            if key == .escape || key == .character("q") || action == .rawJSON {
                isShowingRawJSON = false
            }
            // A long record scrolls (the view clamps the offset to what there is).
            switch action {
            case .moveDown: recordScroll += 1
            case .moveUp: recordScroll = max(0, recordScroll - 1)
            case .pageDown: recordScroll += max(1, pageSize)
            case .pageUp: recordScroll = max(0, recordScroll - max(1, pageSize))
            case .top: recordScroll = 0
            case .bottom: recordScroll = Int.max / 2
            default: break
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
            if !filter.isEmpty { filter = "" } else if screen != .dashboard { goBack() }
        case .open: open()
        case .nextPanel:
            switch screen {
            case .dashboard: focus = Panel(rawValue: (focus.rawValue + 1) % Panel.allCases.count) ?? .vaults
            case .detail, .entity: cursor.section = (cursor.section + 1) % 2
            case .event: break
            }
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
            // The dashboard's panels and an entity page's events can be filtered; an alert or an
            // event has nothing to filter.
            switch screen {
            case .dashboard, .entity: isEditingFilter = true
            case .detail, .event: break
            }
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
            recordScroll = 0
            if let alert = detailAlert, !alert.evidence.isEmpty {
                isShowingRawJSON = true
                let evidence = alert.evidence[min(selectedEvidence, alert.evidence.count - 1)]
                if evidence.record == nil, evidence.source != nil, foundRecords[evidence] == nil {
                    effects.append(.recordWanted(evidence))
                }
            }
            if case .event = screen { isShowingRawJSON = true }
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
            // Paused, the dashboard stands still, but a page opened meanwhile still fills.
            snapshot.entityActivity = newSnapshot.entityActivity
            snapshot.entityProfile = newSnapshot.entityProfile
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
        if case .entity = screen {
            cursor.row = 0
            return
        }
        selectedAlertID = visibleAlerts.first?.id
        if let first = visibleVaults.first, !visibleVaults.contains(where: { $0.name == selectedVaultName }) {
            selectedVaultName = first.name
        }
    }

    /// Back along the path: the page under this one, as it was left; on the dashboard, quit.
    private mutating func goBack() {
        guard let previous = path.popLast() else {
            effects.append(.quit)
            return
        }
        isShowingRawJSON = false
        screen = previous.screen
        cursor = previous.cursor
        if case .detail(let id) = screen { selectedAlertID = id }
        announceFocus()
    }

    /// Opens `page` over the current one, which goes on the path.
    public mutating func push(_ page: AppScreen) {
        path.append(PathStep(screen: screen, cursor: cursor))
        screen = page
        cursor = PageCursor()
        isShowingRawJSON = false
        announceFocus()
        if case .event(let event) = page, event.record == nil, event.source != nil { effects.append(.recordWanted(event)) }
    }

    /// Gives an event's page the original record read for it (`AppEffect.recordWanted`), on top
    /// and wherever the page is on the path.
    public mutating func attachRecord(_ record: String, to event: AlertEvidence) {
        foundRecords[event] = record
        var found = event
        found.record = record
        if screen == .event(event) { screen = .event(found) }
        for index in path.indices where path[index].screen == .event(event) { path[index].screen = .event(found) }
    }

    /// Tells the model which entity page is on top (it builds the page's activity).
    private mutating func announceFocus() {
        var entity: EntityReference?
        if case .entity(let open) = screen { entity = open }
        guard entity != announcedEntity else { return }
        announcedEntity = entity
        effects.append(.entityFocused(entity))
    }

    private mutating func open() {
        switch screen {
        case .dashboard: openFromDashboard()
        case .detail:
            guard let alert = detailAlert else { return }
            if cursor.section == 1 {
                let entities = EntityReference.entities(of: alert)
                guard !entities.isEmpty else { return }
                push(.entity(entities[min(cursor.row, entities.count - 1)]))
            } else {
                guard !alert.evidence.isEmpty else { return }
                push(.event(alert.evidence[min(selectedEvidence, alert.evidence.count - 1)]))
            }
        case .entity:
            if cursor.section == 1 {
                let alerts = entityAlerts
                guard !alerts.isEmpty else { return }
                let alert = alerts[min(cursor.row, alerts.count - 1)]
                selectedAlertID = alert.id
                push(.detail(alertID: alert.id))
            } else {
                let events = entityEvents
                guard !events.isEmpty else { return }
                push(.event(events[min(cursor.row, events.count - 1)]))
            }
        case .event(let event):
            let entities = EntityReference.entities(of: event)
            guard !entities.isEmpty else { return }
            push(.entity(entities[min(cursor.row, entities.count - 1)]))
        }
    }

    private mutating func openFromDashboard() {
        switch focus {
        case .alerts:
            guard let id = selectedAlertID ?? visibleAlerts.first?.id else { return }
            push(.detail(alertID: id))
        case .vaults, .chart:
            guard let name = chartVault?.name else { return }
            push(.entity(EntityReference(kind: .vault, id: name)))
        case .activity:
            let events = visibleActivity
            guard !events.isEmpty else { return }
            let event = events[min(activityOffset, events.count - 1)]
            guard let entity = event.callerEntity else { return }
            push(.entity(entity))
        }
    }

    private mutating func move(by delta: Int) {
        switch screen {
        case .dashboard: break
        case .detail:
            let count = cursor.section == 1 ? detailAlert.map { EntityReference.entities(of: $0).count } ?? 0 : detailAlert?.evidence.count ?? 0
            cursor.row = Self.clamp(cursor.row, plus: delta, count: count)
            if delta == Int.min / 2 { detailScroll = 0 }
            return
        case .entity:
            let count = cursor.section == 1 ? entityAlerts.count : entityEvents.count
            cursor.row = Self.clamp(cursor.row, plus: delta, count: count)
            return
        case .event(let event):
            cursor.row = Self.clamp(cursor.row, plus: delta, count: EntityReference.entities(of: event).count)
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
        if case .detail = screen, cursor.section == 0 {
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
        cursor = PageCursor()
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
