/// The attack day's stories played by another tenant's cast: the same sixteen attack shapes
/// (one mechanism for the stories), with the identities, applications, vaults and objects of
/// that tenant. A tenant whose cast keeps each role's habit (the developer who never used the
/// payments vault, the pipeline that never lists) must raise the same required alerts.
extension DemoStory {
    /// The story with every name in `names` replaced (identity and application keys, vault
    /// names, object names, the identity an access change grants); names not in it are kept.
    /// The narrative is the original tenant's and is kept as it is.
    public func recast(_ names: [String: String]) -> DemoStory {
        func name(_ value: String) -> String { names[value] ?? value }
        var story = self
        story.steps = steps.map { step in
            var step = step
            step.identity = name(step.identity)
            step.application = name(step.application)
            step.vault = name(step.vault)
            step.operations = step.operations.map { $0.recast(names) }
            return step
        }
        func recast(_ expectation: DemoExpectation) -> DemoExpectation {
            DemoExpectation(expectation.kind, vault: expectation.vault.map(name), principal: expectation.principal.map(name))
        }
        story.raises = raises.map(recast)
        story.mayAlsoRaise = mayAlsoRaise.map(recast)
        return story
    }
}
