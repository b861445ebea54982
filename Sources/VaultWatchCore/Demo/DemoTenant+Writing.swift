#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension DemoTenant {
    /// Writes the tenant as Azure's storage export writes it: one
    /// `resourceId=/SUBSCRIPTIONS/…/VAULTS/NAME/y=YYYY/m=MM/d=DD/h=HH/m=00/PT1H.json` blob per
    /// vault and hour that has records, JSON lines in time order, under `directory`.
    /// Existing blobs of the same hours are replaced; nothing else in the directory is touched.
    /// - Throws: `DemoWriteError` naming the path.
    @discardableResult
    public func write(to directory: String) throws -> DemoWriteSummary {
        let root = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        var summary = DemoWriteSummary(
            files: 0, records: 0, bytes: 0, days: dayCount, firstDay: String(DemoText.wholeSecondTimestamp(dayStart(0)).prefix(10)),
            attackDay: attackDate)
        var createdDirectories: Set<String> = []
        try Self.makeDirectory(root, created: &createdDirectories)
        for day in 0..<dayCount {
            var blobs: [String: [UInt8]] = [:]
            var order: [String] = []
            for record in records(onDay: day) {
                let path = record.blobPath
                if blobs[path] == nil { order.append(path) }
                blobs[path, default: []].append(contentsOf: record.line)
                blobs[path, default: []].append(0x0A)
                summary.records += 1
            }
            for path in order {
                let bytes = blobs[path] ?? []
                let fullPath = root + "/" + path
                if let slash = fullPath.lastIndex(of: "/") {
                    try Self.makeDirectory(String(fullPath[..<slash]), created: &createdDirectories)
                }
                try Self.writeFile(fullPath, bytes)
                summary.files += 1
                summary.bytes += bytes.count
            }
        }
        return summary
    }

    /// `mkdir -p`.
    private static func makeDirectory(_ path: String, created: inout Set<String>) throws {
        guard !path.isEmpty, !created.contains(path) else { return }
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try makeDirectory(String(path[..<slash]), created: &created)
        }
        if mkdir(path, 0o755) != 0, errno != EEXIST {
            throw DemoWriteError(path: path, reason: String(cString: strerror(errno)))
        }
        created.insert(path)
    }

    private static func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw DemoWriteError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var offset = 0
        try bytes.withUnsafeBytes { buffer in
            while offset < buffer.count, let base = buffer.baseAddress {
                let written = systemWrite(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw DemoWriteError(path: path, reason: String(cString: strerror(errno)))
                }
                offset += written
            }
        }
    }
}

/// `write(2)`, named apart from `DemoTenant.write(to:)`.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
