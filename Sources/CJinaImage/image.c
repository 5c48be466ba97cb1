// Image decoding and resizing for ImageEncoder (issue #14). stb_image and stb_image_resize come
// from Debian's libstb-dev (header-only): their implementations are compiled here, once.
#include "CJinaImage.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define STBI_ONLY_JPEG
#define STBI_ONLY_PNG
#define STBI_NO_STDIO
#define STBI_MAX_DIMENSIONS (1 << 16)
#define STB_IMAGE_IMPLEMENTATION
#include <stb/stb_image.h>

#define STB_IMAGE_RESIZE_IMPLEMENTATION
#include <stb/stb_image_resize.h>

static void set_error(char *error, const char *message) {
    if (error) {
        strncpy(error, message, 255);
        error[255] = 0;
    }
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
    if (length > 0x7fffffff) {
        set_error(error, "the image is larger than 2 GiB");
        return -1;
    }
    int components = 0;
    if (stbi_info_from_memory(bytes, (int)length, width, height, &components)) {
        *format = (length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xD8) ? 1 : 2;
        return 0;
    }
    set_error(error, stbi_failure_reason() ? stbi_failure_reason() : "not a JPEG, PNG or WebP image");
    return -1;
}

int jina_image_decode_rgb(const uint8_t *bytes, size_t length, uint8_t **pixels, int *width, int *height, char *error) {
    *pixels = NULL;
    if (is_webp(bytes, length)) {
        if (!have_webp(error)) return -1;
        uint8_t *decoded = webp_decode_rgb(bytes, length, width, height);
        if (!decoded) {
            set_error(error, "the WebP data cannot be decoded");
            return -1;
        }
        size_t size = (size_t)*width * (size_t)*height * 3;
        *pixels = malloc(size ? size : 1);
        if (*pixels) memcpy(*pixels, decoded, size);
        webp_free(decoded);
        if (!*pixels) {
            set_error(error, "out of memory");
            return -1;
        }
        return 0;
    }
    if (length > 0x7fffffff) {
        set_error(error, "the image is larger than 2 GiB");
        return -1;
    }
    int components = 0;
    uint8_t *decoded = stbi_load_from_memory(bytes, (int)length, width, height, &components, 3);
    if (!decoded) {
        set_error(error, stbi_failure_reason() ? stbi_failure_reason() : "the image cannot be decoded");
        return -1;
    }
    size_t size = (size_t)*width * (size_t)*height * 3;
    *pixels = malloc(size ? size : 1);
    if (*pixels) memcpy(*pixels, decoded, size);
    stbi_image_free(decoded);
    if (!*pixels) {
        set_error(error, "out of memory");
        return -1;
    }
    return 0;
}

void jina_image_free(uint8_t *pixels) { free(pixels); }

int jina_image_resize_rgb(const uint8_t *input, int width, int height, uint8_t *output, int out_width, int out_height) {
    int ok = stbir_resize_uint8_generic(input, width, height, 0, output, out_width, out_height, 0, 3,
                                        STBIR_ALPHA_CHANNEL_NONE, 0, STBIR_EDGE_CLAMP, STBIR_FILTER_TRIANGLE,
                                        STBIR_COLORSPACE_LINEAR, NULL);
    return ok ? 0 : -1;
}
