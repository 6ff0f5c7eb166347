// libFuzzer's entry point for programs with a main of their own (SwiftPM names an executable's
// entry point <Target>_main and points main at it, so libFuzzer's own main is not linked).
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
