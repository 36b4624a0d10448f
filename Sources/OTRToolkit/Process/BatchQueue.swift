import OTR

#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

/// A bounded first-in first-out queue of batches between two threads: the
/// producer blocks while `capacity` batches wait, so memory stays bounded
/// however far the consumer falls behind. Batches amortise the locking:
/// one lock round trip per few hundred items.
public final class BatchQueue<Element>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var batches: [[Element]] = []
    private var head = 0
    private var closed = false
    private let capacity: Int

    public init(capacity: Int = 8) {
        self.capacity = capacity
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        changed.deallocate()
        mutex.deallocate()
    }

    /// How many batches wait, at the moment of asking.
    public var waiting: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return batches.count - head
    }

    /// Adds a batch, waiting while the queue is full.
    public func push(_ batch: [Element]) {
        pthread_mutex_lock(mutex)
        while batches.count - head >= capacity {
            pthread_cond_wait(changed, mutex)
        }
        batches.append(batch)
        // Only a consumer waiting on an empty queue needs waking.
        if batches.count - head == 1 { pthread_cond_broadcast(changed) }
        pthread_mutex_unlock(mutex)
    }

    /// No more batches will come.
    public func close() {
        pthread_mutex_lock(mutex)
        closed = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }

    /// The next batch, waiting for one; nil once closed and drained.
    public func pop() -> [Element]? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while head == batches.count {
            if closed { return nil }
            pthread_cond_wait(changed, mutex)
        }
        return takeFirst()
    }

    /// The next batch if one waits, without waiting.
    public func tryPop() -> [Element]? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return head < batches.count ? takeFirst() : nil
    }

    /// Removes the first batch; the mutex is held and one is there.
    private func takeFirst() -> [Element] {
        let wasFull = batches.count - head >= capacity
        let batch = batches[head]
        batches[head] = []
        head += 1
        if head == batches.count {
            batches.removeAll(keepingCapacity: true)
            head = 0
        }
        // Only a producer waiting on a full queue needs waking.
        if wasFull { pthread_cond_broadcast(changed) }
        return batch
    }
}

/// A POSIX thread running one closure; `join()` waits for it to end.
public final class WorkerThread {
    private final class Box {
        public let body: () -> Void
        public init(_ body: @escaping () -> Void) { self.body = body }
    }

    private var thread = pthread_t()
    private var joined = false

    /// Starts `body` on a new thread; nil if the system cannot make one.
    public init?(_ body: @escaping () -> Void) {
        let box = Unmanaged.passRetained(Box(body))
        let status = pthread_create(&thread, nil, { context in
            let box = Unmanaged<Box>.fromOpaque(context!).takeRetainedValue()
            box.body()
            return nil
        }, box.toOpaque())
        guard status == 0 else {
            box.release()
            return nil
        }
    }

    public func join() {
        guard !joined else { return }
        joined = true
        pthread_join(thread, nil)
    }
}
