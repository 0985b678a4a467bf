// Computer vision for smart reframing, over OpenCV 4 (C++), behind a plain C API.
// Every function takes 8-bit grey pictures (pointer, width, height, stride in bytes) of a
// downscaled frame. Handles are opaque; each *_create has a *_destroy. No C++ exception
// crosses this boundary: failures return a negative CVisionStatus and, when `err` is not
// NULL, a NUL-terminated message of at most `err_len` bytes.
#ifndef TIKCONV_CVISION_H
#define TIKCONV_CVISION_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    CVISION_OK = 0,
    CVISION_ERR_ARGUMENT = -1,        // a NULL pointer, a size out of range
    CVISION_ERR_CASCADES_MISSING = -2, // no folder with the face cascades was found
    CVISION_ERR_OPENCV = -3,          // OpenCV threw cv::Exception (message has its text)
    CVISION_ERR_NO_MEMORY = -4,
    CVISION_ERR_INTERNAL = -5,        // any other C++ exception
    CVISION_ERR_MODEL_MISSING = -6    // the face model file cannot be read
} CVisionStatus;

/// What a box was found by (the detector that produced it).
typedef enum {
    CVISION_FRONTAL_FACE = 0,
    CVISION_PROFILE_FACE = 1,
    CVISION_PERSON = 2,
    CVISION_MOTION = 3
} CVisionKind;

/// A detection in the picture's pixels. `score` is a confidence proxy: the number of
/// merged neighbour windows for cascades, the SVM margin for HOG, the fraction of the
/// picture that moved for motion.
typedef struct {
    float x, y, w, h;
    float score;
    int32_t kind; // CVisionKind
} CVisionBox;

/// Opens libTikconvVision (this API's implementation, Sources/CVisionImpl, linked against
/// OpenCV) on first use: 0, or -1 with the reason in `err`. Defined by the loader in
/// Sources/CVision (see CLazyLoad.h), not by the library. Every function below is a trampoline
/// in the tikconv binary that forwards to the library.
int tk_vision_load(char *err, size_t err_len);

/// A rectangle of a picture, in its pixels.
typedef struct {
    int32_t x, y, w, h;
} CVisionRegion;

/// Caps OpenCV's worker threads for this process (0 or 1: run on the calling thread).
void cvision_set_threads(int threads);

// ---- Faces: frontal + profile (both directions) cascades from opencv-data ----------------

typedef struct CVisionFaceDetector CVisionFaceDetector;

/// Loads the frontal and profile face cascades. `cascade_dir` may be NULL: then the folder
/// comes from the environment variable TIKCONV_CASCADES if set (an error if it holds no
/// cascades), else from a short list of known install paths (/usr/share/opencv4, …).
/// The folder may hold the .xml files or their haarcascades/ and lbpcascades/ subfolders.
CVisionStatus cvision_face_detector_create(const char *cascade_dir, CVisionFaceDetector **out,
                                           char *err, size_t err_len);
void cvision_face_detector_destroy(CVisionFaceDetector *detector);

/// The folder the cascades were loaded from (owned by the detector).
const char *cvision_face_detector_directory(const CVisionFaceDetector *detector);

/// When the profile cascade runs (it costs as much as the frontal one, twice: it is run on
/// the picture and on its mirror image to find faces turned either way).
typedef enum {
    CVISION_PROFILES_NEVER = 0,
    CVISION_PROFILES_IF_NO_FRONTAL = 1,
    CVISION_PROFILES_ALWAYS = 2
} CVisionProfileMode;

/// Finds faces of at least `min_size` pixels (24 or more: the cascades' window): frontal,
/// then profile per `profiles`. Overlapping finds are merged (the frontal one wins). Writes
/// at most `capacity` boxes, best first, and their number to `*count`, in the picture's
/// pixels. `region` limits the search to that rectangle of the picture (clipped to it; a
/// width or height of 0 or less searches the whole picture): the picture is still equalised
/// as a whole, so a face found in a region is the one a whole-picture search finds there.
CVisionStatus cvision_face_detector_detect(CVisionFaceDetector *detector, const uint8_t *grey,
                                           int width, int height, ptrdiff_t stride, int min_size,
                                           CVisionProfileMode profiles, CVisionRegion region,
                                           CVisionBox *boxes, int capacity, int *count,
                                           char *err, size_t err_len);

// ---- Faces: YuNet (OpenCV Zoo's learned face detector, an ONNX model) through cv::dnn ------

typedef struct CVisionYuNet CVisionYuNet;

/// A face found by YuNet: its box and score (0-1) and five landmarks (right eye, left eye,
/// nose tip, right and left mouth corner) as x, y pairs, all in the picture's pixels.
typedef struct {
    float x, y, w, h;
    float score;
    float landmarks[10];
} CVisionFace;

/// The picture formats cvision_yunet_detect reads.
typedef enum {
    CVISION_PIXELS_GREY = 0,    // planes[0]: 8-bit luma
    CVISION_PIXELS_BGR = 1,     // planes[0]: packed 8-bit B, G, R
    CVISION_PIXELS_YUV420P = 2  // planes[0..2]: Y, then U and V at half size (rounded up)
} CVisionPixels;

/// Loads the model file (face_detection_yunet_2023mar.onnx). CVISION_ERR_MODEL_MISSING when
/// the file cannot be read, CVISION_ERR_OPENCV when cv::dnn rejects it.
CVisionStatus cvision_yunet_open(const char *model_path, CVisionYuNet **out, char *err, size_t err_len);
void cvision_yunet_close(CVisionYuNet *net);

/// Finds faces scoring at least `min_score`. The picture is padded (not scaled) to a multiple
/// of 32 on the right and bottom; one network is kept per padded size. Overlapping finds are
/// merged (non-maximum suppression, IoU 0.3). Writes at most `capacity` faces, best first.
CVisionStatus cvision_yunet_detect(CVisionYuNet *net, CVisionPixels format, const uint8_t *const planes[3],
                                   const ptrdiff_t strides[3], int width, int height, float min_score,
                                   CVisionFace *faces, int capacity, int *count, char *err, size_t err_len);

/// Sharpness of a region of a grey picture: the variance of its Laplacian (in focus: high;
/// blurred: low). The region is clipped to the picture; an empty one gives 0.
CVisionStatus cvision_sharpness(const uint8_t *grey, int width, int height, ptrdiff_t stride,
                                CVisionRegion region, float *out);

// ---- People: OpenCV's built-in HOG people detector (64x128 window) -----------------------

typedef struct CVisionPeopleDetector CVisionPeopleDetector;

CVisionStatus cvision_people_detector_create(CVisionPeopleDetector **out, char *err, size_t err_len);
void cvision_people_detector_destroy(CVisionPeopleDetector *detector);

/// Finds standing people at least 128 pixels tall (the detector's window), merged.
CVisionStatus cvision_people_detector_detect(CVisionPeopleDetector *detector, const uint8_t *grey,
                                             int width, int height, ptrdiff_t stride,
                                             CVisionBox *boxes, int capacity, int *count,
                                             char *err, size_t err_len);

// ---- Motion: differencing against the previous picture given -----------------------------

typedef struct CVisionMotionDetector CVisionMotionDetector;

CVisionStatus cvision_motion_detector_create(CVisionMotionDetector **out, char *err, size_t err_len);
void cvision_motion_detector_destroy(CVisionMotionDetector *detector);

/// Forgets the previous and the kept picture (call at a shot cut: motion never spans one).
void cvision_motion_detector_reset(CVisionMotionDetector *detector);

/// Keeps a copy of a picture (the caller keeps each one, so the kept picture is the one just
/// before the next picture looked at) for cvision_motion_detector_shifts.
CVisionStatus cvision_motion_detector_keep(CVisionMotionDetector *detector, const uint8_t *grey,
                                           int width, int height, ptrdiff_t stride, char *err, size_t err_len);

/// How the content of each of `count` regions of this picture moved since the kept picture:
/// the region is looked for in the kept picture within its own size in every direction (the
/// best normalised cross-correlation, cv::matchTemplate), and the shift from there to here goes
/// to shifts[2i] (x) and shifts[2i + 1] (y), with found[i] = 1. found[i] = 0 for a plain region
/// (standard deviation under 4 grey levels: it matches anywhere), when the best match scores
/// under 0.6 (changed past recognition), for a region under 8 pixels a side, and for every
/// region when no picture of this size is kept.
CVisionStatus cvision_motion_detector_shifts(CVisionMotionDetector *detector, const uint8_t *grey,
                                             int width, int height, ptrdiff_t stride,
                                             const CVisionRegion *regions, int count, float *shifts,
                                             int *found, char *err, size_t err_len);

/// Compares the picture with the previous one given (which must have the same size) and
/// writes the bounding box of the largest moving region to `*box` with `*found` = 1; 0 when
/// nothing moved, when this is the first picture, or when more than `max_fraction` of the
/// picture moved (a camera move or a lighting change, not a subject).
CVisionStatus cvision_motion_detector_update(CVisionMotionDetector *detector, const uint8_t *grey,
                                             int width, int height, ptrdiff_t stride,
                                             float max_fraction, CVisionBox *box, int *found,
                                             char *err, size_t err_len);

// ---- Colour histogram for shot-cut detection --------------------------------------------

/// Bins in cvision_yuv_histogram's output: 32 for Y, then 16 for U and 16 for V.
#define CVISION_HISTOGRAM_BINS 64

/// Histogram of a yuv420p picture (width x height luma; chroma planes half size, rounded
/// up), each plane's part normalised to sum 1. Writes CVISION_HISTOGRAM_BINS floats.
CVisionStatus cvision_yuv_histogram(const uint8_t *y, ptrdiff_t y_stride,
                                    const uint8_t *u, ptrdiff_t u_stride,
                                    const uint8_t *v, ptrdiff_t v_stride,
                                    int width, int height, float *out);

/// Cells of cvision_luma_layout's output: a 16 x 9 grid, row by row.
#define CVISION_LAYOUT_COLUMNS 16
#define CVISION_LAYOUT_ROWS 9

/// The picture's layout: the mean luma (0-255) of each cell of a 16 x 9 grid over the picture
/// (width, height >= the grid). Grain and encoding noise average out in cells this size; a
/// change of shot moves them by tens of levels. Writes 16 * 9 floats.
CVisionStatus cvision_luma_layout(const uint8_t *y, ptrdiff_t y_stride, int width, int height, float *out);

#ifdef __cplusplus
}
#endif
#endif
