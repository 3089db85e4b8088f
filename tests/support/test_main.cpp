// SPDX-License-Identifier: MPL-2.0
// main() of every test binary: gtest's, except that `<test binary>
// lua-worker` is the Lua worker, so code that starts a worker through
// /proc/self/exe works in the tests as it does in the daemon.
#include "worker/worker_main.h"

#include <gtest/gtest.h>

int main(int argc, char** argv) {
    aarshjul::worker::run_worker_if_asked(argc, argv);
    testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
