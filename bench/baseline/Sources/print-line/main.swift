// The Swift runtime's own start-up: print the first argument's length, as
// `parse-option` does, without parsing anything.
print(CommandLine.arguments.dropFirst().first?.utf8.count ?? 0)
