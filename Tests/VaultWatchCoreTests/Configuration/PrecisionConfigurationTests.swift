import Foundation
import Testing
@testable import VaultWatchCore

/// The precision keys of the configuration: time zones, routine sensitive operations, provider blocks.
@Suite("Configuration: time zones and habits")
struct PrecisionConfigurationTests {
    func parse(_ text: String) throws(ConfigurationError) -> DetectorConfiguration {
        try ConfigurationFile.parse(text, file: "vw.toml", over: DetectorConfiguration())
    }

    @Test("timezone, [timezones] patterns (first match wins), routine_days, familiar_block_ranges, dynamic_range_days, roaming_blocks, infer_timezone")
    func values() throws {
        let configuration = try parse("""
            timezone = "Europe/Paris"
            infer_timezone = false

            [timezones]
            "kv-au-*" = "Australia/Sydney"
            "kv-*" = "America/New_York"

            [rules.KV_SensitiveOperation]
            routine_days = 2

            [rules.KV_UnusualAccessSuspiciousIP]
            familiar_block_ranges = 4
            dynamic_range_days = 1
            roaming_blocks = 6

            [rules.KV_PutGetAnomaly]
            routine_days = 0
            """)
        let settings = configuration.effectiveBehaviour
        #expect(settings.sensitiveOperation.routineDays == 2)
        #expect(settings.unusualIP.familiarBlockRanges == 4)
        #expect(settings.unusualIP.dynamicRangeDays == 1 && BehaviourSettings().unusualIP.dynamicRangeDays == 2)
        #expect(!settings.timeZones.infersFromRhythm)
        #expect(settings.timeZones.clock(forVault: "KV-AU-Orders")?.label == "Australia/Sydney")
        #expect(settings.timeZones.clock(forVault: "kv-web")?.label == "America/New_York")
        #expect(settings.timeZones.clock(forVault: "payments")?.label == "Europe/Paris")
        #expect(BehaviourSettings().timeZones.clock(forVault: "payments") == nil)
        #expect(BehaviourSettings().sensitiveOperation.routineDays == 3)
        #expect(settings.unusualIP.roamingBlocks == 6 && BehaviourSettings().unusualIP.roamingBlocks == 3)
        #expect(settings.putGet.routineDays == 0 && BehaviourSettings().putGet.routineDays == 3)
    }

    @Test("an unknown zone name and out-of-range values are errors at their line")
    func errors() {
        func message(_ text: String) -> String? {
            do {
                _ = try parse(text)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(message("learning_days = 7\ntimezone = \"Mars/Olympus\"\n")?.hasPrefix("vw.toml:2: timezone: \"Mars/Olympus\" is not an IANA time zone name") == true)
        #expect(message("[rules.KV_SensitiveOperation]\nroutine_days = 9\n")?.contains("routine_days must be between 0 and 4") == true)
        #expect(message("[rules.KV_UnusualAccessSuspiciousIP]\ndynamic_range_days = 255\n")?.contains("dynamic_range_days must be between 0 and 100") == true)
        #expect(message("[rules.KV_UnusualAccessSuspiciousIP]\nroaming_blocks = 300\n")?.contains("roaming_blocks must be between 0 and 255") == true)
        #expect(message("[rules.KV_PutGetAnomaly]\nroutine_days = 5\n")?.contains("routine_days must be between 0 and 4") == true)
        #expect(message("timezones = 3\n")?.contains("timezones must be a table") == true)
    }

    @Test("memory_days: 90 by default, never shorter than the window; shorter than window_days is an error at its line")
    func memoryDays() throws {
        #expect(DetectorConfiguration().effectiveBehaviour.rememberedDays == 90)
        #expect(try parse("window_days = 20\nmemory_days = 45\n").effectiveBehaviour.rememberedDays == 45)
        // A window longer than the default memory: the memory follows it.
        #expect(try parse("window_days = 120\n").effectiveBehaviour.rememberedDays == 120)
        do {
            _ = try parse("window_days = 30\nmemory_days = 20\n")
            Issue.record("memory_days below window_days was accepted")
        } catch {
            #expect(error.description == "vw.toml:2: memory_days (20) cannot be less than window_days (30)", "\(error)")
        }
    }

    @Test("a local clock reads Sydney's Monday 09:00 from Sunday 23:00 UTC, across daylight saving")
    func localClock() throws {
        let sydney = LocalClock(source: .configured(try #require(TimeZone(identifier: "Australia/Sydney"))))
        // 2026-03-01 (Sunday) 23:00 UTC = Monday 10:00 AEDT (UTC+11).
        let summer = EventTime(year: 2026, month: 3, day: 1, hour: 23).hourNumber
        #expect(sydney.weekday(ofHour: summer) == 1 && sydney.hourOfDay(summer) == 10)
        // 2026-06-07 (Sunday) 23:00 UTC = Monday 09:00 AEST (UTC+10).
        let winter = EventTime(year: 2026, month: 6, day: 7, hour: 23).hourNumber
        #expect(sydney.weekday(ofHour: winter) == 1 && sydney.hourOfDay(winter) == 9)
        #expect(sydney.utcHour(ofLocal: sydney.localHour(winter)) == winter)
        #expect(!sydney.isWeekend(hour: winter) && HourCalendar.isWeekend(hour: winter))
        #expect(TimeZoneSettings.matches("kv-au-orders", pattern: "kv-*-orders"))
        #expect(!TimeZoneSettings.matches("kv-eu-billing", pattern: "kv-*-orders"))
    }
}
