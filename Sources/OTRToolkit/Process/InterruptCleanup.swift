import OTR

#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

/// Removes the temporary file a rewrite is filling when the run is
/// interrupted (INT, TERM, HUP), so a killed `keygen` leaves no copy of a
/// private key beside the key file. One file at a time is ever pending:
/// files are rewritten one after another, each under its lock.
///
/// A run killed by a signal that cannot be caught (KILL) still leaves the
/// file; its name (`.NAME.tmp-XXXXXX`, see `SecureFileWriter`) lets the
/// next rewrite of NAME find and remove it under the lock.
public enum InterruptCleanup {
    /// The pending name as the handler reads it: a fixed buffer, written
    /// only with the signals blocked, so the handler never sees half a name.
    nonisolated(unsafe) private static var pending: UnsafeMutablePointer<CChar>? = nil
    private static let capacity = Int(PATH_MAX) + 1

    /// Names `name` (NUL-terminated) as the file to remove on interrupt.
    public static func register(_ name: [CChar]) {
        withSignalsBlocked {
            if pending == nil { install() }
            let count = min(name.count, capacity - 1)
            name.withUnsafeBufferPointer { pending!.update(from: $0.baseAddress!, count: count) }
            pending![count] = 0
        }
    }

    /// The file is in place or gone: nothing to remove any more.
    public static func clear() {
        withSignalsBlocked { pending?[0] = 0 }
    }

    private static let signals = [SIGINT, SIGTERM, SIGHUP]

    private static func install() {
        pending = UnsafeMutablePointer<CChar>.allocate(capacity: capacity)
        pending![0] = 0
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            // Only async-signal-safe calls: unlink(2), then the signal's
            // own default action, so the shell sees how the run ended.
            if let name = InterruptCleanup.pending, name[0] != 0 { unlink(name) }
            Glibc.signal(signal, SIG_DFL)
            raise(signal)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        for signal in signals {
            // A signal the parent set to be ignored stays ignored (as
            // nohup expects).
            var old = sigaction()
            sigaction(signal, nil, &old)
            if let handler = old.__sigaction_handler.sa_handler, unsafeBitCast(handler, to: Int.self) == 1 { continue }  // SIG_IGN
            sigaction(signal, &action, nil)
        }
    }

    private static func withSignalsBlocked(_ body: () -> Void) {
        var set = sigset_t(), old = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, &old)
        body()
        pthread_sigmask(SIG_SETMASK, &old, nil)
    }
}
