import ArgumentParser
import Foundation

/// How a batch is spread and recorded: files at once, resuming, this process's share of a
/// job array, and a line per input in a JSON Lines file (see docs/SCALE.md).
struct BatchFlags: ParsableArguments {
    @Option(name: .customLong("jobs"), help: ArgumentHelp("Files converted at once: a number, or auto (the default: from the cores and --threads; see docs/SCALE.md).",
                               valueName: "N|auto"), transform: { try BatchFlags.jobs($0) })
    var jobsSetting: JobsSetting?

    @Flag(help: "Skip an input whose output already exists (a finished output: tikconv writes under a temporary name and renames). Not -y.")
    var skipExisting = false

    @Option(help: ArgumentHelp("Take share K of N of the inputs (1 ≤ K ≤ N; the same split on every machine), e.g. --shard $SLURM_ARRAY_TASK_ID/16.",
                               valueName: "K/N"), transform: { try Shard($0) })
    var shard: Shard?

    @Option(help: ArgumentHelp("Append one JSON line per input as it finishes (several processes may share the file).", valueName: "FILE.jsonl"))
    var report: String?

    /// `--jobs`: a count, or auto.
    struct JobsSetting: Equatable {
        /// nil: auto, chosen when the run starts (`JobCount.auto`).
        var count: Int?
    }

    static func jobs(_ text: String) throws -> JobsSetting {
        if text.lowercased() == "auto" { return JobsSetting(count: nil) }
        guard let n = Int(text), (1...64).contains(n) else { throw ArgumentValues.Invalid(description: "give a number from 1 to 64, or auto") }
        return JobsSetting(count: n)
    }

    /// The number given (nil: auto, or not given).
    var jobs: Int? { jobsSetting?.count }

    /// Whether any of these flags was given (they change how a photos-only run is carried out).
    var isUsed: Bool { jobsSetting != nil || skipExisting || shard != nil || report != nil }
}

/// `--shard K/N`: share K (from 1) of N.
struct Shard: Equatable, CustomStringConvertible {
    let index: Int
    let count: Int

    init(index: Int, count: Int) { self.index = index; self.count = count }

    init(_ text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let k = parts[0], let n = parts[1], n >= 1, (1...n).contains(k) else {
            throw ArgumentValues.Invalid(description: "give K/N with 1 ≤ K ≤ N, e.g. 2/8 (from a job index counting from 0: $((INDEX+1))/N)")
        }
        self.init(index: k, count: n)
    }

    var description: String { "\(index)/\(count)" }

    /// Which of `keys` (one per unit of work, named by its first input's path) are this
    /// shard's: the units are sorted by key (byte order, so the shell's glob order and the
    /// locale do not matter) and dealt out in turn, unit i to shard i mod N + 1. Every unit
    /// lands in exactly one shard and shards differ by at most one unit.
    func owns(_ keys: [String]) -> [Bool] {
        let order = keys.indices.sorted { a, b in
            keys[a] == keys[b] ? a < b : keys[a].utf8.lexicographicallyPrecedes(keys[b].utf8)
        }
        var mine = [Bool](repeating: false, count: keys.count)
        for (rank, i) in order.enumerated() { mine[i] = rank % count == index - 1 }
        return mine
    }
}

/// How many files a batch converts at once.
enum JobCount {
    /// `--jobs auto`: see docs/SCALE.md for the measurements behind it. x264 with --threads 0
    /// already uses every core for one file; a second file fills the gaps its serial parts
    /// leave (demuxing, decoding, our picture work, the start and end of each file). With a
    /// fixed --threads T, as many files as there are groups of T cores.
    static func auto(cores: Int, threads: Int, files: Int) -> Int {
        let byCores = threads > 0 ? cores / threads : cores / 2
        return max(1, min(byCores, 8, files))
    }

    /// The cores this process may use (its CPU affinity: Slurm and taskset narrow it).
    static var cores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}
