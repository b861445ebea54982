import Testing
@testable import VaultWatchCore

extension DetectionTests {
    @Suite("Alert catalogue")
    struct AlertCatalogTests {
        @Test("the catalogue has the 16 kinds of DESIGN.md §4 with their raw names and severities")
        func kinds() {
            #expect(AlertKind.allCases.count == 16)
            #expect(AlertKind.torAccess.rawValue == "KV_TORAccess")
            #expect(AlertKind.accountVolumeAccessDeniedAnomaly.rawValue == "KV_AccountVolumeAccessDeniedAnomaly")
            #expect(AlertKind.testAlert.defaultSeverity == .informational)
            #expect(AlertKind.sensitiveOperation.defaultSeverity == .low)
            #expect(AlertKind.suspiciousIPAccessDenied.defaultSeverity == .low)
            #expect(AlertKind.listGetAnomaly.defaultSeverity == .medium)
            #expect(AlertCatalog(language: .en).entry(for: .torAccess).displayName == "Access from a Tor exit node")
        }

        @Test("every kind has English and French words, and they differ", arguments: AlertKind.allCases)
        func bothLanguages(kind: AlertKind) {
            let english = AlertCatalog(language: .en).text(for: kind)
            let french = AlertCatalog(language: .fr).text(for: kind)
            for text in [english, french] {
                #expect(!text.displayName.isEmpty)
                #expect(text.description.count > 60)
                #expect(text.remediation.count > 40)
                #expect(!text.description.contains("\n"))
            }
            #expect(english.displayName != french.displayName)
            #expect(english.description != french.description)
            #expect(english.remediation != french.remediation)
        }

        @Test("every kind but the test alert maps to ATT&CK tactics and techniques", arguments: AlertKind.allCases)
        func attack(kind: AlertKind) {
            let mapping = kind.attackMapping
            if kind == .testAlert {
                #expect(mapping == .none)
            } else {
                #expect(!mapping.tactics.isEmpty)
                #expect(!mapping.techniques.isEmpty)
                #expect(mapping.techniques.allSatisfy { $0.identifier.hasPrefix("T1") })
            }
        }

        @Test("Tor access is mapped to multi-hop proxy and valid cloud accounts; purges to data destruction")
        func specificMappings() {
            #expect(AlertKind.torAccess.attackMapping.techniques.map(\.identifier) == ["T1078.004", "T1090.003"])
            #expect(AlertKind.sensitiveOperation.attackMapping.techniques.contains(.dataDestruction))
            #expect(AlertKind.listGetAnomaly.attackMapping.tactics.contains(.credentialAccess))
        }

        @Test("the language comes from a locale identifier", arguments: [
            ("fr_FR.UTF-8", Language.fr), ("fr", .fr), ("fr-CA", .fr), ("FR_be", .fr), ("en_US.UTF-8", .en), ("C", .en),
            ("", .en), ("fry", .en),
        ])
        func languageFromLocale(identifier: String, expected: Language) {
            #expect(Language(localeIdentifier: identifier) == expected)
        }

        @Test("no locale means English")
        func noLocale() {
            #expect(Language(localeIdentifier: nil) == .en)
        }
    }
}
