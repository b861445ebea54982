import ArgumentParser
import VaultWatchCore

extension AlertFormat: ExpressibleByArgument {}
