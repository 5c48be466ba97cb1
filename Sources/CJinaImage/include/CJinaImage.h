#ifndef CJINA_IMAGE_H
#define CJINA_IMAGE_H
#include <stddef.h>
#include <stdint.h>

/// Image decoding for ImageEncoder (issue #14): PNG with stb_image (Debian's libstb-dev,
/// header-only, compiled in), JPEG with libjpeg-turbo's TurboJPEG and WebP with libwebp, both
/// loaded by dlopen on first use (so the jina binary gains no shared-library dependency; without
/// them those formats are an error naming the Debian package), and resizing (resample.c).

/// What an image header says, without decoding the pixels. `format`: 1 JPEG, 2 PNG, 3 WebP,
/// 0 not recognised. Returns 0 when the header was read, -1 otherwise (message in `error`, 256 bytes).
int jina_image_info(const uint8_t *bytes, size_t length, int *format, int *width, int *height, char *error);

/// Decodes to 8-bit RGB, row-major, `width * height * 3` bytes in `*pixels` (free with
/// `jina_image_free`). Returns 0, or -1 with a message in `error`.
int jina_image_decode_rgb(const uint8_t *bytes, size_t length, uint8_t **pixels, int *width, int *height, char *error);

/// As `jina_image_decode_rgb`, but a JPEG may come out smaller: it is decoded at the smallest
/// of TurboJPEG's DCT scales that is still at least `min_width × min_height` (INT_MAX × INT_MAX:
/// full size). Other formats: the full image.
int jina_image_decode_rgb_at_least(const uint8_t *bytes, size_t length, int min_width, int min_height, uint8_t **pixels,
                                   int *width, int *height, char *error);

/// 1 when libturbojpeg could be opened.
int jina_image_has_turbojpeg(void);

void jina_image_free(uint8_t *pixels);

/// Resizes 8-bit RGB with a triangle (bilinear) filter, widened when shrinking, in fixed point:
/// the arithmetic of PIL's BILINEAR resize. Returns 0, or -1.
int jina_image_resize_rgb(const uint8_t *input, int width, int height, uint8_t *output, int out_width, int out_height);

/// The `window_width × window_height` part at (`left`, `top`) of what `jina_image_resize_rgb`
/// would make at `out_width × out_height`, computing only that part (a resize then a crop, in
/// one pass and equal to them byte for byte). Returns 0, or -1 (also for a window that does not
/// fit).
int jina_image_resize_rgb_window(const uint8_t *input, int width, int height, int out_width, int out_height, int left,
                                 int top, int window_width, int window_height, uint8_t *output);

#endif
