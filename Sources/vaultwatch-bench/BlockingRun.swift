import Dispatch

/// Runs `body` to its end from the bench's synchronous entry points: one detached task, waited
/// for on a semaphore (the one copy of this pattern every benchmark's entry point uses).
func runBlocking(_ body: @escaping @Sendable () async -> Void) {
    let semaphore = DispatchSemaphore(value: 0)
    Task.detached {
        await body()
        semaphore.signal()
    }
    semaphore.wait()
}
