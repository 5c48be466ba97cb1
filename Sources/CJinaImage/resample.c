// Resizing for ImageEncoder (issue #14): a separable triangle (bilinear) filter whose support
// widens by the scale when shrinking, weights in 22-bit fixed point, vertical pass then
// horizontal pass through an 8-bit intermediate. These are the weights and the rounding of PIL's
// BILINEAR resize (which passes horizontally first; the order changes a value by at most one
// step of rounding), so embeddings match a Python pipeline that resizes with PIL; integer
// arithmetic the compiler vectorises keeps it several times faster than a float pipeline.
#include "CJinaImage.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { WEIGHT_BITS = 22 };

// For each output position: the first input index, how many inputs, and their weights.
typedef struct {
    int taps;     // weights per output position (the widest window)
    int widest;   // the most weights any output position uses (≤ taps); the rest are 0
    int *first;   // [out]
    int *count;   // [out]
    int32_t *weights;  // [out * taps]
} filter_bank;

static void free_bank(filter_bank *bank) {
    free(bank->first);
    free(bank->count);
    free(bank->weights);
    bank->first = NULL;
    bank->count = NULL;
    bank->weights = NULL;
}

static double triangle(double x) {
    x = fabs(x);
    return x < 1.0 ? 1.0 - x : 0.0;
}

static int make_bank(int in_size, int out_size, filter_bank *bank) {
    double scale = (double)in_size / out_size;
    double widen = scale < 1.0 ? 1.0 : scale;
    double support = widen;  // the triangle's support is 1, widened when shrinking
    int taps = (int)ceil(support) * 2 + 1;
    bank->taps = taps;
    bank->first = malloc(sizeof(int) * (size_t)out_size);
    bank->count = malloc(sizeof(int) * (size_t)out_size);
    bank->weights = calloc((size_t)out_size * (size_t)taps, sizeof(int32_t));
    double *exact = malloc(sizeof(double) * (size_t)taps);
    if (!bank->first || !bank->count || !bank->weights || !exact) {
        free(exact);
        free_bank(bank);
        return -1;
    }
    for (int out = 0; out < out_size; out++) {
        double centre = (out + 0.5) * scale;
        int low = (int)(centre - support + 0.5);
        int high = (int)(centre + support + 0.5);
        if (low < 0) low = 0;
        if (high > in_size) high = in_size;
        int count = high - low;
        if (count > taps) count = taps;
        double total = 0.0;
        for (int tap = 0; tap < count; tap++) {
            exact[tap] = triangle((tap + low - centre + 0.5) / widen);
            total += exact[tap];
        }
        for (int tap = 0; tap < count; tap++) {
            double weight = total != 0.0 ? exact[tap] / total : 0.0;
            double fixed = weight * (double)(1 << WEIGHT_BITS);
            bank->weights[(size_t)out * taps + tap] = (int32_t)(weight < 0 ? trunc(fixed - 0.5) : trunc(fixed + 0.5));
        }
        bank->first[out] = low;
        bank->count[out] = count;
        if (count > bank->widest) bank->widest = count;
    }
    free(exact);
    return 0;
}

static inline uint8_t clamp8(int32_t value) {
    value >>= WEIGHT_BITS;
    return value < 0 ? 0 : value > 255 ? 255 : (uint8_t)value;
}

// One row of the horizontal pass with exactly `TAPS` weights per output pixel (those past an
// output's own window are 0): a fixed count the compiler unrolls, with no branch per tap. It
// reads up to TAPS - 1 pixels past a window, which the caller pads.
#define HORIZONTAL_ROW(TAPS)                                                                      \
    static void horizontal_row_##TAPS(const uint8_t *line, int in_offset, uint8_t *target, int out_first, \
                                      int out_width, const filter_bank *bank) {                  \
        for (int column = 0; column < out_width; column++) {                                      \
            int out = out_first + column;                                                         \
            const int32_t *weights = bank->weights + (size_t)out * bank->taps;                    \
            const uint8_t *source = line + (size_t)(bank->first[out] - in_offset) * 3;            \
            int32_t r = 1 << (WEIGHT_BITS - 1), g = r, b = r;                                     \
            for (int tap = 0; tap < TAPS; tap++) {                                                \
                r += source[tap * 3] * weights[tap];                                              \
                g += source[tap * 3 + 1] * weights[tap];                                          \
                b += source[tap * 3 + 2] * weights[tap];                                          \
            }                                                                                     \
            target[column * 3] = clamp8(r);                                                       \
            target[column * 3 + 1] = clamp8(g);                                                   \
            target[column * 3 + 2] = clamp8(b);                                                   \
        }                                                                                         \
    }
HORIZONTAL_ROW(2)
HORIZONTAL_ROW(3)
HORIZONTAL_ROW(4)
HORIZONTAL_ROW(5)
HORIZONTAL_ROW(6)

// Each of `rows` rows of RGB pixels (`in_stride` bytes apart; input column 0 is `in_offset`
// in the filter's terms) to the `out_width` output columns from `out_first` on. The input must
// have `bank->widest * 3` readable bytes after its last row (see HORIZONTAL_ROW).
static void horizontal(const uint8_t *input, size_t in_stride, int in_offset, int rows, uint8_t *output, int out_first,
                       int out_width, const filter_bank *bank) {
    for (int row = 0; row < rows; row++) {
        const uint8_t *line = input + (size_t)row * in_stride;
        uint8_t *target = output + (size_t)row * out_width * 3;
        switch (bank->widest) {
        case 2: horizontal_row_2(line, in_offset, target, out_first, out_width, bank); continue;
        case 3: horizontal_row_3(line, in_offset, target, out_first, out_width, bank); continue;
        case 4: horizontal_row_4(line, in_offset, target, out_first, out_width, bank); continue;
        case 5: horizontal_row_5(line, in_offset, target, out_first, out_width, bank); continue;
        case 6: horizontal_row_6(line, in_offset, target, out_first, out_width, bank); continue;
        default: break;
        }
        for (int column = 0; column < out_width; column++) {
            int out = out_first + column;
            const int32_t *weights = bank->weights + (size_t)out * bank->taps;
            const uint8_t *source = line + (size_t)(bank->first[out] - in_offset) * 3;
            int32_t r = 1 << (WEIGHT_BITS - 1), g = r, b = r;
            for (int tap = 0; tap < bank->count[out]; tap++) {
                r += source[tap * 3] * weights[tap];
                g += source[tap * 3 + 1] * weights[tap];
                b += source[tap * 3 + 2] * weights[tap];
            }
            target[column * 3] = clamp8(r);
            target[column * 3 + 1] = clamp8(g);
            target[column * 3 + 2] = clamp8(b);
        }
    }
}

// Output rows `out_first` ..< `out_first + out_height`, each from the input rows its window
// covers, over `bytes` bytes of each row starting at `column_byte`; the result rows are `bytes`
// long.
static int vertical(const uint8_t *input, size_t in_stride, size_t column_byte, size_t bytes, uint8_t *output,
                    int out_first, int out_height, const filter_bank *bank) {
    int32_t *sums = malloc(sizeof(int32_t) * bytes);
    if (!sums) return -1;
    for (int row = 0; row < out_height; row++) {
        int out = out_first + row;
        const int32_t *weights = bank->weights + (size_t)out * bank->taps;
        for (size_t index = 0; index < bytes; index++) sums[index] = 1 << (WEIGHT_BITS - 1);
        for (int tap = 0; tap < bank->count[out]; tap++) {
            const uint8_t *line = input + (size_t)(bank->first[out] + tap) * in_stride + column_byte;
            int32_t weight = weights[tap];
            for (size_t index = 0; index < bytes; index++) sums[index] += line[index] * weight;
        }
        uint8_t *target = output + (size_t)row * bytes;
        for (size_t index = 0; index < bytes; index++) target[index] = clamp8(sums[index]);
    }
    free(sums);
    return 0;
}

int jina_image_resize_rgb(const uint8_t *input, int width, int height, uint8_t *output, int out_width, int out_height) {
    return jina_image_resize_rgb_window(input, width, height, out_width, out_height, 0, 0, out_width, out_height, output);
}

int jina_image_resize_rgb_window(const uint8_t *input, int width, int height, int out_width, int out_height, int left,
                                 int top, int window_width, int window_height, uint8_t *output) {
    if (width <= 0 || height <= 0 || out_width <= 0 || out_height <= 0 || window_width <= 0 || window_height <= 0 ||
        left < 0 || top < 0 || window_width > out_width - left || window_height > out_height - top)
        return -1;
    size_t in_stride = (size_t)width * 3;
    if (width == out_width && height == out_height) {
        for (int row = 0; row < window_height; row++)
            memcpy(output + (size_t)row * window_width * 3, input + (size_t)(top + row) * in_stride + (size_t)left * 3,
                   (size_t)window_width * 3);
        return 0;
    }
    filter_bank across = {0}, down = {0};
    if (make_bank(width, out_width, &across) != 0 || make_bank(height, out_height, &down) != 0) {
        free_bank(&across);
        free_bank(&down);
        return -1;
    }
    // The input columns the window's output columns read.
    int last = left + window_width - 1;
    int first_column = across.first[left];
    int end_column = across.first[last] + across.count[last];
    for (int out = left; out <= last; out++) {
        if (across.first[out] < first_column) first_column = across.first[out];
        if (across.first[out] + across.count[out] > end_column) end_column = across.first[out] + across.count[out];
    }
    size_t bytes = (size_t)(end_column - first_column) * 3;
    // Rows first (whole rows at a time, which vectorises), then across the fewer rows left.
    size_t padding = (size_t)across.widest * 3;
    uint8_t *middle = malloc(bytes * (size_t)window_height + padding);
    if (middle) memset(middle + bytes * (size_t)window_height, 0, padding);
    int status = middle ? vertical(input, in_stride, (size_t)first_column * 3, bytes, middle, top, window_height, &down) : -1;
    if (status == 0) horizontal(middle, bytes, first_column, window_height, output, left, window_width, &across);
    free(middle);
    free_bank(&across);
    free_bank(&down);
    return status;
}
