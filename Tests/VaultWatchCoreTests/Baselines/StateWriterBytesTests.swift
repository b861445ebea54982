import Foundation
import Testing
@testable import VaultWatchCore

/// `StateWriter` writes through its storage's pointer, a value at a time: held to the bytes a
/// writer appending one byte at a time to an array writes (LEB128 varints, zigzag, little-endian
/// words and doubles, names once then by number), over random sequences of every kind of value,
/// from every small starting room (each growth of the storage crossed).
@Suite("The state writer's bytes")
struct StateWriterBytesTests {
    /// The bytes as written byte by byte, the form the saved state's reader reads.
    struct Reference {
        var bytes: [UInt8] = []
        var names: [String: Int] = [:]

        mutating func unsigned(_ value: UInt64) {
            var value = value
            while value >= 0x80 {
                bytes.append(UInt8(value & 0x7F) | 0x80)
                value >>= 7
            }
            bytes.append(UInt8(value))
        }

        mutating func signed(_ value: Int64) {
            unsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
        }

        mutating func word(_ value: UInt64) {
            for index in 0..<8 { bytes.append(UInt8((value >> (8 * UInt64(index))) & 0xFF)) }
        }

        mutating func name(_ text: String) {
            guard !text.isEmpty else { return unsigned(0) }
            if let number = names[text] { return unsigned(UInt64(number) + 2) }
            names[text] = names.count
            unsigned(1)
            unsigned(UInt64(text.utf8.count))
            bytes += Array(text.utf8)
        }
    }

    /// A value of every magnitude: each varint length, its edges most often.
    static func value(_ random: inout SeededRandom) -> UInt64 {
        let bits = Int.random(in: 0...64, using: &random)
        let edge: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) &- 1
        switch Int.random(in: 0..<4, using: &random) {
        case 0: return edge
        case 1: return edge &+ 1
        default: return bits == 0 ? 0 : UInt64.random(in: 0...edge, using: &random)
        }
    }

    @Test("2,000 random sequences of values, from rooms of 0 to 40 bytes, as written byte by byte")
    func sameBytesAsByteByByte() {
        var random = SeededRandom(seed: 11)
        let names = ["kv-orders", "a", "3fa85f64-5717-4562-b3fc-2c963f66afa6", "", "é-vault", String(repeating: "x", count: 300)]
        for round in 0..<2_000 {
            var writer = StateWriter(capacity: round % 41)
            var reference = Reference()
            for _ in 0..<Int.random(in: 0..<200, using: &random) {
                switch Int.random(in: 0..<8, using: &random) {
                case 0, 1:
                    let value = Self.value(&random)
                    writer.unsigned(value)
                    reference.unsigned(value)
                case 2:
                    let value = Int64(bitPattern: Self.value(&random))
                    writer.signed(value)
                    reference.signed(value)
                case 3:
                    let value = Bool.random(using: &random)
                    writer.bool(value)
                    reference.bytes.append(value ? 1 : 0)
                case 4:
                    let value = Self.value(&random)
                    writer.word(value)
                    reference.word(value)
                case 5:
                    let value = Double(bitPattern: Self.value(&random))
                    writer.double(value)
                    reference.word(value.bitPattern)
                case 6:
                    let bytes = (0..<Int.random(in: 0..<70, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                    if Bool.random(using: &random) {
                        writer.raw(bytes)
                    } else {
                        writer.counted(bytes)
                        reference.unsigned(UInt64(bytes.count))
                    }
                    reference.bytes += bytes
                default:
                    let name = names.randomElement(using: &random) ?? ""
                    writer.name(name)
                    reference.name(name)
                }
            }
            #expect(writer.count == reference.bytes.count, "round \(round)")
            #expect(writer.bytes == reference.bytes, "round \(round)")
            let taken = writer.takeBytes()
            #expect(taken == reference.bytes, "round \(round)")
            #expect(writer.count == 0 && writer.bytes.isEmpty, "round \(round): a writer whose bytes were taken is empty")
        }
    }

    @Test("what the state's reader reads back: every varint length and its edges")
    func readBack() throws {
        var random = SeededRandom(seed: 12)
        var writer = StateWriter(capacity: 0)
        var values: [UInt64] = []
        for _ in 0..<5_000 {
            let value = Self.value(&random)
            values.append(value)
            writer.unsigned(value)
        }
        var reader = StateReader(writer.takeBytes())
        for value in values { #expect(try reader.unsigned() == value) }
        #expect(reader.isAtEnd)
    }
}
