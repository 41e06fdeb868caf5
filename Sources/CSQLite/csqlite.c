/* Every function of this target is an inline wrapper in include/csqlite.h; SwiftPM needs one source file. */
#include "csqlite.h"
