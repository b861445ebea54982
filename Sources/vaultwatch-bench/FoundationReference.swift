import Foundation

/// The reference the decoder is measured against: Foundation's `JSONDecoder` decoding the
/// same fields from the same records.
enum FoundationReference {
    struct Record: Decodable {
        struct Identity: Decodable {
            let claim: [String: ClaimValue]
        }
        /// Claims are mostly strings, sometimes arrays (`xms_az_nwperimid`).
        enum ClaimValue: Decodable {
            case string(String)
            case other
            init(from decoder: Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let text = try? container.decode(String.self) { self = .string(text) } else { self = .other }
            }
        }
        struct Properties: Decodable {
            let id: String?
            let clientInfo: String?
            let httpStatusCode: Int?
        }
        let time: String
        let resourceId: String
        let operationName: String
        let callerIpAddress: String?
        let resultSignature: String?
        let durationMs: String?
        let identity: Identity?
        let properties: Properties?
    }

    /// Decodes every line; returns the number of records decoded.
    static func decodeLines(_ bytes: [UInt8]) -> Int {
        let decoder = JSONDecoder()
        var count = 0
        var start = 0
        let data = Data(bytes)
        for index in bytes.indices where bytes[index] == 0x0A {
            if let _ = try? decoder.decode(Record.self, from: data[start..<index]) { count += 1 }
            start = index + 1
        }
        return count
    }
}
