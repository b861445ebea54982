import Testing
@testable import VaultWatchCore

/// `RecordField.withRawValue` reads a byte as the field it stores (the predicted members' fields,
/// `MemberPredictor`), without the synthesized switch: every byte must give what
/// `init(rawValue:)` gives.
struct RecordFieldTests {
    @Test
    func everyByteGivesTheFieldItsRawValueNames() {
        #expect(Int(RecordField.caseCount) == RecordField.allCases.count)
        for byte in UInt8.min...UInt8.max {
            #expect(RecordField.withRawValue(byte) == RecordField(rawValue: byte), "byte \(byte)")
        }
        for field in RecordField.allCases {
            #expect(RecordField.withRawValue(field.rawValue) == field)
        }
    }
}
