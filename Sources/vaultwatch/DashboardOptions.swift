import ArgumentParser

/// Options of the dashboard commands (`demo`, `watch`).
struct DashboardOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Theme: a name from themes/ (dark, light, high-contrast, colour-blind-safe) or a TOML file.", valueName: "name|path"))
    var theme: String?

    @Flag(name: .customLong("no-color"), help: "Attributes only, no colours (also when NO_COLOR is set).")
    var noColor = false

    @Flag(help: "Ring the terminal bell when a Medium or High alert appears.")
    var bell = false
}
