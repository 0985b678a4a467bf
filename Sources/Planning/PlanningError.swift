import Foundation

/// The planning layer's one error type. Every message is one line a user can act on.
public enum PlanningError: Error, LocalizedError, Equatable, Sendable {
    /// No inputs and no prompt.
    case nothingToDo
    /// `--local`, but the request has a generative or cloud-session part (named by `part`).
    case needsCloud(part: String)
    /// `--local` with photo inputs.
    case photosNeedCloud
    /// `--local` with a text script input.
    case scriptNeedsCloud
    /// Only audio inputs, on the local route.
    case audioOnly
    /// A local conversion was asked for ("to mp4", "vertical", …) but no input was given.
    case noInputToConvert(what: String)
    /// `--start`/`--duration` or prompt times that cannot be used.
    case invalidTrim(String)
    /// The prompt asks to trim on the local route but names no times.
    case trimNeedsTimes
    /// Photos or scripts that only the cloud can turn into a video, in a command that asked for
    /// neither a prompt nor `--cloud`: nothing is uploaded unasked.
    case uploadNotRequested(UploadKind)

    /// What `uploadNotRequested` held back.
    public enum UploadKind: String, Equatable, Sendable { case photos, scripts }
    /// The prompt holds no word tikconv recognises, in any language it reads (gibberish).
    case notUnderstood(words: String)
    /// An audio input longer than TikTok's 10 minutes, with no trim.
    case audioTooLong(name: String, seconds: Double)
    /// The prompt is only a file name ("clip.mp4"): probably meant as an input.
    case promptIsFileName(String)

    public var errorDescription: String? {
        switch self {
        case .nothingToDo:
            return "nothing to do: give an input file, a prompt, or both (e.g. tikconv clip.mov)"
        case let .needsCloud(part):
            return "'\(part)' needs the cloud route: drop --local (or use --cloud) so the NemoVideo agent can do it"
        case .photosNeedCloud:
            return "photos need the cloud route when they are a script's material or part of one request for all inputs (the offline slideshow takes photos on their own or beside videos): drop --local (or use --cloud)"
        case .scriptNeedsCloud:
            return "text scripts need the cloud route (text-to-video): drop --local (or use --cloud)"
        case .audioOnly:
            return "audio-only input: nothing to show; add a photo or use --cloud"
        case let .noInputToConvert(what):
            return "nothing to convert: \(what) needs an input file (e.g. tikconv clip.avi --to mp4)"
        case let .invalidTrim(detail):
            return "cannot trim: \(detail)"
        case .trimNeedsTimes:
            return "the prompt asks to trim but gives no times: add --start/--duration or say e.g. \"first 15 seconds\", or use --cloud"
        case .uploadNotRequested(.photos):
            return "not uploaded: nothing is uploaded unasked; give the photos on their own for the offline slideshow "
                + "(tikconv photos/*.jpg), or add -p \"slideshow with music\" or --cloud to make it in the cloud"
        case .uploadNotRequested(.scripts):
            return "not sent: text-to-video runs in the cloud, and nothing is uploaded unasked; "
                + "add --cloud (or -p \"…\") to send the script"
        case let .notUnderstood(words):
            return "could not understand '\(words)' as a request: say what to do (e.g. \"vertical 9:16\", \"mute\", \"add captions\"), or add --cloud to send it to the agent as written"
        case let .audioTooLong(name, seconds):
            let m = Int(seconds) / 60, s = Int(seconds) % 60
            return "\(name) lasts \(m) min \(s) s, over TikTok's 10-minute limit: choose a part with --start/--duration (e.g. --duration 10:00)"
        case let .promptIsFileName(name):
            return "the prompt '\(name)' is a file name, not a request: give files as arguments (tikconv \(name)) and say what you want with -p \"…\""
        }
    }

    /// True for the errors that mean "this needs the cloud, which was not asked for": `--local`
    /// was given, or photos/scripts came without a prompt or `--cloud` (exit code 4).
    public var isNeedsCloud: Bool {
        switch self {
        case .needsCloud, .photosNeedCloud, .scriptNeedsCloud, .uploadNotRequested: return true
        default: return false
        }
    }
}
