import Foundation
import Testing
@testable import VaultWatchCore

extension DetectionTests {
    @Suite("Sample alerts")
    struct SampleAlertsTests {
        @Test("one sample of every kind, all marked as samples, with distinct stable ids")
        func oneOfEach() {
            let samples = SampleAlerts.all()
            #expect(samples.map(\.kind) == AlertKind.allCases)
            #expect(samples.allSatisfy { $0.isSample })
            #expect(Set(samples.map(\.id)).count == samples.count)
            #expect(samples.map(\.id) == SampleAlerts.all().map(\.id))
            #expect(samples.allSatisfy { !$0.reasons.isEmpty && !$0.evidence.isEmpty && $0.principalID != nil })
            #expect(samples.allSatisfy { $0.severity == $0.kind.defaultSeverity })
        }

        @Test("French samples carry French words and reasons")
        func french() {
            let english = SampleAlerts.all(language: .en)
            let french = SampleAlerts.all(language: .fr)
            for (en, fr) in zip(english, french) {
                #expect(en.id == fr.id)
                #expect(en.description != fr.description)
                #expect(en.reasons != fr.reasons)
            }
        }

        @Test("every sample is valid JSON ending with the sample flag")
        func json() throws {
            for sample in SampleAlerts.all() {
                let line = AlertJSON.line(for: sample)
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                #expect(object["sample"] as? Bool == true)
                #expect(object["kind"] as? String == sample.kind.rawValue)
            }
        }
    }
}
