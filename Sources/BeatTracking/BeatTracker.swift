import CAubio
import Foundation

/// The beat-tracking layer's one error type.
public enum BeatTrackingError: Error, LocalizedError, Equatable {
    /// aubio refused the settings (it returns no object).
    case cannotStart(sampleRate: Int, window: Int, hop: Int)
    /// aubio could not be opened (it is loaded on first use); the text says what to install.
    case libraryMissing(String)

    public var errorDescription: String? {
        switch self {
        case let .cannotStart(rate, window, hop):
            return "the beat tracker cannot run at \(rate) Hz with a \(window)-sample window and \(hop)-sample hop"
        case let .libraryMissing(why): return why
        }
    }
}

/// Owns an aubio fvec_t (freed with del_fvec): a buffer of `length` samples aubio reads or writes.
final class FloatVector {
    let vector: UnsafeMutablePointer<fvec_t>

    init?(length: Int) {
        guard let v = new_fvec(uint_t(length)) else { return nil }
        vector = v
    }

    deinit { del_fvec(vector) }

    var first: Float { vector.pointee.data[0] }

    /// Copies `count` samples from `source` starting at `offset` into the buffer.
    func load(_ source: [Float], from offset: Int, count: Int) {
        source.withUnsafeBufferPointer { buf in
            vector.pointee.data.update(from: buf.baseAddress! + offset, count: count)
        }
    }
}

/// Owns an aubio_tempo_t (freed with del_aubio_tempo): aubio's beat tracker, fed mono samples
/// in order, collecting the time of every beat it finds.
public final class BeatTracker {
    let tempo: OpaquePointer
    private let input: FloatVector, output: FloatVector
    private let hop: Int
    private var pending: [Float] = []
    private let sampleRate: Int
    /// Real samples fed so far (the flush's silence not counted).
    private var fed = 0
    /// Seconds from the first sample fed, in order.
    public private(set) var beats: [Double] = []

    /// - Parameters: aubio's defaults: a 1024-sample analysis window moved 512 samples at a time.
    public init(sampleRate: Int, window: Int = 1024, hop: Int = 512) throws {
        // aubio is opened on first use: only --beat-sync pays for it.
        var message = [CChar](repeating: 0, count: 768)
        guard tk_aubio_load(&message, message.count) == 0 else { throw BeatTrackingError.libraryMissing(String(cString: message)) }
        guard let t = new_aubio_tempo("default", uint_t(window), uint_t(hop), uint_t(sampleRate)) else {
            throw BeatTrackingError.cannotStart(sampleRate: sampleRate, window: window, hop: hop)
        }
        guard let i = FloatVector(length: hop), let o = FloatVector(length: 1) else {
            del_aubio_tempo(t)   // not stored yet: deinit will not run
            throw BeatTrackingError.cannotStart(sampleRate: sampleRate, window: window, hop: hop)
        }
        tempo = t
        input = i
        output = o
        self.hop = hop
        self.sampleRate = sampleRate
    }

    deinit { del_aubio_tempo(tempo) }

    /// Feeds the next mono samples (any count; they are analysed a hop at a time).
    public func feed(_ samples: [Float]) {
        fed += samples.count
        pending += samples
        var offset = 0
        while pending.count - offset >= hop {
            input.load(pending, from: offset, count: hop)
            aubio_tempo_do(tempo, input.vector, output.vector)
            if output.first != 0 { beats.append(Double(aubio_tempo_get_last_s(tempo))) }
            offset += hop
        }
        pending.removeFirst(offset)
    }

    /// Ends the input. aubio reports a beat only once it has seen a few seconds past it, so the
    /// tracker is run on over `flushSeconds` of silence and beats found there (after the real
    /// end) are dropped.
    public func finish(flushSeconds: Double = 6) {
        let end = Double(fed) / Double(sampleRate)
        feed([Float](repeating: 0, count: Int(flushSeconds * Double(sampleRate))))
        beats.removeAll { $0 >= end }
    }

    /// The tempo aubio settled on, in beats per minute (0 before it found one).
    public var beatsPerMinute: Double { Double(aubio_tempo_get_bpm(tempo)) }
}
