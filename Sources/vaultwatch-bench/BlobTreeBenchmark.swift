import Foundation
import VaultWatchCore

/// What following a large blob tree costs between records (`--blob-tree-only`): on a tree of
/// `blobs` hourly blobs (10 vaults, Azure's layout), one directory scan of `detect --follow`
/// (every `directoryScanInterval`, 5 s by default) with nothing settled, a whole listing with
/// every blob settled (watched for late appends; one scan in `wholeListingEvery`), a scan between
/// whole listings (all but the newest day's hours forgotten, as a follow does 24 h behind the
/// newest blob), and the whole listing again with a tenth as many settled blobs gone from the
/// tree, which it finds and hands over (`takeGoneBlobs()`: what a state file forgets; before, a
/// `stat` of every saved blob at each save that wrote the checkpoint pack). Reference in the same run: a bare
/// walk of the tree that lists each directory and `stat`s each entry, the floor of any listing
/// that notices appends. CPU time of this thread, medians.
/// `VAULTWATCH_BENCH_BLOB_TREE` names a tree made earlier to measure instead (kept): making
/// 100,000 blobs in 400,000 directories takes minutes on a loaded machine.
func runBlobTreeBenchmark(blobs: Int, repetitions: Int) {
    let given = ProcessInfo.processInfo.environment["VAULTWATCH_BENCH_BLOB_TREE"]
    let root = given ?? FileManager.default.temporaryDirectory.appendingPathComponent("vaultwatch-bench-blobs-\(getpid())").path
    defer { if given == nil { try? FileManager.default.removeItem(atPath: root) } }
    let vaults = 10
    let hours = (blobs + vaults - 1) / vaults
    var paths: [String] = []
    paths.reserveCapacity(blobs)
    if given != nil {
        paths = (try? BlobDirectory(root: root).scan().map(\.path)) ?? []
    } else {
        let start = EventTime(year: 2025, month: 1, day: 1)
        var made: Set<String> = []
        for hour in 0..<hours {
            let text = (start + .hours(Int64(hour))).iso8601
            for vault in 0..<vaults where paths.count < blobs {
                let folder = root + "/resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/R/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV\(vault)"
                    + "/y=\(text.prefix(4))/m=\(text.dropFirst(5).prefix(2))/d=\(text.dropFirst(8).prefix(2))/h=\(text.dropFirst(11).prefix(2))/m=00"
                makeDirectories(folder, made: &made)
                let path = folder + "/PT1H.json"
                let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
                _ = write(fd, "{}\n", 3)
                close(fd)
                paths.append(path)
            }
        }
    }
    print("blob tree: \(paths.count) blobs in \(root), CPU seconds per operation, median of \(repetitions)")
    var listed = 0
    let reference = medianSeconds(repetitions: repetitions) { listed = bareWalk(root) }
    line("reference: list every directory, stat every entry", reference, "\(listed) files")

    var directory = BlobDirectory(root: root, wholeListingEvery: 1)
    _ = directory.scanForNewFiles()
    let scan = medianSeconds(repetitions: repetitions) { _ = directory.scanForNewFiles() }
    line("scan, nothing settled (a follow's scan before)", scan, ratio(scan, reference))

    let before = residentMiB()
    for path in paths {
        directory.settle(FileFollower.Checkpoint(
            path: path, device: 1, inode: 1, offset: 3, fingerprint: FileFingerprint(hash: 1, length: 3), modified: 0))
    }
    directory.forgetHours(before: Int.max)
    let settledMiB = residentMiB() - before
    // Every blob's time differs from the one settled: the first scan hands them all back; settle
    // them again with their real times so that the measured scans find nothing changed.
    _ = directory.scanForNewFiles()
    for (blob, checkpoint) in directory.takeChangedSettledBlobs() {
        var status = stat()
        stat(blob.path, &status)
        var settled = checkpoint
        settled.modified = Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
        directory.settle(settled)
    }
    let settledScan = medianSeconds(repetitions: repetitions) { _ = directory.scanForNewFiles() }
    line("whole listing, every blob settled (watched for late appends)", settledScan,
         ratio(settledScan, reference) + ", \(directory.settledCount) settled, \(directory.directoriesListed) folders, "
            + String(format: "%.1f MiB resident for them", settledMiB))

    // Between whole listings: the hours before the newest blob's last 24 forgotten.
    var between = BlobDirectory(root: root, wholeListingEvery: Int.max)
    let found = between.scanForNewFiles().files
    if let newest = found.compactMap(\.hour).max() { between.forgetHours(before: newest.hoursSinceEpoch - 24) }
    let betweenScan = medianSeconds(repetitions: repetitions) { _ = between.scanForNewFiles() }
    line("scan between whole listings (last 24 h followed)", betweenScan,
         ratio(betweenScan, reference) + ", \(between.directoriesListed) folders")

    // Retention deleted a tenth as many blobs as the tree holds: settled (as a follow leaves
    // them), the whole listing finds them gone (settled again before each listing, untimed).
    let goneBlobs = (0..<max(1, paths.count / 10)).map { index in
        FileFollower.Checkpoint(
            path: root + "/resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/R/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/GONE/y=2024/m=01/d=01/h=00/m=\(index)/PT1H.json",
            device: 1, inode: 1, offset: 3, fingerprint: FileFingerprint(hash: 1, length: 3), modified: 0)
    }
    var samples: [Double] = []
    var gone = 0
    for _ in 0..<repetitions {
        for checkpoint in goneBlobs { directory.settle(checkpoint) }
        let start = threadCPUSeconds()
        _ = directory.scanForNewFiles()
        gone = directory.takeGoneBlobs().count
        samples.append(threadCPUSeconds() - start)
    }
    let goneScan = samples.sorted()[samples.count / 2]
    line("whole listing, every blob settled, a tenth more gone", goneScan, ratio(goneScan, reference) + ", \(gone) found gone")
}

private func line(_ name: String, _ seconds: Double, _ note: String) {
    print("  " + name.padding(toLength: 58, withPad: " ", startingAt: 0) + String(format: "%8.3f s  ", seconds) + note)
}

private func ratio(_ seconds: Double, _ reference: Double) -> String { String(format: "%.2f× reference", seconds / reference) }

/// `mkdir -p`, remembering what it made.
private func makeDirectories(_ path: String, made: inout Set<String>) {
    guard !made.contains(path) else { return }
    if let slash = path.lastIndex(of: "/"), slash != path.startIndex { makeDirectories(String(path[..<slash]), made: &made) }
    mkdir(path, 0o755)
    made.insert(path)
}

/// Lists every directory under `path` and `stat`s every entry; returns the regular files.
private func bareWalk(_ path: String) -> Int {
    guard let stream = opendir(path) else { return 0 }
    var names: [String] = []
    while let entry = readdir(stream) {
        let listed = DirectoryEntry(entry)
        if !listed.isSelfOrParent { names.append(listed.name) }
    }
    closedir(stream)
    var files = 0
    for name in names {
        let child = path + "/" + name
        var status = stat()
        guard stat(child, &status) == 0 else { continue }
        if (status.st_mode & S_IFMT) == S_IFDIR { files += bareWalk(child) } else { files += 1 }
    }
    return files
}
