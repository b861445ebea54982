import Foundation
@testable import VaultWatchCore

/// Reads `text` through a fresh `SourceReader`, in chunks of `chunkSize` bytes, then finishes.
func readAll(_ text: String, chunkSize: Int = .max, symbols: SymbolTable = SymbolTable(), source: String = "test.jsonl") -> EventBatch {
    readAll(Array(text.utf8), chunkSize: chunkSize, symbols: symbols, source: source)
}

func readAll(_ bytes: [UInt8], chunkSize: Int = .max, symbols: SymbolTable = SymbolTable(), source: String = "test.jsonl") -> EventBatch {
    var reader = SourceReader(sourceName: source, symbols: symbols)
    var batch = EventBatch()
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let end = min(buffer.count, offset + max(1, chunkSize))
            reader.consume(UnsafeRawBufferPointer(rebasing: buffer[offset..<end]), into: &batch)
            offset = end
        }
    }
    reader.finish(into: &batch)
    return batch
}

/// An event's fields as plain strings, for comparisons across input shapes (without its location).
struct EventFields: Hashable, CustomStringConvertible {
    var time: String
    var vault: String?
    var operation: String?
    var principalID: String?
    var upn: String?
    var appID: String?
    var callerIP: String?
    var httpStatusCode: UInt16
    var outcome: Outcome
    var objectKind: ObjectKind
    var objectName: String?
    var clientInfo: String?
    var grantedPrincipalID: String?
    var durationMs: UInt32

    init(_ event: AuditEvent, _ symbols: SymbolTable) {
        time = event.time.iso8601
        vault = symbols.string(event.vault)
        operation = symbols.string(event.operation)
        principalID = symbols.string(event.principalID)
        upn = symbols.string(event.upn)
        appID = symbols.string(event.appID)
        callerIP = event.callerIP?.description
        httpStatusCode = event.httpStatusCode
        outcome = event.outcome
        objectKind = event.objectKind
        objectName = symbols.string(event.objectName)
        clientInfo = symbols.string(event.clientInfo)
        grantedPrincipalID = symbols.string(event.grantedPrincipalID)
        durationMs = event.durationMs
    }

    var description: String {
        "\(time) \(vault ?? "-") \(operation ?? "-") \(principalID ?? "-") \(upn ?? "-") \(appID ?? "-") \(callerIP ?? "-") \(httpStatusCode) \(outcome) \(objectKind) \(objectName ?? "-")"
    }
}
