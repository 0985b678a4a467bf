// Shared by the CVision sources: wrapping grey buffers and turning C++ exceptions into
// status codes at the C boundary.
#ifndef TIKCONV_CVISION_COMMON_HPP
#define TIKCONV_CVISION_COMMON_HPP
#include "../CVision/include/CVision.h" // the API this library implements
#include <opencv2/core.hpp>
#include <cstdio>
#include <exception>
#include <memory>
#include <new>
#include <string>

namespace cvision {

inline void writeError(char *err, size_t len, const std::string &message) {
    if (err == nullptr || len == 0) return;
    std::snprintf(err, len, "%s", message.c_str());
}

inline CVisionStatus fail(char *err, size_t len, CVisionStatus status, const std::string &message) {
    writeError(err, len, message);
    return status;
}

/// Runs `body` (returning CVisionStatus) and maps every exception to a status + message.
template <typename Body>
CVisionStatus guarded(char *err, size_t len, const char *what, Body body) {
    try {
        return body();
    } catch (const cv::Exception &e) {
        return fail(err, len, CVISION_ERR_OPENCV, std::string(what) + ": OpenCV error: " + e.what());
    } catch (const std::bad_alloc &) {
        return fail(err, len, CVISION_ERR_NO_MEMORY, std::string(what) + ": out of memory");
    } catch (const std::exception &e) {
        return fail(err, len, CVISION_ERR_INTERNAL, std::string(what) + ": " + e.what());
    } catch (...) {
        return fail(err, len, CVISION_ERR_INTERNAL, std::string(what) + ": unknown C++ exception");
    }
}

/// Checks a grey picture's arguments; the analysed pictures are small, so anything past
/// 8192 pixels a side is a caller's mistake rather than a picture.
inline bool validPicture(const uint8_t *grey, int width, int height, ptrdiff_t stride) {
    return grey != nullptr && width > 0 && height > 0 && width <= 8192 && height <= 8192 &&
           stride >= width;
}

/// A cv::Mat header over the caller's pixels (no copy; OpenCV only reads them).
inline cv::Mat wrapGrey(const uint8_t *grey, int width, int height, ptrdiff_t stride) {
    return cv::Mat(height, width, CV_8UC1, const_cast<uint8_t *>(grey), static_cast<size_t>(stride));
}

inline CVisionBox makeBox(const cv::Rect &r, float score, CVisionKind kind) {
    return CVisionBox{float(r.x), float(r.y), float(r.width), float(r.height), score, int32_t(kind)};
}

} // namespace cvision
#endif
