#include "../CVision/include/CVision.h" // the API this library implements
#include <opencv2/core/utility.hpp>

extern "C" void cvision_set_threads(int threads) {
    try {
        cv::setNumThreads(threads <= 1 ? 0 : threads);
    } catch (...) {
        // Only a hint: OpenCV keeps its default when it cannot change it.
    }
}
