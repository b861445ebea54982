import Testing
import VaultWatchCore

/// `[clock]` in the configuration file: the limits of plausible record times.
struct ClockConfigurationTests {
    private func parse(_ text: String) throws(ConfigurationError) -> DetectorConfiguration {
        try ConfigurationFile.parse(text, file: "clock.toml", over: DetectorConfiguration())
    }

    @Test func defaultsAreADayAheadAWeekOfJumpAndTheBaselineWindowOfLag() throws {
        let configuration = try parse("")
        #expect(configuration.clock == ClockLimits(maximumAhead: .hours(24), maximumJump: .days(7), maximumLag: .days(30)))
        #expect(try parse("window_days = 45").clock.maximumLag == .days(45))
    }

    @Test func bothLimitsCanBeSet() throws {
        let configuration = try parse("window_days = 45\n[clock]\nmax_ahead_hours = 2\nmax_jump_days = 3\nmax_lag_days = 10\n")
        #expect(configuration.clock == ClockLimits(maximumAhead: .hours(2), maximumJump: .days(3), maximumLag: .days(10)))
    }

    @Test func aBadValueOrKeyNamesItsLine() {
        #expect(throws: ConfigurationError.self) { try parse("[clock]\nmax_jump_days = 0\n") }
        do {
            _ = try parse("learning_days = 7\n[clock]\nmax_jump = 3\n")
            Issue.record("an unknown key was accepted")
        } catch {
            #expect(error.description.hasPrefix("clock.toml:3: unknown key clock.max_jump"))
        }
    }
}
