import Foundation

/// Locations tests share: the repository root and, when present, the third-party samples in
/// `../shared/samples` (absent in a user's clone: tests that need them skip).
public enum TestPaths {
    public static var repositoryRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }

    public static var sharedSamples: URL? {
        let url = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/samples/azure-kv")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// A fresh temporary directory for one test.
    public static func temporaryDirectory(_ name: String = "vaultwatch-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
