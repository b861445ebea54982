/// The records of a `DemoTenant`, in time order, a day generated at a time.
public struct DemoRecordSequence: Sequence, Sendable {
    let tenant: DemoTenant
    /// The first day read (0 is the first day of history).
    let firstDay: Int

    public struct Iterator: IteratorProtocol {
        let tenant: DemoTenant
        var day = 0
        var buffer: [DemoRecord] = []
        var position = 0

        public mutating func next() -> DemoRecord? {
            while position == buffer.count {
                guard day < tenant.dayCount else { return nil }
                buffer = tenant.records(onDay: day)
                position = 0
                day += 1
            }
            defer { position += 1 }
            return buffer[position]
        }
    }

    public func makeIterator() -> Iterator { Iterator(tenant: tenant, day: firstDay) }
}
