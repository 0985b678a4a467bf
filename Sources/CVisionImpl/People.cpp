// People detection with the HOG + linear SVM detector compiled into OpenCV's objdetect.
#include "Common.hpp"
#include <opencv2/objdetect.hpp>
#include <algorithm>
#include <vector>

using namespace cvision;

struct CVisionPeopleDetector {
    cv::HOGDescriptor hog;
};

extern "C" CVisionStatus cvision_people_detector_create(CVisionPeopleDetector **out, char *err, size_t err_len) {
    if (out == nullptr) return fail(err, err_len, CVISION_ERR_ARGUMENT, "no output handle");
    *out = nullptr;
    return guarded(err, err_len, "creating the people detector", [&]() -> CVisionStatus {
        auto detector = std::make_unique<CVisionPeopleDetector>();
        detector->hog.setSVMDetector(cv::HOGDescriptor::getDefaultPeopleDetector());
        *out = detector.release();
        return CVISION_OK;
    });
}

extern "C" void cvision_people_detector_destroy(CVisionPeopleDetector *detector) { delete detector; }

extern "C" CVisionStatus cvision_people_detector_detect(CVisionPeopleDetector *detector, const uint8_t *grey,
                                                        int width, int height, ptrdiff_t stride,
                                                        CVisionBox *boxes, int capacity, int *count,
                                                        char *err, size_t err_len) {
    if (!detector || !validPicture(grey, width, height, stride) || !boxes || capacity < 0 || !count)
        return fail(err, err_len, CVISION_ERR_ARGUMENT, "people detection: bad picture or output arguments");
    *count = 0;
    if (width < 64 || height < 128) return CVISION_OK; // smaller than the detector's window
    return guarded(err, err_len, "people detection", [&]() -> CVisionStatus {
        std::vector<cv::Rect> rects;
        std::vector<double> weights;
        // A coarse pyramid (1.1) and 8-pixel stride keep this to a few tens of ms at 480x270.
        detector->hog.detectMultiScale(wrapGrey(grey, width, height, stride), rects, weights, 0.0,
                                       cv::Size(8, 8), cv::Size(0, 0), 1.1, 2.0, false);
        std::vector<CVisionBox> found;
        for (size_t i = 0; i < rects.size(); ++i) {
            cv::Rect r = rects[i] & cv::Rect(0, 0, width, height);
            if (r.area() > 0) found.push_back(makeBox(r, i < weights.size() ? float(weights[i]) : 0.0f, CVISION_PERSON));
        }
        std::sort(found.begin(), found.end(), [](const CVisionBox &a, const CVisionBox &b) { return a.score > b.score; });
        const int n = std::min<int>(capacity, int(found.size()));
        std::copy(found.begin(), found.begin() + n, boxes);
        *count = n;
        return CVISION_OK;
    });
}
