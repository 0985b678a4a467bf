// The libheif functions Sources/HEIF calls, opened on first use (recipe: CLazyLoad.h).
#include "CHeif.h"
#include "CLazyLoad.h"

typedef struct heif_context hctx;
typedef struct heif_image_handle hhandle;
typedef struct heif_image himage;
typedef struct heif_error herr;

#define TK_LAZY_FUNCTIONS(F, V)                                                              \
    F(herr, heif_init, (struct heif_init_params *p), (p))                                    \
    F(enum heif_filetype_result, heif_check_filetype, (const uint8_t *data, int len), (data, len)) \
    F(const char *, heif_get_file_mime_type, (const uint8_t *data, int len), (data, len))    \
    F(hctx *, heif_context_alloc, (void), ())                                                \
    V(heif_context_free, (hctx *c), (c))                                                     \
    V(heif_context_set_max_decoding_threads, (hctx *c, int n), (c, n))                       \
    V(heif_context_set_maximum_image_size_limit, (hctx *c, int w), (c, w))                   \
    F(herr, heif_context_read_from_file, (hctx *c, const char *f, const struct heif_reading_options *o), \
      (c, f, o))                                                                             \
    F(herr, heif_context_get_primary_image_handle, (hctx *c, hhandle **h), (c, h))           \
    F(int, heif_image_handle_get_width, (const hhandle *h), (h))                             \
    F(int, heif_image_handle_get_height, (const hhandle *h), (h))                            \
    F(int, heif_image_handle_get_luma_bits_per_pixel, (const hhandle *h), (h))               \
    F(int, heif_image_handle_has_alpha_channel, (const hhandle *h), (h))                     \
    F(int, heif_image_handle_get_list_of_metadata_block_IDs,                                 \
      (const hhandle *h, const char *type, heif_item_id *ids, int count), (h, type, ids, count)) \
    F(size_t, heif_image_handle_get_metadata_size, (const hhandle *h, heif_item_id id), (h, id)) \
    F(herr, heif_image_handle_get_metadata, (const hhandle *h, heif_item_id id, void *out), (h, id, out)) \
    V(heif_image_handle_release, (const hhandle *h), (h))                                    \
    F(herr, heif_decode_image, (const hhandle *h, himage **out, enum heif_colorspace cs,     \
      enum heif_chroma chroma, const struct heif_decoding_options *o), (h, out, cs, chroma, o)) \
    F(int, heif_image_get_width, (const himage *i, enum heif_channel c), (i, c))             \
    F(int, heif_image_get_height, (const himage *i, enum heif_channel c), (i, c))            \
    F(int, heif_image_get_bits_per_pixel_range, (const himage *i, enum heif_channel c), (i, c)) \
    F(const uint8_t *, heif_image_get_plane_readonly, (const himage *i, enum heif_channel c, int *stride), \
      (i, c, stride))                                                                        \
    F(herr, heif_image_get_nclx_color_profile, (const himage *i, struct heif_color_profile_nclx **out), \
      (i, out))                                                                              \
    V(heif_nclx_color_profile_free, (struct heif_color_profile_nclx *p), (p))                \
    V(heif_image_release, (const himage *i), (i))

TK_LAZY_DEFINE(heif, "libheif (HEIC/HEIF photos)", "Debian's libheif1", "TIKCONV_HEIF_LIBRARY",
               "libheif.so.1", "libheif.1.dylib", "libheif.so", "libheif.dylib")
