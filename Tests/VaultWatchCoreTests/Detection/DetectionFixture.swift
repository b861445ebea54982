@testable import VaultWatchCore

/// Builds `AuditEvent`s for detection tests straight from strings, through one `SymbolTable`,
/// without the JSON decoder.
struct DetectionFixture {
    let symbols = SymbolTable()
    static let start = EventTime(year: 2025, month: 5, day: 6, hour: 10, minute: 0, second: 0)
    static let torAddress = "185.220.101.4"
    static let threatBlock = "203.0.113.0/24"

    func event(
        at time: EventTime = DetectionFixture.start,
        vault: String = "contoso-payments-kv",
        operation: String = "SecretGet",
        principalID: String? = "9f1c2b7e-0000-4000-8000-000000000001",
        upn: String? = "alice@contoso.com",
        appID: String? = "5b1f0a3c-0000-4000-8000-00000000a001",
        callerIP: String? = "198.51.100.10",
        httpStatusCode: UInt16 = 200,
        objectKind: ObjectKind = .secret,
        objectName: String? = "payments-db-password",
        clientInfo: String? = "azsdk-test/1.0",
        line: UInt32 = 1
    ) -> AuditEvent {
        AuditEvent(
            time: time,
            vault: symbols.intern(vault),
            resourceID: symbols.intern("/subscriptions/0000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/\(vault)"),
            operation: symbols.intern(operation),
            principalID: principalID.map(symbols.intern) ?? .none,
            upn: upn.map(symbols.intern) ?? .none,
            appID: appID.map(symbols.intern) ?? .none,
            callerIP: callerIP.flatMap(IPAddress.init),
            httpStatusCode: httpStatusCode,
            outcome: Outcome(httpStatusCode: Int(httpStatusCode)),
            objectKind: objectKind,
            objectName: objectName.map(symbols.intern) ?? .none,
            clientInfo: clientInfo.map(symbols.intern) ?? .none,
            location: RecordLocation(source: symbols.intern("audit.jsonl"), line: line))
    }

    static func torList() -> ThreatIntelList {
        let addresses = [torAddress, "185.220.101.5", "2001:db8:7::1"].compactMap(IPAddress.init)
        return ThreatIntelList(
            name: "tor-exit-addresses.txt", kind: .torExits, format: .addressList,
            ranges: IPRangeSet(addresses: addresses), entryCount: addresses.count)
    }

    static func threatIntelList() -> ThreatIntelList {
        let networks = [threatBlock, "192.0.2.66"].compactMap(IPNetwork.init)
        return ThreatIntelList(
            name: "blocked-networks.txt", kind: .threatIntel, format: .addressList,
            ranges: IPRangeSet(networks), entryCount: networks.count)
    }

    func context(language: Language = .en, withLists: Bool = true) -> RuleContext {
        RuleContext(
            symbols: symbols, torExits: withLists ? Self.torList() : nil,
            threatIntel: withLists ? Self.threatIntelList() : nil, language: language)
    }

    /// Runs one rule on one event, as the detector does.
    func run(_ rule: some DetectionRule, on event: AuditEvent, language: Language = .en) -> [AlertCandidate] {
        var rule = rule
        var classifier = OperationClassifier(symbols: symbols)
        var candidates: [AlertCandidate] = []
        rule.evaluate(
            event, traits: classifier.traits(for: event.operation), context: context(language: language),
            into: &candidates)
        return candidates
    }

    func detector(language: Language = .en) -> Detector {
        Detector(
            symbols: symbols,
            configuration: DetectorConfiguration(
                torExits: Self.torList(), threatIntel: Self.threatIntelList(), language: language))
    }
}

/// Feeds `events` to `detector` in batches of `batchSize`, finishes it, and returns the final
/// state of every alert it published, in order of first publication.
func finalAlerts(of events: [AuditEvent], through detector: Detector, batchSize: Int) async -> [Alert] {
    var index = 0
    while index < events.count {
        await detector.process(EventBatch(events: Array(events[index..<min(index + batchSize, events.count)])))
        index += batchSize
    }
    await detector.finish()
    var latest: [String: Alert] = [:]
    var order: [String] = []
    for await alert in detector.alerts {
        if latest[alert.id] == nil { order.append(alert.id) }
        latest[alert.id] = alert
    }
    return order.compactMap { latest[$0] }
}

/// Collects every element of a finished stream.
func collect(_ stream: AsyncStream<Alert>) async -> [Alert] {
    var alerts: [Alert] = []
    for await alert in stream { alerts.append(alert) }
    return alerts
}
