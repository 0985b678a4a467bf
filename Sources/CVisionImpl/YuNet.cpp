// Face detection with YuNet (OpenCV Zoo, MIT) through cv::dnn. OpenCV 4.6's cv::FaceDetectorYN
// rejects the 2023mar model, so its twelve outputs are decoded here.
#include "Common.hpp"
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>
#include <utility>
#include <vector>

using namespace cvision;

struct CVisionYuNet {
    std::vector<uchar> model;
    // A network reshapes (and reallocates) whenever its input size changes: one per size.
    std::map<std::pair<int, int>, cv::dnn::Net> nets;
    cv::Mat bgr, padded, blob;
};

extern "C" CVisionStatus cvision_yunet_open(const char *model_path, CVisionYuNet **out, char *err, size_t err_len) {
    if (out == nullptr || model_path == nullptr) return fail(err, err_len, CVISION_ERR_ARGUMENT, "no model path or output handle");
    *out = nullptr;
    return guarded(err, err_len, "loading the YuNet face model", [&]() -> CVisionStatus {
        std::ifstream file(model_path, std::ios::binary);
        if (!file) return fail(err, err_len, CVISION_ERR_MODEL_MISSING, std::string("cannot read ") + model_path);
        auto net = std::make_unique<CVisionYuNet>();
        net->model.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
        if (net->model.empty()) return fail(err, err_len, CVISION_ERR_MODEL_MISSING, std::string(model_path) + " is empty");
        // Parse once now, so a damaged file is reported here and not at the first picture.
        cv::dnn::Net first = cv::dnn::readNetFromONNX(net->model);
        if (first.empty()) return fail(err, err_len, CVISION_ERR_OPENCV, std::string(model_path) + " is not a network cv::dnn can load");
        *out = net.release();
        return CVISION_OK;
    });
}

extern "C" void cvision_yunet_close(CVisionYuNet *net) { delete net; }

namespace {
const int kStrides[] = {8, 16, 32};

/// The picture as 8-bit BGR (a header over the caller's pixels when it already is).
cv::Mat toBGR(CVisionYuNet &net, CVisionPixels format, const uint8_t *const planes[3], const ptrdiff_t strides[3],
              int width, int height) {
    if (format == CVISION_PIXELS_BGR)
        return cv::Mat(height, width, CV_8UC3, const_cast<uint8_t *>(planes[0]), size_t(strides[0]));
    if (format == CVISION_PIXELS_GREY) {
        cv::cvtColor(wrapGrey(planes[0], width, height, strides[0]), net.bgr, cv::COLOR_GRAY2BGR);
        return net.bgr;
    }
    if (width % 2 || height % 2) throw std::invalid_argument("yuv420p pictures must have an even size");
    // I420 conversion wants one contiguous buffer: Y rows, then U, then V.
    const int cw = (width + 1) / 2, ch = (height + 1) / 2;
    cv::Mat i420(height * 3 / 2, width, CV_8UC1);
    wrapGrey(planes[0], width, height, strides[0]).copyTo(i420.rowRange(0, height));
    uint8_t *u = i420.ptr(height), *v = u + size_t(cw) * ch;
    for (int r = 0; r < ch; ++r) {
        std::copy_n(planes[1] + r * strides[1], cw, u + size_t(r) * cw);
        std::copy_n(planes[2] + r * strides[2], cw, v + size_t(r) * cw);
    }
    cv::cvtColor(i420, net.bgr, cv::COLOR_YUV2BGR_I420);
    return net.bgr;
}

cv::dnn::Net &netFor(CVisionYuNet &net, int width, int height) {
    auto key = std::make_pair(width, height);
    auto found = net.nets.find(key);
    if (found != net.nets.end()) return found->second;
    cv::dnn::Net made = cv::dnn::readNetFromONNX(net.model);
    made.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    made.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
    return net.nets.emplace(key, std::move(made)).first->second;
}

/// Decodes one stride's outputs (cls, obj, bbox, kps) into faces scoring at least `minScore`.
void decode(const std::vector<cv::Mat> &outs, size_t level, int stride, int width, int height, float minScore,
            std::vector<CVisionFace> &faces) {
    const int cols = width / stride, rows = height / stride;
    const float *cls = outs[level].ptr<float>(), *obj = outs[level + 3].ptr<float>();
    const float *bbox = outs[level + 6].ptr<float>(), *kps = outs[level + 9].ptr<float>();
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            const int i = r * cols + c;
            const float score = std::sqrt(std::clamp(cls[i], 0.f, 1.f) * std::clamp(obj[i], 0.f, 1.f));
            if (score < minScore) continue;
            CVisionFace f{};
            const float cx = (c + bbox[4 * i]) * stride, cy = (r + bbox[4 * i + 1]) * stride;
            f.w = std::exp(bbox[4 * i + 2]) * stride;
            f.h = std::exp(bbox[4 * i + 3]) * stride;
            f.x = cx - f.w / 2;
            f.y = cy - f.h / 2;
            f.score = score;
            for (int k = 0; k < 5; ++k) {
                f.landmarks[2 * k] = (c + kps[10 * i + 2 * k]) * stride;
                f.landmarks[2 * k + 1] = (r + kps[10 * i + 2 * k + 1]) * stride;
            }
            faces.push_back(f);
        }
    }
}

/// Non-maximum suppression, best first.
std::vector<CVisionFace> suppress(const std::vector<CVisionFace> &faces, float minScore) {
    std::vector<cv::Rect2d> rects;
    std::vector<float> scores;
    for (const auto &f : faces) {
        rects.emplace_back(f.x, f.y, f.w, f.h);
        scores.push_back(f.score);
    }
    std::vector<int> kept;
    cv::dnn::NMSBoxes(rects, scores, minScore, 0.3f, kept);
    std::vector<CVisionFace> out;
    for (int i : kept) out.push_back(faces[size_t(i)]);
    std::sort(out.begin(), out.end(), [](const CVisionFace &a, const CVisionFace &b) { return a.score > b.score; });
    return out;
}
} // namespace

extern "C" CVisionStatus cvision_yunet_detect(CVisionYuNet *net, CVisionPixels format, const uint8_t *const planes[3],
                                              const ptrdiff_t strides[3], int width, int height, float min_score,
                                              CVisionFace *faces, int capacity, int *count, char *err, size_t err_len) {
    const bool planar = format == CVISION_PIXELS_YUV420P;
    if (!net || !planes || !strides || !validPicture(planes[0], width, height, strides[0]) || !faces || capacity < 0 ||
        !count || (planar && (!planes[1] || !planes[2])) || format < CVISION_PIXELS_GREY || format > CVISION_PIXELS_YUV420P ||
        (format == CVISION_PIXELS_BGR && strides[0] < 3 * width))
        return fail(err, err_len, CVISION_ERR_ARGUMENT, "YuNet: bad picture or output arguments");
    *count = 0;
    return guarded(err, err_len, "YuNet face detection", [&]() -> CVisionStatus {
        const cv::Mat bgr = toBGR(*net, format, planes, strides, width, height);
        const int pw = (width + 31) / 32 * 32, ph = (height + 31) / 32 * 32;
        cv::copyMakeBorder(bgr, net->padded, 0, ph - height, 0, pw - width, cv::BORDER_CONSTANT, cv::Scalar::all(0));
        // The model takes BGR 0-255 as floats: no scaling, no mean, no channel swap.
        cv::dnn::blobFromImage(net->padded, net->blob, 1.0, cv::Size(), cv::Scalar(), false, false, CV_32F);
        cv::dnn::Net &dnn = netFor(*net, pw, ph);
        dnn.setInput(net->blob);
        static const std::vector<cv::String> names = {"cls_8", "cls_16", "cls_32", "obj_8", "obj_16", "obj_32",
                                                      "bbox_8", "bbox_16", "bbox_32", "kps_8", "kps_16", "kps_32"};
        std::vector<cv::Mat> outs;
        dnn.forward(outs, names);
        std::vector<CVisionFace> found;
        for (size_t level = 0; level < 3; ++level) decode(outs, level, kStrides[level], pw, ph, min_score, found);
        const auto kept = suppress(found, min_score);
        const int n = std::min<int>(capacity, int(kept.size()));
        std::copy(kept.begin(), kept.begin() + n, faces);
        *count = n;
        return CVISION_OK;
    });
}

extern "C" CVisionStatus cvision_sharpness(const uint8_t *grey, int width, int height, ptrdiff_t stride,
                                           CVisionRegion region, float *out) {
    if (!validPicture(grey, width, height, stride) || !out) return CVISION_ERR_ARGUMENT;
    *out = 0;
    return guarded(nullptr, 0, "sharpness", [&]() -> CVisionStatus {
        const cv::Rect area = cv::Rect(region.x, region.y, region.w, region.h) & cv::Rect(0, 0, width, height);
        if (area.width < 3 || area.height < 3) return CVISION_OK;
        cv::Mat laplacian;
        cv::Laplacian(wrapGrey(grey, width, height, stride)(area), laplacian, CV_32F);
        cv::Scalar mean, deviation;
        cv::meanStdDev(laplacian, mean, deviation);
        *out = float(deviation[0] * deviation[0]);
        return CVISION_OK;
    });
}
