import repro
