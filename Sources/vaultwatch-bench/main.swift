print("vaultwatch-bench: not yet")
