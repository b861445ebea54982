/// Where the first delivery of each record a hunt listed was read, for `hunt --deliveries`: a
/// repeat is listed at its own file and line, marked with its first delivery's.
///
/// It decides nothing: what is a repeat is `RecordIdentities`' answer, the one recognition
/// `detect`, the dashboard and `hunt` share. It only remembers, by the same identity (the
/// record's time to the tick and its digest, `AuditEvent.identity`), where the records the
/// query matched were first read, so a repeat of one of them can name it; a repeat of a record
/// the query did not match finds nothing here and is not listed (filters apply to the record).
/// What `RecordIdentities` forgets (tables behind its window, or beyond its capacity) is forgotten
/// here too, so memory is bounded by the matches within the window (what was taken in the last 48
/// to 49 hours of the stream's time).
public struct FirstDeliveries: Sendable {
    private struct Key: Hashable {
        var time: Int64
        var digest: UInt64
    }

    /// By hour of event time.
    private var hours: [Int32: [Key: RecordLocation]] = [:]
    /// `RecordIdentities.forgettings` when last looked at.
    private var forgettings = 0

    public init() {}

    /// Remembers where `event`, a first delivery (`RecordIdentities.isRepeat` said no), was read;
    /// a record without an identity is never repeated, and is not kept.
    /// - Parameter identities: the window that has just taken `event`: what it no longer keeps is forgotten.
    public mutating func remember(_ event: AuditEvent, within identities: RecordIdentities) {
        if identities.forgettings != forgettings {
            forgettings = identities.forgettings
            hours = hours.filter { identities.keeps(hour: $0.key) }
        }
        guard event.identity != 0 else { return }
        hours[event.time.hourNumber, default: [:]][Key(time: event.time.ticks, digest: event.identity)] = event.location
    }

    /// Where the first delivery of `event`, a repeat (`RecordIdentities.isRepeat` said yes), was
    /// read; nil when that first delivery was not remembered (the query did not match it).
    public func firstDelivery(of event: AuditEvent) -> RecordLocation? {
        hours[event.time.hourNumber]?[Key(time: event.time.ticks, digest: event.identity)]
    }

    /// How many first deliveries are remembered.
    public var count: Int { hours.values.reduce(0) { $0 + $1.count } }
}
