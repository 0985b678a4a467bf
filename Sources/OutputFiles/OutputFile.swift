import Foundation

/// An output that appears only when complete: written under a temporary name beside the
/// target (same folder, so the final rename is atomic) and renamed by `commit()`. If the
/// owner goes away first — error, cancellation — the temporary file is removed.
///
/// The temporary file is created by `init`, so an output that cannot be written (read-only file
/// system, no permission, /proc, /sys) is refused before any decoding, encoding or upload.
public final class OutputFile {
    public let finalPath: String
    public let temporaryPath: String
    private var committed = false

    /// Prefix and suffix that mark tikconv's temporary files (a later run removes stale ones).
    public static let temporaryMarker = ".tikconv-"
    public static let temporarySuffix = ".part"

    /// - Parameters:
    ///   - inputPaths: refused as outputs (a conversion never writes over its own input).
    public init(finalPath: String, overwrite: Bool, inputPaths: [String] = []) throws {
        let url = URL(fileURLWithPath: finalPath).standardizedFileURL
        let fm = FileManager.default
        let dir = url.deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw OutputFileError.directoryMissing(path: dir)
        }
        let resolved = url.resolvingSymlinksInPath().path
        for input in inputPaths where URL(fileURLWithPath: input).standardizedFileURL.resolvingSymlinksInPath().path == resolved {
            throw OutputFileError.sameAsInput(path: finalPath)
        }
        if fm.fileExists(atPath: url.path, isDirectory: &isDir) {
            if isDir.boolValue { throw OutputFileError.isDirectory(path: finalPath) }
            // The rename at the end would replace a device or a pipe (`-o /dev/null`) with a plain file.
            if let type = try? fm.attributesOfItem(atPath: resolved)[.type] as? FileAttributeType, type != .typeRegular {
                throw OutputFileError.notRegularFile(path: finalPath)
            }
            if !overwrite { throw OutputFileError.exists(path: finalPath) }
        }
        self.finalPath = url.path
        let name = url.lastPathComponent
        let temporary = dir + "/." + name + Self.temporaryMarker + String(getpid()) + Self.temporarySuffix
        Self.removeStaleTemporaries(in: dir, for: name)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            throw OutputFileError.notWritable(path: url.path, reason: OutputFileError.reason(errno: errno, folder: dir))
        }
        close(fd)
        temporaryPath = temporary
    }

    deinit { if !committed { unlink(temporaryPath) } }

    /// Renames the finished temporary file to the final name.
    public func commit() throws {
        guard rename(temporaryPath, finalPath) == 0 else {
            throw OutputFileError.notWritable(path: finalPath, reason: OutputFileError.reason(errno: errno, folder: (finalPath as NSString).deletingLastPathComponent))
        }
        committed = true
    }

    /// Removes temporaries for `name` left by runs that were killed (their process is gone).
    static func removeStaleTemporaries(in dir: String, for name: String) {
        let prefix = "." + name + temporaryMarker
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
        for entry in entries where entry.hasPrefix(prefix) && entry.hasSuffix(temporarySuffix) {
            let pidText = entry.dropFirst(prefix.count).dropLast(temporarySuffix.count)
            guard let pid = Int32(pidText), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(dir + "/" + entry) }
        }
    }
}
