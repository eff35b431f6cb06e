// The system zlib, used for gzip-compressed profiles.
#include <zlib.h>
