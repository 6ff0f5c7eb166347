// The entry point of every fuzz target: libFuzzer's driver (from libclang_rt.fuzzer, linked by
// -sanitize=fuzzer) with the target's LLVMFuzzerTestOneInput. Each executable links all four names
// and uses its own.
#include "CFuzzer.h"

static int run(int argc, char **argv) { return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput); }

int FuzzCSV_main(int argc, char **argv) { return run(argc, argv); }
int FuzzICalendar_main(int argc, char **argv) { return run(argc, argv); }
int FuzzSMTPReply_main(int argc, char **argv) { return run(argc, argv); }
int FuzzJSONRequests_main(int argc, char **argv) { return run(argc, argv); }
