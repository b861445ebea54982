#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VaultWatchCore
import VaultWatchFuzzing

/// Runs corpus files through a fuzz target without the fuzzer, to reproduce a finding or check
/// a corpus: prints each violated property with its file, then one summary line.
struct CorpusReplay {
    let target: FuzzTarget
    /// Also print what the parser reported for each input (`--messages`).
    var printsMessages = false

    /// Returns the exit status: 0 when every input kept every property, 1 otherwise.
    func run(paths: [String]) -> Int32 {
        var inputs = 0
        var rejected = 0
        var broken = 0
        for file in paths.flatMap(Self.files(at:)) {
            guard let bytes = Self.contents(of: file) else {
                FuzzDriver.printError("vaultwatch-fuzz: \(file): cannot read")
                return 1
            }
            let outcome = target.run(bytes)
            inputs += 1
            if !outcome.messages.isEmpty { rejected += 1 }
            if printsMessages {
                for message in outcome.messages { print("\(file): \(message)") }
            }
            if !outcome.violations.isEmpty {
                broken += 1
                for violation in outcome.violations { print("\(file): \(violation)") }
            }
        }
        print("vaultwatch-fuzz: \(target.rawValue): \(inputs) inputs, \(rejected) with problems reported, \(broken) breaking a property")
        return broken == 0 ? 0 : 1
    }

    /// A file, or the regular files directly inside a directory (sorted, so runs compare).
    static func files(at path: String) -> [String] {
        guard let directory = opendir(path) else { return [path] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = DirectoryEntry(entry).name
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted().map { "\(path)/\($0)" }
    }

    static func contents(of path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        return ferror(file) == 0 ? bytes : nil
    }
}
