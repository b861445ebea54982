extension BehaviourBaseline {
    /// Learns a principal's closed hour within its limit on the vault, on day `stamp`: its
    /// `count` calls into its usual bursts and, when they are known, the distinct `objects` it
    /// touched into its usual objects in an hour and its fingerprint (`learnObjects`). The one
    /// place that decides what an hour teaches, whether it closed in order (`closeHour`) or was
    /// judged again with its late records (`judgeReopenedHours`), so an hour teaches the same
    /// however its records arrived, as far as its objects are known: a late hour knows them for a
    /// caller kept as more replicas of its usual load (`HourCallers.Replicas`, its objects in order
    /// and late), not for the others, which teach their size only. An hour in which a listing that
    /// raised `KV_ListGetAnomaly` was open (`listingAlerted`: `OpenPairHour.listingAlerted` in order,
    /// `HourCallers.Replicas.listingAlerted` late) teaches its size, not its objects: its mass read
    /// would otherwise become the principal's usual distinct objects, and the intruder's next
    /// hour, as many objects again, more replicas.
    mutating func learnHour(pairAt index: Int, key: SymbolPair, count: Int, objects: HourObjects?, listingAlerted: Bool, on stamp: UInt16) {
        let objects = listingAlerted ? nil : objects
        pairs[at: index].bursts.observe(count: count, objects: objects?.count, day: stamp, settings: settings)
        if let objects { learnObjects(objects, pair: key, count: count, on: stamp) }
    }

    /// Learns the objects of a pair's closed hour of `count` calls on day `stamp` into its
    /// fingerprint (`ObjectFingerprint`), which the pair gets at its first learned hour of more
    /// than `principal_minimum / replica_ratio` calls.
    ///
    /// Why only those pairs: an hour is held to the ceiling of more replicas only when that
    /// ceiling, `replica_ratio` times the usual burst, is above the threshold, never below
    /// `principal_minimum`; a usual burst is a median of busiest hours, so a pair whose hours
    /// never went above `principal_minimum / replica_ratio` calls (a dozen by default) is never
    /// judged as replicas, and the many principals calling a few times a day keep no fingerprint.
    /// Once it has one, every learned hour of the pair teaches its objects.
    mutating func learnObjects(_ objects: HourObjects, pair key: SymbolPair, count: Int, on stamp: UInt16) {
        guard objects.count > 0 else { return }
        let volume = settings.operationVolume
        guard objectFingerprints[key] != nil || Double(count) * volume.replicaRatio > Double(volume.principalMinimum) else { return }
        let period = BurstHistory.period(of: stamp, windowDays: settings.windowDays)
        let symbols = symbols
        objectFingerprints[key, default: ObjectFingerprint()].learn(
            objects.objects.lazy.compactMap { symbols.string($0).map(ObjectFingerprint.hash(of:)) }, at: period)
    }

    /// How many of `objects` (a pair's hour on day `stamp`) are not among the objects its learned
    /// hours touched, when that can change the verdict (`BurstHistory.isUsualLoad`: no more objects
    /// than `usual` allows); 0 otherwise, and for a pair with no fingerprint: one restored from a
    /// state saved before format 14 is judged by its number of objects, as the detector that
    /// saved it judged.
    func newObjects(of objects: HourObjects, pair key: SymbolPair, usual: Int, on stamp: UInt16) -> Int {
        guard usual > 0, objects.count <= usual + usual / 4, let isUsual = usualObjectTest(pair: key, on: stamp) else { return 0 }
        return objects.objects.count { !isUsual($0) }
    }

    /// What the objects of a principal's closing hour said about its limit, for its alert's reasons
    /// (`HourReports.ReplicaVerdict`; nil when they could not change it: no ceiling above its
    /// threshold, or no objects known). Every object of the hour is tested, not only as many as
    /// decide (`newObjects`): the reasons give the whole hour's count.
    func replicaVerdict(
        of objects: HourObjects, pair key: SymbolPair, ceiling: Int, threshold: Int, usualObjects: Int, on stamp: UInt16
    ) -> HourReports.ReplicaVerdict? {
        guard ceiling > threshold, usualObjects > 0 else { return nil }
        return HourReports.ReplicaVerdict(
            ceiling: ceiling, usualObjects: usualObjects, objects: objects.count, newObjects: newObjectCount(of: objects, pair: key, on: stamp))
    }

    /// How many of `objects` (a pair's hour on day `stamp`) are not among the objects its learned
    /// hours touched, every one tested (nil: the pair keeps no fingerprint).
    func newObjectCount(of objects: HourObjects, pair key: SymbolPair, on stamp: UInt16) -> Int? {
        usualObjectTest(pair: key, on: stamp).map { isUsual in objects.objects.count { !isUsual($0) } }
    }

    /// The same for a closed hour's caller whose late records took it over its limit: what its
    /// hour's objects, in order and late, said (`HourCallers.Replicas`).
    func replicaVerdict(of replicas: HourCallers.Replicas?, pair key: SymbolPair, on stamp: UInt16) -> HourReports.ReplicaVerdict? {
        guard let replicas, replicas.usualObjects > 0 else { return nil }
        return HourReports.ReplicaVerdict(
            ceiling: replicas.ceiling, usualObjects: replicas.usualObjects, objects: replicas.objects.count,
            newObjects: usualObjectTest(pair: key, on: stamp) == nil ? nil : replicas.newObjects)
    }

    /// Whether an object is among those the pair's learned hours touched (nil: the pair keeps no
    /// fingerprint). The test holds a copy of the fingerprint, not the baseline: late records
    /// use it while the closed hours they count in change. An object whose name the symbol table
    /// no longer holds (`SymbolTable.string`) cannot be told: it counts as usual, as an object
    /// counted by number only.
    func usualObjectTest(pair key: SymbolPair, on stamp: UInt16) -> ((Symbol) -> Bool)? {
        guard let fingerprint = objectFingerprints[key] else { return nil }
        let period = BurstHistory.period(of: stamp, windowDays: settings.windowDays)
        let symbols = symbols
        return { object in symbols.string(object).map { fingerprint.contains(ObjectFingerprint.hash(of: $0), at: period) } ?? true }
    }
}
