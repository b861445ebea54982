/// Lays out the screen: header, the four panels (stacked below 120 columns, two columns
/// above), the footer, and the alert detail, help and raw-JSON views over them.
public enum DashboardRenderer {
    public static func render(state: AppState, size: ScreenSize) -> ScreenBuffer {
        var buffer = ScreenBuffer(size: size)
        guard size.isLargeEnough else {
            TooSmallView.draw(into: &buffer, size: size)
            return buffer
        }
        let full = Rect(x: 0, y: 0, width: size.width, height: size.height)
        let (header, rest) = full.splitTop(2)
        let (body, footer) = rest.splitTop(rest.height - 1)
        HeaderView.draw(state, into: &buffer, rect: header)
        FooterView.draw(state, into: &buffer, rect: footer)
        if state.isShowingHelp {
            HelpView.draw(state, into: &buffer, rect: body)
            return buffer
        }
        switch state.screen {
        case .dashboard:
            drawPanels(state, into: &buffer, rect: body)
            if let progress = state.loadingProgress {
                LoadingView.draw(state, progress: progress, into: &buffer, rect: body)
            }
        case .detail, .entity, .event:
            // A page opened over the dashboard: the path back on its first row.
            let (crumbs, page) = body.splitTop(1)
            BreadcrumbView.draw(state, into: &buffer, rect: crumbs)
            switch state.screen {
            case .detail: AlertDetailView.draw(state, into: &buffer, rect: page)
            case .entity: EntityPageView.draw(state, into: &buffer, rect: page)
            case .event: EventPageView.draw(state, into: &buffer, rect: page)
            case .dashboard: break
            }
            if state.isShowingRawJSON { RawJSONView.draw(state, into: &buffer, rect: page) }
        }
        return buffer
    }

    static func drawPanels(_ state: AppState, into buffer: inout ScreenBuffer, rect: Rect) {
        if rect.width >= 120 {
            // Left: vaults, their chart, and live activity below when there is room; right:
            // the alerts, full height, since they are what an analyst acts on.
            let (left, right) = rect.splitLeft(rect.width / 2)
            let vaultHeight = min(max(4, state.visibleVaults.count + 2), left.height / 3)
            let (vaults, belowVaults) = left.splitTop(vaultHeight)
            let (chart, activity) = belowVaults.splitTop(min(belowVaults.height, 16))
            VaultsView.draw(state, into: &buffer, rect: vaults)
            ChartView.draw(state, into: &buffer, rect: chart)
            if activity.height >= 6 {
                ActivityView.draw(state, into: &buffer, rect: activity)
                AlertsView.draw(state, into: &buffer, rect: right.inset(columns: 1))
            } else {
                let (alerts, rightActivity) = right.splitTop(right.height / 2)
                AlertsView.draw(state, into: &buffer, rect: alerts.inset(columns: 1))
                ActivityView.draw(state, into: &buffer, rect: rightActivity.inset(columns: 1))
            }
            return
        }
        // Stacked: vaults, chart, alerts, activity; at 80×24 the body has 21 rows.
        let vaultRows = min(max(3, state.visibleVaults.count + 2), rect.height / 3)
        let chartRows = 5
        let alertRows = max(4, (rect.height - vaultRows - chartRows) * 3 / 5)
        let (vaults, rest) = rect.splitTop(vaultRows)
        let (chart, rest2) = rest.splitTop(chartRows)
        let (alerts, activity) = rest2.splitTop(alertRows)
        VaultsView.draw(state, into: &buffer, rect: vaults)
        ChartView.draw(state, into: &buffer, rect: chart)
        AlertsView.draw(state, into: &buffer, rect: alerts)
        ActivityView.draw(state, into: &buffer, rect: activity)
    }
}

/// The pure renderer: `state` drawn at `size`, no terminal involved.
public func render(state: AppState, size: ScreenSize) -> ScreenBuffer {
    DashboardRenderer.render(state: state, size: size)
}
