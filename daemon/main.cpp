// SPDX-License-Identifier: MPL-2.0
// aarshjul: the annual control cycle daemon. All logic lives in the core
// library (daemon/cli/); this file only hands over the command line.
#include "cli/cli.h"

int main(int argc, char** argv) {
    return aarshjul::cli::run(argc, argv);
}
