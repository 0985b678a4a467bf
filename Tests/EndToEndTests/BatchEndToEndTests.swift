import Foundation
import NemoStandIn
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Batches as a new user runs them: mixed inputs split by kind with nothing
/// uploaded unasked, unique output names, `-o out/` created, and no upload cap on offline work.
/// Every test points NEMO_API_BASE at a loopback stand-in, so an upload would be seen.
final class BatchEndToEndTests: EndToEndTestCase {
    var server: NemoStandIn!
    var cloudEnv: [String: String] { ["NEMO_API_BASE": server.baseURL, "XDG_CONFIG_HOME": dir + "/config", "NEMO_TOKEN": ""] }
    let fast = ["--preset", "ultrafast", "--duration", "0.5", "--progress", "none"]

    override func setUpWithError() throws {
        try super.setUpWithError()
        server = NemoStandIn(config: NemoStandInConfig(mp4Path: Self.testMedia("h264_aac_16x9.mp4")))
        try server.start()
    }

    override func tearDownWithError() throws {
        server?.stop()
        try super.tearDownWithError()
    }

    /// `tikconv dir/` with two videos and two photos: the videos convert offline and the photos
    /// make one offline slideshow named after the first; the cloud hears nothing.
    func testFolderOfVideosAndPhotosUploadsNothing() throws {
        let folder = dir + "/dir"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (src, name) in [("h264_aac_16x9.mp4", "a.mp4"), ("noaudio.mp4", "b.mp4"), ("photo.jpg", "c.jpg"), ("photo.png", "d.png")] {
            try copy(Self.testMedia(src), as: "dir/" + name)
        }
        let r = try tikconv([folder + "/", "-o", outDir + "/", "--photo-duration", "0.5"] + fast, environment: cloudEnv)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(entries(outDir), ["a.tiktok.mp4", "b.tiktok.mp4", "c.slideshow.mp4"])
        XCTAssertEqual(try videoSize(outDir + "/a.tiktok.mp4"), "1080x1920")
        XCTAssertEqual(try videoSize(outDir + "/c.slideshow.mp4"), "1080x1920")
        XCTAssertEqual(try frameCount(outDir + "/c.slideshow.mp4"), 30, "two photos of 0.5 s at 30 fps")
        XCTAssertTrue(r.stderr.contains("✓ slideshow of 2 photos → \(outDir)/c.slideshow.mp4"), r.stderr)
        XCTAssertTrue(r.stderr.contains("3 converted, 0 failed"), r.stderr)
        XCTAssertEqual(server.requests.count, 0, "nothing may reach the cloud: \(server.requests.map(\.path))")
    }

    /// The same with --local, and with --cloud the photos go to the cloud as before.
    func testVideoAndPhotosWithLocalOrCloud() throws {
        let clip = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "clip.mp4")
        let p1 = try copy(Self.testMedia("photo.jpg"), as: "p1.jpg"), p2 = try copy(Self.testMedia("photo.webp"), as: "p2.webp")
        let r = try tikconv([clip, p1, p2, "--local", "-o", outDir + "/", "--photo-duration", "0.5"] + fast, environment: cloudEnv)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(entries(outDir), ["clip.tiktok.mp4", "p1.slideshow.mp4"])
        XCTAssertEqual(r.stdout, outDir + "/clip.tiktok.mp4\n" + outDir + "/p1.slideshow.mp4\n")
        XCTAssertEqual(server.requests.count, 0)
        let plan = try tikconv([clip, p1, p2, "--cloud", "--plan", "-o", dir + "/cloud/"], environment: cloudEnv)
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertTrue(plan.stdout.contains("Group 2 of 2: p1.jpg, p2.webp (2 photos)\n  Route: cloud"), plan.stdout)
    }

    /// `tikconv tone.wav clip.mp4`: the clip converts offline; the audio file becomes its own
    /// audiogram, not used to send everything to the cloud.
    func testAudioBesideAVideoIsItsOwnAudiogramNotUploaded() throws {
        let tone = try copy(Self.testMedia("tone.wav"), as: "tone.wav")
        let clip = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "clip.mp4")
        let r = try tikconv([tone, clip, "-o", outDir + "/"] + fast, environment: cloudEnv)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(entries(outDir), ["clip.tiktok.mp4", "tone.tiktok.mp4"])
        XCTAssertTrue(r.stderr.contains("✓ tone.wav → "), r.stderr)
        XCTAssertEqual(server.requests.count, 0, "\(server.requests.map(\.path))")
    }

    /// Before an upload, stderr names what leaves the machine and how much.
    func testAnUploadIsAnnouncedFirst() throws {
        let p1 = try copy(Self.testMedia("photo.jpg"), as: "p1.jpg")
        let p2 = try copy(Self.testMedia("photo.png"), as: "p2.png")
        let total = try [p1, p2].map { try FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int ?? 0 }.reduce(0, +)
        let r = try tikconv([p1, p2, "-p", "slideshow with music", "-o", outDir + "/", "--poll-interval", "0.05"], environment: cloudEnv)
        XCTAssertEqual(r.status, 0, r.stderr)
        let size = ByteCountFormatter.string(fromByteCount: Int64(total), countStyle: .file)
        let notice = "tikconv: uploading to the NemoVideo cloud: p1.jpg, p2.png (2 files, \(size) in all)"
        XCTAssertEqual(r.stderrLines.first, notice, r.stderr)
        XCTAssertFalse(r.stderr.contains(" converted, "), "one slideshow is one result, not a batch: \(r.stderr)")
        let uploaded = server.requests.flatMap(\.parts).compactMap(\.filename)
        XCTAssertEqual(uploaded.sorted(), ["p1.jpg", "p2.png"], "what was announced is what was uploaded")
        let plan = try tikconv([p1, p2, "-p", "slideshow with music", "-o", outDir + "/", "--plan"], environment: cloudEnv)
        XCTAssertTrue(plan.stdout.contains("Upload: p1.jpg, p2.png (2 files, \(size) in all)"), plan.stdout)
    }

    /// --plan shows every group, each with its output (or its refusal), as a JSON array.
    func testPlanShowsEveryGroup() throws {
        let clip = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "clip.mp4")
        let photo = try copy(Self.testMedia("photo.jpg"), as: "photo.jpg")
        let tone = try copy(Self.testMedia("tone.wav"), as: "tone.wav")
        let r = try tikconv([clip, photo, tone, "--plan", "--json", "-o", outDir + "/"], environment: cloudEnv)
        XCTAssertEqual(r.status, 0, "the run would convert all three: \(r.stderr)")
        let groups = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]] ?? []
        XCTAssertEqual(groups.map { $0["group"] as? String }, ["video", "photos", "audio"])
        guard groups.count == 3 else { return XCTFail("want three groups: \(r.stdout)") }
        XCTAssertEqual(groups[0]["route"] as? String, "local")
        let outputs = groups[0]["outputs"] as? [[String: Any]]
        XCTAssertEqual(outputs?.first?["path"] as? String, outDir + "/clip.tiktok.mp4")
        // The photo is the offline slideshow: local, one output, nothing to upload.
        XCTAssertEqual(groups[1]["route"] as? String, "local")
        XCTAssertNil(groups[1]["upload"])
        XCTAssertEqual((groups[1]["outputs"] as? [[String: Any]])?.first?["path"] as? String, outDir + "/photo.slideshow.mp4")
        XCTAssertTrue((groups[1]["reasons"] as? [String] ?? []).contains { $0.contains("offline slideshow") }, "\(groups[1])")
        XCTAssertEqual(groups[2]["route"] as? String, "local")
        XCTAssertTrue((groups[2]["reasons"] as? [String] ?? []).contains { $0.contains("local audiogram") }, "\(groups[2])")
        XCTAssertEqual(entries(outDir), [], "--plan does nothing")
        XCTAssertEqual(server.requests.count, 0)
    }

    /// `clip.mp4 clip.mov -o col/ -y`: two outputs, the second named after its extension, said
    /// before any work; both decode.
    func testOutputNamesInOneRunAreUnique() throws {
        let mp4 = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "clip.mp4")
        let mov = try copy(Self.testMedia("h264_aac.mov"), as: "clip.mov")
        let r = try tikconv([mp4, mov, "-o", outDir + "/", "-y"] + fast)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(entries(outDir), ["clip.mov.tiktok.mp4", "clip.tiktok.mp4"])
        XCTAssertEqual(r.stderrLines.first, "tikconv: clip.mov → clip.mov.tiktok.mp4: clip.tiktok.mp4 is another output of this run (from clip.mp4)")
        XCTAssertTrue(r.stderr.contains("2 converted, 0 failed"), r.stderr)
        XCTAssertEqual(r.stdout, outDir + "/clip.tiktok.mp4\n" + outDir + "/clip.mov.tiktok.mp4\n")
        for out in ["clip.tiktok.mp4", "clip.mov.tiktok.mp4"] { XCTAssertEqual(try videoSize(outDir + "/" + out), "1080x1920") }
        // Without -y the second one no longer fails on a file the batch itself made.
        let again = try tikconv([mp4, mov, "-o", dir + "/fresh/"] + fast)
        XCTAssertEqual(again.status, 0, again.stderr)
    }

    /// Two files with one name from two folders.
    func testSameNameFromTwoFolders() throws {
        try FileManager.default.createDirectory(atPath: dir + "/a", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/b", withIntermediateDirectories: true)
        let a = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "a/clip.mp4")
        let b = try copy(Self.testMedia("noaudio.mp4"), as: "b/clip.mp4")
        let r = try tikconv([a, b, "-o", outDir + "/"] + fast)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(entries(outDir), ["clip.mp4.tiktok.mp4", "clip.tiktok.mp4"])
    }

    /// `-o out/` for a folder that does not exist yet is created (parents too), once.
    func testOutputFolderIsCreated() throws {
        let a = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "a.mp4")
        let b = try copy(Self.testMedia("noaudio.mp4"), as: "b.mp4")
        let r = try tikconv([a, b, "-o", "new/deeper/"] + fast)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(entries(dir + "/new/deeper"), ["a.tiktok.mp4", "b.tiktok.mp4"])
        // A file where the folder should be: one line, exit 6, nothing made.
        try write(Array("x".utf8), as: "taken")
        let bad = try tikconv([a, b, "-o", "taken/"] + fast)
        XCTAssertEqual(bad.status, 6, bad.stderr)
        XCTAssertEqual(bad.stderrLines.count, 1, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("-o taken/: there is a file of that name"), bad.stderr)
    }

    /// A 600 MB clip (a real one with a sparse tail) converts offline; only an upload is held
    /// to the cloud's 500 MB cap, before anything is sent.
    func testUploadCapAppliesOnlyToUploads() throws {
        let big = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "long4k.mp4")
        XCTAssertEqual(truncate(big, 600_000_000), 0)
        // (Hashing 600 MB in a debug build takes seconds: size and modification time stand in.)
        let before = try FileManager.default.attributesOfItem(atPath: big)
        func unchanged() throws -> Bool {
            let now = try FileManager.default.attributesOfItem(atPath: big)
            return now[.size] as? Int == before[.size] as? Int && now[.modificationDate] as? Date == before[.modificationDate] as? Date
        }
        let r = try tikconv([big, "-o", outDir + "/"] + fast)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try videoSize(outDir + "/long4k.tiktok.mp4"), "1080x1920")
        let cloud = try tikconv([big, "--cloud", "-o", dir + "/cloud/"] + fast, environment: cloudEnv)
        XCTAssertEqual(cloud.status, 3, cloud.stderr)
        XCTAssertTrue(cloud.stderr.contains("long4k.mp4 is 600 MB, over the cloud's 500 MB upload limit"), cloud.stderr)
        XCTAssertFalse(cloud.stderr.contains("uploading"), "refused before the upload notice: \(cloud.stderr)")
        XCTAssertEqual(server.requests.count, 0)
        XCTAssertTrue(try unchanged(), "the input is untouched")
    }

    /// The frames ffprobe decodes in the first video stream.
    func frameCount(_ path: String) throws -> Int {
        let r = try tikconv(["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames",
                             "-of", "csv=p=0", path], executable: "/usr/bin/ffprobe")
        return Int(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// "1080x1920" as ffprobe reads the first video stream.
    func videoSize(_ path: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ffprobe")
        p.arguments = ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0:s=x", path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let d = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: d, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
