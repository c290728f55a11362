/* embedded.c — lookup in the table of files compiled into the library (see embedded.h). */
#include <string.h>

#include "embedded.h"

const struct tr_embedded *tr_embedded_find(const char *path)
{
    for (size_t i = 0; i < tr_embedded_count; i++) {
        if (strcmp(tr_embedded_files[i].path, path) == 0) {
            return &tr_embedded_files[i];
        }
    }
    return NULL;
}
