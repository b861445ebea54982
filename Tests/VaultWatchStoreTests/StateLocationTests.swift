import Testing
@testable import VaultWatchStore

@Test func stateDirectoryPrefersXDGStateHome() {
    #expect(StateLocation.defaultFile(environment: ["XDG_STATE_HOME": "/x", "HOME": "/h"]) == "/x/vaultwatch/state.sqlite")
    #expect(StateLocation.defaultFile(environment: ["HOME": "/h"]) == "/h/.local/state/vaultwatch/state.sqlite")
}
