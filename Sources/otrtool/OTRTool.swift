import ArgumentParser
import OTR
import OTRToolkit

@main
struct OTRTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "otrtool",
        abstract: "Read, build, check and forge Off-the-Record (OTR v2/v3) messages.",
        discussion: """
            Every subcommand is a filter: it reads standard input (or the files \
            named as arguments, "-" for standard input), finds the OTR messages in \
            it wherever they stand in a line, and writes text, or JSON Lines with \
            --json.

            SECRETS. Options that take a secret (keys, exponents, SMP secrets) \
            accept file:PATH, env:NAME or fd:N, each holding hex text, so the \
            secret never appears on the command line. hex:HEX (or bare HEX) is \
            accepted for test vectors, but the value is then visible to other \
            users through ps and stays in shell history.

            ERRORS. Each problem is one line on standard error naming the input \
            line, the message, the field and the rule broken; the run goes on to \
            the next message.

            LOCATIONS. An input line is named FILE:N, and -:N when it is a line \
            of standard input, however that was given (no file argument, or \
            "-"), in text output and diagnostics of every command; JSON gives \
            "source" ("-" for standard input) and "line".

            FILES. A key, instance-tags or fingerprints file that otrtool \
            changes (keygen, convert-key --output, session --fingerprints) is \
            read again and replaced under an exclusive flock(2) lock on it, so \
            other otrtool runs changing it at the same time lose nothing. It must \
            be of its own format, and keeps every entry otrtool does not \
            understand, its owner and group, and its mode (a private key file \
            is always left 0600); a symbolic link stays a link \
            and its target is changed. A read-only file and anything but a \
            regular file are refused (73) and left unchanged; other hard links \
            to the file keep the old contents. The new contents go to a temporary file .NAME.tmp-XXXXXX \
            beside it, mode 0600, renamed into place; INT, TERM or HUP remove it, \
            and the next change of NAME removes one a killed run left.

            EXIT STATUS. \(ExitStatus.manualText) When several problems occur, \
            malformed input (2) is reported over a failed check (1), and the \
            first status from 64 up that occurred over both. A write to standard \
            output that fails ends the run at once with 74 and one line on \
            standard error; a write to standard error that fails makes the run \
            end with 74. When the reader of a pipe has gone, otrtool ends quietly \
            through SIGPIPE, as cat and grep do (the shell shows status 141); \
            with SIGPIPE ignored that write fails and the status is 74. otrtool \
            without a command, a command that does not exist (the error lists \
            the commands there are) and help for one are usage errors (64).
            """,
        version: ToolVersion.string,
        subcommands: [
            Decode.self,
            Encode.self,
            ParseTag.self,
            FragmentCommand.self,
            Keygen.self,
            FingerprintCommand.self,
            ConvertKey.self,
            Derive.self,
            Forge.self,
            Simulate.self,
            SessionCommand.self,
        ]
    )

    /// Runs the command, mapping our errors to the documented statuses.
    /// Everything printed goes through `OutputSink` and
    /// `writeStandardError`, the parser's help and errors too, so that a
    /// failed write is never a success (`StandardStreams`).
    static func main() {
        StandardStreams.holdClosedDescriptors()
        FatalSignals.install()
        StandardStreams.commandPath = commandPath
        let arguments = Array(ArgumentBytes.arguments.dropFirst())
        var status = ExitStatus.success.rawValue
        if arguments == ["--version"] {
            // The versions of the C libraries linked, beside ours: what a
            // report of a problem needs.
            let out = OutputSink.standardOutput()
            out.writeLine(ToolVersion.line)
            out.flush()
            StandardStreams.end(status)
        }
        do {
            try checkHelpRequest(arguments)
            try checkCommandNames(arguments)
            var command = try directCommand(arguments) ?? parseAsRoot(arguments)
            try command.run()
        } catch let exit as ExitCodeError {
            status = exit.status.rawValue
        } catch let problem as Problem {
            writeStandardError("otrtool: \(problem)")
            status = problem.status.rawValue
        } catch {
            status = report(error)
        }
        StandardStreams.end(status)
    }

    /// Bare `otrtool` names no command: a usage error, with the help on
    /// standard error.
    func run() throws {
        writeStandardError(Self.helpMessage())
        throw ExitCodeError(.usage)
    }

    /// Prints what the argument parser says about `error` (help on
    /// standard output, errors on standard error, as it would) and
    /// returns its status.
    static func report(_ error: Error) -> Int32 {
        let status = exitCode(for: error).rawValue
        let text = fullMessage(for: error).argumentText
        guard !text.isEmpty else { return status }
        if status == ExitStatus.success.rawValue {
            let out = OutputSink.standardOutput()
            out.writeLine(text)
            out.flush()
        } else {
            writeStandardErrorLines(text)
        }
        return status
    }

    /// `otrtool help NAME...` must name commands: the parser would show
    /// the root's help for a name it does not know, and succeed.
    static func checkHelpRequest(_ arguments: [String]) throws {
        guard arguments.first == "help" else { return }
        let names = arguments.dropFirst().filter { !$0.hasPrefix("-") }
        let known = commandPath(names[...])
        if known.count < names.count {
            var parent: ParsableCommand.Type = OTRTool.self
            for name in known { parent = parent.configuration.subcommands.first { $0.configuration.commandName == name }! }
            let message = unknownCommandMessage(names[known.count], in: parent, path: ["otrtool"] + known)
            writeStandardError("otrtool help: \(message); see 'otrtool --help'")
            throw ExitCodeError(.usage)
        }
    }

    /// The names of the commands the leading `arguments` name, from the
    /// root down.
    static func commandPath(_ arguments: ArraySlice<String>) -> [String] {
        var command: ParsableCommand.Type = OTRTool.self
        var names: [String] = []
        for name in arguments {
            guard let next = command.configuration.subcommands.first(where: { $0.configuration.commandName == name }) else { break }
            names.append(name)
            command = next
        }
        return names
    }
}

extension OTRTool {
    /// The commands that only group others and take no options themselves
    /// (`CommandFrameTests` checks that their help lists none).
    static let groupsWithoutOptions: [ParsableCommand.Type] = [
        OTRTool.self, Derive.self, Encode.self, Forge.self, FragmentCommand.self,
    ]

    /// The command a command line names, parsed on its own, when no
    /// command above it takes options: then that gives the same command as
    /// parsing from the root, without building the tree of every command
    /// and parsing each level (a quarter of the instructions of a short
    /// run such as `derive mac-key`). Anything that does not parse this way
    /// (help, completion requests, errors), or parses to anything but that
    /// command, is left to the parse from the root, so that usage and
    /// messages name the whole command.
    static func directCommand(_ arguments: [String]) -> ParsableCommand? {
        var command: ParsableCommand.Type = OTRTool.self
        var rest = arguments[...]
        while let name = rest.first,
              let next = command.configuration.subcommands.first(where: { $0.configuration.commandName == name }) {
            // A command with options of its own could take some of the
            // arguments that follow.
            guard groupsWithoutOptions.contains(where: { $0 == command }) else { return nil }
            command = next
            rest = rest.dropFirst()
        }
        guard command != OTRTool.self, command.configuration.subcommands.isEmpty,
              let parsed = try? command.parseAsRoot(Array(rest)),
              // Not the parser's own commands (help) standing in for it.
              type(of: parsed) == command else { return nil }
        return parsed
    }
}
