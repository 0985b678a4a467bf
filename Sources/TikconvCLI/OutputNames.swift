import Foundation

/// Where each output of a run goes, decided before any work starts so that no output of the
/// run overwrites another one, or one of the run's inputs.
struct OutputNames {
    /// One output to name: the input it is named after, and whether it is the mp4 plan's
    /// `<stem>.mp4` (else `<stem>.tiktok.mp4`) or a slideshow.
    struct Job {
        var input: String
        var mp4: Bool
        /// The photos' slideshow, named after its first photo: `<stem>.slideshow.mp4`.
        var slideshow = false
    }

    struct Assigned {
        var path: String
        /// Set when the plain name was taken and another was chosen: says so to the user.
        var note: String?
    }

    /// `-o` as given (nil: beside each input).
    let output: String?

    /// Creates `-o DIR/`, or the folder of `-o DIR/FILE.mp4`, when it does not exist yet (once,
    /// before any work): for videos and slideshows alike.
    static func prepareFolder(_ given: String?, console: Console) throws {
        guard let given else { return }
        let output = given.hasSuffix("/") ? given : (given as NSString).deletingLastPathComponent + "/"
        guard output != "/" else { return }
        var isDir: ObjCBool = false
        // "name/" of a plain file does not exist for stat (ENOTDIR): ask about "name".
        let bare = output.count > 1 ? String(output.reversed().drop { $0 == "/" }.reversed()) : output
        if FileManager.default.fileExists(atPath: bare.isEmpty ? "/" : bare, isDirectory: &isDir) {
            if !isDir.boolValue { throw CLIError.outputFolderIsAFile(output) }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        } catch {
            // The system's own words ("Permission denied"), not Foundation's long sentence.
            let posix = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError).map { String(cString: strerror(Int32($0.code))) }
            throw CLIError.cannotCreateFolder(output, reason: posix ?? error.localizedDescription)
        }
        console.line("tikconv: created the folder \(output)")
    }

    /// True when `-o` names a folder: it ends in "/" or is an existing folder.
    var outputIsFolder: Bool {
        guard let output else { return false }
        var isDir: ObjCBool = false
        return output.hasSuffix("/") || (FileManager.default.fileExists(atPath: output, isDirectory: &isDir) && isDir.boolValue)
    }

    /// Paths for every job, unique within the run (and never one of `inputs`). A second output
    /// that would take a name keeps its source's extension (`clip.mov.tiktok.mp4`), then gets a
    /// number (`clip-2.tiktok.mp4`).
    func assign(_ jobs: [Job], inputs: [String]) throws -> [Assigned] {
        if let output, !outputIsFolder, jobs.count > 1 { throw CLIError.outputMustBeFolder(output) }
        var taken = Set(inputs.map(Self.key))
        var owner: [String: String] = [:]
        return jobs.map { job in
            let folder = self.folder(for: job.input)
            if let output, !outputIsFolder {
                taken.insert(Self.key(output))
                return Assigned(path: output, note: nil)
            }
            let candidates = Self.names(for: job)
            let paths = candidates.map { (folder as NSString).appendingPathComponent($0) }
            let chosen = paths.first { !taken.contains(Self.key($0)) } ?? paths[paths.count - 1]
            taken.insert(Self.key(chosen))
            let inputName = (job.input as NSString).lastPathComponent
            owner[Self.key(chosen)] = inputName
            guard chosen != paths[0] else { return Assigned(path: chosen, note: nil) }
            let by = owner[Self.key(paths[0])].map { "another output of this run (from \($0))" } ?? "an input of this run"
            return Assigned(path: chosen, note: "\(inputName) → \((chosen as NSString).lastPathComponent): \(candidates[0]) is \(by)")
        }
    }

    /// The folder outputs go to: -o DIR/, or beside the input.
    func folder(for input: String) -> String {
        if let output, outputIsFolder { return URL(fileURLWithPath: output).path }
        return URL(fileURLWithPath: input).deletingLastPathComponent().path
    }

    /// The plain name first, then the ones used when it is taken.
    static func names(for job: Job) -> [String] {
        let file = (job.input as NSString).lastPathComponent
        let stem = (file as NSString).deletingPathExtension
        let suffix = job.slideshow ? ".slideshow.mp4" : job.mp4 ? ".mp4" : ".tiktok.mp4"
        var names = [stem + suffix]
        if job.mp4 && file == names[0] { names = [stem + ".converted.mp4"] }
        if file != stem { names.append(file + suffix) }
        names += (2...99).map { "\(stem)-\($0)\(suffix)" }
        return names
    }

    /// Two spellings of one file compare equal: absolute, `.`/`..` resolved, symbolic links followed.
    static func key(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
