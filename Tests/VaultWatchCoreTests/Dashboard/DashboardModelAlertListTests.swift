import Testing
import VaultWatchCore

/// The dashboard's list of alerts: newest first, one entry per id, and pruned to its limit
/// however many alerts an alert storm raises.
struct DashboardModelAlertListTests {
    private func alert(_ number: Int, count: Int = 1, minute: Int? = nil) -> Alert {
        let start = EventTime(year: 2026, month: 2, day: 17) + .minutes(Int64(minute ?? number))
        return Alert(
            id: String(format: "%06d", number), kind: .sensitiveOperation, displayName: "Sensitive operation", severity: .low,
            vault: "kv-\(number % 7)", firstSeen: start, lastSeen: start, count: count, description: "", remediation: "")
    }

    @Test func newestFirstOneEntryPerIdWhateverTheOrderOfArrival() {
        let model = DashboardModel(symbols: SymbolTable())
        for number in [3, 1, 4, 2, 5] { model.upsert(alert(number)) }
        model.upsert(alert(2, count: 9))
        let alerts = model.currentSnapshot().alerts
        #expect(alerts.map(\.id) == ["000005", "000004", "000003", "000002", "000001"])
        #expect(alerts.first { $0.id == "000002" }?.count == 9)
    }

    @Test func anAlertStormIsPrunedToTheLimitKeepingTheNewest() {
        let model = DashboardModel(symbols: SymbolTable(), alertLimit: 1_000)
        for number in 0..<50_000 {
            model.upsert(alert(number))
            #expect(model.alertCount <= 1_100)
        }
        let alerts = model.currentSnapshot().alerts
        #expect(alerts.count >= 1_000 && alerts.count <= 1_100)
        #expect(alerts.first?.id == "049999")
        // A repeat of a recent alert updates it in place.
        model.upsert(alert(49_990, count: 4))
        #expect(model.currentSnapshot().alerts.filter { $0.id == "049990" }.map(\.count) == [4])
    }
}
