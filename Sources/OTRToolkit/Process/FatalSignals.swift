import OTR

#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

/// The end of a run that cannot go on: memory exhausted, or a bug. Swift
/// offers no way to recover from a failed allocation; the runtime prints
/// one line ("Fatal error: failed to allocate N bytes ...") and aborts,
/// and then its backtracer (or, in a static build, the runtime itself)
/// prints a page of frames and registers and the run ends with a signal.
/// Instead the run ends with status 70 (internal error) and at most one
/// line of its own. With SWIFT_BACKTRACE set nothing is changed, for
/// debugging.
public enum FatalSignals {
    public static func install() {
        guard getenv("SWIFT_BACKTRACE") == nil else { return }
        // Its own stack, so that a stack overflow can still be reported.
        let size = 1 << 16
        var stack = stack_t()
        stack.ss_sp = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        stack.ss_size = size
        stack.ss_flags = 0
        sigaltstack(&stack, nil)
        #if canImport(Glibc)
        // otrtool writes descriptor 2 itself; only the runtime and the C
        // libraries use the stdio stream, which is buffered from here on
        // so that the handler can drop a stack trace the runtime left in
        // it (it flushes its message first). Exit flushes the rest.
        setvbuf(stderr, UnsafeMutablePointer<CChar>.allocate(capacity: size), _IOFBF, size)
        #endif

        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            // Only async-signal-safe calls here: write(2) and _exit(2).
            FatalSignals.writePendingStandardError()
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

    /// Writes what waits in the stdio stream of standard error (a C
    /// library's last words), up to a stack trace of the runtime's.
    private static func writePendingStandardError() {
        #if canImport(Glibc)
        guard let stream = stderr, let start = stream.pointee._IO_write_base,
              let end = stream.pointee._IO_write_ptr, end > start else { return }
        let marker: StaticString = "Current stack trace:"
        let count = end - start
        var keep = count
        marker.withUTF8Buffer { m in
            var i = 0
            while i + m.count <= count {
                var k = 0
                while k < m.count, UInt8(bitPattern: start[i + k]) == m[k] { k += 1 }
                if k == m.count {
                    keep = i
                    return
                }
                i += 1
            }
        }
        _ = write(2, start, keep)
        #endif
    }
}
