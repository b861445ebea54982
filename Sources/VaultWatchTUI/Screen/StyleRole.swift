/// What a cell is, for the theme to style: code names roles, never colours. Each role's
/// `themeKey` is its name in theme files (`severity.high`, `chart.baseline`, …).
public enum StyleRole: UInt8, Sendable, Hashable, CaseIterable {
    case normal
    case dim
    case title
    case border
    case focusedBorder
    case headerBar
    case headerMark
    case footer
    case footerKey
    case selected
    case label
    case value
    case filter
    case live
    case replay
    case paused
    case severityInformational
    case severityLow
    case severityMedium
    case severityHigh
    case eventSuccess
    case eventDenied
    case eventError
    case eventNotFound
    case chartValue
    case chartBaseline
    case chartBand
    case chartOver
    case sparkline
    case warning

    public var themeKey: String {
        switch self {
        case .normal: "normal"
        case .dim: "dim"
        case .title: "title"
        case .border: "border"
        case .focusedBorder: "border.focused"
        case .headerBar: "header"
        case .headerMark: "header.mark"
        case .footer: "footer"
        case .footerKey: "footer.key"
        case .selected: "selected"
        case .label: "label"
        case .value: "value"
        case .filter: "filter"
        case .live: "mode.live"
        case .replay: "mode.replay"
        case .paused: "mode.paused"
        case .severityInformational: "severity.informational"
        case .severityLow: "severity.low"
        case .severityMedium: "severity.medium"
        case .severityHigh: "severity.high"
        case .eventSuccess: "event.success"
        case .eventDenied: "event.denied"
        case .eventError: "event.error"
        case .eventNotFound: "event.notfound"
        case .chartValue: "chart.value"
        case .chartBaseline: "chart.baseline"
        case .chartBand: "chart.band"
        case .chartOver: "chart.over"
        case .sparkline: "sparkline"
        case .warning: "warning"
        }
    }
}
