/// The whole demo tenant as a value: its vaults, applications, identities, background
/// routines and the stories of its attack day. `DemoScenario.standard` is the one shipped
/// (and described in `demo-data/README.md`); `DemoTenant` turns a scenario and a seed into records.
public struct DemoScenario: Sendable {
    public var organization: String
    public var tenantID: String
    /// The attack day (UTC date); the history is the days just before it.
    public var attackYear: Int
    public var attackMonth: Int
    public var attackDay: Int
    public var vaults: [DemoVault]
    public var applications: [DemoApplication]
    public var identities: [DemoIdentity]
    public var routines: [DemoRoutine]
    public var stories: [DemoStory]

    public init(
        organization: String, tenantID: String, attackYear: Int, attackMonth: Int, attackDay: Int, vaults: [DemoVault],
        applications: [DemoApplication], identities: [DemoIdentity], routines: [DemoRoutine], stories: [DemoStory]
    ) {
        self.organization = organization
        self.tenantID = tenantID
        self.attackYear = attackYear
        self.attackMonth = attackMonth
        self.attackDay = attackDay
        self.vaults = vaults
        self.applications = applications
        self.identities = identities
        self.routines = routines
        self.stories = stories
    }

    public func vault(_ name: String) -> DemoVault? { vaults.first { $0.name == name } }
    public func application(_ key: String) -> DemoApplication? { applications.first { $0.key == key } }
    public func identity(_ key: String) -> DemoIdentity? { identities.first { $0.key == key } }

    /// Names that a routine or story uses but the scenario does not define; empty for a
    /// consistent scenario (a test checks the standard one).
    public var undefinedReferences: [String] {
        var missing: [String] = []
        func check(identity: String, application: String, vault: String, operations: [DemoOperation], context: String) {
            if self.identity(identity) == nil { missing.append("\(context): identity \(identity)") }
            if self.application(application) == nil { missing.append("\(context): application \(application)") }
            if self.vault(vault) == nil { missing.append("\(context): vault \(vault)") }
            for case .vaultPut(let granted) in operations where self.identity(granted) == nil {
                missing.append("\(context): granted identity \(granted)")
            }
        }
        for routine in routines {
            check(identity: routine.identity, application: routine.application, vault: routine.vault,
                  operations: routine.operations, context: "routine \(routine.identity)@\(routine.vault)")
        }
        for story in stories {
            for step in story.steps {
                check(identity: step.identity, application: step.application, vault: step.vault,
                      operations: step.operations, context: "story \(story.title)")
            }
            for expectation in story.raises + story.mayAlsoRaise {
                if let vault = expectation.vault, self.vault(vault) == nil { missing.append("story \(story.title): vault \(vault)") }
                if let principal = expectation.principal, identity(principal) == nil {
                    missing.append("story \(story.title): principal \(principal)")
                }
            }
        }
        return missing
    }
}
