#include <gdk-pixbuf/gdk-pixbuf.h>
#include <stddef.h>

/* What the image's header says, and whether it is refused before its pixels are decoded. */
typedef struct {
    int width;
    int height;
    long long max_pixels;
    int max_side;
    int refused;
} rv_image_probe;

static void rv_image_size_prepared(GdkPixbufLoader *loader, int width, int height, gpointer data) {
    rv_image_probe *probe = (rv_image_probe *)data;
    probe->width = width;
    probe->height = height;
    if (width <= 0 || height <= 0 || width > probe->max_side || height > probe->max_side
        || (long long)width * (long long)height > probe->max_pixels) {
        probe->refused = 1;
        /* Nothing large is allocated: the loader is closed before the pixels come. */
        gdk_pixbuf_loader_set_size(loader, 1, 1);
    }
}

/* Decodes `bytes` with the one loader named by `type` ("png", "jpeg", "webp"), never by guessing.
   The header is read first (chunks of 16 KiB): an image whose dimensions pass the limits is
   refused before its pixels are decoded (decompression bombs). The embedded orientation (EXIF) is
   applied. Returns a new pixbuf, or NULL with *status 1 (not decodable, or truncated) or 2 (too
   many pixels). */
static inline GdkPixbuf *rv_image_decode(const unsigned char *bytes, size_t length, const char *type,
                                         long long max_pixels, int max_side, int *status, int *width, int *height) {
    GError *error = NULL;
    *status = 1;
    *width = 0;
    *height = 0;
    GdkPixbufLoader *loader = gdk_pixbuf_loader_new_with_type(type, &error);
    if (!loader) {
        if (error) g_error_free(error);
        return NULL;
    }
    rv_image_probe probe = {0, 0, max_pixels, max_side, 0};
    g_signal_connect(loader, "size-prepared", G_CALLBACK(rv_image_size_prepared), &probe);
    size_t offset = 0;
    int written = 1;
    while (offset < length && !probe.refused) {
        size_t chunk = length - offset < 16384 ? length - offset : 16384;
        if (!gdk_pixbuf_loader_write(loader, bytes + offset, chunk, &error)) {
            written = 0;
            break;
        }
        offset += chunk;
    }
    if (error) { g_error_free(error); error = NULL; }
    gboolean closed = gdk_pixbuf_loader_close(loader, &error);
    if (error) { g_error_free(error); error = NULL; }
    *width = probe.width;
    *height = probe.height;
    if (probe.refused) {
        g_object_unref(loader);
        *status = 2;
        return NULL;
    }
    GdkPixbuf *decoded = (written && closed) ? gdk_pixbuf_loader_get_pixbuf(loader) : NULL;
    if (!decoded) {
        g_object_unref(loader);
        return NULL;
    }
    GdkPixbuf *oriented = gdk_pixbuf_apply_embedded_orientation(decoded);
    g_object_unref(loader);
    *status = 0;
    return oriented;
}

/* Encodes a pixbuf as "jpeg" (quality) or "png" (no metadata: gdk-pixbuf writes none unless
   asked). Returns a buffer to free with g_free, or NULL. */
static inline gchar *rv_image_encode(GdkPixbuf *pixbuf, const char *type, int quality, gsize *size) {
    gchar *buffer = NULL;
    GError *error = NULL;
    char value[8];
    char *keys[2] = {NULL, NULL};
    char *values[2] = {NULL, NULL};
    if (g_strcmp0(type, "jpeg") == 0) {
        g_snprintf(value, sizeof value, "%d", quality);
        keys[0] = "quality";
        values[0] = value;
    } else {
        keys[0] = "compression";
        values[0] = "6";
    }
    if (!gdk_pixbuf_save_to_bufferv(pixbuf, &buffer, size, type, keys, values, &error)) {
        if (error) g_error_free(error);
        return NULL;
    }
    return buffer;
}
