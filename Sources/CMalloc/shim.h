// glibc's malloc tuning (mallopt, malloc_trim): not in Swift's Glibc module.
#include <malloc.h>
