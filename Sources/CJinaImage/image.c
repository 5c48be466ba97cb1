// Image decoding for ImageEncoder (issue #14). PNG: stb_image from Debian's libstb-dev
// (header-only), its implementation compiled here, once. JPEG: libjpeg-turbo's TurboJPEG, and
// WebP: libwebp, both opened with dlopen on first use. stb_image's own JPEG decoder is not
// compiled in: fuzzing (scripts/fuzz.sh image-decode) made its Huffman decoder fail an assert
// (an abort of the executor from one crafted upload), and Debian's version (2.27) lacks the
// symbol-range check that upstream added later. Resizing is in resample.c.
#include "CJinaImage.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define STBI_ONLY_PNG
#define STBI_NO_STDIO
#define STBI_MAX_DIMENSIONS (1 << 16)
#define STB_IMAGE_IMPLEMENTATION
#include <stb/stb_image.h>

static void set_error(char *error, const char *message) {
    if (error) {
        strncpy(error, message, 255);
        error[255] = 0;
    }
}

// RGB pixels a decoder allocated, copied into memory `jina_image_free` releases (NULL when out of memory).
static uint8_t *copy_pixels(const uint8_t *decoded, int width, int height) {
    size_t size = (size_t)width * (size_t)height * 3;
    uint8_t *copy = malloc(size ? size : 1);
    if (copy) memcpy(copy, decoded, size);
    return copy;
}

static int is_webp(const uint8_t *bytes, size_t length) {
    return length >= 12 && memcmp(bytes, "RIFF", 4) == 0 && memcmp(bytes + 8, "WEBP", 4) == 0;
}

// libwebp, opened on first use.
typedef int (*webp_get_info_fn)(const uint8_t *, size_t, int *, int *);
typedef uint8_t *(*webp_decode_rgb_fn)(const uint8_t *, size_t, int *, int *);
typedef void (*webp_free_fn)(void *);
static webp_get_info_fn webp_get_info;
static webp_decode_rgb_fn webp_decode_rgb;
static webp_free_fn webp_free;
static pthread_once_t webp_once = PTHREAD_ONCE_INIT;

static void open_webp(void) {
    const char *names[] = {"libwebp.so.7", "libwebp.so.6", "libwebp.so"};
    for (size_t index = 0; index < sizeof names / sizeof names[0]; index++) {
        void *library = dlopen(names[index], RTLD_NOW | RTLD_LOCAL);
        if (!library) continue;
        webp_get_info = (webp_get_info_fn)dlsym(library, "WebPGetInfo");
        webp_decode_rgb = (webp_decode_rgb_fn)dlsym(library, "WebPDecodeRGB");
        webp_free = (webp_free_fn)dlsym(library, "WebPFree");
        if (webp_get_info && webp_decode_rgb && webp_free) return;
        webp_get_info = NULL;
        webp_decode_rgb = NULL;
        webp_free = NULL;
        dlclose(library);
    }
}

static int have_webp(char *error) {
    pthread_once(&webp_once, open_webp);
    if (!webp_get_info) {
        set_error(error, "WebP needs libwebp (Debian: apt-get install libwebp7), which is not installed");
        return 0;
    }
    return 1;
}

static int is_jpeg(const uint8_t *bytes, size_t length) { return length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xD8; }

// libturbojpeg (libjpeg-turbo's TurboJPEG API), opened on first use: SIMD decoding, and decoding
// at a reduced scale in the DCT domain.
typedef void *tj_handle;
typedef struct { int num, denom; } tj_scaling;
typedef tj_handle (*tj_init_fn)(void);
typedef int (*tj_header_fn)(tj_handle, const unsigned char *, unsigned long, int *, int *, int *, int *);
typedef tj_scaling *(*tj_factors_fn)(int *);
typedef int (*tj_decompress_fn)(tj_handle, const unsigned char *, unsigned long, unsigned char *, int, int, int, int, int);
typedef int (*tj_destroy_fn)(tj_handle);
typedef char *(*tj_error_fn)(tj_handle);
typedef int (*tj_error_code_fn)(tj_handle);
static tj_init_fn tj_init;
static tj_header_fn tj_header;
static tj_factors_fn tj_factors;
static tj_decompress_fn tj_decompress;
static tj_destroy_fn tj_destroy;
static tj_error_fn tj_error;
static tj_error_code_fn tj_error_code;
static pthread_once_t turbo_once = PTHREAD_ONCE_INIT;
// TurboJPEG's constants (turbojpeg.h, stable since 1.x; 2.0 for the error codes).
enum { TJPF_RGB = 0, TJPF_CMYK = 11, TJCS_CMYK = 3, TJCS_YCCK = 4, TJERR_WARNING = 0 };

static void open_turbo(void) {
    void *library = dlopen("libturbojpeg.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!library) return;
    tj_init = (tj_init_fn)dlsym(library, "tjInitDecompress");
    tj_header = (tj_header_fn)dlsym(library, "tjDecompressHeader3");
    tj_factors = (tj_factors_fn)dlsym(library, "tjGetScalingFactors");
    tj_decompress = (tj_decompress_fn)dlsym(library, "tjDecompress2");
    tj_destroy = (tj_destroy_fn)dlsym(library, "tjDestroy");
    tj_error = (tj_error_fn)dlsym(library, "tjGetErrorStr2");
    tj_error_code = (tj_error_code_fn)dlsym(library, "tjGetErrorCode");
    if (!(tj_init && tj_header && tj_factors && tj_decompress && tj_destroy && tj_error && tj_error_code)) {
        tj_init = NULL;
        dlclose(library);
    }
}

int jina_image_has_turbojpeg(void) {
    pthread_once(&turbo_once, open_turbo);
    return tj_init != NULL;
}

// A TurboJPEG handle with the JPEG's header read, or NULL with a message in `error`.
static tj_handle jpeg_open(const uint8_t *bytes, size_t length, int *width, int *height, int *colorspace, char *error) {
    if (!jina_image_has_turbojpeg()) {
        set_error(error, "JPEG needs libjpeg-turbo (Debian: apt-get install libturbojpeg0), which is not installed");
        return NULL;
    }
    tj_handle handle = tj_init();
    if (!handle) {
        set_error(error, "out of memory");
        return NULL;
    }
    int subsampling = 0;
    if (length > 0xffffffffUL || tj_header(handle, bytes, (unsigned long)length, width, height, &subsampling, colorspace) != 0) {
        char message[256];
        snprintf(message, sizeof message, "the JPEG header cannot be read: %s", tj_error(handle));
        set_error(error, message);
        tj_destroy(handle);
        return NULL;
    }
    return handle;
}

static int jpeg_info(const uint8_t *bytes, size_t length, int *width, int *height, char *error) {
    int colorspace = 0;
    tj_handle handle = jpeg_open(bytes, length, width, height, &colorspace, error);
    if (!handle) return -1;
    tj_destroy(handle);
    return 0;
}

// x * y / 255, rounded: an inverted (Adobe) CMYK channel times its K.
static uint8_t times_k(uint8_t x, uint8_t k) {
    unsigned t = (unsigned)x * k + 128;
    return (uint8_t)((t + (t >> 8)) >> 8);
}

// A JPEG at the smallest scale whose size is at least min_width x min_height. CMYK and YCCK
// JPEGs (as Photoshop writes them, inverted) become RGB as R = C·K/255 and so on. A warning
// (extra bytes after the image, a scan cut short) keeps what was decoded, as browsers and PIL's
// LOAD_TRUNCATED_IMAGES do; anything else is an error. 0, or -1 with a message in `error`.
static int decode_jpeg(const uint8_t *bytes, size_t length, int min_width, int min_height, uint8_t **pixels,
                       int *width, int *height, char *error) {
    int full_width = 0, full_height = 0, colorspace = 0;
    tj_handle handle = jpeg_open(bytes, length, &full_width, &full_height, &colorspace, error);
    if (!handle) return -1;
    int count = 0, best_width = full_width, best_height = full_height;
    tj_scaling *factors = tj_factors(&count);
    for (int index = 0; factors && index < count; index++) {
        if (factors[index].num > factors[index].denom) continue;  // never enlarge
        int w = (full_width * factors[index].num + factors[index].denom - 1) / factors[index].denom;
        int h = (full_height * factors[index].num + factors[index].denom - 1) / factors[index].denom;
        if (w >= min_width && h >= min_height && (size_t)w * h < (size_t)best_width * best_height) {
            best_width = w;
            best_height = h;
        }
    }
    int cmyk = colorspace == TJCS_CMYK || colorspace == TJCS_YCCK;
    size_t pixel_count = (size_t)best_width * best_height;
    uint8_t *decoded = malloc(pixel_count * (cmyk ? 4 : 3) + 1);
    if (!decoded) {
        tj_destroy(handle);
        set_error(error, "out of memory");
        return -1;
    }
    if (tj_decompress(handle, bytes, (unsigned long)length, decoded, best_width, 0, best_height, cmyk ? TJPF_CMYK : TJPF_RGB, 0) != 0 &&
        tj_error_code(handle) != TJERR_WARNING) {
        char message[256];
        snprintf(message, sizeof message, "%s", tj_error(handle));
        set_error(error, message);
        free(decoded);
        tj_destroy(handle);
        return -1;
    }
    tj_destroy(handle);
    if (cmyk) {
        for (size_t pixel = 0; pixel < pixel_count; pixel++) {
            uint8_t k = decoded[pixel * 4 + 3];
            uint8_t c = decoded[pixel * 4], m = decoded[pixel * 4 + 1], y = decoded[pixel * 4 + 2];
            decoded[pixel * 3] = times_k(c, k);
            decoded[pixel * 3 + 1] = times_k(m, k);
            decoded[pixel * 3 + 2] = times_k(y, k);
        }
    }
    *pixels = decoded;
    *width = best_width;
    *height = best_height;
    return 0;
}

int jina_image_info(const uint8_t *bytes, size_t length, int *format, int *width, int *height, char *error) {
    *format = 0;
    if (length == 0) {
        set_error(error, "the image is empty (0 bytes)");
        return -1;
    }
    if (is_webp(bytes, length)) {
        *format = 3;
        if (!have_webp(error)) return -1;
        if (!webp_get_info(bytes, length, width, height)) {
            set_error(error, "the WebP header cannot be read");
            return -1;
        }
        return 0;
    }
    if (is_jpeg(bytes, length)) {
        *format = 1;
        return jpeg_info(bytes, length, width, height, error);
    }
    if (length > 0x7fffffff) {
        set_error(error, "the image is larger than 2 GiB");
        return -1;
    }
    int components = 0;
    if (stbi_info_from_memory(bytes, (int)length, width, height, &components)) {
        *format = 2;
        return 0;
    }
    set_error(error, stbi_failure_reason() ? stbi_failure_reason() : "not a JPEG, PNG or WebP image");
    return -1;
}

int jina_image_decode_rgb_at_least(const uint8_t *bytes, size_t length, int min_width, int min_height, uint8_t **pixels,
                                   int *width, int *height, char *error) {
    *pixels = NULL;
    if (is_jpeg(bytes, length)) return decode_jpeg(bytes, length, min_width, min_height, pixels, width, height, error);
    return jina_image_decode_rgb(bytes, length, pixels, width, height, error);
}

// Whether every chunk of a PNG fits in the bytes there are. stb_image grows its buffer for the
// image data to what a chunk's header announces before reading it, so a file of a few hundred bytes announcing
// a 1 GiB chunk made it reserve 2 GiB (found by scripts/fuzz.sh image-decode); no chunk can be
// longer than what follows it, so such a file is refused here as cut short.
static int png_chunks_fit(const uint8_t *bytes, size_t length, char *error) {
    size_t offset = 8;  // the signature
    while (offset + 8 <= length) {
        size_t chunk = (size_t)bytes[offset] << 24 | (size_t)bytes[offset + 1] << 16 | (size_t)bytes[offset + 2] << 8 | bytes[offset + 3];
        if (chunk > length - offset - 8 || length - offset - 8 - chunk < 4) {
            char message[160];
            snprintf(message, sizeof message, "a PNG chunk announces %zu bytes where %zu remain: the file is cut short or corrupt",
                     chunk, length - offset - 8);
            set_error(error, message);
            return 0;
        }
        if (memcmp(bytes + offset + 4, "IEND", 4) == 0) return 1;
        offset += 8 + chunk + 4;
    }
    return 1;  // no IEND: stb_image decides (it stops at the image data it needs)
}

int jina_image_decode_rgb(const uint8_t *bytes, size_t length, uint8_t **pixels, int *width, int *height, char *error) {
    *pixels = NULL;
    if (is_jpeg(bytes, length)) return decode_jpeg(bytes, length, INT_MAX, INT_MAX, pixels, width, height, error);
    if (is_webp(bytes, length)) {
        if (!have_webp(error)) return -1;
        uint8_t *decoded = webp_decode_rgb(bytes, length, width, height);
        if (!decoded) {
            set_error(error, "the WebP data cannot be decoded");
            return -1;
        }
        *pixels = copy_pixels(decoded, *width, *height);
        webp_free(decoded);
        return *pixels ? 0 : (set_error(error, "out of memory"), -1);
    }
    if (length > 0x7fffffff) {
        set_error(error, "the image is larger than 2 GiB");
        return -1;
    }
    if (length >= 8 && memcmp(bytes, "\x89PNG", 4) == 0 && !png_chunks_fit(bytes, length, error)) return -1;
    int components = 0;
    uint8_t *decoded = stbi_load_from_memory(bytes, (int)length, width, height, &components, 3);
    if (!decoded) {
        set_error(error, stbi_failure_reason() ? stbi_failure_reason() : "the image cannot be decoded");
        return -1;
    }
    *pixels = copy_pixels(decoded, *width, *height);
    stbi_image_free(decoded);
    return *pixels ? 0 : (set_error(error, "out of memory"), -1);
}

void jina_image_free(uint8_t *pixels) { free(pixels); }
