/// A named set of styles, one per `StyleRole`. Roles a theme file leaves out take the style of
/// `normal` (and the attributes of the no-colour theme, so they stay distinct).
public struct Theme: Sendable, Hashable {
    public var name: String
    public var styles: [StyleRole: ThemeStyle]

    public init(name: String, styles: [StyleRole: ThemeStyle]) {
        self.name = name
        self.styles = styles
    }

    public func style(for role: StyleRole) -> ThemeStyle {
        if let style = styles[role] { return style }
        let normal = styles[.normal] ?? ThemeStyle()
        return ThemeStyle(foreground: normal.foreground, background: normal.background,
                          attributes: Theme.attributeOnly.styles[role]?.attributes ?? [])
    }

    /// `NO_COLOR` / `--no-color`: attributes only, and still every role tells itself apart
    /// where it matters (severity by reverse / bold / underline / dim as well as its tag).
    public static let attributeOnly = Theme(name: "no-color", styles: [
        .normal: ThemeStyle(),
        .dim: ThemeStyle(attributes: .dim),
        .title: ThemeStyle(attributes: .bold),
        .border: ThemeStyle(attributes: .dim),
        .focusedBorder: ThemeStyle(attributes: .bold),
        .headerBar: ThemeStyle(attributes: .reverse),
        .headerMark: ThemeStyle(attributes: [.reverse, .bold, .underline]),
        .footer: ThemeStyle(attributes: .reverse),
        .footerKey: ThemeStyle(attributes: [.reverse, .bold]),
        .selected: ThemeStyle(attributes: .reverse),
        .label: ThemeStyle(attributes: .bold),
        .value: ThemeStyle(),
        .filter: ThemeStyle(attributes: [.bold, .underline]),
        .live: ThemeStyle(attributes: [.reverse, .bold]),
        .replay: ThemeStyle(attributes: [.reverse, .bold]),
        .paused: ThemeStyle(attributes: [.reverse, .bold, .underline]),
        .severityInformational: ThemeStyle(attributes: .dim),
        .severityLow: ThemeStyle(attributes: .underline),
        .severityMedium: ThemeStyle(attributes: .bold),
        .severityHigh: ThemeStyle(attributes: [.reverse, .bold]),
        .eventSuccess: ThemeStyle(),
        .eventDenied: ThemeStyle(attributes: .bold),
        .eventError: ThemeStyle(attributes: .underline),
        .eventNotFound: ThemeStyle(attributes: .dim),
        .chartValue: ThemeStyle(),
        .chartBaseline: ThemeStyle(attributes: .bold),
        .chartBand: ThemeStyle(attributes: .dim),
        .chartOver: ThemeStyle(attributes: [.reverse, .bold]),
        .sparkline: ThemeStyle(),
        .warning: ThemeStyle(attributes: .bold),
    ])
}
