extension BehaviourBaseline {
    /// A principal's hour on a vault being counted (in-order events), judged when the hour closes
    /// against the principal's usual burst there (`BurstHistory`).
    ///
    /// Two limits, both known when the hour opens: `threshold`, three times its usual burst by
    /// default, and `ceiling`, the higher limit of an hour that touched no more distinct objects
    /// than its busiest hours (more replicas of its usual load: `BurstHistory.replicaCeiling`).
    /// Which of them applies is known only when the hour closes, its distinct objects complete.
    /// An hour of more replicas within the ceiling is the principal's habit; above it, the hour
    /// is reported as any hour above the threshold is (the same numbers and the same call, the one
    /// that took the count over the threshold). The verdict is `BurstHistory.limit`'s, the one a
    /// closed hour reopened by late records gets too (`HourCallers`), so its alert does not
    /// depend on whether its records came in order.
    struct OpenPairHour {
        var count: Int
        /// The principal's usual burst on the vault when the hour opened.
        var band: VolumeBand?
        var threshold: Int
        /// The limit of an hour of more replicas of the usual load (at least `threshold`; equal
        /// to it for an hour restored from a state saved before format 11, which did not count
        /// its objects).
        var ceiling: Int
        /// The call that took the count over `threshold` (armed detector only).
        var crossing: AuditEvent?
        /// The distinct objects touched in the hour.
        var objects = HourObjects()
        /// A listing of the principal that raised `KV_ListGetAnomaly` was open in the hour (it was
        /// open when the hour opened, or it alerted in it: `BehaviourBaseline.settle`): the hour
        /// teaches its size, not its objects. Kept here, not read from the open listing at the
        /// close: a second listing in the hour replaces the sequence and its mark.
        var listingAlerted = false

        /// The hour's limits for a principal whose usual burst is `band` (nil: no history).
        init(band: VolumeBand?, settings: BehaviourSettings.OperationVolume) {
            let threshold = band?.threshold ?? settings.principalMinimum
            self.init(
                count: 0, band: band, threshold: threshold,
                ceiling: BurstHistory.replicaCeiling(band: band, threshold: threshold, settings: settings))
        }

        init(
            count: Int, band: VolumeBand?, threshold: Int, ceiling: Int, crossing: AuditEvent? = nil, objects: HourObjects = HourObjects(),
            listingAlerted: Bool = false
        ) {
            self.count = count
            self.band = band
            self.threshold = threshold
            self.ceiling = ceiling
            self.crossing = crossing
            self.objects = objects
            self.listingAlerted = listingAlerted
        }

        mutating func add(_ event: AuditEvent, armed: Bool) {
            count += 1
            objects.insert(event.objectName)
            if count == threshold + 1, armed { crossing = event }
        }

        /// Whether the closed hour is more replicas of the principal's usual load, its usual
        /// distinct objects in an hour being `usualObjects` (`BurstHistory.usualObjects`) and
        /// `newObjects` of the hour's objects not among those it usually touches
        /// (`ObjectFingerprint`): then it is held to `ceiling`, and within it is the principal's habit.
        func isReplicas(usualObjects: Int, newObjects: Int) -> Bool {
            limit(usualObjects: usualObjects, newObjects: newObjects) > threshold
        }

        /// The most calls the hour holds within the principal's habit (`BurstHistory.limit`).
        func limit(usualObjects: Int, newObjects: Int) -> Int {
            BurstHistory.limit(threshold: threshold, ceiling: ceiling, objects: objects.count, newObjects: newObjects, usualObjects: usualObjects)
        }

        /// The call to report the closed hour with (nil: within its limit).
        func alertingCall(usualObjects: Int, newObjects: Int) -> AuditEvent? {
            guard let crossing, count > limit(usualObjects: usualObjects, newObjects: newObjects) else { return nil }
            return crossing
        }
    }
}
