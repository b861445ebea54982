extension Detector {
    /// What the baselines know about `entity`, for its page in the dashboard.
    /// - Complexity: one pass over the baselines' pairs, applications and ranges; called when
    ///   an analyst opens a page (and every few seconds while it is open), never per event.
    public func profile(of entity: EntityReference) -> EntityProfile {
        baseline.profile(of: entity)
    }
}
