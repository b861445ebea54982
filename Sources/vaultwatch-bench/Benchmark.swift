import Foundation
import VaultWatchCore

/// Runs `body` `repetitions` times and returns the median CPU time of this thread, in
/// seconds. CPU time rather than wall time: it measures one core's work even when other
/// processes share the machine; medians, not means, because the machines are noisy.
func medianSeconds(repetitions: Int, _ body: () -> Void) -> Double {
    var samples: [Double] = []
    for _ in 0..<repetitions {
        let start = threadCPUSeconds()
        body()
        samples.append(threadCPUSeconds() - start)
    }
    samples.sort()
    return samples[samples.count / 2]
}

/// Runs `body` `repetitions` times and returns the medians of this process's CPU time (every
/// thread) and of wall time, in seconds: for work spread over threads.
func medianProcessSeconds(repetitions: Int, _ body: () -> Void) -> (cpu: Double, wall: Double) {
    var cpu: [Double] = []
    var wall: [Double] = []
    for _ in 0..<repetitions {
        let clock = ContinuousClock()
        let start = (processCPUSeconds(), clock.now)
        body()
        cpu.append(processCPUSeconds() - start.0)
        let elapsed = clock.now - start.1
        wall.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
    cpu.sort()
    wall.sort()
    return (cpu[cpu.count / 2], wall[wall.count / 2])
}

func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// Peak resident memory of this process so far (VmHWM), in MiB.
func peakResidentMiB() -> Double { memoryStatusMiB("VmHWM") }

/// Current resident memory of this process (VmRSS), in MiB.
func residentMiB() -> Double { memoryStatusMiB("VmRSS") }

/// One of /proc/self/status's memory fields (given in kB), in MiB; 0 where there is none.
private func memoryStatusMiB(_ field: String) -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
        return (line.split(separator: " ").compactMap { Double($0) }.first ?? 0) / 1024
    }
    return 0
}

/// One line of the results table.
struct Measurement {
    var name: String
    var records: Int
    var bytes: Int
    var seconds: Double

    var recordsPerSecond: Double { Double(records) / seconds }
    var megabytesPerSecond: Double { Double(bytes) / seconds / 1_048_576 }

    func row(reference: Measurement?) -> String {
        let ratio = reference.map { String(format: "%8.1f×", recordsPerSecond / $0.recordsPerSecond) } ?? "        -"
        return String(format: "%-38@ %12.0f %10.1f %@", name as NSString, recordsPerSecond, megabytesPerSecond, ratio)
    }
}
