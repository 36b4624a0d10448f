#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

/// The end of a run that cannot go on: memory exhausted, or a bug. Swift
/// offers no way to recover from a failed allocation; the runtime prints
/// one line ("Fatal error: failed to allocate N bytes ...") and aborts,
/// and its backtracer would then print a page of threads and registers
/// and end with a signal. Instead the run ends with status 70 (internal
/// error) and at most one line of its own. With SWIFT_BACKTRACE set the
/// runtime's backtrace is left in place, for debugging.
enum FatalSignals {
    static func install() {
        guard getenv("SWIFT_BACKTRACE") == nil else { return }
        // Its own stack, so that a stack overflow can still be reported.
        let size = 1 << 16
        var stack = stack_t()
        stack.ss_sp = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        stack.ss_size = size
        stack.ss_flags = 0
        sigaltstack(&stack, nil)

        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            // Only async-signal-safe calls here: write(2) and _exit(2).
            let line: StaticString
            switch signal {
            // The runtime, libgcrypt and the C library print why before they abort.
            case SIGABRT: line = ""
            case SIGSEGV: line = "otrtool: internal error: invalid memory access (SIGSEGV)\n"
            case SIGBUS: line = "otrtool: internal error: invalid memory access (SIGBUS)\n"
            case SIGFPE: line = "otrtool: internal error: arithmetic fault (SIGFPE)\n"
            default: line = "otrtool: internal error: a check failed (SIGILL or SIGTRAP)\n"
            }
            line.withUTF8Buffer { _ = write(2, $0.baseAddress, $0.count) }
            _exit(ExitStatus.software.rawValue)
        }
        action.sa_flags = SA_ONSTACK
        sigemptyset(&action.sa_mask)
        for signal in [SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP] {
            sigaction(signal, &action, nil)
        }
    }
}
