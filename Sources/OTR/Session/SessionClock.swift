#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Where a `Session` reads the time, in whole seconds as time(2) counts
/// them (libotr's timers are in seconds: heartbeats, re-sending, the wait
/// for a D-H Key). Injected like randomness, so a conversation with its
/// timers can be replayed: the real clock in `session`, a virtual one in
/// `simulate` and the tests.
public protocol SessionClock: AnyObject {
    /// Seconds since the epoch.
    var now: Int64 { get }
}

/// The system's clock.
public final class SystemClock: SessionClock {
    public init() {}

    public var now: Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec)
    }
}

/// A clock that moves only when told to: a conversation run against it
/// sees the same times on every run.
public final class VirtualClock: SessionClock {
    /// 2023-11-14 22:13:20 UTC: any fixed start will do; this one is the
    /// default the libotr test peer's virtual clock is given too.
    public static let defaultStart: Int64 = 1_700_000_000

    public private(set) var now: Int64

    public init(start: Int64 = VirtualClock.defaultStart) {
        now = start
    }

    /// Moves the clock forward; time never runs backwards.
    public func advance(by seconds: Int64) {
        precondition(seconds >= 0, "a virtual clock only moves forward")
        now += seconds
    }
}
