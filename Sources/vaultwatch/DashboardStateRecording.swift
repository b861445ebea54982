import Synchronization
import VaultWatchCore
import VaultWatchStore

/// `watch`'s state saving: the dashboard feed reports each processed batch here and it goes to
/// a `DetectionRecorder`, exactly as in `detect --state` (one transaction per save with the
/// checkpoints, the alerts and the baselines). A failed save is loud: saving stops, the
/// dashboard is asked to quit (`hasFailed`), and the session reports `failure` once the
/// terminal is restored; what earlier saves stored stays whole.
///
/// - Important: `@unchecked Sendable` because the recorder is a mutable value: the feed calls
///   `processed` and `finished` from its one task, each awaited before the next, so the
///   recorder is never used by two tasks at once. `hasFailed` is atomic for the UI thread.
final class DashboardStateRecording: DetectionProgressRecorder, @unchecked Sendable {
    private var recorder: DetectionRecorder
    private let detector: Detector
    private var storedFailure: StoreError?
    private let failed = Atomic<Bool>(false)

    init(recorder: DetectionRecorder, detector: Detector) {
        self.recorder = recorder
        self.detector = detector
    }

    /// True once a save failed: the dashboard should stop.
    var hasFailed: Bool { failed.load(ordering: .acquiring) }

    /// Why saving stopped; read after the feed has ended.
    var failure: StoreError? { storedFailure }

    func beforeProcessing(_ batch: EventBatch) async {
        guard storedFailure == nil else { return }
        do {
            try await recorder.beforeProcessing(batch, by: detector)
        } catch {
            fail(error)
        }
    }

    func processed(_ batch: EventBatch, touched: [Alert]) async {
        guard storedFailure == nil else { return }
        do {
            try await recorder.processed(batch, touched: touched, by: detector)
        } catch {
            fail(error)
        }
    }

    func finish(_ detector: Detector) async -> [Alert] {
        guard storedFailure == nil else { return await detector.finish() }
        do {
            return try await recorder.finish(detector)
        } catch {
            fail(error)
            return await detector.finish()
        }
    }

    private func fail(_ error: StoreError) {
        storedFailure = error
        failed.store(true, ordering: .releasing)
    }
}
