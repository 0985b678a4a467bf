// The CVision API, forwarded to libTikconvVision (Sources/CVisionImpl: OpenCV behind the same
// C functions), which is opened on first use (recipe: CLazyLoad.h). A new cvision_* function
// is one line here plus its definition in CVisionImpl.
#include "CVision.h"
#include "CLazyLoad.h"

typedef CVisionFaceDetector Faces;
typedef CVisionPeopleDetector People;
typedef CVisionMotionDetector Motion;
typedef const uint8_t *Px;

#define TK_LAZY_FUNCTIONS(F, V)                                                              \
    V(cvision_set_threads, (int threads), (threads))                                         \
    F(CVisionStatus, cvision_face_detector_create, (const char *dir, Faces **out, char *err, size_t len), \
      (dir, out, err, len))                                                                  \
    V(cvision_face_detector_destroy, (Faces *d), (d))                                        \
    F(const char *, cvision_face_detector_directory, (const Faces *d), (d))                  \
    F(CVisionStatus, cvision_face_detector_detect, (Faces *d, Px grey, int w, int h, ptrdiff_t stride, \
      int min_size, CVisionProfileMode profiles, CVisionRegion region, CVisionBox *boxes, int capacity, \
      int *count, char *err, size_t len), (d, grey, w, h, stride, min_size, profiles, region, boxes, \
      capacity, count, err, len))                                                            \
    F(CVisionStatus, cvision_yunet_open, (const char *path, CVisionYuNet **out, char *err, size_t len), \
      (path, out, err, len))                                                                 \
    V(cvision_yunet_close, (CVisionYuNet *net), (net))                                       \
    F(CVisionStatus, cvision_yunet_detect, (CVisionYuNet *net, CVisionPixels format, Px const planes[3], \
      const ptrdiff_t strides[3], int w, int h, float min_score, CVisionFace *faces, int capacity, \
      int *count, char *err, size_t len), (net, format, planes, strides, w, h, min_score, faces, \
      capacity, count, err, len))                                                            \
    F(CVisionStatus, cvision_sharpness, (Px grey, int w, int h, ptrdiff_t stride, CVisionRegion region, \
      float *out), (grey, w, h, stride, region, out))                                        \
    F(CVisionStatus, cvision_people_detector_create, (People **out, char *err, size_t len), (out, err, len)) \
    V(cvision_people_detector_destroy, (People *d), (d))                                     \
    F(CVisionStatus, cvision_people_detector_detect, (People *d, Px grey, int w, int h, ptrdiff_t stride, \
      CVisionBox *boxes, int capacity, int *count, char *err, size_t len),                  \
      (d, grey, w, h, stride, boxes, capacity, count, err, len))                             \
    F(CVisionStatus, cvision_motion_detector_create, (Motion **out, char *err, size_t len), (out, err, len)) \
    V(cvision_motion_detector_destroy, (Motion *d), (d))                                     \
    V(cvision_motion_detector_reset, (Motion *d), (d))                                       \
    F(CVisionStatus, cvision_motion_detector_keep, (Motion *d, Px grey, int w, int h, ptrdiff_t stride, \
      char *err, size_t len), (d, grey, w, h, stride, err, len))                             \
    F(CVisionStatus, cvision_motion_detector_shifts, (Motion *d, Px grey, int w, int h, ptrdiff_t stride, \
      const CVisionRegion *regions, int count, float *shifts, int *found, char *err, size_t len), \
      (d, grey, w, h, stride, regions, count, shifts, found, err, len))                      \
    F(CVisionStatus, cvision_motion_detector_update, (Motion *d, Px grey, int w, int h, ptrdiff_t stride, \
      float max_fraction, CVisionBox *box, int *found, char *err, size_t len),              \
      (d, grey, w, h, stride, max_fraction, box, found, err, len))                           \
    F(CVisionStatus, cvision_yuv_histogram, (Px y, ptrdiff_t ys, Px u, ptrdiff_t us, Px v, ptrdiff_t vs, \
      int w, int h, float *out), (y, ys, u, us, v, vs, w, h, out))                           \
    F(CVisionStatus, cvision_luma_layout, (Px y, ptrdiff_t ys, int w, int h, float *out), (y, ys, w, h, out))

// Next to the binary (the build folder, or an install's bin/), then an install's lib/tikconv/,
// then the dynamic linker's own search (LD_LIBRARY_PATH, the system folders).
TK_LAZY_DEFINE(vision, "libTikconvVision (OpenCV face/people detection for smart reframing)",
               "it next to tikconv (`swift build --product TikconvVision`, or `make install`) and "
               "Debian's libopencv-objdetect406 and libopencv-dnn406",
               "TIKCONV_VISION_LIBRARY", "@exe/libTikconvVision.so", "@exe/../lib/tikconv/libTikconvVision.so",
               "libTikconvVision.so", "@exe/libTikconvVision.dylib", "@exe/../lib/tikconv/libTikconvVision.dylib")
