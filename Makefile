# SPDX-License-Identifier: MPL-2.0
# Shortcuts for the README's commands.
.PHONY: run test bench reliability fuzz
run:
	scripts/run.sh
test:
	scripts/test.sh
# Every benchmark of bench/ (RelWithDebInfo in build-bench/); writes bench/RESULTS.md.
bench:
	scripts/bench.sh
# kill -9 x200, receivers down/up, hostile Lua, 1,000 slow connections, full disk.
reliability:
	scripts/reliability.sh
fuzz:
	scripts/fuzz.sh
