// Face detection with the cascades Debian's opencv-data installs.
#include "Common.hpp"
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>
#include <algorithm>
#include <cstdlib>
#include <sys/stat.h>
#include <vector>

using namespace cvision;

namespace {
// LBP cascades: about 6x cheaper than the Haar ones at 480x270 for the same finds on our
// fixtures. The plain frontal one has a 24-pixel window; the "improved" one's is 45, too
// coarse for faces in wide shots at this size.
const char *const kFrontal = "lbpcascade_frontalface.xml";
const char *const kProfile = "lbpcascade_profileface.xml";
const double kFrontalStep = 1.1, kProfileStep = 1.2;
const char *const kKnownDirs[] = {"/usr/share/opencv4", "/usr/local/share/opencv4", "/usr/share/opencv",
                                  "/opt/homebrew/share/opencv4"};

bool isFile(const std::string &path) {
    struct stat st;
    return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

/// `name` inside `dir`, directly or in its haarcascades/ or lbpcascades/ subfolder; "" if absent.
std::string findCascade(const std::string &dir, const char *name) {
    for (const char *sub : {"", "/lbpcascades", "/haarcascades"}) {
        std::string path = dir + sub + "/" + name;
        if (isFile(path)) return path;
    }
    return "";
}

bool holdsCascades(const std::string &dir) {
    return !findCascade(dir, kFrontal).empty() && !findCascade(dir, kProfile).empty();
}

/// The folder to load from, or "" with `why` saying where it looked.
std::string resolveDirectory(const char *given, std::string &why) {
    if (given != nullptr) {
        if (holdsCascades(given)) return given;
        why = std::string("no ") + kFrontal + " and " + kProfile + " in " + given;
        return "";
    }
    if (const char *env = std::getenv("TIKCONV_CASCADES"); env != nullptr && *env != '\0') {
        if (holdsCascades(env)) return env;
        why = std::string("TIKCONV_CASCADES=") + env + " holds no " + kFrontal + " and " + kProfile +
              " (directly or in lbpcascades/)";
        return "";
    }
    std::string looked;
    for (const char *dir : kKnownDirs) {
        if (holdsCascades(dir)) return dir;
        looked += looked.empty() ? dir : std::string(", ") + dir;
    }
    why = "OpenCV's face cascades were not found in " + looked +
          "; install Debian's opencv-data (scripts/setup does) or set TIKCONV_CASCADES to the folder holding them";
    return "";
}

double overlap(const cv::Rect &a, const cv::Rect &b) {
    const double inter = (a & b).area();
    return inter <= 0 ? 0 : inter / double(std::min(a.area(), b.area()));
}
} // namespace

struct CVisionFaceDetector {
    std::string directory;
    cv::CascadeClassifier frontal, profile;
    cv::Mat equalised, mirrored;
};

extern "C" CVisionStatus cvision_face_detector_create(const char *cascade_dir, CVisionFaceDetector **out,
                                                      char *err, size_t err_len) {
    if (out == nullptr) return fail(err, err_len, CVISION_ERR_ARGUMENT, "no output handle");
    *out = nullptr;
    return guarded(err, err_len, "loading face cascades", [&]() -> CVisionStatus {
        std::string why;
        std::string dir = resolveDirectory(cascade_dir, why);
        if (dir.empty()) return fail(err, err_len, CVISION_ERR_CASCADES_MISSING, why);
        auto detector = std::make_unique<CVisionFaceDetector>();
        detector->directory = dir;
        for (auto [classifier, name] : {std::pair{&detector->frontal, kFrontal}, std::pair{&detector->profile, kProfile}}) {
            std::string path = findCascade(dir, name);
            if (!classifier->load(path))
                return fail(err, err_len, CVISION_ERR_CASCADES_MISSING, "cannot read the face cascade " + path);
        }
        *out = detector.release();
        return CVISION_OK;
    });
}

extern "C" void cvision_face_detector_destroy(CVisionFaceDetector *detector) { delete detector; }

extern "C" const char *cvision_face_detector_directory(const CVisionFaceDetector *detector) {
    return detector ? detector->directory.c_str() : "";
}

namespace {
/// Runs one cascade; `mirrored` maps the finds back from a horizontally flipped picture.
/// `origin` is where `picture` (a region) sits in the whole picture; finds are moved there.
void runCascade(cv::CascadeClassifier &cascade, const cv::Mat &picture, cv::Point origin, double scale, int minSize,
                bool mirrored, CVisionKind kind, std::vector<CVisionBox> &found) {
    std::vector<cv::Rect> rects;
    std::vector<int> neighbours;
    cascade.detectMultiScale(picture, rects, neighbours, scale, 3, 0, cv::Size(minSize, minSize));
    for (size_t i = 0; i < rects.size(); ++i) {
        cv::Rect r = rects[i];
        if (mirrored) r.x = picture.cols - r.x - r.width;
        r += origin;
        bool duplicate = std::any_of(found.begin(), found.end(), [&](const CVisionBox &b) {
            return overlap(r, cv::Rect(int(b.x), int(b.y), int(b.w), int(b.h))) > 0.5;
        });
        if (!duplicate) found.push_back(makeBox(r, float(neighbours[i]), kind));
    }
}

int copyBest(std::vector<CVisionBox> &found, CVisionBox *boxes, int capacity) {
    std::sort(found.begin(), found.end(), [](const CVisionBox &a, const CVisionBox &b) { return a.score > b.score; });
    const int n = std::min<int>(capacity, int(found.size()));
    std::copy(found.begin(), found.begin() + n, boxes);
    return n;
}
} // namespace

extern "C" CVisionStatus cvision_face_detector_detect(CVisionFaceDetector *detector, const uint8_t *grey,
                                                      int width, int height, ptrdiff_t stride, int min_size,
                                                      CVisionProfileMode profiles, CVisionRegion region,
                                                      CVisionBox *boxes, int capacity, int *count,
                                                      char *err, size_t err_len) {
    if (!detector || !validPicture(grey, width, height, stride) || !boxes || capacity < 0 || !count || min_size < 1)
        return fail(err, err_len, CVISION_ERR_ARGUMENT, "face detection: bad picture or output arguments");
    *count = 0;
    return guarded(err, err_len, "face detection", [&]() -> CVisionStatus {
        // Equalising makes the cascades' fixed thresholds hold under dim or flat lighting.
        cv::equalizeHist(wrapGrey(grey, width, height, stride), detector->equalised);
        const cv::Rect whole(0, 0, width, height);
        cv::Rect area = region.w > 0 && region.h > 0 ? cv::Rect(region.x, region.y, region.w, region.h) & whole : whole;
        std::vector<CVisionBox> found;
        if (area.width < min_size || area.height < min_size) {
            *count = 0;
            return CVISION_OK;
        }
        const cv::Mat searched = detector->equalised(area);
        // Pyramid steps: 1.1 for frontal faces, which a coarser step misses at 30-35 pixels
        // (between its levels); 1.2 for profiles, a secondary signal, at ~40% less cost.
        runCascade(detector->frontal, searched, area.tl(), kFrontalStep, min_size, false, CVISION_FRONTAL_FACE, found);
        if (profiles == CVISION_PROFILES_NEVER || (profiles == CVISION_PROFILES_IF_NO_FRONTAL && !found.empty())) {
            *count = copyBest(found, boxes, capacity);
            return CVISION_OK;
        }
        // The profile cascade knows one facing direction; the mirror image gives the other.
        runCascade(detector->profile, searched, area.tl(), kProfileStep, min_size, false, CVISION_PROFILE_FACE, found);
        cv::flip(searched, detector->mirrored, 1);
        runCascade(detector->profile, detector->mirrored, area.tl(), kProfileStep, min_size, true, CVISION_PROFILE_FACE, found);
        *count = copyBest(found, boxes, capacity);
        return CVISION_OK;
    });
}
