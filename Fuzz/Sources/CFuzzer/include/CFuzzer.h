// libFuzzer's driver, for programs with a main of their own: SwiftPM names an executable's entry
// point <Target>_main and points main at it, so libFuzzer's own main is never linked. CFuzzer.c
// defines each target's <Target>_main; the target's Swift file defines LLVMFuzzerTestOneInput.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
