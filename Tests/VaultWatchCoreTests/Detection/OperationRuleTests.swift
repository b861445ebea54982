import Testing
@testable import VaultWatchCore

extension DetectionTests {
    @Suite("Sensitive-operation and test-alert rules")
    struct OperationRuleTests {
        let fixture = DetectionFixture()

        @Test("a successful purge raises KV_SensitiveOperation at Low, saying it cannot be undone")
        func purgeFires() throws {
            let candidates = fixture.run(SensitiveOperationRule(), on: fixture.event(operation: "SecretPurge"))
            let candidate = try #require(candidates.first)
            #expect(candidates.count == 1)
            #expect(candidate.kind == .sensitiveOperation)
            #expect(candidate.severity == .low)
            #expect(candidate.reasons.first == "secret payments-db-password was purged by alice@contoso.com; purges cannot be undone")
            #expect(candidate.attack?.techniques == [.dataDestruction])
            #expect(candidate.entity.operation == fixture.symbols.intern("SecretPurge"))
        }

        @Test(
            "every delete, purge and backup of a vault, key, secret or certificate fires",
            arguments: [
                "VaultDelete", "VaultPurge", "SecretDelete", "SecretPurge", "SecretBackup", "KeyDelete", "KeyPurge",
                "KeyBackup", "CertificateDelete", "CertificatePurge", "CertificateBackup",
            ])
        func everySensitiveOperation(operation: String) {
            #expect(fixture.run(SensitiveOperationRule(), on: fixture.event(operation: operation)).count == 1)
        }

        @Test("a key backup is filed under Exfiltration, in French with the feminine agreement")
        func backupInFrench() throws {
            let event = fixture.event(operation: "KeyBackup", objectKind: .key, objectName: "card-signing")
            let candidate = try #require(fixture.run(SensitiveOperationRule(), on: event, language: .fr).first)
            #expect(candidate.attack?.tactics == [.exfiltration])
            #expect(candidate.reasons.first?.hasPrefix("la clé card-signing a été sauvegardée par alice@contoso.com ; ") == true)
        }

        @Test("a vault deletion names the vault")
        func vaultDeletion() throws {
            let event = fixture.event(vault: "contoso-old-kv", operation: "VaultDelete", objectKind: .vault, objectName: nil)
            let candidate = try #require(fixture.run(SensitiveOperationRule(), on: event).first)
            #expect(candidate.reasons.first?.hasPrefix("vault contoso-old-kv was deleted by alice@contoso.com; ") == true)
        }

        @Test("near miss: a purge refused with 403 changed nothing and raises nothing")
        func refusedPurge() {
            #expect(fixture.run(SensitiveOperationRule(), on: fixture.event(operation: "KeyPurge", httpStatusCode: 403)).isEmpty)
            #expect(fixture.run(SensitiveOperationRule(), on: fixture.event(operation: "KeyPurge", httpStatusCode: 404)).isEmpty)
        }

        @Test(
            "near miss: reads, listings of deleted objects, recoveries and service operations raise nothing",
            arguments: [
                "SecretGet", "SecretListDeleted", "KeyRecover", "SecretRestore", "KeyRotateIfDue",
                "SecretNearExpiryEventGridNotification", "VaultGet", "KeyListDeleted",
            ])
        func ordinaryOperations(operation: String) {
            #expect(fixture.run(SensitiveOperationRule(), on: fixture.event(operation: operation)).isEmpty)
        }

        @Test("the classifier ignores case and recognises service-generated operations")
        func classifier() {
            var classifier = OperationClassifier(symbols: fixture.symbols)
            #expect(classifier.traits(for: fixture.symbols.intern("secretpurge")).sensitiveAction == .purge)
            #expect(classifier.traits(for: fixture.symbols.intern("CertificateBackup")).target == .certificate)
            #expect(classifier.traits(for: fixture.symbols.intern("KeyRotateIfDue")).isServiceGenerated)
            #expect(classifier.traits(for: fixture.symbols.intern("VaultAccessPolicyChangedEventGridNotification")).isServiceGenerated)
            #expect(classifier.traits(for: fixture.symbols.intern("SecretListVersions")).isSecretList)
            #expect(classifier.traits(for: fixture.symbols.intern("VaultPatch")).isAccessChange)
            #expect(classifier.traits(for: .none) == .ordinary)
        }

        @Test("any operation on vaultwatch-test-alert raises KV_TestAlert, refused ones too")
        func testAlertFires() throws {
            for status: UInt16 in [200, 403, 404] {
                let event = fixture.event(operation: "SecretSet", httpStatusCode: status, objectName: "vaultwatch-test-alert")
                let candidate = try #require(fixture.run(TestAlertRule(), on: event).first)
                #expect(candidate.kind == .testAlert)
                #expect(candidate.severity == .informational)
            }
        }

        @Test("near miss: a SecretGet on a normal object, or a similar name, raises no test alert")
        func testAlertNearMiss() {
            #expect(fixture.run(TestAlertRule(), on: fixture.event()).isEmpty)
            #expect(fixture.run(TestAlertRule(), on: fixture.event(objectName: "vaultwatch-test-alert-2")).isEmpty)
            #expect(fixture.run(TestAlertRule(), on: fixture.event(objectName: nil)).isEmpty)
        }
    }
}
