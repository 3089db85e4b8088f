-- SPDX-License-Identifier: MPL-2.0
-- Bench workflow (bench/run.py): one task per system, occurring today, with
-- one reminder on the day, so starting the daemon queues one notice per system.
workflow {
  id = "BENCH-DISPATCH",
  title = { da = "Benchmark", en = "Benchmark" },
  source = "bench/run.py",
  for_each = systems {},
  assignee = role "system_responsible",
  schedule = once "@TODAY@",
  remind = { before_due = days{0} },
  escalate = {},
}
