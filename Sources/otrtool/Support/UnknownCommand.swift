import OTRToolkit
import ArgumentParser

extension OTRTool {
    /// A name where a command must stand that names none: a usage error
    /// (64) that lists the commands there are, as the parser's "Unexpected
    /// argument" did not. Only where a command is required: a group with a
    /// default command (encode) takes other words as that command's
    /// arguments.
    static func checkCommandNames(_ arguments: [String]) throws {
        var command: ParsableCommand.Type = OTRTool.self
        var path = ["otrtool"]
        for name in arguments {
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty, command.configuration.defaultSubcommand == nil, !name.hasPrefix("-") else { return }
            guard let next = subcommands.first(where: { $0.configuration.commandName == name }) else {
                // The parser's own command, at the root.
                if command == OTRTool.self && name == "help" { return }
                let where_ = path.joined(separator: " ")
                writeStandardError("\(where_): no command \(name.argumentText); the commands are \(commandNames(command)); see '\(where_) --help'")
                throw ExitCodeError(.usage)
            }
            command = next
            path.append(name)
        }
    }

    /// "otrtool fragment has no command NAME; its commands are split, join".
    static func unknownCommandMessage(_ name: String, in command: ParsableCommand.Type, path: [String]) -> String {
        "\(path.joined(separator: " ")) has no command \(name.argumentText); its commands are \(commandNames(command))"
    }

    static func commandNames(_ command: ParsableCommand.Type) -> String {
        var names: [String] = []
        for subcommand in command.configuration.subcommands {
            if let name = subcommand.configuration.commandName { names.append(name) }
        }
        return names.joined(separator: ", ")
    }
}
