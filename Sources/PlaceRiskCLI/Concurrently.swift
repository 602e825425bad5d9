import PlaceRiskCore

/// Runs two independent pieces of work at the same time (each on a core when one is free; parallel
/// loops inside either share the same pool) and returns both results, or throws the first piece's
/// error, then the second's. The values are those of a serial `(try a(), try b())` whenever neither
/// piece reads what the other writes.
func concurrently<A, B>(_ a: @Sendable () throws -> A, _ b: @Sendable () throws -> B) throws -> (A, B) {
    let first = Slot<A>(), second = Slot<B>()
    Parallel.forEachSlice(count: 2, workers: 2) { _, range in
        for i in range {
            if i == 0 { first.result = Result { try a() } } else { second.result = Result { try b() } }
        }
    }
    return (try first.result!.get(), try second.result!.get())
}

/// One result, written by one worker and read after the workers have finished.
private final class Slot<T>: @unchecked Sendable { var result: Result<T, any Error>? }
