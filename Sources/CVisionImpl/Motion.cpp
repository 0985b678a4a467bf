// The strongest moving region, from the difference between consecutive analysed pictures;
// and how regions moved over the last frame, against a kept copy of the picture before.
#include "Common.hpp"
#include <opencv2/imgproc.hpp>
#include <algorithm>
#include <vector>

using namespace cvision;

struct CVisionMotionDetector {
    cv::Mat previous, blurred, difference, mask;
    /// The last picture kept (cvision_motion_detector_keep).
    cv::Mat kept;
};

extern "C" CVisionStatus cvision_motion_detector_create(CVisionMotionDetector **out, char *err, size_t err_len) {
    if (out == nullptr) return fail(err, err_len, CVISION_ERR_ARGUMENT, "no output handle");
    *out = nullptr;
    return guarded(err, err_len, "creating the motion detector", [&]() -> CVisionStatus {
        *out = new CVisionMotionDetector();
        return CVISION_OK;
    });
}

extern "C" void cvision_motion_detector_destroy(CVisionMotionDetector *detector) { delete detector; }

extern "C" void cvision_motion_detector_reset(CVisionMotionDetector *detector) {
    if (!detector) return;
    detector->previous.release();
    detector->kept.release();
}

extern "C" CVisionStatus cvision_motion_detector_keep(CVisionMotionDetector *detector, const uint8_t *grey,
                                                      int width, int height, ptrdiff_t stride, char *err, size_t err_len) {
    if (!detector || !validPicture(grey, width, height, stride))
        return fail(err, err_len, CVISION_ERR_ARGUMENT, "motion detection: bad picture to keep");
    return guarded(err, err_len, "keeping a picture for motion detection", [&]() -> CVisionStatus {
        wrapGrey(grey, width, height, stride).copyTo(detector->kept);
        return CVISION_OK;
    });
}

namespace {
/// The moving region to follow in `mask`: among the regions at least a third the area of the
/// largest, the tallest. Moving people are upright, and a person nearer the camera stands
/// taller than two far ones walking together, whose joined region is only wider.
/// Its area in pixels (0 if none).
double subjectRegion(const cv::Mat &mask, cv::Rect &bounds) {
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
    std::vector<double> areas;
    for (const auto &contour : contours) areas.push_back(cv::contourArea(contour));
    const double largest = areas.empty() ? 0 : *std::max_element(areas.begin(), areas.end());
    double chosen = 0;
    int tallest = -1;
    for (size_t i = 0; i < contours.size(); ++i) {
        if (areas[i] < largest / 3) continue;
        const cv::Rect r = cv::boundingRect(contours[i]);
        if (r.height > tallest) { tallest = r.height; bounds = r; chosen = areas[i]; }
    }
    return chosen;
}
} // namespace

extern "C" CVisionStatus cvision_motion_detector_update(CVisionMotionDetector *detector, const uint8_t *grey,
                                                        int width, int height, ptrdiff_t stride,
                                                        float max_fraction, CVisionBox *box, int *found,
                                                        char *err, size_t err_len) {
    if (!detector || !validPicture(grey, width, height, stride) || !box || !found)
        return fail(err, err_len, CVISION_ERR_ARGUMENT, "motion detection: bad picture or output arguments");
    *found = 0;
    return guarded(err, err_len, "motion detection", [&]() -> CVisionStatus {
        // Blurring first keeps sensor noise and compression ringing from counting as motion.
        cv::GaussianBlur(wrapGrey(grey, width, height, stride), detector->blurred, cv::Size(5, 5), 0);
        if (detector->previous.empty() || detector->previous.size() != detector->blurred.size()) {
            detector->blurred.copyTo(detector->previous);
            return CVISION_OK;
        }
        cv::absdiff(detector->blurred, detector->previous, detector->difference);
        detector->blurred.copyTo(detector->previous);
        cv::threshold(detector->difference, detector->mask, 25, 255, cv::THRESH_BINARY);
        const double moved = cv::countNonZero(detector->mask) / double(width * height);
        if (moved < 0.002 || moved > max_fraction) return CVISION_OK;
        // Closing joins the edges of one textured object into one region.
        cv::morphologyEx(detector->mask, detector->mask, cv::MORPH_CLOSE,
                         cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(9, 9)));
        cv::Rect bounds;
        if (subjectRegion(detector->mask, bounds) < 0.001 * width * height) return CVISION_OK;
        *box = makeBox(bounds, float(moved), CVISION_MOTION);
        *found = 1;
        return CVISION_OK;
    });
}

namespace {
/// Where the content of `region` (in `now`) was in `kept`, as the shift from there to here: the
/// best normalised cross-correlation of the region within its own size in every direction.
/// False for a plain region (it matches anywhere) and when the best match scores under 0.6
/// (changed past recognition).
bool regionShift(const cv::Mat &kept, const cv::Mat &now, const CVisionRegion &r, cv::Point &shift) {
    const cv::Rect picture(0, 0, now.cols, now.rows);
    const cv::Rect region = cv::Rect(r.x, r.y, r.w, r.h) & picture;
    if (region.width < 8 || region.height < 8) return false;
    cv::Scalar mean, deviation;
    cv::meanStdDev(now(region), mean, deviation);
    if (deviation[0] < 4) return false;
    const int reach = std::max(region.width, region.height);
    const cv::Rect search = cv::Rect(region.x - reach, region.y - reach, region.width + 2 * reach,
                                     region.height + 2 * reach) & picture;
    cv::Mat scores;
    cv::matchTemplate(kept(search), now(region), scores, cv::TM_CCOEFF_NORMED);
    double best = 0;
    cv::Point at;
    cv::minMaxLoc(scores, nullptr, &best, nullptr, &at);
    if (!(best >= 0.6)) return false;
    shift = cv::Point(region.x - (search.x + at.x), region.y - (search.y + at.y));
    return true;
}
} // namespace

extern "C" CVisionStatus cvision_motion_detector_shifts(CVisionMotionDetector *detector, const uint8_t *grey,
                                                        int width, int height, ptrdiff_t stride,
                                                        const CVisionRegion *regions, int count, float *shifts,
                                                        int *found, char *err, size_t err_len) {
    if (!detector || !validPicture(grey, width, height, stride) || count < 0 || (count > 0 && (!regions || !shifts || !found)))
        return fail(err, err_len, CVISION_ERR_ARGUMENT, "region shifts: bad picture or region arguments");
    std::fill(found, found + count, 0);
    return guarded(err, err_len, "region shifts", [&]() -> CVisionStatus {
        const cv::Mat now = wrapGrey(grey, width, height, stride);
        if (detector->kept.size() != now.size()) return CVISION_OK;
        for (int i = 0; i < count; ++i) {
            cv::Point shift;
            if (!regionShift(detector->kept, now, regions[i], shift)) continue;
            shifts[2 * i] = float(shift.x);
            shifts[2 * i + 1] = float(shift.y);
            found[i] = 1;
        }
        return CVISION_OK;
    });
}
