import VaultWatchCore

/// The path from the dashboard to the page on top (`Dashboard › Alert … › principal … › event …`):
/// where `q`/`Esc` lead back. When it is too long, the oldest steps give way to `…`.
enum BreadcrumbView {
    static func draw(_ state: AppState, into buffer: inout ScreenBuffer, rect: Rect) {
        guard rect.height > 0 else { return }
        let separator = state.chartGlyphs == .ascii ? " > " : " › "
        var labels = (state.path.map(\.screen) + [state.screen]).map { label(of: $0, state: state) }
        var text = labels.joined(separator: separator)
        while TerminalWidth.of(text) > rect.width - 2, labels.count > 2 {
            labels.remove(at: labels[0] == "…" ? 1 : 0)
            if labels[0] != "…" { labels.insert("…", at: 0) }
            text = labels.joined(separator: separator)
        }
        var x = rect.x + 1
        for (index, label) in labels.enumerated() {
            let isLast = index == labels.count - 1
            if index > 0 { x += buffer.write(separator, x: x, y: rect.y, maxWidth: max(0, rect.maxX - x), role: .dim) }
            x += buffer.write(label, x: x, y: rect.y, maxWidth: max(0, rect.maxX - 1 - x), role: isLast ? .title : .dim)
        }
    }

    /// A page's short name.
    static func label(of screen: AppScreen, state: AppState) -> String {
        switch screen {
        case .dashboard: return "Dashboard"
        case .detail(let id):
            let name = state.snapshot.alerts.first { $0.id == id }?.displayName ?? "alert"
            return "Alert: " + Format.pad(TerminalSafeText.sanitize(name), min(28, TerminalWidth.of(TerminalSafeText.sanitize(name))))
        case .entity(let entity):
            return entity.kind.label + " " + Format.pad(EntityText.name(of: entity, state: state), min(32, TerminalWidth.of(EntityText.name(of: entity, state: state))))
        case .event(let event):
            return "event " + Format.timeOfDay(event.time) + " " + TerminalSafeText.sanitize(event.operation ?? "?")
        }
    }
}

/// How entities are named on screen: the UPN or the directory's name first, the id after it.
enum EntityText {
    /// A short name: a UPN, a directory name, else the id.
    static func name(of entity: EntityReference, state: AppState) -> String {
        switch entity.kind {
        case .principal:
            if entity.id.contains("@") { return TerminalSafeText.sanitize(entity.id) }
            if let upn = knownUPN(of: entity, state: state) { return TerminalSafeText.sanitize(upn) }
            return TerminalSafeText.sanitize(state.names.name(for: entity.id) ?? entity.id)
        case .application:
            return TerminalSafeText.sanitize(state.names.name(for: entity.id) ?? entity.id)
        case .address, .vault:
            return TerminalSafeText.sanitize(entity.id)
        }
    }

    /// The full label: name, then the id and the directory's name where they add something.
    static func full(of entity: EntityReference, state: AppState) -> String {
        switch entity.kind {
        case .principal:
            if entity.id.contains("@") { return TerminalSafeText.sanitize(entity.id) }
            let directoryName = state.names.name(for: entity.id).map { ", \($0)" } ?? ""
            if let upn = knownUPN(of: entity, state: state) {
                return TerminalSafeText.sanitize("\(upn) (\(entity.id)\(directoryName))")
            }
            return TerminalSafeText.sanitize(state.names.label(for: entity.id))
        case .application:
            return TerminalSafeText.sanitize(state.names.label(for: entity.id))
        case .address, .vault:
            return TerminalSafeText.sanitize(entity.id)
        }
    }

    /// A principal's UPN, from its alerts or its journalled events.
    static func knownUPN(of entity: EntityReference, state: AppState) -> String? {
        if let alert = state.snapshot.alerts.first(where: { $0.principalID == entity.id && $0.upn != nil }) { return alert.upn }
        if let activity = state.snapshot.entityActivity, activity.entity == entity {
            return activity.events.first { $0.upn != nil }?.upn
        }
        return nil
    }
}
