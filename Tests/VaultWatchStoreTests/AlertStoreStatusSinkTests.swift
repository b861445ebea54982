import Foundation
import Testing
import VaultWatchCore
@testable import VaultWatchStore

/// The dashboard's `d` / `r` through the store: what `AlertStoreStatusSink` queues lands in the
/// state as `vaultwatch alerts dismiss|resolve` would put it.
struct AlertStoreStatusSinkTests {
    @Test func aStatusFromTheDashboardLandsInTheStoreWithItsHistory() async throws {
        let store = try AlertStore(inMemoryWith: AlertStore.Options())
        let alerts = Array(StoreFixture.alerts.prefix(2))
        try store.save(DetectionProgress(alerts: alerts))
        let sink = AlertStoreStatusSink(store: store)

        sink.record(status: .dismissed, forAlertID: alerts[0].id)
        sink.record(status: .resolved, forAlertID: alerts[1].id)
        sink.record(status: .dismissed, forAlertID: alerts[1].id)
        #expect(await sink.finish() == [])

        #expect(try store.alert(id: alerts[0].id).status == .dismissed)
        #expect(try store.alert(id: alerts[1].id).status == .dismissed)
        let history = try store.statusHistory(alertID: alerts[0].id)
        #expect(history.count == 1)
        #expect(history.first?.previousStatus == .active)
        #expect(history.first?.status == .dismissed)
        #expect(history.first?.reason == nil)
        // Written in the order pressed: resolved, then dismissed.
        #expect(try store.statusHistory(alertID: alerts[1].id).map(\.status) == [.resolved, .dismissed])
    }

    @Test func aStatusForAnAlertNotSavedYetIsWrittenOnceTheAlertIsSaved() async throws {
        let store = try AlertStore(inMemoryWith: AlertStore.Options())
        let alert = try #require(StoreFixture.alerts.first)
        let sink = AlertStoreStatusSink(store: store, pendingTimeout: .seconds(60), retryInterval: .milliseconds(20))
        sink.record(status: .resolved, forAlertID: alert.id)
        // The detection run saves the alert a moment after the analyst saw it.
        try store.save(DetectionProgress(alerts: [alert]))
        #expect(await sink.finish() == [])
        #expect(try store.alert(id: alert.id).status == .resolved)
    }

    @Test func aStatusThatCannotBeStoredIsReportedNotDropped() async throws {
        let store = try AlertStore(inMemoryWith: AlertStore.Options())
        let sink = AlertStoreStatusSink(store: store, pendingTimeout: .zero)
        sink.record(status: .dismissed, forAlertID: "00000000deadbeef")
        let failures = await sink.finish()
        #expect(failures.count == 1)
        #expect(failures.first?.contains("00000000deadbeef") == true)
    }
}
